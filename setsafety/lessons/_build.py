"""From a record, its analysis and a protocol to the data of a lesson or a pack."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from setsafety.analysis import NOT_HELD, Analysis, is_not_held
from setsafety.errors import SetsafetyError
from setsafety.lessons._model import (
    AudienceInfo,
    CaseInfo,
    CaseState,
    Cited,
    CourtCase,
    Custody,
    DisputeInfo,
    Entry,
    Event,
    Group,
    Harm,
    Issue,
    LayerBrief,
    LayerLesson,
    LayerState,
    Lesson,
    Mark,
    Pack,
    PackCase,
    PackLayer,
    Side,
    SourceInfo,
    StandardText,
    WhatHappened,
)
from setsafety.lessons._people import People
from setsafety.lessons._text import clean, humanize
from setsafety.model import Layer, Protocol, Record
from setsafety.model import record as m
from setsafety.model.time import date_range

#: What each state means, in the words of the design (section 3).
MEANINGS = {
    "held": "in place, and it worked",
    "degraded": "done, but only partly or badly",
    "failed": "done, and it did not stop the hazard",
    "skipped": "required, and not done",
    "absent": "never provided for at all",
    "not-applicable": "does not apply to this event",
    "unknown": "the record lacks the facts to tell",
}


class LessonError(SetsafetyError, ValueError):
    """A lesson cannot be written as asked (an unknown audience, mismatched inputs)."""


def when_text(when: m.When | None) -> str:
    """A time as the record gives it: ``2021-10-21 (after the lunch break)``."""
    if when is None:
        return "date not recorded"
    if when.date is None:
        return clean(when.label) if when.label else "date not recorded"
    text = when.date + (f" {when.time}" if when.time else "")
    if when.precision == "approximate":
        text = f"about {text}"
    if when.label:
        text += f" ({clean(when.label)})"
    return text


def audience_info(protocol: Protocol, audience: str) -> AudienceInfo:
    """The protocol's audience with this id, or a ``LessonError`` naming the choices."""
    for candidate in protocol.audiences:
        if candidate.id == audience:
            return AudienceInfo(id=candidate.id, name=candidate.name)
    known = ", ".join(candidate.id for candidate in protocol.audiences)
    raise LessonError(f"unknown audience {audience!r} for the protocol {protocol.id!r}; choose one of: {known}")


def case_info(record: Record) -> CaseInfo:
    """The case in brief."""
    case = record.case
    return CaseInfo(
        id=record.id, title=case.title, date=case.date, event_kind=case.event_kind,
        hazards=case.hazards, status=case.status, fictional=bool(case.fictional),
        production=record.production.title if record.production else None,
        summary=case.summary, sources=case.sources,
    )


def _entry(when: m.When | None, kind: str | None, text: str, sources: tuple[str, ...],
           certainty: str | None) -> Entry:
    return Entry(when=when_text(when), kind=kind, text=text, sources=sources, certainty=certainty)


def _after_event(record: Record, when: m.When) -> bool:
    """Whether a time certainly starts after the day of the event."""
    if record.incident is None:
        return False
    event = date_range(record.incident.when.date)
    span = date_range(when.date)
    return event is not None and span is not None and span[0] > event[1]


def what_happened(record: Record, people: People) -> WhatHappened:
    """The story in the record's words: timeline up to the event's day, the event,
    who was hurt, what followed, and the court cases as listed facts."""
    incident = record.incident
    event = None
    if incident is not None:
        event = Event(when=when_text(incident.when), activity=humanize(incident.activity), place=incident.location,
                      text=incident.description, mechanism=incident.mechanism, sources=incident.sources,
                      certainty=incident.certainty)
    leading_up: list[Entry] = []
    followed: list[Entry] = []
    for item in record.timeline or ():
        entry = _entry(item.when, item.kind, item.description, item.sources, item.certainty)
        (followed if _after_event(record, item.when) else leading_up).append(entry)
    harmed = tuple(
        Harm(who=people.label(casualty.party), severity=casualty.severity, text=casualty.description,
             sources=casualty.sources)
        for casualty in (record.outcome.casualties or () if record.outcome else ())
    )
    court_cases = tuple(
        CourtCase(
            kind=case.kind, parties=people.labels(case.parties), plaintiffs=people.labels(case.plaintiffs),
            against=people.labels(party for party in case.parties if party not in (case.plaintiffs or ())),
            charge=case.charge, court=case.court, sources=case.sources,
            steps=tuple(_entry(step.when, humanize(step.kind), step.detail or "", step.sources, step.certainty)
                        for step in case.steps),
        )
        for case in (record.aftermath.legal_cases or () if record.aftermath else ())
    )
    return WhatHappened(
        summary=record.case.summary, sources=record.case.sources, event=event, leading_up=tuple(leading_up),
        harmed=harmed, followed=tuple(followed), court_cases=court_cases,
    )


