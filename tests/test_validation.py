"""Tests for setsafety.validation: the schema, the semantic rules, and the fixtures that show each."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest

import setsafety
from setsafety._data import cases_dir
from setsafety.problems import has_errors
from setsafety.schema import semantic, structural

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
INVALID = FIXTURES / "invalid"
WARNINGS = FIXTURES / "warnings"
BUNDLED = setsafety.list_cases()


def _expected(folder: Path) -> dict[str, list[dict[str, str]]]:
    expected: dict[str, list[dict[str, str]]] = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return expected


def _found(problems: list[setsafety.Problem]) -> list[dict[str, str]]:
    return [{"code": p.code, "pointer": p.pointer, "severity": p.severity} for p in problems]


def _set(data: Any, pointer: str, value: Any) -> None:
    *parents, last = [part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/")]
    for part in parents:
        data = data[int(part)] if isinstance(data, list) else data[part]
    data[int(last) if isinstance(data, list) else last] = value


def _todo_pointers(data: Any, pointer: str = "") -> list[str]:
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in _todo_pointers(value, f"{pointer}/{key}")]
    if isinstance(data, list):
        return [p for i, value in enumerate(data) for p in _todo_pointers(value, f"{pointer}/{i}")]
    return [pointer] if isinstance(data, str) and data.startswith("TODO") else []


def _load_generator() -> Any:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: Fixtures where the validator says more than the one expected problem (a known bug).
def _invalid_params() -> list[Any]:
    params = []
    for name, problems in sorted(_expected(INVALID).items()):
        params.append(pytest.param(name, problems, id=name))
    return params


class TestExample:
    def test_example_file_has_no_problems(self, example_path: Path) -> None:
        """The example record validates with no errors and no warnings."""
        assert setsafety.validate(example_path) == []

    def test_example_data_has_no_problems(self, example_data: dict[str, Any]) -> None:
        """The example validates as parsed data too."""
        assert setsafety.validate(example_data) == []

    def test_path_as_str(self, example_path: Path) -> None:
        """A path given as a string is read like a Path."""
        assert setsafety.validate(str(example_path)) == []

    def test_load_record(self, example_path: Path) -> None:
        """load_record gives the typed record with the file's id."""
        record = setsafety.load_record(example_path)
        assert isinstance(record, setsafety.Record)
        assert record.id == "fictional-blank-injury"
        assert record.case.fictional is True


@pytest.mark.parametrize("case_id", BUNDLED)
class TestBundledCases:
    def test_validates_without_errors(self, case_id: str) -> None:
        """Every bundled case passes the schema and the semantic rules."""
        problems = setsafety.validate(cases_dir() / f"{case_id}.json")
        assert [str(p) for p in problems if p.severity == "error"] == []

    def test_id_is_file_name(self, case_id: str) -> None:
        """A bundled case's id is its file name."""
        assert setsafety.load_case(case_id).id == case_id


class TestInvalidFixtures:
    @pytest.mark.parametrize(("name", "expected"), _invalid_params())
    def test_exact_problems(self, name: str, expected: list[dict[str, str]]) -> None:
        """Each invalid fixture yields exactly the problems expected.json lists for it."""
        problems = setsafety.validate(INVALID / name)
        assert _found(problems) == expected
        assert {p.file for p in problems} == {str(INVALID / name)}

    @pytest.mark.parametrize("name", sorted(_expected(INVALID)))
    def test_load_record_refuses(self, name: str) -> None:
        """load_record raises InvalidRecordError, carrying the problems, for each invalid fixture."""
        with pytest.raises(setsafety.InvalidRecordError) as raised:
            setsafety.load_record(INVALID / name)
        assert has_errors(raised.value.problems)
        assert isinstance(raised.value, ValueError)

    def test_every_semantic_rule_has_a_fixture(self) -> None:
        """Every rule code listed in schema/semantic.py's docstring is shown by a fixture."""
        assert semantic.__doc__ is not None
        codes = {code for code in re.findall(r"``([a-z-]+)``", semantic.__doc__) if "-" in code}
        shown = {p["code"] for folder in (INVALID, WARNINGS) for ps in _expected(folder).values() for p in ps}
        assert len(codes) >= 15  # the docstring was read
        assert codes - shown == set()

    def test_every_reading_problem_has_a_fixture(self) -> None:
        """Each code the reader raises (but too-large, tested in test_reading) is shown by a fixture."""
        shown = {p["code"] for ps in _expected(INVALID).values() for p in ps}
        assert {"json-syntax", "encoding", "duplicate-key", "json-number", "too-deep"} <= shown

    def test_one_error_per_fixture(self) -> None:
        """Each invalid fixture breaks one thing: exactly one error expected."""
        errors = {name: [p for p in ps if p["severity"] == "error"] for name, ps in _expected(INVALID).items()}
        assert {name for name, found in errors.items() if len(found) != 1} == set()


