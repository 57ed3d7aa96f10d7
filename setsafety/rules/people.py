"""Rules about the people: qualified, dedicated staff, and training and rehearsal."""

from __future__ import annotations

from setsafety.rules.base import Rule, Tally
from setsafety.rules.facts import WEAPONS_ROLES, Facts, Scope
from setsafety.rules.findings import Evidence, Finding, Reason, Value

#: Conditions that take a staff member's time, authority or skill from the job.
_STAFF_CONDITIONS = frozenset({
    "dual-role", "insufficient-time", "no-authority", "inexperience", "reprimand-for-safety-work",
    "fatigue", "understaffing",
})


def qualified_staff(facts: Facts, scope: Scope) -> Finding:
    """Qualified, dedicated staff: someone in the layer's staff roles (by default the weapons
    roles), trained, experienced, with no other duties and the time and authority to do the job.

    A condition ``understaffing`` for the protocol's hazards with nobody in a staff role means the
    layer was absent. Another role, a qualification not held, limited experience, or a condition
    about a staff member (dual role, insufficient time, no authority, ...) degrades it; qualified
    or experienced staff with none of these hold it.
    """
    record = facts.record
    tally = Tally(facts)
    roles = scope.staff_roles or WEAPONS_ROLES
    default = "firearms" if scope.staff_roles is None else None  # the weapons staff's trade, unless scoped
    staff = facts.with_roles(roles)
    cited_pointers: set[str] = set()
    staff_words: dict[str, Value] = {"roles": tuple(sorted(roles))}

    def keep(evidence: Evidence) -> Evidence:
        if evidence.pointer not in cited_pointers:  # one piece of evidence per fact
            cited_pointers.add(evidence.pointer)
            tally.evidence.append(evidence)
        return evidence

    for i, condition in enumerate(record.conditions or ()):
        if condition.kind == "understaffing" and not condition.about and scope.hazards & set(condition.hazards or ()):
            evidence = keep(tally.facts.evidence(f"/conditions/{i}", condition, "condition",
                                                 values={"kind": condition.kind, "text": condition.description}))
            if not staff:
                tally.reason("staff.none", "absent", evidence, values={**staff_words, "text": condition.description})
                return tally.finding("staff.no-facts")
            tally.reason("staff.short", "degraded", evidence, values=staff_words)
    if record.people is None:
        return tally.finding("staff.no-people")
    if not staff:
        return tally.finding("staff.no-one-in-role", values={**staff_words,
                                                               "hazards": tuple(sorted(scope.hazards))})
    for i, party in staff:
        pointer = f"/people/{i}"
        who = {"who": party.id}
        for j, role in enumerate(party.roles or ()):
            if role.role in roles:
                continue
            evidence = keep(tally.facts.evidence(f"{pointer}/roles/{j}", role, "staff.other-role",
                                                 parties=who, values={"role": role.role}))
            tally.reason("staff.other-role", "degraded", evidence, parties=who, values={"role": role.role})
        for j, qualification in enumerate(party.qualifications or ()):
            if not scope.counts_subject(qualification.subject, default):
                continue
            subject = qualification.subject
            values: dict[str, Value] = {"kind": qualification.kind, "subject": subject}
            if qualification.description:
                values["text"] = qualification.description
            code = "staff.qualified" if qualification.held else "staff.not-qualified"
            evidence = keep(tally.facts.evidence(f"{pointer}/qualifications/{j}", qualification, code,
                                                 parties=who, values=values))
            tally.reason(code, "held" if qualification.held else "degraded", evidence, parties=who,
                         values={"kind": qualification.kind, "subject": subject})
        for j, experience in enumerate(party.experience or ()):
            if not scope.counts_subject(experience.subject, default):
                continue
            level: dict[str, Value] = {"level": experience.level}
            counts = {"credits": experience.credits} if experience.credits is not None else {}
            evidence = keep(tally.facts.evidence(f"{pointer}/experience/{j}", experience, "staff.experience",
                                                 parties=who, values=level, counts=counts))
            if experience.level == "experienced":
                tally.reason("staff.experienced", "held", evidence, parties=who)
            else:
                tally.reason("staff.limited-experience", "degraded", evidence, parties=who, values=level)
        for j, condition in enumerate(record.conditions or ()):
            if condition.kind in _STAFF_CONDITIONS and party.id in (condition.about or ()):
                values = {"kind": condition.kind, "text": condition.description}
                evidence = keep(tally.facts.evidence(f"/conditions/{j}", condition, "condition", values=values))
                tally.reason("staff.condition", "degraded", evidence, parties=who, values={"kind": condition.kind})
    _done_by_others(facts, tally, roles, default, scope)
    stated = [reason.state for reason in tally.reasons if reason.state is not None]
    if stated:  # leads the rationale: shortcomings if any, else strengths
        tally.reasons.insert(0, Reason(code="staff.shortcomings" if "degraded" in stated else "staff.strengths"))
    return tally.finding("staff.nothing-said", parties={f"staff-{n}": party.id for n, (_, party) in enumerate(staff)})


