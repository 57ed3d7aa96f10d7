"""Contributing factors: the facts behind the layers that did not hold, sorted
into HFACS levels, and those that touch more than one layer.

A factor is known by its ``code``: the kind of fact and its enumerated values
(``condition.dual-role``, ``position.in-line-of-fire``), never by its words, so that
factors compare across cases (``similar`` compares them within one protocol).
"""

from __future__ import annotations

from typing import Any

from setsafety.analysis.results import Evidence, Factor, LayerResult, is_not_held
from setsafety.model import record as m
from setsafety.rules import Facts

Level = Any  # one of Factor.level's literals

_ORGANIZATIONAL = frozenset({
    "budget-pressure", "schedule-pressure", "understaffing", "policy-not-followed", "no-process",
    "reprimand-for-safety-work", "no-authority",
})
_SUPERVISION = frozenset({"supervision-absent", "prior-record"})
_LEVEL_ORDER = ("organizational-influences", "unsafe-supervision", "preconditions", "unsafe-acts")


def contributing_factors(facts: Facts, layers: tuple[LayerResult, ...]) -> tuple[Factor, ...]:
    """Every negative fact cited by a layer that did not hold, with its HFACS level."""
    found: dict[str, dict[str, Any]] = {}
    for layer in layers:
        if not is_not_held(layer.state):
            continue
        for item in layer.evidence:
            level = _level(item, facts)
            if level is None:
                continue
            entry = found.setdefault(item.pointer, {
                "evidence": item, "level": level, "layers": [], "code": _code(item),
            })
            if layer.id not in entry["layers"]:
                entry["layers"].append(layer.id)
    factors = [
        Factor(pointer=pointer, code=entry["code"], evidence=entry["evidence"], level=entry["level"],
               active=entry["level"] == "unsafe-acts", layers=tuple(entry["layers"]),
               sources=entry["evidence"].sources)
        for pointer, entry in found.items()
    ]
    factors.sort(key=lambda factor: (-len(factor.layers), _LEVEL_ORDER.index(factor.level), factor.pointer))
    return tuple(factors)


def _level(item: Evidence, facts: Facts) -> Level | None:
    """The HFACS level of a fact that counts against a layer; None for facts in its favour."""
    fact = item.fact
    if isinstance(fact, m.Condition):
        if fact.kind in _ORGANIZATIONAL:
            return "organizational-influences"
        if fact.kind in _SUPERVISION:
            return "unsafe-supervision"
        return "preconditions"
    if isinstance(fact, m.PriorWarning):
        return None if fact.response and fact.response.level == "fixed" else "unsafe-supervision"
    if isinstance(fact, m.Response):
        return None if fact.level == "fixed" else "unsafe-supervision"
    if isinstance(fact, m.Check):
        if fact.status == "done":
            return None
        return "organizational-influences" if fact.status == "cancelled" else "unsafe-supervision"
    if isinstance(fact, (m.Qualification, m.Experience, m.Role)):
        if isinstance(fact, m.Qualification) and fact.held:
            return None
        if isinstance(fact, m.Experience) and fact.level == "experienced":
            return None
        return "preconditions"
    if isinstance(fact, m.Storage):
        return None if fact.locked and fact.attended else "preconditions"
    if isinstance(fact, (m.AmmunitionLot, m.Origin, m.Found, m.TimelineEntry)):
        return "preconditions"
    if isinstance(fact, m.CustodyEvent):
        if fact.verification == "full" and fact.by in facts.weapons_staff and fact.action != "left-unattended":
            return None
        return "unsafe-acts"
    if isinstance(fact, m.Position):
        return None if fact.relation in ("clear", "behind-shield", "remote") else "unsafe-acts"
    if isinstance(fact, m.Incident) and item.code == "handling.pointed-at-person":
        return "unsafe-acts"
    return None


def _code(item: Evidence) -> str:
    """What kind of fact this is, as a code that compares across records."""
    fact = item.fact
    if isinstance(fact, m.Condition):
        return f"condition.{fact.kind}"
    if isinstance(fact, m.PriorWarning):
        return f"warning.{fact.kind}.{fact.response.level if fact.response else 'unknown'}"
    if isinstance(fact, m.Response):
        return f"warning-response.{fact.level}"
    if isinstance(fact, m.Check):
        return f"check.{fact.kind}.{fact.status}"
    if isinstance(fact, m.Qualification):
        return f"qualification-not-held.{fact.kind}.{fact.subject}"
    if isinstance(fact, m.Experience):
        return f"experience.{fact.level}"
    if isinstance(fact, m.Role):
        return "dual-role"
    if isinstance(fact, m.Storage):
        return "storage.unattended" if fact.attended is False else "storage.unlocked"
    if isinstance(fact, (m.AmmunitionLot, m.Found)):
        kind = fact.kind if isinstance(fact, m.AmmunitionLot) else "live"
        return f"ammunition-on-set.{kind}"
    if isinstance(fact, m.Origin):
        return "ammunition-origin-unknown"
    if isinstance(fact, m.CustodyEvent):
        return f"custody.{fact.action}.{fact.verification or 'not-recorded'}"
    if isinstance(fact, m.Position):
        return f"position.{fact.relation}"
    if isinstance(fact, m.TimelineEntry):
        return f"timeline.{fact.kind}"
    return item.code
