"""Tests for setsafety.batch: many files on every core, results in the order given."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent import futures
from pathlib import Path
from typing import Any

import pytest

import setsafety
from setsafety import batch
from setsafety._data import cases_dir

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent
Cli = Callable[..., tuple[int, str, str]]


def _files() -> list[Path]:
    """Valid and invalid records, in an order that is not sorted: the results must follow it."""
    files = [*sorted(FIXTURES.glob("*/*.json")), *sorted(cases_dir().glob("*.json")),
             ROOT / "examples" / "fictional-blank-injury.json"]
    files = [path for path in files if path.name != "expected.json"]
    return files[1::2] + files[0::2]


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The keyword arguments of every process pool validate_files starts (the real pool still runs)."""
    started: list[dict[str, Any]] = []

    class Recorded(futures.ProcessPoolExecutor):
        def __init__(self, **kwargs: Any) -> None:
            started.append(kwargs)
            super().__init__(**kwargs)

    monkeypatch.setattr(futures, "ProcessPoolExecutor", Recorded)
    return started


class TestValidateFiles:
    def test_pool_same_as_one_by_one(self, pools: list[dict[str, Any]]) -> None:
        """With two processes, every file's problems are what validate() gives, in the order given."""
        files = _files()
        assert len(files) >= 2 * batch.MIN_FILES_PER_WORKER
        results = batch.validate_files(files, jobs=2)
        assert [len(pools), pools[0]["max_workers"]] == [1, 2]
        assert [result.path for result in results] == files
        assert [list(result.problems) for result in results] == [setsafety.validate(path) for path in files]
        assert {bool(result.problems) for result in results} == {True, False}

    def test_one_job_no_pool(self, pools: list[dict[str, Any]]) -> None:
        """One job, or too few files to be worth a worker each, stays in this process."""
        files = _files()
        assert batch.validate_files(files, jobs=1) == batch.validate_files(files[:3], jobs=8) + batch.validate_files(
            files[3:], jobs=1)
        assert pools == []

    def test_unreadable_file(self, tmp_path: Path, pools: list[dict[str, Any]]) -> None:
        """A file that cannot be read keeps its OSError in its place; the others are validated."""
        files = _files()
        missing = tmp_path / "gone.json"
        results = batch.validate_files([*files[:10], missing, *files[10:]], jobs=2)
        assert pools != []
        assert [result.path for result in results] == [*files[:10], missing, *files[10:]]
        assert isinstance(results[10].error, FileNotFoundError)
        assert results[10].problems == ()
        assert [result.error for result in results if result.path != missing] == [None] * len(files)

    def test_default_jobs(self) -> None:
        """Every core this process may use, at least one."""
        assert batch.default_jobs() >= 1


class TestCommand:
    def test_jobs_same_output(self, cli: Cli, tmp_path: Path) -> None:
        """`validate --jobs 2 DIR` prints exactly what `--jobs 1` prints, in text and JSON."""
        folder = tmp_path / "records"
        folder.mkdir()
        for path in _files():
            (folder / f"{path.parent.name}-{path.name}").write_bytes(path.read_bytes())
        for extra in ([], ["--format", "json"], ["--strict"]):
            serial = cli("validate", "--jobs", "1", *extra, folder)
            parallel = cli("validate", "--jobs", "2", *extra, folder)
            default = cli("validate", *extra, folder)
            assert serial == parallel == default
            assert serial[0] == 1
        report = json.loads(cli("validate", "--jobs", "2", "--format", "json", folder)[1])
        assert report["files"] == sorted(str(path) for path in folder.iterdir())

    @pytest.mark.parametrize("jobs", ["0", "-1", "two", ""])
    def test_bad_jobs(self, cli: Cli, example_path: Path, jobs: str) -> None:
        """A number of processes that is not 1 or more is a usage error (exit 2), in one line."""
        code, out, err = cli("validate", "--jobs", jobs, example_path)
        assert (code, out) == (2, "")
        assert err.splitlines()[-1] == (f"setsafety validate: error: argument --jobs/-j: {jobs!r} is not a number "
                                        "of processes (1 or more)")

    def test_paths_in_the_order_given(self, cli: Cli, tmp_path: Path) -> None:
        """Files and folders named on the command line are reported in the order named, as with one process."""
        folder = tmp_path / "records"
        folder.mkdir()
        for path in _files()[:12]:
            (folder / path.name).write_bytes(path.read_bytes())
        named = [*_files()[12:], folder, _files()[0]]
        code, out, err = cli("validate", "--jobs", "2", *named)
        assert (code, out, err) == cli("validate", "--jobs", "1", *named)
        files = [line.split("::")[0] for line in out.splitlines()[:-1]]
        assert list(dict.fromkeys(files)) == [str(path) for path in [*_files()[12:], *sorted(folder.iterdir()),
                                                                     _files()[0]] if setsafety.validate(path)]
