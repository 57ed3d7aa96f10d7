"""Rules on the chain of custody: secure custody, inspection before use, verified hand-over."""

from __future__ import annotations

from setsafety.analysis.chain import UNKNOWN, Link, breaks_between, chain, use_position
from setsafety.analysis.facts import Facts, Scope, Tally, Verdict
from setsafety.analysis.results import State

#: Activities during which a weapon is not in use and belongs with the weapons staff.
_IDLE = frozenset({"between-takes", "setup", "transport", "storage"})

_LEVEL_STATE: dict[str, State] = {"none": "skipped", "glance": "degraded", "partial": "degraded",
                                  "full": "held"}


def _item_ids(facts: Facts) -> list[str]:
    """The items whose custody the record follows: weapons first, then ammunition."""
    items = [weapon.id for weapon in facts.record.weapons or ()]
    items += [lot.id for lot in facts.record.ammunition or ()]
    return items


def secure_custody(facts: Facts, scope: Scope) -> Verdict:
    """Weapons locked when not in use and in the weapons staff's control, never unattended."""
    record = facts.record
    tally = Tally()
    states, evidence, said = tally.states, tally.evidence, tally.said
    for i, place in enumerate(record.storage or ()):
        pointer = f"/storage/{i}"
        where = place.location or place.kind
        if place.attended is False:
            states.append("failed")
            evidence.append(facts.evidence(pointer, place, f"kept unattended: {where}"))
            said.append(f"items were kept unattended ({where})")
        elif place.locked is False:
            states.append("degraded")
            evidence.append(facts.evidence(pointer, place, f"not locked: {where}"))
            said.append(f"items were kept unlocked ({where})")
        elif place.locked and place.attended:
            states.append("held")
            evidence.append(facts.evidence(pointer, place, f"locked and attended: {where}"))
    idle = record.incident is not None and record.incident.activity in _IDLE
    for item in _item_ids(facts):
        links = chain(record, item)
        end = use_position(facts, links)
        if idle and item in facts.weapon_ids and links:
            last = links[min(end, len(links) - 1)]
            holder = last.holder_after
            if holder not in (None, UNKNOWN) and holder not in facts.weapons_staff:
                states.append("failed")
                evidence.append(facts.evidence(last.pointer, last.event, _did(
                    facts, last, f"still held by {facts.name(holder)} while it was not in use "
                                 f"({record.incident.activity if record.incident else ''})")))
                said.append(f"{item} stayed with {facts.name(holder)} while it was not in use, "
                            "instead of going back to the weapons staff")
        for link in links[: end + 1]:
            event = link.event
            if event.action == "seized":
                break
            if event.action == "left-unattended":
                states.append("failed")
                evidence.append(facts.evidence(link.pointer, event, _did(facts, link, "left unattended")))
                said.append(f"{item} was left unattended")
            elif event.action in ("put-down", "stored", "returned"):
                kept = facts.storage(event.storage)
                if kept is not None and kept[1].attended is False:
                    states.append("failed")
                    evidence.append(facts.evidence(link.pointer, event,
                                                   _did(facts, link, f"put where nobody watched it ({kept[1].id})")))
                    said.append(f"{item} was put where nobody watched it")
            holder = link.holder_after
            if (holder not in (None, UNKNOWN) and holder not in facts.weapons_staff
                    and holder not in facts.performers):
                states.append("degraded")
                evidence.append(facts.evidence(link.pointer, event,
                                               f"{facts.name(holder)}, outside the weapons staff, held {item}"))
                said.append(f"{facts.name(holder)}, outside the weapons staff, held {item}")
            elif event.action == "retrieved" and event.by in facts.weapons_staff:
                source = facts.storage(event.storage)
                if source is not None and source[1].locked:
                    states.append("held")
                    evidence.append(facts.evidence(link.pointer, event,
                                                   _did(facts, link, "taken from locked storage")))
    return tally.verdict("The record has no custody events or storage facts that show how weapons were kept.",
                         "Weapons were kept locked and attended.")


def _did(facts: Facts, link: Link, what: str) -> str:
    when = f"{link.event.when.date}: " if link.event.when else ""
    who = f" by {facts.name(link.event.by)}" if link.event.by else ""
    return f"{when}{link.event.item} {what}{who}"


