"""Interop: Ajv (Node.js), knowing only the published schemas, reaches setsafety's structural verdict.

check-jsonschema is compared in tests/test_schemas.py. Here the same files go through Ajv
(``ajv/dist/2020`` with ``ajv-formats``, run by ``tests/interop/ajv_validate.mjs``; see the
``ajv`` fixture in conftest.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from setsafety._data import cases_dir, protocols_dir
from setsafety.errors import InvalidRecordError
from setsafety.reading import read_data
from setsafety.schema import INCIDENT_SCHEMA_ID, PROTOCOL_SCHEMA_ID, incident_schema_id, structural_problems

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

Ajv = Callable[[Path, list[Path]], dict[str, dict[str, Any]]]  # the `ajv` fixture (conftest.py)


def _incident_files() -> list[Path]:
    """The bundled cases, the examples and the fixtures, as files."""
    files = sorted(cases_dir().glob("*.json")) + sorted((ROOT / "examples").glob("*.json"))
    for folder in (FIXTURES / "invalid", FIXTURES / "warnings", FIXTURES / "patterns", FIXTURES / "v1_0"):
        files += sorted(path for path in folder.glob("*.json") if path.name != "expected.json")
    return files


def _structural(path: Path, schema_id: str | None = None) -> list[str] | None:
    """setsafety's structural problems (pointers) of a file, or ``None`` if its reader refuses the file:
    a reader problem (syntax, encoding, duplicate key, NaN, depth) is not the schema's to judge.
    Without ``schema_id``, the file is checked against the schema of its own record format version."""
    try:
        data = read_data(path)
    except InvalidRecordError:
        return None
    return [problem.pointer for problem in structural_problems(data, schema_id or incident_schema_id(data))]


def _schema_file(path: Path) -> Path:
    """The published schema file a record is checked against: that of its own version."""
    return SCHEMAS / ("incident-1.0.schema.json" if path.parent.name == "v1_0" else "incident.schema.json")


INCIDENT_FILES = _incident_files()
VERDICTS = {str(path): _structural(path) for path in INCIDENT_FILES}
COMPARED = [path for path in INCIDENT_FILES if VERDICTS[str(path)] is not None]
READER_ONLY = sorted(path.name for path in INCIDENT_FILES if VERDICTS[str(path)] is None)


@pytest.fixture(scope="module")
def incident_report(ajv: Ajv) -> dict[str, dict[str, Any]]:
    """Ajv's verdict on every compared file, one run per schema version."""
    report: dict[str, dict[str, Any]] = {}
    for schema_file in sorted({_schema_file(path) for path in COMPARED}):
        report.update(ajv(schema_file, [path for path in COMPARED if _schema_file(path) == schema_file]))
    return report


