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
- ``single-source-established`` (warning): a fact called established rests on a
  single, unofficial source.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from setsafety.model import record as m
from setsafety.model.walk import resolve, walk
from setsafety.problems import Problem

PARTY = ("party",)
ITEM = ("weapon", "ammunition")
ANY = ("*",)

_KIND_OF_CLASS: dict[type, str] = {
    m.Party: "party", m.Weapon: "weapon", m.AmmunitionLot: "ammunition", m.Storage: "storage",
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
    m.Incident: {"items": ANY, "ammunition_fired": ("ammunition",), "handled_by": PARTY},
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
    problems.extend(_references(objects, index))
    problems.extend(_dates(record, objects))
    problems.extend(_custody(record))
    problems.extend(_disputes(record, data))
    problems.extend(_evidence(record, objects))
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


def _references(objects: Objects, index: dict[str, tuple[str, str]]) -> Iterator[Problem]:
    for pointer, obj in objects:
        if isinstance(obj, m.DisputePosition) or (
            hasattr(obj, "sources") and not isinstance(obj, m.Record)
        ):
            for i, source_id in enumerate(obj.sources):
                kind = index.get(source_id, ("", ""))[0]
                if kind != "source":
                    yield Problem(
                        pointer=f"{pointer}/sources/{i}", code="unknown-source",
                        message=f"{source_id!r} is not a source in /sources",
                    )
        for field, kinds in REFERENCES.get(type(obj), {}).items():
            value = getattr(obj, field)
            if value is None:
                continue
            targets = [(f"{pointer}/{field}", value)] if isinstance(value, str) else [
                (f"{pointer}/{field}/{i}", target) for i, target in enumerate(value)
            ]
            for where, target in targets:
                found = index.get(target)
                if found is None or (kinds != ANY and found[0] not in kinds):
                    wanted = " or ".join(_KIND_WORDS.get(kind, kind) for kind in kinds)
                    if kinds == ANY:
                        wanted = "an id in this record"
                    elif found is not None:
                        wanted += f" (it is a {found[0]} at {found[1]})"
                    yield Problem(
                        pointer=where, code="dangling-reference",
                        message=f"{target!r} is not {wanted}",
                    )


# --- dates -----------------------------------------------------------------


_PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


@lru_cache(maxsize=4096)  # a record repeats a few dates many times, and the analyzers ask again and again
def date_range(date: str) -> tuple[str, str] | None:
    """The first and last day a partial date can mean, or ``None`` if it is not a real date.

    A real date is written in ASCII digits (``int()`` alone would take ``" 2021"`` or
    ``"2021\\n"``) and falls in the years 0001 to 9999, as ``format: date`` does.
    """
    match = _PARTIAL_DATE.fullmatch(date)
    if match is None or int(match[1]) == 0:
        return None
    year = int(match[1])
    month = int(match[2]) if match[2] else None
    day = int(match[3]) if match[3] else None
    if month is None:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    if not 1 <= day <= last:
        return None
    return (date, date)


def definitely_before(a: m.When, b: m.When) -> bool:
    """Whether ``a`` is certainly earlier than ``b`` (approximate times never are)."""
    if "approximate" in (a.precision, b.precision):
        return False
    range_a, range_b = date_range(a.date), date_range(b.date)
    if range_a is None or range_b is None:
        return False
    if range_a[1] < range_b[0]:
        return True
    if range_a[0] == range_a[1] == range_b[0] == range_b[1] and a.time and b.time:
        return a.time < b.time
    return False


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
    for i, warning in enumerate(record.warnings or ()):
        if warning.when and definitely_before(incident.when, warning.when):
            yield Problem(
                pointer=f"/warnings/{i}/when", code="warning-after-event",
                message=f"the warning is dated {warning.when.date}, after the event ({incident.when.date}); "
                        "warnings are what came before",
            )
    outcome = record.outcome
    later: list[tuple[str, m.When | None]] = []
    if outcome is not None:
        later += [(f"/outcome/casualties/{i}/died", c.died) for i, c in enumerate(outcome.casualties or ())]
        if outcome.stoppage is not None:
            later += [("/outcome/stoppage/resumed", outcome.stoppage.resumed),
                      ("/outcome/stoppage/completed", outcome.stoppage.completed)]
    for pointer, when in later:
        if when is not None and definitely_before(when, incident.when):
            yield Problem(pointer=pointer, code="before-event",
                          message=f"{when.date} is before the event ({incident.when.date})")


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
    holder: dict[str, str | None] = {}  # item -> who holds it; None: nobody; absent: unknown
    for i, event in enumerate(record.custody or ()):
        pointer = f"/custody/{i}"
        known = event.item in holder
        current = holder.get(event.item)
        if event.action == "handed-over":
            if known and current is not None and event.by != current:
                yield Problem(
                    pointer=f"{pointer}/by", code="custody-continuity",
                    message=f"{event.by!r} hands the item over, but the chain shows {current!r} holding it",
                )
            elif known and current is None:
                yield Problem(
                    pointer=f"{pointer}/by", severity="warning", code="custody-gap",
                    message=f"{event.by!r} hands the item over, but the chain last shows it set down; "
                            "add the event in which they took it",
                )
            holder[event.item] = event.to
        elif event.action in _RELEASES:
            holder[event.item] = None
        elif event.action in _TAKES:
            holder[event.item] = event.by
        elif event.by is not None:
            if known and current is not None and event.by != current:
                yield Problem(
                    pointer=f"{pointer}/by", severity="warning", code="custody-gap",
                    message=f"{event.by!r} acts on the item while the chain shows {current!r} holding it; "
                            "a hand-over is missing",
                )
            holder[event.item] = event.by


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
            found, _ = resolve(data, target)
            if not found:
                yield Problem(
                    pointer=f"{pointer}/about/{j}", code="dispute-pointer",
                    message=f"{target!r} does not point at anything in this record",
                )
                continue
            _, value = resolve(data, target)
            # A dispute about a whole fact should say so on the fact; one about a single field of an
            # otherwise settled fact (who handed the gun over, in an event that surely happened) need not.
            if (dispute.kind == "dispute" and isinstance(value, dict) and "sources" in value
                    and value.get("certainty") != "disputed"):
                yield Problem(
                    pointer=target, severity="warning", code="dispute-not-marked",
                    message=f"this fact is disputed ({pointer}) but does not say \"certainty\": \"disputed\"",
                )


def _evidence(record: m.Record, objects: Objects) -> Iterator[Problem]:
    for pointer, obj in objects:
        if getattr(obj, "certainty", None) != "established" or len(obj.sources) != 1:
            continue
        source = record.source(obj.sources[0])
        if source is not None and not source.official and source.kind not in (
            "official-report", "court-record"
        ):
            yield Problem(
                pointer=f"{pointer}/certainty", severity="warning", code="single-source-established",
                message=f"called established, but rests on one unofficial source ({source.id!r}); "
                        "add a source or say \"reported\"",
            )
