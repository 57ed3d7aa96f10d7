"""The rules that derive a layer's state from a record's facts.

One rule per layer of the bundled protocols, each general: it reads the
record's facts (roles, qualifications, ammunition, custody, checks, warnings,
positions) and returns a ``Verdict``. A protocol layer names its rule with
``rule`` (default: the layer id), so a user's protocol can reuse these rules
under its own ids. A rule that finds no facts to go on says ``unknown``.
"""

from __future__ import annotations

from collections.abc import Callable

from setsafety.analysis.facts import Facts, Scope, Verdict
from setsafety.analysis.rules import ammunition, custody, generic, people, practice, warnings

Rule = Callable[[Facts, Scope], Verdict]

#: Rules that cannot work without the layer saying which check kinds count.
NEEDS_CHECKS = frozenset({"checks"})

RULES: dict[str, Rule] = {
    "checks": generic.checks_rule,
    "qualified-staff": people.qualified_armorer,
    "qualified-armorer": people.qualified_armorer,
    "training-rehearsal": people.training_rehearsal,
    "warning-response": warnings.warning_response,
    "ammunition-control": ammunition.ammunition_control,
    "secure-custody": custody.secure_custody,
    "pre-use-inspection": custody.pre_use_inspection,
    "handoff-verification": custody.handoff_verification,
    "safe-handling": practice.safe_handling,
    "safety-briefing": practice.safety_briefing,
    "emergency-response": practice.emergency_response,
}

__all__ = ["NEEDS_CHECKS", "RULES", "Rule"]
