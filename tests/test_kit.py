"""The training kit (``setsafety kit``): every bundled case writes a kit whose handout prints on two pages
(A4 and Letter), whose slides have one slide per layer that did not hold, and whose every file holds
nothing a trainer would have to edit out; the command refuses to overwrite and says why in one line."""

from __future__ import annotations

import concurrent.futures
import functools
import importlib.util
import io
import itertools
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pptx import Presentation
from pptx.util import Pt

import setsafety
import setsafety.cli
from setsafety.analysis import analyze, is_not_held
from setsafety.kit import FILES, KitError, kit_files, write_kit
from setsafety.kit._content import quiz
from setsafety.kit._handout import render_handout
from setsafety.kit._slides import LAYER_MARKER, render_slides
from setsafety.kit._slides import text as slide_text
from setsafety.lessons import _model, lesson
from setsafety.model import structure, unstructure

CASES = setsafety.list_cases()
HERE = Path(__file__).resolve().parent


def run_cli(*argv: str | Path) -> tuple[int, str, str]:
    """`setsafety ARGV` with its own streams: (exit code, stdout, stderr)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    code = setsafety.cli.run([str(arg) for arg in argv], stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


@functools.cache
def scanner() -> ModuleType:
    """The lessons' scanner for ids, pointers, raw enumerated values, "(s)" and repeated lines
    (tests/test_lessons_words.py), so the kit is held to the same rule as the lesson."""
    spec = importlib.util.spec_from_file_location("_kit_words_scanner", HERE / "test_lessons_words.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One kit of every bundled case (every protocol mixed in one kit)."""
    folder = tmp_path_factory.mktemp("kit")
    code, out, err = run_cli("kit", *CASES, "-o", folder)
    assert (code, err) == (0, ""), err
    assert out == f"wrote {len(CASES) * len(FILES) + 1} files to {folder}: a kit of {len(CASES)} cases, for crew\n"
    return folder


def slides_text(path: Path) -> list[str]:
    """Every paragraph of a deck, slide text and notes, in order."""
    deck = Presentation(str(path))
    paragraphs = []
    for slide in deck.slides:
        frames = [shape.text_frame for shape in slide.shapes if shape.has_text_frame]
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            frames.append(slide.notes_slide.notes_text_frame)
        paragraphs += [paragraph.text for frame in frames for paragraph in frame.paragraphs if paragraph.text]
    return paragraphs


def layer_slides(deck: Any) -> list[Any]:
    """The layer slides of a deck, found by their title shape's name."""
    return [slide for slide in deck.slides
            if slide.shapes.title is not None and slide.shapes.title.name == LAYER_MARKER]


def kit_problems(path: Path, case_ids: list[str]) -> list[str]:
    """What a trainer would have to edit out of one file of the kit."""
    words = scanner()
    if path.suffix == ".pptx":
        return words.problems("\n\n".join(slides_text(path)), "txt", case_ids, _model.Lesson)
    kind = {".html": "html", ".md": "md"}[path.suffix]
    return words.problems(path.read_text(encoding="utf-8"), kind, case_ids, _model.Lesson)


