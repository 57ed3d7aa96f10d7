"""The rules that derive a layer's state from a record's facts, and their registry.

Each rule is general: it reads the record's facts (roles, qualifications, ammunition, custody,
checks, warnings, positions) and returns a ``Finding``: a state and the reasons for it, as data
(codes and ids, never sentences; see ``setsafety.rules.findings``). A protocol layer names its rule
with ``rule`` (default: the layer id), so a protocol can reuse these rules under its own ids;
``load_protocol`` checks every layer against this registry (``rule_problems``).

How to add a rule
-----------------
1. Write ``derive(facts, scope) -> Finding`` in a module here (or a new one). Use a ``Tally``:
   ``tally.cite(pointer, fact, "evidence-code", ...)`` for each fact read, ``tally.reason("code",
   state, *cited, parties={"by": ...}, items=[...], values={...})`` for each reason, then
   ``return tally.finding("code-when-nothing-found")``. Never build a sentence, never put a name in a
   value: parties go in ``parties`` by their part, and the phrasing names them for each reader.
   The docstring is the rule's documentation (its first line is its summary).
2. Wrap it: ``Rule(id=..., derive=..., reads="facts it reads, in Markdown", check_kinds=(...),
   states={state: what it means under this rule})``, and add it to ``ALL`` below.
3. Add a template for every new reason and evidence code to ``setsafety.phrasing.CATALOGUE``
   (``tests/test_phrasing.py`` fails on a code without one).
4. Run ``setsafety rules --format markdown`` and paste the table into the README (the drift test
   in ``tests/test_rules.py`` fails until they agree).
"""

from __future__ import annotations

from setsafety.model import Layer, Protocol
from setsafety.problems import Problem
from setsafety.rules import ammunition, custody, generic, people, practice, protection, warnings
from setsafety.rules.base import Rule, Tally
from setsafety.rules.facts import Facts, Scope
from setsafety.rules.findings import (
    NOT_HELD,
    SEVERITY,
    Evidence,
    Finding,
    Reason,
    State,
    combine,
    is_not_held,
)

#: Every rule, in the order of the firearms protocol, then the general ones.
ALL: tuple[Rule, ...] = (
    people.QUALIFIED_ARMORER,
    people.TRAINING_REHEARSAL,
    warnings.WARNING_RESPONSE,
    ammunition.RULE,
    custody.SECURE_CUSTODY,
    custody.PRE_USE_INSPECTION,
    custody.HANDOFF_VERIFICATION,
    practice.SAFE_HANDLING,
    practice.SAFETY_BRIEFING,
    practice.EMERGENCY_RESPONSE,
    people.QUALIFIED_STAFF,
    generic.CHECKS,
    protection.EQUIPMENT,
    protection.EQUIPMENT_INSPECTION,
    protection.SUPERVISION,
    protection.WORKING_HOURS,
)
#: The rules by id.
RULES: dict[str, Rule] = {rule.id: rule for rule in ALL}


def rule_problems(protocol: Protocol) -> list[Problem]:
    """Layers whose rule no analyzer provides, or that lack the check kinds their rule needs."""
    problems = []
    for i, layer in enumerate(protocol.layers):
        rule = RULES.get(layer.rule_id)
        if rule is None:
            problems.append(Problem(
                pointer=f"/layers/{i}/rule" if layer.rule else f"/layers/{i}/id",
                code="unknown-rule",
                message=f"no analyzer rule named {layer.rule_id!r}; set 'rule' to one of: "
                        + ", ".join(sorted(RULES)),
            ))
        elif rule.needs_checks and not layer.checks:
            problems.append(Problem(
                pointer=f"/layers/{i}", code="missing-checks",
                message=f"the rule {layer.rule_id!r} needs 'checks': the check kinds that speak to this layer",
            ))
    return problems


def scope_for(rule: Rule, protocol: Protocol, layer: Layer) -> Scope:
    """What the rule applies to at this layer of the protocol."""
    return Scope(
        hazards=frozenset(protocol.hazards),
        checks=layer.checks if layer.checks is not None else rule.check_kinds,
        staff_roles=frozenset(layer.staff_roles) if layer.staff_roles else None, subject=layer.subject,
        subjects=frozenset(layer.subjects) if layer.subjects else None,
        equipment=frozenset(layer.equipment) if layer.equipment else None,
        in_path_roles=frozenset(layer.in_path_roles or ()),
    )


__all__ = [
    "ALL", "NOT_HELD", "RULES", "SEVERITY", "Evidence", "Facts", "Finding", "Reason", "Rule", "Scope", "State",
    "Tally", "combine", "is_not_held", "rule_problems", "scope_for",
]