class TestWarningFixtures:
    @pytest.mark.parametrize(("name", "expected"), sorted(_expected(WARNINGS).items()))
    def test_exact_warnings(self, name: str, expected: list[dict[str, str]]) -> None:
        """Each warning fixture yields exactly its warnings, and nothing else."""
        assert _found(setsafety.validate(WARNINGS / name)) == expected

    @pytest.mark.parametrize("name", sorted(_expected(WARNINGS)))
    def test_record_still_passes(self, name: str) -> None:
        """Warnings do not make a record invalid: it loads."""
        problems = setsafety.validate(WARNINGS / name)
        assert {p.severity for p in problems} == {"warning"}
        assert not has_errors(problems)
        assert isinstance(setsafety.load_record(WARNINGS / name), setsafety.Record)

    def test_the_five_warnings(self) -> None:
        """The warning fixtures cover custody-gap, dispute-not-marked, established-unofficial, id-filename
        and role-timing."""
        codes = {p["code"] for ps in _expected(WARNINGS).values() for p in ps}
        assert codes == {"custody-gap", "dispute-not-marked", "established-unofficial", "id-filename",
                         "role-timing"}

    def test_id_filename_not_for_data(self, example_data: dict[str, Any]) -> None:
        """Data given without a file cannot disagree with a file name."""
        example_data["id"] = "another-id"
        assert setsafety.validate(example_data) == []


class TestFixtureFiles:
    def test_committed_files_match_the_generator(self) -> None:
        """The fixture files on disk are exactly what tests/fixtures/make_fixtures.py writes."""
        built = _load_generator().build()
        for folder, files in built.items():
            on_disk = {path.name: path.read_bytes() for path in (FIXTURES / folder).iterdir()}
            assert sorted(on_disk) == sorted(files)
            assert [name for name in files if on_disk[name] != files[name]] == []


class TestStructural:
    def test_unknown_field(self, example_data: dict[str, Any]) -> None:
        """An unknown field is reported at the field itself."""
        example_data["incident"]["colour"] = "red"
        assert [(p.pointer, p.code, p.message) for p in setsafety.validate(example_data)] == [
            ("/incident/colour", "schema-additionalProperties", "unknown field 'colour'"),
        ]

    def test_unknown_field_pointer_is_escaped(self, example_data: dict[str, Any]) -> None:
        """A field name with '/' and '~' is escaped in the pointer (RFC 6901)."""
        example_data["weapons"][0]["a/b~c"] = 1
        assert [p.pointer for p in setsafety.validate(example_data)] == ["/weapons/0/a~1b~0c"]

    def test_several_unknown_fields(self, example_data: dict[str, Any]) -> None:
        """Several unknown fields in one object are one problem at the object, naming them all."""
        example_data["weapons"][0]["zeta"] = 1
        example_data["weapons"][0]["alpha"] = 2
        assert [(p.pointer, p.code, p.message) for p in setsafety.validate(example_data)] == [
            ("/weapons/0", "schema-additionalProperties", "unknown fields 'alpha', 'zeta'"),
        ]

    def test_missing_sources(self, example_data: dict[str, Any]) -> None:
        """A record without its required sources list: schema-required at the root."""
        del example_data["sources"]
        assert [(p.pointer, p.code, p.message) for p in setsafety.validate(example_data)] == [
            ("", "schema-required", "'sources' is required here"),
        ]

    def test_wrong_type(self, example_data: dict[str, Any]) -> None:
        """A string where an integer belongs: schema-type at that field."""
        example_data["production"]["shooting_day"] = "3"
        assert [(p.pointer, p.code, p.message) for p in setsafety.validate(example_data)] == [
            ("/production/shooting_day", "schema-type", "expected integer, found string"),
        ]

    def test_boolean_is_not_a_number(self, example_data: dict[str, Any]) -> None:
        """true is not a number for a number field."""
        example_data["incident"]["positions"][0]["distance_m"] = True
        assert [(p.pointer, p.code, p.message) for p in setsafety.validate(example_data)] == [
            ("/incident/positions/0/distance_m", "schema-type", "expected number, found boolean"),
        ]

    def test_format_date_enforced(self, example_data: dict[str, Any]) -> None:
        """A revision date must be a real full date: the format checker is on."""
        example_data["case"]["revisions"][0]["date"] = "2024-13-01"
        assert [(p.pointer, p.code) for p in setsafety.validate(example_data)] == [
            ("/case/revisions/0/date", "schema-format"),
        ]

    def test_semantic_rules_wait_for_the_schema(self, example_data: dict[str, Any]) -> None:
        """A record with a schema error gets no semantic problems, even where it has some."""
        example_data["production"]["shooting_day"] = 0
        example_data["custody"][0]["by"] = "armorer-z"
        assert [(p.pointer, p.code) for p in setsafety.validate(example_data)] == [
            ("/production/shooting_day", "schema-minimum"),
        ]

    def test_problems_in_document_order(self, example_data: dict[str, Any]) -> None:
        """Structural problems come in document order, /people/2 before /people/10."""
        for i in range(6):
            example_data["people"].append({"id": f"extra-{i}", "kind": "person", "sources": ["src-incident-report"]})
        example_data["people"][2]["kind"] = "robot"
        example_data["people"][10]["kind"] = "robot"
        assert [p.pointer for p in setsafety.validate(example_data)] == ["/people/2/kind", "/people/10/kind"]

    def test_deep_data_is_a_problem(self, example_data: dict[str, Any]) -> None:
        """Parsed data nested 10,000 deep gives problems, not a RecursionError."""
        deep: Any = []
        for _ in range(10_000):
            deep = [deep]
        example_data["people"] = deep
        assert has_errors(setsafety.validate(example_data))


