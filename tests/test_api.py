"""The top-level Python API: what ``import setsafety`` offers, how it is documented and typed, and how its
results look in a notebook (repr, HTML) and become data (to_dict, to_json)."""

from __future__ import annotations

import copy
import html
import inspect
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

import setsafety
import setsafety.analysis
from setsafety.analysis import analyze_all

ROOT = Path(__file__).resolve().parent.parent
USER_SCRIPT = ROOT / "tests" / "typing" / "user_script.py"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _tuples(value: Any, where: str = "") -> list[str]:
    """Where a tuple (or anything but JSON's own types) hides in data meant to be plain JSON."""
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _tuples(item, f"{where}/{key}")]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in _tuples(item, f"{where}/{index}")]
    return [] if value is None or isinstance(value, (str, int, float, bool)) else [where]


class TestNamespace:
    def test_all_resolves(self) -> None:
        """Every name in ``__all__`` is there, and ``from setsafety import *`` takes exactly them."""
        namespace: dict[str, Any] = {}
        exec("from setsafety import *", namespace)
        assert set(namespace) - {"__builtins__"} == set(setsafety.__all__)
        assert all(getattr(setsafety, name) is not None for name in setsafety.__all__)

    def test_dir_is_clean(self) -> None:
        """``dir(setsafety)`` lists the public names only: no Path, TYPE_CHECKING, os or submodules."""
        assert dir(setsafety) == sorted(setsafety.__all__)
        assert not {"Path", "TYPE_CHECKING", "os", "annotations", "cases", "model"} & set(dir(setsafety))

    def test_import_stays_light(self) -> None:
        """``import setsafety`` loads neither the analysers nor Jinja2, jsonschema, pandas or pyarrow."""
        heavy = ["jinja2", "jsonschema", "pandas", "pyarrow", "setsafety.analysis", "setsafety.lessons"]
        code = f"import setsafety, sys; print([m for m in {heavy!r} if m in sys.modules])"
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert done.stdout.strip() == "[]"

    def test_unknown_name(self) -> None:
        """A name the package does not have is an AttributeError that names it."""
        with pytest.raises(AttributeError, match="'nope'"):
            setsafety.nope  # type: ignore[attr-defined]  # noqa: B018

    def test_every_public_function_documented(self) -> None:
        """Every public function and class has a docstring, and the README's API table names each function."""
        table = _section("## The Python API")
        for name in setsafety.__all__:
            value = getattr(setsafety, name)
            if inspect.isfunction(value) or inspect.isclass(value):
                assert inspect.getdoc(value), name
            if inspect.isfunction(value):
                assert f"`{name}(" in table, f"{name} is not in the README's Python API section"


def _section(heading: str) -> str:
    start = README.index(heading)
    end = README.find("\n## ", start + len(heading))
    return README[start:] if end < 0 else README[start:end]


class TestReadme:
    def test_worked_example_runs(self) -> None:
        """The Python API section's example runs as written, and says what it prints."""
        [example] = re.findall(r"```python\n(.*?)```", _section("## The Python API"), re.DOTALL)
        namespace: dict[str, Any] = {}
        exec(compile(example, "README.md", "exec"), namespace)
        shown = re.search(r"^result +# (<Analysis .*>)$", example, re.MULTILINE)
        assert shown is not None and shown.group(1) == repr(namespace["result"])

    def test_export_columns_generated(self) -> None:
        """The README's table of export columns is the one the export schema makes."""
        from setsafety.export import data_dictionary

        section = _section("## The Python API")
        start = section.index("<!-- export columns")
        table = section[section.index("\n", start) + 1:section.index("<!-- end of export columns -->")]
        assert table == data_dictionary()

    def test_frame_levels_documented(self) -> None:
        """The README's table of frame levels names every column of every level."""
        from setsafety.frames import COLUMNS

        section = _section("## The Python API")
        for level, columns in COLUMNS.items():
            [line] = [line for line in section.splitlines() if line.startswith(f"| `\"{level}\"` |")]
            if level != "layer":
                assert [name for name, _ in columns if f"`{name}`" not in line] == [], level


class TestAnalyze:
    def test_by_id_path_or_record(self, example_path: Path) -> None:
        """analyze takes a bundled id, a record file (str or Path) or a Record, and gives the same analysis."""
        record = setsafety.load_record(example_path)
        results = [setsafety.analyze(given) for given in (record, example_path, str(example_path))]
        assert results[0] == results[1] == results[2]
        assert setsafety.analyze("rust-2021").case == "rust-2021"

    def test_several_protocols_fit(self) -> None:
        """A case several protocols fit: analyze names them and chooses none; protocol= or analyze_all does."""
        case = next(case_id for case_id in setsafety.list_cases()
                    if len(analyze_all(setsafety.load_case(case_id))) > 1)
        fitting = [analysis.protocol for analysis in setsafety.analyze_all(case)]
        with pytest.raises(setsafety.AmbiguousProtocolError) as raised:
            setsafety.analyze(case)
        assert raised.value.protocols == fitting and all(found in str(raised.value) for found in fitting)
        assert isinstance(raised.value, ValueError)
        assert setsafety.analyze(case, protocol=fitting[-1]).protocol == fitting[-1]
        # the lower level, for the lessons and the kit: the protocol that covers most of the hazards
        assert setsafety.analysis.analyze(setsafety.load_case(case)).protocol == fitting[0]
        assert [a.protocol for a in setsafety.analyze_all(case, protocols=fitting[::-1])] == fitting[::-1]

    def test_library_functions(self) -> None:
        """layer_stats, similar and export_rows default to the whole bundled library."""
        library = setsafety.analyze_library()
        assert setsafety.layer_stats() == setsafety.layer_stats(library)
        assert setsafety.export_rows() == setsafety.export_rows(library)
        assert setsafety.similar("cover-up-1984") == setsafety.similar(analyze_all(setsafety.load_case(
            "cover-up-1984")), library)
        only = setsafety.analyze_library(["rust-2021"], protocol="firearms")
        assert [(a.case, a.protocol) for a in only] == [("rust-2021", "firearms")]
        assert setsafety.analyze_library(["rust-2021"], protocol="vehicles") == []


