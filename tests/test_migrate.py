"""Tests for setsafety.migrate and `setsafety migrate`: 1.0 records upgraded to 1.1 losslessly."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import setsafety
from setsafety.analysis import analyze_all
from setsafety.errors import InvalidRecordError
from setsafety.migrate import migrate_text, upgrade
from setsafety.reading import read_data
from setsafety.schema import CURRENT_VERSION, INCIDENT_SCHEMA_IDS

FIXTURES = Path(__file__).resolve().parent / "fixtures"
V1_0 = sorted((FIXTURES / "v1_0").glob("*.json"))
PATTERNS = sorted((FIXTURES / "patterns").glob("*.json"))

Cli = Callable[..., tuple[int, str, str]]

#: A 1.0 record in YAML, as a newcomer writes it from the README: comments, block style, quoted times.
YAML_1_0 = """\
# My near miss, written by hand.
schema_version: "1.0"   # the format version
id: yaml-near-miss-2025
case:
  title: Near miss with a prop revolver   # short
  summary: >-
    An invented near miss: a revolver left on a table after lunch was picked up by a props assistant
    and handed to an actor without a check.
  event_kind: near-miss
  hazards: [firearm, blank-fire]
  date: "2025-03-04"
  status: draft
  sources: [report]
people:
  - {id: armorer, kind: person, roles: [{role: armorer, sources: [report]}], sources: [report]}
weapons:
  - {id: revolver, kind: blank-firing, sources: [report]}
incident:
  when: {date: "2025-03-04", time: "13:42"}
  activity: rehearsal
  items: [revolver]
  description: The armorer stopped the rehearsal.
  sources: [report]
sources:
  - {id: report, kind: other, title: "Coordinator's report"}