class TestSemanticDetails:
    def test_reference_of_the_wrong_kind(self, example_data: dict[str, Any]) -> None:
        """A custody 'by' naming a weapon is dangling, and the message says what it names."""
        example_data["custody"][1]["witnesses"] = ["revolver-1"]
        assert [(p.pointer, p.code, p.message) for p in setsafety.validate(example_data)] == [
            ("/custody/1/witnesses/0", "dangling-reference",
             "'revolver-1' is not a person or organisation in /people (it is a weapon at /weapons/0)"),
        ]

    def test_source_id_must_name_a_source(self, example_data: dict[str, Any]) -> None:
        """Citing the id of something that is not a source is an unknown source."""
        example_data["weapons"][0]["sources"] = ["src-incident-report", "c1"]
        assert [(p.pointer, p.code) for p in setsafety.validate(example_data)] == [
            ("/weapons/0/sources/1", "unknown-source"),
        ]

    def test_approximate_dates_are_not_ordered(self, example_data: dict[str, Any]) -> None:
        """An approximate date never counts as out of order."""
        example_data["custody"][2]["when"] = {"date": "2024-05-13", "precision": "approximate"}
        assert setsafety.validate(example_data) == []

    def test_partial_dates_overlap(self, example_data: dict[str, Any]) -> None:
        """A month ('2024-05') is not certainly before a day within it."""
        example_data["custody"][2]["when"] = {"date": "2024-05", "precision": "month"}
        assert setsafety.validate(example_data) == []

    def test_invalid_month(self, example_data: dict[str, Any]) -> None:
        """Month 13 matches the schema's pattern but is not a date."""
        example_data["sources"][0]["date"] = "2026-13"
        assert [(p.pointer, p.code) for p in setsafety.validate(example_data)] == [
            ("/sources/0/date", "invalid-date"),
        ]

    def test_leap_day(self, example_data: dict[str, Any]) -> None:
        """29 February exists in a leap year."""
        example_data["case"]["date"] = "2024-02-29"
        assert setsafety.validate(example_data) == []

    def test_dispute_position_may_be_omitted(self, example_data: dict[str, Any]) -> None:
        """A source conflict that follows no position and is not marked is fine."""
        example_data["disputes"] = [{
            "id": "d-count", "kind": "source-conflict", "question": "How many blanks?",
            "about": ["/ammunition/0/count"],
            "positions": [
                {"id": "p-fifty", "claim": "Fifty.", "sources": ["src-incident-report"]},
                {"id": "p-forty", "claim": "Forty.", "sources": ["src-incident-report"]},
            ],
        }]
        assert setsafety.validate(example_data) == []

    def test_duplicate_id_message(self, example_data: dict[str, Any]) -> None:
        """A duplicate id says where the id was first used."""
        example_data["checks"][6]["id"] = "revolver-1"
        assert [(p.pointer, p.code, p.message) for p in setsafety.validate(example_data)] == [
            ("/checks/6/id", "duplicate-id",
             "the id 'revolver-1' is already used at /weapons/0; ids must be unique in the record"),
        ]


