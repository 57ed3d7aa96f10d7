"""From a record, its analysis and a protocol to the data of a lesson or a pack.

Every sentence the lesson writes in its own words comes from the one catalogue
(``setsafety.phrasing.CATALOGUE``, ``WORDS``) or the protocol's data; record text is
quoted as its authors wrote it, never rewritten. People are named by the role they held
at the time of the event (``setsafety.phrasing.Roles``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import TypeVar

import attrs

from setsafety.analysis import NOT_HELD, Analysis, is_not_held
from setsafety.errors import SetsafetyError
from setsafety.lessons._model import (
    AudienceInfo,
    CaseInfo,
    CaseState,
    ChecklistLayer,
    ChecklistSection,
    Cited,
    CourtCase,
    Custody,
    DisputeInfo,
    Entry,
    Event,
    FindingLayer,
    Group,
    Harm,
    Issue,
    LayerBrief,
    LayerLesson,
    LayerState,
    Lesson,
    Mark,
    OfficialFinding,
    Pack,
    PackCase,
    PackLayer,
    PackProtocol,
    Question,
    Side,
    SourceInfo,
    StandardText,
    WhatHappened,
)
from setsafety.lessons._people import People
from setsafety.lessons._text import humanize, join_words
from setsafety.model import Layer, Protocol, Record
from setsafety.model import record as m
from setsafety.model.time import after_day_of
from setsafety.phrasing import CATALOGUE, STATES, WORDS, Phrasing, template_parts, when_text
from setsafety.rules.findings import Evidence, Reason

#: The lesson's own sentences and labels.
SAY = CATALOGUE["lesson"]
#: The order of the working day, for the full checklist.
PHASES = ("before-the-shoot", "start-of-day", "during-the-work", "after-the-work")


class LessonError(SetsafetyError, ValueError):
    """A lesson cannot be written as asked (an unknown audience, mismatched inputs)."""


def word(table: str, value: str | None) -> str:
    """An enumerated value in words, from a ``WORDS`` table (the value with hyphens as spaces if the
    table lacks it)."""
    if value is None:
        return ""
    return WORDS.get(table, {}).get(value) or humanize(value)


def certainty_words(value: str | None) -> str:
    """The certainty of a fact in words; "" for an established fact or none given."""
    return WORDS["certainty"].get(value, "") if value else ""


def state_words(state: str | None) -> str:
    """A layer's state in words ("held", "not applicable")."""
    return STATES[state].short if state == "held" else humanize(state or "unknown")


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
        event_words=word("event", case.event_kind), hazard_words=join_words(humanize(h) for h in case.hazards),
        status_words=word("status", case.status),
    )


class Disputed:
    """Which facts of the record a dispute is about (by JSON pointer), or that say they are disputed."""

    def __init__(self, record: Record) -> None:
        self._about = {pointer for dispute in record.disputes or () for pointer in dispute.about}

    def __call__(self, pointer: str, fact: m.Fact | None = None) -> bool:
        """Whether the fact at ``pointer`` (or one of its fields) is disputed."""
        if fact is not None and (fact.certainty == "disputed"
                                 or "disputed" in (fact.field_certainty or {}).values()):
            return True
        return any(about == pointer or about.startswith(pointer + "/") for about in self._about)


def _certainty(fact: m.Fact, disputed: bool) -> tuple[str | None, str]:
    """The certainty of a fact and its words (a fact with a disputed field says "disputed")."""
    value = fact.certainty
    if disputed and value != "disputed":
        return "disputed", certainty_words("disputed")
    return value, certainty_words(value)


def _entry(when: m.When | None, kind: str | None, text: str, fact: m.Fact, disputed: bool) -> Entry:
    certainty, words = _certainty(fact, disputed)
    return Entry(when=when_text(when), kind=kind, text=text, sources=fact.sources, certainty=certainty,
                 kind_words=humanize(kind) if kind else "", certainty_words=words, disputed=disputed)


def _court_heading(kind: str, plaintiffs: tuple[str, ...], against: tuple[str, ...], parties: tuple[str, ...],
                   charge: str | None, court: str | None) -> str:
    court_words = CATALOGUE["court"]
    if plaintiffs:
        text = court_words["civil-brought"].format(kind=humanize(kind).capitalize(), plaintiffs=join_words(plaintiffs),
                                                    against=join_words(against))
    else:
        text = court_words["concerning"].format(kind=humanize(kind).capitalize(), parties=join_words(parties))
    if charge:
        text += court_words["claim" if kind == "civil" else "charge"].format(charge=charge)
    if court:
        text += court_words["court"].format(court=court)
    return text


