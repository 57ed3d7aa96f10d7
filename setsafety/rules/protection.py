"""Generic rules any protocol can name: equipment that protects, its inspection, supervision and
working hours. A protocol scopes them with data (``equipment``, ``checks``, ``staff_roles``), so a
new protocol needs no code."""

from __future__ import annotations

from setsafety.rules.base import Rule, Tally
from setsafety.rules.facts import SUPERVISOR_ROLES, Facts, Scope
from setsafety.rules.findings import Finding, State, Value

#: Conditions of a piece of equipment that mean it was not fit for the work.
_UNFIT = frozenset({"undersized", "misplaced", "malfunction", "damaged", "worn", "obstruction"})


def equipment(facts: Facts, scope: Scope) -> Finding:
    """Equipment of the layer's kinds (``equipment`` in the protocol) in place for the work:
    a catch system, barriers and run-off, a helmet or life jacket, a machine guard.

    An item needed and not provided was never provided for (``absent``); one on hand but not in use
    at the event (not worn, not in place, declined) was ``skipped``; one in use but unfit (undersized,
    misplaced, faulty) ``failed`` when someone was hurt, else ``degraded``; one in use and fit ``held``.
    The layer's checks count as for any rule.
    """
    tally = Tally(facts)
    kinds = tuple(sorted(scope.equipment or ()))
    for i, item in facts.equipment(kinds):
        pointer = f"/equipment/{i}"
        about: dict[str, Value] = {"kind": item.kind}
        if item.provided is False:
            cited = tally.cite(pointer, item, "equipment.not-provided", items=[item.id], values=about)
            tally.reason("equipment.not-provided", "absent", cited, items=[item.id], values=about)
            continue
        if item.in_use is False:
            declined = {"by": item.declined_by[0]} if item.declined_by else {}
            cited = tally.cite(pointer, item, "equipment.not-in-use", items=[item.id], values=about,
                               parties=declined)
            tally.reason("equipment.not-in-use", "skipped", cited, items=[item.id], values=about, parties=declined)
            continue
        unfit = [(j, condition) for j, condition in enumerate(item.condition or ()) if condition.kind in _UNFIT]
        for j, condition in unfit:
            values: dict[str, Value] = {**about, "condition": condition.kind}
            cited = tally.cite(f"{pointer}/condition/{j}", condition, "equipment.unfit", items=[item.id],
                               values=values)
            tally.reason("equipment.unfit", "failed" if facts.harmed else "degraded", cited, items=[item.id],
                         values=values)
        if not unfit and (item.in_use or item.provided):
            cited = tally.cite(pointer, item, "equipment.in-place", items=[item.id], values=about)
            tally.reason("equipment.in-place", "held", cited, items=[item.id], values=about)
    tally.add_checks(facts.layer_checks(scope))
    return tally.finding("equipment.no-facts", values={"kinds": kinds})


def equipment_inspection(facts: Facts, scope: Scope) -> Finding:
    """Equipment inspected before use: the layer's inspection checks (a required one not done skips
    the layer), with the faults the record gives for equipment of the layer's kinds cited beside them."""
    tally = Tally(facts)
    for i, item in facts.equipment(scope.equipment or ()):
        for j, condition in enumerate(item.condition or ()):
            if condition.kind in _UNFIT:
                tally.cite(f"/equipment/{i}/condition/{j}", condition, "equipment.unfit", items=[item.id],
                           values={"kind": item.kind, "condition": condition.kind})
    tally.add_checks(facts.layer_checks(scope))
    code, about = facts.none_found(scope)
    return tally.finding(code, **about)