"""


def _changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(), after.splitlines()
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


class TestKeptRecords:
    def test_fixtures_are_1_0(self) -> None:
        """The kept records are the bundled cases and the example as they were in format 1.0."""
        assert [path.name for path in V1_0] == [
            "cover-up-1984.json", "fictional-blank-injury.json", "midnight-rider-2014.json", "rust-2021.json",
            "twilight-zone-1982.json"]
        assert {read_data(path)["schema_version"] for path in V1_0} == {"1.0"}

    @pytest.mark.parametrize("path", V1_0, ids=lambda path: path.name)
    def test_1_0_still_validates(self, path: Path) -> None:
        """A 1.0 record keeps validating, against the 1.0 schema, with no error."""
        assert [problem for problem in setsafety.validate(read_data(path)) if problem.severity == "error"] == []


class TestUpgrade:
    @pytest.mark.parametrize("path", V1_0, ids=lambda path: path.name)
    def test_only_the_version_changes(self, path: Path) -> None:
        """The upgrade keeps every fact: the data is the same but for schema_version."""
        data = read_data(path)
        upgraded = upgrade(data)
        assert upgraded["schema_version"] == CURRENT_VERSION
        assert {**upgraded, "schema_version": "1.0"} == data

    @pytest.mark.parametrize("path", V1_0, ids=lambda path: path.name)
    def test_same_analysis(self, path: Path) -> None:
        """The 1.0 record and its upgrade analyse to exactly the same results under every fitting protocol."""
        before = [analysis.to_dict() for analysis in analyze_all(setsafety.load_record(path))]
        after = [analysis.to_dict() for analysis in analyze_all(setsafety.load_record(upgrade(read_data(path))))]
        assert before and before == after

    @pytest.mark.parametrize("path", V1_0, ids=lambda path: path.name)
    def test_text_keeps_its_layout(self, path: Path) -> None:
        """Only the schema_version line of the file changes; the result parses to the upgraded data."""
        text = path.read_text(encoding="utf-8")
        migration = migrate_text(text, yaml=False)
        assert _changed_lines(text, migration.after) == [('  "schema_version": "1.0",', '  "schema_version": "1.1",')]
        assert json.loads(migration.after) == upgrade(json.loads(text))
        assert (migration.from_version, migration.to_version, migration.changed) == ("1.0", "1.1", True)

    @pytest.mark.parametrize("path", V1_0, ids=lambda path: path.name)
    def test_idempotent(self, path: Path) -> None:
        """Migrating a migrated record changes nothing."""
        once = migrate_text(path.read_text(encoding="utf-8"), yaml=False).after
        twice = migrate_text(once, yaml=False)
        assert (twice.after, twice.changed, twice.from_version) == (once, False, CURRENT_VERSION)

    def test_yaml_keeps_comments(self) -> None:
        """A YAML record keeps its comments, quoting and layout; only the version value changes."""
        migration = migrate_text(YAML_1_0, yaml=True)
        assert _changed_lines(YAML_1_0, migration.after) == [
            ('schema_version: "1.0"   # the format version', 'schema_version: "1.1"   # the format version')]

    def test_schema_uri_follows(self, example_data: dict[str, Any]) -> None:
        """A "$schema" naming the 1.0 schema is pointed at the 1.1 schema."""
        data = {"$schema": INCIDENT_SCHEMA_IDS["1.0"], **example_data, "schema_version": "1.0"}
        migration = migrate_text(json.dumps(data, indent=2), yaml=False)
        assert json.loads(migration.after)["$schema"] == INCIDENT_SCHEMA_IDS["1.1"]

    def test_nested_version_key_untouched(self, example_data: dict[str, Any]) -> None:
        """Only the top-level schema_version is changed, not a key of the same name in extensions."""
        data = {**example_data, "schema_version": "1.0",
                "extensions": {"x-tool": {"schema_version": "1.0"}}}
        text = json.dumps({"extensions": data.pop("extensions"), **data}, indent=2)
        after = json.loads(migrate_text(text, yaml=False).after)
        assert (after["schema_version"], after["extensions"]["x-tool"]["schema_version"]) == ("1.1", "1.0")

    def test_invalid_record_is_refused(self, example_data: dict[str, Any]) -> None:
        """A record with errors in its own version is not migrated: its problems are raised."""
        data = {**example_data, "schema_version": "1.0"}
        data["custody"][0]["by"] = "nobody-here"
        with pytest.raises(InvalidRecordError) as raised:
            migrate_text(json.dumps(data), yaml=False)
        assert [problem.pointer for problem in raised.value.problems if problem.severity == "error"] == [
            "/custody/0/by"]

    def test_item_that_1_1_would_refuse(self, example_data: dict[str, Any]) -> None:
        """1.0 let incident.items name any id; such a record validates as 1.0, and migrating it says where
        1.1 would refuse it instead of writing an invalid record."""
        data = {**example_data, "schema_version": "1.0"}
        data["incident"]["items"] = ["performer-c"]
        assert [problem for problem in setsafety.validate(data) if problem.severity == "error"] == []
        with pytest.raises(InvalidRecordError) as raised:
            migrate_text(json.dumps(data), yaml=False)
        assert [(problem.pointer, problem.code) for problem in raised.value.problems] == [
            ("/incident/items/0", "migration")]


class TestCommand:
    def _copy(self, tmp_path: Path, source: Path) -> Path:
        target = tmp_path / source.name
        target.write_bytes(source.read_bytes())
        return target

    def test_prints_one_file(self, cli: Cli, tmp_path: Path) -> None:
        """With one file and no --write, the migrated text goes to stdout and the file is not touched."""
        path = self._copy(tmp_path, V1_0[1])
        before = path.read_bytes()
        code, out, err = cli("migrate", path)
        assert (code, err) == (0, "")
        assert json.loads(out)["schema_version"] == "1.1"
        assert path.read_bytes() == before

    def test_write_in_place(self, cli: Cli, tmp_path: Path) -> None:
        """--write changes the files atomically, keeps their permissions, and a second run says they are current."""
        paths = [self._copy(tmp_path, source) for source in V1_0[:2]]
        os.chmod(paths[0], 0o600)
        code, out, err = cli("migrate", "--write", *paths)
        assert (code, err) == (0, "")
        assert out.splitlines() == [f"{path}: migrated from 1.0 to 1.1" for path in paths]
        assert stat.S_IMODE(paths[0].stat().st_mode) == 0o600
        assert [read_data(path)["schema_version"] for path in paths] == ["1.1", "1.1"]
        assert sorted(os.listdir(tmp_path)) == sorted(path.name for path in paths)  # no temporary file left
        code, out, _ = cli("migrate", "--write", *paths)
        assert code == 0 and out.splitlines() == [f"{path}: already 1.1" for path in paths]

    def test_write_through_a_link(self, cli: Cli, tmp_path: Path) -> None:
        """A symbolic link is written through: the link stays a link, its target is migrated."""
        target = self._copy(tmp_path, V1_0[1])
        link = tmp_path / "link.json"
        link.symlink_to(target.name)
        assert cli("migrate", "--write", link)[0] == 0
        assert link.is_symlink() and read_data(target)["schema_version"] == "1.1"

    def test_check(self, cli: Cli, tmp_path: Path) -> None:
        """--check lists what needs migrating and exits 1 while anything does, without writing."""
        path = self._copy(tmp_path, V1_0[1])
        current = PATTERNS[0]
        code, out, _ = cli("migrate", "--check", path, current)
        assert code == 1
        assert out.splitlines() == [f"{path}: needs migrating from 1.0 to 1.1", f"{current}: already 1.1"]
        assert read_data(path)["schema_version"] == "1.0"

    def test_json_report(self, cli: Cli, tmp_path: Path) -> None:
        """--format json reports each file's status."""
        path = self._copy(tmp_path, V1_0[1])
        code, out, _ = cli("migrate", "--check", "--format", "json", path)
        assert code == 1
        assert json.loads(out) == {"to": "1.1", "files": [
            {"file": str(path), "status": "migrated", "from": "1.0", "to": "1.1"}]}

    def test_invalid_file_untouched(self, cli: Cli, tmp_path: Path, example_data: dict[str, Any]) -> None:
        """An invalid record: its errors on stderr, exit 1, the file unchanged."""
        data = {**example_data, "schema_version": "1.0"}
        data["custody"][0]["by"] = "nobody-here"
        path = tmp_path / "fictional-blank-injury.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        before = path.read_bytes()
        code, out, err = cli("migrate", "--write", path)
        assert code == 1
        assert err.startswith(f"{path}::/custody/0/by: error:")
        assert out == f"{path}: not migrated: the record has errors (listed above)\n"
        assert path.read_bytes() == before

    def test_several_files_need_write(self, cli: Cli, tmp_path: Path) -> None:
        """Several files without --write or --check: a usage error, nothing printed to stdout."""
        code, out, err = cli("migrate", V1_0[0], V1_0[1])
        assert (code, out) == (2, "")
        assert "--write" in err


