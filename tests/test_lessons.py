"""Tests for setsafety.lessons and `setsafety lessons`: formats, content, escaping, packs, files, browser."""

from __future__ import annotations

import html.parser
import importlib.util
import io
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest

import setsafety
import setsafety.cli
from setsafety.analysis import analyze
from setsafety.lessons import FORMATS, LessonError, render_lessons, render_pack
from setsafety.lessons._text import md, mermaid, safe_url, wrap_label
from setsafety.model import Record, unstructure
from setsafety.phrasing import shorten

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "fictional-blank-injury.json"
CHECKED_IN = ROOT / "examples" / "rust-2021-lessons.md"
PAYLOAD = '<script>alert(1)</script> <img src=x onerror=alert(1)> "quotes" & ampersands'

WriteJson = Callable[..., Path]


def _lone_url(line: str) -> bool:
    """A line that holds nothing but one URL, which plain text keeps whole rather than wrap."""
    word = line.strip()
    return word.startswith(("https://", "http://")) and " " not in word


RUST_NOT_HELD = [
    "qualified-armorer", "training-rehearsal", "warning-response", "ammunition-control", "secure-custody",
    "pre-use-inspection", "handoff-verification", "safe-handling", "safety-briefing",
]
AUDIENCES = ("armorer", "first-ad", "producer", "actor", "crew")


@pytest.fixture(scope="module")
def rust() -> Record:
    """The reference case."""
    return setsafety.load_case("rust-2021")


@pytest.fixture(scope="module")
def fictional() -> Record:
    """The fictional example record."""
    return setsafety.load_case(EXAMPLE)


@pytest.fixture(scope="module")
def firearms() -> setsafety.Protocol:
    """The bundled firearms protocol."""
    return setsafety.load_protocol("firearms")


def run_cli(*argv: str | Path) -> tuple[int, str, str]:
    """`setsafety ARGV` with its own streams: (exit code, stdout, stderr)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    code = setsafety.cli.run([str(arg) for arg in argv], stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


class _Tags(html.parser.HTMLParser):
    """Every start tag with its attributes, and the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(document: str) -> _Tags:
    """The HTML parsed with the standard library's parser."""
    parser = _Tags()
    parser.feed(document)
    parser.close()
    return parser


