"""Rules on the chain of custody: secure custody, inspection before use, verified hand-over."""

from __future__ import annotations

from setsafety.model.custody import UNKNOWN, Link
from setsafety.rules.base import Rule, Tally
from setsafety.rules.facts import Facts, Scope
from setsafety.rules.findings import AboutArgs, Evidence, Finding, State, Value

#: Activities during which a weapon is not in use and belongs with the weapons staff.
_IDLE = frozenset({"between-takes", "setup", "transport", "storage"})

_LEVEL_STATE: dict[str, State] = {"none": "skipped", "glance": "degraded", "partial": "degraded",
                                  "full": "held"}


def _item_ids(facts: Facts) -> list[str]:
    """The items whose custody the record follows: weapons first, then ammunition."""
    items = [weapon.id for weapon in facts.record.weapons or ()]
    items += [lot.id for lot in facts.record.ammunition or ()]
    return items


def _event(tally: Tally, link: Link, code: str, values: dict[str, Value] | None = None,
           parties: dict[str, str | None] | None = None) -> Evidence:
    """Evidence for a custody event: its item, its id, who acted and who received it."""
    event = link.event
    who: dict[str, str | None] = {"by": event.by, "to": event.to if event.action == "handed-over" else None}
    when: dict[str, Value] = {"date": event.when.date} if event.when and event.when.date else {}
    return tally.cite(link.pointer, event, code, items=[event.item], events=[event.id],
                      parties={**who, **(parties or {})},
                      values={"action": event.action, **when, **(values or {})})


def secure_custody(facts: Facts, scope: Scope) -> Finding:
    """Weapons locked when not in use and in the weapons staff's control, never unattended.

    Storage neither locked nor attended, an item left unattended or put where nobody watched it
    and nothing locked it, and a weapon kept by a performer while not in use skip the layer (the
    safeguard was required and not kept); anyone outside the weapons staff (other than the
    performer) holding an item degrades it. Locked storage holds it, attended or not (a lock needs
    no attendant), as does storage attended by the staff, and a weapon taken by the weapons staff
    from locked storage.
    """
    record = facts.record
    tally = Tally(facts)
    for i, place in enumerate(record.storage or ()):
        pointer = f"/storage/{i}"
        where: dict[str, Value] = {"place": place.location or place.kind}
        if place.locked is False and place.attended is False:
            cited = tally.cite(pointer, place, "storage.unattended", values=where)
            tally.reason("storage.unattended", "skipped", cited, values=where)
        elif place.locked is False and place.attended is None:
            cited = tally.cite(pointer, place, "storage.unlocked", values=where)
            tally.reason("storage.unlocked", "degraded", cited, values=where)
        elif place.locked or place.attended:
            cited = tally.cite(pointer, place, "storage.locked-attended", values=where)
            tally.reason("storage.locked-attended", "held", cited, values=where)
    idle = record.incident is not None and record.incident.activity in _IDLE
    for item in _item_ids(facts):
        links = facts.chain(item)
        end = facts.use_position(links)
        if idle and item in facts.weapon_ids and links:
            last = links[min(end, len(links) - 1)]
            holder = last.holder_after
            if holder not in (None, UNKNOWN) and holder not in facts.weapons_staff:
                activity: dict[str, Value] = {"activity": record.incident.activity if record.incident else ""}
                cited = _event(tally, last, "custody.kept-while-idle", activity, {"holder": holder})
                tally.reason("custody.kept-while-idle", "skipped", cited, items=[item],
                             events=[last.event.id], parties={"holder": holder}, values=activity)
        for link in links[: end + 1]:
            event = link.event
            if event.action == "seized":
                break
            if event.action == "left-unattended":
                cited = _event(tally, link, "custody.left-unattended")
                tally.reason("custody.left-unattended", "skipped", cited, items=[item], events=[event.id])
            elif event.action in ("put-down", "stored", "returned"):
                kept = facts.storage(event.storage)
                if kept is not None and kept[1].attended is False and not kept[1].locked:
                    cited = _event(tally, link, "custody.put-unwatched", {"storage": kept[1].id})
                    tally.reason("custody.put-unwatched", "skipped", cited, items=[item], events=[event.id])
            holder = link.holder_after
            if (holder not in (None, UNKNOWN) and holder not in facts.weapons_staff
                    and holder not in facts.performers):
                cited = tally.cite(link.pointer, event, "custody.held-outside-staff", items=[item],
                                   events=[event.id], parties={"holder": holder})
                tally.reason("custody.held-outside-staff", "degraded", cited, items=[item], events=[event.id],
                             parties={"holder": holder})
            elif event.action == "retrieved" and event.by in facts.weapons_staff:
                source = facts.storage(event.storage)
                if source is not None and source[1].locked:
                    cited = _event(tally, link, "custody.from-locked-storage")
                    tally.reason("custody.from-locked-storage", "held", cited, items=[item], events=[event.id],
                                 parties={"by": event.by})
    return tally.finding("custody.no-facts")


