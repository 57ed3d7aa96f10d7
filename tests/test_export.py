"""`setsafety export`: every row valid against the shipped row schema, the data package valid against the
Frictionless profile and every CSV cell against its field, the formats carrying the same data, byte-stable.

The Frictionless check: `datapackage.json` is validated against the Data Package 2.0 JSON profile
(vendored in tests/fixtures/datapackage-2.0.profile.json; see the .md beside it), then every CSV cell is
read as its field declares (type, true and false values, missing values, required, enum, pattern, minimum)
and the primary key is checked unique: what `frictionless validate` does for this package, without adding
the frictionless library and its dependencies to CI.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator, Draft202012Validator

import setsafety
from setsafety.analysis import STATE_ORDER, analyze_all
from setsafety.analysis.library import EXPORT_FIELDS
from setsafety.export import datapackage, export_schema, to_csv, to_json

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "tests" / "fixtures" / "datapackage-2.0.profile.json"
Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return setsafety.export_rows()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with `setsafety export -o DIR`: layers.csv and datapackage.json."""
    import setsafety.cli

    path = tmp_path_factory.mktemp("export")
    code = setsafety.cli.run(["export", "-o", str(path)], io.StringIO(), io.StringIO())
    assert code == 0
    return path


def _fields(folder: Path) -> list[dict[str, Any]]:
    fields: list[dict[str, Any]] = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))[
        "resources"][0]["schema"]["fields"]
    return fields


def read_cell(field: dict[str, Any], text: str, missing: list[str]) -> Any:
    """One CSV cell read as its Table Schema field says (a ValueError if it is not of its type)."""
    if text in missing:
        return None
    kind = field["type"]
    if kind == "integer":
        if not re.fullmatch(r"[+-]?[0-9]+", text):
            raise ValueError(f"{field['name']}: {text!r} is not an integer")
        return int(text)
    if kind == "boolean":
        if text in field.get("trueValues", ["true", "True", "TRUE", "1"]):
            return True
        if text in field.get("falseValues", ["false", "False", "FALSE", "0"]):
            return False
        raise ValueError(f"{field['name']}: {text!r} is not a boolean")
    assert kind == "string", field
    return text


def check_constraints(field: dict[str, Any], value: Any) -> list[str]:
    """What is wrong with a read value under its field's constraints."""
    constraints = field.get("constraints", {})
    name = field["name"]
    if value is None:
        return [f"{name}: missing but required"] if constraints.get("required") else []
    wrong = []
    if "enum" in constraints and value not in constraints["enum"]:
        wrong.append(f"{name}: {value!r} not in {constraints['enum']}")
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], value):
        wrong.append(f"{name}: {value!r} does not match {constraints['pattern']}")
    if "minimum" in constraints and value < constraints["minimum"]:
        wrong.append(f"{name}: {value!r} below {constraints['minimum']}")
    return wrong


