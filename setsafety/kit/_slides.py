"""The slides: an editable PowerPoint deck made with python-pptx from the lesson data.

Text goes into the layouts' placeholders of python-pptx's default template, so a trainer can edit and
restyle it; the layers figure is drawn with native shapes (a slice per layer, filled and outlined by
its state, holes where it did not hold, the hazard's path as one line), so it stays editable too. The
facilitator's answers are in each slide's notes. Every piece of text is stripped of characters XML
cannot hold (controls, lone surrogates) before it reaches the file.

python-pptx is imported here only, when a deck is made: ``import setsafety`` and ``setsafety validate``
never load it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from setsafety.kit import _content as content
from setsafety.lessons import Lesson
from setsafety.lessons._model import LayerState
from setsafety.lessons._text import clean
from setsafety.phrasing import STATES, join_words

#: Characters XML 1.0 cannot hold (python-pptx would refuse them): C0 controls but tab and newline,
#: lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

#: The default template's layouts, by what they are used for.
_TITLE, _CONTENT, _TITLE_ONLY = 0, 1, 5
#: Font sizes tried for a body, largest first, and the smallest allowed.
_SIZES = (24, 20, 18, 16, 14, 13, 12, 11, 10)
#: Font sizes tried for a title.
_TITLE_SIZES = (36, 32, 28, 24, 20)
#: Average glyph width as a share of the font size (Calibri), and line height.
_GLYPH, _LEADING = 0.43, 1.2
#: Checklist items per slide.
_CHECKS_PER_SLIDE = 12
#: Fills of the states drawn with a pattern in the SVG figure: their background colour.
_PATTERN_FILLS = {"degraded": "fff1cc", "failed": "f9d0d3", "skipped": "fde2cc", "unknown": "eceff3"}


def text(value: object) -> str:
    """Record or catalogue text as slides hold it: one tidy line, nothing XML cannot hold."""
    return _NOT_XML.sub("", clean(value))


def _size_runs(paragraph: Any, size: int) -> None:
    """Every run of a paragraph at ``size`` points (a paragraph's own default size is not what viewers use)."""
    for run in paragraph.runs:
        run.font.size = Pt(size)


def _rgb(colour: str) -> RGBColor:
    hexa = colour.lstrip("#")
    return RGBColor(int(hexa[0:2], 16), int(hexa[2:4], 16), int(hexa[4:6], 16))  # type: ignore[no-untyped-call]


def _fill_colour(state: str) -> str:
    fill = STATES.get(state, STATES["unknown"]).fill
    return _PATTERN_FILLS.get(state, "eceff3") if fill.startswith("pattern:") else fill.lstrip("#")


def fits(paragraphs: Sequence[str], width: int, height: int, size: int) -> bool:
    """Whether paragraphs at ``size`` points fit a box (EMU), by an estimate of glyph widths."""
    per_line = max(1, int(Emu(width).pt * 0.92 / (size * _GLYPH)))
    lines = sum(max(1, -(-len(paragraph) // per_line)) for paragraph in paragraphs)
    spacing = len(paragraphs) * size * 0.3
    return lines * size * _LEADING + spacing <= Emu(height).pt * 0.92


def font_size(paragraphs: Sequence[str], width: int, height: int) -> int:
    """The largest size at which the paragraphs fit the box (the smallest size if none does)."""
    return next((size for size in _SIZES if fits(paragraphs, width, height, size)), _SIZES[-1])


class Deck:
    """A deck being built."""

    def __init__(self) -> None:
        self.prs: Any = Presentation()

    def _slide(self, layout: int, title: str) -> Slide:
        slide: Slide = self.prs.slides.add_slide(self.prs.slide_layouts[layout])
        holder = slide.shapes.title
        assert holder is not None
        line = text(title)
        holder.text = line
        size = next((size for size in _TITLE_SIZES if fits([line], holder.width, holder.height, size)),
                    _TITLE_SIZES[-1])
        _size_runs(holder.text_frame.paragraphs[0], size)
        return slide

    @staticmethod
    def notes(slide: Slide, lines: Iterable[str]) -> None:
        """The facilitator's notes of a slide, one paragraph per line."""
        frame = slide.notes_slide.notes_text_frame
        assert frame is not None
        shown = content.unique(text(line) for line in lines)
        frame.text = "\n".join(shown)

    def title(self, title: str, subtitle: Sequence[str]) -> Slide:
        slide = self._slide(_TITLE, title)
        holder = slide.placeholders[1]
        holder.text_frame.text = "\n".join(text(line) for line in subtitle)
        return slide

    def bullets(self, title: str, items: Sequence[tuple[int, str] | tuple[int, str, str]]) -> Slide:
        """A title and a body of paragraphs ``(level, text)`` or ``(level, label, text)`` (the label in
        bold), at the largest size that fits."""
        slide = self._slide(_CONTENT, title)
        body = slide.placeholders[1]
        frame = body.text_frame
        frame.word_wrap = True
        shown = [(item[0], text(item[1]) if len(item) == 3 else "", text(item[-1])) for item in items]
        shown = [(level, label, line) for level, label, line in shown if line]
        size = font_size([f"{label} {line}" for _, label, line in shown], body.width, body.height)
        for index, (level, label, line) in enumerate(shown):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.level = level
            if label:
                run = paragraph.add_run()
                run.text = f"{label} "
                run.font.bold = True
            paragraph.add_run().text = line
            _size_runs(paragraph, size if level == 0 else max(_SIZES[-1], size - 2))
        return slide

    def figure(self, title: str, lesson: Lesson) -> Slide:
        slide = self._slide(_TITLE_ONLY, title)
        _draw_layers(slide, lesson.layers, content.said(lesson.case.event_words, lesson.case.event_kind))
        return slide

    def save(self) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


def _box(slide: Slide, left: float, top: float, width: float, height: float, line: str, size: int, *,
         bold: bool = False, colour: str = "111827", align: Any = PP_ALIGN.CENTER) -> Any:
    shape = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = shape.text_frame
    frame.word_wrap = True
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, 0)
    paragraph = frame.paragraphs[0]
    paragraph.text = text(line)
    paragraph.alignment = align
    for run in paragraph.runs:
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = _rgb(colour)
    return shape


def _draw_layers(slide: Slide, layers: Sequence[LayerState], event_kind: str) -> None:
    """The layers as slices in the protocol's order (mitigating ones after the event), holes where a layer
    did not hold, the hazard's path as a line that goes over layers that held, and a key below."""
    main = [layer for layer in layers if layer.kind != "mitigating"]
    after = [layer for layer in layers if layer.kind == "mitigating"]
    left, right, harm = 1.0, 9.6, 0.9
    slot = (right - left - harm) / max(1, len(layers))
    top, height = 1.7, 3.6
    middle = line_y = top + 0.4
    width = slot * 0.62
    places: list[tuple[LayerState, float]] = [(layer, left + i * slot) for i, layer in enumerate(main)]
    harm_x = left + len(main) * slot
    places += [(layer, harm_x + harm + j * slot) for j, layer in enumerate(after)]
    for layer, x in places:
        look = STATES.get(layer.state, STATES["unknown"])
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(x + (slot - width) / 2), Inches(top),
                                       Inches(width), Inches(height))
        shape.name = text(f"{layer.number}. {layer.name}")
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(_fill_colour(layer.state))
        shape.line.color.rgb = _rgb(look.stroke)
        shape.line.width = Pt(2.5 if layer.not_held else 1.25)
        if look.dashes:
            shape.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        if layer.not_held and layer.state != "absent":
            hole = slide.shapes.add_shape(MSO_SHAPE.OVAL, Inches(x + slot / 2 - width * 0.3),
                                          Inches(line_y - 0.2), Inches(width * 0.6), Inches(0.4))
            hole.fill.solid()
            hole.fill.fore_color.rgb = _rgb("ffffff")
            hole.line.color.rgb = _rgb(look.stroke)
        label = _box(slide, x + (slot - width) / 2, top + 0.75, width, height - 0.8, layer.name,
                     9 if len(layer.name) < 36 else 8, align=PP_ALIGN.LEFT)
        label.text_frame._txBody.bodyPr.set("vert", "vert270")
        label.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        _box(slide, x, top + height + 0.05, slot, 0.3, str(layer.number), 14, bold=True)
        _box(slide, x - 0.05, top + height + 0.33, slot + 0.1, 0.25, content.plain(layer.state), 9,
             colour=look.stroke.lstrip("#"))
    star = slide.shapes.add_shape(MSO_SHAPE.STAR_12_POINT, Inches(harm_x + harm / 2 - 0.22), Inches(middle - 0.22),
                                  Inches(0.44), Inches(0.44))
    star.fill.solid()
    star.fill.fore_color.rgb = _rgb("b42318")
    star.line.color.rgb = _rgb("7a1a12")
    _box(slide, harm_x, middle + 0.28, harm, 0.3, event_kind, 10, bold=True, colour="7a1a12")
    _box(slide, 0.2, middle - 0.45, left - 0.2, 0.3, content.words("slides.hazard"), 11, bold=True,
         align=PP_ALIGN.LEFT)
    _path(slide, main, left, slot, middle, top - 0.3, harm_x + harm / 2 - 0.25)


def _path(slide: Slide, main: Sequence[LayerState], left: float, slot: float, middle: float, over: float,
          end: float) -> None:
    """The hazard's path: straight through layers that did not stop it, over runs of layers that held."""
    points: list[tuple[float, float]] = [(0.25, middle)]
    i = 0
    while i < len(main):
        if main[i].state != "held":
            i += 1
            continue
        j = i
        while j + 1 < len(main) and main[j + 1].state == "held":
            j += 1
        start, stop = left + i * slot, left + (j + 1) * slot
        points += [(start, middle), (start + 0.12, over), (stop - 0.12, over), (stop, middle)]
        i = j + 1
    points.append((end, middle))
    builder = slide.shapes.build_freeform(Inches(points[0][0]), Inches(points[0][1]), scale=1.0)
    builder.add_line_segments([(Inches(x), Inches(y)) for x, y in points[1:]], close=False)
    shape = builder.convert_to_shape()
    shape.name = text(content.words("slides.hazard"))
    shape.fill.background()
    shape.line.color.rgb = _rgb("111827")
    shape.line.width = Pt(3)
    line = shape.line._get_or_add_ln()
    tail = line.makeelement(qn("a:tailEnd"), {"type": "triangle", "w": "med", "len": "med"})
    line.append(tail)


def render_slides(lesson: Lesson) -> bytes:
    """The deck of one lesson, as the bytes of a .pptx file."""
    deck = Deck()
    c = lesson.case
    story = lesson.what_happened
    meta = content.words("meta-production" if c.production else "meta", date=text(c.date),
                         event_kind=content.said(c.event_words, c.event_kind), production=text(c.production or ""))
    first = deck.title(c.title, [content.words("slides.kicker", audience=lesson.audience.name), meta,
                                 *content.cautions(lesson)])
    deck.notes(first, [content.words("naming"), content.words("blame")])

    lines: list[tuple[int, str]] = [(0, story.summary)]
    if story.event:
        lines.append((0, content.words("when-where-place" if story.event.place else "when-where",
                                       when=text(story.event.when), activity=text(story.event.activity),
                                       place=text(story.event.place or ""))))
    lines += [(1, line) for line in content.harmed_lines(lesson)]
    slide = deck.bullets(content.words("slides.story"), lines)
    notes = [content.words("slides.notes-story")]
    if story.event:
        notes += [story.event.text, story.event.mechanism or ""]
    deck.notes(slide, notes)

    count = len(lesson.layers_not_held)
    said = (content.words("slides.not-held-count.none") if count == 0 else
            content.words("slides.not-held-count.one") if count == 1 else
            content.words("slides.not-held-count.many", n=count))
    slide = deck.figure(content.words("slides.layers"), lesson)
    deck.notes(slide, [content.words("slides.notes-layers", count=said),
                       *content.legend(lesson)])

    shown: set[str] = set()
    for layer in lesson.layers_not_held:
        items: list[tuple[int, str] | tuple[int, str, str]] = []
        if layer.rationale:
            items.append((0, content.words("label.went-wrong"), layer.rationale))
        items.append((0, content.words("label.good-practice"), layer.good_practice))
        if layer.action:
            items.append((0, content.words("label.you-can"), layer.action))
        new = [text(standard.title) for standard in layer.standards if text(standard.title) not in shown]
        shown.update(new)
        if new:  # a standard is named on the first slide that cites it; every slide's notes say what it says
            items.append((1, content.words("label.standard"), "; ".join(new)))
        slide = deck.bullets(content.words("slides.layer-title", number=layer.number, name=text(layer.name),
                                           state=content.plain(layer.state)), items)
        notes = [content.words("facilitator.layer", number=layer.number, name=text(layer.name),
                               state=content.plain(layer.state), meaning=content.plain_meaning(layer.state))]
        notes += [content.words("stopper-named", name=text(layer.name))] if layer.stopper else []
        notes += [layer.lesson, *(content.sentence(item.summary) for item in layer.evidence)]
        notes += [f"{text(standard.title)}: {text(standard.says)}" for standard in layer.standards]
        deck.notes(slide, notes)

    questions = content.three_questions(lesson)
    if questions:
        slide = deck.bullets(content.words("slides.questions"),
                             [(0, f"{n}. {item.question}") for n, item in enumerate(questions, start=1)])
        deck.notes(slide, [f"{n}. {item.question} " + content.words("slides.notes-answer", text=" ".join(item.answer))
                           for n, item in enumerate(questions, start=1)])

    for section, layers in content.checklist(lesson):
        checks: list[tuple[int, str]] = []
        for label, entries in layers:
            checks.append((0, label))
            checks += [(1, entry) for entry in entries]
        parts = _split(checks, _CHECKS_PER_SLIDE)
        for number, part in enumerate(parts, start=1):
            title = content.words("slides.checklist-section", title=section) if len(parts) == 1 else \
                content.words("slides.checklist-section-part", title=section, n=number, of=len(parts))
            slide = deck.bullets(title, part)
            names = join_words(label.rstrip(":") for level, label in part if level == 0)
            deck.notes(slide, [content.words("slides.notes-checklist", layers=names)])
    return deck.save()


def _split(items: Sequence[tuple[int, str]], size: int) -> list[list[tuple[int, str]]]:
    """Items in runs of about ``size``, never ending a run on a heading (level 0) nor splitting a short group."""
    parts: list[list[tuple[int, str]]] = [[]]
    for index, item in enumerate(items):
        group_end = next((k for k in range(index + 1, len(items)) if items[k][0] == 0), len(items))
        if item[0] == 0 and parts[-1] and len(parts[-1]) + (group_end - index) > size:
            parts.append([])
        parts[-1].append(item)
    return [part for part in parts if part]
