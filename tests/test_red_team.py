"""The red team's second round (issue 15): one class of tests per class of failure it found.

Each test failed before its fix. The classes: numbers in pointers and keys, YAML that
is not JSON data, values the schema accepts that later code must still use, the operating
system saying no, hangs, escaping in every output, wrong verdicts and codes, the
internal-error handler and the API's own type errors.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from setsafety.pointers import array_index, document_order, resolve

Cli = Callable[..., tuple[int, str, str]]
WriteJson = Callable[..., Path]
ONE_ERROR = "invalid: 1 file(s), 1 error(s), 0 warning(s)"


def no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text


def dispute_about(*pointers: str) -> dict[str, Any]:
    return {
        "id": "d1", "kind": "source-conflict", "question": "Which?", "about": list(pointers),
        "positions": [{"id": "p1", "claim": "one", "sources": ["src-incident-report"]},
                      {"id": "p2", "claim": "two", "sources": ["src-incident-report"]}],
        "followed": "p1",
    }


class TestNumbersInPointers:
    """One number parser for pointer parts and keys: RFC 6901 indexes, nothing else."""

    @pytest.mark.parametrize(("part", "index"), [
        ("0", 0), ("7", 7), ("10", 10), ("00", None), ("01", None), ("-1", None), ("²", None),
        ("\u0660", None), ("1" * 5000, None), ("", None), (" 1", None), ("1.0", None),
    ])
    def test_array_index(self, part: str, index: int | None) -> None:
        """Only ``0`` or ASCII digits without a leading zero are an index; thousands of digits are not."""
        assert array_index(part) == index

    def test_leading_zero_resolves_nothing(self) -> None:
        """``/people/00`` names no element (RFC 6901 forbids leading zeros); ``/people/0`` does."""
        data = {"people": ["a", "b"]}
        assert resolve(data, "/people/00") == (False, None)
        assert resolve(data, "/people/0") == (True, "a")
        assert resolve(data, "/people/²") == (False, None)
        assert resolve(data, "/people/" + "1" * 5000) == (False, None)

    def test_order_of_odd_parts(self) -> None:
        """Non-ASCII digits and 5,000-digit parts sort as keys instead of raising."""
        pointers = ["/a/" + "9" * 5000, "/a/²", "/a/10", "/a/2"]
        assert sorted(pointers, key=document_order) == ["/a/2", "/a/10", "/a/" + "9" * 5000, "/a/²"]

    @pytest.mark.parametrize("key", ["²", "\u0660", "1" * 5000], ids=["superscript", "arabic-indic", "5000-digits"])
    def test_odd_key_in_a_record(self, cli: Cli, write_json: WriteJson, example_data: dict[str, Any],
                                 key: str) -> None:
        """An unknown key made of odd digits is one schema problem at its pointer, not a traceback."""
        example_data["people"][0][key] = 1
        path = write_json(example_data)
        code, out, err = cli("validate", path)
        assert (code, err) == (1, "")
        problem, summary = out.splitlines()
        assert problem.startswith(f"{path}::/people/0/{key}: error: unknown field ")
        assert problem.endswith(" [schema-additionalProperties]")
        assert summary == ONE_ERROR

    @pytest.mark.parametrize("pointer", ["/people/00", "/people/²", "/people/" + "1" * 5000])
    def test_dispute_pointer(self, cli: Cli, write_json: WriteJson, example_data: dict[str, Any],
                             pointer: str) -> None:
        """A dispute about ``/people/00`` (or odd digits) points at nothing: one dispute-pointer error."""
        example_data["disputes"] = [dispute_about(pointer)]
        path = write_json(example_data)
        code, out, err = cli("validate", path)
        assert (code, err) == (1, "")
        assert out == (f"{path}::/disputes/0/about/0: error: {pointer!r} does not point at anything in this "
                       f"record [dispute-pointer]\n{ONE_ERROR}\n")

    def test_odd_key_in_a_protocol(self, cli: Cli, tmp_path: Path) -> None:
        """A protocol file with an unknown key of odd digits: one problem, exit 1."""
        from setsafety._data import protocols_dir

        data = json.loads((protocols_dir() / "firearms.json").read_text(encoding="utf-8"))
        data["layers"][0]["²"] = 1
        path = tmp_path / "mine.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        code, out, err = cli("analyze", "rust-2021", "--protocol", path)
        no_traceback(out, err)
        assert code == 1
        assert f"{path}::/layers/0/²: error: unknown field '²' [schema-additionalProperties]" in err


class TestYamlIsJsonData:
    """YAML is read as the JSON data it spells: keys are text, tags refused, escapes checked, nodes counted."""

    @staticmethod
    def parse(text: str) -> Any:
        from setsafety.yaml_reading import parse_yaml

        return parse_yaml(text)

    @staticmethod
    def refused(text: str) -> tuple[str, str]:
        from setsafety.errors import InvalidRecordError

        with pytest.raises(InvalidRecordError) as caught:
            TestYamlIsJsonData.parse(text)
        [problem] = caught.value.problems
        return problem.code, problem.message

    def test_keys_are_text(self) -> None:
        """``1: a`` and ``b: c`` in one mapping: the keys ``"1"`` and ``"b"``, as in JSON."""
        assert self.parse("1: a\nb: c\ntrue: d\nnull: e\n") == {"1": "a", "b": "c", "true": "d", "null": "e"}

    def test_key_twice_once_as_number(self) -> None:
        """``1`` and ``"1"`` are the same key, so a mapping with both has a duplicate key."""
        assert self.refused('1: a\n"1": b\n')[0] == "yaml-syntax"

    @pytest.mark.parametrize("text", ["? [a, b]\n: c\n", "? {a: 1}\n: c\n"], ids=["list-key", "mapping-key"])
    def test_complex_key(self, text: str) -> None:
        """A list or a mapping as a key is refused with its line."""
        assert self.refused(text) == (
            "yaml-key", "a list or a mapping is used as a key (line 1, column 3); a key is text")

    @pytest.mark.parametrize("text", [
        "a: !!float .nan\n", "a: !!int 0x10\n", "a: !!bool yes\n", "a: !<tag:yaml.org,2002:str> x\n",
        "a: !!str 1\n", "a: ! x\n", "a: !!map {b: 1}\n", "!!seq [1]\n",
    ])
    def test_tags(self, text: str) -> None:
        """Every tag is refused, as the README says: standard, verbatim, or non-specific."""
        assert self.refused(text)[0] == "yaml-tag"

    @pytest.mark.parametrize("text", ['a: "\\UFFFFFFFF"\n', 'a: "\\U00110000"\n', 'a: "\\ud83d\\UFFFFFFFF"\n'])
    def test_escape_beyond_unicode(self, text: str) -> None:
        """An escape of no character is a syntax problem with its line, not an OverflowError."""
        code, message = self.refused(text)
        assert code == "yaml-syntax"
        assert "(line 1, column" in message

    def test_surrogate_pair_still_joined(self) -> None:
        """JSON's escaped surrogate pairs still read as the character (the slower parser takes them)."""
        assert self.parse('a: "\\ud83d\\ude00"\n') == {"a": "\ud83d\ude00"}  # reading joins the pair

    def test_node_budget(self) -> None:
        """More values than any record holds are refused before they are built."""
        from setsafety.yaml_reading import MAX_NODES

        code, message = self.refused("[" + "1," * MAX_NODES + "1]")
        assert (code, message) == ("too-large", f"the YAML holds more than {MAX_NODES:,} values; no record is "
                                                "this large")

    @pytest.mark.parametrize("text", ["a: !!float .nan\n", "1: a\nb: c\n", "? [a]\n: b\n", 'a: "\\UFFFFFFFF"\n'])
    @pytest.mark.parametrize("command", [("validate",), ("show", "--format", "json"), ("analyze",)])
    def test_commands(self, cli: Cli, tmp_path: Path, text: str, command: tuple[str, ...]) -> None:
        """Through the command line: exit 1, no traceback, and never ``NaN`` in JSON output."""
        path = tmp_path / "record.yaml"
        path.write_text(text, encoding="utf-8")
        code, out, err = cli(*command, path)
        no_traceback(out, err)
        assert code == 1
        assert "NaN" not in out


