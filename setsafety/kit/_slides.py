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

import functools
import io
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from setsafety.kit import _content as content
from setsafety.lessons import Lesson
from setsafety.lessons._figures import held_runs
from setsafety.lessons._model import LayerLesson, LayerState, OfficialFinding
from setsafety.lessons._text import clean
from setsafety.phrasing import STATES, join_words

#: The name of a layer slide's title shape: how a layer slide is found again (tests, tools).
LAYER_MARKER = "Layer title"
#: Characters XML 1.0 cannot hold (python-pptx would refuse them): C0 controls but tab and newline,
#: lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

#: The default template's layouts, by what they are used for.
_TITLE, _CONTENT, _TITLE_ONLY = 0, 1, 5
#: Font sizes tried for a body, largest first, and the smallest allowed (read from the back of a room).
_SIZES = (28, 24, 20, 18)
#: The size of a layer slide's three points.
_LAYER_SIZE = 24
#: How long a layer slide's point may be, longest first, until the three fit at ``_LAYER_SIZE``.
_LAYER_LIMITS = (150, 120, 95, 75)
#: How much longer than the other points the audience's action may be and still be shown whole (its second
#: sentence is often the part that says whom to tell).
_ACTION_MORE = 40
#: Findings and disputes a slide shows (the notes hold them all), and how long each line may be.
_SLIDE_FINDINGS, _SLIDE_DISPUTES, _SLIDE_LINE = 4, 3, 110
#: Sizes tried for the figure's key (the smallest text of any slide).
_KEY_SIZES = (20, 18, 16, 14)
#: Font sizes tried for a title.
_TITLE_SIZES = (36, 32, 28, 24, 20)
#: Average glyph width as a share of the font size (Calibri), and line height.
_GLYPH, _LEADING = 0.43, 1.2
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


