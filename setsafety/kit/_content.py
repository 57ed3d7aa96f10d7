"""What the kit's files say, worked out once from the lesson data: the short source list, the facts to
present with care, the three questions with their answers, the quiz, the session plan.

Everything here reads ``setsafety.lessons.Lesson`` (never the analyzers) and takes its words from
``setsafety.phrasing.KIT`` or from the lesson's own text (the record's and the protocol's words).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

import attrs

from setsafety.lessons import Lesson
from setsafety.lessons._model import LayerLesson, SourceInfo
from setsafety.lessons._text import clean
from setsafety.phrasing import KIT, KIT_STATE_VERBS, KIT_STATES, STATES, humanize, join_words

#: How many sources the handout lists (the lesson lists them all).
HANDOUT_SOURCES = 6
#: How many sources the facilitator's plan lists (the lesson lists them all).
FACILITATOR_SOURCES = 8
#: How many official findings the facilitator's plan gives (the lesson gives them all).
FACILITATOR_FINDINGS = 8
#: How many layers the session discusses in detail (the others are named in a line each).
DETAILED_LAYERS = 4
#: How many facts of uncertain standing the handout lists.
HANDOUT_UNCERTAIN = 5
#: How many questions the quiz asks at most.
QUIZ_SIZE = 10
#: How an official finding about a layer compares with the analysis, in the order the kit says it.
AGREEMENTS = ("agrees", "disagrees", "cannot-tell")
#: Certainties worth saying out loud, strongest doubt first.
DOUBTS = ("disputed", "alleged", "undetermined")
#: Certainties a quiz answer carries (a reported fact is said to be reported).
CARRIED = (*DOUBTS, "reported")
#: How many lines a quiz answer lists before it says how many more there are.
ANSWER_LINES = 4


def words(key: str, **fields: object) -> str:
    """A sentence of the kit's catalogue, filled in."""
    return KIT[key].format(**fields)


def unique(lines: Iterable[str]) -> tuple[str, ...]:
    """Lines in order, each once, empty ones dropped (no file of the kit repeats a line)."""
    return tuple(dict.fromkeys(clean(line) for line in lines if line and clean(line)))


def upper_first(text: str) -> str:
    """Text with a capital first letter."""
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    """Text as a sentence: a capital first, a full stop last."""
    text = clean(text)
    if not text:
        return text
    return upper_first(text) + ("" if text.endswith((".", "?", "!", "\u201d", ")")) else ".")


#: Where a sentence ends: after a word of three or more letters and a full stop (so "p.m. EST" or "U.S. Army"
#: is not an end), before a capital or an opening quote or bracket.
_SENTENCE_END = re.compile(r"(?<=[a-z]{3}[.!?])\s+(?=[A-Z\u201c\"(])")
#: Where a clause ends, earliest first: a semicolon, a colon, a dash.
_CLAUSE_ENDS = ("; ", ": ", " \u2013 ", " \u2014 ")


def split_sentences(text: str) -> list[str]:
    """A text's sentences, in order."""
    return _SENTENCE_END.split(clean(text))


def first_sentence(text: str) -> str:
    """The first sentence of a text (all of it if it is one sentence)."""
    return _SENTENCE_END.split(clean(text), maxsplit=1)[0]


def _outside_brackets(text: str, mark: str) -> list[int]:
    """Where ``mark`` occurs in a text outside any brackets."""
    found, depth = [], 0
    for index, char in enumerate(text):
        depth += (char in "([") - (char in ")]")
        if depth <= 0 and text.startswith(mark, index):
            found.append(index)
    return found


def brief(text: str, limit: int, *, clause: bool = False) -> str:
    """A text shortened for a slide, never cut inside a word: its first sentence, or (with ``clause``, or when
    the sentence is longer than ``limit``) its first clause; cut at the last whole word before ``limit``, with
    an ellipsis, only when even that is too long."""
    short = first_sentence(text)
    if clause or len(short) > limit:
        cuts = [index for mark in _CLAUSE_ENDS for index in _outside_brackets(short, mark) if index >= 20]
        short = short[:min(cuts)] if cuts else short
    if len(short) > limit:
        cut = short.rfind(" ", 0, limit)
        short = short[:cut if cut > 0 else limit].rstrip(" ,;:\u2013\u2014") + "\u2026"
        return upper_first(short)
    return sentence(short.rstrip(" ,;:"))


@attrs.frozen(kw_only=True)
class Answered:
    """A question with the answer a facilitator needs (one or more lines)."""

    question: str
    answer: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Doubt:
    """A fact that is not established, with how certain it is (in words)."""

    certainty: str
    text: str