class TestBoundedWork:
    """Every file under the size cap is checked in bounded time and memory: problems stop at a limit."""

    def test_problems_stop_at_the_limit(self, write_json: WriteJson, example_data: dict[str, Any]) -> None:
        """Thousands of empty people give the first MAX_PROBLEMS problems and one too-many-problems error."""
        import setsafety
        from setsafety.problems import MAX_PROBLEMS

        example_data["people"] = [{}] * 5000
        problems = setsafety.validate(write_json(example_data))
        assert len(problems) == MAX_PROBLEMS + 1
        assert (problems[-1].pointer, problems[-1].code) == ("", "too-many-problems")
        assert problems[0].pointer == "/people/0"

    def test_placeholders_stop_at_the_limit(self, write_json: WriteJson, example_data: dict[str, Any]) -> None:
        """Thousands of TODO strings: the same limit."""
        import setsafety
        from setsafety.problems import MAX_PROBLEMS

        example_data["extensions"] = {"x-todo": ["TODO: fill in"] * 5000}
        problems = setsafety.validate(write_json(example_data))
        assert len(problems) == MAX_PROBLEMS + 1
        assert problems[-1].code == "too-many-problems"
        assert {problem.code for problem in problems[:-1]} == {"placeholder"}


class TestApiTypes:
    """The API says what it was given, instead of "expected object, found object" or an AttributeError."""

    @pytest.mark.parametrize(("data", "pointer", "message"), [
        (b"{}", "", "found a bytes, which is not JSON data"),
        ({1, 2}, "", "found a set, which is not JSON data"),
        ({"case": {"hazards": ("firearm",)}}, "/case/hazards", "found a tuple, which is not JSON data"),
        ({"a": float("nan")}, "/a", "found nan, which JSON cannot carry"),
        ({"a": {1: "x"}}, "/a", "found a key that is not text (int 1)"),
    ], ids=["bytes", "set", "nested-tuple", "nan", "int-key"])
    def test_validate_not_json(self, data: Any, pointer: str, message: str) -> None:
        """Data that is not JSON: one not-json problem at its pointer, naming the Python type."""
        import setsafety

        [problem] = setsafety.validate(data)
        assert (problem.pointer, problem.code) == (pointer, "not-json")
        assert problem.message.startswith(message)

    def test_validate_stream(self) -> None:
        """An open file is not a record: the problem names the stream's type."""
        import io

        import setsafety

        [problem] = setsafety.validate(io.StringIO("{}"))
        assert problem.message.startswith("found a StringIO, which is not JSON data")

    def test_validate_path_like(self, example_path: Path) -> None:
        """Any os.PathLike is a path."""
        import os

        import setsafety

        class Where(os.PathLike[str]):
            def __fspath__(self) -> str:
                return str(example_path)

        assert setsafety.validate(Where()) == []

    @pytest.mark.parametrize("given", [None, {"id": "x"}, "rust-2021"])
    def test_analyze_needs_a_record(self, given: Any) -> None:
        """analyze() of anything but a Record is a TypeError that says what it takes."""
        from setsafety.analysis import analyze

        with pytest.raises(TypeError, match=r"^analyze\(\) takes a Record .*, not "):
            analyze(given)

    def test_lessons_need_a_record(self) -> None:
        """render_lessons(None) is a TypeError that says what it takes."""
        import setsafety

        with pytest.raises(TypeError, match=r"^a lesson is made from a Record .*, not NoneType$"):
            setsafety.render_lessons(None)  # type: ignore[arg-type]