def _regenerate_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("regenerate_lessons", ROOT / "examples" / "regenerate_lessons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestFormats:
    @pytest.mark.parametrize("case", ["rust", "fictional"])
    @pytest.mark.parametrize("kind", FORMATS)
    def test_renders(self, request: pytest.FixtureRequest, case: str, kind: str) -> None:
        """Every format renders for both records and starts the way the format should."""
        record: Record = request.getfixturevalue(case)
        text = render_lessons(record, format=kind)
        starts = {"md": "# Lessons from: ", "html": "<!DOCTYPE html>\n<html lang=\"en\">",
                  "txt": "LESSONS FROM: ", "json": "{\n"}
        assert text.startswith(starts[kind])
        assert text.endswith("\n")
        assert record.case.title in (json.loads(text)["case"]["title"] if kind == "json" else text)

    @pytest.mark.parametrize("case", ["rust", "fictional"])
    def test_json_structure(self, request: pytest.FixtureRequest, case: str) -> None:
        """The JSON form parses and has the documented keys."""
        record: Record = request.getfixturevalue(case)
        data = json.loads(render_lessons(record, format="json"))
        assert {"case", "audience", "what_happened", "layers_not_held", "layers_other", "checklist", "questions",
                "disputes", "sources"} <= set(data)
        assert data["audience"] == {"id": "crew", "name": "Whole crew"}
        assert set(data["what_happened"]) == {"summary", "sources", "event", "leading_up", "harmed", "followed",
                                              "court_cases"}

    def test_json_layers(self, rust: Record, fictional: Record) -> None:
        """The layers not held are those the analysis found, in protocol order; the rest are listed too."""
        rust_data = json.loads(render_lessons(rust, format="json"))
        assert [layer["id"] for layer in rust_data["layers_not_held"]] == RUST_NOT_HELD
        assert [layer["id"] for layer in rust_data["layers_other"]] == ["emergency-response"]
        fictional_data = json.loads(render_lessons(fictional, format="json"))
        assert [layer["id"] for layer in fictional_data["layers_not_held"]] == ["safe-handling"]
        assert [(layer["id"], layer["state"]) for layer in fictional_data["layers_other"]][:3] == [
            ("qualified-armorer", "held"), ("training-rehearsal", "held"), ("warning-response", "not-applicable"),
        ]

    def test_html_standalone(self, rust: Record) -> None:
        """The HTML loads nothing: no scripts, stylesheets, images or fonts by URL; print styles inline."""
        document = render_lessons(rust, format="html")
        parsed = parse(document)
        assert {tag for tag, _ in parsed.tags}.isdisjoint({"script", "link", "img", "iframe", "object", "embed"})
        assert [name for _, attributes in parsed.tags for name, _ in attributes if name in ("src", "srcset")] == []
        assert re.findall(r"url\((?!#)", document) == []
        assert "@import" not in document and "@font-face" not in document
        assert "@media print" in document and "@page" in document
        hrefs = {value for tag, attributes in parsed.tags for name, value in attributes if name == "href"}
        assert all(value is not None and value.startswith(("#", "https://", "http://")) for value in hrefs)
        assert document.count("<svg ") == 2

    def test_text_is_wrapped(self, rust: Record, fictional: Record) -> None:
        """Plain text stays within 100 columns, except a source's URL on a line of its own (a URL is not broken)."""
        for record in (rust, fictional):
            lines = render_lessons(record, format="txt").splitlines()
            assert [line for line in lines if len(line) > 100 and not _lone_url(line)] == []

    def test_unknown_format(self, rust: Record) -> None:
        """An unknown format is a LessonError that names the choices."""
        with pytest.raises(LessonError, match=r"^unknown format 'pdf'; choose one of: md, html, txt, json$"):
            render_lessons(rust, format="pdf")


class TestInputs:
    def test_analysis_or_record(self, rust: Record) -> None:
        """An Analysis of a bundled case renders the same lesson as its Record."""
        assert render_lessons(analyze(rust), format="md") == render_lessons(rust, format="md")

    def test_analysis_carries_its_record(self, fictional: Record) -> None:
        """An analysis of a record outside the library renders without record= (it carries its record),
        the same lesson as the record itself or with record= given."""
        result = analyze(fictional)
        assert render_lessons(result) == render_lessons(fictional) == render_lessons(result, record=fictional)

    def test_record_reusing_a_bundled_id_tells_its_own_story(self, fictional: Record) -> None:
        """A user's record that takes a bundled case's id is rendered with its own story, never the
        bundled case's (issue 11)."""
        bundled = setsafety.load_case("rust-2021")
        mine = attrs.evolve(fictional, id=bundled.id)
        for given in (mine, analyze(mine)):
            text = render_lessons(given, format="json")
            data = json.loads(text)
            assert data["what_happened"]["summary"] == fictional.case.summary
            assert bundled.case.summary not in text

    def test_mismatched_record(self, rust: Record, fictional: Record) -> None:
        """An analysis paired with another case's record is refused."""
        expected = r"^the analysis is of 'rust-2021', the record is 'fictional-blank-injury'$"
        with pytest.raises(LessonError, match=expected):
            render_lessons(analyze(rust), record=fictional)

    def test_unknown_audience(self, rust: Record) -> None:
        """An audience the protocol does not have is a LessonError listing the protocol's audiences."""
        with pytest.raises(LessonError, match=r"choose one of: armorer, first-ad, producer, actor, crew$"):
            render_lessons(rust, audience="caterer")

    def test_protocol_by_id(self, rust: Record) -> None:
        """protocol= takes a bundled id as well as a Protocol object."""
        protocol = setsafety.load_protocol("firearms")
        assert render_lessons(rust, protocol="firearms") == render_lessons(rust, protocol=protocol)

    def test_import_does_not_load_jinja(self) -> None:
        """`import setsafety` and the command-line parser leave jinja2 unimported."""
        code = ("import sys, io, setsafety, setsafety.cli; setsafety.cli.build_parser(io.StringIO(), io.StringIO()); "
                "print('jinja2' in sys.modules)")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT)
        assert (done.returncode, done.stdout, done.stderr) == (0, "False\n", "")