def what_happened(record: Record, people: People, disputed: Disputed) -> WhatHappened:
    """The story in the record's words: timeline up to the event's day, the event,
    who was hurt, what followed, and the court cases as listed facts."""
    incident = record.incident
    event = None
    if incident is not None:
        is_disputed = disputed("/incident", incident)
        certainty, words = _certainty(incident, is_disputed)
        event = Event(when=when_text(incident.when), activity=word("activity", incident.activity),
                      place=incident.location, text=incident.description, mechanism=incident.mechanism,
                      sources=incident.sources, certainty=certainty, certainty_words=words, disputed=is_disputed)
    leading_up: list[Entry] = []
    followed: list[Entry] = []
    for i, item in enumerate(record.timeline or ()):
        entry = _entry(item.when, item.kind, item.description, item, disputed(f"/timeline/{i}", item))
        (followed if after_day_of(item.when, incident.when if incident else None) else leading_up).append(entry)
    harmed = []
    for i, casualty in enumerate(record.outcome.casualties or () if record.outcome else ()):
        certainty, words = _certainty(casualty, disputed(f"/outcome/casualties/{i}", casualty))
        harmed.append(Harm(who=people.label(casualty.party), severity=casualty.severity,
                           severity_words=word("severity", casualty.severity), text=casualty.description,
                           sources=casualty.sources, certainty=certainty, certainty_words=words))
    court_cases = []
    for i, case in enumerate(record.aftermath.legal_cases or () if record.aftermath else ()):
        plaintiffs = people.labels(case.plaintiffs)
        against = people.labels(party for party in case.parties if party not in (case.plaintiffs or ()))
        parties = people.labels(case.parties)
        court_cases.append(CourtCase(
            kind=case.kind, parties=parties, plaintiffs=plaintiffs, against=against,
            charge=case.charge, court=case.court, sources=case.sources,
            heading=_court_heading(case.kind, plaintiffs, against, parties, case.charge, case.court),
            steps=tuple(_entry(step.when, step.kind, step.detail or "", step,
                               disputed(f"/aftermath/legal_cases/{i}/steps/{j}", step))
                        for j, step in enumerate(case.steps)),
        ))
    return WhatHappened(
        summary=record.case.summary, sources=record.case.sources, event=event, leading_up=tuple(leading_up),
        harmed=tuple(harmed), followed=tuple(followed), court_cases=tuple(court_cases),
    )


def layer_states(analysis: Analysis) -> tuple[LayerState, ...]:
    """Every layer's state, numbered in protocol order."""
    stoppers = set(analysis.stoppers)
    return tuple(
        LayerState(id=layer.id, number=number, name=layer.name, kind=layer.kind, state=layer.state,
                   meaning=STATES[layer.state].meaning, not_held=is_not_held(layer.state),
                   stopper=layer.id in stoppers, state_words=state_words(layer.state),
                   kind_words=word("layer-kind", layer.kind), short=STATES[layer.state].short)
        for number, layer in enumerate(analysis.layers, start=1)
    )


def standards(protocol: Protocol, layer: Layer) -> tuple[StandardText, ...]:
    """What each reference the layer rests on says at it."""
    references = {reference.id: reference for reference in protocol.references or ()}
    found = []
    for standard in layer.standards:
        reference = references.get(standard.reference)
        found.append(StandardText(reference=standard.reference,
                                  title=reference.title if reference else humanize(standard.reference),
                                  publisher=reference.publisher if reference else None, says=standard.says))
    return tuple(found)


_Layered = TypeVar("_Layered", LayerLesson, LayerBrief)


def _standards_once(not_held: list[LayerLesson], other: list[LayerBrief],
                    ) -> tuple[list[LayerLesson], list[LayerBrief]]:
    """The layers with a provision that an earlier layer (in the order the lesson shows them: those that
    did not hold, then the others) already quoted said once: later, it points back to that layer."""
    first: dict[tuple[str, str], str] = {}

    def once(layer: _Layered) -> _Layered:
        said = []
        for standard in layer.standards:
            key = (standard.reference, standard.says)
            if key in first:
                standard = attrs.evolve(standard, says=SAY["standard-again"].format(layer=first[key]))
            else:
                first[key] = layer.name
            said.append(standard)
        return attrs.evolve(layer, standards=tuple(said))

    return [once(layer) for layer in not_held], [once(layer) for layer in other]


