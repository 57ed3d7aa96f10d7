"""The generic rule: a layer whose state is read from the record's checks of the kinds it names."""

from __future__ import annotations

from setsafety.analysis.facts import Facts, Scope, Verdict, checks_verdict, sentence


def checks_rule(facts: Facts, scope: Scope) -> Verdict:
    """Checks of the layer's kinds (``checks`` in the protocol): done -> held, partial or mixed ->
    degraded, required and not done -> skipped; none recorded -> unknown."""
    kinds = scope.check_kinds()
    checks = [(i, check) for i, check in facts.checks(*kinds) if scope.concerns(check.covers)]
    if not checks:
        return Verdict("unknown", f"The record has no checks of the kinds {', '.join(kinds)}.")
    state, evidence, said = checks_verdict(facts, checks, ", ".join(kinds))
    return Verdict(state, sentence(said), tuple(evidence))