class TestRowSchema:
    def test_schema_is_valid_draft_2020_12(self) -> None:
        """The shipped export schema is itself a valid Draft 2020-12 schema."""
        Draft202012Validator.check_schema(export_schema())

    def test_every_row_is_valid(self, rows: list[dict[str, Any]]) -> None:
        """Every row of the bundled library's export is valid against the shipped schema."""
        validator = Draft202012Validator(export_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
        problems = [f"{row['case']}/{row['protocol']}/{row['layer']}: {error.message}"
                    for row in rows for error in validator.iter_errors(row)]
        assert problems == []

    def test_schema_refuses_a_broken_row(self, rows: list[dict[str, Any]]) -> None:
        """The schema can fail: a state it does not know, a list as a string, a missing column."""
        validator = Draft202012Validator(export_schema())
        assert not validator.is_valid({**rows[0], "state": "broken"})
        assert not validator.is_valid({**rows[0], "sources": " ".join(rows[0]["sources"])})
        assert not validator.is_valid({key: value for key, value in rows[0].items() if key != "certainty"})

    def test_columns_in_order(self, rows: list[dict[str, Any]]) -> None:
        """The schema lists the columns in the export's order, and the rows have exactly those."""
        assert tuple(export_schema()["properties"]) == EXPORT_FIELDS == tuple(export_schema()["required"])
        assert {tuple(row) for row in rows} == {EXPORT_FIELDS}

    def test_enums_follow_the_record_and_protocol_schemas(self) -> None:
        """The allowed values of the columns taken from records and protocols are those schemas' own."""
        incident = json.loads((ROOT / "schemas" / "incident.schema.json").read_text(encoding="utf-8"))["$defs"]
        protocol = json.loads((ROOT / "schemas" / "protocol.schema.json").read_text(encoding="utf-8"))
        columns = export_schema()["properties"]
        assert columns["event_kind"]["enum"] == incident["case"]["properties"]["event_kind"]["enum"]
        assert columns["hazards"]["items"]["enum"] == incident["hazard"]["enum"]
        assert columns["severity"]["enum"] == [*incident["casualty"]["properties"]["severity"]["enum"], None]
        assert columns["status"]["enum"] == incident["case"]["properties"]["status"]["enum"]
        assert columns["certainty"]["enum"] == [*incident["certainty"]["enum"], None]
        assert columns["kind"]["enum"] == protocol["$defs"]["layer"]["properties"]["kind"]["enum"]
        assert columns["state"]["enum"] == list(STATE_ORDER)

    def test_keys_unique_across_protocols(self, rows: list[dict[str, Any]]) -> None:
        """(case, protocol, layer) identifies a row, though layer ids repeat across protocols."""
        keys = [(row["case"], row["protocol"], row["layer"]) for row in rows]
        assert len(keys) == len(set(keys))
        assert len({row["layer"] for row in rows}) < len({(row["protocol"], row["layer"]) for row in rows})

    def test_rows_follow_the_analyses(self, rows: list[dict[str, Any]]) -> None:
        """Case metadata, provenance and findings come from the record and its analyses."""
        record = setsafety.load_case("rust-2021")
        [analysis] = analyze_all(record)
        mine = [row for row in rows if row["case"] == "rust-2021"]
        assert [row["layer"] for row in mine] == [layer.id for layer in analysis.layers]
        for row, layer in zip(mine, analysis.layers, strict=True):
            assert (row["date"], row["year"], row["decade"]) == (record.case.date, int(record.case.date[:4]),
                                                                 int(record.case.date[:3]) * 10)
            assert row["hazards"] == list(record.case.hazards) and row["event_kind"] == record.case.event_kind
            assert row["schema_version"] == record.schema_version
            assert row["setsafety_version"] == setsafety.__version__
            assert row["reason_codes"] == list(dict.fromkeys(reason.code for reason in layer.reasons))
            assert row["rationale"] == analysis.rationale(layer)
            assert set(row["sources"]) == {source for item in layer.evidence for source in item.sources}
            assert row["certainty"] in {item.certainty for item in layer.evidence} | {None}


class TestDataPackage:
    def test_descriptor_is_valid(self, folder: Path) -> None:
        """datapackage.json is valid against the Frictionless Data Package 2.0 profile."""
        profile = json.loads(PROFILE.read_text(encoding="utf-8"))
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        errors = [f"{error.json_path}: {error.message}" for error in Draft7Validator(profile).iter_errors(descriptor)]
        assert errors == []
        broken = {**descriptor, "resources": [{**descriptor["resources"][0], "schema": {"fields": "state"}}]}
        assert not Draft7Validator(profile).is_valid(broken)  # the profile does check the table schema

    def test_stamped_with_versions(self, folder: Path, rows: list[dict[str, Any]]) -> None:
        """The descriptor names the setsafety version, the export schema and the records' format versions."""
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        assert descriptor["setsafety"] == {
            "version": setsafety.__version__, "export_schema": export_schema()["$id"],
            "record_schema_versions": sorted({row["schema_version"] for row in rows}),
        }
        assert descriptor["resources"][0]["path"] == "layers.csv"

    def test_every_cell_is_of_its_field(self, folder: Path, rows: list[dict[str, Any]]) -> None:
        """Each CSV cell reads as its declared type and meets its constraints; the primary key is unique;
        the header is the field list."""
        resource = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["resources"][0]
        fields = resource["schema"]["fields"]
        missing = resource["schema"]["missingValues"]
        with (folder / resource["path"]).open(encoding=resource["encoding"], newline="") as stream:
            table = list(csv.reader(stream, delimiter=resource["dialect"]["delimiter"]))
        assert table[0] == [field["name"] for field in fields]
        wrong: list[str] = []
        keys = []
        for line in table[1:]:
            assert len(line) == len(fields)
            record = {}
            for field, text in zip(fields, line, strict=True):
                try:
                    record[field["name"]] = read_cell(field, text, missing)
                except ValueError as error:
                    wrong.append(str(error))
                    continue
                wrong += check_constraints(field, record[field["name"]])
            keys.append(tuple(record.get(name) for name in resource["schema"]["primaryKey"]))
        assert wrong == []
        assert len(table) - 1 == len(rows) and len(set(keys)) == len(keys)

    def test_constraints_can_fail(self, folder: Path) -> None:
        """The cell check refuses a state out of its enum, a list with a comma, and a count that is text."""
        fields = {field["name"]: field for field in _fields(folder)}
        assert check_constraints(fields["state"], "broken")
        assert check_constraints(fields["sources"], "a,b")
        assert check_constraints(fields["case"], None)
        with pytest.raises(ValueError):
            read_cell(fields["evidence_count"], "three", [""])

    def test_state_is_ordered_categories(self, folder: Path) -> None:
        """The state field lists its categories in STATE_ORDER, marked as ordered."""
        [state] = [field for field in _fields(folder) if field["name"] == "state"]
        assert state["categories"] == list(STATE_ORDER) and state["categoriesOrdered"] is True


def _typed_csv(text: str) -> list[dict[str, Any]]:
    """CSV rows read back through the data package: types, missing values and list delimiter."""
    fields = datapackage("layers.csv")["resources"][0]["schema"]["fields"]
    schema = export_schema()["properties"]
    out = []
    for line in list(csv.reader(io.StringIO(text)))[1:]:
        row: dict[str, Any] = {}
        for field, cell in zip(fields, line, strict=True):
            if schema[field["name"]].get("type") == "array":
                row[field["name"]] = cell.split(" ") if cell else []
            else:
                row[field["name"]] = read_cell(field, cell, [""])
        out.append(row)
    return out


class TestFormats:
    def test_csv_and_json_carry_the_same_data(self, cli: Cli) -> None:
        """CSV read through its data package equals the JSON export: the same values, missing values (an
        empty cell, null) and lists (space-joined, arrays)."""
        code, text, _ = cli("export")
        code_json, data, _ = cli("export", "--format", "json")
        assert (code, code_json) == (0, 0)
        assert _typed_csv(text) == json.loads(data)
        assert any(row["certainty"] is None for row in json.loads(data))  # missing values are exercised

    def test_byte_stable(self, cli: Cli, tmp_path: Path) -> None:
        """Two exports of the same cases are byte for byte the same, in every format."""
        for form in ("csv", "json", "parquet"):
            first, second = tmp_path / f"a.{form}", tmp_path / f"b.{form}"
            assert cli("export", "--format", form, "-o", first)[0] == 0
            assert cli("export", "--format", form, "-o", second)[0] == 0
            assert first.read_bytes() == second.read_bytes(), form

    def test_parquet_reads_back(self, cli: Cli, tmp_path: Path) -> None:
        """The Parquet file holds the JSON export's rows (lists as lists, nulls), the versions in its metadata."""
        import pyarrow.parquet as pq

        path = tmp_path / "layers.parquet"
        assert cli("export", "--format", "parquet", "-o", path)[0] == 0
        table = pq.read_table(path)
        assert table.to_pylist() == json.loads(cli("export", "--format", "json")[1])
        assert table.schema.metadata[b"setsafety_version"] == setsafety.__version__.encode()
        assert table.schema.field("sources").type.value_type == "string"

    def test_parquet_without_pyarrow(self, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without pyarrow, a one-line error that names the extra, exit 2, no file."""
        monkeypatch.setitem(sys.modules, "pyarrow", None)
        code, _, err = cli("export", "--format", "parquet", "-o", tmp_path / "x.parquet")
        assert code == 2 and 'pip install "setsafety[parquet]"' in err and "Traceback" not in err
        assert list(tmp_path.iterdir()) == []

    def test_usage_errors(self, cli: Cli, tmp_path: Path) -> None:
        """A data package describes a CSV written to a file; Parquet needs a file: exit 2 otherwise."""
        assert cli("export", "--datapackage")[0] == 2
        assert cli("export", "--format", "json", "--datapackage", "-o", tmp_path / "x.json")[0] == 2
        assert cli("export", "--format", "parquet")[0] == 2
        assert list(tmp_path.iterdir()) == []

    def test_datapackage_beside_a_file(self, cli: Cli, tmp_path: Path) -> None:
        """--datapackage with -o FILE writes datapackage.json beside it, naming it."""
        assert cli("export", "rust-2021", "--datapackage", "-o", tmp_path / "rust.csv")[0] == 0
        descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
        assert descriptor["resources"][0]["path"] == "rust.csv"

    def test_nothing_overwritten(self, cli: Cli, tmp_path: Path) -> None:
        """An existing datapackage.json stops the export before the CSV is written; --force replaces both."""
        (tmp_path / "datapackage.json").write_text("mine", encoding="utf-8")
        code, _, err = cli("export", "-o", tmp_path)
        assert code == 2 and "already exists" in err
        assert sorted(path.name for path in tmp_path.iterdir()) == ["datapackage.json"]
        assert (tmp_path / "datapackage.json").read_text(encoding="utf-8") == "mine"
        assert cli("export", "-o", tmp_path, "--force")[0] == 0
        assert sorted(path.name for path in tmp_path.iterdir()) == ["datapackage.json", "layers.csv"]

    def test_schema_command(self, cli: Cli) -> None:
        """`setsafety schema export` prints the row schema; --path says where it is installed."""
        code, out, _ = cli("schema", "export")
        assert code == 0 and json.loads(out) == export_schema()
        code, out, _ = cli("schema", "export", "--path")
        assert code == 0 and json.loads(Path(out.strip()).read_text(encoding="utf-8")) == export_schema()

    def test_formula_cells_and_lists(self) -> None:
        """CSV cells that would start a formula get an apostrophe, lists are space-joined, None is empty."""
        row = {name: None for name in EXPORT_FIELDS} | {"title": "=HYPERLINK(1)", "sources": ["a", "b"],
                                                         "fictional": True, "hazards": []}
        [line] = list(csv.reader(io.StringIO(to_csv([row]))))[1:]
        cells = dict(zip(EXPORT_FIELDS, line, strict=True))
        assert (cells["title"], cells["sources"], cells["fictional"], cells["hazards"], cells["certainty"]) == (
            "'=HYPERLINK(1)", "a b", "true", "", "")
        assert json.loads(to_json([row]))[0]["title"] == "=HYPERLINK(1)"  # JSON keeps the data as it is