class TestContent:
    def test_sections_in_order(self, rust: Record) -> None:
        """The Markdown sections come in the order of the design."""
        text = render_lessons(rust, format="md")
        headings = [line for line in text.splitlines() if line.startswith("## ")]
        assert headings == [
            "## What happened", "## The layers at a glance", "## What investigators found",
            "## Custody of the weapon", "## Layers that did not hold",
            "## Layers that held, are unknown or do not apply", "## Questions for discussion",
            "## Checklist for Whole crew", "## After the event", "## Disputes", "## Sources",
        ]

    def test_protocol_text(self, rust: Record, firearms: setsafety.Protocol) -> None:
        """Each layer not held brings its lesson, good practice and standards from the protocol, and those of its
        questions that fit the case (none about a role nobody held); the checklist covers every layer, with the
        protocol's items for the layers the audience owns and the audience's own part in the others."""
        text = render_lessons(rust, format="md")
        armorer = render_lessons(rust, format="md", audience="armorer")
        for layer_id in RUST_NOT_HELD:
            layer = firearms.layer(layer_id)
            assert layer is not None
            assert f"**Why it matters.** {md(layer.lesson)}\n" in text
            assert f"**Good practice.** {md(layer.good_practice)}\n" in text
            assert f"**What you can do (Whole crew).** {md(layer.actions['crew'])}\n" in text
            for standard in layer.standards:
                assert f": {md(standard.says)}\n" in text
            for question in layer.questions:
                fits = "camera operator" not in question  # nobody operated a camera on the Rust set
                assert (f"*: {md(question)}\n" in text) is fits, question
            if "armorer" in layer.owners:
                for item in layer.checklist:
                    assert f"- [ ] {md(item)}\n" in armorer
            else:
                assert f"- [ ] Your part: {md(layer.actions['armorer'])}\n" in armorer
        held = firearms.layer("emergency-response")
        assert held is not None
        assert held.good_practice not in text

    def test_record_text(self, rust: Record) -> None:
        """What happened is the record's own summary, event and timeline, each with its sources."""
        data = json.loads(render_lessons(rust, format="json"))
        story = data["what_happened"]
        assert story["summary"] == rust.case.summary
        assert rust.incident is not None
        assert story["event"]["text"] == rust.incident.description
        timeline = rust.timeline or ()
        texts = [entry["text"] for entry in story["leading_up"] + story["followed"]]
        assert texts == [entry.description for entry in timeline]
        assert story["leading_up"][-1]["when"] == "2021-10-21"
        assert story["followed"][0]["when"] == "2021-10-27"

    def test_undated_entries_stand_where_the_sources_place_them(self, fictional: Record) -> None:
        """An undated timeline entry placed after the event follows it; one placed before leads up to it."""
        data = unstructure(fictional)
        data["timeline"] = [
            {"id": "later", "when": {"label": "weeks later", "relative": "after-event"}, "kind": "other",
             "description": "The production changed its blank procedure.", "sources": ["src-incident-report"]},
            {"id": "earlier", "when": {"label": "earlier in the shoot", "relative": "before-event"}, "kind": "other",
             "description": "A rehearsal without the armorer.", "sources": ["src-incident-report"]},
        ]
        story = json.loads(render_lessons(setsafety.load_record(data), format="json"))["what_happened"]
        assert [entry["when"] for entry in story["followed"]] == ["weeks later"]
        assert [entry["when"] for entry in story["leading_up"]] == ["earlier in the shoot"]

    def test_sources_listed(self, rust: Record) -> None:
        """Every source id cited in the lesson is in its source list, with publisher, title and date."""
        data = json.loads(render_lessons(rust, format="json"))
        listed = {source["id"]: source for source in data["sources"]}
        cited = {source for layer in data["layers_not_held"] for item in layer["evidence"]
                 for source in item["sources"]}
        assert cited <= set(listed)
        nyt = listed["nyt-2021-10-27"]
        source = rust.source("nyt-2021-10-27")
        assert source is not None
        assert (nyt["publisher"], nyt["title"], nyt["date"]) == (source.publisher, source.title, source.date)
        order = [source.id for source in rust.sources if source.id in listed]
        assert [source["id"] for source in data["sources"]] == order

    def test_disputes(self, rust: Record) -> None:
        """Every dispute appears with all its positions, and the one the record follows is marked."""
        data = json.loads(render_lessons(rust, format="json"))
        disputes = rust.disputes or ()
        assert [item["question"] for item in data["disputes"]] == [dispute.question for dispute in disputes]
        first = data["disputes"][0]
        assert [(side["id"], side["followed"]) for side in first["positions"]] == [
            ("pos-handed-by-first-ad", True), ("pos-handed-by-armorer", False),
        ]
        assert first["positions"][1]["held_by"] == ["the first assistant director"]
        text = render_lessons(rust, format="md")
        assert f"- ★ {md(disputes[0].positions[0].claim)}" in text

    def test_custody_marks(self, rust: Record) -> None:
        """The event weapon's chain: one mark per step, problems on the steps the analysis flagged."""
        [chain] = json.loads(render_lessons(rust, format="json"))["custody"]
        assert chain["item"] == "rust-revolver"
        assert [(mark["action"], mark["by"], mark["issues"]) for mark in chain["marks"]] == [
            ("loaded", "the armorer", []),
            ("stored", "the armorer", []),
            ("loaded", "the armorer", ["no-inspection-after-break"]),
            ("put-down", "the armorer", []),
            ("retrieved", "the first assistant director", ["unqualified-custodian"]),
            ("inspected", "the first assistant director", ["unqualified-custodian"]),
            ("handed-over", "the first assistant director", ["unverified-handover"]),
            ("used", "the actor and producer", []),
            ("seized", None, []),
        ]

    def test_mermaid_chain(self, rust: Record) -> None:
        """The Markdown has a Mermaid flowchart of the chain, problem steps in the issue class."""
        text = render_lessons(rust, format="md")
        block = text.split("```mermaid\n", 1)[1].split("\n```", 1)[0]
        assert block.splitlines()[0] == "flowchart LR"
        assert "    s1 -. nobody recorded holding it .-> s2" in block.splitlines()
        assert block.splitlines()[-1] == "    class s2,s4,s5,s6 issue"

    def test_checked_layers_only_on_checklist(self, fictional: Record, firearms: setsafety.Protocol) -> None:
        """The checklist holds the items of the layers that did not hold, and only those."""
        data = json.loads(render_lessons(fictional, format="json"))
        layer = firearms.layer("safe-handling")
        assert layer is not None
        assert data["checklist"] == [{"layer": "safe-handling", "number": 8, "name": "Safe handling on set",
                                      "items": list(layer.checklist)}]