class TestKit:
    def test_every_case_has_its_files(self, kit: Path) -> None:
        """Each case has a folder with every file, and the index links to each one."""
        index = (kit / "index.html").read_text(encoding="utf-8")
        for case in CASES:
            assert sorted(path.name for path in (kit / case).iterdir()) == sorted(FILES)
            for name in FILES:
                assert f'href="{case}/{name}"' in index
        assert not list(kit.glob("**/.setsafety-*"))  # no temporary file left

    def test_lesson_is_the_full_lesson(self, kit: Path) -> None:
        """lesson.html is what `setsafety lessons CASE --format html` writes."""
        for case in ("rust-2021", "xxx-2002"):
            expected = setsafety.lessons.render_lessons(setsafety.load_case(case), format="html")
            assert (kit / case / "lesson.html").read_text(encoding="utf-8") == expected

    @pytest.mark.parametrize("case", CASES)
    def test_slides(self, kit: Path, case: str) -> None:
        """The deck opens with python-pptx and has one slide per layer that did not hold, titled by it."""
        deck = Presentation(str(kit / case / "slides.pptx"))
        titles = [slide.shapes.title.text for slide in deck.slides if slide.shapes.title is not None]
        result = analyze(setsafety.load_case(case))
        not_held = [(number, layer) for number, layer in enumerate(result.layers, start=1)
                    if is_not_held(layer.state)]
        layer_titles = [slide.shapes.title.text for slide in layer_slides(deck)]
        assert len(layer_titles) == len(not_held)
        for (number, layer), title in zip(not_held, layer_titles, strict=True):
            assert title.startswith(f"{number}. {layer.name}:")
        assert titles[0] == result.title
        for slide in deck.slides:  # every slide has the facilitator's notes
            assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()

    @pytest.mark.parametrize("case", CASES)
    def test_slides_read_from_the_back(self, kit: Path, case: str) -> None:
        """Every run of text on every slide has its size set, at 18 pt or more (the figure's key too); a
        layer slide's body is at most three points, each at 24 pt or more; a record with official findings
        has a findings slide (at most four points), one with disputes a disputes slide (at most three); the
        deck closes with the closing question."""
        deck = Presentation(str(kit / case / "slides.pptx"))
        small = [(number, run.text, run.font.size)
                 for number, slide in enumerate(deck.slides, start=1)
                 for shape in slide.shapes if shape.has_text_frame
                 for paragraph in shape.text_frame.paragraphs for run in paragraph.runs
                 if run.text.strip() and (run.font.size is None or run.font.size < Pt(18))]
        assert small == []
        for slide in layer_slides(deck):
            body = slide.placeholders[1].text_frame
            points = [paragraph for paragraph in body.paragraphs if paragraph.text.strip()]
            assert 1 <= len(points) <= 3
            assert all(run.font.size >= Pt(24) for paragraph in points for run in paragraph.runs)
            assert all(not paragraph.text.endswith(" ") for paragraph in points)
        data = lesson(setsafety.load_case(case))
        titles = {slide.shapes.title.text: slide for slide in deck.slides}
        assert ("What investigators found" in titles) == bool(data.findings)
        if data.findings:
            body = titles["What investigators found"].placeholders[1].text_frame
            assert 1 <= len([p for p in body.paragraphs if p.text]) <= 4
        assert ("Where the sources differ" in titles) == bool(data.disputes)
        if data.disputes:
            notes = titles["Where the sources differ"].notes_slide.notes_text_frame.text
            assert all(slide_text(dispute.positions[0].claim).rstrip(".")[1:30] in notes
                       for dispute in data.disputes[:3])
        assert deck.slides[len(deck.slides) - 1].shapes.title.text == "What will you do differently on Monday?"

    def test_layer_slide_points_are_whole_words(self) -> None:
        """A layer slide's points are the first reason, good practice's first sentence and the action, each
        whole or cut between words; the notes hold the full text, the evidence, the standards."""
        data = lesson(setsafety.load_case("rust-2021"))
        deck = Presentation(io.BytesIO(render_slides(data)))
        for layer, slide in zip(data.layers_not_held, layer_slides(deck), strict=True):
            points = [p.text for p in slide.placeholders[1].text_frame.paragraphs if p.text]
            assert points[0].startswith("What went wrong: ") and points[1].startswith("Good practice: ")
            for point, full in zip(points, (layer.rationale, layer.good_practice, layer.action or ""), strict=False):
                said = point.split(": ", 1)[1].rstrip(".…")
                assert full.startswith(said), (said, full)
                assert len(said) == len(full) or not full[len(said)].isalnum()  # never inside a word
            notes = slide.notes_slide.notes_text_frame.text
            assert layer.good_practice in notes and layer.lesson in notes
            assert all(standard.says[:40] in notes for standard in layer.standards)

    @pytest.mark.parametrize("case", CASES)
    def test_nothing_to_edit_out(self, kit: Path, case: str) -> None:
        """No record id, JSON pointer, raw enumerated value, "(s)" or repeated line in any file of the kit.
        (lesson.html is the lesson's own HTML, which tests/test_lessons_words.py scans for every audience.)"""
        found = [f"{path.name}: {line}" for path in sorted((kit / case).iterdir()) if path.name != "lesson.html"
                 for line in kit_problems(path, [case])]
        assert found == [], f"{len(found)} problems, first ones:\n" + "\n".join(found[:40])

    def test_index_has_nothing_to_edit_out(self, kit: Path) -> None:
        """The index names cases by title, never by id."""
        assert kit_problems(kit / "index.html", CASES) == []

    def test_scanner_reads_slides(self, tmp_path: Path) -> None:
        """The check over slides can fail: a deck with an id, a pointer and a repeated line is caught."""
        deck = Presentation()
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = "Custody of rust-revolver"
        slide.placeholders[1].text_frame.text = "see /disputes\nthe same long line said twice over\n" \
                                                "the same long line said twice over"
        deck.save(str(tmp_path / "bad.pptx"))
        found = kit_problems(tmp_path / "bad.pptx", ["rust-2021"])
        assert any("rust-revolver" in line for line in found)
        assert any("JSON pointer" in line for line in found)
        assert any("line repeated" in line for line in found)