@pytest.fixture(scope="module")
def analysis() -> setsafety.Analysis:
    return setsafety.analyze("rust-2021")


class TestResultsAsData:
    def test_to_dict_is_plain_json(self, analysis: setsafety.Analysis) -> None:
        """to_dict holds only dicts, lists and JSON scalars; to_json is its JSON text."""
        data = analysis.to_dict()
        assert _tuples(data) == []
        assert isinstance(analysis.to_json(), str) and json.loads(analysis.to_json()) == data
        assert [layer["id"] for layer in data["layers"]] == [layer.id for layer in analysis.layers]

    def test_record_to_dict(self) -> None:
        """A record's to_dict is its JSON data: plain, and it loads back to the same record."""
        record = setsafety.load_case("rust-2021")
        assert _tuples(record.to_dict()) == []
        assert setsafety.load_record(json.loads(record.to_json())) == record

    def test_stats_keep_known(self) -> None:
        """LayerStat.known survives to_dict and attrs.asdict (it is a field, not a property)."""
        stat = next(stat for stat in setsafety.layer_stats() if stat.known)
        assert stat.to_dict()["known"] == list(stat.known)
        assert list(attrs.asdict(stat)["known"]) == list(stat.known)
        assert _tuples(stat.to_dict()) == []

    def test_similarity_to_dict(self) -> None:
        """Similarity.to_dict carries the reason in words, as plain data."""
        [first, *_] = setsafety.similar("cover-up-1984")
        assert first.to_dict()["reason"] == first.reason and _tuples(first.to_dict()) == []

    def test_cli_json_unchanged_in_shape(self, cli: Any) -> None:
        """`analyze --format json` prints what to_dict gives."""
        code, out, _ = cli("analyze", "rust-2021", "--format", "json")
        assert code == 0 and json.loads(out) == setsafety.analyze("rust-2021").to_dict()


class TestNotebookViews:
    def test_short_reprs(self) -> None:
        """repr of a record and of an analysis is one short line that says what it is."""
        record = setsafety.load_case("rust-2021")
        analysis = setsafety.analyze(record)
        for text in (repr(record), repr(analysis), repr(analysis.layers[0])):
            assert len(text) < 200 and "\n" not in text, text
        assert repr(record).startswith(f"<Record {record.id} ") and record.case.date in repr(record)
        counts = {state: sum(layer.state == state for layer in analysis.layers) for state in setsafety.STATE_ORDER}
        for state, count in counts.items():
            assert (f"{count} {state}" in repr(analysis)) == (count > 0)

    def test_html_shows_the_layers_escaped(self, example_data: dict[str, Any]) -> None:
        """_repr_html_ is a table with a row per layer; markup and controls from the record are escaped."""
        data = copy.deepcopy(example_data)
        data["case"]["title"] = "<script>alert(1)</script>\x1b[31m"
        record = setsafety.load_record(data)
        analysis = setsafety.analyze(record)
        for shown in (analysis._repr_html_(), record._repr_html_()):
            assert "<script>" not in shown and html.escape("<script>") in shown and "\x1b" not in shown
        assert analysis._repr_html_().count("<tr ") == len(analysis.layers) + 1
        assert all(html.escape(layer.name) in analysis._repr_html_() for layer in analysis.layers)

    def test_repr_escapes_controls(self, example_data: dict[str, Any]) -> None:
        """A record's repr shows a control or bidi character in its title as an escape."""
        data = copy.deepcopy(example_data)
        data["case"]["title"] = "a\x1bb\u202ec"
        assert re.search(r"[\x1b\u202e]", repr(setsafety.load_record(data))) is None


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One mypy cache for the typing tests (pandas-stubs are long to read once)."""
    return str(tmp_path_factory.mktemp("mypy-cache"))


def _mypy(*args: str) -> tuple[str, str, int]:
    """``mypy.api.run``, leaving the process as it was: mypy raises the recursion limit, which would let
    other tests' deliberately deep data through."""
    api = pytest.importorskip("mypy.api")
    limit = sys.getrecursionlimit()
    try:
        out, err, status = api.run(list(args))
    finally:
        sys.setrecursionlimit(limit)
    return out, err, status


@pytest.mark.slow
class TestTyping:
    def test_user_script_passes_mypy_strict(self, mypy_cache: str) -> None:
        """A user's script that calls every documented function type-checks under mypy --strict."""
        out, err, status = _mypy("--strict", "--cache-dir", mypy_cache, str(USER_SCRIPT))
        assert status == 0, out + err

    def test_user_script_catches_a_wrong_type(self, mypy_cache: str, tmp_path: Path) -> None:
        """The check can fail: a script that takes analyze's result for a string does not pass."""
        script = tmp_path / "wrong.py"
        script.write_text("import setsafety\n\nresult: str = setsafety.analyze('rust-2021')\n", encoding="utf-8")
        out, _, status = _mypy("--strict", "--cache-dir", mypy_cache, str(script))
        assert status == 1 and "Incompatible types" in out

    def test_user_script_runs(self) -> None:
        """The same script runs to the end."""
        done = subprocess.run([sys.executable, str(USER_SCRIPT)], capture_output=True, text=True,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8"}, check=False)
        assert (done.returncode, done.stderr) == (0, "")
