"""A record seen from the analyzers' side: who is who, what the event involved,
and evidence built from facts together with their JSON pointers."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any

import attrs

from setsafety.analysis.results import SEVERITY, Evidence, State
from setsafety.model import record as m
from setsafety.model.time import date_range, definitely_before

#: Roles whose holders are qualified to have custody of weapons.
WEAPONS_ROLES = frozenset({"armorer", "assistant-armorer", "property-master"})
#: Roles that handle a weapon in front of the camera.
PERFORMER_ROLES = frozenset({"actor", "stunt-performer", "child-performer"})
#: Roles that supervise the set's safety alongside the weapons staff.
SUPERVISOR_ROLES = frozenset({"first-ad", "safety-coordinator"})
#: Roles that can sit next to a weapons role without taking time from it.
COMPATIBLE_WITH_WEAPONS = WEAPONS_ROLES


@attrs.frozen
class Scope:
    """What a rule applies to, from the protocol layer that names it: the check kinds,
    the staff roles and the qualification subject (``None``: the rule's own default),
    and the hazards of the protocol."""

    hazards: frozenset[str]
    checks: tuple[str, ...] | None = None
    staff_roles: frozenset[str] | None = None
    subject: str | None = None

    def check_kinds(self, *default: str) -> tuple[str, ...]:
        """The layer's check kinds, or the rule's default ones."""
        return self.checks if self.checks is not None else default

    def concerns(self, covers: Iterable[str] | None) -> bool:
        """Whether a check that ``covers`` these hazards speaks to the protocol's (no list: yes)."""
        return not covers or bool(self.hazards & set(covers))



@attrs.frozen
class Verdict:
    """What a rule found: a state, why, and the evidence."""

    state: State
    rationale: str
    evidence: tuple[Evidence, ...] = ()


@attrs.define
class Facts:
    """Indexes over a record for the rules; built once per analysis."""

    record: m.Record

    # --- people ----------------------------------------------------------

    def name(self, party_id: str | None) -> str:
        """A party's name, or its id for an anonymous record."""
        if party_id is None:
            return "nobody"
        party = self.record.party(party_id)
        return (party.name if party and party.name else party_id)

    def names(self, party_ids: Iterable[str] | None) -> str:
        """Names joined for a sentence."""
        return ", ".join(self.name(party_id) for party_id in party_ids or ()) or "nobody recorded"

    def with_roles(self, roles: Iterable[str]) -> list[tuple[int, m.Party]]:
        """(index, party) for the parties holding any of the roles."""
        wanted = set(roles)
        return [
            (i, party) for i, party in enumerate(self.record.people or ())
            if any(role.role in wanted for role in party.roles or ())
        ]

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

    def is_weapon_of_event(self, item: str) -> bool:
        """Whether a custody item is a weapon of the event (or any weapon, if none is named)."""
        return item in self.weapon_ids

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
        if incident is None:
            return None
        span = date_range(incident.when.date)
        return span[0] if span and span[0] == span[1] else None

    def before_event(self, when: m.When | None) -> bool:
        """Whether a time is certainly not after the event."""
        incident = self.record.incident
        if when is None or incident is None:
            return True
        return not definitely_before(incident.when, when)

    # --- evidence -----------------------------------------------------------

    def evidence(self, pointer: str, fact: Any, summary: str) -> Evidence:
        """Evidence for the fact at ``pointer``, citing its sources."""
        sources = tuple(getattr(fact, "sources", ()) or ())
        return Evidence(pointer=pointer, summary=summary, sources=sources,
                        certainty=getattr(fact, "certainty", None))


@attrs.define
class Tally:
    """What a rule has found so far: states, evidence and clauses of the rationale."""

    states: list[State] = attrs.Factory(list)
    evidence: list[Evidence] = attrs.Factory(list)
    said: list[str] = attrs.Factory(list)

    def add_checks(self, facts: Facts, checks: list[tuple[int, m.Check]], what: str) -> None:
        """Count these checks in (see ``checks_verdict``), if there are any."""
        if checks:
            state, evidence, said = checks_verdict(facts, checks, what)
            self.states.append(state)
            self.evidence.extend(evidence)
            self.said.extend(said)

    def verdict(self, unknown: str, fallback: str) -> Verdict:
        """The worst state found, or ``unknown`` (saying ``unknown``) when nothing was."""
        if not self.states:
            return Verdict("unknown", unknown, tuple(self.evidence))
        return Verdict(worst(self.states), sentence(self.said) or fallback, tuple(self.evidence))


def worst(states: Iterable[State]) -> State:
    """The most serious of several states (``unknown`` if there are none)."""
    found = list(states)
    if not found:
        return "unknown"
    return min(found, key=SEVERITY.index)


def checks_verdict(
    facts: Facts, checks: list[tuple[int, m.Check]], what: str,
) -> tuple[State, list[Evidence], list[str]]:
    """The common reading of checks: done -> held, partial -> degraded,
    not-done or cancelled -> skipped, some done and some not -> degraded."""
    evidence = []
    done = partial = missing = 0
    said = []
    for i, check in checks:
        summary = f"{check.kind} {check.status}" + (f": {check.description}" if check.description else "")
        evidence.append(facts.evidence(f"/checks/{i}", check, _short(summary)))
        if check.status == "done":
            done += 1
        elif check.status == "partial":
            partial += 1
        elif check.status in ("not-done", "cancelled"):
            missing += 1
    if missing and not done and not partial:
        state: State = "skipped"
        said.append(f"{what} required or planned but not done ({missing})")
    elif missing or partial:
        state = "degraded"
        said.append(f"{what} done only in part ({done} done, {partial} partial, {missing} not done)")
    elif done:
        state = "held"
        said.append(f"{what} done ({done})")
    else:
        state = "unknown"
    return state, evidence, said


def _short(text: str, limit: int = 200) -> str:
    """Text on one line, cut at a word boundary if it is longer than ``limit``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")].rstrip(",;:")
    return cut + "…"


short = _short


def sentence(parts: list[str]) -> str:
    """Clauses joined into one sentence."""
    text = "; ".join(dict.fromkeys(part for part in parts if part))
    if not text:
        return ""
    first = text.split(" ", 1)[0]
    if first.isalpha() and first.islower():  # a word, not an id such as 'armorer-a'
        text = text[:1].upper() + text[1:]
    return text + "."