@attrs.frozen(kw_only=True)
class Step:
    """One part of the 90-minute session."""

    start: int
    end: int
    key: str

    @property
    def minutes(self) -> int:
        return self.end - self.start


def said(words_field: str, value: str) -> str:
    """The lesson's words for an enumerated value, or the value in words if the lesson has none."""
    return clean(words_field) if words_field else humanize(value)


def harmed_lines(lesson: Lesson) -> tuple[str, ...]:
    """Who was hurt and how badly, a line each; people the lesson names alike are counted in one line."""
    lines = [words("harmed", who=upper_first(clean(harm.who)), severity=said(harm.severity_words, harm.severity))
             for harm in lesson.what_happened.harmed]
    counts: dict[str, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1
    return tuple(line if count == 1 else words("harmed-count", line=line, n=count) for line, count in counts.items())


def plain(state: str) -> str:
    """A state in the kit's plain words ("not done", "sources don't say")."""
    return KIT_STATES.get(state, KIT_STATES["unknown"])[0]


def plain_meaning(state: str) -> str:
    """What a state means, in one line of the kit's words."""
    return KIT_STATES.get(state, KIT_STATES["unknown"])[1]


def legend(lesson: Lesson) -> tuple[str, ...]:
    """One line per state the case's layers are in (in the legend's order): its plain word and meaning."""
    present = {layer.state for layer in lesson.layers}
    return tuple(words("legend-line", state=upper_first(plain(state)), meaning=plain_meaning(state))
                 for state in KIT_STATES if state in present)


def cautions(lesson: Lesson) -> tuple[str, ...]:
    """What a class must be told before the case: that the record is a draft (not reviewed), and that the
    sources do not say enough to judge most layers."""
    found = []
    if lesson.case.status != "reviewed":
        found.append(words("draft"))
    judged = [layer for layer in lesson.layers if layer.state != "not-applicable"]
    if judged and 2 * sum(layer.state == "unknown" for layer in judged) > len(judged):
        found.append(words("thin"))
    return tuple(found)


def fatal(lesson: Lesson) -> bool:
    """Whether someone died (the session then opens with a word on wellbeing)."""
    return lesson.case.event_kind == "fatality" or any(
        harm.severity == "fatal" for harm in lesson.what_happened.harmed)


# --- sources ------------------------------------------------------------------------------------


def short_sources(lesson: Lesson, limit: int = HANDOUT_SOURCES) -> tuple[SourceInfo, ...]:
    """The sources a handout lists: official ones first, then those of the summary and the event."""
    known = [source for source in lesson.sources if source.in_record]
    wanted = set(lesson.what_happened.sources)
    if lesson.what_happened.event:
        wanted |= set(lesson.what_happened.event.sources)
    ranked = sorted(known, key=lambda source: (not source.official, source.id not in wanted))
    return tuple(ranked[:limit])


def source_line(source: SourceInfo) -> str:
    """A source in a line: publisher, title, date; no id."""
    if source.line:
        return clean(source.line)
    title = clean(source.title)
    line = words("source-line-by", publisher=clean(source.publisher), title=title) if source.publisher \
        else words("source-line", title=title)
    if source.date:
        line += f", {clean(source.date)}"
    if source.official:
        line += f" ({words('official')})"
    return line


# --- certainty ----------------------------------------------------------------------------------


def doubts(lesson: Lesson, limit: int | None = None) -> tuple[Doubt, ...]:
    """Facts the lesson rests on that are not established: the questions in dispute first, then
    disputed, alleged and undetermined facts (the event, the timeline, the evidence)."""
    found = [Doubt(certainty=words("certainty.disputed"), text=clean(dispute.question))
             for dispute in lesson.disputes]
    story = lesson.what_happened
    facts: list[tuple[str | None, str, str]] = []
    if story.event:
        facts.append((story.event.certainty, story.event.certainty_words, story.event.text))
    facts += [(entry.certainty, entry.certainty_words, entry.text) for entry in story.leading_up]
    facts += [(item.certainty, item.certainty_words, item.summary)
              for layer in lesson.layers_not_held for item in layer.evidence]
    for doubt in DOUBTS:
        found += [Doubt(certainty=said or words("certainty." + doubt), text=clean(text))
                  for certainty, said, text in facts if certainty == doubt]
    seen: set[str] = set()
    kept = []
    for item in found:
        if item.text not in seen:
            seen.add(item.text)
            kept.append(item)
    return tuple(kept[:limit] if limit is not None else kept)


def doubt_line(doubt: Doubt) -> str:
    """A fact with its certainty in words."""
    return f"{sentence(doubt.text)} ({doubt.certainty})"


def findings_lines(lesson: Lesson) -> tuple[str, ...]:
    """What investigators found, in brief: who found what, then, layer by layer, whether the analysis
    agrees."""
    if not lesson.findings:
        return (words("findings.none"),)
    bodies = join_words(dict.fromkeys(clean(finding.body) for finding in lesson.findings))
    count = len(lesson.findings)
    lines = [words("findings.count.one" if count == 1 else "findings.count.many", n=count, bodies=bodies)]
    by_agreement: dict[str, dict[str, str]] = {}
    for finding in lesson.findings:
        for row in finding.layers:
            state = plain(row.state or "unknown")
            by_agreement.setdefault(row.agreement, {}).setdefault(row.layer, f"{clean(row.name)} ({state})")
    for agreement in AGREEMENTS:
        if agreement in by_agreement:
            lines.append(words("findings." + agreement, layers=join_words(by_agreement[agreement].values())))
    if len(lines) == 1:
        lines.append(words("findings.no-layers"))
    return unique(lines)


# --- layers -------------------------------------------------------------------------------------


def ranked_layers(lesson: Lesson) -> tuple[LayerLesson, ...]:
    """The layers that did not hold, those that would have stopped the hazard first, then in order."""
    return tuple(sorted(lesson.layers_not_held, key=lambda layer: (not layer.stopper, layer.number)))


def state_line(state: str, said: str = "") -> str:
    """A state and what it means, in the kit's plain words: "not done: it was required or planned, and not
    done"."""
    return words("state-line", state=plain(state) if state in KIT_STATES else said or humanize(state),
                 meaning=plain_meaning(state) if state in KIT_STATES else STATES[state].meaning)


def certain(text: str, certainty: str | None, certainty_words: str = "") -> str:
    """A fact as a sentence, with its certainty when it is not established ("... (disputed).")."""
    if certainty not in CARRIED:
        return sentence(text)
    said_words = clean(certainty_words) or words("certainty." + (certainty or "reported"))
    return words("certain", text=upper_first(clean(text).rstrip(". ")), certainty=said_words)


def layer_doubt(layer: LayerLesson) -> str:
    """A sentence saying that the facts behind a layer's state are disputed or alleged (empty if not)."""
    for doubt in DOUBTS:
        items = [item for item in layer.evidence if item.certainty == doubt or (doubt == "disputed" and item.disputed)]
        if items:
            key = "layer-doubt.all" if len(items) == len(layer.evidence) else "layer-doubt.some"
            return words(key, certainty=words("certainty." + doubt))
    return ""


def layer_fact(layer: LayerLesson) -> str:
    """What happened at a layer, as a facilitator says it: its state, what went wrong, and how certain the
    facts behind it are."""
    fact = words("quiz.layer-state-answer", state_words=KIT_STATE_VERBS[layer.state], text=sentence(layer.rationale))
    doubt = layer_doubt(layer)
    return f"{fact} {doubt}" if doubt else fact


def _answers(layer: LayerLesson, *, fact: bool) -> list[str]:
    """What a facilitator can answer a protocol question of a layer with, one per question: what happened
    there, then its good practice, what the audience can do, its checklist."""
    found = [layer_fact(layer)] if fact else []
    found.append(f"{words('label.good-practice')} {clean(layer.good_practice)}")
    if layer.action:
        found.append(f"{words('label.you-can')} {clean(layer.action)}")
    if layer.checklist:
        found.append(f"{words('label.checklist')} {'; '.join(clean(item) for item in layer.checklist)}.")
    return found


def three_questions(lesson: Lesson) -> tuple[Answered, ...]:
    """Three questions for discussion, each with what a facilitator answers from: the lesson's first three
    questions built from the case (or, for a lesson without them, the first question of each layer that did
    not hold, those that would have stopped the hazard first, then the next ones.
    A layer's first question is answered with what happened there, a further one with its good practice)."""
    chosen: list[Answered] = [Answered(question=clean(item.text), answer=(clean(item.answer),))
                              for item in lesson.discussion[:3]]
    layers = ranked_layers(lesson)
    depth = max((len(layer.questions) for layer in layers), default=0)
    answers = {layer.id: _answers(layer, fact=not lesson.discussion) for layer in layers}
    for index in range(1 if lesson.discussion else 0, depth):
        for layer in layers:
            if index < len(layer.questions) and len(chosen) < 3 and answers[layer.id]:
                chosen.append(Answered(question=clean(layer.questions[index]), answer=(answers[layer.id].pop(0),)))
    return tuple(chosen)


def checklist(lesson: Lesson) -> tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...]:
    """The checklist by part of the day: (part, ((layer label, items), ...)), from the lesson's full
    checklist for the audience (or, for a lesson without one, the checklists of the layers that did not
    hold). A layer's label ends with a colon; each item is said once in the whole list."""
    seen: set[str] = set()

    def fresh(items: Iterable[str]) -> tuple[str, ...]:
        kept = tuple(item for item in unique(items) if item not in seen)
        seen.update(kept)
        return kept

    sections = []
    if lesson.full_checklist:
        for section in lesson.full_checklist:
            layers = tuple((words("facilitator.checklist-layer", name=clean(layer.name),
                                  state=plain(layer.state)), fresh(layer.items))
                           for layer in section.layers)
            layers = tuple(layer for layer in layers if layer[1])
            if layers:
                sections.append((clean(section.title), layers))
        return tuple(sections)
    groups = tuple((words("facilitator.checklist-layer", name=clean(group.name), state=plain(layer.state)),
                    fresh(group.items))
                   for group, layer in zip(lesson.checklist, lesson.layers_not_held, strict=False))
    return ((words("facilitator.checklist"), tuple(group for group in groups if group[1])),) if groups else ()