def _agreement(verdict: str, state: str | None) -> tuple[str, str]:
    """Whether the analysis agrees with a finding's verdict on a layer, and the sentence that says so."""
    if state is None:
        return "cannot-tell", SAY["cannot-tell-no-layer"]
    if state in ("unknown", "not-applicable"):
        return "cannot-tell", SAY[f"cannot-tell-{state}"]
    if verdict not in ("deficient", "adequate"):
        return "cannot-tell", SAY["cannot-tell-verdict"].format(state=state_words(state))
    agrees = is_not_held(state) if verdict == "deficient" else state == "held"  # type: ignore[arg-type]
    key = "agrees" if agrees else "disagrees"
    return key, SAY[key].format(state=state_words(state))


def official_findings(record: Record, analysis: Analysis, people: People) -> tuple[OfficialFinding, ...]:
    """Every finding of the record's investigations, with the analysis's agreement on each layer it names."""
    states = {layer.id: layer.state for layer in analysis.layers}
    names = {layer.id: layer.name for layer in analysis.layers}
    found: list[OfficialFinding] = []
    for investigation in record.aftermath.investigations or () if record.aftermath else ():
        body = people.party(investigation.body)
        if investigation.official is False:
            body = f"{body} ({SAY['finding-unofficial']})"
        for finding in investigation.findings or ():
            number = len(found) + 1
            verdict = finding.verdict or "not-determined"
            rows = []
            for layer_id in finding.layers or ():
                state = states.get(layer_id)
                agreement, words = _agreement(verdict, state)
                name = names.get(layer_id, humanize(layer_id))
                rows.append(FindingLayer(
                    layer=layer_id, name=name, verdict=verdict, state=state,
                    agreement=agreement, verdict_words=SAY["finding-verdict"].format(
                        number=number, body=body, layer=name, verdict=word("verdict", verdict)),
                    state_words=state_words(state) if state else "", agreement_words=words, body=body,
                    text=finding.text, sources=finding.sources, finding=number,
                ))
            layers_words = SAY["finding-layers"].format(layers=join_words(row.name for row in rows)) if rows \
                else SAY["finding-no-layer"]
            found.append(OfficialFinding(
                id=finding.id, investigation=investigation.id, body=body, official=investigation.official is not False,
                date=when_text(investigation.reported, nested=True) if investigation.reported else None,
                text=finding.text,
                layers=tuple(rows), sources=finding.sources, certainty=finding.certainty,
                certainty_words=certainty_words(finding.certainty), number=number, layers_words=layers_words,
            ))
    return tuple(found)


def _mark_text(action: str, by: str | None, holder: str | None, check: str) -> str:
    parts = {"action": word("custody-action", action), "by": by, "holder": holder, "check": check}
    out = []
    for optional, piece in template_parts(SAY["custody-step"]):
        try:
            out.append(piece.format(**{key: value for key, value in parts.items() if value}))
        except KeyError:
            if not optional:
                raise
    text = "".join(out)
    return text[:1].upper() + text[1:]


