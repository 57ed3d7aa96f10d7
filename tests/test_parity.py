"""Verdict parity: jsonschema-rs and the reference engine agree, whatever the schema says.

``structural_problems`` takes jsonschema-rs's word that a record is valid, and asks the
reference engine (pure-Python ``jsonschema``, with ECMA-262 patterns and the formats of
``setsafety.schema.formats``) for the problems of a record it refuses. That is right only
if both give the same verdict on everything. Checked here on every fixture, bundled case,
example and protocol; on property-generated records and on the mutation fuzz; and, for
every ``pattern`` and ``format`` the shipped schemas use (read from the schemas, so a new
one is covered when it appears), on strings chosen to catch where regex dialects and
format readings part. check-jsonschema and Ajv are held to the same verdicts on those
strings, but for the differences listed in ``THIRD_PARTY_DIFFERENCES``, each with its reason.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import setsafety
from setsafety._data import cases_dir, protocols_dir
from setsafety.errors import InvalidRecordError
from setsafety.reading import read_data
from setsafety.schema import INCIDENT_SCHEMA_ID, INCIDENT_SCHEMA_IDS, PROTOCOL_SCHEMA_ID, schema, structural
from setsafety.schema.formats import FORMATS
from setsafety.schema.registry import documents, fast_validator, fast_validator_for, reference_validator_for, validator

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _load_strategies() -> ModuleType:
    spec = importlib.util.spec_from_file_location("strategies", Path(__file__).with_name("strategies.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


strategies = _load_strategies()
EXAMPLES = int(os.environ.get("SETSAFETY_EXAMPLES", "50"))
#: As in test_properties.py: the same records every run, not timed per example.
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _keywords(node: Any, name: str) -> Iterator[str]:
    """Every string value of the keyword ``name`` in a schema (``pattern``, ``format``), and for
    ``pattern`` the keys of ``patternProperties`` too."""
    if isinstance(node, list):
        for item in node:
            yield from _keywords(item, name)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == name and isinstance(value, str):
                yield value
            elif key == "patternProperties" and name == "pattern" and isinstance(value, dict):
                yield from value
            if key not in ("enum", "const", "examples", "default"):  # data, not schemas
                yield from _keywords(value, name)


PATTERNS = sorted({pattern for contents in documents().values() for pattern in _keywords(contents, "pattern")})
USED_FORMATS = sorted({name for contents in documents().values() for name in _keywords(contents, "format")})


def _same_verdict(schema_: dict[str, Any], value: Any) -> tuple[bool, bool]:
    return reference_validator_for(schema_).is_valid(value), fast_validator_for(schema_).is_valid(value)


# --- files ---------------------------------------------------------------------


def _files() -> list[tuple[Path, str]]:
    """Every record file (cases, examples, fixtures) against every record format's schema, and the
    bundled protocols against theirs and (refused) against the current record schema."""
    records = [*sorted(cases_dir().glob("*.json")), *sorted((ROOT / "examples").glob("*.json")),
               *(path for path in sorted(FIXTURES.glob("*/*.json")) if path.name != "expected.json")]
    found = [(path, schema_id) for schema_id in INCIDENT_SCHEMA_IDS.values() for path in records]
    found += [(path, PROTOCOL_SCHEMA_ID) for path in sorted(protocols_dir().glob("*.json"))]
    found += [(path, INCIDENT_SCHEMA_ID) for path in sorted(protocols_dir().glob("*.json"))]
    return found


class TestFiles:
    @pytest.mark.parametrize(("path", "schema_id"), _files(),
                             ids=lambda value: f"{value.parent.name}/{value.name}" if isinstance(value, Path)
                             else value.removeprefix("https://setsafety.org/schemas/"))
    def test_same_verdict(self, path: Path, schema_id: str) -> None:
        """Both engines accept, or both refuse, every file the reader accepts."""
        try:
            data = read_data(path)
        except InvalidRecordError:
            return  # refused before any schema (syntax, encoding, duplicate keys, depth)
        reference = [error.message for error in validator(schema_id).iter_errors(data)]
        assert fast_validator(schema_id).is_valid(data) is (reference == []), reference

    def test_files_of_both_verdicts(self) -> None:
        """The files include records both engines accept and records both refuse."""
        verdicts = set()
        for path, schema_id in _files():
            try:
                verdicts.add(fast_validator(schema_id).is_valid(read_data(path)))
            except InvalidRecordError:
                continue
        assert verdicts == {True, False}


class TestFastPath:
    def test_disagreement_keeps_the_stricter_verdict(self, monkeypatch: pytest.MonkeyPatch,
                                                     example_data: dict[str, Any]) -> None:
        """Should jsonschema-rs refuse what the reference engine accepts (a parity bug), the record is still
        refused, with jsonschema-rs's own problems: it never passes on to the model unchecked."""
        stricter = fast_validator_for({"properties": {"id": {"maxLength": 3}}})
        monkeypatch.setattr(structural, "fast_validator", lambda schema_id: stricter)
        assert [(problem.pointer, problem.code) for problem in structural.structural_problems(
            example_data, INCIDENT_SCHEMA_ID)] == [("/id", "schema-maxLength")]

    @pytest.mark.parametrize("change", [
        lambda data: data.update(people=tuple(data["people"])),       # jsonschema-rs reads a tuple as an array
        lambda data: data.update(extensions={"x-a": float("nan")}),   # and refuses NaN as a number
        lambda data: data.update(extensions={"x-a": {1, 2}}),         # and cannot take a set at all
        lambda data: data.update(extensions={1: "a"}),                # nor a key that is not a string
    ], ids=["tuple", "nan", "set", "int-key"])
    def test_not_json_goes_to_the_reference(self, example_data: dict[str, Any],
                                            change: Callable[[dict[str, Any]], None]) -> None:
        """Data no JSON text can hold is judged by the reference engine alone, as before jsonschema-rs
        (and ``setsafety.validate`` refuses it first, as data that is not JSON)."""
        change(example_data)
        assert structural.is_plain_json(example_data) is False
        expected = sorted(dict.fromkeys(structural._problem(error) for error in validator(
            INCIDENT_SCHEMA_ID).iter_errors(example_data)), key=lambda problem: structural.document_order(
            problem.pointer))
        assert structural.structural_problems(example_data, INCIDENT_SCHEMA_ID) == expected
        # The public API refuses such data before any schema, naming where it is not JSON.
        assert [problem.code for problem in setsafety.validate(example_data)] == ["not-json"]

    def test_plain_json(self, example_data: dict[str, Any]) -> None:
        """What the JSON reader gives is plain JSON."""
        assert structural.is_plain_json(example_data)
        assert structural.is_plain_json(read_data(ROOT / "cases" / "rust-2021.json"))


