"""Rules on the day's practice: safe handling, the safety meeting, emergency readiness."""

from __future__ import annotations

import attrs

from setsafety.analysis.facts import Facts, Scope, Tally, Verdict, checks_verdict, sentence


def safe_handling(facts: Facts, scope: Scope) -> Verdict:
    """Never pointed at a person; safe distance and shields; only needed people near."""
    incident = facts.record.incident
    tally = Tally()
    states, evidence, said = tally.states, tally.evidence, tally.said
    path = "the line of fire" if scope.hazards & {"firearm", "blank-fire"} else "the path of the hazard"
    if incident is not None:
        if incident.pointed_at_person is True:
            states.append("failed")
            evidence.append(facts.evidence("/incident/pointed_at_person", incident,
                                           "the weapon was pointed toward a person"))
            said.append("the weapon was pointed toward a person")
        elif incident.pointed_at_person is False:
            states.append("held")
            said.append("the weapon was not pointed at anyone")
            evidence.append(facts.evidence("/incident/pointed_at_person", incident,
                                           "the weapon was not pointed at anyone"))
        for i, position in enumerate(incident.positions or ()):
            pointer = f"/incident/positions/{i}"
            distance = f", {position.distance_m:g} m" if position.distance_m is not None else ""
            who = facts.name(position.party)
            if position.relation == "in-line-of-fire":
                states.append("failed")
                said.append(f"{who} stood in {path}{distance}")
            elif position.relation == "near":
                states.append("degraded")
                said.append(f"{who} stood near{distance}, without a shield"
                            + (", with no need to be there" if position.needed is False else ""))
            else:
                states.append("held")
            evidence.append(facts.evidence(pointer, position, f"{who}: {position.relation}{distance}"))
    checks = facts.checks(*scope.check_kinds("shields", "safe-distance", "remote-monitoring", "protective-equipment"))
    tally.add_checks(facts, checks, "distance, shield and monitor checks")
    return tally.verdict("The record does not say where people stood or where the weapon pointed.",
                         f"No one was in {path}.")


def safety_briefing(facts: Facts, scope: Scope) -> Verdict:
    """A safety meeting on every day weapons are handled, covering that day's gunplay."""
    checks = facts.checks(*scope.check_kinds("safety-meeting"), same_day=True)
    if not checks:
        return Verdict("unknown", "The record has no safety meeting for the day of the event.")
    state, evidence, said = checks_verdict(facts, checks, "safety meetings")
    off_topic = [check for _, check in checks
                 if check.status == "done" and not scope.concerns(check.covers)]
    if state == "held" and off_topic:
        state = "degraded"
        said.append("the meeting held did not cover the day's " + "/".join(sorted(scope.hazards)) + " work")
    return Verdict(state, sentence(said), tuple(evidence))


def emergency_response(facts: Facts, scope: Scope) -> Verdict:
    """Medic on set, an emergency plan, and care for the injured."""
    checks = facts.checks(*scope.check_kinds("medic-on-set", "emergency-plan", "evacuation"))
    tally = Tally()
    tally.add_checks(facts, checks, "emergency provisions")
    outcome = facts.record.outcome
    care = list(enumerate(outcome.care or ())) if outcome is not None else []
    for i, given in care:
        tally.evidence.append(facts.evidence(f"/outcome/care/{i}", given, f"care: {given.kind}"))
    if care:
        tally.said.append("care was given: " + ", ".join(dict.fromkeys(given.kind for _, given in care)))
        tally.states.append("held")
    verdict = tally.verdict("The record says nothing of a medic, an emergency plan or the care given.", "")
    if verdict.state == "skipped" and care:  # provisions missing, yet care came
        return attrs.evolve(verdict, state="degraded")
    return verdict