class TestValuesLaterCodeUses:
    """What the reader lets through, every later step can use: exact integers, dates of the calendar."""

    @pytest.mark.parametrize("number", ["9" * 400, "9" * 310, "-" + "9" * 400])
    @pytest.mark.parametrize("suffix", [".json", ".yaml"])
    def test_huge_integer(self, cli: Cli, tmp_path: Path, example_path: Path, number: str, suffix: str) -> None:
        """A 400-digit distance passes the schema (``minimum: 0``) but no reader keeps it: json-number, exit 1."""
        text = example_path.read_text(encoding="utf-8").replace('"distance_m": 2', f'"distance_m": {number}', 1)
        assert number in text
        path = tmp_path / f"fictional-blank-injury{suffix}"
        path.write_text(text, encoding="utf-8")  # JSON is YAML: the same text read by the YAML reader
        for command in (("validate",), ("show",), ("analyze",), ("lessons", "--format", "txt"), ("export",)):
            code, out, err = cli(*command, path)
            no_traceback(out, err)
            assert code == 1
            assert "a number JSON cannot carry faithfully: " in out + err
            assert "is beyond the largest number JSON readers hold (about 1.8e308)" in out + err

    def test_largest_integer(self, write_json: WriteJson, example_data: dict[str, Any]) -> None:
        """The largest integer a double holds is kept exactly (tests/test_hostile.py keeps 10**300 too)."""
        import sys

        import setsafety

        example_data["ammunition"][0]["count"] = int(sys.float_info.max)
        assert setsafety.validate(write_json(example_data)) == []

    @pytest.mark.parametrize("date", ["0000", "0000-05", "0000-05-14"])
    def test_year_zero(self, cli: Cli, write_json: WriteJson, example_data: dict[str, Any], date: str) -> None:
        """Year 0 is no calendar date: invalid-date at its pointer, and analyze never sees it."""
        example_data["warnings"] = [{
            "id": "w1", "kind": "complaint", "when": {"date": date}, "raised_by": ["operator-d"],
            "description": "A complaint about the stand-off distance.",
            "response": {"level": "none", "sources": ["src-incident-report"]}, "sources": ["src-incident-report"],
        }]
        path = write_json(example_data)
        for command in ("validate", "analyze", "show"):
            code, out, err = cli(command, path)
            no_traceback(out, err)
            assert code == 1
            assert f"{path}::/warnings/0/when/date: error: '{date}' is not a real calendar date [invalid-date]" \
                in out + err