class TestContent:
    def test_handout_sections(self) -> None:
        """The handout has what a trainer hands out: the story, the figure, what the audience can do, three
        questions, the findings and the analysis's agreement, certainty, sources; boxes do not split."""
        data = lesson(setsafety.load_case("rust-2021"), "first-ad")
        page = render_handout(data, "letter")
        for heading in ("What happened", "The safeguard layers", "Layers that did not hold", "Three questions",
                        "What investigators found", "How certain the facts are", "Where the facts come from"):
            assert f"<h2>{heading}</h2>" in page
        assert page.count("<svg") == 1
        assert "@page { size: letter;" in page and "break-inside: avoid" in page
        for layer in data.layers_not_held:
            assert layer.action is not None
            assert layer.action.replace("'", "&#39;").replace('"', "&#34;") in page
        assert page.count('<li>', page.index("Three questions"), page.index("</ol>", page.index("Three questions"))) \
            == 3
        assert "The analysis of the recorded facts agrees with them on" in page
        assert "(disputed)" in page
        assert "@page { size" not in render_handout(data)  # by default, the printer's paper

    def test_quiz_answers_come_from_the_facts(self) -> None:
        """The quiz asks what the record shows; each answer is the lesson's own data."""
        data = lesson(setsafety.load_case("rust-2021"))
        items = {item.question: item.answer for item in quiz(data)}
        assert len(items) == 10
        who = items["Who handed the weapon over right before it was used, and to whom?"]
        handed = next(mark for mark in data.custody[0].marks if mark.action == "handed-over")
        assert handed.disputed  # so the answer says so before it gives the record's account
        assert who[0].startswith("Disputed:") and f"{handed.by} handed it to {handed.holder}" in who[0]
        not_held = items["Which safeguard layers did not hold?"]
        assert len(data.layers_not_held) > 4 and len(not_held) == 4
        assert not_held[-1] == f"And {len(data.layers_not_held) - 3} more layers; see the full lesson."
        ranked = sorted(data.layers_not_held, key=lambda layer: (not layer.stopper, layer.number))
        assert all(layer.name in line for layer, line in zip(ranked, not_held[:3], strict=False))

    def test_draft_record_says_so(self, tmp_path: Path) -> None:
        """A draft record's handout, title slide and facilitator's plan each carry the draft sentence; a
        reviewed copy of the same record carries it nowhere. The states come with their plain-word legend."""
        from setsafety.phrasing import KIT, KIT_STATES

        draft = KIT["draft"]
        source = json.loads((HERE.parent / "cases" / "rust-2021.json").read_text(encoding="utf-8"))
        assert source["case"]["status"] == "draft"
        reviewed = tmp_path / "reviewed.json"
        reviewed.write_text(json.dumps({**source, "case": {**source["case"], "status": "reviewed"}}), encoding="utf-8")
        for record, expected in ((str(HERE.parent / "cases" / "rust-2021.json"), True), (str(reviewed), False)):
            files = {item.path.name: item.data for item in kit_files([record], tmp_path / "kit")}
            handout = files["handout.html"].decode()
            plan = files["facilitator.md"].decode()
            deck = Presentation(io.BytesIO(files["slides.pptx"]))
            title = " ".join(shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame)
            assert (draft in handout, draft in plan, draft in title) == (expected, expected, expected)
            assert f"Sources don't say: {KIT_STATES['unknown'][1]}" not in plan  # no layer of Rust is unknown
            assert f"Not done: {KIT_STATES['skipped'][1]}" in plan
        thin = kit_files(["expendables-2-2011"], tmp_path / "thin")
        plan = next(item.data.decode() for item in thin if item.path.name == "facilitator.md")
        assert KIT["thin"] in plan and f"Sources don't say: {KIT_STATES['unknown'][1]}" in plan

    @pytest.mark.parametrize("case", CASES)
    def test_quiz_answers_carry_certainty(self, case: str) -> None:
        """A quiz answer that rests on a warning or a check that is disputed, alleged or reported says so;
        a question with several answers asks in the plural; no answer repeats its question; no answer
        lists more than four lines."""
        data = lesson(setsafety.load_case(case))
        items = quiz(data)
        doubtful = {item.summary for layer in data.layers_not_held for item in layer.evidence
                    if item.code in ("warning", "check") and (item.disputed or item.certainty in
                                                              ("disputed", "alleged", "reported"))}
        for item in items:
            assert 1 <= len(item.answer) <= 4
            assert all(line.rstrip(".?") != item.question.rstrip(".?") for line in item.answer)
            if len(item.answer) > 1 and item.question.startswith("Which required check"):
                assert item.question == "Which required checks were not done?"
            for line in item.answer:
                for summary in doubtful:
                    if line.startswith(summary.rstrip(". ")[:60]):
                        assert re.search(r"\((disputed|alleged by a party|reported)\)\.$", line), line

    def test_quiz_md_answers_on_their_own(self, kit: Path) -> None:
        """quiz.md: the questions, a rule, then the answers; quiz.html puts the answers on a new page."""
        text = (kit / "rust-2021" / "quiz.md").read_text(encoding="utf-8")
        questions, _, answers = text.partition("\n---\n")
        assert "## Answers" in answers and "## Answers" not in questions
        assert "break-before: page" in (kit / "rust-2021" / "quiz.html").read_text(encoding="utf-8")

    def test_facilitator_plan(self, kit: Path) -> None:
        """The plan adds up to 90 minutes and answers the handout's three questions."""
        text = (kit / "rust-2021" / "facilitator.md").read_text(encoding="utf-8")
        spans = [(int(a), int(b)) for a, b in re.findall(r"\*\*(\d+)–(\d+) min\*\*", text)]
        assert spans[0][0] == 0 and spans[-1][1] == 90
        assert all(b == c for (_, b), (c, _) in itertools.pairwise(spans))
        data = lesson(setsafety.load_case("rust-2021"))
        for question in data.discussion[:3]:
            assert question.answer[:60].replace("*", "\\*") in text.replace("\n", " ") or \
                question.answer[:40] in text

    def test_control_characters_never_reach_the_slides(self, tmp_path: Path) -> None:
        """Record text with controls, a lone surrogate and bidi overrides makes a deck that opens, without them."""
        record = unstructure(setsafety.load_case("xxx-2002"))
        record["case"]["title"] = "Title\x1b[31m with\x07 controls\ud800 and \u202e bidi"
        record["case"]["summary"] = "Summary\x00 with\x0b a NUL\x1f and a vertical tab."
        hostile = structure(record, setsafety.Record)
        [path] = [item for item in write_kit([hostile], tmp_path) if item.name == "slides.pptx"]
        paragraphs = slides_text(path)
        assert paragraphs[0] == "Title[31m with controls and bidi"
        assert not any(re.search("[\x00-\x08\x0b-\x1f\ud800-\udfff\u202e]", line) for line in paragraphs)
        assert slide_text("a\ud800b\x01c\uffff") == "abc"
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None