#: A valid value for every TODO in the skeleton, by pointer.
FILL_IN = {
    "/case/title": "Blank-fire injury on a TV western",
    "/case/summary": "A performer fired a blank near a camera operator, who was burned.",
    "/case/event_kind": "injury",
    "/case/hazards/0": "blank-fire",
    "/case/date": "2024-05-14",
    "/case/revisions/0/author": "setsafety tests",
    "/production/title": "Dust Road",
    "/production/kind": "tv-series",
    "/production/location/name": "Stage 4",
    "/production/location/region": "Nowhere County",
    "/production/location/country": "US",
    "/people/0/name": "A. Armorer",
    "/people/0/roles/0/role": "armorer",
    "/people/0/presence/0/present": True,
    "/people/1/name": "the camera crew",
    "/people/1/headcount": 6,
    "/equipment/0/kind": "shield",
    "/equipment/0/provided": True,
    "/equipment/0/in_use": False,
    "/checks/0/kind": "safety-meeting",
    "/checks/0/status": "done",
    "/incident/when/date": "2024-05-14",
    "/incident/activity": "take",
    "/incident/description": "The blank's hot gas struck the operator's arm.",
    "/sources/0/kind": "other",
    "/sources/0/title": "An incident report",
    "/sources/0/publisher": "The production",
    "/sources/0/date": "2024-05-20",
}


class TestSkeleton:
    def test_placeholders_are_reported(self, cli: Any, tmp_path: Path) -> None:
        """A fresh skeleton from `setsafety new` reports each TODO, and only those, as a placeholder."""
        path = tmp_path / "x-case.json"
        assert cli("new", path)[0] == 0
        todos = _todo_pointers(json.loads(path.read_text(encoding="utf-8")))
        problems = setsafety.validate(path)
        assert "/case/title" in todos
        assert [p.pointer for p in problems] == sorted(todos)
        assert {(p.code, p.severity) for p in problems} == {("placeholder", "error")}

    def test_placeholder_message(self, example_data: dict[str, Any]) -> None:
        """The placeholder problem quotes the text still to be replaced."""
        example_data["case"]["summary"] = "TODO: write this"
        assert [(p.pointer, p.code, p.message) for p in setsafety.validate(example_data)] == [
            ("/case/summary", "placeholder", "still a placeholder: TODO: write this"),
        ]

    @pytest.mark.parametrize("written", [
        "TODO: write this", "\\u0054ODO: write this", "T\\u004fDO: write this", "TO\\u0044O: write this",
        "TODO\\u003a write this", "TOD\\u004F: write this",
    ])
    def test_placeholder_written_with_escapes(self, tmp_path: Path, example_data: dict[str, Any],
                                              written: str) -> None:
        """A placeholder is found in a file however JSON writes its characters (the file's text is searched
        first, and an escape that could spell one of them sends the data to the full check)."""
        example_data["case"]["summary"] = "@@"
        path = tmp_path / "fictional-blank-injury.json"
        path.write_text(json.dumps(example_data).replace("@@", written), encoding="utf-8")
        assert [(p.pointer, p.code, p.message) for p in setsafety.validate(path)] == [
            ("/case/summary", "placeholder", "still a placeholder: TODO: write this"),
        ]

    @pytest.mark.parametrize(("text", "may"), [
        (b'{"a": "TODO: x"}', True), (b'{"a": "\\u0054ODO: x"}', True), (b'{"a": "x \\u003a y"}', True),
        (b'{"a": "caf\\u00e9 TODO"}', False), (b'{"a": "TODO - later"}', False), (b'{"a": "x"}', False),
    ])
    def test_text_that_may_hold_a_placeholder(self, text: bytes, may: bool) -> None:
        """Only the placeholder itself, or an escape of a character it could be written with, sends
        the data to be searched."""
        assert structural.may_hold_placeholder(text) is may

    def test_placeholder_hides_schema_error_at_same_place(self, example_data: dict[str, Any]) -> None:
        """A TODO in an enum field is one placeholder problem, not also a schema-enum error."""
        example_data["incident"]["activity"] = "TODO: one of take, rehearsal"
        assert [(p.pointer, p.code) for p in setsafety.validate(example_data)] == [
            ("/incident/activity", "placeholder"),
        ]

    def test_filled_in_skeleton_is_valid(self, cli: Any, tmp_path: Path) -> None:
        """The skeleton, with every TODO replaced by a valid value, validates with no problems at all."""
        path = tmp_path / "x-case.json"
        assert cli("new", path)[0] == 0
        data = json.loads(path.read_text(encoding="utf-8"))
        todos = _todo_pointers(data)
        assert sorted(set(todos) - set(FILL_IN)) == []
        for pointer in todos:
            _set(data, pointer, FILL_IN[pointer])
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        assert [str(p) for p in setsafety.validate(path)] == []