def layer_states(analysis: Analysis) -> tuple[LayerState, ...]:
    """Every layer's state, numbered in protocol order."""
    stoppers = set(analysis.stoppers)
    return tuple(
        LayerState(id=layer.id, number=number, name=layer.name, kind=layer.kind, state=layer.state,
                   meaning=MEANINGS.get(layer.state, ""), not_held=is_not_held(layer.state),
                   stopper=layer.id in stoppers)
        for number, layer in enumerate(analysis.layers, start=1)
    )


def _standards(protocol: Protocol, layer: Layer) -> tuple[StandardText, ...]:
    titles = {reference.id: reference.title for reference in protocol.references or ()}
    return tuple(StandardText(reference=standard.reference, title=titles.get(standard.reference, standard.reference),
                              says=standard.says) for standard in layer.standards)


def custody(record: Record, analysis: Analysis, people: People) -> tuple[Custody, ...]:
    """The custody chains of the event's weapons, with their issues."""
    weapons = [weapon.id for weapon in record.weapons or ()]
    named = [item for item in (record.incident.items or () if record.incident else ()) if item in weapons]
    wanted = named or weapons
    events = record.custody or ()
    found = []
    for report in analysis.custody:
        if report.item not in wanted:
            continue
        by_pointer: dict[str, list[str]] = {}
        for issue in report.issues:
            by_pointer.setdefault(issue.pointer, []).append(issue.kind)
        marks = []
        for step in report.chain:
            index = int(step.pointer.rsplit("/", 1)[-1])
            when = events[index].when if index < len(events) else None
            marks.append(Mark(
                pointer=step.pointer, action=step.action,
                by=people.label(step.by) if step.by else None,
                holder=people.label(step.holder_after) if step.holder_after else None,
                when=when_text(when), verification=step.verification,
                issues=tuple(dict.fromkeys(by_pointer.get(step.pointer, ()))),
            ))
        issues = tuple(Issue(kind=issue.kind, pointer=issue.pointer, summary=people.neutral(issue.summary),
                             sources=issue.sources) for issue in report.issues)
        found.append(Custody(item=report.item, marks=tuple(marks), issues=issues))
    return tuple(found)


def disputes(record: Record, people: People) -> tuple[DisputeInfo, ...]:
    """Every dispute and source conflict, each position with who holds it."""
    return tuple(
        DisputeInfo(
            id=dispute.id, kind=dispute.kind, question=dispute.question, followed=dispute.followed,
            reason=dispute.reason,
            positions=tuple(Side(id=side.id, claim=side.claim, held_by=people.labels(side.held_by),
                                 sources=side.sources, followed=side.id == dispute.followed)
                            for side in dispute.positions),
        )
        for dispute in record.disputes or ()
    )


def sources(record: Record, cited: Iterable[str]) -> tuple[SourceInfo, ...]:
    """The cited sources, in the record's order (ids the record lacks at the end)."""
    wanted = dict.fromkeys(cited)
    found = [
        SourceInfo(id=source.id, kind=source.kind, title=source.title, publisher=source.publisher,
                   author=source.author, date=source.date, url=source.url, official=bool(source.official),
                   in_record=True)
        for source in record.sources if source.id in wanted
    ]
    known = {source.id for source in record.sources}
    found += [SourceInfo(id=source_id, kind="unknown", title="", publisher=None, author=None, date=None,
                         url=None, official=False, in_record=False)
              for source_id in wanted if source_id not in known]
    return tuple(found)


def _cited(story: WhatHappened, layers: Sequence[LayerLesson], chains: Sequence[Custody],
           sides: Sequence[DisputeInfo]) -> list[str]:
    ids: list[str] = list(story.sources)
    ids += story.event.sources if story.event else ()
    entries = [*story.leading_up, *story.followed]
    entries += [step for case in story.court_cases for step in case.steps]
    ids += [source for entry in entries for source in entry.sources]
    ids += [source for harm in story.harmed for source in harm.sources]
    ids += [source for layer in layers for item in layer.evidence for source in item.sources]
    ids += [source for chain in chains for issue in chain.issues for source in issue.sources]
    ids += [source for dispute in sides for side in dispute.positions for source in side.sources]
    return ids


