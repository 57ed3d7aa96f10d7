"""What a lesson says, as data: every renderer (and the JSON format) reads these, and so does the
training kit (``setsafety.kit``).

Text fields hold the record's and the protocol's words, and sentences from the one catalogue
(``setsafety.phrasing``) with people named by the role they held at the time of the event; nothing
here is formatted for one output.

Fields marked ``metadata={"data": True}`` (through ``data()``) are for tools: ids, codes, JSON
pointers and enumerated values. A reader never sees them; each has a ``..._words`` field beside it,
or the renderers turn it into words (a source id into its citation number, ``Lesson.cite``).
Every other string field is text a reader sees as it is.

New fields are added with a default, so a tool written against an older lesson keeps working.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from functools import cache
from typing import Any

import attrs

#: The metadata of a field that holds data for tools, not words for readers.
DATA = {"data": True}


def data(**kwargs: Any) -> Any:
    """An attrs field for tools (an id, a code, a pointer, an enumerated value), not for readers."""
    return attrs.field(metadata=DATA, **kwargs)


@cache
def field_class(cls: type, name: str) -> type | None:
    """The attrs class a field of ``cls`` holds (directly, in a tuple or as an optional), if any:
    for tools that walk the JSON form with the model beside them."""
    hint = typing.get_type_hints(cls).get(name)
    stack = [hint]
    while stack:
        current = stack.pop()
        if isinstance(current, type) and attrs.has(current):
            return current
        stack.extend(typing.get_args(current))
    return None


@attrs.frozen(kw_only=True)
class CaseInfo:
    """The case a lesson is about."""

    id: str = data()
    title: str
    date: str
    event_kind: str = data()
    hazards: tuple[str, ...] = data()
    status: str = data()
    fictional: bool
    production: str | None
    summary: str
    sources: tuple[str, ...] = data()
    #: The event's kind, the hazards and the record's status in words.
    event_words: str = ""
    hazard_words: str = ""
    status_words: str = ""


@attrs.frozen(kw_only=True)
class AudienceInfo:
    """Who the lesson is written for."""

    id: str = data()
    name: str


@attrs.frozen(kw_only=True)
class Entry:
    """A dated fact from the record, in the record's words."""

    when: str
    kind: str | None = data()
    text: str
    sources: tuple[str, ...] = data()
    certainty: str | None = data(default=None)
    #: The kind of entry in words ("warning", "medical care"), and the certainty in words where the
    #: fact is not established ("" if it is).
    kind_words: str = ""
    certainty_words: str = ""
    #: Whether a dispute of the record is about this fact.
    disputed: bool = False


@attrs.frozen(kw_only=True)
class Event:
    """The event itself: when, during what, where, what happened and how."""

    when: str
    activity: str
    place: str | None
    text: str
    mechanism: str | None
    sources: tuple[str, ...] = data()
    certainty: str | None = data(default=None)
    certainty_words: str = ""
    disputed: bool = False


@attrs.frozen(kw_only=True)
class Harm:
    """A person harmed, by role."""

    who: str
    severity: str = data()
    text: str | None
    sources: tuple[str, ...] = data()
    severity_words: str = ""
    certainty: str | None = data(default=None)
    certainty_words: str = ""


@attrs.frozen(kw_only=True)
class CourtCase:
    """A criminal or civil case, its steps listed as facts (as the courts reached them)."""

    kind: str = data()
    parties: tuple[str, ...]
    plaintiffs: tuple[str, ...]
    against: tuple[str, ...]
    charge: str | None
    court: str | None
    steps: tuple[Entry, ...]
    sources: tuple[str, ...] = data()
    #: The case in one line: "Criminal case concerning the armorer", "Civil case brought by ...".
    heading: str = ""


@attrs.frozen(kw_only=True)
class WhatHappened:
    """The story: the summary, the event, what led up to it, who was hurt, what followed."""

    summary: str
    sources: tuple[str, ...] = data()
    event: Event | None
    leading_up: tuple[Entry, ...]
    harmed: tuple[Harm, ...]
    followed: tuple[Entry, ...]
    court_cases: tuple[CourtCase, ...]