def custody(record: Record, analysis: Analysis, people: People, words: Phrasing,
            disputed: Disputed) -> tuple[Custody, ...]:
    """The custody chains of the event's weapons, with their issues (storage problems of the layer that
    keeps items too, so the timeline flags every problem the analysis found)."""
    weapons = [weapon.id for weapon in record.weapons or ()]
    named = [item for item in (record.incident.items or () if record.incident else ()) if item in weapons]
    wanted = named or weapons
    storage_issues = _storage_issues(analysis, words)
    found = []
    for report in analysis.custody:
        if report.item not in wanted:
            continue
        by_pointer: dict[str, list[str]] = {}
        for issue in report.issues:
            by_pointer.setdefault(issue.pointer, []).append(issue.kind)
        marks = []
        for step in report.chain:
            is_disputed = disputed(step.pointer, step.event)
            certainty, cert_words = _certainty(step.event, is_disputed)
            kinds = tuple(dict.fromkeys(by_pointer.get(step.pointer, ())))
            by = people.label(step.by) if step.by else None
            holder = people.label(step.holder_after) if step.holder_after and step.action == "handed-over" else None
            check = word("check", step.verification) if step.verification else ""
            marks.append(Mark(
                pointer=step.pointer, action=step.action, by=by,
                holder=people.label(step.holder_after) if step.holder_after else None,
                when=when_text(step.event.when), verification=step.verification, issues=kinds,
                action_words=word("custody-action", step.action), check_words=check,
                issue_words=tuple(CATALOGUE["issue-kinds"].get(kind, humanize(kind)) for kind in kinds),
                certainty=certainty, certainty_words=cert_words, disputed=is_disputed,
                text=_mark_text(step.action, by, holder, check),
            ))
        issues = []
        seen: set[str] = set()
        for issue in report.issues:
            summary = words.issue(issue)
            if summary in seen:
                continue
            seen.add(summary)
            issues.append(Issue(kind=issue.kind, pointer=issue.pointer, summary=summary, sources=issue.sources,
                                kind_words=CATALOGUE["issue-kinds"].get(issue.kind, humanize(issue.kind))))
        item_words = people.item(report.item)
        found.append(Custody(item=report.item, marks=tuple(marks), issues=tuple(issues), item_words=item_words,
                             heading=SAY["custody-heading"].format(item=item_words), storage=storage_issues))
    return tuple(found)


def _storage_issues(analysis: Analysis, words: Phrasing) -> tuple[Issue, ...]:
    """Storage left unattended or unlocked, as the analysis found it (no single custody step shows it)."""
    found: dict[str, Issue] = {}
    for layer in analysis.layers:
        for item in layer.evidence:
            if item.code in ("storage.unattended", "storage.unlocked"):
                place = item.values.get("place")
                summary = " ".join(place.split()) if isinstance(place, str) else words.evidence(item)
                found.setdefault(item.code + summary, Issue(
                    kind=item.code, pointer=item.pointer, summary=summary, sources=item.sources,
                    kind_words=SAY[item.code.replace(".", "-")],
                ))
    return tuple(found.values())


def disputes(record: Record, people: People) -> tuple[DisputeInfo, ...]:
    """Every dispute and source conflict, each position with who holds it."""
    return tuple(
        DisputeInfo(
            id=dispute.id, kind=dispute.kind, question=dispute.question, followed=dispute.followed,
            reason=dispute.reason, kind_words=humanize(dispute.kind),
            followed_words=SAY["followed" if dispute.followed else "followed-none"],
            positions=tuple(Side(id=side.id, claim=side.claim, held_by=people.labels(side.held_by),
                                 sources=side.sources, followed=side.id == dispute.followed)
                            for side in dispute.positions),
        )
        for dispute in record.disputes or ()
    )


def source_line(source: m.Source) -> str:
    """A source in one line: publisher, author, title, date, then its kind in words."""
    parts = [source.publisher, source.author, source.title, source.date]
    text = ", ".join(" ".join(str(part).split()) for part in parts if part)
    kind = humanize(source.kind) + (CATALOGUE["sources"]["official"] if source.is_official else "")
    return CATALOGUE["sources"]["line"].format(text=text, kind=kind)


def sources(record: Record, cited: Iterable[str], start: int = 1) -> tuple[SourceInfo, ...]:
    """The cited sources, in the record's order (ids the record lacks at the end), numbered from ``start``."""
    wanted = dict.fromkeys(cited)
    listed = [source for source in record.sources if source.id in wanted]
    found = [
        SourceInfo(id=source.id, kind=source.kind, title=source.title, publisher=source.publisher,
                   author=source.author, date=source.date, url=source.url, official=source.is_official,
                   in_record=True, number=start + k, line=source_line(source))
        for k, source in enumerate(listed)
    ]
    known = {source.id for source in record.sources}
    missing = [source_id for source_id in wanted if source_id not in known]
    found += [SourceInfo(id=source_id, kind="unknown", title="", publisher=None, author=None, date=None,
                         url=None, official=False, in_record=False, number=start + len(listed) + k,
                         line=CATALOGUE["sources"]["missing"])
              for k, source_id in enumerate(missing)]
    return tuple(found)


