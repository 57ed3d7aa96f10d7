"""Tests for setsafety.schema.formats: patterns as ECMA-262, formats as RFC 3339 and RFC 3986.

Python's ``re`` let a date with a trailing newline through ``^...$`` and took Arabic-Indic
digits for ``\\d``; the analysis then crashed on such a date, or on year 0. These are the
regressions, in both engines, and the meaning of each format the schemas may use.
"""

from __future__ import annotations

from typing import Any

import pytest

import setsafety
from setsafety.analysis import analyze
from setsafety.model.time import date_range
from setsafety.schema import INCIDENT_SCHEMA_ID
from setsafety.schema.formats import FORMATS, is_date, is_date_time, is_time, is_uri
from setsafety.schema.registry import fast_validator, fast_validator_for, reference_validator_for, validator


def _both(schema: dict[str, Any], value: Any) -> tuple[bool, bool]:
    """(reference verdict, jsonschema-rs verdict) on ``value``."""
    return reference_validator_for(schema).is_valid(value), fast_validator_for(schema).is_valid(value)


class TestPatterns:
    @pytest.mark.parametrize(("pattern", "value"), [
        ("^[0-9]{4}$", "2021\n"),                      # Python's $ matches before a final newline
        ("^[a-z0-9]+(-[a-z0-9]+)*$", "src\n"),
        ("^\\d{4}$", "\u0662\u0660\u0662\u0661"),      # Python's \d is any Unicode digit
        ("^\\w+$", "\u00e9t\u00e9"),                    # Python's \w is any Unicode letter
        ("^[A-Z]{2}$", "GB\n"),
    ])
    def test_refused_as_ecma_262(self, pattern: str, value: str) -> None:
        """Strings Python's ``re`` would let through, refused by both engines as ECMA-262 does."""
        assert _both({"type": "string", "pattern": pattern}, value) == (False, False)

    @pytest.mark.parametrize(("pattern", "value"), [
        ("^[0-9]{4}$", "2021"), ("^https?://", "https://example.org/\n"), ("\\d", "x1"), ("^\\w+$", "abc_1"),
    ])
    def test_accepted(self, pattern: str, value: str) -> None:
        """What ECMA-262 matches, both engines match (a pattern is a search unless anchored)."""
        assert _both({"type": "string", "pattern": pattern}, value) == (True, True)

    def test_message_unchanged(self) -> None:
        """The reference engine words a pattern problem as jsonschema always has."""
        errors = list(reference_validator_for({"pattern": "^a$"}).iter_errors("a\n"))
        assert [error.message for error in errors] == ["'a\\n' does not match '^a$'"]

    def test_pattern_properties(self) -> None:
        """``patternProperties`` reads its patterns as ECMA-262 too."""
        schema = {"type": "object", "patternProperties": {"^x-[a-z]+$": {"type": "integer"}}}
        assert _both(schema, {"x-a": "not checked", "x-b\n": 1}) == (False, False)
        assert _both(schema, {"x-a\n": "not matched, so not checked"}) == (True, True)

    def test_date_with_newline_in_a_record(self, example_data: dict[str, Any]) -> None:
        """A case date with a trailing newline is a schema-pattern problem at its pointer."""
        example_data["case"]["date"] = "2024-05-14\n"
        assert [(p.pointer, p.code) for p in setsafety.validate(example_data)] == [("/case/date", "schema-pattern")]