# --- generated records -----------------------------------------------------------


class TestGenerated:
    @PROPERTY
    @given(strategies.records())
    def test_records(self, data: dict[str, Any]) -> None:
        """jsonschema-rs accepts every record the strategy draws (the reference engine checked each)."""
        assert fast_validator(INCIDENT_SCHEMA_ID).is_valid(data)

    @PROPERTY
    @given(strategies.mutated_records())
    def test_mutation_fuzz(self, data: dict[str, Any]) -> None:
        """On records made slightly wrong, the verdicts agree, and the problems reported are the
        reference engine's, as before jsonschema-rs."""
        reference = list(validator(INCIDENT_SCHEMA_ID).iter_errors(data))
        assert fast_validator(INCIDENT_SCHEMA_ID).is_valid(data) is (reference == [])
        expected = sorted(dict.fromkeys(structural._problem(error) for error in reference),
                          key=lambda problem: structural.document_order(problem.pointer))
        assert structural.structural_problems(data, INCIDENT_SCHEMA_ID) == expected


# --- patterns and formats, string by string -----------------------------------------

_ARABIC_INDIC_DIGITS = str.maketrans("0123456789", "".join(chr(0x660 + digit) for digit in range(10)))
_FULL_WIDTH_AND_LOOK_ALIKES = str.maketrans("0123456789abc", "".join(chr(0xFF10 + digit) for digit in range(10))
                                            + "\u00e1\u0431\u0441")
