"""The README's walk-through, run as a new user would: its record and its commands."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., tuple[int, str, str]]

README = Path(__file__).resolve().parent.parent / "README.md"
SECTION = "## Writing a new case"


def walkthrough() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.index("\n## ", start + len(SECTION))
    return text[start:end]


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)


class TestWritingANewCase:
    def test_record_and_commands(self, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The record in the walk-through validates and analyses with the commands it gives."""
        monkeypatch.chdir(tmp_path)
        section = walkthrough()
        records = [block for block in blocks(section, "yaml") if block.startswith("# file: ")]
        assert len(records) == 1
        name = records[0].splitlines()[0].removeprefix("# file: ").strip()
        commands = [line for block in blocks(section, "sh") for line in block.splitlines() if line.strip()]
        assert commands[0] == f"setsafety new {name}"
        code, _, _ = cli(*shlex.split(commands[0])[1:])
        assert code == 0 and (tmp_path / name).exists()
        (tmp_path / name).write_text(records[0], encoding="utf-8")
        for command in commands[1:]:
            code, out, err = cli(*shlex.split(command)[1:])
            assert (command, code, err) == (command, 0, "")
            assert out

    def test_states_described(self, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """What the walk-through says of the analysis is what the analysis gives."""
        monkeypatch.chdir(tmp_path)
        record = next(b for b in blocks(walkthrough(), "yaml") if b.startswith("# file: "))
        (tmp_path / "w.yaml").write_text(record, encoding="utf-8")
        code, out, _ = cli("analyze", "w.yaml", "--format", "json")
        states = {layer["id"]: layer["state"] for layer in json.loads(out)["layers"]}
        assert code == 0
        assert (states["secure-custody"], states["pre-use-inspection"], states["handoff-verification"]) == (
            "skipped", "skipped", "skipped")
        assert {states[k] for k in ("training-rehearsal", "ammunition-control", "emergency-response")} == {"unknown"}


class TestCommandLine:
    def test_every_command_listed(self) -> None:
        """The README's command list names every command the parser has, and no other."""
        from setsafety.cli.commands import COMMANDS

        text = README.read_text(encoding="utf-8")
        start = text.index("## The command line")
        listing = blocks(text[start:], "")[0]
        listed = {line.split()[1] for line in listing.splitlines()
                  if line.startswith("setsafety ") and not line.split()[1].startswith("-")}
        assert listed == {command.name for command in COMMANDS}