class TestWrite:
    def test_refuses_to_overwrite(self, tmp_path: Path) -> None:
        """An existing file is never replaced without --force: exit 2 (as for `new`), one line, nothing written."""
        target = tmp_path / "kit"
        (target / "xxx-2002").mkdir(parents=True)
        (target / "xxx-2002" / "quiz.md").write_text("my notes\n", encoding="utf-8")
        code, out, err = run_cli("kit", "xxx-2002", "-o", target)
        assert (code, out) == (2, "")
        assert err == (f"setsafety: error: {target / 'xxx-2002' / 'quiz.md'} already exists; not overwriting it "
                       "(use --force to replace it)\n")
        assert sorted(path.name for path in (target / "xxx-2002").iterdir()) == ["quiz.md"]
        assert (target / "xxx-2002" / "quiz.md").read_text(encoding="utf-8") == "my notes\n"
        code, out, err = run_cli("kit", "xxx-2002", "-o", target, "--force")
        assert (code, err) == (0, "")
        assert (target / "xxx-2002" / "quiz.md").read_text(encoding="utf-8").startswith("# Quiz: ")

    def test_os_error(self, tmp_path: Path) -> None:
        """A folder that cannot be made is an OS problem: exit 2, one line."""
        blocker = tmp_path / "file"
        blocker.write_text("", encoding="utf-8")
        code, out, err = run_cli("kit", "xxx-2002", "-o", blocker / "kit")
        assert (code, out) == (2, "")
        assert err.startswith("setsafety: error: cannot write ") and err.count("\n") == 1

    def test_unknown_case(self, tmp_path: Path) -> None:
        """An unknown case is a missing file, as in every command: exit 2, one line, nothing written."""
        code, out, err = run_cli("kit", "no-such-case", "-o", tmp_path / "kit")
        assert (code, out) == (2, "")
        assert err.startswith("setsafety: error: no bundled case 'no-such-case'") and err.count("\n") == 1
        assert not (tmp_path / "kit").exists()

    def test_audience_the_protocol_lacks(self, tmp_path: Path) -> None:
        """An audience one case's protocol does not have is bad input, said with the case and the choices."""
        code, out, err = run_cli("kit", "rust-2021", "xxx-2002", "-o", tmp_path / "kit", "--audience", "armorer")
        assert (code, out) == (1, "")
        assert err.startswith("setsafety: error: xxx-2002: unknown audience 'armorer'")
        assert not (tmp_path / "kit").exists()

    def test_library(self, tmp_path: Path) -> None:
        """write_kit takes records and analyses; the same case twice is refused; one case has no index."""
        rust = setsafety.load_case("rust-2021")
        written = write_kit([analyze(rust)], tmp_path / "one", audience="armorer", paper="a4")
        assert [path.name for path in written] == list(FILES)
        assert "@page { size: A4;" in (tmp_path / "one" / "rust-2021" / "handout.html").read_text(encoding="utf-8")
        with pytest.raises(KitError, match="given twice"):
            kit_files([rust, "rust-2021"], tmp_path / "two")
        with pytest.raises(KitError, match="unknown paper"):
            kit_files([rust], tmp_path / "two", paper="a3")

    def test_import_stays_light(self) -> None:
        """Importing setsafety, and running validate, never loads python-pptx."""
        code = ("import sys, io, setsafety, setsafety.cli; setsafety.cli.run(['validate', 'cases'], io.StringIO(), "
                "io.StringIO()); print(any(name == 'pptx' or name.startswith('pptx.') for name in sys.modules))")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              cwd=HERE.parent)
        assert done.stdout == "False\n"