class TestDate:
    @pytest.mark.parametrize(("value", "valid"), [
        ("2021-10-21", True), ("2020-02-29", True), ("2000-02-29", True), ("0001-01-01", True), ("9999-12-31", True),
        ("2021-02-29", False), ("1900-02-29", False), ("2021-13-01", False), ("2021-00-01", False),
        ("2021-04-31", False), ("0000-01-01", False), ("0000-02-29", False), ("2021-10-21\n", False),
        ("2021-1-01", False), ("\u0662\u0660\u0662\u0661-10-21", False), ("2021-10-21T10:20:00Z", False),
        ("", False), (2021, True),
    ])
    def test_is_date(self, value: Any, valid: bool) -> None:
        """A real day in ASCII YYYY-MM-DD, years 0001 to 9999; non-strings are another keyword's business."""
        assert is_date(value) is valid
        assert _both({"format": "date"}, value) == (valid, valid)

    @pytest.mark.parametrize("value", ["0000", "0000-05", "0000-05-03", "2021-10-21\n", " 2021",
                                       "\u0662\u0660\u0662\u0661"])
    def test_partial_dates_not_real(self, value: str) -> None:
        """A partial date (YYYY, YYYY-MM, YYYY-MM-DD) outside the years 0001-9999, or not all ASCII digits,
        is not a real date to the semantic rules and the analysis."""
        assert date_range(value) is None

    def test_year_zero_in_a_record(self, example_data: dict[str, Any]) -> None:
        """A warning dated in year 0 is an invalid-date problem, and no longer crashes the analysis
        (it passed validation, then ``date.fromisoformat`` refused it)."""
        example_data["warnings"] = [{"id": "w1", "kind": "misfire", "description": "a misfire",
                                     "when": {"date": "0000-05-03"}, "sources": ["src-incident-report"]}]
        problems = setsafety.validate(example_data)
        assert [(p.pointer, p.code) for p in problems] == [("/warnings/0/when/date", "invalid-date")]

    def test_year_zero_full_date(self, example_data: dict[str, Any]) -> None:
        """A revision dated 0000-01-01 is refused by both engines (format: date)."""
        example_data["case"]["revisions"] = [{"date": "0000-01-01", "author": "a", "change": "c"}]
        assert validator(INCIDENT_SCHEMA_ID).is_valid(example_data) is False
        assert fast_validator(INCIDENT_SCHEMA_ID).is_valid(example_data) is False
        assert [p.code for p in setsafety.validate(example_data)] == ["schema-format"]

    def test_analysis_of_real_dates(self, example_data: dict[str, Any]) -> None:
        """The example with an early warning analyses; the warning's days before the event are counted."""
        example_data["warnings"] = [{"id": "w1", "kind": "misfire", "description": "a misfire",
                                     "when": {"date": "2024-05-03"}, "sources": ["src-incident-report"]}]
        assert setsafety.validate(example_data) == []
        result = analyze(setsafety.load_record(example_data))
        assert [(w.id, w.days_before) for w in result.warnings] == [("w1", 11)]


class TestTime:
    @pytest.mark.parametrize(("value", "valid"), [
        ("10:20:00Z", True), ("10:20:00z", True), ("10:20:00.123+01:00", True), ("10:20:00-05:30", True),
        ("23:59:60Z", True), ("00:59:60+01:00", True), ("12:59:60Z", False), ("24:00:00Z", False),
        ("10:60:00Z", False), ("10:20:00", False), ("10:20", False), ("10:20:00+24:00", False),
        ("10:20:00+0100", False), ("10:20:00,5Z", False), ("10:20:00Z\n", False), ("\u0661\u0660:20:00Z", False),
    ])
    def test_is_time(self, value: str, valid: bool) -> None:
        """RFC 3339 full-time, with a leap second only in the last minute of a UTC day."""
        assert is_time(value) is valid
        assert _both({"format": "time"}, value) == (valid, valid)

    @pytest.mark.parametrize(("value", "valid"), [
        ("2021-10-21T10:20:00Z", True), ("2021-10-21t10:20:00z", True), ("2016-12-31T23:59:60Z", True),
        ("2021-10-21 10:20:00Z", False), ("0000-01-01T00:00:00Z", False), ("2021-10-21T10:20:00", False),
        ("2021-10-21T10:20:00Z\n", False), ("2021-02-29T10:20:00Z", False),
    ])
    def test_is_date_time(self, value: str, valid: bool) -> None:
        """RFC 3339 date-time: a full-date, T, a full-time."""
        assert is_date_time(value) is valid
        assert _both({"format": "date-time"}, value) == (valid, valid)


class TestUri:
    @pytest.mark.parametrize(("value", "valid"), [
        ("https://example.org/", True), ("http://example.org/a?b=c#d", True), ("https://[::1]/", True),
        ("urn:isbn:0451450523", True), ("https://example.org/%20", True), ("x:y", True),
        ("https://example.org/\n", False), ("https://example.org/a b", False), ("https://example.org/\u00e9", False),
        ("https://[::1", False), ("https://example.org/#a#b", False), ("https://example.org/%zz", False),
        ("//example.org/", False), ("/relative", False), ("", False),
    ])
    def test_is_uri(self, value: str, valid: bool) -> None:
        """RFC 3986 URI, the whole string (rfc3986-validator's own pattern takes a final newline)."""
        assert is_uri(value) is valid
        assert _both({"format": "uri"}, value) == (valid, valid)


def test_formats_named() -> None:
    """The formats the engines share a meaning for."""
    assert sorted(FORMATS) == ["date", "date-time", "time", "uri"]