@attrs.frozen(kw_only=True)
class Cited:
    """A fact a layer's state rests on, with the record's source ids; ``code`` says what it shows
    (``setsafety.phrasing.CATALOGUE['evidence']``), for tools that match on it rather than on words."""

    pointer: str = data()
    code: str = data()
    summary: str
    sources: tuple[str, ...] = data()
    certainty: str | None = data()
    certainty_words: str = ""
    disputed: bool = False
    #: The name of the earlier layer whose evidence already gave this line ("" if none).
    also_under: str = ""


@attrs.frozen(kw_only=True)
class StandardText:
    """What a reference says at a layer."""

    reference: str = data()
    title: str
    says: str
    publisher: str | None = None


@attrs.frozen(kw_only=True)
class FindingLayer:
    """What an official finding says of one layer, and whether the analysis agrees."""

    layer: str = data()
    name: str
    verdict: str = data()
    state: str | None = data()
    #: ``agrees``, ``disagrees`` or ``cannot-tell``.
    agreement: str = data()
    #: The finding's verdict, the derived state and the agreement in words.
    verdict_words: str
    state_words: str
    agreement_words: str
    #: The finding this row comes from: who found it, and what, in the record's words.
    body: str = ""
    text: str = ""
    sources: tuple[str, ...] = data(default=())
    #: The finding's number in ``Lesson.findings`` (1, 2, ...).
    finding: int = 0


@attrs.frozen(kw_only=True)
class OfficialFinding:
    """A finding of an investigation, a regulator or a court, in the record's words, with the layers
    it speaks to."""

    id: str = data()
    investigation: str = data()
    body: str
    official: bool
    date: str | None
    text: str
    layers: tuple[FindingLayer, ...]
    sources: tuple[str, ...] = data()
    certainty: str | None = data(default=None)
    certainty_words: str = ""
    #: Its number (1, 2, ...), by which the layers' sections refer to it.
    number: int = 0
    #: The names of the layers it speaks to, in a phrase ("" if none).
    layers_words: str = ""


@attrs.frozen(kw_only=True)
class LayerLesson:
    """A layer that did not hold: why, how we know, what good looks like, what to do."""

    id: str = data()
    number: int
    name: str
    kind: str = data()
    state: str = data()
    meaning: str
    stopper: bool
    rationale: str
    reasons: tuple[str, ...] = data()
    evidence: tuple[Cited, ...]
    lesson: str
    good_practice: str
    action: str | None
    questions: tuple[str, ...]
    checklist: tuple[str, ...]
    standards: tuple[StandardText, ...]
    state_words: str = ""
    kind_words: str = ""
    #: What official findings say of this layer, and whether the analysis agrees.
    findings: tuple[FindingLayer, ...] = ()


@attrs.frozen(kw_only=True)
class LayerBrief:
    """A layer that held, is unknown or does not apply: its state in a line."""

    id: str = data()
    number: int
    name: str
    kind: str = data()
    state: str = data()
    meaning: str
    rationale: str
    state_words: str = ""
    kind_words: str = ""
    standards: tuple[StandardText, ...] = ()
    findings: tuple[FindingLayer, ...] = ()


@attrs.frozen(kw_only=True)
class Group:
    """Items of one layer (checklist items, questions)."""

    layer: str = data()
    number: int
    name: str
    items: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Question:
    """A question for discussion built from what the analysis found in this case, with the answer a
    facilitator needs (from the record's facts and the protocol's good practice)."""

    layer: str = data()
    layer_name: str
    code: str = data()
    text: str
    answer: str
    #: The facts the answer rests on (what the cited facts show, in words) and their sources.
    facts: tuple[str, ...] = ()
    sources: tuple[str, ...] = data(default=())