def pre_use_inspection(facts: Facts, scope: Scope) -> Finding:
    """Weapon and every round checked by the weapons staff right before each hand-over, and again
    after any break.

    The level of the last check before the use sets the state (none: skipped; glance or partial:
    degraded; full: held, unless a live round was fired: failed); a last check by someone outside
    the weapons staff degrades it, and a break in custody or in the day after the weapons staff's
    last check, with no check again, means the check was skipped. A misfire or an earlier firing
    (a squib can leave a bullet in the barrel) must be followed by an inspection before the weapon is
    loaded again: none skips the layer, a glance or partial one degrades it.
    """
    record = facts.record
    tally = Tally(facts)
    live_fired = any(
        (found := facts.lot(lot_id)) is not None and found[1].kind == "live"
        for lot_id in (record.incident.ammunition_fired or () if record.incident else ())
    )
    for item in sorted(facts.weapon_ids):
        links = facts.chain(item)
        end = facts.use_position(links)
        before = links[:end]
        if not before:
            continue
        checked = [position for position, link in enumerate(before) if link.checked]
        by_staff = [position for position in checked if before[position].event.by in facts.weapons_staff]
        if not checked:
            handovers = [link for link in before if link.event.action == "handed-over"]
            if handovers:
                _event(tally, handovers[-1], "custody.handed-over-unchecked")
            continue
        last = before[checked[-1]]
        event = last.event
        level = event.verification or "unknown"
        cited = _event(tally, last, "custody.checked", {"level": level})
        about: AboutArgs = {"items": [item], "events": [event.id], "parties": {"by": event.by},
                 "values": {"level": level, "action": event.action}}
        if level in _LEVEL_STATE:
            state = _LEVEL_STATE[level]
            if state == "held" and live_fired:
                tally.reason("inspection.full-yet-live-fired", "failed", cited, **about)
            elif level == "none":
                tally.reason("inspection.none-before-use", "skipped", cited, **about)
            elif state != "held":
                tally.reason("inspection.last-check-level", state, cited, **about)
            else:
                tally.reason("inspection.full-before-use", "held", cited, **about)
        if level != "none" and event.by not in facts.weapons_staff:
            tally.reason("inspection.by-outside-staff", "degraded", cited, **about)
        _after_misfires(tally, item, before)
        if by_staff:
            staff_check = by_staff[-1]
            breaks = facts.breaks_between(links, staff_check, end)
            if breaks:
                first = before[staff_check]
                staff_cited = _event(tally, first, "custody.last-staff-check",
                                     {"level": first.event.verification or "recorded"})
                tally.evidence.extend(breaks)
                tally.reason("inspection.not-after-breaks", "skipped", staff_cited, *breaks, items=[item],
                             events=[first.event.id], counts={"breaks": len(breaks)})
    tally.add_checks(facts.checks(*scope.check_kinds()))
    return tally.finding("inspection.no-facts")


def _after_misfires(tally: Tally, item: str, before: list[Link]) -> None:
    """Reasons for each misfire or earlier firing not followed by a full inspection before the next load."""
    for position, link in enumerate(before):
        if link.event.action not in ("misfired", "fired"):
            continue
        inspection = None
        for later in before[position + 1:]:
            if later.event.action == "loaded":
                break
            if later.event.action == "inspected":
                inspection = later
                break
        cited = _event(tally, link, "custody.misfired", {"action": link.event.action})
        if inspection is None:
            tally.reason("inspection.none-after-misfire", "skipped", cited, items=[item], events=[link.event.id],
                         values={"action": link.event.action})
            continue
        level = inspection.event.verification or "unknown"
        if level in ("glance", "partial", "none"):
            checked = _event(tally, inspection, "custody.checked", {"level": level})
            tally.reason("inspection.after-misfire-level", "skipped" if level == "none" else "degraded", cited,
                         checked, items=[item], events=[link.event.id, inspection.event.id],
                         values={"level": level, "action": link.event.action})


