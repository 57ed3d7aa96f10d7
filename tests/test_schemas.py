"""Tests for the published JSON Schemas and setsafety.schema: valid schemas, and third-party agreement."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import setsafety
from setsafety._data import cases_dir, protocols_dir
from setsafety.schema import INCIDENT_SCHEMA_ID, PROTOCOL_SCHEMA_ID, schema, validator

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
EXAMPLE = ROOT / "examples" / "fictional-blank-injury.json"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
INVALID = FIXTURES / "invalid"
WARNINGS = FIXTURES / "warnings"

#: The layer ids DESIGN.md section 3 fixes for the bundled firearms protocol.
FIREARMS_LAYERS = {
    "qualified-armorer", "training-rehearsal", "warning-response", "ammunition-control", "secure-custody",
    "pre-use-inspection", "handoff-verification", "safe-handling", "safety-briefing", "emergency-response",
}

#: What check-jsonschema makes of the fixtures whose problem the reader (not the schema) finds.
#: setsafety is stricter than plain JSON reading; check-jsonschema only rejects what Python's json cannot parse.
READER_ONLY = {
    "json-syntax.json": False,         # unparseable: rejected
    "encoding-bom.json": True,         # read as utf-8-sig: accepted
    "duplicate-key.json": True,        # json keeps the last value: accepted
    "json-number.json": True,          # json reads NaN, and NaN passes "minimum": accepted
    "too-deep.json": True,             # deep only under /extensions, which allows anything: accepted
    "placeholder.json": True,          # a TODO in free text is a valid string: accepted
}
#: Left out: check-jsonschema (0.39) does not report non-UTF-8 bytes as a parse error but stops with a
#: traceback, which would end the whole run.
NOT_UTF8 = "encoding.json"


def _expected(folder: Path) -> dict[str, list[dict[str, str]]]:
    expected: dict[str, list[dict[str, str]]] = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return expected


def _check_jsonschema() -> list[str]:
    """The command that runs check-jsonschema in this environment."""
    if importlib.util.find_spec("check_jsonschema.__main__") is not None:
        return [sys.executable, "-m", "check_jsonschema"]
    executable = Path(sys.executable).parent / "check-jsonschema"
    if executable.exists():
        return [str(executable)]
    found = shutil.which("check-jsonschema")
    if found is None:
        pytest.fail("check-jsonschema is not installed; install setsafety[test]")
    return [found]


def _third_party_verdicts() -> dict[str, bool]:
    """Expected check-jsonschema verdict (accepts?) for each fixture file, by path."""
    verdicts = {}
    for folder in (INVALID, WARNINGS):
        for name, problems in _expected(folder).items():
            if name == NOT_UTF8:
                continue
            if name in READER_ONLY:
                accepts = READER_ONLY[name]
            else:
                # Schema problems are rejected; semantic ones are beyond a schema, so accepted.
                accepts = not any(p["code"].startswith("schema-") for p in problems)
            verdicts[str(folder / name)] = accepts
    return verdicts


VERDICTS = _third_party_verdicts()
VALID_FILES = [str(EXAMPLE)] + [str(cases_dir() / f"{case_id}.json") for case_id in setsafety.list_cases()] + [
    str(path) for path in sorted((FIXTURES / "patterns").glob("*.json"))]
#: Records kept in format 1.0, valid against the frozen 1.0 schema.
V1_0_FILES = [str(path) for path in sorted((FIXTURES / "v1_0").glob("*.json"))]


@pytest.fixture(scope="module")
def check_jsonschema_report() -> dict[str, Any]:
    """check-jsonschema's JSON report on the example, the bundled cases and the fixtures, in one run."""
    command = [*_check_jsonschema(), "--schemafile", str(SCHEMAS / "incident.schema.json"), "-o", "json"]
    done = subprocess.run([*command, *VALID_FILES, *sorted(VERDICTS)], capture_output=True, text=True, check=False,
                          timeout=120)
    assert done.returncode == 1, done.stderr  # some fixtures fail, and nothing crashed
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def _rejected(report: dict[str, Any]) -> set[str]:
    return {error["filename"] for error in report["errors"]} | {error["filename"] for error in report["parse_errors"]}


