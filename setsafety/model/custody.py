"""Chains of custody: who holds each item after each event.

One walk along ``/custody``, shared by validation (a hand-over must start from
whoever holds the item) and the analyzers (who held the weapon when).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from setsafety.model.record import CustodyEvent

#: After these actions nobody holds the item.
RELEASES = frozenset({"put-down", "left-unattended", "returned", "stored"})
#: By these actions the actor comes to hold the item.
TAKES = frozenset({"retrieved", "received", "seized"})
#: A holder the chain does not show (no event yet, or an event that does not say who).
UNKNOWN = "?"


@attrs.frozen
class Link:
    """One custody event, with who held its item before and after it.

    ``holder_before`` and ``holder_after`` are a party id, ``None`` (nobody: the
    item was set down or stored) or ``UNKNOWN`` (the chain does not show).
    """

    index: int
    event: CustodyEvent
    holder_before: str | None
    holder_after: str | None

    @property
    def pointer(self) -> str:
        """The JSON pointer of the event in the record."""
        return f"/custody/{self.index}"

    @property
    def checked(self) -> bool:
        """Whether the event says anything about a check of the item (and its rounds)."""
        return self.event.action == "inspected" or self.event.verification not in (None, "unknown")


def links(events: Iterable[CustodyEvent] | None) -> Iterator[Link]:
    """Every custody event in record order, with its item's holder before and after it."""
    holder: dict[str, str | None] = {}
    for index, event in enumerate(events or ()):
        before = holder.get(event.item, UNKNOWN)
        if event.action == "handed-over":
            after = event.to
        elif event.action in RELEASES:
            after = None
        elif event.action in TAKES or event.by is not None:
            after = event.by
        else:
            after = before
        holder[event.item] = after
        yield Link(index, event, before, after)


def chains(events: Iterable[CustodyEvent] | None) -> dict[str, list[Link]]:
    """Each item's links, in record order, keyed by item id (in order of first appearance)."""
    found: dict[str, list[Link]] = {}
    for link in links(events):
        found.setdefault(link.event.item, []).append(link)
    return found