def _evidence(items: Sequence[Evidence], words: Phrasing, disputed: Disputed) -> tuple[Cited, ...]:
    """The evidence of a layer in words: each line once, and a warning's response said with the warning."""
    cited: list[Cited] = []
    index: dict[str, int] = {}
    for item in items:
        summary = words.evidence(item)
        is_disputed = disputed(item.pointer, item.fact)
        certainty = "disputed" if is_disputed and item.certainty != "disputed" else item.certainty
        if item.code == "warning.response" and cited and cited[-1].code == "warning":
            last = cited.pop()
            index.pop(last.summary, None)
            joined = "response-joined-sentence" if last.summary.endswith((".", "!", "?")) else "response-joined"
            summary = SAY[joined].format(warning=last.summary, response=summary[:1].upper() + summary[1:]
                                         if joined == "response-joined-sentence" else summary)
            item_sources = tuple(dict.fromkeys((*last.sources, *item.sources)))
            certainty = last.certainty if certainty in (None, "established") else certainty
            entry = Cited(pointer=last.pointer, code="warning", summary=summary, sources=item_sources,
                          certainty=certainty, certainty_words=certainty_words(certainty),
                          disputed=last.disputed or is_disputed)
        else:
            entry = Cited(pointer=item.pointer, code=item.code, summary=summary[:1].upper() + summary[1:],
                          sources=item.sources, certainty=certainty, certainty_words=certainty_words(certainty),
                          disputed=is_disputed)
        if entry.summary in index:  # the same words from another fact: one line, both facts' sources
            k = index[entry.summary]
            merged = cited[k]
            cited[k] = Cited(pointer=merged.pointer, code=merged.code, summary=merged.summary,
                             sources=tuple(dict.fromkeys((*merged.sources, *entry.sources))),
                             certainty=merged.certainty, certainty_words=merged.certainty_words,
                             disputed=merged.disputed or entry.disputed)
            continue
        index[entry.summary] = len(cited)
        cited.append(entry)
    return tuple(cited)


def _also_under(items: tuple[Cited, ...], layer: str, shown: dict[str, str]) -> tuple[Cited, ...]:
    """The evidence of a layer, each line that an earlier layer already showed marked with that layer's name."""
    found = []
    for item in items:
        earlier = shown.setdefault(item.summary, layer)
        found.append(item if earlier == layer else Cited(
            pointer=item.pointer, code=item.code, summary=item.summary, sources=item.sources,
            certainty=item.certainty, certainty_words=item.certainty_words, disputed=item.disputed,
            also_under=earlier))
    return tuple(found)


def _roles_in_case(record: Record) -> set[str]:
    event = record.incident.when if record.incident else None
    from setsafety.phrasing import held_at

    return {role.role for party in record.people or () for role in party.roles or () if held_at(role, event)}


def _words_of(text: str) -> str:
    """Text as lowercase words between single spaces, punctuation dropped: for matching role names."""
    kept = "".join(char if char.isalnum() else " " for char in text.lower())
    return " " + " ".join(kept.split()) + " "


@cache
def _role_words() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every role of the record format, with the words that name it in a question (singular and plural)."""
    import typing

    from setsafety.model.record import RoleName

    found = []
    for name in typing.get_args(RoleName):
        words = _words_of(word("role", name))
        found.append((name, (words, words.rstrip() + "s ")))
    return tuple(found)


def fitting_questions(questions: Iterable[str], roles: set[str]) -> tuple[str, ...]:
    """The protocol's questions that fit the case: none that asks about a role nobody held in it
    (a question about the camera operator, when no one operated a camera). The question is only
    searched for role names, never changed."""
    kept = []
    for question in questions:
        text = _words_of(question)
        named = [name for name, forms in _role_words() if any(form in text for form in forms)]
        if all(name in roles for name in named):
            kept.append(question)
    return tuple(kept)


def _practice(layer: Layer) -> str:
    return "; ".join(item.rstrip(".") for item in layer.checklist)


def discussion(analysis: Analysis, protocol: Protocol, words: Phrasing,
               lessons: Sequence[LayerLesson]) -> tuple[Question, ...]:
    """Questions from what the analysis found in this case, one per layer that did not hold (those that
    would have stopped the hazard first), each with an answer from the facts and the layer's good practice."""
    results = {layer.id: layer for layer in analysis.layers}
    ordered = sorted(lessons, key=lambda lesson: (not lesson.stopper, lesson.number))
    found = []
    for lesson in ordered:
        result = results[lesson.id]
        layer = protocol.layer(lesson.id)
        if layer is None:
            continue
        reason = _question_reason(result.reasons, lesson.state)
        practice = _practice(layer)
        if reason is None:
            text = SAY["layer-question"].format(name=lesson.name, rationale=lesson.rationale)
            answer = SAY["answer-no-facts"].format(rationale=lesson.rationale, practice=practice)
            found.append(Question(layer=lesson.id, layer_name=lesson.name, code="layer", text=text, answer=answer))
            continue
        text = words.fill(CATALOGUE["questions"][reason.code], reason)
        text = text[:1].upper() + text[1:]
        pointers = set(reason.pointers)
        facts = tuple(item.summary + (f" ({item.certainty_words})" if item.certainty_words else "")
                      for item in lesson.evidence if item.pointer in pointers)
        if facts:
            answer = SAY["answer"].format(facts="; ".join(fact.rstrip(".") for fact in facts), practice=practice)
        else:
            answer = SAY["answer-no-facts"].format(rationale=lesson.rationale, practice=practice)
        found.append(Question(layer=lesson.id, layer_name=lesson.name, code=reason.code, text=text, answer=answer,
                              facts=facts, sources=reason.sources))
    return tuple(found)