def _strings(data: object) -> list[str]:
    """Every string in a JSON value."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [text for value in data.values() for text in _strings(value)]
    if isinstance(data, list):
        return [text for value in data for text in _strings(value)]
    return []


class TestLabels:
    @pytest.mark.parametrize(("text", "expected"), [
        ("by the first assistant director of the unit", ["by the first", "assistant director…"]),
        ("to the actor", ["to the actor"]),
    ])
    def test_label_ends_after_a_whole_word(self, text: str, expected: list[str]) -> None:
        """A figure label that does not fit ends with '…' after its last whole word."""
        assert wrap_label(text, 20, 2) == expected


class TestBlameNeutral:
    def _names(self, record: Record) -> list[str]:
        return [party.name for party in record.people or () if party.kind == "person" and party.name]

    def test_people_by_role(self, rust: Record) -> None:
        """Lesson prose names people by role: no person's name in rationales, evidence, custody, positions
        or court cases (the record's own text fields, organisations' names among them, stay as written)."""
        data = json.loads(render_lessons(rust, format="json"))
        built = [layer["rationale"] for layer in data["layers_not_held"] + data["layers_other"]]
        built += [item["summary"] for layer in data["layers_not_held"] for item in layer["evidence"]]
        built += [issue["summary"] for chain in data["custody"] for issue in chain["issues"]]
        built += [mark[key] or "" for chain in data["custody"] for mark in chain["marks"] for key in ("by", "holder")]
        built += [who for dispute in data["disputes"] for side in dispute["positions"] for who in side["held_by"]]
        built += [who for case in data["what_happened"]["court_cases"] for who in case["parties"]]
        built += [harm["who"] for harm in data["what_happened"]["harmed"]]
        organisations = {party.name for party in rust.people or () if party.kind == "organisation"}
        built = [text for text in built if text not in organisations]  # an organisation keeps its own name
        quoted = sorted({shorten(text) for text in _strings(unstructure(rust)) if len(text) > 40}, key=len)
        for record_text in reversed(quoted):  # the record's own words are quoted as written, never rewritten
            built = [text.replace(record_text, "") for text in built]
        found = sorted({name for name in self._names(rust) for text in built if name in text})
        assert found == []

    def test_roles_used(self, rust: Record) -> None:
        """The analyzer's wording is kept, with the role where the name was."""
        data = json.loads(render_lessons(rust, format="json"))
        custody = next(layer for layer in data["layers_not_held"] if layer["id"] == "secure-custody")
        assert "the first assistant director, outside the weapons staff, held the weapon" in custody["rationale"]
        assert [harm["who"] for harm in data["what_happened"]["harmed"]] == ["the director of photography",
                                                                           "the director"]

    def test_code_names_no_case(self) -> None:
        """No module or template of setsafety.lessons names a bundled case, its production or a person in it."""
        package = ROOT / "setsafety" / "lessons"
        code = "\n".join(path.read_text(encoding="utf-8") for path in sorted(package.rglob("*"))
                         if path.is_file() and path.suffix in (".py", ".j2", ".css"))
        words = set()
        for case_id in setsafety.list_cases():
            record = setsafety.load_case(case_id)
            words.add(record.id)
            if record.production is not None:
                words.add(record.production.title)
            words.update(party.name for party in record.people or () if party.kind == "person" and party.name)
        assert sorted(word for word in words if re.search(rf"\b{re.escape(word)}\b", code)) == []


