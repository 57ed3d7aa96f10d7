"""Tests for setsafety.reading: what can go wrong with a file before the schema sees it."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

import setsafety
from setsafety import reading
from setsafety.reading import MAX_BYTES, MAX_DEPTH, parse_json, read_data


def _problems(path: Path) -> list[tuple[str, str, str]]:
    return [(p.pointer, p.code, p.severity) for p in setsafety.validate(path)]


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _random_nesting(rng: random.Random, depth: int) -> Any:
    """A value exactly ``depth`` arrays and objects deep: one chain down, with shallow siblings on the way."""
    value: Any = rng.choice([None, 1, "x", True, 1.5])
    for level in range(1, depth + 1):
        sibling_depth = rng.randint(0, min(level - 1, 3))
        siblings = [_random_nesting(rng, sibling_depth) for _ in range(rng.randint(0, 2))]
        members = [*siblings, value] if level > 1 or rng.random() < 0.7 else siblings
        rng.shuffle(members)
        value = members if rng.random() < 0.5 else {f"k{index}": member for index, member in enumerate(members)}
    return value


class TestSyntax:
    def test_json_syntax_with_line_and_column(self, tmp_path: Path) -> None:
        """Broken JSON is json-syntax, and the message says where."""
        path = tmp_path / "x.json"
        path.write_text('{\n  "id" "x"\n}\n', encoding="utf-8")
        problems = setsafety.validate(path)
        assert [(p.pointer, p.code, p.message) for p in problems] == [
            ("", "json-syntax", "not valid JSON: Expecting ':' delimiter (line 2, column 8)"),
        ]

    def test_empty_file(self, tmp_path: Path) -> None:
        """An empty file is a syntax problem, not a crash."""
        path = tmp_path / "x.json"
        path.write_bytes(b"")
        assert _problems(path) == [("", "json-syntax", "error")]

    def test_problem_names_the_file(self, tmp_path: Path) -> None:
        """Problems from reading a file carry its path."""
        path = tmp_path / "x.json"
        path.write_text("{", encoding="utf-8")
        assert [p.file for p in setsafety.validate(path)] == [str(path)]


class TestEncoding:
    def test_byte_order_mark(self, tmp_path: Path, example_data: dict[str, Any]) -> None:
        """A UTF-8 BOM is an encoding problem, even on an otherwise valid record."""
        path = tmp_path / "fictional-blank-injury.json"
        path.write_bytes(b"\xef\xbb\xbf" + json.dumps(example_data).encode())
        problems = setsafety.validate(path)
        assert [(p.pointer, p.code) for p in problems] == [("", "encoding")]
        assert "byte-order mark" in problems[0].message

    def test_not_utf8(self, tmp_path: Path) -> None:
        """Latin-1 bytes are an encoding problem that says which byte."""
        path = tmp_path / "x.json"
        path.write_bytes('{"a": "café"}'.encode("latin-1"))
        assert [(p.pointer, p.code, p.message) for p in setsafety.validate(path)] == [
            ("", "encoding", "the file is not UTF-8 text (byte 10: invalid continuation byte)"),
        ]

    def test_utf8_text_is_fine(self, write_json: Any, example_data: dict[str, Any]) -> None:
        """Non-ASCII text in UTF-8 is read as it is."""
        example_data["production"]["title"] = "Staub auf der Straße — «fictional»"
        assert setsafety.validate(write_json(example_data)) == []


class TestKeysAndNumbers:
    def test_duplicate_key(self, tmp_path: Path) -> None:
        """A key twice in one object is duplicate-key, naming the key."""
        path = tmp_path / "x.json"
        path.write_text('{"a": {"id": 1, "id": 2}}', encoding="utf-8")
        assert [(p.pointer, p.code, p.message) for p in setsafety.validate(path)] == [
            ("", "duplicate-key", "the key 'id' appears twice in one object; JSON readers would keep only one"),
        ]

    def test_same_key_in_two_objects(self) -> None:
        """The same key in different objects is not a duplicate."""
        assert parse_json('[{"id": 1}, {"id": 2}]') == [{"id": 1}, {"id": 2}]

    @pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"])
    def test_numbers_json_cannot_carry(self, tmp_path: Path, number: str) -> None:
        """NaN, infinities and overflowing floats are json-number problems."""
        path = tmp_path / "x.json"
        path.write_text(f'{{"distance_m": {number}}}', encoding="utf-8")
        assert _problems(path) == [("", "json-number", "error")]

    def test_large_finite_numbers_are_kept(self) -> None:
        """Big integers and ordinary floats pass through unchanged."""
        assert parse_json("[12345678901234567890, 1.5, 1e300]") == [12345678901234567890, 1.5, 1e300]

    @pytest.mark.parametrize("text", [
        '{"a": "é", "n": 2' + "0" * 308 + "}",  # after a character of two bytes
        "[1, " + "-2" + "0" * 308 + "]",
        "\n" * 3 + "9" * 309,
    ])
    @pytest.mark.parametrize("as_bytes", [True, False], ids=["bytes", "text"])
    def test_beyond_a_double_at_309_digits(self, text: str, as_bytes: bool) -> None:
        """The first integer beyond a double has 309 digits: found in bytes and in text, wherever it is."""
        with pytest.raises(setsafety.InvalidRecordError) as raised:
            parse_json(text.encode("utf-8") if as_bytes else text)
        assert [p.code for p in raised.value.problems] == ["json-number"]

    @pytest.mark.parametrize("as_bytes", [True, False], ids=["bytes", "text"])
    def test_long_digit_runs_that_are_numbers_a_double_holds(self, as_bytes: bool) -> None:
        """309 digits within a double's range, and 400 digits inside a string, are read as they are."""
        text = '{"n": 1' + "0" * 308 + ', "id": "' + "7" * 400 + '"}'
        assert parse_json(text.encode("utf-8") if as_bytes else text) == {"n": 10**308, "id": "7" * 400}