@attrs.frozen(kw_only=True)
class ChecklistLayer:
    """One layer of the full checklist: its items for this audience."""

    layer: str = data()
    number: int
    name: str
    state: str = data()
    state_words: str
    #: Whether the audience's roles own this layer (then ``items`` are the protocol's checklist;
    #: otherwise the audience's own part in it).
    own: bool
    owners: str
    items: tuple[str, ...]


@attrs.frozen(kw_only=True)
class ChecklistSection:
    """A part of the working day, with the layers to check in it and lines to sign."""

    phase: str = data()
    title: str
    layers: tuple[ChecklistLayer, ...]
    #: The sign-off lines' labels ("Checked by (name)", "Role", "Date").
    sign_off: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Side:
    """One position in a dispute."""

    id: str = data()
    claim: str
    held_by: tuple[str, ...]
    sources: tuple[str, ...] = data()
    followed: bool


@attrs.frozen(kw_only=True)
class DisputeInfo:
    """A fact the sources disagree on, every position shown."""

    id: str = data()
    kind: str = data()
    question: str
    positions: tuple[Side, ...]
    followed: str | None = data()
    reason: str | None
    kind_words: str = ""
    #: What the record follows, in words ("The record follows the position marked *.", ...).
    followed_words: str = ""


@attrs.frozen(kw_only=True)
class SourceInfo:
    """A cited source: publisher, title, date; ``number`` is how the lesson cites it ([1], [2])."""

    id: str = data()
    kind: str = data()
    title: str
    publisher: str | None
    author: str | None
    date: str | None
    url: str | None = data()
    official: bool
    in_record: bool
    number: int = 0
    #: The source in one line for a reader: publisher, author, title, date, kind.
    line: str = ""


@attrs.frozen(kw_only=True)
class Mark:
    """One step of the custody chain of the event's weapon."""

    pointer: str = data()
    action: str = data()
    by: str | None
    holder: str | None
    when: str
    verification: str | None = data()
    issues: tuple[str, ...] = data()
    action_words: str = ""
    check_words: str = ""
    issue_words: tuple[str, ...] = ()
    certainty: str | None = data(default=None)
    certainty_words: str = ""
    disputed: bool = False
    #: The step in one sentence, for a reader ("Loaded by the armorer, with a glance").
    text: str = ""


@attrs.frozen(kw_only=True)
class Issue:
    """Something wrong in the chain."""

    kind: str = data()
    pointer: str = data()
    summary: str
    sources: tuple[str, ...] = data()
    kind_words: str = ""


@attrs.frozen(kw_only=True)
class Custody:
    """The chain of custody of one weapon of the event."""

    item: str = data()
    marks: tuple[Mark, ...]
    issues: tuple[Issue, ...]
    #: The weapon in words ("the weapon used in the event"), and the heading for its chain.
    item_words: str = ""
    heading: str = ""
    #: Problems the analysis found that no single step shows (storage left unattended or unlocked).
    storage: tuple[Issue, ...] = ()


@attrs.frozen(kw_only=True)
class LayerState:
    """A layer's state, for the figure and the overview table."""

    id: str = data()
    number: int
    name: str
    kind: str = data()
    state: str = data()
    meaning: str
    not_held: bool
    stopper: bool
    state_words: str = ""
    kind_words: str = ""
    #: The short label of its slice in the figure ("held", "failed", "n/a").
    short: str = ""