class TestEscaping:
    @pytest.fixture
    def hostile(self, example_data: dict[str, Any], write_json: WriteJson) -> Record:
        """The fictional example with markup injected into its text fields, validated like any record."""
        data = example_data
        data["case"]["title"] = f"FICTIONAL {PAYLOAD}"
        data["case"]["summary"] = f"# Not a heading {PAYLOAD}"
        data["incident"]["description"] = PAYLOAD
        data["checks"][3]["description"] = PAYLOAD
        data["custody"][3]["description"] = PAYLOAD
        data["sources"][0]["title"] = PAYLOAD
        data["sources"][0]["publisher"] = "| pipe | publisher"
        data["people"][4]["name"] = PAYLOAD
        data["people"][1]["roles"][0]["title"] = PAYLOAD
        data["custody"][3]["when"]["label"] = PAYLOAD
        data["timeline"] = [{"id": "t1", "when": {"date": "2024-05-14", "time": "10:20", "precision": "exact",
                                                  "label": PAYLOAD},
                             "kind": "incident", "description": f"1. {PAYLOAD}", "sources": ["src-incident-report"]}]
        path = write_json(data)
        assert setsafety.validate(path) == []
        return setsafety.load_case(path)

    def test_html_escaped(self, hostile: Record) -> None:
        """Record text appears in the HTML only escaped: no script or img element, no on* attribute."""
        document = render_lessons(hostile, format="html")
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; " \
               "&#34;quotes&#34; &amp; ampersands" in document
        assert "<script" not in document.lower()
        assert "<img" not in document.lower()
        parsed = parse(document)
        tags = {tag for tag, _ in parsed.tags}
        assert tags.isdisjoint({"script", "img", "iframe", "object", "embed", "link"})
        assert [name for _, attributes in parsed.tags for name, _ in attributes if name.startswith("on")] == []
        assert PAYLOAD in "".join(parsed.text)

    def test_html_svg_escaped(self, hostile: Record) -> None:
        """The figures carry record text (the title, role labels, times) escaped too."""
        document = render_lessons(hostile, format="html")
        svgs = re.findall(r"<svg .*?</svg>", document, flags=re.DOTALL)
        assert len(svgs) == 2
        assert "&lt;script&gt;" in svgs[0] and "&lt;script&gt;" in svgs[1]
        assert all("<script" not in svg for svg in svgs)

    def test_markdown_escaped(self, hostile: Record) -> None:
        """No raw markup from the record in Markdown; no heading or list started by record text."""
        text = render_lessons(hostile, format="md")
        assert "<script>" not in text
        assert "<img" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
        assert "\n\\# Not a heading &lt;script&gt;" in text
        assert ", incident: 1\\. &lt;script&gt;" in text
        assert "1. \\| pipe \\| publisher, &lt;script&gt;" in text
        assert [line for line in text.splitlines() if line.startswith("# ")] == [
            f"# Lessons from: {md(hostile.case.title)}"]

    def test_text_and_json_keep_the_words(self, hostile: Record) -> None:
        """Plain text and JSON keep the record's words as written."""
        assert PAYLOAD in render_lessons(hostile, format="txt")
        data = json.loads(render_lessons(hostile, format="json"))
        assert data["what_happened"]["event"]["text"] == PAYLOAD
        assert [source["title"] for source in data["sources"]] == [PAYLOAD]

    def test_unsafe_url(self, fictional: Record) -> None:
        """A source URL that is not http(s) is never made a link (a record built in code skips the schema)."""
        [source] = fictional.sources
        record = attrs.evolve(fictional, sources=(attrs.evolve(source, url="javascript:alert(1)"),))
        document = render_lessons(record, format="html")
        assert "javascript:" not in document
        assert "javascript:" not in render_lessons(record, format="md")
        safe = attrs.evolve(fictional, sources=(attrs.evolve(source, url="https://example.org/a_b?x=1&y=2"),))
        assert '<a href="https://example.org/a_b?x=1&amp;y=2">' in render_lessons(safe, format="html")
        assert "<https://example.org/a_b?x=1&y=2>" in render_lessons(safe, format="md")

    def test_md_inline(self) -> None:
        """md() neutralises what Markdown would read as structure or markup."""
        assert md("a | b") == "a \\| b"
        assert md("# x") == "\\# x"
        assert md("- x") == "\\- x"
        assert md("---") == "\\---"
        assert md("=== x") == "\\=== x"
        assert md("12. x") == "12\\. x"
        assert md("2.5 m") == "2.5 m"
        assert md("*a* _b_ `c` [d](e) $1 ~f~") == "\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\$1 \\~f\\~"
        assert md("&lt; & <b>") == "&amp;lt; & &lt;b&gt;"
        assert md("line\nbreak\x1b[31m") == "line break\\[31m"

    def test_mermaid_and_url(self) -> None:
        """Mermaid labels use entity codes; only http(s) URLs pass."""
        assert mermaid('"<b>" #1 &; x') == "#quot;#lt;b#gt;#quot; #35;1 #amp;#59; x"
        assert [safe_url(url) for url in ("https://a.org/x", "HTTP://a.org", "javascript:x", "data:x", None)] == [
            "https://a.org/x", "HTTP://a.org", None, None, None]


