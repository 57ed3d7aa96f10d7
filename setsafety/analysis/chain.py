"""Chains of custody: who held each item after each event, and where the chain
reaches the use in the event."""

from __future__ import annotations

import attrs

from setsafety.analysis.facts import Facts
from setsafety.model import record as m
from setsafety.schema.semantic import definitely_before

#: After these actions nobody holds the item.
RELEASES = frozenset({"put-down", "left-unattended", "returned", "stored"})
#: By these actions the actor comes to hold the item.
TAKES = frozenset({"retrieved", "received", "seized"})
#: A holder nobody recorded.
UNKNOWN = "?"


@attrs.frozen
class Link:
    """One custody event of an item, with the holder before and after it."""

    index: int
    event: m.CustodyEvent
    holder_before: str | None
    holder_after: str | None

    @property
    def pointer(self) -> str:
        return f"/custody/{self.index}"

    @property
    def checked(self) -> bool:
        """Whether the event says anything about a check of the weapon and rounds."""
        return self.event.action == "inspected" or self.event.verification not in (None, "unknown")


def chain(record: m.Record, item: str) -> list[Link]:
    """The custody events of one item, in record order, with holders."""
    links = []
    holder: str | None = UNKNOWN
    for index, event in enumerate(record.custody or ()):
        if event.item != item:
            continue
        before = holder
        if event.action == "handed-over":
            holder = event.to
        elif event.action in RELEASES:
            holder = None
        elif event.action in TAKES or event.by is not None:
            holder = event.by
        links.append(Link(index, event, before, holder))
    return links


def use_position(facts: Facts, links: list[Link]) -> int:
    """Where in the chain the item was used in the event: the position of the last
    ``used`` event not after the event, or the end of the chain before the event."""
    incident = facts.record.incident
    position = len(links)
    for i, link in enumerate(links):
        when = link.event.when
        if incident is not None and when is not None and definitely_before(incident.when, when):
            return min(position, i)
        if link.event.action == "seized":
            return min(position, i)
    for i in range(min(position, len(links)) - 1, -1, -1):
        if links[i].event.action == "used":
            return i
    return position


def breaks_between(facts: Facts, links: list[Link], start: int, end: int) -> list[tuple[str, str, object]]:
    """(pointer, summary, fact) for each break in custody or in the day between
    ``links[start]`` and the use at ``end``: the item set down, stored or left
    unattended, or a timeline break certainly in between."""
    found: list[tuple[str, str, object]] = []
    for link in links[start + 1:end]:
        if link.event.action in RELEASES:
            place = f" ({link.event.location})" if link.event.location else ""
            who = f" by {facts.name(link.event.by)}" if link.event.by else ""
            found.append((link.pointer, f"{link.event.action}{place}{who}", link.event))
    first = links[start].event.when
    last = links[end].event.when if end < len(links) else (
        facts.record.incident.when if facts.record.incident else None)
    for i, entry in enumerate(facts.record.timeline or ()):
        if entry.kind != "break" or first is None or last is None:
            continue
        if definitely_before(first, entry.when) and definitely_before(entry.when, last):
            found.append((f"/timeline/{i}", f"break: {entry.description}", entry))
    return found
