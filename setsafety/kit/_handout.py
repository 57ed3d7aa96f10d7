"""The two-page handout: one standalone HTML file with print CSS (A4 and Letter)."""

from __future__ import annotations

from functools import cache
from typing import Any

import attrs
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from setsafety.kit import _content as content
from setsafety.lessons import Lesson
from setsafety.lessons._figures import swiss_cheese
from setsafety.lessons._text import clean, safe_url
from setsafety.phrasing import humanize

#: Paper sizes a handout can be pinned to (``None``: the printer's paper; the layout fits A4 and Letter).
PAPERS = {"a4": "A4", "letter": "letter"}
#: Above this much text (in characters), the handout is made compact so that it still prints on two
#: pages: it leaves out what went wrong at each layer (the lesson and the slides have it), lists fewer
#: sources without their web addresses, and sets the text and the figure a little smaller.
TEXT_BUDGET = 4600
#: How many sources a compact handout lists.
COMPACT_SOURCES = 4


@attrs.frozen
class _Source:
    number: int
    line: str
    url: str | None


@cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("setsafety.kit", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      finalize=lambda value: value if isinstance(value, Markup) else clean(value))
    env.filters.update(humanize=humanize, upper_first=content.upper_first)
    return env


def layers_figure(lesson: Lesson, prefix: str = "kit-layers") -> Markup:
    """The lesson's Swiss-cheese figure of the layers (inline SVG, escaped)."""
    return swiss_cheese(lesson.layers, lesson.case.event_kind, content.words("handout.figure-label"), prefix)


def _size(lesson: Lesson, questions: tuple[content.Answered, ...], doubts: tuple[str, ...]) -> int:
    text = [lesson.what_happened.summary, lesson.naming_note, *content.findings_lines(lesson),
            *(layer.rationale for layer in lesson.layers_not_held),
            *(layer.action or "" for layer in lesson.layers_not_held),
            *(item.question for item in questions), *doubts, *content.cautions(lesson)]
    return sum(len(part) for part in text) + 90 * len(lesson.layers_not_held)


def render_handout(lesson: Lesson, paper: str | None = None, *, naming: str | None = None) -> str:
    """The handout of one lesson as HTML; ``paper`` pins the page size (``a4`` or ``letter``)."""
    if paper is not None and paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}; choose one of: {', '.join(PAPERS)}")
    c = lesson.case
    story = lesson.what_happened
    event_line = ""
    if story.event:
        event_line = content.words("when-where-place" if story.event.place else "when-where",
                                   when=clean(story.event.when), activity=clean(story.event.activity),
                                   place=clean(story.event.place or ""))
    harmed = content.harmed_lines(lesson)
    questions = content.three_questions(lesson)
    doubts = tuple(content.doubt_line(doubt) for doubt in content.doubts(lesson, content.HANDOUT_UNCERTAIN))
    meta = content.words("meta-production" if c.production else "meta", date=clean(c.date),
                         event_kind=content.said(c.event_words, c.event_kind), production=clean(c.production or ""))
    compact = _size(lesson, questions, doubts) > TEXT_BUDGET
    context: dict[str, Any] = {
        "lesson": lesson, "w": content.words, "page_size": PAPERS.get(paper or ""),
        "meta": meta, "fictional": content.words("fictional"),
        "naming": naming or lesson.naming_note or content.words("naming"),
        "event_line": event_line, "harmed": harmed, "figure": layers_figure(lesson),
        "layers": lesson.layers_not_held,
        "compact": compact,
        "questions": questions, "findings": content.findings_lines(lesson), "doubts": doubts,
        "said": content.said, "plain": content.plain, "legend": content.legend(lesson),
        "cautions": content.cautions(lesson),
        "sources": tuple(_Source(number=source.number, line=content.source_line(source), url=safe_url(source.url))
                         for source in content.short_sources(lesson, COMPACT_SOURCES if compact else
                                                             content.HANDOUT_SOURCES)),
    }
    return _environment().get_template("handout.html.j2").render(**context)