#: Custody actions that are the staff's own work on an item: not a hand-over, nor a check (the first AD's
#: and the performer's checks are part of good practice), which have their own layers.
_STAFF_WORK = frozenset({"loaded", "unloaded", "made", "altered"})


def _done_by_others(facts: Facts, tally: Tally, roles: frozenset[str], default: str | None, scope: Scope) -> None:
    """The staff's own work on the event's items (loading, unloading, making rounds) done by someone
    outside the staff roles who holds no qualification in the layer's trade skips the layer: the
    safeguard was required, and at that moment nobody qualified provided it."""
    staff = {party.id for _, party in facts.with_roles(roles)}
    items = set(facts.weapon_ids) | set(facts.record.incident.items or () if facts.record.incident else ())
    items |= {lot.id for lot in facts.record.ammunition or ()}
    for link in facts.chain_links():
        event = link.event
        if event.action not in _STAFF_WORK or event.item not in items or event.by is None or event.by in staff:
            continue
        party = facts.record.party(event.by)
        if party is not None and any(q.held and scope.counts_subject(q.subject, default)
                                     for q in party.qualifications or ()):
            continue
        cited = tally.cite(link.pointer, event, "staff.work-by-others", parties={"by": event.by},
                           items=[event.item], events=[event.id], values={"action": event.action})
        tally.reason("staff.work-by-others", "skipped", cited, parties={"by": event.by}, items=[event.item],
                     events=[event.id], values={"action": event.action})
        return


def training_rehearsal(facts: Facts, scope: Scope) -> Finding:
    """Training and rehearsal: performers trained on the weapon, the action rehearsed with the
    staff before filming (checks of the layer's kinds that cover the protocol's hazards)."""
    tally = Tally(facts)
    tally.add_checks(facts.layer_checks(scope))
    code, about = facts.none_found(scope)
    return tally.finding(code, **about)


QUALIFIED_STAFF = Rule(
    id="qualified-staff", derive=qualified_staff,
    reads="people holding one of the layer's `staff_roles` at the time of the event (default `armorer`, "
          "`assistant-armorer`, `property-master`; a role with `timing: after-event` does not count): their other "
          "roles, `qualifications` in the layer's `subject` or `subjects` (default `firearms` for the weapons "
          "staff, else any; `held: false` for one they lacked), `experience.level`, and `conditions` about them "
          "(`dual-role`, `insufficient-time`, `no-authority`, `reprimand-for-safety-work`, `inexperience`, "
          "`fatigue`, `understaffing`); the staff's work on the event's items (custody `loaded`, `unloaded`, "
          "`made`, `altered`) done by someone outside the staff with no qualification for it; a "
          "condition `understaffing` for the protocol's hazards and no one in a staff role means no staff at all",
    states={
        "absent": "no one held a staff role, and the record says the production was short of such staff",
        "skipped": "the staff's work on the event's items was done by someone outside the staff, unqualified",
        "degraded": "staff were provided, but had other jobs, lacked a qualification or experience, or "
                    "worked under a condition that took time or authority from the job",
        "held": "staff were qualified or experienced, with none of those shortcomings",
        "unknown": "the record lists no staff in the role, or says nothing of their qualifications",
    },
)
QUALIFIED_ARMORER = Rule(
    id="qualified-armorer", derive=qualified_staff, reads=QUALIFIED_STAFF.reads, states=QUALIFIED_STAFF.states,
)
TRAINING_REHEARSAL = Rule(
    id="training-rehearsal", derive=training_rehearsal, check_kinds=("training", "rehearsal"),
    reads="the layer's checks (that cover the protocol's hazards) and their `status` (`cancelled` for planned "
          "and cut)",
    states={
        "skipped": "training or rehearsal was required or planned, and none was done",
        "degraded": "some was done, some not, or only in part",
        "held": "every training or rehearsal recorded was done",
        "unknown": "the record has no such checks, or not whether they were done",
    },
)