class TestSchemaFiles:
    @pytest.mark.parametrize("path", sorted(SCHEMAS.glob("*.json")), ids=lambda path: path.name)
    def test_check_schema(self, path: Path) -> None:
        """Every published schema is a valid Draft 2020-12 schema."""
        Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))

    def test_both_schemas_published(self) -> None:
        """schemas/ holds the incident schema, the frozen 1.0 incident schema, the protocol schema and the
        schema of an export row."""
        assert sorted(path.name for path in SCHEMAS.glob("*.json")) == [
            "export.schema.json", "incident-1.0.schema.json", "incident.schema.json", "protocol.schema.json"]

    @pytest.mark.parametrize(("name", "schema_id"), [("incident.schema.json", INCIDENT_SCHEMA_ID),
                                                     ("protocol.schema.json", PROTOCOL_SCHEMA_ID)])
    def test_registry_serves_the_files(self, name: str, schema_id: str) -> None:
        """The registry holds each file under its $id, unchanged."""
        contents = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
        assert contents["$id"] == schema_id
        assert contents["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema(schema_id) == contents

    def test_validator_checks_formats(self) -> None:
        """The validator enforces "format" (a full date must be a real day)."""
        assert validator(INCIDENT_SCHEMA_ID).format_checker is not None
        assert [error.validator for error in validator(INCIDENT_SCHEMA_ID).iter_errors(
            {"schema_version": "1.1", "id": "x", "sources": [{"id": "s", "kind": "news", "title": "t"}],
             "case": {"title": "t", "summary": "s", "event_kind": "injury", "hazards": ["fire"], "date": "2024",
                      "status": "draft", "sources": ["s"],
                      "revisions": [{"date": "2024-02-30", "author": "a", "change": "c"}]}},
        )] == ["format"]


class TestProtocols:
    def test_bundled_protocols(self) -> None:
        """The firearms protocol is bundled."""
        assert "firearms" in setsafety.list_protocols()

    @pytest.mark.parametrize("protocol_id", setsafety.list_protocols())
    def test_load_protocol(self, protocol_id: str) -> None:
        """Each bundled protocol loads by id, with its id and at least one layer."""
        protocol = setsafety.load_protocol(protocol_id)
        assert protocol.id == protocol_id
        assert len(protocol.layers) >= 1

    @pytest.mark.parametrize("protocol_id", setsafety.list_protocols())
    def test_protocol_matches_schema(self, protocol_id: str) -> None:
        """Each bundled protocol file passes the protocol schema directly."""
        data = json.loads((protocols_dir() / f"{protocol_id}.json").read_text(encoding="utf-8"))
        assert [error.message for error in validator(PROTOCOL_SCHEMA_ID).iter_errors(data)] == []

    def test_load_protocol_by_path(self) -> None:
        """A protocol can be given as a file path."""
        assert setsafety.load_protocol(protocols_dir() / "firearms.json").id == "firearms"

    def test_firearms_layer_ids(self) -> None:
        """The firearms protocol has exactly the layer ids of DESIGN.md, each once, with distinct orders."""
        layers = setsafety.load_protocol("firearms").layers
        assert sorted(layer.id for layer in layers) == sorted(FIREARMS_LAYERS)
        assert len({layer.order for layer in layers}) == len(layers)

    def test_unknown_protocol(self) -> None:
        """An unknown protocol id raises ProtocolNotFoundError, a LookupError."""
        with pytest.raises(setsafety.ProtocolNotFoundError) as raised:
            setsafety.load_protocol("no-such-protocol")
        assert isinstance(raised.value, LookupError)

    def test_protocol_is_not_a_record(self) -> None:
        """A protocol file is not a valid incident record."""
        assert "schema-required" in {p.code for p in setsafety.validate(protocols_dir() / "firearms.json")}


@pytest.mark.slow
class TestCheckJsonschema:
    """check-jsonschema, knowing only the published schema, reaches the same structural verdict."""

    @pytest.mark.parametrize("path", VALID_FILES, ids=lambda path: Path(path).name)
    def test_accepts_valid_records(self, check_jsonschema_report: dict[str, Any], path: str) -> None:
        """The example, every bundled case and the 1.1 pattern fixtures pass check-jsonschema."""
        assert path not in _rejected(check_jsonschema_report)

    def test_accepts_1_0_records_against_the_1_0_schema(self) -> None:
        """The kept 1.0 records pass check-jsonschema against the frozen 1.0 schema, and fail the 1.1 one
        only at /schema_version."""
        assert len(V1_0_FILES) == 5
        old = subprocess.run([*_check_jsonschema(), "--schemafile", str(SCHEMAS / "incident-1.0.schema.json"),
                              *V1_0_FILES], capture_output=True, text=True, check=False, timeout=120)
        assert (old.returncode, old.stderr) == (0, "")
        new = subprocess.run([*_check_jsonschema(), "--schemafile", str(SCHEMAS / "incident.schema.json"),
                              "-o", "json", *V1_0_FILES], capture_output=True, text=True, check=False, timeout=120)
        errors = json.loads(new.stdout)["errors"]
        assert {error["path"] for error in errors} == {"$.schema_version"}
        assert {error["filename"] for error in errors} == set(V1_0_FILES)

    @pytest.mark.parametrize("path", sorted(p for p, accepts in VERDICTS.items() if not accepts),
                             ids=lambda path: Path(path).name)
    def test_rejects_structural_fixtures(self, check_jsonschema_report: dict[str, Any], path: str) -> None:
        """Each fixture with a schema problem (or unparseable JSON) is rejected by check-jsonschema."""
        assert path in _rejected(check_jsonschema_report)

    @pytest.mark.parametrize("path", sorted(p for p, accepts in VERDICTS.items() if accepts),
                             ids=lambda path: Path(path).name)
    def test_accepts_semantic_fixtures(self, check_jsonschema_report: dict[str, Any], path: str) -> None:
        """Fixtures whose problem lies beyond the schema pass check-jsonschema: it only knows structure."""
        assert path not in _rejected(check_jsonschema_report)

    def test_semantic_and_structural_both_present(self) -> None:
        """The split is exercised both ways: some fixtures are rejected, more are accepted."""
        assert sorted(Path(p).name for p, accepts in VERDICTS.items() if not accepts) == [
            "json-syntax.json", "schema-additionalProperties.json", "schema-enum.json", "schema-format.json",
            "schema-pattern.json", "schema-required.json", "schema-type.json",
        ]
        assert len([p for p, accepts in VERDICTS.items() if accepts]) == 25

    def test_protocol_schema(self) -> None:
        """check-jsonschema accepts the bundled protocols against the protocol schema."""
        command = [*_check_jsonschema(), "--schemafile", str(SCHEMAS / "protocol.schema.json")]
        files = [str(path) for path in sorted(protocols_dir().glob("*.json"))]
        done = subprocess.run([*command, *files], capture_output=True, text=True, check=False, timeout=120)
        assert (done.returncode, done.stderr) == (0, "")
