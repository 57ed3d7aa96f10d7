"""What a lesson says, as data: every renderer (and the JSON format) reads these.

Text fields hold the record's and the protocol's words (analyzer prose with
people named by role); nothing here is formatted for one output.
"""

from __future__ import annotations

from typing import Any

import attrs


@attrs.frozen(kw_only=True)
class CaseInfo:
    """The case a lesson is about."""

    id: str
    title: str
    date: str
    event_kind: str
    hazards: tuple[str, ...]
    status: str
    fictional: bool
    production: str | None
    summary: str
    sources: tuple[str, ...]


@attrs.frozen(kw_only=True)
class AudienceInfo:
    """Who the lesson is written for."""

    id: str
    name: str


@attrs.frozen(kw_only=True)
class Entry:
    """A dated fact from the record, in the record's words."""

    when: str
    kind: str | None
    text: str
    sources: tuple[str, ...]
    certainty: str | None = None


@attrs.frozen(kw_only=True)
class Event:
    """The event itself: when, during what, where, what happened and how."""

    when: str
    activity: str
    place: str | None
    text: str
    mechanism: str | None
    sources: tuple[str, ...]
    certainty: str | None = None


@attrs.frozen(kw_only=True)
class Harm:
    """A person harmed, by role."""

    who: str
    severity: str
    text: str | None
    sources: tuple[str, ...]


@attrs.frozen(kw_only=True)
class CourtCase:
    """A criminal or civil case, its steps listed as facts (as the courts reached them)."""

    kind: str
    parties: tuple[str, ...]
    plaintiffs: tuple[str, ...]
    against: tuple[str, ...]
    charge: str | None
    court: str | None
    steps: tuple[Entry, ...]
    sources: tuple[str, ...]


@attrs.frozen(kw_only=True)
class WhatHappened:
    """The story: the summary, the event, what led up to it, who was hurt, what followed."""

    summary: str
    sources: tuple[str, ...]
    event: Event | None
    leading_up: tuple[Entry, ...]
    harmed: tuple[Harm, ...]
    followed: tuple[Entry, ...]
    court_cases: tuple[CourtCase, ...]


@attrs.frozen(kw_only=True)
class Cited:
    """A fact a layer's state rests on, with the record's source ids; ``code`` says what it shows
    (``setsafety.phrasing.CATALOGUE['evidence']``), for tools that match on it rather than on words."""

    pointer: str
    code: str
    summary: str
    sources: tuple[str, ...]
    certainty: str | None


@attrs.frozen(kw_only=True)
class StandardText:
    """What a reference says at a layer."""

    reference: str
    title: str
    says: str


@attrs.frozen(kw_only=True)
class LayerLesson:
    """A layer that did not hold: why, how we know, what good looks like, what to do."""

    id: str
    number: int
    name: str
    kind: str
    state: str
    meaning: str
    stopper: bool
    rationale: str
    reasons: tuple[str, ...]
    evidence: tuple[Cited, ...]
    lesson: str
    good_practice: str
    action: str | None
    questions: tuple[str, ...]
    checklist: tuple[str, ...]
    standards: tuple[StandardText, ...]


@attrs.frozen(kw_only=True)
class LayerBrief:
    """A layer that held, is unknown or does not apply: its state in a line."""

    id: str
    number: int
    name: str
    kind: str
    state: str
    meaning: str
    rationale: str


@attrs.frozen(kw_only=True)
class Group:
    """Items of one layer (checklist items, questions)."""

    layer: str
    number: int
    name: str
    items: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Side:
    """One position in a dispute."""

    id: str
    claim: str
    held_by: tuple[str, ...]
    sources: tuple[str, ...]
    followed: bool


@attrs.frozen(kw_only=True)
class DisputeInfo:
    """A fact the sources disagree on, every position shown."""

    id: str
    kind: str
    question: str
    positions: tuple[Side, ...]
    followed: str | None
    reason: str | None


@attrs.frozen(kw_only=True)
class SourceInfo:
    """A cited source: publisher, title, date."""

    id: str
    kind: str
    title: str
    publisher: str | None
    author: str | None
    date: str | None
    url: str | None
    official: bool
    in_record: bool


@attrs.frozen(kw_only=True)
class Mark:
    """One step of the custody chain of the event's weapon."""

    pointer: str
    action: str
    by: str | None
    holder: str | None
    when: str
    verification: str | None
    issues: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Issue:
    """Something wrong in the chain."""

    kind: str
    pointer: str
    summary: str
    sources: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Custody:
    """The chain of custody of one weapon of the event."""

    item: str
    marks: tuple[Mark, ...]
    issues: tuple[Issue, ...]


@attrs.frozen(kw_only=True)
class LayerState:
    """A layer's state, for the figure and the overview table."""

    id: str
    number: int
    name: str
    kind: str
    state: str
    meaning: str
    not_held: bool
    stopper: bool


@attrs.frozen(kw_only=True)
class Lesson:
    """A lesson summary of one case for one audience."""

    kind: str = "lesson"
    case: CaseInfo
    protocol: str
    protocol_name: str
    audience: AudienceInfo
    what_happened: WhatHappened
    layers: tuple[LayerState, ...]
    path: tuple[str, ...]
    stoppers: tuple[str, ...]
    layers_not_held: tuple[LayerLesson, ...]
    layers_other: tuple[LayerBrief, ...]
    custody: tuple[Custody, ...]
    questions: tuple[Group, ...]
    checklist: tuple[Group, ...]
    disputes: tuple[DisputeInfo, ...]
    sources: tuple[SourceInfo, ...]

    def to_json(self) -> dict[str, Any]:
        """The JSON form (``--format json``)."""
        data: dict[str, Any] = attrs.asdict(self)
        return data


@attrs.frozen(kw_only=True)
class PackCase:
    """One case of a pack, in brief."""

    case: CaseInfo
    layers: tuple[LayerState, ...]
    not_held: tuple[LayerState, ...]
    sources: tuple[SourceInfo, ...]


@attrs.frozen(kw_only=True)
class CaseState:
    """A layer's state in one case of a pack."""

    case: str
    title: str
    state: str


@attrs.frozen(kw_only=True)
class PackLayer:
    """A layer across the cases of a pack: how often it did not hold, and its lesson once."""

    id: str
    number: int
    name: str
    kind: str
    not_held_in: int
    cases: tuple[CaseState, ...]
    states: tuple[CaseState, ...]
    lesson: str
    good_practice: str
    action: str | None
    questions: tuple[str, ...]
    checklist: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Pack:
    """A lesson pack: several cases, the layers that fail again and again."""

    kind: str = "lesson-pack"
    protocol: str
    protocol_name: str
    audience: AudienceInfo
    cases: tuple[PackCase, ...]
    layers: tuple[PackLayer, ...]
    recurring: tuple[PackLayer, ...]
    checklist: tuple[Group, ...]

    def to_json(self) -> dict[str, Any]:
        """The JSON form (``--format json``)."""
        data: dict[str, Any] = attrs.asdict(self)
        return data
