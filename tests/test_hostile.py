"""Hostile input: files from many hands, read by the command line, never crash it.

Every case asserts the exact exit code (1 for an invalid record or protocol, 2 for a
usage or I/O problem), exactly one problem line naming the file and the JSON pointer
(or one line on stderr for exit 2), and no traceback. The largest cases also run
``python -m setsafety`` in a real process.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import setsafety
from setsafety._data import protocols_dir
from setsafety.analysis.rules import RULES
from setsafety.model.walk import resolve
from setsafety.schema import INCIDENT_SCHEMA_ID, schema

Cli = Callable[..., tuple[int, str, str]]

ROOT = Path(__file__).resolve().parent.parent
ONE_ERROR = "invalid: 1 file(s), 1 error(s), 0 warning(s)"
FIREARMS = json.loads((protocols_dir() / "firearms.json").read_text(encoding="utf-8"))


def _load_strategies() -> ModuleType:
    spec = importlib.util.spec_from_file_location("strategies", Path(__file__).with_name("strategies.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


strategies = _load_strategies()


def one_problem(result: tuple[int, str, str], path: Path | str, pointer: str, message: str, code: str) -> None:
    """``validate`` said exactly this one error, and nothing else."""
    assert result == (1, f"{path}::{pointer}: error: {message} [{code}]\n{ONE_ERROR}\n", "")


def no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text


def setsafety_process(*argv: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m setsafety ARGV`` in its own process, as a CI job runs it."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "setsafety", *map(str, argv)], capture_output=True, text=True,
                          encoding="utf-8", check=False, timeout=120, cwd=cwd, env=env)


def write_bytes(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


class TestNotJson:
    @pytest.mark.parametrize(("data", "message"), [
        (b'{"id": ', "not valid JSON: Expecting value (line 1, column 8)"),
        (b"", "not valid JSON: Expecting value (line 1, column 1)"),
        (b'{"a": "\x00"}', "not valid JSON: Invalid control character at (line 1, column 8)"),
        (b"{'id': 'x'}", "not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)"),
    ], ids=["truncated", "empty", "nul-byte", "single-quotes"])
    def test_invalid_json(self, cli: Cli, tmp_path: Path, data: bytes, message: str) -> None:
        """Text that is not JSON: one json-syntax problem at / with line and column."""
        path = write_bytes(tmp_path, "broken.json", data)
        one_problem(cli("validate", path), path, "/", message, "json-syntax")

    def test_trailing_comma(self, cli: Cli, tmp_path: Path) -> None:
        """A trailing comma (Python's wording of it varies by version): one json-syntax problem at /."""
        path = write_bytes(tmp_path, "broken.json", b'{"id": "x",}')
        code, out, err = cli("validate", path)
        assert (code, err) == (1, "")
        problem, summary = out.splitlines()
        assert problem.startswith(f"{path}::/: error: not valid JSON: ")
        assert problem.endswith(" (line 1, column 12) [json-syntax]") or problem.endswith(
            " (line 1, column 11) [json-syntax]")
        assert summary == ONE_ERROR


class TestNotAnObject:
    @pytest.mark.parametrize(("data", "found"), [
        (b"[1, 2]", "array"), (b"[]", "array"), (b"42", "number"), (b'"a record"', "string"),
        (b"null", "null"), (b"true", "boolean"),
    ], ids=["array", "empty-array", "number", "string", "null", "boolean"])
    def test_top_level(self, cli: Cli, tmp_path: Path, data: bytes, found: str) -> None:
        """A JSON array or scalar where a record object belongs: one schema-type problem at /."""
        path = write_bytes(tmp_path, "record.json", data)
        one_problem(cli("validate", path), path, "/", f"expected object, found {found}", "schema-type")

    def test_array_of_records(self, cli: Cli, tmp_path: Path, example_data: dict[str, Any]) -> None:
        """Even an array of valid records is one problem: a file holds one record."""
        path = write_bytes(tmp_path, "records.json", json.dumps([example_data, example_data]).encode())
        one_problem(cli("validate", path), path, "/", "expected object, found array", "schema-type")


class TestEncoding:
    def test_latin1(self, cli: Cli, tmp_path: Path) -> None:
        """Latin-1 bytes: one encoding problem that says which byte."""
        path = write_bytes(tmp_path, "latin1.json", '{"a": "café"}'.encode("latin-1"))
        one_problem(cli("validate", path), path, "/", "the file is not UTF-8 text (byte 10: invalid continuation byte)",
                    "encoding")

    def test_utf16(self, cli: Cli, tmp_path: Path, example_data: dict[str, Any]) -> None:
        """A UTF-16 file (with its byte-order mark) is not UTF-8: one encoding problem."""
        path = write_bytes(tmp_path, "utf16.json", json.dumps(example_data).encode("utf-16"))
        one_problem(cli("validate", path), path, "/", "the file is not UTF-8 text (byte 0: invalid start byte)",
                    "encoding")

    def test_byte_order_mark(self, cli: Cli, tmp_path: Path, example_data: dict[str, Any]) -> None:
        """A valid record behind a UTF-8 byte-order mark: one encoding problem."""
        path = write_bytes(tmp_path, "fictional-blank-injury.json", b"\xef\xbb\xbf" + json.dumps(example_data).encode())
        one_problem(cli("validate", path), path, "/",
                    "the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM", "encoding")

    def test_byte_order_mark_yaml(self, cli: Cli, tmp_path: Path) -> None:
        """A YAML record behind a byte-order mark: the same encoding problem."""
        path = write_bytes(tmp_path, "record.yaml", b"\xef\xbb\xbfid: x\n")
        one_problem(cli("validate", path), path, "/",
                    "the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM", "encoding")


@pytest.fixture(scope="module")
def huge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 50 MB file: a well-formed JSON array of 50 MB of digits and commas."""
    path = tmp_path_factory.mktemp("huge") / "huge.json"
    with path.open("wb") as stream:
        stream.write(b"[")
        chunk = b"1," * (1024 * 1024)
        for _ in range(25):
            stream.write(chunk)
        stream.write(b"1]")
    assert path.stat().st_size > 50 * 1000 * 1000
    return path


class TestSize:
    TOO_LARGE = "the file is larger than 10 MiB; no record is this large"

    def test_50_megabytes(self, cli: Cli, huge: Path) -> None:
        """A 50 MB file is refused unread past 10 MiB: one too-large problem."""
        one_problem(cli("validate", huge), huge, "/", self.TOO_LARGE, "too-large")

    @pytest.mark.slow
    def test_50_megabytes_process(self, huge: Path) -> None:
        """The same in a real process: exit 1, one problem line, nothing on stderr."""
        done = setsafety_process("validate", huge)
        assert (done.returncode, done.stdout, done.stderr) == (
            1, f"{huge}::/: error: {self.TOO_LARGE} [too-large]\n{ONE_ERROR}\n", "")

    def test_50_megabytes_show(self, cli: Cli, huge: Path) -> None:
        """`show` of a 50 MB file: exit 1, the one problem on stderr."""
        assert cli("show", huge) == (
            1, "", f"setsafety: error: invalid record:\n  {huge}::/: error: {self.TOO_LARGE} [too-large]\n")


def _deep_json(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


class TestNesting:
    DEPTH = 10_000
    JSON_TOO_DEEP = "the JSON is nested too deeply; a record needs at most 64 levels"

    @pytest.mark.parametrize("data", [
        _deep_json(DEPTH), b'{"a":' * DEPTH + b"1" + b"}" * DEPTH,
    ], ids=["arrays", "objects"])
    def test_json(self, cli: Cli, tmp_path: Path, data: bytes) -> None:
        """Nesting 10,000 deep: one too-deep problem, no RecursionError."""
        path = write_bytes(tmp_path, "deep.json", data)
        one_problem(cli("validate", path), path, "/", self.JSON_TOO_DEEP, "too-deep")

    def test_inside_a_valid_record(self, cli: Cli, tmp_path: Path, example_data: dict[str, Any]) -> None:
        """Deep nesting where the schema allows anything (/extensions) is still refused."""
        text = json.dumps(example_data)[:-1] + ', "extensions": {"x-deep": ' + _deep_json(self.DEPTH).decode() + "}}"
        path = write_bytes(tmp_path, "fictional-blank-injury.json", text.encode())
        one_problem(cli("validate", path), path, "/", self.JSON_TOO_DEEP, "too-deep")

    def test_just_too_deep(self, cli: Cli, tmp_path: Path, example_data: dict[str, Any]) -> None:
        """Parsed data one level deeper than allowed says how deep it is."""
        example_data["extensions"] = {"x-deep": json.loads(_deep_json(63))}
        path = write_bytes(tmp_path, "fictional-blank-injury.json", json.dumps(example_data).encode())
        one_problem(cli("validate", path), path, "/",
                    "the data is nested 65 levels deep; a record needs at most 64", "too-deep")

    @pytest.mark.parametrize("data", [
        b"a: " + _deep_json(1000),
        "".join("  " * i + "a:\n" for i in range(1000)).encode() + b"  " * 1000 + b"1\n",
    ], ids=["flow", "block"])
    def test_yaml(self, cli: Cli, tmp_path: Path, data: bytes) -> None:
        """YAML nested a thousand deep: one too-deep problem."""
        path = write_bytes(tmp_path, "deep.yaml", data)
        one_problem(cli("validate", path), path, "/", "the YAML is nested too deeply", "too-deep")

    @pytest.mark.slow
    def test_yaml_flow_10000_is_quick(self, tmp_path: Path) -> None:
        """A 20 kB YAML file nested 10,000 deep is refused within seconds, like its JSON twin."""
        path = write_bytes(tmp_path, "deep.yaml", b"a: " + _deep_json(self.DEPTH))
        done = subprocess.run([sys.executable, "-m", "setsafety", "validate", str(path)], capture_output=True,
                              text=True, check=False, timeout=5)
        assert (done.returncode, done.stdout.splitlines()[0]) == (
            1, f"{path}::/: error: the YAML is nested too deeply [too-deep]")

    @pytest.mark.slow
    def test_yaml_flow_hidden_between_apostrophes(self, tmp_path: Path) -> None:
        """Deep flow nesting between two plain scalars with apostrophes is refused within seconds too."""
        path = write_bytes(tmp_path, "deep.yaml", b"a: it's\nb: " + _deep_json(self.DEPTH) + b"\nc: it's\n")
        done = subprocess.run([sys.executable, "-m", "setsafety", "validate", str(path)], capture_output=True,
                              text=True, check=False, timeout=5)
        assert (done.returncode, done.stdout.splitlines()[0]) == (
            1, f"{path}::/: error: the YAML is nested too deeply [too-deep]")

    @pytest.mark.slow
    def test_yaml_unclosed_escapes_are_quick(self, tmp_path: Path) -> None:
        """An 80 kB YAML file of unclosed double-quoted escapes is refused within seconds."""
        path = write_bytes(tmp_path, "quotes.yaml", b"a: " + b'"\\' * 40_000)
        done = subprocess.run([sys.executable, "-m", "setsafety", "validate", str(path)], capture_output=True,
                              text=True, check=False, timeout=5)
        assert done.returncode == 1
        assert done.stdout.splitlines()[0].startswith(f"{path}::/: error: ")
        assert done.stdout.splitlines()[0].endswith("[yaml-syntax]")

    @pytest.mark.slow
    def test_process(self, tmp_path: Path) -> None:
        """In a real process (the C stack, not only Python's limit): exit 1, one problem line."""
        path = write_bytes(tmp_path, "deep.json", _deep_json(100_000))
        done = setsafety_process("validate", path)
        assert (done.returncode, done.stdout, done.stderr) == (
            1, f"{path}::/: error: {self.JSON_TOO_DEEP} [too-deep]\n{ONE_ERROR}\n", "")


class TestNumbers:
    @pytest.mark.parametrize(("text", "message"), [
        ("1e400", "1e400 is out of range"),
        ("-1e400", "-1e400 is out of range"),
        ("NaN", "NaN is not a JSON number"),
        ("Infinity", "Infinity is not a JSON number"),
        ("-Infinity", "-Infinity is not a JSON number"),
    ])
    def test_not_a_json_number(self, cli: Cli, tmp_path: Path, example_data: dict[str, Any], text: str,
                               message: str) -> None:
        """A number JSON cannot carry, in a field that takes a number: one json-number problem."""
        body = json.dumps(example_data).replace('"distance_m": 2', f'"distance_m": {text}')
        path = write_bytes(tmp_path, "fictional-blank-injury.json", body.encode())
        one_problem(cli("validate", path), path, "/", f"a number JSON cannot carry faithfully: {message}",
                    "json-number")

    def test_integer_too_long(self, cli: Cli, tmp_path: Path) -> None:
        """An integer of 5,000 digits: one json-number problem (not Python's ValueError)."""
        path = write_bytes(tmp_path, "record.json", b'{"count": ' + b"9" * 5000 + b"}")
        code, out, err = cli("validate", path)
        assert (code, err) == (1, "")
        problem, summary = out.splitlines()
        assert problem.startswith(f"{path}::/: error: a number JSON cannot carry faithfully: ")
        assert problem.endswith(" [json-number]")
        assert summary == ONE_ERROR

    def test_huge_but_valid(self, cli: Cli, tmp_path: Path, example_data: dict[str, Any]) -> None:
        """Huge numbers the schema allows are kept exactly, and the record analyses."""
        example_data["ammunition"][0]["count"] = 10**300
        example_data["incident"]["positions"][0]["distance_m"] = 1.7976931348623157e308
        path = write_bytes(tmp_path, "fictional-blank-injury.json", json.dumps(example_data).encode())
        assert cli("validate", path) == (0, "ok: 1 file(s), 0 error(s), 0 warning(s)\n", "")
        code, out, err = cli("show", "--format", "json", path)
        assert (code, err, json.loads(out)) == (0, "", example_data)
        assert cli("analyze", path)[0] == 0

    def test_negative_count(self, cli: Cli, tmp_path: Path, example_data: dict[str, Any]) -> None:
        """A negative count: one schema-minimum problem at its pointer."""
        example_data["ammunition"][0]["count"] = -1
        path = write_bytes(tmp_path, "fictional-blank-injury.json", json.dumps(example_data).encode())
        one_problem(cli("validate", path), path, "/ammunition/0/count", "-1 is less than the minimum of 0",
                    "schema-minimum")


class TestDuplicateKeys:
    @pytest.mark.parametrize(("old", "new", "key"), [
        ('"schema_version": "1.1",', '"schema_version": "1.1", "schema_version": "1.1",', "schema_version"),
        ('"by": "armorer-a",', '"by": "armorer-a", "by": "first-ad-b",', "by"),
    ], ids=["top-level", "nested"])
    def test_duplicate_key(self, cli: Cli, tmp_path: Path, example_path: Path, old: str, new: str, key: str) -> None:
        """A key twice in one object: one duplicate-key problem naming the key."""
        text = example_path.read_text(encoding="utf-8").replace(old, new, 1)
        path = write_bytes(tmp_path, "fictional-blank-injury.json", text.encode())
        one_problem(cli("validate", path), path, "/",
                    f"the key {key!r} appears twice in one object; JSON readers would keep only one", "duplicate-key")


class TestSchemaVersion:
    @pytest.mark.parametrize(("version", "message"), [
        ("2.0", "'2.0' is not a record format version this release reads ('1.0', '1.1'); see `setsafety migrate`"),
        ("1.0.0", "'1.0.0' is not a record format version this release reads ('1.0', '1.1'); see `setsafety migrate`"),
        (1.0, "1.0 is not a record format version this release reads ('1.0', '1.1'); see `setsafety migrate`"),
    ])
    def test_unknown(self, cli: Cli, tmp_path: Path, example_data: dict[str, Any], version: Any,
                     message: str) -> None:
        """A schema_version this release does not know: one schema-enum problem at /schema_version."""
        example_data["schema_version"] = version
        path = write_bytes(tmp_path, "fictional-blank-injury.json", json.dumps(example_data).encode())
        one_problem(cli("validate", path), path, "/schema_version", message, "schema-enum")

    def test_missing(self, cli: Cli, tmp_path: Path, example_data: dict[str, Any]) -> None:
        """No schema_version: one schema-required problem."""
        del example_data["schema_version"]
        path = write_bytes(tmp_path, "fictional-blank-injury.json", json.dumps(example_data).encode())
        one_problem(cli("validate", path), path, "/", "'schema_version' is required here", "schema-required")


class TestIdsAndPaths:
    SLUG = "^[a-z0-9]+(-[a-z0-9]+)*$"

    @pytest.mark.parametrize("value", ["../../etc/passwd", "/etc/passwd", "C:\\Windows\\win.ini", "a/../b"])
    def test_record_id(self, cli: Cli, tmp_path: Path, example_data: dict[str, Any], value: str) -> None:
        """A record whose id is a path: one schema-pattern problem at /id."""
        example_data["id"] = value
        path = write_bytes(tmp_path, "record.json", json.dumps(example_data).encode())
        one_problem(cli("validate", path), path, "/id", f"{value!r} does not match {self.SLUG!r}", "schema-pattern")

    def test_reference(self, cli: Cli, tmp_path: Path, example_data: dict[str, Any]) -> None:
        """A reference that is a path: one schema-pattern problem at its pointer."""
        example_data["custody"][0]["storage"] = "../../etc/passwd"
        path = write_bytes(tmp_path, "fictional-blank-injury.json", json.dumps(example_data).encode())
        one_problem(cli("validate", path), path, "/custody/0/storage",
                    f"'../../etc/passwd' does not match {self.SLUG!r}", "schema-pattern")

    @pytest.mark.parametrize("command", ["analyze", "lessons", "show"])
    def test_traversal_case_argument(self, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     command: str) -> None:
        """`COMMAND ../../etc/passwd` is a path from here, never looked up in the case library; a
        file there that is not a record: exit 1, its one problem; its contents are not shown."""
        (tmp_path / "etc").mkdir()
        (tmp_path / "etc" / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
        here = tmp_path / "a" / "b"
        here.mkdir(parents=True)
        monkeypatch.chdir(here)
        assert cli(command, "../../etc/passwd") == (
            1, "", "setsafety: error: invalid record:\n"
                   "  ../../etc/passwd::/: error: not valid JSON: Expecting value (line 1, column 1) [json-syntax]\n")

    @pytest.mark.parametrize("command", ["analyze", "lessons"])
    def test_absolute_path_missing(self, cli: Cli, tmp_path: Path, command: str) -> None:
        """An absolute path where an id is expected, that does not exist: exit 2, one line on stderr."""
        missing = tmp_path / "nowhere" / "passwd"
        assert cli(command, missing) == (
            2, "", f"setsafety: error: {str(missing)!r} is neither a bundled case id nor a record file\n")

    def test_case_id_is_not_read_from_the_working_folder(self, cli: Cli, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         example_data: dict[str, Any]) -> None:
        """A bare id is only looked up in the library, even when a file of that name is here."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "lookalike.json").write_text(json.dumps(example_data), encoding="utf-8")
        code, out, err = cli("show", "lookalike")
        assert (code, out) == (2, "")
        assert err.startswith("setsafety: error: no bundled case 'lookalike' (bundled: ")
        assert len(err.splitlines()) == 1

    @pytest.mark.parametrize("protocol", ["../../etc/passwd", "/nowhere/firearms.json"])
    def test_protocol_path(self, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example_path: Path,
                           protocol: str) -> None:
        """--protocol with a path that is no protocol file: exit 2, one line naming it."""
        here = tmp_path / "a" / "b"
        here.mkdir(parents=True)
        monkeypatch.chdir(here)
        known = ", ".join(setsafety.list_protocols())
        assert cli("analyze", example_path, "--protocol", protocol) == (
            2, "", f"setsafety: error: {protocol!r} is neither a bundled protocol ({known}) nor a protocol file\n")


#: What each text field gets appended; a renderer must show it as text, never run it.
INJECTION = (" <script>alert(1)</script> <img src=x onerror=alert(1)> [link](javascript:alert(1))"
             " | --- | \n# heading")


def _free_text(node: Any, defs: dict[str, Any]) -> bool:
    """Whether a schema node is free text (not an id, enum, date, pointer or URL)."""
    if "$ref" in node:
        name = node["$ref"].removeprefix("#/$defs/")
        return name in ("text", "short_text")
    return node.get("type") == "string" and not ({"pattern", "format", "enum", "const"} & set(node))


def _properties(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = defs[node["$ref"].removeprefix("#/$defs/")]
    properties = {name: sub for name, sub in node.get("properties", {}).items() if sub is not True}
    for part in node.get("allOf", ()):
        if "$ref" in part:
            for name, sub in _properties(part, defs).items():
                properties.setdefault(name, sub)
    return properties


def free_text_pointers(data: Any, node: dict[str, Any], defs: dict[str, Any], pointer: str = "") -> Iterator[str]:
    """The JSON pointers of every free-text string in a record, found through the schema."""
    while "$ref" in node and not _free_text(node, defs):
        node = defs[node["$ref"].removeprefix("#/$defs/")]
    if isinstance(data, str):
        if _free_text(node, defs):
            yield pointer
    elif isinstance(data, list) and "items" in node:
        for i, item in enumerate(data):
            yield from free_text_pointers(item, node["items"], defs, f"{pointer}/{i}")
    elif isinstance(data, dict):
        properties = _properties(node, defs)
        for key, value in data.items():
            if key in properties:
                yield from free_text_pointers(value, properties[key], defs, f"{pointer}/{key}")


def _set(data: Any, pointer: str, value: Any) -> None:
    *parents, last = pointer[1:].split("/")
    for part in parents:
        data = data[int(part)] if isinstance(data, list) else data[part]
    data[int(last) if isinstance(data, list) else last] = value


class TestInjection:
    @pytest.fixture
    def injected(self, tmp_path: Path, example_data: dict[str, Any]) -> Path:
        """The example record with the injection text appended to every free-text field."""
        incident_schema = schema(INCIDENT_SCHEMA_ID)
        pointers = list(free_text_pointers(example_data, incident_schema, incident_schema["$defs"]))
        assert len(pointers) == 23
        assert {"/case/summary", "/custody/3/announcement", "/people/1/qualifications/0/description",
                "/sources/0/title"} <= set(pointers)
        assert "/custody/0/by" not in pointers and "/case/date" not in pointers
        for pointer in pointers:
            _set(example_data, pointer, resolve(example_data, pointer)[1] + INJECTION)
        path = tmp_path / "fictional-blank-injury.json"
        path.write_text(json.dumps(example_data, ensure_ascii=False), encoding="utf-8")
        return path

    def test_still_valid(self, cli: Cli, injected: Path) -> None:
        """Markup in text is only text: the record stays valid."""
        assert cli("validate", injected) == (0, "ok: 1 file(s), 0 error(s), 0 warning(s)\n", "")

    def test_text_commands(self, cli: Cli, injected: Path) -> None:
        """show and analyze print the record (the text is theirs to print) and exit 0."""
        for argv in (("show", injected), ("analyze", injected), ("show", "--format", "json", injected)):
            code, out, err = cli(*argv)
            assert (code, err) == (0, "")
            no_traceback(out)

    def test_lessons_html(self, cli: Cli, injected: Path) -> None:
        """The HTML lesson holds no script, no event handler, no javascript: link; the text is escaped."""
        pytest.importorskip("setsafety.lessons")
        code, out, err = cli("lessons", "--format", "html", injected)
        assert (code, err) == (0, "")
        assert strategies.html_hazards(out) == []
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out

    def test_lessons_markdown(self, cli: Cli, injected: Path) -> None:
        """The Markdown lesson holds no raw HTML, no javascript: link, no injected heading or table rule."""
        pytest.importorskip("setsafety.lessons")
        code, out, err = cli("lessons", "--format", "md", injected)
        assert (code, err) == (0, "")
        assert strategies.markdown_hazards(out) == []
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
        assert [line for line in out.splitlines() if line.lstrip().startswith("# heading")] == []
        assert "| --- | " not in out.replace("\\| --- \\|", "")


class TestOutputInjection:
    def test_placeholder_cannot_forge_lines(self, cli: Cli, tmp_path: Path, example_data: dict[str, Any]) -> None:
        """A TODO value holding a newline and terminal escapes is still one problem line, with no control
        characters: a record cannot forge `validate` output in a CI log."""
        forged = "other.json::/: error: forged [x]"
        example_data["case"]["title"] = f"TODO: x\n{forged}\x1b[2J"
        path = write_bytes(tmp_path, "fictional-blank-injury.json", json.dumps(example_data).encode())
        code, out, err = cli("validate", path)
        assert (code, err) == (1, "")
        assert [line for line in out.splitlines() if line.startswith(forged)] == []
        assert len(out.splitlines()) == 2
        assert "\x1b" not in out


def _protocol_file(folder: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    data = copy.deepcopy(FIREARMS)
    change(data)
    path = folder / "bad-protocol.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


class TestProtocol:
    def test_unknown_rule(self, cli: Cli, tmp_path: Path, example_path: Path) -> None:
        """A layer whose rule no analyzer provides: exit 1, one problem with file and pointer."""
        path = _protocol_file(tmp_path, lambda data: data["layers"][2].update(rule="no-such-layer"))
        code, out, err = cli("analyze", example_path, "--protocol", path)
        assert (code, out) == (1, "")
        assert err == (f"setsafety: error: invalid protocol:\n  {path}::/layers/2/rule: error: no analyzer rule named "
                       f"'no-such-layer'; set 'rule' to one of: {', '.join(sorted(RULES))} [unknown-rule]\n")

    def test_unknown_layer_id(self, cli: Cli, tmp_path: Path, example_path: Path) -> None:
        """A layer id that names no rule, with no rule given: the problem points at its id."""
        path = _protocol_file(tmp_path, lambda data: data["layers"][0].update(id="no-such-layer"))
        code, out, err = cli("analyze", example_path, "--protocol", path)
        assert (code, out) == (1, "")
        assert err.startswith(f"setsafety: error: invalid protocol:\n  {path}::/layers/0/id: error: no analyzer rule "
                              "named 'no-such-layer'; ")
        assert len(err.splitlines()) == 2

    def test_missing_reference(self, cli: Cli, tmp_path: Path, example_path: Path) -> None:
        """A standard citing a reference the protocol does not list: exit 1, one problem."""
        path = _protocol_file(tmp_path, lambda data: data["layers"][1]["standards"][0].update(reference="no-such-ref"))
        assert cli("analyze", example_path, "--protocol", path) == (
            1, "", f"setsafety: error: invalid protocol:\n  {path}::/layers/1/standards/0/reference: error: "
                   "'no-such-ref' is not a reference in /references [dangling-reference]\n")

    def test_lessons_with_bad_protocol(self, cli: Cli, tmp_path: Path, example_path: Path) -> None:
        """`lessons --protocol` refuses the same protocol the same way."""
        pytest.importorskip("setsafety.lessons")
        path = _protocol_file(tmp_path, lambda data: data["layers"][1]["standards"][0].update(reference="no-such-ref"))
        code, out, err = cli("lessons", example_path, "--protocol", path)
        assert (code, out) == (1, "")
        assert err.splitlines()[1] == (f"  {path}::/layers/1/standards/0/reference: error: "
                                       "'no-such-ref' is not a reference in /references [dangling-reference]")

    def test_protocol_not_json(self, cli: Cli, tmp_path: Path, example_path: Path) -> None:
        """A protocol file that is not JSON: exit 1, one problem."""
        path = write_bytes(tmp_path, "protocol.json", b"layers: [")
        assert cli("analyze", example_path, "--protocol", path) == (
            1, "", f"setsafety: error: invalid protocol:\n  {path}::/: error: not valid JSON: "
                   "Expecting value (line 1, column 1) [json-syntax]\n")

    def test_finding_names_unknown_layer(self, cli: Cli, tmp_path: Path, example_data: dict[str, Any]) -> None:
        """An official finding that names a layer the protocol does not have: said so, not compared, no crash."""
        example_data["people"].append({"id": "osha", "kind": "organisation", "sources": ["src-incident-report"]})
        example_data["aftermath"] = {"investigations": [{
            "id": "inv", "body": "osha", "kind": "workplace-safety", "sources": ["src-incident-report"],
            "findings": [{"id": "f1", "text": "Shields.", "layers": ["no-such-layer"], "verdict": "deficient",
                          "sources": ["src-incident-report"]}],
        }]}
        path = write_bytes(tmp_path, "fictional-blank-injury.json", json.dumps(example_data).encode())
        assert cli("validate", path) == (0, "ok: 1 file(s), 0 error(s), 0 warning(s)\n", "")
        code, out, err = cli("analyze", "--format", "json", path)
        assert (code, err) == (0, "")
        assert json.loads(out)["agreement"] == [{
            "finding": "f1", "pointer": "/aftermath/investigations/0/findings/0", "layer": "no-such-layer",
            "finding_verdict": "deficient", "derived_state": None, "agrees": None,
            "note": "the protocol has no layer with this id",
        }]


class TestYaml:
    ALIAS = "anchors and aliases (&name, *name) are not allowed in a record (line {}, column {}); write the value out"

    def test_billion_laughs(self, cli: Cli, tmp_path: Path) -> None:
        """An alias bomb is refused at its first anchor, before anything is expanded."""
        lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
        path = write_bytes(tmp_path, "bomb.yaml", ("\n".join(lines) + "\n").encode())
        one_problem(cli("validate", path), path, "/", self.ALIAS.format(1, 4), "yaml-alias")

    def test_alias_in_a_record(self, cli: Cli, tmp_path: Path, example_data: dict[str, Any]) -> None:
        """One alias deep inside an otherwise valid record: refused, with its line."""
        text = (f"schema_version: '1.0'\nid: fictional-blank-injury\ncase: {json.dumps(example_data['case'])}\n"
                "sources:\n  - &src {id: s, kind: news, title: t}\n  - *src\n")
        path = write_bytes(tmp_path, "fictional-blank-injury.yaml", text.encode())
        one_problem(cli("validate", path), path, "/", self.ALIAS.format(5, 5), "yaml-alias")

    def test_python_tag(self, cli: Cli, tmp_path: Path) -> None:
        """A tag that would run code in an unsafe loader is refused, and nothing runs."""
        marker = tmp_path / "ran"
        path = write_bytes(tmp_path, "tag.yaml",
                           f'a: !!python/object/apply:os.system ["touch {marker}"]\n'.encode())
        one_problem(cli("validate", path), path, "/",
                    "could not determine a constructor for the tag "
                    "'tag:yaml.org,2002:python/object/apply:os.system' (line 1, column 4)", "yaml-syntax")
        assert not marker.exists()

    def test_huge_integer(self, cli: Cli, tmp_path: Path) -> None:
        """A 5,000-digit YAML integer: one json-number problem."""
        path = write_bytes(tmp_path, "big.yaml", b"a: " + b"9" * 5000 + b"\n")
        code, out, err = cli("validate", path)
        assert (code, err) == (1, "")
        assert out.splitlines()[0].startswith(f"{path}::/: error: a number JSON cannot carry faithfully: ")
        assert out.splitlines()[1:] == [ONE_ERROR]

    def test_several_documents(self, cli: Cli, tmp_path: Path) -> None:
        """Two YAML documents in one file: one yaml-syntax problem."""
        path = write_bytes(tmp_path, "two.yaml", b"a: 1\n---\nb: 2\n")
        code, out, err = cli("validate", path)
        assert (code, err) == (1, "")
        assert out.splitlines()[0].startswith(f"{path}::/: error: ")
        assert out.splitlines()[0].endswith("[yaml-syntax]")
        assert out.splitlines()[1:] == [ONE_ERROR]


class TestSurrogates:
    @pytest.mark.slow
    @pytest.mark.parametrize(("title", "command"), [
        ("TODO: \\ud800", ("validate",)),
        ("\\ud800", ("validate", "--format", "json")),
        ("\\ud800", ("show",)),
        ("\\ud800", ("show", "--format", "json")),
        ("\\ud800", ("analyze",)),
    ], ids=["validate-placeholder", "validate-json", "show", "show-json", "analyze"])
    def test_lone_surrogate_escape(self, tmp_path: Path, example_path: Path, title: str,
                                   command: tuple[str, ...]) -> None:
        r"""A "\ud800" escape in a text field: exit 1, one problem at its pointer, no traceback."""
        text = example_path.read_text(encoding="utf-8").replace(
            '"title": "FICTIONAL: blank-fire injury on a TV western"', f'"title": "{title}"', 1)
        path = write_bytes(tmp_path, "fictional-blank-injury.json", text.encode())
        done = setsafety_process(*command, path)
        no_traceback(done.stdout, done.stderr)
        assert done.returncode == 1
        if command == ("validate", "--format", "json"):
            assert [problem["pointer"] for problem in json.loads(done.stdout)["problems"]] == ["/case/title"]
        else:
            assert f"{path}::/case/title: error: " in done.stdout + done.stderr

    def test_yaml_surrogate_pair_escape(self, cli: Cli, tmp_path: Path) -> None:
        r"""YAML "\ud83d\udd2b" is read as one character (as JSON reads it), not two lone surrogates."""
        path = write_bytes(tmp_path, "record.yaml", b'a: "\\ud83d\\udd2b"\n')
        from setsafety.reading import read_data

        assert read_data(path) == {"a": "\U0001f52b"}

    def test_yaml_long_surrogate_escape(self, cli: Cli, tmp_path: Path, example_path: Path) -> None:
        r"""YAML's 8-digit "\U0000D800" is a lone surrogate too: exit 1, one problem at its pointer."""
        text = example_path.read_text(encoding="utf-8").replace(
            '"title": "FICTIONAL: blank-fire injury on a TV western"', '"title": "\\U0000D800"', 1)
        path = write_bytes(tmp_path, "fictional-blank-injury.yaml", text.encode())
        code, out, err = cli("validate", path)
        assert (code, err) == (1, "")
        assert out.splitlines()[0].startswith(f"{path}::/case/title: error: ")
        assert out.splitlines()[1:] == [ONE_ERROR]


class TestIo:
    def test_folder_with_no_records(self, cli: Cli, tmp_path: Path) -> None:
        """A folder with no record files: exit 2, one line on stderr."""
        assert cli("validate", tmp_path) == (
            2, "", f"setsafety: error: {tmp_path}: no records (*.json, *.yaml, *.yml) in this folder\n")

    @pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs a user that permissions stop")
    def test_unreadable_file(self, cli: Cli, tmp_path: Path) -> None:
        """A file that cannot be read: exit 2, one line on stderr naming it."""
        path = write_bytes(tmp_path, "secret.json", b"{}")
        path.chmod(0)
        try:
            assert cli("validate", path) == (2, "", f"setsafety: error: {path}: cannot read: Permission denied\n")
        finally:
            path.chmod(0o600)

    def test_a_folder_named_like_a_record(self, cli: Cli, tmp_path: Path, example_path: Path) -> None:
        """A folder whose name ends in .json is searched, not read as a file."""
        folder = tmp_path / "records.json"
        folder.mkdir()
        (folder / "fictional-blank-injury.json").write_bytes(example_path.read_bytes())
        assert cli("validate", folder) == (0, "ok: 1 file(s), 0 error(s), 0 warning(s)\n", "")