def fits(paragraphs: Sequence[str], width: int, height: int, size: int, spacing: float = 0.3) -> bool:
    """Whether paragraphs at ``size`` points fit a box (EMU), by an estimate of glyph widths, with
    ``spacing`` (a share of the size) between paragraphs."""
    per_line = max(1, int(Emu(width).pt * 0.92 / (size * _GLYPH)))
    lines = sum(max(1, -(-len(paragraph) // per_line)) for paragraph in paragraphs)
    spacing = len(paragraphs) * size * spacing
    return lines * size * _LEADING + spacing <= Emu(height).pt * 0.92


def font_size(paragraphs: Sequence[str], width: int, height: int) -> int:
    """The largest size at which the paragraphs fit the box (the smallest size if none does)."""
    return next((size for size in _SIZES if fits(paragraphs, width, height, size)), _SIZES[-1])


Item = tuple[int, str] | tuple[int, str, str]


def _shown(items: Sequence[Item]) -> list[tuple[int, str, str]]:
    """Items as (level, bold label, text), with text as slides hold it; empty ones dropped."""
    shown = [(item[0], text(item[1]) if len(item) == 3 else "", text(item[-1])) for item in items]
    return [(level, label, line) for level, label, line in shown if line]


def _lines(items: Sequence[Item]) -> list[str]:
    return [f"{label} {line}".strip() for _, label, line in _shown(items)]


class Deck:
    """A deck being built. Every run of slide text gets its size set, never below ``_SIZES[-1]``, and no
    frame shrinks its text on opening (the text is cut or paged to fit instead)."""

    def __init__(self) -> None:
        self.prs: Any = Presentation()

    def _slide(self, layout: int, title: str) -> Slide:
        slide: Slide = self.prs.slides.add_slide(self.prs.slide_layouts[layout])
        holder = slide.shapes.title
        assert holder is not None
        line = text(title)
        holder.text = line
        holder.text_frame.auto_size = MSO_AUTO_SIZE.NONE
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
        """The title slide: the title high up, and below it the kicker, the date and the cautions, at the
        largest size that fits."""
        slide = self._slide(_TITLE, title)
        head = slide.shapes.title
        assert head is not None
        head.left, head.top, head.width, head.height = Inches(0.75), Inches(0.6), Inches(8.5), Inches(1.9)
        holder = slide.placeholders[1]
        holder.left, holder.top, holder.width, holder.height = Inches(0.75), Inches(2.7), Inches(8.5), Inches(4.3)
        lines = [text(line) for line in subtitle if text(line)]
        frame = holder.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.text = "\n".join(lines)
        size = font_size(lines, holder.width, holder.height)
        for paragraph in frame.paragraphs:
            _size_runs(paragraph, size)
        return slide

    def bullets(self, title: str, items: Sequence[Item], *, size: int | None = None) -> Slide:
        """A title and a body of paragraphs ``(level, text)`` or ``(level, label, text)`` (the label in
        bold), at ``size`` or the largest size that fits."""
        slide = self._slide(_CONTENT, title)
        body = slide.placeholders[1]
        frame = body.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        shown = _shown(items)
        size = size or font_size(_lines(items), body.width, body.height)
        for index, (level, label, line) in enumerate(shown):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.level = level
            if label:
                run = paragraph.add_run()
                run.text = f"{label} "
                run.font.bold = True
            paragraph.add_run().text = line
            _size_runs(paragraph, size)
        return slide

    def paged(self, title: str, items: Sequence[Item], *,
              part: Callable[[int, int], str] | None = None) -> list[Slide]:
        """Bullets on as many slides as it takes for each to fit at the smallest allowed size or larger,
        never ending a slide on a heading (level 0 followed by level 1 items); a paragraph too long for a
        slide alone goes on in its sentences."""
        width, height = Inches(9.0), Inches(4.95)

        def fit(part: Sequence[Item]) -> bool:
            return fits(_lines(part), width, height, _SIZES[-1])

        pieces: list[Item] = []
        for item in items:
            if fit([item]):
                pieces.append(item)
            else:
                sentences = [piece for piece in content.split_sentences(item[-1]) if piece]
                pieces += [(item[0], piece) for piece in sentences]
        parts = _split(pieces, fit)
        slides = []
        for number, items_of in enumerate(parts, start=1):
            shown = title if len(parts) == 1 else part(number, len(parts)) if part else \
                content.words("slides.part", title=title, n=number, of=len(parts))
            slides.append(self.bullets(shown, items_of))
        return slides

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
    frame.auto_size = MSO_AUTO_SIZE.NONE
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
    """The layers as numbered columns in the protocol's order (mitigating ones after the event), filled and
    outlined by state, holes where a layer did not hold, the hazard's path as a line that goes over layers
    that held, the event as a star; below, a key: each number with the layer's name and its state, in
    horizontal text of at least 14 pt, the state in its colour."""
    main = [layer for layer in layers if layer.kind != "mitigating"]
    after = [layer for layer in layers if layer.kind == "mitigating"]
    left, right, harm = 1.0, 9.6, 1.1
    slot = (right - left - harm) / max(1, len(layers))
    top, height = 1.65, 1.6
    middle = line_y = top + 0.4
    width = slot * 0.7
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
        _box(slide, x, top + height - 0.55, slot, 0.4, str(layer.number), 20, bold=True)
    star = slide.shapes.add_shape(MSO_SHAPE.STAR_12_POINT, Inches(harm_x + harm / 2 - 0.22), Inches(middle - 0.22),
                                  Inches(0.44), Inches(0.44))
    star.fill.solid()
    star.fill.fore_color.rgb = _rgb("b42318")
    star.line.color.rgb = _rgb("7a1a12")
    _box(slide, harm_x - 0.1, middle + 0.3, harm + 0.2, 0.9, event_kind, 18, bold=True, colour="7a1a12")
    _box(slide, 0.15, middle - 0.5, left - 0.15, 0.35, content.words("slides.hazard"), 18, bold=True,
         align=PP_ALIGN.LEFT)
    _path(slide, main, left, slot, middle, top - 0.3, harm_x + harm / 2 - 0.25)
    _key(slide, [layer for layer, _ in places], top + height + 0.15)


def _key(slide: Slide, layers: Sequence[LayerState], top: float) -> None:
    """The figure's key: one paragraph per slice, "N. Name: " and the state in its colour, at the largest
    size of ``_KEY_SIZES`` that fits the rest of the slide (in one column, or two when that fits larger)."""
    ordered = sorted(layers, key=lambda layer: layer.number)
    lines = [(content.words("slides.key-line", number=layer.number, name=text(layer.name)), content.plain(layer.state),
              layer) for layer in ordered]
    height = 7.35 - top
    best: tuple[int, int] | None = None
    for size in _KEY_SIZES:
        for columns in (1, 2):
            per = -(-len(lines) // columns)
            width = 9.2 / columns
            if all(fits([f"{head} {state}" for head, state, _ in lines[c * per:(c + 1) * per]], Inches(width),
                        Inches(height), size, spacing=0) for c in range(columns)):
                best = best or (size, columns)
        if best:
            break
    size, columns = best or (_KEY_SIZES[-1], 2)
    per = -(-len(lines) // columns)
    for column in range(columns):
        shape = slide.shapes.add_textbox(Inches(0.4 + column * 9.2 / columns), Inches(top), Inches(9.2 / columns),
                                         Inches(height))
        shape.name = content.words("legend")
        frame = shape.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        for index, (head, state, layer) in enumerate(lines[column * per:(column + 1) * per]):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.space_before = paragraph.space_after = Pt(0)
            run = paragraph.add_run()
            run.text = text(head)
            run.font.size = Pt(size)
            run.font.color.rgb = _rgb("111827")
            run = paragraph.add_run()
            run.text = " " + text(state)
            run.font.size = Pt(size)
            run.font.bold = True
            run.font.color.rgb = _rgb(STATES.get(layer.state, STATES["unknown"]).stroke)


def _path(slide: Slide, main: Sequence[LayerState], left: float, slot: float, middle: float, over: float,
          end: float) -> None:
    """The hazard's path: straight through layers that did not stop it, over runs of layers that held."""
    points: list[tuple[float, float]] = [(0.25, middle)]
    for i, j in held_runs(main):
        start, stop = left + i * slot, left + (j + 1) * slot
        points += [(start, middle), (start + 0.12, over), (stop - 0.12, over), (stop, middle)]
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


def _layer_items(layer: LayerLesson, limit: int) -> list[Item]:
    """A layer slide's three points: the first reason, good practice's first sentence, what the audience can
    do (whole when short, else its first sentence), each at most ``limit`` characters (the action a little
    more), cut between words."""
    items: list[Item] = []
    if layer.rationale:
        items.append((0, content.words("label.went-wrong"), content.brief(layer.rationale, limit, clause=True)))
    items.append((0, content.words("label.good-practice"), content.brief(layer.good_practice, limit)))
    if layer.action:
        action = content.sentence(layer.action)
        items.append((0, content.words("label.you-can"),
                      action if len(action) <= limit + _ACTION_MORE else content.brief(action, limit)))
    return items


def _layer_notes(layer: LayerLesson, *, first: bool) -> list[str]:
    """What a layer slide leaves to the notes (the ``first`` layer slide says so): the state and its
    meaning, the full reasons, good practice and action, the evidence with its certainty, the lesson, the
    standards with what they say, and the findings on this layer with whether the analysis agrees."""
    notes = [content.words("facilitator.layer", number=layer.number, name=text(layer.name),
                           state=content.plain(layer.state), meaning=content.plain_meaning(layer.state)),
             content.words("slides.notes-layer-slide") if first else ""]
    notes += [content.words("stopper-named", name=text(layer.name))] if layer.stopper else []
    notes.append(content.words("slides.notes-went-wrong", text=content.sentence(layer.rationale)))
    notes += [content.certain(item.summary, "disputed" if item.disputed else item.certainty, item.certainty_words)
              for item in layer.evidence]
    notes.append(layer.lesson)
    notes.append(content.words("slides.notes-good-practice", text=content.sentence(layer.good_practice)))
    if layer.action:
        notes.append(content.words("slides.notes-you-can", text=content.sentence(layer.action)))
    notes += [f"{text(standard.title)}: {text(standard.says)}" for standard in layer.standards]
    notes += [content.words("slides.notes-finding", body=text(row.body), text=content.sentence(row.text),
                            name=text(layer.name), agreement=content.words("agreement." + row.agreement))
              for row in layer.findings if row.text]
    return notes


def _agreement(finding: OfficialFinding) -> str:
    """Whether the analysis agrees with a finding, in the slide's words: it differs if it differs on any
    layer, agrees if it agrees on every one it can compare (empty when the finding names no layer)."""
    found = {row.agreement for row in finding.layers}
    for agreement in ("disagrees", "agrees", "cannot-tell"):
        if agreement in found:
            return content.words("slides.agreement." + agreement)
    return ""


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

    lines: list[Item] = [(0, story.summary)]
    if story.event:
        lines.append((0, content.words("when-where-place" if story.event.place else "when-where",
                                       when=text(story.event.when), activity=text(story.event.activity),
                                       place=text(story.event.place or ""))))
    lines += [(1, line) for line in content.harmed_lines(lesson)]
    notes = [content.words("slides.notes-story")]
    if story.event:
        notes += [story.event.text, story.event.mechanism or ""]
    for number, slide in enumerate(deck.paged(content.words("slides.story"), lines), start=1):
        deck.notes(slide, notes if number == 1 else [content.words("slides.notes-story-more", n=number)])

    count = len(lesson.layers_not_held)
    said = (content.words("slides.not-held-count.none") if count == 0 else
            content.words("slides.not-held-count.one") if count == 1 else
            content.words("slides.not-held-count.many", n=count))
    slide = deck.figure(content.words("slides.layers"), lesson)
    deck.notes(slide, [content.words("slides.notes-layers", count=said), content.words("slides.notes-key"),
                       *content.legend(lesson)])

    for layer in lesson.layers_not_held:
        title = content.words("slides.layer-title", number=layer.number, name=text(layer.name),
                              state=content.plain(layer.state))
        items = next((items for limit in _LAYER_LIMITS
                      if fits(_lines(items := _layer_items(layer, limit)), Inches(9.0), Inches(4.95), _LAYER_SIZE)),
                     _layer_items(layer, _LAYER_LIMITS[-1]))
        slide = deck.bullets(title, items, size=_LAYER_SIZE)
        slide.shapes.title.name = LAYER_MARKER  # type: ignore[union-attr]
        deck.notes(slide, _layer_notes(layer, first=layer is lesson.layers_not_held[0]))

    disputes = [dispute for dispute in lesson.disputes if dispute.positions]
    if disputes:
        slide = deck.bullets(content.words("slides.disputes"),
                             [(0, content.content_question(content.brief(dispute.question, _SLIDE_LINE)))
                              for dispute in disputes[:_SLIDE_DISPUTES]])
        notes = [content.words("slides.notes-disputes")]
        for dispute in disputes[:_SLIDE_DISPUTES]:
            notes.append(content.words("slides.notes-dispute", question=content.content_question(dispute.question)))
            notes += [content.words("quiz.position", claim=content.sentence(side.claim).rstrip("."),
                                    by=join_words(text(who) for who in side.held_by)) if side.held_by else
                      content.sentence(side.claim) for side in dispute.positions]
        deck.notes(slide, notes)

    questions = content.three_questions(lesson)
    if questions:
        slide = deck.bullets(content.words("slides.questions"),
                             [(0, f"{n}. {item.question}") for n, item in enumerate(questions, start=1)])
        deck.notes(slide, [f"{n}. {item.question} " + content.words("slides.notes-answer", text=" ".join(item.answer))
                           for n, item in enumerate(questions, start=1)])

    for section, layers in content.checklist(lesson):
        checks: list[Item] = []
        for label, entries in layers:
            checks.append((0, label))
            checks += [(1, entry) for entry in entries]
        for slide in deck.paged(content.words("slides.checklist-section", title=section), checks,
                                part=functools.partial(_checklist_part, section)):
            deck.notes(slide, [content.words("slides.notes-checklist", layers=_headings(slide))])

    if lesson.findings:
        shown: list[Item] = []
        for finding in lesson.findings:
            line = content.brief(finding.text, _SLIDE_LINE)
            agreement = _agreement(finding)
            item = content.words("slides.finding" if agreement else "slides.finding-no-layer", text=line.rstrip("."),
                                 body=text(finding.body), agreement=agreement)
            if item not in {entry[-1] for entry in shown}:
                shown.append((0, item))
        slide = deck.bullets(content.words("slides.findings"), shown[:_SLIDE_FINDINGS])
        deck.notes(slide, [content.words("slides.notes-findings"), *content.finding_lines_full(lesson)])

    actions = [(0, content.brief(layer.action, _SLIDE_LINE)) for layer in content.ranked_layers(lesson)
               if layer.action]
    closing: list[Item] = [*list(dict.fromkeys(actions))[:3]] or \
        [(0, f"{n}. {item.question}") for n, item in enumerate(questions, start=1)]
    slide = deck.bullets(content.words("slides.closing"), closing)
    deck.notes(slide, [content.words("slides.notes-closing")])
    return deck.save()


def _checklist_part(section: str, number: int, of: int) -> str:
    return content.words("slides.checklist-section-part", title=section, n=number, of=of)


def _headings(slide: Slide) -> str:
    """The layer headings (level 0, ending with a colon) of a checklist slide, joined."""
    body = slide.placeholders[1].text_frame
    return join_words(paragraph.text.rstrip(":") for paragraph in body.paragraphs
                      if paragraph.level == 0 and paragraph.text.endswith(":"))


def _split(items: Sequence[Item], fit: Callable[[Sequence[Item]], bool]) -> list[list[Item]]:
    """Items in runs that each ``fit``, never ending a run on a heading (level 0) nor splitting a group that
    fits a slide of its own."""
    parts: list[list[Item]] = [[]]
    for index, item in enumerate(items):
        group_end = next((k for k in range(index + 1, len(items)) if items[k][0] == 0), len(items))
        adding = list(items[index:group_end]) if item[0] == 0 and fit(items[index:group_end]) else \
            list(items[index:index + 2]) if item[0] == 0 else [item]
        if parts[-1] and not fit([*parts[-1], *adding]):
            parts.append([])
        parts[-1].append(item)
    return [part for part in parts if part]