def supervision(facts: Facts, scope: Scope) -> Finding:
    """Supervision on the day by someone in the layer's ``staff_roles`` (by default the first AD and
    the safety coordinator): present at the time of the event, with no condition that says the work
    went unsupervised.

    A supervisor not on set at the event, or a condition ``supervision-absent``, skips the layer; a
    condition ``inadequate-supervision`` degrades it; a supervisor on set holds it; the layer's checks
    (``supervision``) count as for any rule.
    """
    tally = Tally(facts)
    roles = scope.staff_roles or SUPERVISOR_ROLES
    for i, party in facts.with_roles(roles):
        present = facts.present(party.id)
        if present is None:
            continue
        pointer = f"/people/{i}/presence"
        code = "supervision.present" if present else "supervision.away"
        cited = tally.cite(pointer, party, code, parties={"who": party.id})
        tally.reason(code, "held" if present else "skipped", cited, parties={"who": party.id})
    for i, condition in enumerate(facts.record.conditions or ()):
        if condition.kind not in ("supervision-absent", "inadequate-supervision"):
            continue
        if condition.hazards and not scope.hazards & set(condition.hazards):
            continue
        values: dict[str, Value] = {"kind": condition.kind, "text": condition.description}
        cited = tally.cite(f"/conditions/{i}", condition, "condition", values=values)
        state: State = "skipped" if condition.kind == "supervision-absent" else "degraded"
        tally.reason("supervision.condition", state, cited, values={"kind": condition.kind})
    tally.add_checks(facts.layer_checks(scope))
    return tally.finding("supervision.no-facts", values={"roles": tuple(sorted(roles))})


def working_hours(facts: Facts, scope: Scope) -> Finding:
    """Days people can work and travel safely: a condition of long hours or fatigue degrades the
    layer; the layer's checks (limits kept on the working day) count as for any rule."""
    tally = Tally(facts)
    for i, condition in enumerate(facts.record.conditions or ()):
        if condition.kind not in ("long-hours", "fatigue"):
            continue
        values: dict[str, Value] = {"kind": condition.kind, "text": condition.description}
        counts = {"hours": int(condition.hours)} if condition.hours is not None else {}
        cited = tally.cite(f"/conditions/{i}", condition, "condition", values=values)
        tally.reason("hours.long", "degraded", cited, values={"kind": condition.kind}, counts=counts)
    tally.add_checks(facts.layer_checks(scope))
    return tally.finding("hours.no-facts")


EQUIPMENT = Rule(
    id="equipment", derive=equipment, check_kinds=(),
    reads="`equipment` of the layer's kinds (`equipment` in the protocol): `provided`, `in_use`, "
          "`declined_by`, `condition` (`undersized`, `misplaced`, `malfunction`, ...); the layer's checks",
    states={
        "absent": "the equipment was needed and never provided",
        "skipped": "it was on hand but not in use at the event (not worn, not in place, declined)",
        "failed": "it was in use but unfit (undersized, misplaced, faulty), and someone was hurt",
        "degraded": "it was in use but unfit, and nobody was hurt; or some checks were not done",
        "held": "it was in place and fit for the work",
        "unknown": "the record says nothing of such equipment or checks",
    },
)
EQUIPMENT_INSPECTION = Rule(
    id="equipment-inspection", derive=equipment_inspection,
    check_kinds=("equipment-inspection", "rigging-inspection", "vehicle-inspection"),
    reads="the layer's inspection checks and their `status` (a `required` one not done skips the layer); faults "
          "(`condition`) of equipment of the layer's kinds are cited",
    states={
        "skipped": "an inspection was required and not done, or none was done",
        "degraded": "some inspections were done and some not, or only in part",
        "held": "every inspection recorded was done",
        "unknown": "the record has no inspection checks",
    },
)
SUPERVISION = Rule(
    id="supervision", derive=supervision, check_kinds=("supervision",),
    reads="people in the layer's `staff_roles` (default `first-ad`, `safety-coordinator`) and their `presence` at "
          "the time of the event; conditions `supervision-absent`, `inadequate-supervision`; the layer's checks",
    states={
        "skipped": "the supervisor was not on set at the event, or the work went unsupervised",
        "degraded": "supervision was inadequate, or some supervision checks were not done",
        "held": "the supervisor was on set, or supervision checks were done",
        "unknown": "the record does not say who supervised or whether they were there",
    },
)
WORKING_HOURS = Rule(
    id="working-hours", derive=working_hours, check_kinds=("working-hours", "minor-working-hours"),
    reads="conditions `long-hours` (with `hours`) and `fatigue`; the layer's checks",
    states={
        "degraded": "people worked long hours or were fatigued",
        "skipped": "limits on hours were required and not kept",
        "held": "limits on the working day were kept",
        "unknown": "the record says nothing of hours worked",
    },
)
