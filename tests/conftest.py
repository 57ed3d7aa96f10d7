"""Shared fixtures: the example record, a JSON file writer and the command line."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import setsafety.cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "fictional-blank-injury.json"
_EXAMPLE_DATA = json.loads(EXAMPLE.read_text(encoding="utf-8"))

WriteJson = Callable[..., Path]
Cli = Callable[..., tuple[int, str, str]]


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers the suite uses (pytest runs with ``strict = true``)."""
    config.addinivalue_line(
        "markers", "slow: runs a subprocess (check-jsonschema, a build, an install) that takes a second or more",
    )


@pytest.fixture
def example_path() -> Path:
    """The valid example record in examples/."""
    return EXAMPLE


@pytest.fixture
def example_data() -> dict[str, Any]:
    """A fresh deep copy of the example record, free to mutate."""
    return copy.deepcopy(_EXAMPLE_DATA)


@pytest.fixture
def write_json(tmp_path: Path) -> WriteJson:
    """Write JSON data to a file in tmp_path and return its path.

    The file is named by the record's id (so no ``id-filename`` warning mixes in)
    unless ``name`` is given.
    """

    def write(data: Any, name: str | None = None) -> Path:
        if name is None:
            name = f"{data['id']}.json" if isinstance(data, dict) and isinstance(data.get("id"), str) else "record.json"
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    return write


@pytest.fixture
def cli() -> Cli:
    """Run the command line with its own streams: ``cli("validate", path)`` -> (exit code, stdout, stderr)."""

    def run(*argv: str | Path) -> tuple[int, str, str]:
        stdout, stderr = io.StringIO(), io.StringIO()
        code = setsafety.cli.run([str(arg) for arg in argv], stdout, stderr)
        return code, stdout.getvalue(), stderr.getvalue()

    return run