# --- the quiz -----------------------------------------------------------------------------------


def _layer_names(layers: Sequence[LayerLesson]) -> tuple[str, ...]:
    """The layers, a line each: "Qualified staff (not done)"."""
    return tuple(f"{clean(layer.name)} ({plain(layer.state)})" for layer in layers)


def capped(lines: Iterable[str], things: str = "lines", limit: int = ANSWER_LINES) -> tuple[str, ...]:
    """An answer's lines, each once, at most ``limit`` of them, the last saying how many more ``things`` the
    lesson has."""
    kept = unique(lines)
    if len(kept) <= limit:
        return kept
    more = words("more-items", n=len(kept) - limit + 1, things=words("things." + things))
    return (*kept[:limit - 1], upper_first(more) + ".")


def _ask(question: str, answer: Iterable[str], things: str = "lines") -> Answered | None:
    """A question with its answer capped; none if the answer is empty or only repeats the question."""
    lines = tuple(line for line in capped(answer, things)
                  if clean(line).rstrip(".?") != clean(question).rstrip(".?"))
    return Answered(question=question, answer=lines) if lines else None


def _plural(key: str, count: int) -> str:
    """The question of ``key`` worded for one answer or for several."""
    if count == 1 and key + ".one" in KIT:
        return words(key + ".one")
    if count > 1 and key + ".many" in KIT:
        return words(key + ".many")
    return words(key)