class TestIncidentSchema:
    def test_reader_only_fixtures(self) -> None:
        """The files left out are exactly those setsafety's reader refuses before any schema."""
        assert READER_ONLY == ["duplicate-key.json", "encoding-bom.json", "encoding.json", "json-number.json",
                               "json-syntax.json", "too-deep.json"]

    @pytest.mark.parametrize("path", COMPARED, ids=lambda path: f"{path.parent.name}/{path.name}")
    def test_same_verdict(self, incident_report: dict[str, dict[str, Any]], path: Path) -> None:
        """Ajv accepts a file exactly when setsafety finds no structural problem in it."""
        result = incident_report[str(path)]
        assert "parse_error" not in result
        assert result["valid"] is (VERDICTS[str(path)] == [])

    @pytest.mark.parametrize("path", [path for path in COMPARED if VERDICTS[str(path)]],
                             ids=lambda path: path.name)
    def test_same_places(self, incident_report: dict[str, dict[str, Any]], path: Path) -> None:
        """Each structural problem setsafety reports is at (or inside) a place Ajv reports."""
        places = {error["pointer"] for error in incident_report[str(path)]["errors"]}
        pointers = VERDICTS[str(path)] or []
        assert [pointer for pointer in pointers
                if not any(pointer == place or pointer.startswith(place + "/") for place in places)] == []

    def test_bundled_cases_compared(self) -> None:
        """Every bundled case, the example, the 1.1 pattern fixtures and the kept 1.0 records are among the
        compared files, and valid against the schema of their own version."""
        expected = [*sorted(cases_dir().glob("*.json")), ROOT / "examples" / "fictional-blank-injury.json",
                    *sorted((FIXTURES / "patterns").glob("*.json")), *sorted((FIXTURES / "v1_0").glob("*.json"))]
        assert len(expected) >= 11
        assert [path for path in expected if VERDICTS[str(path)] != []] == []

    @pytest.mark.parametrize("url", ["https://example.org/a b", "https://example.org/#a#b", "https://[::1"])
    def test_malformed_url(self, ajv: Ajv, tmp_path: Path, url: str) -> None:
        """A source URL that is no URI: both refuse it (the schema says format: uri)."""
        data = json.loads((ROOT / "examples" / "fictional-blank-injury.json").read_text(encoding="utf-8"))
        data["sources"][0]["url"] = url
        path = tmp_path / "fictional-blank-injury.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        assert ajv(SCHEMAS / "incident.schema.json", [path])[str(path)]["valid"] is False
        assert _structural(path, INCIDENT_SCHEMA_ID) == ["/sources/0/url"]


class TestProtocolSchema:
    def test_bundled_protocols(self, ajv: Ajv) -> None:
        """Ajv and setsafety both accept every bundled protocol against the protocol schema."""
        files = sorted(protocols_dir().glob("*.json"))
        report = ajv(SCHEMAS / "protocol.schema.json", files)
        assert {Path(file).name: result["valid"] for file, result in report.items()} == {
            path.name: True for path in files}
        assert {path.name: _structural(path, PROTOCOL_SCHEMA_ID) for path in files} == {path.name: [] for path in files}

    def test_protocol_is_no_record(self, ajv: Ajv) -> None:
        """Both refuse a protocol checked against the incident schema."""
        path = protocols_dir() / "firearms.json"
        assert ajv(SCHEMAS / "incident.schema.json", [path])[str(path)]["valid"] is False
        assert _structural(path, INCIDENT_SCHEMA_ID) != []


@pytest.fixture(scope="module")
def hook() -> dict[str, Any]:
    """The one hook in .pre-commit-hooks.yaml."""
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["setsafety-validate"]
    found: dict[str, Any] = hooks[0]
    return found


class TestPreCommitHook:
    def test_hook(self, hook: dict[str, Any]) -> None:
        """A python hook that runs `setsafety validate` on the files pre-commit passes it."""
        assert (hook["language"], hook["entry"]) == ("python", "setsafety validate")
        assert "pass_filenames" not in hook

    def test_files_pattern(self, hook: dict[str, Any]) -> None:
        """The default pattern takes every JSON and YAML file (a repository scopes it with `files:`)."""
        import re

        pattern = re.compile(hook["files"])
        assert [name for name in ("cases/rust-2021.json", "incidents/a.yaml", "incidents/b.yml")
                if not pattern.search(name)] == []
        assert [name for name in ("README.md", "incidents/notes.txt", "a.json.bak") if pattern.search(name)] == []

    def test_entry_on_bundled_records(self, hook: dict[str, Any], cli: Callable[..., tuple[int, str, str]]) -> None:
        """The hook's command passes the bundled cases and the example, as pre-commit would call it."""
        files = [*sorted(cases_dir().glob("*.json")), ROOT / "examples" / "fictional-blank-injury.json"]
        code, out, err = cli(*hook["entry"].split()[1:], *files)
        assert (code, err) == (0, "")
        assert out.splitlines()[-1].startswith(f"ok: {len(files)} file(s), 0 error(s)")
