"""The words a trainer puts in front of a class: for every bundled case, every audience of its protocol and
every format, the human-facing text of a lesson holds no record id, no JSON pointer, no raw enumerated value,
no "(s)" and no repeated line.

What counts as human-facing:

- ``txt`` and ``md``: the whole output (Markdown escapes are undone first; the Mermaid source of the custody
  diagram is code, but its labels are checked like any other text);
- ``html``: the text of the page and the attributes a reader meets (``title``, ``aria-label``, ``alt``), the
  SVG figures included (their labels are searched, not compared for repeats: a pack draws one figure per case,
  with the same layer names; headings may repeat too); never ``id``, ``class`` or ``href``;
- ``json``: every string value, except those of fields the lesson model marks as data for tools
  (``metadata={"data": True}``: ids, codes, pointers, enumerated values), and the keys.

Sources are cited by number (``[1]``, ``[2, 3]``) with a numbered list at the end, so a source id never needs
to appear in the text; URLs are left out of the search (a web address may hold anything).

A hyphenated id or enumerated value that the record's or the protocol's own prose also uses as a word
(``low-budget``, ``stand-off``) cannot be told apart from that word, so it is not searched for in that case;
single words (an item id ``helicopter``) are words, and are not searched for either.
"""

from __future__ import annotations

import functools
import html.parser
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import setsafety
from setsafety.analysis import analyze
from setsafety.cases import case_path
from setsafety.lessons import _model, render_lessons, render_pack
from setsafety.phrasing import CATALOGUE, STATES

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
FORMATS = ("md", "html", "txt", "json")
CASES = setsafety.list_cases()

#: A hyphenated lowercase word: how ids and enumerated values look.
SLUG = re.compile(r"(?<![\w-])[a-z0-9]+(?:-[a-z0-9]+)+(?![\w-])", re.IGNORECASE)
URL = re.compile(r"https?://\S+")
#: The first segment of a JSON pointer into a record: the record's top-level fields.
_TOP_LEVEL = sorted(json.loads((SCHEMAS / "incident.schema.json").read_text(encoding="utf-8"))["properties"])
_FIRST = "|".join(map(re.escape, _TOP_LEVEL))
POINTER = re.compile(rf"(?<![\w.:/#-])/(?:{_FIRST})(?:/[\w-]+)*(?![\w-])")
#: A line shorter than this may repeat (a short heading); so may a label ending in ":" ("What you can do
#: (Whole crew):") and a form line of blanks to fill in (the checklist's sign-off). Plain text is compared by
#: logical item (a bullet or a paragraph, however it wraps), the other formats line by line or block by block.
REPEAT_MIN = 32


def _walk(value: Any) -> Iterator[tuple[str | None, Any]]:
    """Every (key, value) pair of a JSON value, depth first."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from _walk(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield None, item
            yield from _walk(item)


def _enum_values(schema: Any) -> set[str]:
    found: set[str] = set()
    for key, value in _walk(schema):
        if key == "enum" and isinstance(value, list):
            found.update(item for item in value if isinstance(item, str) and "-" in item)
    return found


@functools.cache
def machine_words() -> frozenset[str]:
    """Hyphenated enumerated values of the schemas, and the analyzers' states, codes and issue kinds."""
    words: set[str] = set()
    for name in ("incident.schema.json", "protocol.schema.json"):
        words |= _enum_values(json.loads((SCHEMAS / name).read_text(encoding="utf-8")))
    words |= {state for state in STATES if "-" in state}
    for section in CATALOGUE.values():
        for code in section:
            words.update(part for part in code.split(".") if "-" in part)
    return frozenset(word.lower() for word in words)


def _prose_words(data: Any) -> set[str]:
    """Hyphenated words that a text (a string with a space in it) of the data uses."""
    found: set[str] = set()
    for key, value in _walk(data):
        if key not in ("id",) and isinstance(value, str) and " " in value:
            found.update(word.lower() for word in SLUG.findall(URL.sub(" ", value)))
    return found