@attrs.frozen(kw_only=True)
class Lesson:
    """A lesson summary of one case for one audience."""

    kind: str = data(default="lesson")
    case: CaseInfo
    protocol: str = data()
    protocol_name: str
    audience: AudienceInfo
    what_happened: WhatHappened
    layers: tuple[LayerState, ...]
    path: tuple[str, ...] = data()
    stoppers: tuple[str, ...] = data()
    layers_not_held: tuple[LayerLesson, ...]
    layers_other: tuple[LayerBrief, ...]
    custody: tuple[Custody, ...]
    questions: tuple[Group, ...]
    checklist: tuple[Group, ...]
    disputes: tuple[DisputeInfo, ...]
    sources: tuple[SourceInfo, ...]
    #: How the lesson names people, said once at the top.
    naming_note: str = ""
    #: What the certainty words after a fact mean.
    certainty_note: str = ""
    #: The path and the layers that would have stopped it, in sentences.
    path_words: str = ""
    stoppers_words: str = ""
    #: The caption of the layers figure (what its order means).
    figure_caption: str = ""
    #: What investigators, regulators and courts found, and the analysis's agreement, layer by layer.
    findings: tuple[OfficialFinding, ...] = ()
    findings_note: str = ""
    #: Questions built from this case's findings, each with an answer for the facilitator.
    discussion: tuple[Question, ...] = ()
    #: Every layer of the protocol, in the order of the working day, for this audience, with sign-off lines.
    full_checklist: tuple[ChecklistSection, ...] = ()

    def cite(self, sources: Iterable[str]) -> tuple[int, ...]:
        """The citation numbers of source ids (as ``sources`` numbers them), in order, without repeats."""
        return _cite(self.sources, sources)

    def to_json(self) -> dict[str, Any]:
        """The JSON form (``--format json``)."""
        data: dict[str, Any] = attrs.asdict(self)
        return data


def _cite(listed: Iterable[SourceInfo], sources: Iterable[str]) -> tuple[int, ...]:
    numbers = {source.id: source.number for source in listed}
    return tuple(sorted({numbers[source] for source in sources if source in numbers}))


@attrs.frozen(kw_only=True)
class PackCase:
    """One case of a pack, in brief; its sources are numbered across the whole pack."""

    case: CaseInfo
    layers: tuple[LayerState, ...]
    not_held: tuple[LayerState, ...]
    sources: tuple[SourceInfo, ...]
    protocol: str = data(default="")
    protocol_name: str = ""


@attrs.frozen(kw_only=True)
class CaseState:
    """A layer's state in one case of a pack."""

    case: str = data()
    title: str
    state: str = data()
    state_words: str = ""


@attrs.frozen(kw_only=True)
class PackLayer:
    """A layer across the cases of a pack: how often it did not hold, and its lesson once."""

    id: str = data()
    number: int
    name: str
    kind: str = data()
    not_held_in: int
    cases: tuple[CaseState, ...]
    states: tuple[CaseState, ...]
    lesson: str
    good_practice: str
    action: str | None
    questions: tuple[str, ...]
    checklist: tuple[str, ...]
    protocol: str = data(default="")
    #: Cases of this layer's protocol, and those of them whose records have the facts to tell
    #: (not ``unknown``, not ``not-applicable``); ``unknown`` never counts as held.
    of_cases: int = 0
    with_facts: int = 0
    held_in: int = 0
    #: "did not hold in 2 of 3 cases with the facts to tell; 1 case lacks the facts".
    count_words: str = ""
    standards: tuple[StandardText, ...] = ()


@attrs.frozen(kw_only=True)
class PackProtocol:
    """The layers of one protocol across the cases of a pack that fall under it."""

    id: str = data()
    name: str
    cases: tuple[str, ...] = data()
    case_titles: tuple[str, ...]
    layers: tuple[PackLayer, ...]


@attrs.frozen(kw_only=True)
class Pack:
    """A lesson pack: several cases, the layers that fail again and again."""

    kind: str = data(default="lesson-pack")
    protocol: str = data()
    protocol_name: str
    audience: AudienceInfo
    cases: tuple[PackCase, ...]
    layers: tuple[PackLayer, ...]
    recurring: tuple[PackLayer, ...]
    checklist: tuple[Group, ...]
    #: The cases grouped by the protocol they fall under (one entry when they share one).
    protocols: tuple[PackProtocol, ...] = ()
    naming_note: str = ""
    #: What "n of m cases with the facts to tell" means.
    count_note: str = ""

    def to_json(self) -> dict[str, Any]:
        """The JSON form (``--format json``)."""
        data: dict[str, Any] = attrs.asdict(self)
        return data