def _handed(lesson: Lesson) -> Answered | None:
    """Who handed the event's weapon over right before it was used, with the doubt when it is disputed."""
    for chain in lesson.custody:
        for before, after in itertools.pairwise(chain.marks):
            if before.action == "handed-over" and after.action == "used" and before.by and before.holder:
                disputed = before.disputed or before.certainty in DOUBTS
                answer = words("quiz.who-handled-disputed" if disputed else "quiz.who-handled-answer",
                               by=clean(before.by), holder=clean(before.holder), when=clean(before.when))
                return Answered(question=words("quiz.who-handled"), answer=(upper_first(answer),))
    return None


def _dispute(lesson: Lesson) -> Answered | None:
    """The first question in dispute with two or more positions, answered with the positions in brief."""
    for dispute in lesson.disputes:
        if len(dispute.positions) < 2:
            continue
        lines = [words("quiz.position", claim=upper_first(clean(side.claim)).rstrip("."),
                       by=join_words(clean(who) for who in side.held_by)) if side.held_by else
                 words("quiz.position-anonymous", claim=upper_first(clean(side.claim)).rstrip("."))
                 for side in dispute.positions]
        return _ask(words("quiz.dispute-positions", question=content_question(dispute.question)), lines)
    return None


def content_question(text: str) -> str:
    """A question as it is quoted: cleaned, ending with its question mark."""
    text = clean(text)
    return text if text.endswith("?") else text + "?"