#: Strings that tell regex dialects apart, added to each pattern's samples (and tried on their own).
_TWEAKS: list[Callable[[str], str]] = [
    lambda text: text + "\n", lambda text: "\n" + text, lambda text: text + "\r", lambda text: text + "\u2028",
    lambda text: text + " ", lambda text: text.upper(), lambda text: text[:-1],
    lambda text: text.translate(_ARABIC_INDIC_DIGITS), lambda text: text.translate(_FULL_WIDTH_AND_LOOK_ALIKES),
]
_PLAIN = ["", " ", "\n", "a", "A", "0", "-", "x-", "x-a", "a.b", "a~b", "/", "//", "/a~2", "~", "\u00e9", "\U0001f52b"]


def _record_strings() -> set[str]:
    """Every string in the bundled cases and the example: real samples for the schemas' patterns."""
    found: set[str] = set()
    stack: list[Any] = [read_data(path) for path in [*cases_dir().glob("*.json"), *(ROOT / "examples").glob("*.json")]]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            found.update(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str) and len(value) <= 100:
            found.add(value)
    return found


def pattern_corpus(pattern: str) -> list[str]:
    """Strings for one pattern: those in the bundled records it matches, each tweaked, and plain ones."""
    regex = re.compile(pattern)  # Python's reading only chooses samples; the verdicts are the engines'
    samples = sorted(text for text in _record_strings() if regex.search(text))[:40]
    return sorted({*samples, *(tweak(text) for text in samples for tweak in _TWEAKS), *_PLAIN})


#: Per format, strings where readings part: leap seconds, year 0, separators, trailing newlines, odd digits.
FORMAT_CORPUS: dict[str, list[str]] = {
    "date": ["2021-10-21", "2021-10-21\n", "\n2021-10-21", "2021-10-21 ", "2020-02-29", "2021-02-29", "1900-02-29",
             "2000-02-29", "0000-01-01", "0000-02-29", "0001-01-01", "9999-12-31", "2021-13-01", "2021-00-10",
             "2021-10-00", "2021-10-32", "2021-1-01", "21-10-21", "20211021", "2021/10/21", "2021-W42", "2021-294",
             "\u0662\u0660\u0662\u0661-10-21", "\uff12\uff10\uff12\uff11-10-21", "2021-10-21T10:20:00Z", ""],
    "time": ["10:20:00Z", "10:20:00z", "10:20:00+01:00", "10:20:00-05:30", "10:20:00.123Z", "10:20:00,5Z", "10:20:00",
             "10:20", "10:20Z", "24:00:00Z", "23:59:60Z", "23:59:60+00:00", "00:59:60+01:00", "12:59:60Z", "10:60:00Z",
             "10:20:00+24:00", "10:20:00+01:60", "10:20:00Z\n", "10:20:00+0100", "T10:20:00Z", "\u0661\u0660:20:00Z"],
    "date-time": ["2021-10-21T10:20:00Z", "2021-10-21t10:20:00z", "2021-10-21 10:20:00Z", "2021-10-21T10:20:00",
                  "0000-01-01T00:00:00Z", "2016-12-31T23:59:60Z", "2021-10-21T10:20:00Z\n", "2021-02-29T10:20:00Z",
                  "2021-10-21T10:20:00.5+01:00", "2021-10-21T24:00:00Z"],
    "uri": ["https://example.org/", "https://example.org/\n", "https://example.org", "http://example.org/a?b=c#d",
            "https://example.org/a b", "https://example.org/\u00e9", "https://[::1]/", "https://[::1", "https://[v1.x]/",
            "http:", "x:y", "urn:isbn:0451450523", "mailto:a@example.org", "https://example.org/%zz",
            "https://example.org/%20", "https://example.org/#a#b", "//example.org/", "/relative", "example.org",
            "https://exa_mple.org/", "https://example.org:99999/", "HTTPS://EXAMPLE.ORG/", "https://example.org/a\\b",
            "https://example.org/a|b", "https://example.org/{a}", "https://example.org/[a]",
            "https://user:pw@example.org/", "https://example.org/a\tb", "https://\u4f8b\u3048.jp/", "1http://x", ""],
}


