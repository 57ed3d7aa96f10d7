"""Chains of custody: who held each item after each event, and where the chain
reaches the use in the event."""

from __future__ import annotations

from setsafety.analysis.facts import Facts
from setsafety.model import record as m
from setsafety.model.custody import RELEASES, TAKES, UNKNOWN, Link, chains
from setsafety.model.time import definitely_before

__all__ = ["RELEASES", "TAKES", "UNKNOWN", "Link", "breaks_between", "chain", "use_position"]


def chain(record: m.Record, item: str) -> list[Link]:
    """The custody events of one item, in record order, with holders."""
    return chains(record.custody).get(item, [])


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