def quiz(lesson: Lesson, size: int = QUIZ_SIZE) -> tuple[Answered, ...]:
    """Questions whose answers are the record's facts, by general rules over the lesson data. Each answer
    carries the certainty of the facts it rests on, lists at most a few lines, and never only repeats its
    question; a question with several answers asks in the plural."""
    found: list[Answered | None] = []
    layers = ranked_layers(lesson)
    if layers:
        found.append(_ask(_plural("quiz.which-not-held", len(layers)), _layer_names(layers), "layers"))
    if lesson.what_happened.harmed:
        found.append(_ask(words("quiz.harmed"), harmed_lines(lesson)))
    found.append(_handed(lesson))
    for chain in lesson.custody:
        if chain.issues:
            found.append(_ask(words("quiz.custody"), (sentence(issue.summary) for issue in chain.issues),
                              "problems"))
    warnings = unique(certain(item.summary, "disputed" if item.disputed else item.certainty, item.certainty_words)
                      for layer in layers for item in layer.evidence if item.code == "warning")
    if warnings:
        found.append(_ask(_plural("quiz.warning", len(warnings)), warnings, "warnings"))
    checks = unique(certain(item.summary, "disputed" if item.disputed else item.certainty, item.certainty_words)
                    for layer in layers if {"checks.not-done", "checks.refused"} & set(layer.reasons)
                    for item in layer.evidence if item.code == "check")
    if checks:
        found.append(_ask(_plural("quiz.check", len(checks)), checks, "checks"))
    for layer in layers[:2]:
        found.append(_ask(words("quiz.layer-state", name=clean(layer.name)), (layer_fact(layer),)))
    acting = [layer for layer in layers if layer.action]
    if acting:
        found.append(_ask(words("quiz.you-can", name=clean(acting[0].name)), (sentence(acting[0].action or ""),)))
    for finding in lesson.findings[:1]:
        found.append(_ask(words("quiz.findings", body=clean(finding.body)),
                          (certain(finding.text, finding.certainty, finding.certainty_words),)))
    found.append(_dispute(lesson))
    if layers:
        first = layers[0]
        found.append(_ask(words("quiz.good-practice", name=first.name), (clean(first.good_practice),)))
    return tuple(item for item in found if item is not None)[:size]


# --- the session --------------------------------------------------------------------------------

#: The 90-minute session: (part, minutes).
SESSION: tuple[tuple[str, int], ...] = (
    ("welcome", 5), ("story", 10), ("layers", 20), ("discussion", 25), ("actions", 15), ("quiz", 10),
    ("close", 5),
)


def session_plan() -> tuple[Step, ...]:
    """The parts of the session with their start and end minute."""
    steps = []
    start = 0
    for key, minutes in SESSION:
        steps.append(Step(start=start, end=start + minutes, key=key))
        start += minutes
    return tuple(steps)


def minutes_per_layer(lesson: Lesson) -> int:
    """How long the layers part can spend on each layer that did not hold."""
    layers_minutes = dict(SESSION)["layers"]
    return max(1, (layers_minutes - 3) // max(1, len(lesson.layers_not_held)))


def layer_timing(lesson: Lesson) -> str:
    """How the layers part spends its minutes: the layers that would have stopped the hazard first, at most
    a few in detail, the rest named in a line each."""
    layers = ranked_layers(lesson)
    detailed = layers[:DETAILED_LAYERS]
    minutes = max(1, (dict(SESSION)["layers"] - 3 - (2 if len(layers) > len(detailed) else 0)) // max(1, len(detailed)))
    line = words("facilitator.detail", minutes=minutes,
                 layers=join_words(f"{layer.number}. {clean(layer.name)}" for layer in detailed))
    rest = layers[len(detailed):]
    if rest:
        line += " " + words("facilitator.skim", layers=join_words(f"{layer.number}. {clean(layer.name)}"
                                                                  for layer in rest))
    return line


def finding_lines_full(lesson: Lesson) -> tuple[str, ...]:
    """What investigators found, each finding in the record's words with who found it, its certainty, and
    whether the analysis agrees, layer by layer."""
    if not lesson.findings:
        return (words("findings.none"),)
    lines = []
    for finding in lesson.findings:
        line = words("facilitator.finding", body=clean(finding.body),
                     text=certain(finding.text, finding.certainty, finding.certainty_words))
        rows = [words("facilitator.finding-layer", name=clean(row.name), state=plain(row.state or "unknown"),
                      agreement=words("agreement." + row.agreement)) for row in finding.layers]
        if rows:
            line += " " + words("facilitator.finding-analysis", rows="; ".join(dict.fromkeys(rows)))
        lines.append(line)
    return capped(lines, "findings", FACILITATOR_FINDINGS)
