"""Semantic rules: what a record must satisfy beyond its JSON Schema.

They run on a record that has passed the schema and been loaded into the
model. Each rule yields ``Problem``s that point at the offending field:

- ``duplicate-id``: ids are unique across the whole record (one id space).
- ``dangling-reference``: every id a field refers to exists, and is of the kind
  that field expects (a custody ``by`` names a person or organisation).
- ``unknown-source``: every fact cites sources that exist in ``/sources``.
- ``invalid-date``: dates are real calendar dates.
- ``custody-order``, ``timeline-order``, ``date-order``: lists that are in time
  order by definition are, where their dates can be compared.
- ``warning-after-event``, ``before-event``: warnings come before the event;
  deaths, care and resumption do not.
- ``custody-continuity`` (error): a hand-over starts from whoever held the item.
  ``custody-gap`` (warning): someone acts on an item the chain does not show
  them holding.
- ``dispute-position``, ``dispute-pointer``: a dispute follows one of its own
  positions and points at facts that exist; ``dispute-not-marked`` (warning):
  a dispute about a whole fact whose ``certainty`` is not ``disputed`` (a
  dispute about one field of a fact does not ask for it).
- ``established-unofficial`` (warning): a fact called established cites no official or
  primary record (a regulator's or court's document, even read through a report of it, or
  the production's own record); one credible report makes a fact ``reported``.
- ``field-certainty``: ``field_certainty`` names only fields of its own object.
- ``headcount``: only a group has a headcount or members.
- ``relative-conflict``: a moment with both a date and ``relative`` says the same thing twice
  and must agree with the event's date.
- ``role-timing`` (warning): a role's ``since`` or ``until`` date contradicts its ``timing``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from setsafety.model import record as m
from setsafety.model.custody import UNKNOWN, links
from setsafety.model.time import date_range, relation_to_event
from setsafety.model.walk import JSON_NAMES, resolve, walk
from setsafety.problems import Problem

PARTY = ("party",)
ITEM = ("weapon", "ammunition", "equipment")
ANY = ("*",)

_KIND_OF_CLASS: dict[type, str] = {
    m.Party: "party", m.Weapon: "weapon", m.AmmunitionLot: "ammunition", m.Equipment: "equipment",
    m.Storage: "storage",
    m.CustodyEvent: "custody event", m.Check: "check", m.PriorWarning: "warning",
    m.Condition: "condition", m.TimelineEntry: "timeline entry",
    m.Investigation: "investigation", m.Finding: "finding",
    m.RegulatoryAction: "regulatory action", m.LegalCase: "legal case", m.Change: "change",
    m.Dispute: "dispute", m.DisputePosition: "dispute position", m.Source: "source",
}

#: Which fields hold ids, and what kinds of object they may name.
REFERENCES: dict[type, dict[str, tuple[str, ...]]] = {
    m.Production: {"companies": PARTY},
    m.Origin: {"supplier": PARTY},
    m.Party: {"members": PARTY},
    m.Made: {"by": PARTY},
    m.ItemCondition: {"event": ("custody event",)},
    m.Equipment: {"operated_by": PARTY, "users": PARTY, "declined_by": PARTY},
    m.Storage: {"items": ITEM},
    m.CustodyEvent: {
        "item": ITEM, "by": PARTY, "to": PARTY, "witnesses": PARTY,
        "storage": ("storage",), "ammunition": ("ammunition",),
    },
    m.Check: {"by": PARTY, "participants": PARTY, "items": ITEM},
    m.PriorWarning: {"raised_by": PARTY, "raised_to": PARTY, "about": ANY},
    m.Response: {"by": PARTY},
    m.Condition: {"about": ANY},
    m.TimelineEntry: {"refs": ANY},
    m.Position: {"party": PARTY},
    m.Incident: {"items": ITEM, "ammunition_fired": ("ammunition",), "handled_by": PARTY},
    m.Casualty: {"party": PARTY},
    m.Care: {"people": PARTY},
    m.Investigation: {"body": PARTY},
    m.RegulatoryAction: {"issuer": PARTY, "against": PARTY, "investigation": ("investigation",)},
    m.LegalCase: {"parties": PARTY, "plaintiffs": PARTY},
    m.DisputePosition: {"held_by": PARTY},
}

_KIND_WORDS = {
    "party": "a person or organisation in /people",
    "weapon": "a weapon in /weapons",
    "ammunition": "an ammunition lot in /ammunition",
    "equipment": "a piece of equipment in /equipment",
    "custody event": "a custody event in /custody",
    "storage": "a storage place in /storage",
    "investigation": "an investigation in /aftermath/investigations",
}

#: Custody actions after which nobody holds the item.
_RELEASES = {"put-down", "left-unattended", "returned", "stored"}
#: Custody actions by which the actor comes to hold the item.
_TAKES = {"retrieved", "received", "seized"}


def semantic_problems(record: m.Record, data: Any) -> list[Problem]:
    """Every semantic problem of a schema-valid record (``data`` is its JSON form)."""
    objects = list(walk(record))  # walked once, for every rule that looks at all objects
    index, problems = _index(objects)
    problems.extend(_references(objects, index, record.schema_version))
    problems.extend(_dates(record, objects))
    problems.extend(_custody(record))
    problems.extend(_disputes(record, data))
    problems.extend(_evidence(record, objects))
    problems.extend(_shapes(record, objects))
    return problems


Objects = list[tuple[str, Any]]


def _index(objects: Objects) -> tuple[dict[str, tuple[str, str]], list[Problem]]:
    """Every id in the record: id -> (kind, pointer); duplicates as problems."""
    index: dict[str, tuple[str, str]] = {}
    problems = []
    for pointer, obj in objects:
        kind = _KIND_OF_CLASS.get(type(obj))
        if kind is None:
            continue
        first = index.get(obj.id)
        if first is not None:
            problems.append(Problem(
                pointer=f"{pointer}/id", code="duplicate-id",
                message=f"the id {obj.id!r} is already used at {first[1]}; ids must be unique in the record",
            ))
        else:
            index[obj.id] = (kind, pointer)
    return index, problems


#: What a reference could name in an older record format, where it differs from today.
_LEGACY: dict[str, dict[tuple[type, str], tuple[str, ...]]] = {
    "1.0": {(m.Incident, "items"): ANY},  # 1.0 had no equipment, so it let items name anything
}


def _references(objects: Objects, index: dict[str, tuple[str, str]], version: str) -> Iterator[Problem]:
    legacy = _LEGACY.get(version, {})
    named = _ids_naming(index)
    sources = named(("source",))
    # Per class: whether it cites sources, and each reference field with the kinds it may name and their ids.
    plans: dict[type, tuple[bool, tuple[tuple[str, tuple[str, ...], set[str]], ...]]] = {}
    for pointer, obj in objects:
        cls = type(obj)
        plan = plans.get(cls)
        if plan is None:
            fields = [(field, legacy.get((cls, field), kinds)) for field, kinds in REFERENCES.get(cls, {}).items()]
            plan = plans[cls] = (_cites(cls), tuple((field, kinds, named(kinds)) for field, kinds in fields))
        cites, references = plan
        if cites and not sources.issuperset(obj.sources):
            for i, source_id in enumerate(obj.sources):
                if source_id not in sources:
                    yield Problem(
                        pointer=f"{pointer}/sources/{i}", code="unknown-source",
                        message=f"{source_id!r} is not a source in /sources",
                    )
        for field, kinds, allowed in references:
            value = getattr(obj, field)
            if value is None:
                continue
            if isinstance(value, str):
                if value not in allowed:
                    yield _dangling(f"{pointer}/{field}", value, index.get(value), kinds)
            elif not allowed.issuperset(value):  # the pointer is written only for a reference that is wrong
                for i, target in enumerate(value):
                    if target not in allowed:
                        yield _dangling(f"{pointer}/{field}/{i}", target, index.get(target), kinds)


def _ids_naming(index: dict[str, tuple[str, str]]) -> Callable[[tuple[str, ...]], set[str]]:
    """For the kinds a field may name, the ids it may name (made once per kinds): one set lookup a reference."""
    by_kind: dict[str, set[str]] = {}
    for object_id, (kind, _) in index.items():
        by_kind.setdefault(kind, set()).add(object_id)
    made: dict[tuple[str, ...], set[str]] = {}

    def named(kinds: tuple[str, ...]) -> set[str]:
        try:
            return made[kinds]
        except KeyError:
            found = made[kinds] = set(index) if kinds == ANY else set().union(*(by_kind.get(k, ()) for k in kinds))
            return found

    return named


#: Per class: whether its ``sources`` must name sources (every fact's, and a dispute position's).
_CITING: dict[type, bool] = {}


def _cites(cls: type) -> bool:
    try:
        return _CITING[cls]
    except KeyError:
        found = _CITING[cls] = issubclass(cls, m.DisputePosition) or (
            attrs.has(cls) and "sources" in attrs.fields_dict(cls) and not issubclass(cls, m.Record))
        return found


def _dangling(where: str, target: str, found: tuple[str, str] | None, kinds: tuple[str, ...]) -> Problem:
    wanted = " or ".join(_KIND_WORDS.get(kind, kind) for kind in kinds)
    if kinds == ANY:
        wanted = "an id in this record"
    elif found is not None:
        wanted += f" (it is a {found[0]} at {found[1]})"
    return Problem(pointer=where, code="dangling-reference", message=f"{target!r} is not {wanted}")


# --- dates -----------------------------------------------------------------


def _dates(record: m.Record, objects: Objects) -> Iterator[Problem]:
    for pointer, obj in objects:
        date = getattr(obj, "date", None) if isinstance(obj, (m.When, m.Case, m.Source)) else None
        if date is not None and date_range(date) is None:
            yield Problem(pointer=f"{pointer}/date", code="invalid-date",
                          message=f"{date!r} is not a real calendar date")
    yield from _in_order(record.timeline, "/timeline", "timeline-order", "timeline entries")
    yield from _in_order(record.custody, "/custody", "custody-order", "custody events",
                         group=lambda event: event.item)
    aftermath = record.aftermath or m.Aftermath()
    stepped: list[tuple[str, int, tuple[m.Step, ...]]] = [
        ("regulatory_actions", i, action.steps) for i, action in enumerate(aftermath.regulatory_actions or ())
    ] + [("legal_cases", i, case.steps) for i, case in enumerate(aftermath.legal_cases or ())]
    for name, i, steps in stepped:
        yield from _in_order(steps, f"/aftermath/{name}/{i}/steps", "date-order", "steps")
    incident = record.incident
    if incident is None:
        return
    yield from _relative(objects, incident.when)
    for i, warning in enumerate(record.warnings or ()):
        if warning.when and relation_to_event(warning.when, incident.when) == "after":
            yield Problem(
                pointer=f"/warnings/{i}/when", code="warning-after-event",
                message=f"the warning is dated {warning.when.date or warning.when.relative}, after the event "
                        f"({incident.when.date or 'undated'}); warnings are what came before",
            )
    outcome = record.outcome
    later: list[tuple[str, m.When | None]] = []
    if outcome is not None:
        later += [(f"/outcome/casualties/{i}/died", c.died) for i, c in enumerate(outcome.casualties or ())]
        if outcome.stoppage is not None:
            later += [("/outcome/stoppage/resumed", outcome.stoppage.resumed),
                      ("/outcome/stoppage/completed", outcome.stoppage.completed)]
    for pointer, when in later:
        if when is not None and relation_to_event(when, incident.when) == "before":
            yield Problem(pointer=pointer, code="before-event",
                          message=f"{when.date or when.relative} is before the event "
                                  f"({incident.when.date or 'undated'})")


def _relative(objects: Objects, event: m.When) -> Iterator[Problem]:
    """A dated moment that also says where it stands relative to the event must agree with the event."""
    for pointer, obj in objects:
        if not isinstance(obj, m.When) or obj.relative is None or obj.date is None or obj is event:
            continue
        dated = relation_to_event(attrs.evolve(obj, relative=None), event)
        said = {"before-event": "before", "after-event": "after"}.get(obj.relative)
        same_day = obj.relative == "day-of-event"
        if (said is not None and dated not in (said, "unknown")) or (same_day and dated != "unknown"):
            yield Problem(pointer=f"{pointer}/relative", code="relative-conflict",
                          message=f"{obj.relative!r} disagrees with the date {obj.date} "
                                  f"(the event: {event.date or 'undated'})")


def _in_order(
    entries: Any, pointer: str, code: str, what: str, group: Callable[[Any], Any] | None = None,
) -> Iterator[Problem]:
    """Problems for entries whose ``when`` is certainly earlier than an entry before them
    (in the same ``group``, if given), each naming the first such entry.

    An entry is certainly earlier than an earlier-listed one when its last possible
    day is before that one's first possible day, or when both are on the same single
    day and its time is earlier (``definitely_before``). So it is enough to keep, for
    the entries seen so far, the running maximum of their first days, and per single
    day the running maximum of their times: the first entry that breaks the order is
    found by bisection, and the whole list is checked in O(n log n), not O(n²).
    """
    firsts: dict[Any, tuple[list[str], list[int]]] = {}  # group -> (running max of first days, indexes)
    times: dict[tuple[Any, str], tuple[list[str], list[int]]] = {}  # (group, day) -> (running max of times, ...)
    for i, entry in enumerate(entries or ()):
        when = entry.when
        if when is None or when.precision == "approximate":
            continue  # never certainly before or after anything
        span = date_range(when.date)
        if span is None:
            continue
        key = group(entry) if group is not None else None
        later = []
        days, day_indexes = firsts.setdefault(key, ([], []))
        at = bisect_right(days, span[1])
        if at < len(days):
            later.append(day_indexes[at])
        timed = span[0] == span[1] and bool(when.time)
        if timed:
            clock, clock_indexes = times.setdefault((key, span[0]), ([], []))
            at = bisect_right(clock, when.time)
            if at < len(clock):
                later.append(clock_indexes[at])
        if later:
            yield Problem(
                pointer=f"{pointer}/{i}/when", code=code,
                message=f"{what} are in time order, but this one ({when.date}"
                        f"{' ' + when.time if when.time else ''}) comes after "
                        f"{pointer}/{min(later)}, which is later",
            )
        days.append(max(days[-1], span[0]) if days else span[0])
        day_indexes.append(i)
        if timed:
            clock.append(max(clock[-1], when.time) if clock else when.time)
            clock_indexes.append(i)


# --- custody ---------------------------------------------------------------


def _custody(record: m.Record) -> Iterator[Problem]:
    """Follow each item's holder along its custody events."""
    for link in links(record.custody):
        event, current = link.event, link.holder_before
        pointer = link.pointer
        if event.action == "handed-over":
            if current not in (None, UNKNOWN) and event.by != current:
                yield Problem(
                    pointer=f"{pointer}/by", code="custody-continuity",
                    message=f"{event.by!r} hands the item over, but the chain shows {current!r} holding it",
                )
            elif current is None:
                yield Problem(
                    pointer=f"{pointer}/by", severity="warning", code="custody-gap",
                    message=f"{event.by!r} hands the item over, but the chain last shows it set down; "
                            "add the event in which they took it",
                )
        elif event.action not in ("put-down", "left-unattended", "returned", "stored", "retrieved", "received",
                                  "seized") and event.by is not None and current not in (None, UNKNOWN) \
                and event.by != current:
            yield Problem(
                pointer=f"{pointer}/by", severity="warning", code="custody-gap",
                message=f"{event.by!r} acts on the item while the chain shows {current!r} holding it; "
                        "a hand-over is missing",
            )