def _pages(pdf: Path) -> int:
    """The number of pages of a PDF that Chromium wrote (its page objects)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))


@pytest.mark.slow
class TestPrint:
    def test_handouts_print_on_two_pages(self, tmp_path: Path, chromium: Path) -> None:
        """Every case's handout, printed by headless Chromium on A4 and on Letter, takes at most two pages."""
        pages = []
        for case in CASES:
            data = lesson(setsafety.load_case(case))
            for paper in ("a4", "letter"):
                page = tmp_path / f"{case}-{paper}.html"
                page.write_text(render_handout(data, paper), encoding="utf-8")
                pages.append(page)

        def print_pdf(page: Path) -> tuple[str, int]:
            pdf = page.with_suffix(".pdf")
            done = subprocess.run(
                [str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-pdf-header-footer", f"--user-data-dir={tmp_path / ('profile-' + page.stem)}",
                 f"--print-to-pdf={pdf}", page.as_uri()],
                capture_output=True, text=True, check=False, timeout=180)
            assert done.returncode == 0, done.stderr
            return page.stem, _pages(pdf)

        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            counted = dict(pool.map(print_pdf, pages))
        assert all(count >= 1 for count in counted.values())
        too_long = {name: count for name, count in counted.items() if count > 2}
        assert too_long == {}
