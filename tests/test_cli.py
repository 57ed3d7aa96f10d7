"""Tests for setsafety.cli: the commands, their output, exit codes and streams."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import setsafety
from setsafety.schema import INCIDENT_SCHEMA_ID, PROTOCOL_SCHEMA_ID

Cli = Callable[..., tuple[int, str, str]]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DANGLING = FIXTURES / "invalid" / "dangling-reference.json"
ID_FILENAME = FIXTURES / "warnings" / "id-filename.json"


class TestValidate:
    def test_valid_example(self, cli: Cli, example_path: Path) -> None:
        """A valid record: exit 0 and an "ok:" summary, nothing on stderr."""
        assert cli("validate", example_path) == (0, "ok: 1 file(s), 0 error(s), 0 warning(s)\n", "")

    def test_invalid_record(self, cli: Cli) -> None:
        """An invalid record: exit 1; each problem with file, pointer, message and code; no traceback."""
        code, out, err = cli("validate", DANGLING)
        assert code == 1
        assert out.splitlines() == [
            f"{DANGLING}::/custody/0/by: error: 'armorer-z' is not a person or organisation in /people "
            "[dangling-reference]",
            f"{DANGLING}::/custody/1/by: warning: 'armorer-a' acts on the item while the chain shows "
            "'armorer-z' holding it; a hand-over is missing [custody-gap]",
            "invalid: 1 file(s), 1 error(s), 1 warning(s)",
        ]
        assert err == ""

    def test_unreadable_json_is_invalid_not_a_crash(self, cli: Cli) -> None:
        """A file that is not good JSON is an invalid record (exit 1), not a traceback."""
        path = FIXTURES / "invalid" / "encoding.json"
        code, out, err = cli("validate", path)
        assert (code, err) == (1, "")
        assert out.startswith(f"{path}::/: error: the file is not UTF-8 text")
        assert "Traceback" not in out

    def test_json_format(self, cli: Cli) -> None:
        """--format json: one object with valid, files and problems (file/pointer/code/severity/message)."""
        code, out, err = cli("validate", "--format", "json", DANGLING)
        assert (code, err) == (1, "")
        report = json.loads(out)
        assert report["valid"] is False
        assert report["files"] == [str(DANGLING)]
        assert [sorted(problem) for problem in report["problems"]] == [
            ["code", "file", "message", "pointer", "severity"]] * 2
        assert report["problems"][0] == {
            "file": str(DANGLING), "pointer": "/custody/0/by", "code": "dangling-reference", "severity": "error",
            "message": "'armorer-z' is not a person or organisation in /people",
        }

    def test_json_format_valid(self, cli: Cli, example_path: Path) -> None:
        """--format json on a valid record says valid: true and lists no problems."""
        code, out, _ = cli("validate", "--format", "json", example_path)
        assert (code, json.loads(out)) == (0, {"valid": True, "files": [str(example_path)], "problems": []})

    def test_warnings_pass(self, cli: Cli) -> None:
        """Warnings alone: exit 0, and the summary counts them."""
        code, out, _ = cli("validate", ID_FILENAME)
        assert code == 0
        assert out.splitlines()[-1] == "ok: 1 file(s), 0 error(s), 1 warning(s)"

    def test_strict_fails_on_warnings(self, cli: Cli) -> None:
        """--strict turns warnings into exit 1."""
        code, out, _ = cli("validate", "--strict", ID_FILENAME)
        assert code == 1
        assert out.splitlines()[-1] == "invalid: 1 file(s), 0 error(s), 1 warning(s)"

    def test_strict_json(self, cli: Cli) -> None:
        """--strict with --format json says valid: false for warnings."""
        code, out, _ = cli("validate", "--strict", "--format", "json", ID_FILENAME)
        assert (code, json.loads(out)["valid"]) == (1, False)

    def test_quiet(self, cli: Cli) -> None:
        """--quiet prints the problems without the summary."""
        code, out, _ = cli("validate", "--quiet", DANGLING)
        assert code == 1
        assert len(out.splitlines()) == 2
        assert not out.splitlines()[-1].startswith("invalid:")

    def test_folder_expands_to_json_files(self, cli: Cli, tmp_path: Path, example_path: Path) -> None:
        """A folder stands for the *.json files in it (and in its subfolders); other files are ignored."""
        folder = tmp_path / "records"
        (folder / "more").mkdir(parents=True)
        shutil.copy(example_path, folder / "fictional-blank-injury.json")
        shutil.copy(DANGLING, folder / "more" / "dangling-reference.json")
        (folder / "notes.txt").write_text("not a record", encoding="utf-8")
        code, out, _ = cli("validate", "--format", "json", folder)
        assert code == 1
        assert json.loads(out)["files"] == [str(folder / "fictional-blank-injury.json"),
                                            str(folder / "more" / "dangling-reference.json")]

    def test_several_paths(self, cli: Cli, example_path: Path) -> None:
        """Several paths are checked together, and one invalid file makes the run fail."""
        code, out, _ = cli("validate", example_path, DANGLING)
        assert code == 1
        assert out.splitlines()[-1] == "invalid: 2 file(s), 1 error(s), 1 warning(s)"

    def test_empty_folder(self, cli: Cli, tmp_path: Path) -> None:
        """A folder with no records is a usage error."""
        assert cli("validate", tmp_path) == (
            2, "", f"setsafety: error: {tmp_path}: no records (*.json, *.yaml, *.yml) in this folder\n")

    def test_missing_path(self, cli: Cli, tmp_path: Path) -> None:
        """A path that does not exist: exit 2 and a message on stderr, nothing on stdout."""
        missing = tmp_path / "missing.json"
        assert cli("validate", missing) == (2, "", f"setsafety: error: {missing}: no such file or folder\n")

    def test_no_path(self, cli: Cli) -> None:
        """validate needs at least one path."""
        code, _, err = cli("validate")
        assert code == 2
        assert "the following arguments are required: PATH" in err


class TestCases:
    def test_text(self, cli: Cli) -> None:
        """`cases` prints one line per bundled case, starting with its id."""
        code, out, err = cli("cases")
        assert (code, err) == (0, "")
        assert [line.split()[0] for line in out.splitlines()] == setsafety.list_cases()

    def test_json(self, cli: Cli) -> None:
        """`cases --format json` lists the bundled cases with id, date, kind, hazards, title and status."""
        code, out, _ = cli("cases", "--format", "json")
        rows = json.loads(out)
        assert code == 0
        assert [row["id"] for row in rows] == setsafety.list_cases()
        assert [sorted(row) for row in rows] == [["date", "event_kind", "hazards", "id", "status", "title"]] * len(rows)


class TestShow:
    def test_text(self, cli: Cli, example_path: Path) -> None:
        """`show PATH` prints the title and the sections of the overview."""
        code, out, err = cli("show", example_path)
        assert (code, err) == (0, "")
        lines = out.splitlines()
        assert lines[0] == "FICTIONAL: blank-fire injury on a TV western (fictional-blank-injury)"
        for heading in ("Production", "People and roles", "Chain of custody", "The event", "Outcome", "Sources"):
            at = lines.index(heading)
            assert lines[at + 1] == "-" * len(heading)
        sources = lines[lines.index("Sources") + 2:]
        assert sources[0].startswith("  [src-incident-report] setsafety maintainers, Invented incident report")

    def test_text_shows_the_facts_a_reader_needs(self, cli: Cli) -> None:
        """The overview shows the checks, the rounds loaded, the equipment, presence, groups, item conditions,
        ammunition components, field certainty, undated steps, warnings with their response, conditions with
        hours, and an investigation's description."""
        patterns = Path(__file__).resolve().parent / "fixtures" / "patterns"
        out = "".join(cli("show", path)[1] for path in sorted(patterns.glob("*.json")))
        for expected in (
            "  weapon-inspection: not-done [required] - A check of the barrel",
            "revolver loaded (pulled-dummies) by props-b; check: none",
            "      components: primer live, powder absent, projectile live",
            "      made (pulled-bullet) by props-b on set:",
            "      condition: squib (2025-06-11 17:10)",
            "      not on set from 2025-06-11 16:00 (sent-home) (reason disputed)",
            "  the camera crew (about 6 people): camera-operator",
            "      not on set at the time of the event (other-unit)",
            "  helmet: helmet - The rider's own helmet, on set but not worn in the take. (not in use; for rider;",
            "  wall-barrier: barrier - No crash barrier or bales in front of the wall. (not provided)",
            "    undated: settled, 9,000 USD - Settled for a lower amount; no source gives the date.",
            "  long-hours (13 hours): The rigger had worked thirteen hours",
            "Response: acknowledged - Noted; the mark was not moved.",
            "    The regulator's inspection of the production.",
            "  earlier in the shoot [preparation] The revolver was test-fired",
            "  [src-production-log] Night Harbour call sheet and safety log, day 18 (fictional), 2025-06-11",
        ):
            assert expected in out

    def test_nobody_hurt(self, cli: Cli, tmp_path: Path, example_data: dict[str, Any]) -> None:
        """An outcome that records no casualties says so in words."""
        example_data["outcome"]["casualties"] = []
        path = tmp_path / "fictional-blank-injury.json"
        path.write_text(json.dumps(example_data), encoding="utf-8")
        out = cli("show", path)[1]
        assert out.splitlines()[out.splitlines().index("Outcome") + 2] == "  Nobody was hurt."

    def test_change_reads_cleanly(self, cli: Cli, tmp_path: Path, example_data: dict[str, Any]) -> None:
        """A change's date comes before its text, so a description ending in a full stop reads cleanly."""
        example_data["aftermath"] = {"changes": [{
            "id": "rule-change", "kind": "industry-practice", "description": "Blank guns are now checked back.",
            "when": {"date": "2026-03-12", "precision": "day"}, "sources": ["src-incident-report"]}]}
        path = tmp_path / "fictional-blank-injury.json"
        path.write_text(json.dumps(example_data), encoding="utf-8")
        out = cli("show", path)[1]
        assert "  Change (industry-practice, 2026-03-12): Blank guns are now checked back.\n" in out
        assert "., 2026" not in out

    def test_json_is_the_record(self, cli: Cli, example_path: Path, example_data: dict[str, Any]) -> None:
        """`show --format json` prints exactly the record's data."""
        code, out, _ = cli("show", "--format", "json", example_path)
        assert code == 0
        assert json.loads(out) == example_data

    @pytest.mark.parametrize("case_id", setsafety.list_cases())
    def test_bundled_case_by_id(self, cli: Cli, case_id: str) -> None:
        """A bundled case is shown by its id."""
        code, out, err = cli("show", case_id)
        assert (code, err) == (0, "")
        assert out.splitlines()[0].endswith(f"({case_id})")

    def test_unknown_id(self, cli: Cli) -> None:
        """An id-like argument that is no bundled case: exit 2, and a message naming the bundled ones."""
        known = ", ".join(setsafety.list_cases()) or "none"
        assert cli("show", "no-such-case") == (
            2, "", f"setsafety: error: no bundled case 'no-such-case' (bundled: {known}); "
                   "for a file, give its path (e.g. ./no-such-case.json)\n")

    def test_relative_path_outside(self, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """`show ../../etc/passwd` is a path, never an id; where it does not exist: exit 2, no traceback."""
        here = tmp_path / "a" / "b" / "c"  # ../../etc/passwd is then tmp_path/a/etc/passwd: not there
        here.mkdir(parents=True)
        monkeypatch.chdir(here)
        code, out, err = cli("show", "../../etc/passwd")
        assert (code, out) == (2, "")
        assert err == "setsafety: error: '../../etc/passwd' is neither a bundled case id nor a record file\n"

    @pytest.mark.skipif(not Path("/etc/passwd").is_file(), reason="needs /etc/passwd")
    @pytest.mark.parametrize("relative", [False, True])
    def test_system_file(self, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, relative: bool) -> None:
        """A system file given as a path is read as a record and refused (exit 1), its contents not shown."""
        monkeypatch.chdir(tmp_path)
        path = os.path.relpath("/etc/passwd", tmp_path) if relative else "/etc/passwd"
        code, out, err = cli("show", path)
        assert (code, out) == (1, "")
        assert err.startswith("setsafety: error: invalid record:\n  /etc/passwd::/: error: not valid JSON"
                              if not relative else f"setsafety: error: invalid record:\n  {path}::/: error:")
        assert "Traceback" not in err
        assert "root:" not in err

    def test_invalid_record(self, cli: Cli) -> None:
        """An invalid record: exit 1 and its errors on stderr (warnings left out)."""
        assert cli("show", DANGLING) == (
            1, "", f"setsafety: error: invalid record:\n  {DANGLING}::/custody/0/by: error: 'armorer-z' is not a "
                   "person or organisation in /people [dangling-reference]\n")

    def test_id_never_read_from_working_directory(
        self, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example_path: Path,
    ) -> None:
        """An id-like argument is looked up only in the case library, even if a file of that name is here."""
        monkeypatch.chdir(tmp_path)
        shutil.copy(example_path, tmp_path / "no-such-case")
        assert cli("show", "no-such-case")[0] == 2


class TestSchema:
    def test_incident(self, cli: Cli) -> None:
        """`schema` prints the incident schema as JSON, with its $id."""
        code, out, _ = cli("schema")
        assert (code, json.loads(out)["$id"]) == (0, INCIDENT_SCHEMA_ID)

    def test_protocol(self, cli: Cli) -> None:
        """`schema protocol` prints the protocol schema."""
        code, out, _ = cli("schema", "protocol")
        assert (code, json.loads(out)["$id"]) == (0, PROTOCOL_SCHEMA_ID)

    def test_path(self, cli: Cli) -> None:
        """`schema --path` prints the path of an existing file holding the schema."""
        code, out, _ = cli("schema", "--path")
        path = Path(out.rstrip("\n"))
        assert (code, out.count("\n")) == (0, 1)
        assert path.is_file()
        assert json.loads(path.read_text(encoding="utf-8"))["$id"] == INCIDENT_SCHEMA_ID

    def test_unknown_schema(self, cli: Cli) -> None:
        """An unknown schema name is a usage error."""
        assert cli("schema", "lessons")[0] == 2


class TestNew:
    def test_writes_a_skeleton(self, cli: Cli, tmp_path: Path) -> None:
        """`new PATH` writes a record named by the file, and says what to do next."""
        path = tmp_path / "x-case.json"
        code, out, err = cli("new", path)
        assert (code, err) == (0, "")
        assert out == f"wrote {path}: replace every TODO, then run `setsafety validate {path}`\n"
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["id"] == "x-case"
        assert data["schema_version"] == "1.1"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["x-case.json"]

    def test_does_not_overwrite(self, cli: Cli, tmp_path: Path) -> None:
        """A second `new` on the same path: exit 2, a message, and the file unchanged."""
        path = tmp_path / "x-case.json"
        path.write_text("my work\n", encoding="utf-8")
        code, out, err = cli("new", path)
        assert (code, out) == (2, "")
        assert err == f"setsafety: error: {path} already exists; not overwriting it (use --force to replace it)\n"
        assert path.read_text(encoding="utf-8") == "my work\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["x-case.json"]

    def test_second_new_keeps_first(self, cli: Cli, tmp_path: Path) -> None:
        """Running `new` twice leaves the first skeleton byte for byte."""
        path = tmp_path / "x-case.json"
        assert cli("new", path)[0] == 0
        first = path.read_bytes()
        assert cli("new", path)[0] == 2
        assert path.read_bytes() == first

    def test_force_replaces(self, cli: Cli, tmp_path: Path) -> None:
        """--force replaces an existing file."""
        path = tmp_path / "x-case.json"
        path.write_text("old\n", encoding="utf-8")
        assert cli("new", "--force", path)[0] == 0
        assert json.loads(path.read_text(encoding="utf-8"))["id"] == "x-case"

    @pytest.mark.parametrize("name", ["X-Case.json", "x_case.json", "x-case.txt", "x-case", "-x.json", "x--y.json"])
    def test_bad_file_name(self, cli: Cli, tmp_path: Path, name: str) -> None:
        """A file name that is not a case id plus .json: exit 2 and nothing written."""
        code, out, err = cli("new", tmp_path / name)
        assert (code, out) == (2, "")
        assert "name the file by its case id" in err
        assert list(tmp_path.iterdir()) == []

    def test_missing_folder(self, cli: Cli, tmp_path: Path) -> None:
        """A folder that does not exist: exit 2 with a message, no traceback."""
        path = tmp_path / "missing" / "x-case.json"
        code, _, err = cli("new", path)
        assert code == 2
        assert err.startswith(f"setsafety: error: cannot write {path}: ")


class TestTopLevel:
    def test_version(self, cli: Cli) -> None:
        """--version prints the package version on stdout."""
        assert cli("--version") == (0, f"setsafety {setsafety.__version__}\n", "")

    def test_help(self, cli: Cli) -> None:
        """--help prints the usage on stdout, with every command."""
        code, out, err = cli("--help")
        assert (code, err) == (0, "")
        assert out.startswith("usage: setsafety")
        for command in ("validate", "cases", "show", "schema", "new"):
            assert command in out

    def test_no_arguments(self, cli: Cli) -> None:
        """No arguments: exit 2 and an error naming the missing command on stderr."""
        code, _, err = cli()
        assert code == 2
        assert err.endswith("setsafety: error: the following arguments are required: COMMAND\n")

    def test_no_arguments_usage_on_stderr(self, cli: Cli) -> None:
        """No arguments: the usage goes to stderr, nothing to stdout."""
        code, out, err = cli()
        assert (code, out) == (2, "")
        assert err.startswith("usage: setsafety")

    def test_unknown_command(self, cli: Cli) -> None:
        """An unknown command is a usage error."""
        code, _, err = cli("frobnicate")
        assert code == 2
        assert "invalid choice: 'frobnicate'" in err


@pytest.mark.slow
class TestModule:
    def test_python_m_version(self) -> None:
        """`python -m setsafety --version` runs the same command line."""
        done = subprocess.run([sys.executable, "-m", "setsafety", "--version"], capture_output=True, text=True,
                              check=False, timeout=60)
        assert (done.returncode, done.stdout, done.stderr) == (0, f"setsafety {setsafety.__version__}\n", "")

    def test_python_m_no_arguments(self) -> None:
        """`python -m setsafety` with no arguments: exit 2, usage and error on stderr, nothing on stdout."""
        done = subprocess.run([sys.executable, "-m", "setsafety"], capture_output=True, text=True, check=False,
                              timeout=60)
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr.startswith("usage: setsafety")
