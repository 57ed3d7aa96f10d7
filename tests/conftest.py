"""Shared fixtures: the example record, a JSON file writer and the command line."""

from __future__ import annotations

import copy
import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import setsafety.cli

ROOT = Path(__file__).resolve().parent.parent
AJV_SCRIPT = Path(__file__).resolve().parent / "interop" / "ajv_validate.mjs"
AJV_DIR = ROOT / os.environ.get("SETSAFETY_AJV_DIR", ".ci-node/node_modules")  # an absolute path stays itself
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
def chromium() -> Path:
    """Debian's headless Chromium, for the print and render tests: skipped without it, but required
    when CI is set (.ci/run installs it)."""
    path = Path("/usr/bin/chromium")
    if not path.exists() and not os.environ.get("CI"):
        pytest.skip(f"{path} is not installed (apt-get install chromium); it is required when CI is set")
    assert path.exists(), f"CI is set but {path} is missing: apt-get install -y chromium"
    return path


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


Ajv = Callable[[Path, list[Path]], dict[str, dict[str, Any]]]


@pytest.fixture(scope="session")
def ajv() -> Ajv:
    """Run Ajv on files against a schema: ``{file: {"valid": ..., "errors": [...]}}``.

    Ajv (``ajv/dist/2020`` with ``ajv-formats``, run by ``tests/interop/ajv_validate.mjs``) is
    looked for under ``SETSAFETY_AJV_DIR`` (default ``.ci-node/node_modules``, where ``.ci/run``
    installs it); without it the tests that use it skip, except under CI (``CI`` set), where they fail.
    """
    node = shutil.which("node")
    missing = None
    if node is None:
        missing = "node is not installed"
    elif not (AJV_DIR / "ajv" / "dist" / "2020.js").is_file() or not (AJV_DIR / "ajv-formats").is_dir():
        missing = f"ajv and ajv-formats are not installed in {AJV_DIR} (see .ci/run)"
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(f"{missing}; under CI the Ajv interop tests must run")
        pytest.skip(missing)
    assert node is not None

    def run(schema: Path, files: list[Path]) -> dict[str, dict[str, Any]]:
        done = subprocess.run([node, str(AJV_SCRIPT), str(schema), *map(str, files)], capture_output=True,
                              text=True, encoding="utf-8", check=False, timeout=120,
                              env={**os.environ, "SETSAFETY_AJV_DIR": str(AJV_DIR)})
        assert done.returncode in (0, 1), done.stderr
        assert done.stderr == ""
        results = [json.loads(line) for line in done.stdout.splitlines()]
        assert [result["file"] for result in results] == [str(path) for path in files]
        return {result.pop("file"): result for result in results}

    return run