class TestPatternsAndFormats:
    def test_every_format_has_one_meaning(self) -> None:
        """Every format the schemas use has a definition both engines apply, and strings to test it on:
        for any other, jsonschema-rs and jsonschema may each read it their own way."""
        assert [name for name in USED_FORMATS if name not in FORMATS or name not in FORMAT_CORPUS] == []

    def test_schemas_use_patterns_and_formats(self) -> None:
        """The keywords are found in the shipped schemas (else the tests below test nothing)."""
        assert "^[a-z0-9]+(-[a-z0-9]+)*$" in PATTERNS
        assert {"date", "uri"} <= set(USED_FORMATS)

    @pytest.mark.parametrize("pattern", PATTERNS)
    def test_pattern_corpus(self, pattern: str) -> None:
        """On every corpus string, both engines give the same verdict for the pattern."""
        schema_ = {"type": "string", "pattern": pattern}
        assert [(text, *_same_verdict(schema_, text)) for text in pattern_corpus(pattern)
                if len(set(_same_verdict(schema_, text))) > 1] == []

    @settings(max_examples=EXAMPLES * 4, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(st.data())
    def test_pattern_generated(self, data: st.DataObject) -> None:
        """On strings drawn to match each pattern (as Python reads it) and then bent, the verdicts agree."""
        pattern = data.draw(st.sampled_from(PATTERNS))
        try:
            drawn = st.from_regex(pattern, fullmatch=True) | st.text(max_size=12)
        except re.error:  # a pattern only ECMA-262 can read: any text
            drawn = st.text(max_size=12)
        text = data.draw(drawn)
        tweak = data.draw(st.sampled_from([lambda text: text, *_TWEAKS]))
        value = tweak(text)
        reference, fast = _same_verdict({"type": "string", "pattern": pattern}, value)
        assert reference is fast, (pattern, value)

    @pytest.mark.parametrize("name", USED_FORMATS)
    def test_format_corpus(self, name: str) -> None:
        """On every corpus string, both engines give the same verdict for the format."""
        schema_ = {"type": "string", "format": name}
        assert [(text, *_same_verdict(schema_, text)) for text in FORMAT_CORPUS.get(name, [])
                if len(set(_same_verdict(schema_, text))) > 1] == []

    @PROPERTY
    @given(st.sampled_from(USED_FORMATS), st.text(alphabet="0123456789:-+.TZtz /?#[]@%abcdefhpsx\n\u0660", max_size=30))
    def test_format_generated(self, name: str, value: str) -> None:
        """On strings drawn from each format's alphabet, the verdicts agree."""
        reference, fast = _same_verdict({"type": "string", "format": name}, value)
        assert reference is fast, (name, value)


# --- third parties --------------------------------------------------------------

#: Where check-jsonschema or Ajv read a format otherwise than setsafety (and jsonschema-rs): per tool and
#: format, which strings, and why. A string a tool judges otherwise must be listed here; each entry for a
#: format the schemas use must show up in the corpus.
THIRD_PARTY_DIFFERENCES: dict[tuple[str, str], list[tuple[Callable[[str], bool], str]]] = {
    ("ajv", "date"): [
        (lambda text: text.startswith("0000-"),
         "RFC 3339 has a year 0000; Python's dates (and the analysis) start at 0001"),
    ],
    ("ajv", "date-time"): [
        (lambda text: text.startswith("0000-"), "RFC 3339 has a year 0000; Python's dates start at 0001"),
        (lambda text: text[10:11] == " ", "ajv-formats takes a space for the T"),
    ],
    ("ajv", "time"): [
        (lambda text: re.fullmatch(r".*[+-][0-9]{4}", text) is not None,
         "ajv-formats takes an offset without its colon"),
    ],
    ("ajv", "uri"): [
        (lambda text: text == "http:", "RFC 3986 allows an empty hier-part after the scheme; ajv-formats does not"),
    ],
    ("check-jsonschema", "date-time"): [
        (lambda text: text.startswith("0000-"), "its own RFC 3339 parser takes year 0000"),
        (lambda text: text.endswith("\n"), "its time pattern ends in Python's $, which takes a final newline"),
        (lambda text: ":60" in text, "it takes no leap second"),
    ],
    ("check-jsonschema", "time"): [
        (lambda text: text.endswith("\n"), "its time pattern ends in Python's $, which takes a final newline"),
        (lambda text: ":60" in text, "it takes no leap second"),
        (lambda text: "," in text, "it takes a comma before the fraction of a second"),
    ],
    ("check-jsonschema", "uri"): [
        (lambda text: text.endswith("\n"),
         "rfc3986-validator's pattern ends in Python's $, which takes a final newline"),
    ],
}


def _corpus_files(folder: Path) -> tuple[Path, dict[str, tuple[str, str, str, bool]]]:
    """One schema with a property per (keyword, value) and one instance file per value, so each tool
    judges every string in one run: (schema file, {file: (keyword, argument, value, setsafety's verdict)})."""
    properties, cases = {}, {}
    entries = [("pattern", pattern, text) for pattern in PATTERNS for text in pattern_corpus(pattern)]
    entries += [("format", name, text) for name in USED_FORMATS for text in FORMAT_CORPUS.get(name, [])]
    for number, (keyword, argument, text) in enumerate(entries):
        key = f"p{number}"
        properties[key] = {"type": "string", keyword: argument}
        path = folder / f"{key}.json"
        path.write_text(json.dumps({key: text}), encoding="utf-8")
        reference, fast = _same_verdict(properties[key], text)
        assert reference is fast, (keyword, argument, text)
        cases[str(path)] = (keyword, argument, text, reference)
    schema_file = folder / "schema.json"
    schema_file.write_text(json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                                       "properties": properties}), encoding="utf-8")
    return schema_file, cases


