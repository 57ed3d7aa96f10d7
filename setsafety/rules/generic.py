"""The generic rule: a layer whose state is read from the record's checks of the kinds it names."""

from __future__ import annotations

from setsafety.rules.base import Rule, Tally
from setsafety.rules.facts import Facts, Scope
from setsafety.rules.findings import Finding


def checks_rule(facts: Facts, scope: Scope) -> Finding:
    """Checks of the layer's kinds (``checks`` in the protocol) that cover the protocol's hazards:
    all done -> held; some done and some not, or partial -> degraded; required and none done ->
    skipped; none recorded -> unknown."""
    tally = Tally(facts)
    tally.add_checks(facts.layer_checks(scope))
    code, about = facts.none_found(scope)
    return tally.finding(code, **about)


CHECKS = Rule(
    id="checks", derive=checks_rule, needs_checks=True,
    reads="the checks of the kinds the layer lists in `checks` (that cover the protocol's hazards), and their "
          "`status`",
    states={
        "skipped": "the checks were required or planned, and none was done",
        "degraded": "some were done and some not, or done only in part",
        "held": "every check recorded was done",
        "unknown": "the record has no such checks, or not whether they were done",
    },
)