def _question_reason(reasons: Iterable[Reason], state: str) -> Reason | None:
    """The first reason against the layer that has a question in the catalogue."""
    for reason in reasons:
        if reason.state in NOT_HELD and reason.code in CATALOGUE["questions"]:
            return reason
    for reason in reasons:
        if reason.state is None and reason.code in CATALOGUE["questions"] and state in NOT_HELD:
            return reason
    return None


def full_checklist(protocol: Protocol, audience: str, states: Sequence[LayerState],
                   people: People) -> tuple[ChecklistSection, ...]:
    """Every layer of the protocol in the order of the working day: the layer's checklist where the
    audience's roles own it, else the audience's own part in it; sign-off lines after each part of the day."""
    roles = next((set(candidate.roles) for candidate in protocol.audiences if candidate.id == audience), set())
    by_id = {state.id: state for state in states}
    sections = []
    for phase in PHASES:
        rows = []
        for number, layer in enumerate(protocol.ordered_layers(), start=1):
            if layer.day_phase != phase:
                continue
            state = by_id.get(layer.id)
            own = bool(roles & set(layer.owners))
            action = layer.actions.get(audience)
            items = layer.checklist if own or not action else (SAY["own-part"].format(action=action),)
            rows.append(ChecklistLayer(
                layer=layer.id, number=state.number if state else number, name=layer.name,
                state=state.state if state else "unknown", state_words=state.state_words if state else "",
                own=own, owners=SAY["owners"].format(roles=join_words(word("role", owner) for owner in layer.owners)),
                items=tuple(items),
            ))
        if rows:
            sections.append(ChecklistSection(phase=phase, title=SAY[f"phase-{phase}"], layers=tuple(rows),
                                             sign_off=tuple(SAY["sign-off"].split("|"))))
    return tuple(sections)


def _cited(story: WhatHappened, layers: Sequence[LayerLesson], chains: Sequence[Custody],
           sides: Sequence[DisputeInfo], findings: Sequence[OfficialFinding]) -> list[str]:
    ids: list[str] = list(story.sources)
    ids += story.event.sources if story.event else ()
    entries = [*story.leading_up, *story.followed]
    entries += [step for case in story.court_cases for step in case.steps]
    ids += [source for case in story.court_cases for source in case.sources]
    ids += [source for entry in entries for source in entry.sources]
    ids += [source for harm in story.harmed for source in harm.sources]
    ids += [source for layer in layers for item in layer.evidence for source in item.sources]
    ids += [source for chain in chains for issue in (*chain.issues, *chain.storage) for source in issue.sources]
    ids += [source for dispute in sides for side in dispute.positions for source in side.sources]
    ids += [source for finding in findings for source in finding.sources]
    return ids


def _sentence(key: str, names: Sequence[str]) -> str:
    return SAY[key].format(layers=join_words(names)) if names else SAY[f"{key}-none"]


def _caption(states: Sequence[LayerState]) -> str:
    after = [state.name for state in states if state.kind == "mitigating"]
    if not after:
        return SAY["figure-caption-none-after"]
    return SAY["figure-caption"].format(after=join_words(after))