class TestAudiences:
    def test_five_different_sections(self, rust: Record, firearms: setsafety.Protocol) -> None:
        """The five audiences get five different 'what you can do' sections, each from the protocol."""
        sections = {}
        for audience in AUDIENCES:
            text = render_lessons(rust, format="md", audience=audience)
            sections[audience] = [line for line in text.splitlines() if line.startswith("**What you can do (")]
            name = next(item.name for item in firearms.audiences if item.id == audience)
            expected = []
            for layer_id in RUST_NOT_HELD:
                layer = firearms.layer(layer_id)
                assert layer is not None
                expected.append(f"**What you can do ({md(name)}).** {md(layer.actions[audience])}")
            assert sections[audience] == expected
        assert len({tuple(lines) for lines in sections.values()}) == 5

    def test_cli_audience(self) -> None:
        """--audience chooses the section; one the protocol lacks is a usage error that lists its audiences;
        a protocol's own specialists (the stunt team) are accepted as in the kit."""
        code, out, _ = run_cli("lessons", "rust-2021", "--audience", "first-ad")
        assert code == 0
        assert "**What you can do (First ADs and safety staff).**" in out
        code, out, err = run_cli("lessons", "rust-2021", "--audience", "caterer")
        assert (code, out) == (2, "")
        assert err == ("setsafety: error: unknown audience 'caterer' for the protocol 'firearms'; choose one of: "
                       "armorer, first-ad, producer, actor, crew\n")
        code, out, _ = run_cli("lessons", "walking-dead-2017", "--audience", "stunt-team")
        assert code == 0 and "What you can do (" in out


