"""A record seen from the rules' side: who is who, what the event involved, each item's chain of
custody up to its use, and evidence built from facts with their JSON pointers."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING

import attrs

from setsafety.model import record as m
from setsafety.model.custody import RELEASES, Link, chains
from setsafety.model.time import date_range, day_of, definitely_before, not_after
from setsafety.rules.findings import AboutArgs, Evidence

if TYPE_CHECKING:
    from typing_extensions import Unpack

#: Roles whose holders are qualified to have custody of weapons.
WEAPONS_ROLES = frozenset({"armorer", "assistant-armorer", "property-master"})
#: Roles that handle a weapon in front of the camera.
PERFORMER_ROLES = frozenset({"actor", "stunt-performer", "child-performer"})
#: Roles that supervise the set's safety alongside the weapons staff.
SUPERVISOR_ROLES = frozenset({"first-ad", "safety-coordinator"})


@attrs.frozen
class Scope:
    """What a rule applies to, from the protocol layer that names it: the check kinds,
    the staff roles and the qualification subject (``None``: the rule's own default),
    and the hazards of the protocol."""

    hazards: frozenset[str]
    checks: tuple[str, ...] | None = None
    staff_roles: frozenset[str] | None = None
    subject: str | None = None
    subjects: frozenset[str] | None = None
    equipment: frozenset[str] | None = None
    #: The roles of the action's own subjects, who may be in its path when the work needs them there.
    in_path_roles: frozenset[str] = frozenset()

    def counts_subject(self, subject: str | None, default: str | None = None) -> bool:
        """Whether a qualification or experience in ``subject`` counts for the layer: the layer's
        ``subject`` or ``subjects``, else the rule's ``default``, else any subject."""
        wanted = set(self.subjects or ()) | ({self.subject} if self.subject else set())
        if not wanted and default:
            wanted = {default}
        return not wanted or subject in wanted or subject is None

    def check_kinds(self, *default: str) -> tuple[str, ...]:
        """The layer's check kinds, or the rule's default ones."""
        return self.checks if self.checks is not None else default

    def concerns(self, covers: Iterable[str] | None) -> bool:
        """Whether a check that ``covers`` these hazards speaks to the protocol's (no list: yes)."""
        return not covers or bool(self.hazards & set(covers))


@attrs.define
class Facts:
    """Indexes over a record for the rules; built once per analysis."""

    record: m.Record

    # --- people ----------------------------------------------------------

    def with_roles(self, roles: Iterable[str]) -> list[tuple[int, m.Party]]:
        """(index, party) for the parties holding any of the roles at the time of the event (a role
        taken on later, or left before, does not count)."""
        wanted = set(roles)
        return [
            (i, party) for i, party in enumerate(self.record.people or ())
            if any(role.role in wanted for role in party.roles_at_event())
        ]

    def present(self, party_id: str) -> bool | None:
        """Whether a party was on set at the time of the event, by its ``presence`` facts: the last one
        not after the event (one with no time speaks of the event itself); ``None`` if none says."""
        party = self.record.party(party_id)
        event = self.record.incident.when if self.record.incident is not None else None
        found: bool | None = None
        for presence in party.presence or () if party is not None else ():
            if presence.when is None or not_after(presence.when, event):
                found = presence.present
        return found

    def equipment(self, kinds: Iterable[str]) -> list[tuple[int, m.Equipment]]:
        """(index, item) for the equipment of these kinds: those the incident names, if it names any
        of these kinds, else all of them."""
        wanted = set(kinds)
        found = [(i, item) for i, item in enumerate(self.record.equipment or ()) if item.kind in wanted]
        named = set(self.record.incident.items or ()) if self.record.incident is not None else set()
        involved = [(i, item) for i, item in found if item.id in named]
        return involved or found

    @cached_property
    def harmed(self) -> bool:
        """Whether anyone was hurt in the event (a casualty of any severity but none)."""
        outcome = self.record.outcome
        return any(casualty.severity != "none" for casualty in (outcome.casualties or () if outcome else ()))

    @cached_property
    def weapons_staff(self) -> frozenset[str]:
        """Ids of the people in a weapons role."""
        return frozenset(party.id for _, party in self.with_roles(WEAPONS_ROLES))

    @cached_property
    def performers(self) -> frozenset[str]:
        """Ids of performers, and of whoever handled the weapon in the event."""
        ids = {party.id for _, party in self.with_roles(PERFORMER_ROLES)}
        if self.record.incident is not None:
            ids.update(self.record.incident.handled_by or ())
        return frozenset(ids - self.weapons_staff)

    @cached_property
    def supervisors(self) -> frozenset[str]:
        """Ids of the first AD and safety coordinator."""
        return frozenset(party.id for _, party in self.with_roles(SUPERVISOR_ROLES))

    # --- the event ----------------------------------------------------------

    @cached_property
    def weapon_ids(self) -> frozenset[str]:
        """The weapons of the event: those the incident names, else every weapon."""
        weapons = {weapon.id for weapon in self.record.weapons or ()}
        incident = self.record.incident
        if incident is not None and incident.items:
            named = weapons & set(incident.items)
            if named:
                return frozenset(named)
        return frozenset(weapons)

    def lot(self, lot_id: str) -> tuple[int, m.AmmunitionLot] | None:
        """(index, lot) for an ammunition lot id."""
        for i, lot in enumerate(self.record.ammunition or ()):
            if lot.id == lot_id:
                return i, lot
        return None

    def storage(self, storage_id: str | None) -> tuple[int, m.Storage] | None:
        """(index, storage) for a storage id."""
        for i, place in enumerate(self.record.storage or ()):
            if place.id == storage_id:
                return i, place
        return None

    def layer_checks(self, scope: Scope) -> list[tuple[int, m.Check]]:
        """(index, check) for the checks of the layer's kinds that cover the protocol's hazards (a check
        that names no hazards counts)."""
        return [(i, check) for i, check in self.checks(*scope.check_kinds()) if scope.concerns(check.covers)]

    def none_found(self, scope: Scope) -> tuple[str, AboutArgs]:
        """What to say when the layer has no checks: that the record has none of its kinds, or that
        those it has cover other hazards (a rehearsal of the gunplay does not speak for the stunt)."""
        elsewhere = [check for _, check in self.checks(*scope.check_kinds()) if not scope.concerns(check.covers)]
        if elsewhere:
            return "checks.other-hazards", {"checks": [check.id for check in elsewhere], "values": {
                "kinds": scope.check_kinds(), "hazards": tuple(sorted(scope.hazards)),
                "covers": tuple(sorted({hazard for check in elsewhere for hazard in check.covers or ()}))}}
        return "checks.none-recorded", {"values": {"kinds": scope.check_kinds()}}

    def checks(self, *kinds: str, same_day: bool = False) -> list[tuple[int, m.Check]]:
        """(index, check) for the checks of these kinds.

        With ``same_day``, a one-off check dated on another day than the event is
        left out: it does not speak for the event's day. Recurring checks
        (``frequency``) and undated ones are kept.
        """
        found = []
        for i, check in enumerate(self.record.checks or ()):
            if check.kind not in kinds:
                continue
            if same_day and check.when is not None and check.frequency is None and self.event_day:
                span = date_range(check.when.date)
                if span is not None and not span[0] <= self.event_day <= span[1]:
                    continue
            found.append((i, check))
        return found

    @cached_property
    def event_day(self) -> str | None:
        """The day of the event, if known to the day."""
        incident = self.record.incident
        return day_of(incident.when) if incident is not None else None

    def before_event(self, when: m.When | None) -> bool:
        """Whether a time is certainly not after the event."""
        incident = self.record.incident
        if when is None or incident is None:
            return True
        return not definitely_before(incident.when, when)

    # --- custody -------------------------------------------------------------

    @cached_property
    def _chains(self) -> dict[str, list[Link]]:
        return chains(self.record.custody)

    def chain_links(self) -> list[Link]:
        """Every custody event in record order, with its item's holders."""
        return [link for chain in self._chains.values() for link in chain]

    def chain(self, item: str) -> list[Link]:
        """The custody events of one item, in record order, with holders."""
        return self._chains.get(item, [])

    def use_position(self, links: list[Link]) -> int:
        """Where in the chain the item was used in the event: the position of the last
        ``used`` event not after the event, or the end of the chain before the event."""
        incident = self.record.incident
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

    def breaks_between(self, links: list[Link], start: int, end: int) -> list[Evidence]:
        """Evidence of each break in custody or in the day between ``links[start]`` and the use at
        ``end``: the item set down, stored or left unattended, or a timeline break certainly in
        between."""
        found: list[Evidence] = []
        for link in links[start + 1:end]:
            event = link.event
            if event.action in RELEASES:
                found.append(self.evidence(
                    link.pointer, event, "custody.released", items=[event.item], events=[event.id],
                    parties={"by": event.by} if event.by else {},
                    values={"action": event.action, **({"place": event.location} if event.location else {}),
                            **({"date": event.when.date} if event.when and event.when.date else {})},
                ))
        first = links[start].event.when
        last = links[end].event.when if end < len(links) else (
            self.record.incident.when if self.record.incident else None)
        for i, entry in enumerate(self.record.timeline or ()):
            if entry.kind != "break" or first is None or last is None:
                continue
            if definitely_before(first, entry.when) and definitely_before(entry.when, last):
                found.append(self.evidence(f"/timeline/{i}", entry, "timeline.break",
                                           events=[entry.id] if entry.id else [],
                                           values={"text": entry.description}))
        return found

    # --- evidence -----------------------------------------------------------

    def evidence(self, pointer: str, fact: m.Fact, code: str, **about: Unpack[AboutArgs]) -> Evidence:
        """Evidence for the fact at ``pointer``: what it shows (``code`` and what it concerns),
        its sources and certainty, and the fact itself."""
        return Evidence(
            pointer=pointer, code=code, sources=fact.sources, certainty=fact.certainty, fact=fact,
            parties={part: party for part, party in about.get("parties", {}).items() if party is not None},
            items=about.get("items", ()), events=about.get("events", ()), checks=about.get("checks", ()),
            counts=dict(about.get("counts", {})), values=dict(about.get("values", {})),
        )