def pre_use_inspection(facts: Facts, scope: Scope) -> Verdict:
    """Weapon and every round checked by the weapons staff right before each hand-over,
    and again after any break."""
    record = facts.record
    tally = Tally()
    states, evidence, said = tally.states, tally.evidence, tally.said
    live_fired = any(
        (found := facts.lot(lot_id)) is not None and found[1].kind == "live"
        for lot_id in (record.incident.ammunition_fired or () if record.incident else ())
    )
    for item in sorted(facts.weapon_ids):
        links = chain(record, item)
        end = use_position(facts, links)
        before = links[:end]
        if not before:
            continue
        checked = [position for position, link in enumerate(before) if link.checked]
        by_staff = [position for position in checked if before[position].event.by in facts.weapons_staff]
        if not checked:
            handovers = [link for link in before if link.event.action == "handed-over"]
            if handovers:
                evidence.append(facts.evidence(handovers[-1].pointer, handovers[-1].event,
                                               _did(facts, handovers[-1], "handed over with no check recorded")))
            continue
        last = before[checked[-1]]
        level = last.event.verification or "unknown"
        evidence.append(facts.evidence(last.pointer, last.event,
                                       _did(facts, last, f"{last.event.action}, check: {level}")))
        if level in _LEVEL_STATE:
            state = _LEVEL_STATE[level]
            if state == "held" and live_fired:
                state = "failed"
                said.append(f"the last check of {item} was full, yet a live round was fired")
            elif level == "none":
                said.append(f"{item} went to its use with no check ({last.event.action} by "
                            f"{facts.name(last.event.by)})")
            elif state != "held":
                said.append(f"the last check of {item} before use was '{level}'")
            states.append(state)
        if level != "none" and last.event.by not in facts.weapons_staff:
            states.append("degraded")
            said.append(f"the last check of {item} was made by {facts.name(last.event.by)}, "
                        "outside the weapons staff")
        if by_staff:
            staff_check = by_staff[-1]
            breaks = breaks_between(facts, links, staff_check, end)
            if breaks:
                states.append("skipped")
                first = before[staff_check]
                evidence.append(facts.evidence(
                    first.pointer, first.event,
                    _did(facts, first, f"last checked by the weapons staff ({first.event.action}, "
                                       f"check: {first.event.verification or 'recorded'})")))
                evidence.extend(facts.evidence(pointer, fact, summary) for pointer, summary, fact in breaks)
                said.append(f"{item} was not checked again by the weapons staff after "
                            f"{len(breaks)} break(s) in custody or in the day")
    checks = facts.checks(*scope.check_kinds("weapon-inspection"))
    tally.add_checks(facts, checks, "weapon inspections")
    return tally.verdict("The chain of custody records no check of the weapon before its use.",
                         "The weapon was checked in full right before use.")


def handoff_verification(facts: Facts, scope: Scope) -> Verdict:
    """Only the weapons staff hand a weapon over; shown to the first AD and the performer; performer checks."""
    record = facts.record
    tally = Tally()
    states, evidence, said = tally.states, tally.evidence, tally.said
    for item in sorted(facts.weapon_ids):
        links = chain(record, item)
        end = use_position(facts, links)
        handovers = [link for link in links[:end]
                     if link.event.action == "handed-over" and link.event.to in facts.performers]
        if not handovers:
            continue
        link = handovers[-1]
        event = link.event
        level = event.verification or "unknown"
        announced = f', calling "{event.announcement}"' if event.announcement else ""
        disputed = " (disputed)" if event.certainty == "disputed" else ""
        evidence.append(facts.evidence(
            link.pointer, event,
            _did(facts, link, f"handed to {facts.name(event.to)}{announced}, check: {level}") + disputed))
        if level in _LEVEL_STATE:
            states.append(_LEVEL_STATE[level])
            if level != "full":
                said.append(f"the hand-over of {item} to {facts.name(event.to)} came with a '{level}' check"
                            + (f' and the call "{event.announcement}"' if event.announcement else ""))
        if event.by not in facts.weapons_staff:
            states.append("failed" if level != "full" else "degraded")
            said.append(f"{item} was handed over by {facts.name(event.by)}, outside the weapons staff"
                        + disputed)
        elif level == "full" and not (set(event.witnesses or ()) & facts.supervisors):
            states.append("degraded")
            said.append("the weapon was not shown to the first AD or safety coordinator at the hand-over")
    checks = facts.checks(*scope.check_kinds("show-clear", "performer-check"))
    tally.add_checks(facts, checks, "show-clear and performer checks")
    return tally.verdict("The record shows no hand-over of the weapon to a performer, or does not say how it "
                         "was checked.", "The hand-over was made and verified by the weapons staff.")