@functools.cache
def forbidden(case: str) -> tuple[frozenset[str], frozenset[str]]:
    """The case's hyphenated record ids, and the hyphenated words its record's and protocol's prose use."""
    record = json.loads(case_path(case).read_text(encoding="utf-8"))
    ids = {value.lower() for key, value in _walk(record) if key == "id" and isinstance(value, str)}
    ids |= {value.lower() for key, values in _walk(record) if key == "sources" and isinstance(values, list)
            for value in values if isinstance(value, str)}
    ids.add(record["id"])
    protocol = setsafety.load_protocol(analyze(setsafety.load_case(case)).protocol)
    prose = _prose_words(record) | _prose_words(attrs.asdict(protocol))
    return frozenset(word for word in ids if "-" in word), frozenset(prose)


class _Text(html.parser.HTMLParser):
    """The text of an HTML page in blocks, with the attributes a reader meets."""

    BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "dt", "dd", "figcaption", "caption",
                        "title", "desc", "text", "summary", "div", "section", "tr", "blockquote"})
    #: Headings label what follows them ("What you can do (Whole crew)"), and may repeat.
    HEADINGS = frozenset({"h1", "h2", "h3", "h4", "thead"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = [""]
        self.figures: list[str] = []
        self._svg = 0
        self.headings: list[str] = []
        self.attributes: list[str] = []
        self._skip = 0
        self._heading = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        if tag in self.BLOCKS:
            self.blocks.append("")
        if tag in self.HEADINGS:
            if not self._heading:
                self.headings.append("")
            self._heading += 1
        if tag == "svg":
            self._svg += 1
        self.attributes += [value for name, value in attrs if name in ("title", "aria-label", "alt") and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1
        if tag in self.HEADINGS:
            self._heading -= 1
        if tag == "svg":
            self._svg -= 1
        if tag in self.BLOCKS:
            self.blocks.append("")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._svg:  # a figure's labels: searched, but a figure may repeat another's (one per case)
            self.figures.append(data)
            return
        if self._heading:
            self.headings[-1] += data
        self.blocks[-1] += data


def _md_plain(text: str) -> str:
    """Markdown with its escapes undone (``rust\\-revolver`` is read as ``rust-revolver``)."""
    return re.sub(r"\\([\\`*_\[\]|~$#=+.()!<>{}-])", r"\1", text)


def _json_texts(value: Any, cls: type | None = None) -> Iterator[str]:
    """The human-facing string values of a lesson's JSON, by the model's field metadata."""
    if isinstance(value, list):
        for item in value:
            yield from _json_texts(item, cls)
        return
    if isinstance(value, str):
        yield value
        return
    if not isinstance(value, dict):
        return
    fields = {field.name: field for field in attrs.fields(cls)} if cls is not None else {}
    for key, item in value.items():
        field = fields.get(key)
        if field is not None and field.metadata.get("data"):
            continue
        yield from _json_texts(item, _model.field_class(cls, key) if cls is not None else None)


def human_text(output: str, kind: str, root: type) -> tuple[list[str], list[str]]:
    """(texts to search, lines that must not repeat) of one rendered lesson."""
    if kind == "json":
        texts = list(_json_texts(json.loads(output), root))
        return texts, []
    if kind == "html":
        parser = _Text()
        parser.feed(output)
        parser.close()
        blocks = [" ".join(block.split()) for block in parser.blocks]
        headings = {" ".join(text.split()) for text in parser.headings}
        return (blocks + parser.attributes + parser.figures,
                [block for block in blocks if block and block not in headings])
    plain = _md_plain(output) if kind == "md" else output
    lines = [line.strip() for line in plain.splitlines()]
    if kind == "txt":
        return lines, _items(plain)
    # a Markdown table's header row (the line above its |---| rule) labels the table, and may repeat
    rule = re.compile(r"^\|[-:| ]+\|$")
    header = {k for k in range(len(lines) - 1) if rule.match(lines[k + 1])}
    return lines, [line for k, line in enumerate(lines) if line and k not in header and not rule.match(line)]


_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)]|\[ \])\s")


def _items(text: str) -> list[str]:
    """The logical items of wrapped plain text: a bullet with its continuation lines, or a paragraph."""
    items: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if not line.strip() or _BULLET.match(line):
            if current:
                items.append(" ".join(current))
            current = [line.strip()] if line.strip() else []
        else:
            current.append(line.strip())
    if current:
        items.append(" ".join(current))
    return items


