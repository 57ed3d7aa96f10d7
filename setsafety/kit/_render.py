"""The files of a case's folder, and the kit's index: each renderer reads the lesson data only."""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from setsafety._control import strip_controls
from setsafety.analysis import Analysis
from setsafety.kit import _content as content
from setsafety.kit._handout import _environment, render_handout
from setsafety.lessons import Lesson, render_lessons
from setsafety.lessons._text import MdSafe, clean, md
from setsafety.model import Record
from setsafety.phrasing import humanize


@attrs.frozen
class IndexEntry:
    """A case of the kit, for the index."""

    folder: str
    lesson: Lesson


def case_files(given: Record | Analysis, lesson: Lesson, audience: str, paper: str | None) -> dict[str, bytes]:
    """Every file of one case's folder, by name."""
    from setsafety.kit._slides import render_slides  # python-pptx only when a deck is made

    texts = {
        "handout.html": render_handout(lesson, paper),
        "lesson.html": render_lessons(given, format="html", audience=audience),
        "facilitator.md": facilitator_md(lesson),
        "quiz.md": quiz_md(lesson),
        "quiz.html": quiz_html(lesson),
    }
    files = {name: encode(data) for name, data in texts.items()}
    files["slides.pptx"] = render_slides(lesson)
    return files


def encode(text: str) -> bytes:
    """A text file's bytes: UTF-8, with nothing a reader must not get (control and bidi characters, and lone
    surrogates, which UTF-8 cannot hold)."""
    return _SURROGATE.sub("", strip_controls(text)).encode("utf-8")


_SURROGATE = re.compile("[\ud800-\udfff]")


# --- Markdown -----------------------------------------------------------------------------------


def _lines(items: Iterable[str], mark: str = "-") -> list[str]:
    return [f"{mark} {md(item)}" for item in content.unique(items)]


def _numbered(items: Iterable[str]) -> list[str]:
    return [f"{n}. {md(item)}" for n, item in enumerate(content.unique(items), start=1)]


def _join(blocks: Iterable[list[str]]) -> str:
    return "\n\n".join("\n".join(block) for block in blocks if block) + "\n"


def facilitator_md(lesson: Lesson) -> str:
    """The facilitator's plan: the 90-minute session with timings, what to say at each layer, the
    questions with their answers, the facts to present with care, the checklist and the sources."""
    w = content.words
    blocks: list[list[str]] = [
        [f"# {md(w('facilitator.title', title=clean(lesson.case.title)))}"],
        [f"> **{md(line)}**" for line in content.cautions(lesson)],
        [md(w("facilitator.intro", audience=clean(lesson.audience.name))), "",
         md(f"{w('naming')} {w('blame')}")],
        [md(w("facilitator.wellbeing"))] if content.fatal(lesson) else [],
        [f"## {w('legend')}"], _lines(content.legend(lesson)),
        [f"## {w('facilitator.plan')}"],
    ]
    plan = []
    for step in content.session_plan():
        when = w("facilitator.minutes", start=step.start, end=step.end)
        line = f"- **{when}**: {md(w('facilitator.step.' + step.key))}"
        if step.key == "layers" and lesson.layers_not_held:
            line += " " + md(content.layer_timing(lesson))
        plan.append(line)
    blocks.append(plan)
    blocks.append([f"## {w('facilitator.running')}"])
    blocks.append(_lines([w("facilitator.groups"), w("facilitator.disputed-point")]))
    blocks.append([f"## {w('facilitator.findings')}"])
    blocks.append(_lines(content.finding_lines_full(lesson)))
    disputes = [dispute for dispute in lesson.disputes if len(dispute.positions) > 1]
    if disputes:
        blocks.append([f"## {w('facilitator.disputes')}"])
        for dispute in disputes:
            blocks.append([f"**{md(content.content_question(dispute.question))}**", "",
                           *_lines(content.sentence(side.claim) for side in dispute.positions)])
    blocks.append([f"## {w('facilitator.layers')}"])
    if not lesson.layers_not_held:
        blocks.append([md(w("none-held"))])
    for layer in lesson.layers_not_held:
        heading = w("facilitator.layer", number=layer.number, name=clean(layer.name),
                    state=content.plain(layer.state), meaning=content.plain_meaning(layer.state))
        blocks.append([f"### {md(heading)}"])
        items: list[str] = []
        if layer.stopper:
            items.append(md(w("stopper-named", name=clean(layer.name))))
        labelled = [("label.went-wrong", layer.rationale), ("label.good-practice", layer.good_practice),
                    ("label.you-can", layer.action or "")]
        labelled += [("label.standard", f"{clean(standard.title)}: {clean(standard.says)}")
                     for standard in layer.standards]
        items += [f"**{w(key)}** {md(value)}" for key, value in labelled if value]
        blocks.append([f"- {item}" for item in dict.fromkeys(items)])
    questions = content.three_questions(lesson)
    if questions:
        blocks.append([f"## {w('facilitator.questions')}"])
        for n, item in enumerate(questions, start=1):
            blocks.append([f"### {w('facilitator.question', n=n)}", "", md(item.question)])
            blocks.append([f"**{w('facilitator.answer')}:** {md(' '.join(item.answer))}"])
    doubts = content.doubts(lesson)
    if doubts:
        blocks.append([f"## {w('facilitator.certainty')}"])
        blocks.append(_lines(content.doubt_line(doubt) for doubt in doubts))
    sections = content.checklist(lesson)
    if sections:
        blocks.append([f"## {w('facilitator.checklist')}"])
        for title, layers in sections:
            blocks.append([f"### {md(title)}"])
            for name, entries in layers:
                blocks.append([f"**{md(name)}**", "", *(f"- [ ] {md(entry)}" for entry in entries)])
    blocks.append([f"## {w('facilitator.sources')}"])
    blocks.append(_numbered(content.source_line(source)
                            for source in content.short_sources(lesson, content.FACILITATOR_SOURCES)))
    blocks.append([md(w("facilitator.sources-more"))])
    return _join(blocks)


def quiz_md(lesson: Lesson) -> str:
    """The quiz: the questions, then the answers under their own heading."""
    w = content.words
    items = content.quiz(lesson)
    blocks: list[list[str]] = [[f"# {md(w('quiz.title', title=clean(lesson.case.title)))}"], [md(w("quiz.intro"))]]
    blocks.append([f"{n}. {md(item.question)}" for n, item in enumerate(items, start=1)])
    blocks.append(["---", "", f"## {w('quiz.answers')}"])
    for n, item in enumerate(items, start=1):
        blocks.append([f"**{md(w('quiz.question', n=n))}.** {md(item.question)}"])
        blocks.append(_lines(item.answer))
    return _join(blocks)


def quiz_html(lesson: Lesson) -> str:
    """The quiz for print: the questions with room to write, the answers on a page of their own."""
    return _environment().get_template("quiz.html.j2").render(
        lesson=lesson, w=content.words, items=content.quiz(lesson))


def index_html(entries: Iterable[IndexEntry]) -> str:
    """The kit's index: each case with its protocol and files."""
    labels = {"handout.html": "file.handout", "lesson.html": "file.lesson", "slides.pptx": "file.slides",
              "facilitator.md": "file.facilitator", "quiz.md": "file.quiz", "quiz.html": "file.quiz-print"}
    return _environment().get_template("index.html.j2").render(
        entries=list(entries), w=content.words, labels=labels, humanize=humanize, MdSafe=MdSafe)