class TestPatternFixtures:
    @pytest.mark.parametrize("path", PATTERNS, ids=lambda path: path.name)
    def test_strictly_valid(self, path: Path) -> None:
        """Each 1.1 pattern fixture (improvised dummy and squib; motorcycle stunt; fall from a rig) validates
        with no problem at all, warnings included."""
        assert setsafety.validate(path) == []
        assert read_data(path)["schema_version"] == "1.1"

    def test_they_use_the_new_fields(self) -> None:
        """Between them the fixtures hold every kind of fact 1.1 added, in fields (not prose)."""
        records = [setsafety.load_record(path) for path in PATTERNS]
        people = [party for record in records for party in record.people or ()]
        assert any(party.kind == "group" and party.headcount for party in people)
        assert any(presence.present is False for party in people for presence in party.presence or ())
        lots = [lot for record in records for lot in record.ammunition or ()]
        assert any(lot.components and lot.components.primer == "live" and lot.made for lot in lots)
        weapons = [weapon for record in records for weapon in record.weapons or ()]
        assert any(condition.kind == "squib" for weapon in weapons for condition in weapon.condition or ())
        equipment = [item for record in records for item in record.equipment or ()]
        assert {"helmet", "run-off", "barrier", "crash-mat", "descender", "motorcycle"} <= {
            item.kind for item in equipment}
        assert any(item.declined_by for item in equipment)
        custody = [event.action for record in records for event in record.custody or ()]
        assert {"made", "misfired"} <= set(custody)
        steps = [step for record in records for action in (record.aftermath.regulatory_actions or ()
                 if record.aftermath else ()) for step in action.steps]
        assert any(step.when is None for step in steps)
        timeline = [entry for record in records for entry in record.timeline or ()]
        assert any(entry.when.date is None and entry.when.relative == "before-event" for entry in timeline)
        assert any(source.kind == "production-record" for record in records for source in record.sources)