def build_lesson(record: Record, analysis: Analysis, protocol: Protocol, audience: str) -> Lesson:
    """The data of a lesson summary of one case for one audience."""
    if analysis.case != record.id:
        raise LessonError(f"the analysis is of {analysis.case!r}, the record is {record.id!r}")
    if analysis.protocol != protocol.id:
        raise LessonError(f"the analysis used the protocol {analysis.protocol!r}, not {protocol.id!r}")
    who = audience_info(protocol, audience)
    people = People(record)
    states = layer_states(analysis)
    not_held: list[LayerLesson] = []
    other: list[LayerBrief] = []
    for state, result in zip(states, analysis.layers, strict=True):
        layer = protocol.layer(result.id)
        if layer is None:
            raise LessonError(f"the protocol {protocol.id!r} has no layer {result.id!r}")
        rationale = people.neutral(result.rationale)
        if not state.not_held:
            other.append(LayerBrief(id=state.id, number=state.number, name=state.name, kind=state.kind,
                                    state=state.state, meaning=state.meaning, rationale=rationale))
            continue
        seen: set[tuple[str, str]] = set()
        evidence = []
        for item in result.evidence:
            if (item.pointer, item.summary) in seen:
                continue
            seen.add((item.pointer, item.summary))
            evidence.append(Cited(pointer=item.pointer, summary=people.neutral(item.summary),
                                  sources=item.sources, certainty=item.certainty))
        not_held.append(LayerLesson(
            id=state.id, number=state.number, name=state.name, kind=state.kind, state=state.state,
            meaning=state.meaning, stopper=state.stopper, rationale=rationale, evidence=tuple(evidence),
            lesson=layer.lesson, good_practice=layer.good_practice, action=layer.actions.get(audience),
            questions=layer.questions, checklist=layer.checklist, standards=_standards(protocol, layer),
        ))
    story = what_happened(record, people)
    chains = custody(record, analysis, people)
    sides = disputes(record, people)
    return Lesson(
        case=case_info(record), protocol=protocol.id, protocol_name=protocol.name, audience=who,
        what_happened=story, layers=states, path=analysis.path, stoppers=analysis.stoppers,
        layers_not_held=tuple(not_held), layers_other=tuple(other), custody=chains,
        questions=tuple(Group(layer=layer.id, number=layer.number, name=layer.name, items=layer.questions)
                        for layer in not_held),
        checklist=tuple(Group(layer=layer.id, number=layer.number, name=layer.name, items=layer.checklist)
                        for layer in not_held),
        disputes=sides, sources=sources(record, _cited(story, not_held, chains, sides)),
    )


def build_pack(cases: Sequence[tuple[Record, Analysis]], protocol: Protocol, audience: str) -> Pack:
    """The data of a lesson pack: for each layer, in how many cases it did not hold, then its lesson once."""
    if not cases:
        raise LessonError("a lesson pack needs at least one case")
    who = audience_info(protocol, audience)
    seen_ids: set[str] = set()
    briefs = []
    for record, analysis in cases:
        if analysis.protocol != protocol.id:
            raise LessonError(f"{record.id}: analysed under {analysis.protocol!r}, not {protocol.id!r}")
        if record.id in seen_ids:
            raise LessonError(f"{record.id}: the case is given twice")
        seen_ids.add(record.id)
        states = layer_states(analysis)
        briefs.append(PackCase(case=case_info(record), layers=states,
                               not_held=tuple(state for state in states if state.not_held),
                               sources=sources(record, record.case.sources)))
    layers = []
    for number, layer in enumerate(protocol.ordered_layers(), start=1):
        per_case = []
        for brief in briefs:
            state = next((s.state for s in brief.layers if s.id == layer.id), "unknown")
            per_case.append(CaseState(case=brief.case.id, title=brief.case.title, state=state))
        failing = tuple(item for item in per_case if item.state in NOT_HELD)
        layers.append(PackLayer(
            id=layer.id, number=number, name=layer.name, kind=layer.kind, not_held_in=len(failing),
            cases=failing, states=tuple(per_case), lesson=layer.lesson, good_practice=layer.good_practice,
            action=layer.actions.get(audience), questions=layer.questions, checklist=layer.checklist,
        ))
    recurring = tuple(sorted((layer for layer in layers if layer.not_held_in),
                             key=lambda layer: (-layer.not_held_in, layer.number)))
    return Pack(
        protocol=protocol.id, protocol_name=protocol.name, audience=who, cases=tuple(briefs),
        layers=tuple(layers), recurring=recurring,
        checklist=tuple(Group(layer=layer.id, number=layer.number, name=layer.name, items=layer.checklist)
                        for layer in recurring),
    )