def build_lesson(record: Record, analysis: Analysis, protocol: Protocol, audience: str) -> Lesson:
    """The data of a lesson summary of one case for one audience."""
    if analysis.case != record.id:
        raise LessonError(f"the analysis is of {analysis.case!r}, the record is {record.id!r}")
    if analysis.protocol != protocol.id:
        raise LessonError(f"the analysis used the protocol {analysis.protocol!r}, not {protocol.id!r}")
    who = audience_info(protocol, audience)
    people = People(record)
    words = Phrasing(people, limit=None)
    disputed = Disputed(record)
    states = layer_states(analysis)
    findings = official_findings(record, analysis, people)
    per_layer: dict[str, list[FindingLayer]] = {}
    for finding in findings:
        for row in finding.layers:
            per_layer.setdefault(row.layer, []).append(row)
    roles = _roles_in_case(record)
    shown: dict[str, str] = {}
    not_held: list[LayerLesson] = []
    other: list[LayerBrief] = []
    for state, result in zip(states, analysis.layers, strict=True):
        layer = protocol.layer(result.id)
        if layer is None:
            raise LessonError(f"the protocol {protocol.id!r} has no layer {result.id!r}")
        rationale = words.rationale(result.state, result.reasons)
        layer_findings = tuple(per_layer.get(state.id, ()))
        if not state.not_held:
            other.append(LayerBrief(id=state.id, number=state.number, name=state.name, kind=state.kind,
                                    state=state.state, meaning=state.meaning, rationale=rationale,
                                    state_words=state.state_words, kind_words=state.kind_words,
                                    standards=standards(protocol, layer), findings=layer_findings))
            continue
        not_held.append(LayerLesson(
            id=state.id, number=state.number, name=state.name, kind=state.kind, state=state.state,
            meaning=state.meaning, stopper=state.stopper, rationale=rationale,
            reasons=tuple(dict.fromkeys(reason.code for reason in result.reasons)),
            evidence=_also_under(_evidence(result.evidence, words, disputed), state.name, shown),
            lesson=layer.lesson, good_practice=layer.good_practice, action=layer.actions.get(audience),
            questions=fitting_questions(layer.questions, roles), checklist=layer.checklist,
            standards=standards(protocol, layer), state_words=state.state_words, kind_words=state.kind_words,
            findings=layer_findings,
        ))
    not_held, other = _standards_once(not_held, other)
    story = what_happened(record, people, disputed)
    chains = custody(record, analysis, people, words, disputed)
    sides = disputes(record, people)
    names = {state.id: state.name for state in states}
    path = [names[layer_id] for layer_id in analysis.path if layer_id in names]
    stoppers = [names[layer_id] for layer_id in analysis.stoppers if layer_id in names]
    return Lesson(
        case=case_info(record), protocol=protocol.id, protocol_name=protocol.name, audience=who,
        what_happened=story, layers=states, path=analysis.path, stoppers=analysis.stoppers,
        layers_not_held=tuple(not_held), layers_other=tuple(other), custody=chains,
        questions=tuple(Group(layer=layer.id, number=layer.number, name=layer.name, items=layer.questions)
                        for layer in not_held if layer.questions),
        checklist=tuple(Group(layer=layer.id, number=layer.number, name=layer.name, items=layer.checklist)
                        for layer in not_held),
        disputes=sides, sources=sources(record, _cited(story, not_held, chains, sides, findings)),
        naming_note=SAY["naming-note"], certainty_note=SAY["certainty-note"],
        path_words=_sentence("path", path), stoppers_words=_sentence("stoppers", stoppers),
        figure_caption=_caption(states), findings=findings,
        findings_note=SAY["findings-note"] if any(f.layers for f in findings) else SAY["findings-none"],
        discussion=discussion(analysis, protocol, words, not_held),
        full_checklist=full_checklist(protocol, audience, states, people),
    )


def _count_words(not_held: int, with_facts: int, without: int) -> str:
    cases = SAY["case"], SAY["cases"]
    if not with_facts:
        text = SAY["count-none"]
    elif not_held:
        text = SAY["count"].format(n=not_held, m=with_facts, cases=cases[with_facts != 1])
    else:
        text = SAY["count-held"].format(m=with_facts, cases=cases[with_facts != 1])
    if without and with_facts:
        text += "; " + SAY["count-unknown"].format(k=without, cases=cases[without != 1])
    return text