def problems(output: str, kind: str, case_ids: list[str], root: type) -> list[str]:
    """What a trainer would have to edit out of one rendered lesson, one line each."""
    found: list[str] = []
    texts, lines = human_text(output, kind, root)
    ids: set[str] = set()
    prose: set[str] = set()
    for case in case_ids:
        case_ids_, case_prose = forbidden(case)
        ids |= case_ids_
        prose |= case_prose
    ids -= prose
    words = machine_words() - prose
    for text in texts:
        text = URL.sub(" ", text)
        for token in SLUG.findall(text):
            low = token.lower()
            if low in ids:
                found.append(f"record id {token!r} in: {text[:160]}")
            elif low in words:
                found.append(f"raw enumerated value {token!r} in: {text[:160]}")
        for pointer in POINTER.findall(text):
            found.append(f"JSON pointer {pointer!r} in: {text[:160]}")
        if "(s)" in text:
            found.append(f"'(s)' in: {text[:160]}")
    seen: set[str] = set()
    for line in lines:
        key = re.sub(r"^(?:[-*+]|\[ \])\s+", "", line)
        if key.endswith(":") or not re.sub(r"&nbsp;|[|_\s-]", "", key) or key.count("_") > len(key) / 3:
            continue  # a label ("Good practice:") or a form line to fill in
        if len(key) >= REPEAT_MIN and key in seen:
            found.append(f"line repeated: {key[:160]}")
        seen.add(key)
    return found


def _audiences(case: str) -> list[str]:
    protocol = setsafety.load_protocol(analyze(setsafety.load_case(case)).protocol)
    return [audience.id for audience in protocol.audiences]


@functools.cache
def _analysis(case: str) -> Any:
    return analyze(setsafety.load_case(case))


class TestTheScanner:
    def test_finds_what_a_trainer_would_edit(self) -> None:
        """The scanner fails on the kinds of text the review of 2026-11 found (so it is not a check that
        cannot fail)."""
        case = "rust-2021"
        record = json.loads(case_path(case).read_text(encoding="utf-8"))
        person = next(p["id"] for p in record["people"] if "-" in p["id"])
        bad = (f"Custody of the weapon rust-revolver\nleaves /people/0/age out\n{person} held it\n"
               "the armorer: dual-role\n6 warning(s)\n" + "- the same evidence line, said twice over here\n" * 2)
        found = problems(bad, "txt", [case], _model.Lesson)
        assert any("record id 'rust-revolver'" in line for line in found)
        assert any("JSON pointer '/people/0/age'" in line for line in found)
        assert any(f"record id {person!r}" in line for line in found)
        assert any("raw enumerated value 'dual-role'" in line for line in found)
        assert any("'(s)'" in line for line in found)
        assert any("line repeated" in line for line in found)

    def test_words_and_urls_are_not_flagged(self) -> None:
        """Words that only look like slugs in prose, and web addresses, pass."""
        found = problems("A low-budget Western; see https://example.org/people/0/rust-revolver\n", "txt",
                         ["rust-2021"], _model.Lesson)
        assert found == []

    def test_json_data_fields_are_skipped(self) -> None:
        """Ids in the fields the model marks as data are for tools, not readers."""
        lesson = setsafety.lessons.lesson(_analysis("rust-2021"))
        assert lesson.case.id == "rust-2021"
        assert problems(json.dumps(lesson.to_json()), "json", ["rust-2021"], _model.Lesson) == []


@pytest.mark.parametrize("case", CASES)
def test_lesson_words(case: str) -> None:
    """Every audience and format of the case's lesson: nothing a trainer would have to edit out."""
    found = []
    for audience in _audiences(case):
        for kind in FORMATS:
            output = render_lessons(_analysis(case), format=kind, audience=audience)
            found += [f"{audience}/{kind}: {line}" for line in problems(output, kind, [case], _model.Lesson)]
    assert found == [], f"{len(found)} problems, first ones:\n" + "\n".join(dict.fromkeys(found[:60]))


@pytest.mark.parametrize("kind", FORMATS)
def test_pack_words(kind: str) -> None:
    """A pack across every bundled case (several protocols) is as clean as a lesson."""
    output = render_pack([_analysis(case) for case in CASES], format=kind, audience="crew")
    found = problems(output, kind, CASES, _model.Pack)
    assert found == [], f"{len(found)} problems, first ones:\n" + "\n".join(dict.fromkeys(found[:60]))
