"""Rules on the day's practice: safe handling, the safety meeting, emergency readiness."""

from __future__ import annotations

from setsafety.rules.base import Rule, Tally
from setsafety.rules.facts import Facts, Scope
from setsafety.rules.findings import Finding, Value


def safe_handling(facts: Facts, scope: Scope) -> Finding:
    """Never pointed at a person; safe distance and shields; only needed people near.

    A weapon pointed toward a person, or someone in the path of the hazard (other than whoever
    carries out the action: the rider, the driver), skips the layer (the safeguard, keeping people
    out of the path, was required and not kept); someone near it without a shield degrades it;
    people clear, behind a shield or watching remotely hold it, as does a weapon not pointed at
    anyone. A person in the path because the work needed them there, who holds one of the layer's
    ``in_path_roles`` (the performer of a fall), is the action's own subject: the layer asks that
    nobody else be there, and protecting them is other layers' work; so is one of them near where
    the work needed them (a spotter), for whom a shield is no part of the work.
    """
    incident = facts.record.incident
    tally = Tally(facts)
    path: dict[str, Value] = {"path": "line-of-fire" if scope.hazards & {"firearm", "blank-fire"} else "hazard"}
    if incident is not None:
        if incident.pointed_at_person is not None:
            code = "handling.pointed-at-person" if incident.pointed_at_person else "handling.not-pointed"
            cited = tally.cite("/incident/pointed_at_person", incident, code)
            tally.reason(code, "skipped" if incident.pointed_at_person else "held", cited)
        actors = set(incident.handled_by or ())
        subjects = {party.id for _, party in facts.with_roles(scope.in_path_roles)} if scope.in_path_roles else set()
        for i, position in enumerate(incident.positions or ()):
            if position.party in actors and position.relation == "in-line-of-fire":
                continue  # the one carrying out the action (the rider, the faller) is not in its path
            values: dict[str, Value] = {"relation": position.relation, **path}
            if position.distance_m is not None:
                values["distance"] = f"{position.distance_m:g}"
            if position.needed is False:
                values["needed"] = "no"
            elif position.needed and position.relation == "in-line-of-fire":
                values["wanted"] = "yes"
            who = {"who": position.party}
            code = "position.in-path" if position.relation == "in-line-of-fire" else "position"
            cited = tally.cite(f"/incident/positions/{i}", position, code, parties=who, values=values)
            if position.relation == "in-line-of-fire" and position.needed and position.party in subjects:
                tally.reason("handling.needed-in-path", "held", cited, parties=who, values=values)
            elif position.relation == "in-line-of-fire":
                tally.reason("handling.in-path", "skipped", cited, parties=who, values=values)
            elif position.relation == "near" and position.needed and position.party in subjects:
                tally.reason("handling.needed-near", "held", cited, parties=who, values=values)
            elif position.relation == "near":
                tally.reason("handling.near", "degraded", cited, parties=who, values=values)
            else:
                tally.reason("handling.clear", "held", cited, parties=who, values=values)
    tally.add_checks(facts.checks(*scope.check_kinds()))
    return tally.finding("handling.no-facts", values=path)


def safety_briefing(facts: Facts, scope: Scope) -> Finding:
    """A safety meeting on every day the hazard is worked with, covering that day's work.

    The meetings of the event's day (or recurring ones) are read like any checks; a meeting that
    was held but did not cover the protocol's hazards degrades the layer.
    """
    tally = Tally(facts)
    checks = facts.checks(*scope.check_kinds(), same_day=True)
    tally.add_checks(checks)
    off_topic = [(i, check) for i, check in checks if check.status == "done" and not scope.concerns(check.covers)]
    if off_topic:
        cited = [item for item in tally.evidence if item.checks and item.checks[0] in {c.id for _, c in off_topic}]
        tally.reason("meeting.off-topic", "degraded", *cited, checks=[check.id for _, check in off_topic],
                     values={"hazards": tuple(sorted(scope.hazards))})
    return tally.finding("meeting.none-that-day")


def emergency_response(facts: Facts, scope: Scope) -> Finding:
    """Medic on set, an emergency plan, rescue standing by: readiness, read from the provisions.

    The provisions are read as checks. Care given after the event is cited, but says nothing of
    readiness: the outcome is not a barrier, so care alone leaves the layer unknown.
    """
    tally = Tally(facts)
    tally.add_checks(facts.checks(*scope.check_kinds()))
    outcome = facts.record.outcome
    care = list(enumerate(outcome.care or ())) if outcome is not None else []
    cited = [tally.cite(f"/outcome/care/{i}", given, "care", values={"kind": given.kind}) for i, given in care]
    if care:
        tally.reason("emergency.care-given", None, *cited,
                     values={"kinds": tuple(dict.fromkeys(given.kind for _, given in care))})
    return tally.finding("emergency.no-facts")


SAFE_HANDLING = Rule(
    id="safe-handling", derive=safe_handling,
    check_kinds=("shields", "safe-distance", "remote-monitoring", "protective-equipment"),
    reads="`incident.pointed_at_person`, `incident.positions` (`in-line-of-fire`, `near`, `clear`, "
          "`behind-shield`, `remote`; `needed`), the layer's `in_path_roles`",
    states={
        "skipped": "the weapon was pointed toward a person, someone stood in the path of the hazard, or "
                   "distance, shield or monitoring checks were required and not done",
        "degraded": "someone stood near, without a shield",
        "held": "no one was in the path of the hazard but, where the layer names their roles, those the work "
                "needed there (the performer of a fall)",
        "unknown": "the record does not say where people stood or where the weapon pointed",
    },
)
SAFETY_BRIEFING = Rule(
    id="safety-briefing", derive=safety_briefing, check_kinds=("safety-meeting",),
    reads="the layer's checks on the day of the event (or recurring, `frequency: daily`) and what they `covers`",
    states={
        "skipped": "the meeting was required or planned and not held",
        "degraded": "a meeting was held only in part, or did not cover the day's hazards",
        "held": "a meeting covering the day's work was held",
        "unknown": "the record has no meeting for the day of the event",
    },
)
EMERGENCY_RESPONSE = Rule(
    id="emergency-response", derive=emergency_response,
    check_kinds=("medic-on-set", "emergency-plan", "evacuation"),
    reads="the layer's checks (a medic, an emergency plan, evacuation); `outcome.care` is cited but never "
          "counts as readiness",
    states={
        "skipped": "the provisions were required and not there",
        "degraded": "some provisions were there, some not, or only in part",
        "held": "the provisions were there",
        "unknown": "the record says nothing of a medic or an emergency plan (care given afterwards alone says "
                   "nothing of readiness)",
    },
)