def _without_repeats(layers: Sequence[PackLayer]) -> list[PackLayer]:
    """Layers of several protocols with each checklist item and standard said once: under the first layer
    (in protocol order) that has it, so a pack that mixes protocols repeats nothing."""
    items: set[str] = set()
    said: set[tuple[str, str]] = set()
    found = []
    for layer in layers:
        checklist = tuple(item for item in layer.checklist if item not in items)
        items.update(checklist)
        kept = tuple(standard for standard in layer.standards if (standard.title, standard.says) not in said)
        said.update((standard.title, standard.says) for standard in kept)
        found.append(attrs.evolve(layer, checklist=checklist, standards=kept))
    return found


def build_pack(cases: Sequence[tuple[Record, Analysis, Protocol]], audience: str) -> Pack:
    """The data of a lesson pack: the cases grouped by protocol; for each layer, in how many of the cases
    with the facts to tell it did not hold, then its lesson once."""
    if not cases:
        raise LessonError("a lesson pack needs at least one case")
    seen_ids: set[str] = set()
    briefs = []
    protocols: dict[str, Protocol] = {}
    start = 1
    for record, analysis, protocol in cases:
        if analysis.protocol != protocol.id:
            raise LessonError(f"{record.id}: analysed under {analysis.protocol!r}, not {protocol.id!r}")
        if record.id in seen_ids:
            raise LessonError(f"{record.id}: the case is given twice")
        audience_info(protocol, audience)
        seen_ids.add(record.id)
        protocols.setdefault(protocol.id, protocol)
        states = layer_states(analysis)
        listed = sources(record, record.case.sources, start)
        start += len(listed)
        briefs.append(PackCase(case=case_info(record), layers=states,
                               not_held=tuple(state for state in states if state.not_held),
                               sources=listed, protocol=protocol.id, protocol_name=protocol.name))
    first = next(iter(protocols.values()))
    who = audience_info(first, audience)
    groups = []
    layers = []
    number = 0
    for protocol in protocols.values():
        members = [brief for brief in briefs if brief.protocol == protocol.id]
        group_layers = []
        for layer in protocol.ordered_layers():
            number += 1
            per_case = []
            for brief in members:
                state = next((s.state for s in brief.layers if s.id == layer.id), "unknown")
                per_case.append(CaseState(case=brief.case.id, title=brief.case.title, state=state,
                                          state_words=state_words(state)))
            failing = tuple(item for item in per_case if item.state in NOT_HELD)
            known = [item for item in per_case if item.state not in ("unknown", "not-applicable")]
            unknown = sum(item.state == "unknown" for item in per_case)
            group_layers.append(PackLayer(
                id=layer.id, number=number, name=layer.name, kind=layer.kind, not_held_in=len(failing),
                cases=failing, states=tuple(per_case), lesson=layer.lesson, good_practice=layer.good_practice,
                action=layer.actions.get(audience), questions=layer.questions, checklist=layer.checklist,
                protocol=protocol.id, of_cases=len(per_case), with_facts=len(known),
                held_in=sum(item.state == "held" for item in per_case),
                count_words=_count_words(len(failing), len(known), unknown), standards=standards(protocol, layer),
            ))
        layers += group_layers
        groups.append(PackProtocol(id=protocol.id, name=protocol.name, cases=tuple(b.case.id for b in members),
                                   case_titles=tuple(b.case.title for b in members), layers=tuple(group_layers)))
    layers = _without_repeats(layers)
    groups = [PackProtocol(id=group.id, name=group.name, cases=group.cases, case_titles=group.case_titles,
                           layers=tuple(layer for layer in layers if layer.protocol == group.id))
              for group in groups]
    recurring = tuple(sorted((layer for layer in layers if layer.not_held_in),
                             key=lambda layer: (-layer.not_held_in / max(layer.with_facts, 1), -layer.not_held_in,
                                                layer.number)))
    single = len(protocols) == 1
    return Pack(
        protocol=first.id if single else "several", protocol_name=first.name if single else join_words(
            protocol.name for protocol in protocols.values()),
        audience=who, cases=tuple(briefs), layers=tuple(layers), recurring=recurring,
        checklist=tuple(Group(layer=layer.id, number=layer.number, name=layer.name, items=layer.checklist)
                        for layer in recurring),
        protocols=tuple(groups), naming_note=SAY["naming-note"], count_note=SAY["count-note"],
    )