def handoff_verification(facts: Facts, scope: Scope) -> Finding:
    """Only the weapons staff hand a weapon over; shown to the first AD and the performer; the
    performer checks it.

    The level of the check at the last hand-over to a performer sets the state (none: skipped;
    glance or partial: degraded; full: held); a hand-over by someone outside the weapons staff
    fails the layer (degrades it if the check was full), and a full check not shown to the first
    AD or safety coordinator degrades it.
    """
    tally = Tally(facts)
    for item in sorted(facts.weapon_ids):
        links = facts.chain(item)
        end = facts.use_position(links)
        handovers = [link for link in links[:end]
                     if link.event.action == "handed-over" and link.event.to in facts.performers]
        if not handovers:
            continue
        link = handovers[-1]
        event = link.event
        level = event.verification or "unknown"
        values: dict[str, Value] = {"level": level}
        if event.announcement:
            values["announcement"] = event.announcement
        if event.certainty == "disputed":
            values["disputed"] = "disputed"
        cited = _event(tally, link, "custody.handed-to-performer", values)
        about: AboutArgs = {"items": [item], "events": [event.id], "parties": {"by": event.by, "to": event.to},
                 "values": values}
        if level in _LEVEL_STATE:
            state = _LEVEL_STATE[level]
            code = "handover.verified" if level == "full" else "handover.check-level"
            tally.reason(code, state, cited, **about)
        if event.by not in facts.weapons_staff:
            tally.reason("handover.by-outside-staff", "skipped" if level in ("none", "unknown") else "degraded", cited,
                         **about)
        elif level == "full" and not (set(event.witnesses or ()) & facts.supervisors):
            tally.reason("handover.not-shown-to-supervisor", "degraded", cited, **about)
    tally.add_checks(facts.checks(*scope.check_kinds()))
    return tally.finding("handover.no-facts")


SECURE_CUSTODY = Rule(
    id="secure-custody", derive=secure_custody,
    reads="`storage` (`locked`, `attended`) and `custody` events: `left-unattended`, `put-down` in unattended "
          "storage, anyone outside the weapons staff (other than the performer) holding a weapon, a weapon kept by "
          "a performer while not in use",
    states={
        "skipped": "storage was neither locked nor attended, an item was left unattended or put where nobody "
                   "watched it and nothing locked it, or a performer kept a weapon while not in use",
        "degraded": "storage was unlocked (attendance not recorded), or someone outside the weapons staff held "
                    "an item",
        "held": "storage was locked (a lock needs no attendant) or attended, or the weapons staff took the weapon "
                "from locked storage",
        "unknown": "the record has no custody events or storage facts that show how items were kept",
    },
)
PRE_USE_INSPECTION = Rule(
    id="pre-use-inspection", derive=pre_use_inspection, check_kinds=("weapon-inspection",),
    reads="the custody chain of the event's weapon: the last check before its use (`verification`: `none`, "
          "`glance`, `partial`, `full`), who made it, and breaks since the weapons staff last checked it (the "
          "weapon set down or left, or a timeline entry of kind `break`)",
    states={
        "failed": "the last check was full, yet a live round was fired",
        "skipped": "no check before use, or none again after a break",
        "degraded": "the last check was a glance or partial, or made outside the weapons staff",
        "held": "the weapons staff checked the weapon in full right before use",
        "unknown": "the chain of custody records no check before the use",
    },
)
HANDOFF_VERIFICATION = Rule(
    id="handoff-verification", derive=handoff_verification, check_kinds=("show-clear", "performer-check"),
    reads="the last `handed-over` event to a performer: who handed it over, its `verification` and `witnesses`",
    states={
        "skipped": "the weapon was handed over with no check (by anyone), or by someone outside the weapons "
                   "staff with no check recorded",
        "degraded": "the check was a glance or partial, or the weapon was not shown to the first AD or safety "
                    "coordinator",
        "held": "the weapons staff handed the weapon over after a full check, shown to a supervisor",
        "unknown": "the record shows no hand-over to a performer, or not how it was checked",
    },
)