class TestDepth:
    def test_ten_thousand_deep(self, tmp_path: Path) -> None:
        """Nesting 10,000 deep is too-deep, with no RecursionError."""
        path = tmp_path / "x.json"
        path.write_text(_nested(10_000), encoding="utf-8")
        assert _problems(path) == [("", "too-deep", "error")]

    def test_one_level_too_deep(self) -> None:
        """One level past MAX_DEPTH is too-deep, and the message gives the depth."""
        with pytest.raises(setsafety.InvalidRecordError) as raised:
            parse_json(_nested(MAX_DEPTH + 1))
        assert [(p.code, p.message) for p in raised.value.problems] == [
            ("too-deep", f"the data is nested {MAX_DEPTH + 1} levels deep; a record needs at most {MAX_DEPTH}"),
        ]

    def test_max_depth_is_allowed(self) -> None:
        """Exactly MAX_DEPTH levels is read."""
        assert parse_json(_nested(MAX_DEPTH)) == json.loads(_nested(MAX_DEPTH))

    def test_deep_objects(self) -> None:
        """Objects count toward depth like arrays."""
        with pytest.raises(setsafety.InvalidRecordError):
            parse_json('{"a": ' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1))

    def test_depth_schema_agrees_with_the_walk(self) -> None:
        """jsonschema-rs with ``depth_schema(n)`` says what the walk says (at most ``n`` deep), on values
        nested near the limit in every mix of arrays, objects, siblings and empty containers."""
        rng = random.Random(64)
        validators = {limit: jsonschema_rs.validator_for(reading.depth_schema(limit)) for limit in range(MAX_DEPTH + 4)}
        for _ in range(300):
            depth = rng.randint(0, MAX_DEPTH + 3)
            data = _random_nesting(rng, depth)
            assert reading._depth(data) == min(depth, MAX_DEPTH + 1)
            for limit in {MAX_DEPTH, depth, max(depth - 1, 0), rng.randint(0, MAX_DEPTH + 3)}:
                assert validators[limit].is_valid(data) == (depth <= limit), (limit, depth)

    def test_surrogate_in_a_key(self) -> None:
        """A key jsonschema-rs cannot take as text (half of a surrogate pair) is measured by the walk."""
        assert parse_json('{"a\udc00": [[1]]}') == {"a\udc00": [[1]]}
        with pytest.raises(setsafety.InvalidRecordError):
            parse_json('{"a\udc00": ' + _nested(MAX_DEPTH) + "}")


class TestSize:
    def test_too_large(self, tmp_path: Path) -> None:
        """A file over MAX_BYTES is too-large, whatever it holds."""
        path = tmp_path / "x.json"
        path.write_bytes(b"[" + b" " * (MAX_BYTES - 1) + b"]")
        assert _problems(path) == [("", "too-large", "error")]

    def test_max_bytes_is_allowed(self, tmp_path: Path) -> None:
        """A file of exactly MAX_BYTES is read."""
        path = tmp_path / "x.json"
        path.write_bytes(b"[" + b" " * (MAX_BYTES - 2) + b"]")
        assert read_data(path) == []


class TestNotAnObject:
    @pytest.mark.parametrize(("text", "found"), [("[]", "array"), ('"a record"', "string"), ("null", "null"),
                                                  ("3", "number")])
    def test_top_level_must_be_an_object(self, tmp_path: Path, text: str, found: str) -> None:
        """A file holding anything but an object is schema-type at the root pointer."""
        path = tmp_path / "x.json"
        path.write_text(text, encoding="utf-8")
        assert [(p.pointer, p.code, p.message) for p in setsafety.validate(path)] == [
            ("", "schema-type", f"expected object, found {found}"),
        ]


class TestFileErrors:
    def test_missing_file_raises_oserror(self, tmp_path: Path) -> None:
        """A file that does not exist is an OSError, not a problem."""
        with pytest.raises(FileNotFoundError):
            setsafety.validate(tmp_path / "missing.json")

    def test_directory_raises_oserror(self, tmp_path: Path) -> None:
        """A folder given as a record is an OSError."""
        with pytest.raises(OSError):  # IsADirectoryError on Linux, PermissionError on Windows
            setsafety.validate(tmp_path)

    def test_load_record_missing_file(self, tmp_path: Path) -> None:
        """load_record lets the OSError through too."""
        with pytest.raises(FileNotFoundError):
            setsafety.load_record(tmp_path / "missing.json")


class TestParseJson:
    def test_accepts_text(self) -> None:
        """parse_json takes str as well as bytes."""
        assert parse_json('{"a": [1, 2.5, "x", true, null]}') == {"a": [1, 2.5, "x", True, None]}

    def test_error_is_a_value_error(self) -> None:
        """InvalidRecordError is a ValueError and a SetsafetyError, with one problem at the root."""
        with pytest.raises(setsafety.InvalidRecordError) as raised:
            parse_json(b"\xff")
        assert isinstance(raised.value, ValueError)
        assert isinstance(raised.value, setsafety.SetsafetyError)
        assert [(p.pointer, p.code) for p in raised.value.problems] == [("", "encoding")]
        assert str(raised.value) == "/: error: the file is not UTF-8 text (byte 0: invalid start byte) [encoding]"

    def test_depth_is_counted_without_recursion(self) -> None:
        """The depth helper walks a structure far deeper than the recursion limit."""
        deep: Any = []
        for _ in range(50_000):
            deep = [deep]
        assert reading._depth(deep) == MAX_DEPTH + 1