class TestPack:
    def test_counts(self, rust: Record, fictional: Record) -> None:
        """Each layer with the number of cases it did not hold in, and which."""
        data = json.loads(render_pack([rust, fictional], format="json"))
        assert [(layer["id"], layer["not_held_in"]) for layer in data["layers"]] == [
            ("qualified-armorer", 1), ("training-rehearsal", 1), ("warning-response", 1),
            ("ammunition-control", 1), ("secure-custody", 1), ("pre-use-inspection", 1),
            ("handoff-verification", 1), ("safe-handling", 2), ("safety-briefing", 1), ("emergency-response", 0),
        ]
        safe = data["layers"][7]
        assert [(item["case"], item["state"]) for item in safe["cases"]] == [
            ("rust-2021", "skipped"), ("fictional-blank-injury", "skipped")]
        assert safe["count_words"] == "did not hold in 2 of 2 cases with the facts to tell"
        assert data["recurring"][0]["id"] == "safe-handling"
        # a layer the fictional record cannot tell about is never counted as held
        for layer in data["layers"]:
            unknown = sum(item["state"] == "unknown" for item in layer["states"])
            held = sum(item["state"] == "held" for item in layer["states"])
            assert layer["with_facts"] == layer["of_cases"] - unknown - sum(
                item["state"] == "not-applicable" for item in layer["states"])
            assert layer["held_in"] == held
            if unknown and layer["with_facts"]:
                assert f"{unknown} case without the facts" in layer["count_words"]

    def test_markdown_table(self, rust: Record, fictional: Record) -> None:
        """The Markdown pack lists every layer with its count, then each recurring lesson once."""
        text = render_pack([rust, fictional], format="md")
        rows = [line for line in text.splitlines() if re.match(r"^\| \d+ \|", line)]
        assert len(rows) == 10
        assert rows[7] == ("| 8 | Safe handling on set | did not hold in 2 of 2 cases with the facts to tell | "
                           "Rust: live round fired from a revolver during a rehearsal, New Mexico, 2021 (skipped); "
                           "FICTIONAL: blank-fire injury on a TV western (skipped) |")
        assert rows[9].startswith("| 10 | Emergency readiness | ")
        safe = setsafety.load_protocol("firearms").layer("safe-handling")
        assert safe is not None
        assert text.count(md(safe.lesson)) == 1
        assert "### 8. Safe handling on set: did not hold in 2 of 2 cases with the facts to tell" in text

    @pytest.mark.parametrize("kind", ["html", "txt"])
    def test_other_formats(self, rust: Record, fictional: Record, kind: str) -> None:
        """The pack renders as HTML (a figure per case) and as text within 100 columns."""
        text = render_pack([rust, fictional], format=kind)
        if kind == "html":
            assert text.count('<svg xmlns="http://www.w3.org/2000/svg" class="figure-layers"') == 2
            assert "<td><strong>did not hold in 2 of 2 cases with the facts to tell</strong></td>" in text
        else:
            assert [line for line in text.splitlines() if len(line) > 100 and not _lone_url(line)] == []
            assert "\n8. Safe handling on set: did not hold in 2 of 2 cases with the facts to tell\n" in text

    def test_cli_pack(self, rust: Record, fictional: Record) -> None:
        """Several CASE arguments make a pack."""
        code, out, err = run_cli("lessons", "rust-2021", EXAMPLE)
        assert (code, err) == (0, "")
        assert out == render_pack([rust, fictional])

    def test_same_case_twice(self, rust: Record) -> None:
        """A case given twice is refused."""
        with pytest.raises(LessonError, match=r"^rust-2021: the case is given twice$"):
            render_pack([rust, rust])


class TestOutputFile:
    def test_stdout(self, rust: Record) -> None:
        """Without -o the lesson goes to stdout."""
        assert run_cli("lessons", "rust-2021", "--format", "txt") == (0, render_lessons(rust, format="txt"), "")

    def test_write(self, rust: Record, tmp_path: Path) -> None:
        """-o writes the file and says so on stdout."""
        target = tmp_path / "handout.md"
        assert run_cli("lessons", "rust-2021", "-o", target) == (
            0, f"wrote {target} (lesson, md, for crew)\n", "")
        assert target.read_text(encoding="utf-8") == render_lessons(rust)

    def test_refuses_to_overwrite(self, tmp_path: Path) -> None:
        """-o on an existing file: exit 2, a one-line message, the file untouched."""
        target = tmp_path / "handout.html"
        target.write_text("keep me\n", encoding="utf-8")
        code, out, err = run_cli("lessons", "rust-2021", "--format", "html", "-o", target)
        assert (code, out) == (2, "")
        assert err == f"setsafety: error: {target} already exists; not overwriting it (use --force to replace it)\n"
        assert target.read_text(encoding="utf-8") == "keep me\n"
        assert sorted(path.name for path in tmp_path.iterdir()) == ["handout.html"]

    def test_force_replaces(self, rust: Record, tmp_path: Path) -> None:
        """--force replaces the file."""
        target = tmp_path / "handout.html"
        target.write_text("old\n", encoding="utf-8")
        code, _, err = run_cli("lessons", "rust-2021", "--format", "html", "-o", target, "--force")
        assert (code, err) == (0, "")
        assert target.read_text(encoding="utf-8") == render_lessons(rust, format="html")

    def test_missing_directory(self, tmp_path: Path) -> None:
        """A path in a missing folder: exit 2 and one line on stderr, no traceback, nothing written."""
        target = tmp_path / "no" / "such" / "handout.md"
        code, out, err = run_cli("lessons", "rust-2021", "-o", target)
        assert (code, out) == (2, "")
        assert err == f"setsafety: error: cannot write {target}: No such file or directory\n"
        assert not (tmp_path / "no").exists()

    def test_unknown_case(self) -> None:
        """An unknown case is a usage error."""
        code, out, err = run_cli("lessons", "no-such-case")
        assert (code, out) == (2, "")
        assert err.startswith("setsafety: error: no bundled case 'no-such-case'")