# --- disputes and evidence -------------------------------------------------


def _disputes(record: m.Record, data: Any) -> Iterator[Problem]:
    for i, dispute in enumerate(record.disputes or ()):
        pointer = f"/disputes/{i}"
        ids = [position.id for position in dispute.positions]
        if dispute.followed is not None and dispute.followed not in ids:
            yield Problem(
                pointer=f"{pointer}/followed", code="dispute-position",
                message=f"{dispute.followed!r} is not one of this dispute's positions ({', '.join(ids)})",
            )
        for j, target in enumerate(dispute.about):
            found, value = resolve(data, target)
            if not found:
                yield Problem(
                    pointer=f"{pointer}/about/{j}", code="dispute-pointer",
                    message=f"{target!r} does not point at anything in this record",
                )
                continue
            # A dispute about a whole fact should say so on the fact; one about a single field of an
            # otherwise settled fact (who handed the gun over, in an event that surely happened) need not.
            if (dispute.kind == "dispute" and isinstance(value, dict) and "sources" in value
                    and value.get("certainty") != "disputed"):
                yield Problem(
                    pointer=target, severity="warning", code="dispute-not-marked",
                    message=f"this fact is disputed ({pointer}) but does not say \"certainty\": \"disputed\"",
                )


def _evidence(record: m.Record, objects: Objects) -> Iterator[Problem]:
    primary = {source.id for source in record.sources if source.is_official or source.kind == "production-record"}
    for pointer, obj in objects:
        if getattr(obj, "certainty", None) != "established" or primary.intersection(obj.sources):
            continue
        cited = ", ".join(repr(source_id) for source_id in obj.sources)
        yield Problem(
            pointer=f"{pointer}/certainty", severity="warning", code="established-unofficial",
            message=f"called established, but none of its sources ({cited}) is an official or primary record; "
                    "cite one (with \"official\": true and \"via\" when read through a report of it) "
                    "or say \"reported\"",
        )


