"""Rule: no live ammunition; known supply; dummies marked and verified."""

from __future__ import annotations

from setsafety.analysis.facts import Facts, Scope, Tally, Verdict


def ammunition_control(facts: Facts, scope: Scope) -> Verdict:
    """Live rounds never on set; ammunition from a known supplier; dummies verified and marked."""
    record = facts.record
    tally = Tally()
    states, evidence, said = tally.states, tally.evidence, tally.said
    fired = set(record.incident.ammunition_fired or ()) if record.incident else set()
    for i, lot in enumerate(record.ammunition or ()):
        pointer = f"/ammunition/{i}"
        label = lot.description or lot.id
        if lot.kind == "live" and (lot.on_set or lot.found or lot.id in fired):
            states.append("failed")
            evidence.append(facts.evidence(pointer, lot, f"live rounds on set: {label}"))
            for j, found in enumerate(lot.found or ()):
                count = f"{found.count} " if found.count is not None else ""
                evidence.append(facts.evidence(f"{pointer}/found/{j}", found,
                                               f"{count}found: {found.where}"))
            said.append("live rounds were on the set" + (" and one was fired" if lot.id in fired else ""))
            continue
        if lot.kind in ("mixed", "unknown") and lot.id in fired:
            states.append("degraded")
            evidence.append(facts.evidence(pointer, lot, f"the round fired came from a {lot.kind} lot"))
            said.append(f"the round fired came from a lot of {lot.kind} kind")
        if lot.kind == "dummy" and lot.marking == "unmarked":
            states.append("degraded")
            evidence.append(facts.evidence(f"{pointer}/marking", lot, f"dummies not marked: {label}"))
            said.append("dummies were not marked to tell them from live rounds")
        if lot.kind in ("dummy", "blank", "mixed") and lot.verification in ("none", "glance", "partial"):
            states.append("degraded")
            evidence.append(facts.evidence(f"{pointer}/verification", lot,
                                           f"rounds checked: {lot.verification}"))
            said.append(f"rounds of {lot.id} were checked only to the level '{lot.verification}'")
        origin = lot.origin
        if origin is not None and (origin.known_supplier is False or origin.certainty == "undetermined"):
            states.append("degraded")
            evidence.append(facts.evidence(f"{pointer}/origin", origin,
                                           f"origin of {lot.id}: {origin.description[:120]}"))
            known = "undetermined" if origin.certainty == "undetermined" else "not a known supplier"
            said.append(f"where {lot.id} came from is {known}")
        elif lot.kind in ("blank", "dummy") and lot.verification == "full" and (
            origin is None or origin.known_supplier
        ):
            states.append("held")
            evidence.append(facts.evidence(pointer, lot, f"{lot.kind} rounds checked in full: {label}"))
    checks = facts.checks(*scope.check_kinds(
        "live-ammunition-exclusion", "ammunition-inventory", "ammunition-verification"))
    tally.add_checks(facts, checks, "ammunition checks")
    lots = ", ".join(f"{lot.id} ({lot.kind})" for lot in record.ammunition or ())
    return tally.verdict(
        f"The record lists the ammunition ({lots}) but not how it was supplied, marked or checked, nor any "
        "check that kept live rounds off the set." if lots else
        "The record says nothing about the ammunition on set or checks of it.", "")