class TestExample:
    def test_checked_in_file_is_current(self) -> None:
        """examples/rust-2021-lessons.md is exactly what examples/regenerate_lessons.py writes today."""
        fresh = _regenerate_module().render()
        assert CHECKED_IN.read_text(encoding="utf-8") == fresh, (
            "examples/rust-2021-lessons.md is out of date: run python examples/regenerate_lessons.py"
        )

    def test_script_writes_the_file(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The script writes its output file and says where."""
        module = _regenerate_module()
        monkeypatch.setattr(module, "OUTPUT", tmp_path / "out.md")
        module.main()
        assert (tmp_path / "out.md").read_text(encoding="utf-8") == module.render()


@pytest.mark.slow
class TestBrowser:
    def test_headless_chromium(self, tmp_path: Path, chromium: Path) -> None:
        """Headless Chromium renders the handout: a real screenshot, the title, the headings and the figure."""
        handout = tmp_path / "handout.html"
        assert run_cli("lessons", "rust-2021", "--format", "html", "-o", handout)[0] == 0
        profile = tmp_path / "profile"
        base = [str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={profile}"]
        shot = tmp_path / "handout.png"
        done = subprocess.run([*base, f"--screenshot={shot}", "--window-size=1200,3000", handout.as_uri()],
                              capture_output=True, text=True, check=False, timeout=120)
        assert done.returncode == 0, done.stderr
        png = shot.read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(png) > 10_000
        done = subprocess.run([*base, "--dump-dom", handout.as_uri()], capture_output=True, text=True, check=False,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        dom = done.stdout
        record = setsafety.load_case("rust-2021")
        assert f"<h1>{record.case.title}</h1>" in dom
        for heading in ("What happened", "The layers at a glance", "Layers that did not hold",
                        "Questions for discussion", "Checklist for Whole crew", "Disputes", "Sources",
                        "What investigators found"):
            assert f"<h2>{heading}</h2>" in dom
        label = f"Swiss-cheese figure of the safeguard layers: {record.case.title}"
        assert re.search(rf'<svg [^>]*aria-label="{re.escape(label)}"', dom)
        assert 'aria-label="Custody of the weapon"' in dom


@pytest.mark.slow
class TestWheel:
    def test_templates_shipped(self, tmp_path: Path) -> None:
        """The built wheel carries every template of setsafety.lessons."""
        isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-isolation"]
        done = subprocess.run([sys.executable, "-m", "build", "--wheel", *isolation, "--outdir", str(tmp_path),
                               str(ROOT)], capture_output=True, text=True, check=False, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        [wheel] = tmp_path.glob("setsafety-*.whl")
        names = set(zipfile.ZipFile(wheel).namelist())
        templates = ROOT / "setsafety" / "lessons" / "templates"
        wanted = {f"setsafety/lessons/templates/{path.name}" for path in templates.iterdir() if path.is_file()}
        assert len(wanted) == 7
        assert sorted(wanted - names) == []


class TestTopLevel:
    def test_lazy_wrapper(self) -> None:
        """setsafety.render_lessons is setsafety.lessons.render_lessons, loaded on first use."""
        import setsafety
        import setsafety.lessons

        record = setsafety.load_case("rust-2021")
        assert setsafety.render_lessons(record, format="txt") == setsafety.lessons.render_lessons(record, format="txt")

    def test_import_does_not_load_jinja(self) -> None:
        """`import setsafety` (and the analysis) leave Jinja2 unloaded until lessons are rendered."""
        import subprocess
        import sys

        code = ("import sys, setsafety, setsafety.analysis, setsafety.cli; "
                "print('jinja2' in sys.modules, 'setsafety.lessons' in sys.modules)")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        assert out.split() == ["False", "False"]
