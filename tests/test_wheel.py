"""Tests for the built wheel: it ships the package data, and works when installed on its own."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import setsafety

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "fictional-blank-injury.json"

pytestmark = pytest.mark.slow


def _run(*command: str | Path, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(part) for part in command], capture_output=True, text=True, check=False,
                          cwd=cwd, env=env, timeout=timeout)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout (without build isolation when hatchling is at hand)."""
    outdir = tmp_path_factory.mktemp("dist")
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-isolation"]
    done = _run(sys.executable, "-m", "build", "--wheel", *isolation, "--outdir", outdir, ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    [built] = outdir.glob("setsafety-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel (and its dependencies) installed; its bin folder."""
    root = tmp_path_factory.mktemp("venv")
    done = _run(sys.executable, "-m", "venv", "--without-pip", root)
    assert done.returncode == 0, done.stderr
    bin_dir = root / ("Scripts" if sys.platform == "win32" else "bin")
    done = _run(sys.executable, "-m", "pip", "--python", bin_dir / "python", "install", "--quiet", wheel)
    assert done.returncode == 0, done.stdout + done.stderr
    return bin_dir


class TestContents:
    def test_package_data(self, wheel: Path) -> None:
        """The wheel carries py.typed, the schemas (incident, protocol, export row), the protocol, the skeleton
        and every bundled case."""
        names = set(zipfile.ZipFile(wheel).namelist())
        wanted = {
            "setsafety/py.typed",
            "setsafety/schemas/incident.schema.json",
            "setsafety/schemas/protocol.schema.json",
            "setsafety/schemas/export.schema.json",
            "setsafety/protocols/firearms.json",
            "setsafety/skeleton.json",
        } | {f"setsafety/cases/{case_id}.json" for case_id in setsafety.list_cases()}
        assert sorted(wanted - names) == []

    def test_only_the_package(self, wheel: Path) -> None:
        """Nothing but the package and its metadata: no tests, examples or top-level folders."""
        tops = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
        assert tops == {"setsafety", f"setsafety-{setsafety.__version__}.dist-info"}

    def test_schemas_are_the_published_files(self, wheel: Path) -> None:
        """The schemas in the wheel are byte for byte the ones in schemas/."""
        archive = zipfile.ZipFile(wheel)
        for name in ("incident.schema.json", "protocol.schema.json", "export.schema.json"):
            assert archive.read(f"setsafety/schemas/{name}") == (ROOT / "schemas" / name).read_bytes()


class TestInstalled:
    def test_imports_from_the_venv(self, venv: Path, tmp_path: Path) -> None:
        """The fresh environment imports its own copy of setsafety, not this checkout."""
        done = _run(venv / "python", "-c", "import setsafety; print(setsafety.__file__)", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert Path(done.stdout.strip()).is_relative_to(venv.parent)

    def test_validate_command(self, venv: Path, tmp_path: Path) -> None:
        """The installed `setsafety validate` checks the example from another working directory."""
        done = _run(venv / "setsafety", "validate", EXAMPLE, cwd=tmp_path)
        assert (done.returncode, done.stdout, done.stderr) == (0, "ok: 1 file(s), 0 error(s), 0 warning(s)\n", "")

    def test_list_cases(self, venv: Path, tmp_path: Path) -> None:
        """The installed package lists the same bundled cases as the checkout."""
        done = _run(venv / "python", "-c", "import json, setsafety; print(json.dumps(setsafety.list_cases()))",
                    cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == setsafety.list_cases()

    def test_schema_path_inside_package(self, venv: Path, tmp_path: Path) -> None:
        """`setsafety schema --path` points into the installed package."""
        done = _run(venv / "setsafety", "schema", "--path", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        path = Path(done.stdout.strip())
        assert path.is_file()
        assert path.parent.parent.name == "setsafety"
