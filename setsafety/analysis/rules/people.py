"""Rules about the people: qualified weapons staff, and training and rehearsal."""

from __future__ import annotations

from setsafety.analysis.facts import WEAPONS_ROLES, Facts, Scope, Verdict, checks_verdict, sentence, short
from setsafety.analysis.results import Evidence, State

#: Conditions that take a weapons person's time, authority or skill from the job.
_STAFF_CONDITIONS = frozenset({
    "dual-role", "insufficient-time", "no-authority", "inexperience", "reprimand-for-safety-work",
    "fatigue", "understaffing",
})


def qualified_armorer(facts: Facts, scope: Scope) -> Verdict:
    """Qualified, dedicated weapons staff: someone in a weapons role, trained,
    experienced, with no other duties and the time and authority to do the job."""
    record = facts.record
    roles = scope.staff_roles or WEAPONS_ROLES
    subject = scope.subject or "firearms"
    staff = facts.with_roles(roles)
    evidence: dict[str, Evidence] = {}
    shortcomings: list[str] = []
    strengths: list[str] = []
    for i, condition in enumerate(record.conditions or ()):
        if condition.kind == "understaffing" and not condition.about and scope.hazards & set(condition.hazards or ()):
            _add(evidence, facts.evidence(f"/conditions/{i}", condition, short(condition.description)))
            if not staff:
                return Verdict("absent", "No one held a weapons role: " + short(condition.description),
                               tuple(evidence.values()))
            shortcomings.append("weapons staffing was short")
    if record.people is None:
        return Verdict("unknown", "The record lists no people, so who looked after the weapons is not known.")
    if not staff:
        return Verdict(
            "unknown",
            f"No one in the record holds a role of this layer's staff ({', '.join(sorted(roles))}). If the "
            "production had none, a condition of kind 'understaffing' for the hazard "
            f"({', '.join(sorted(scope.hazards))}) says so.",
        )
    for i, party in staff:
        pointer = f"/people/{i}"
        who = facts.name(party.id)
        other = [
            (j, role) for j, role in enumerate(party.roles or ())
            if role.role not in roles
        ]
        for j, role in other:
            _add(evidence, facts.evidence(f"{pointer}/roles/{j}", role,
                                           f"{who} also worked as {role.role}"))
            shortcomings.append(f"{who} had another job on the production ({role.role})")
        for j, qualification in enumerate(party.qualifications or ()):
            if qualification.subject != subject:
                continue
            what = f"{qualification.kind.replace('-', ' ')} in {subject}"
            detail = f" ({qualification.description})" if qualification.description else ""
            held = "had" if qualification.held else "did not have"
            _add(evidence, facts.evidence(f"{pointer}/qualifications/{j}", qualification,
                                           f"{who} {held} {what}{detail}"))
            (strengths if qualification.held else shortcomings).append(f"{who} {held} {what}")
        for j, experience in enumerate(party.experience or ()):
            if experience.subject not in (None, subject):
                continue
            earlier = f" ({experience.credits} earlier productions)" if experience.credits is not None else ""
            _add(evidence, facts.evidence(f"{pointer}/experience/{j}", experience,
                                           f"{who}: experience {experience.level}{earlier}"))
            if experience.level == "experienced":
                strengths.append(f"{who} was experienced")
            else:
                shortcomings.append(f"{who} had {experience.level} experience")
        for j, condition in enumerate(record.conditions or ()):
            if condition.kind in _STAFF_CONDITIONS and party.id in (condition.about or ()):
                _add(evidence, facts.evidence(f"/conditions/{j}", condition,
                                               f"{condition.kind}: {short(condition.description)}"))
                shortcomings.append(f"{who}: {condition.kind.replace('-', ' ')}")
    if shortcomings:
        return Verdict(
            "degraded",
            "Staff were provided, but not qualified or dedicated as the layer needs: "
            + "; ".join(dict.fromkeys(shortcomings)) + ".",
            tuple(evidence.values()),
        )
    if strengths:
        return Verdict("held", "Staff were qualified and dedicated: " + "; ".join(strengths) + ".",
                       tuple(evidence.values()))
    names = facts.names(party.id for _, party in staff)
    return Verdict("unknown", f"{names} held the role, but the record says nothing of their "
                              "qualifications, experience or other duties.", tuple(evidence.values()))


def training_rehearsal(facts: Facts, scope: Scope) -> Verdict:
    """Training and rehearsal: performers trained on the weapon, gunplay rehearsed with the armorer."""
    checks = [
        (i, check) for i, check in facts.checks(*scope.check_kinds("training", "rehearsal"))
        if scope.concerns(check.covers)
    ]
    state: State
    state, evidence, said = checks_verdict(facts, checks, "training or rehearsal")
    if not checks:
        return Verdict("unknown", "The record has no training or rehearsal checks.")
    return Verdict(state, sentence(said), tuple(evidence))



def _add(evidence: dict[str, Evidence], item: Evidence) -> None:
    """Keep one piece of evidence per fact."""
    evidence.setdefault(item.pointer, item)