def _unexplained(tool: str, verdicts: dict[str, bool], cases: dict[str, tuple[str, str, str, bool]]) -> list[Any]:
    """Strings the tool judges otherwise than setsafety, with no listed reason; and listed reasons never seen."""
    unexplained, seen = [], set()
    for path, (keyword, argument, text, ours) in cases.items():
        if verdicts[path] is ours:
            continue
        reasons = [reason for matches, reason in THIRD_PARTY_DIFFERENCES.get((tool, argument), [])
                   if keyword == "format" and matches(text)]
        if reasons:
            seen.update(reasons)
        else:
            unexplained.append((keyword, argument, text, f"{tool} says {verdicts[path]}"))
    unused = [reason for (name, argument), entries in THIRD_PARTY_DIFFERENCES.items() if name == tool
              and argument in USED_FORMATS for _, reason in entries if reason not in seen]
    return unexplained + [("listed, never seen", reason) for reason in unused]


@pytest.mark.slow
class TestThirdParties:
    def test_check_jsonschema(self, tmp_path: Path) -> None:
        """check-jsonschema reaches setsafety's verdict on every pattern and format string, but for the
        listed differences."""
        schema_file, cases = _corpus_files(tmp_path)
        done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema_file),
                               "-o", "json", *cases], capture_output=True, text=True, check=False, timeout=300)
        report = json.loads(done.stdout)
        refused = {error["filename"] for error in report["errors"]} | {
            error["filename"] for error in report["parse_errors"]}
        assert _unexplained("check-jsonschema", {path: path not in refused for path in cases}, cases) == []

    def test_ajv(self, tmp_path: Path, ajv: Callable[[Path, list[Path]], dict[str, dict[str, Any]]]) -> None:
        """Ajv (ECMA-262 patterns with the u flag, ajv-formats) reaches setsafety's verdict on every
        pattern and format string, but for the listed differences."""
        schema_file, cases = _corpus_files(tmp_path)
        report = ajv(schema_file, [Path(path) for path in cases])
        assert _unexplained("ajv", {path: result["valid"] for path, result in report.items()}, cases) == []


def test_schema_ids_served() -> None:
    """The engines are built from the shipped schemas, keyed by their $id."""
    assert set(documents()) == {*INCIDENT_SCHEMA_IDS.values(), PROTOCOL_SCHEMA_ID}
    assert schema(INCIDENT_SCHEMA_ID)["$id"] == INCIDENT_SCHEMA_ID
    assert setsafety.validate(ROOT / "examples" / "fictional-blank-injury.json") == []