# --- shapes the schema cannot express ---------------------------------------


def _shapes(record: m.Record, objects: Objects) -> Iterator[Problem]:
    """``field_certainty`` names fields of its own object; only groups have a headcount or members;
    a role's dates agree with its timing."""
    event = record.incident.when if record.incident is not None else None
    for pointer, obj in objects:
        if isinstance(obj, m.Fact) and obj.field_certainty:
            names = {JSON_NAMES.get(field.name, field.name) for field in attrs.fields(type(obj))}
            for key in obj.field_certainty:
                if key not in names or key in ("sources", "certainty", "note", "field_certainty"):
                    yield Problem(pointer=f"{pointer}/field_certainty/{key}", code="field-certainty",
                                  message=f"{key!r} is not a field of this {_KIND_OF_CLASS.get(type(obj), 'fact')}")
                elif getattr(obj, key) is None:
                    yield Problem(pointer=f"{pointer}/field_certainty/{key}", code="field-certainty",
                                  message=f"{key!r} is not given here, so it has no certainty of its own")
        if isinstance(obj, m.Party) and obj.kind != "group":
            for field in ("headcount", "headcount_precision", "members"):
                if getattr(obj, field) is not None:
                    yield Problem(pointer=f"{pointer}/{field}", code="headcount",
                                  message=f"only a group has {field!r}; this party is a {obj.kind}")
        if isinstance(obj, m.Role) and event is not None:
            timing = obj.timing or "at-event"
            since = relation_to_event(obj.since, event) if obj.since else "unknown"
            until = relation_to_event(obj.until, event) if obj.until else "unknown"
            if (timing == "at-event" and (since == "after" or until == "before")) or (
                    timing == "after-event" and until == "before") or (timing == "before-event" and since == "after"):
                yield Problem(pointer=f"{pointer}/timing", severity="warning", code="role-timing",
                              message=f"the role is {timing!r}, but its dates put it "
                                      f"{'after' if since == 'after' else 'before'} the event")
