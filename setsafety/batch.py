"""Validating many record files at once, on every core, with the results in the order given.

``setsafety validate DIR`` on a folder of records spends all its time in ``validate``,
one file at a time, each independent of the others: the files are shared out among
worker processes, and the results come back in the order of the paths, so the output
is the same as one process would print.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

import attrs

from setsafety.problems import Problem
from setsafety.validation import prepare, validate

#: Fewer files than this per worker are checked in this process: starting workers would cost more.
MIN_FILES_PER_WORKER = 8
#: The most files a worker is given at once.
MAX_CHUNK = 32


@attrs.frozen
class FileResult:
    """What validating one file gave: its problems, or the error that kept it from being read."""

    path: Path
    problems: tuple[Problem, ...] = ()
    error: OSError | None = attrs.field(default=None, eq=False)


def default_jobs() -> int:
    """How many processes to validate with: every core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS and Windows have no affinity
        return os.cpu_count() or 1


def validate_files(paths: Sequence[str | Path], jobs: int | None = None) -> list[FileResult]:
    """Validate every file (see ``setsafety.validate``) with ``jobs`` processes (default: every core);
    one result per path, in the order of ``paths``. An ``OSError`` (no such file, no permission) is
    kept in its file's result, not raised."""
    files = [Path(path) for path in paths]
    workers = min(jobs or default_jobs(), len(files) // MIN_FILES_PER_WORKER)
    if workers <= 1:
        return [validate_file(path) for path in files]
    from concurrent import futures
    from multiprocessing import get_all_start_methods, get_context

    # Fork (where there is fork, and no thread to be copied half-way) starts a worker with everything this
    # process has imported and compiled; elsewhere each worker starts afresh.
    fork = "fork" in get_all_start_methods() and threading.active_count() == 1
    context = get_context("fork") if fork else None
    if fork:
        prepare()  # built once, here, for every worker
    # Small chunks keep every worker busy to the end (a worker slowed by other work on the machine is
    # not left holding a long chunk); a chunk of files costs one message each way.
    chunk = max(1, min(len(files) // (workers * 8), MAX_CHUNK))
    with futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(validate_file, files, chunksize=chunk))


def validate_file(path: Path) -> FileResult:
    """One file's result."""
    try:
        return FileResult(path, tuple(validate(path)))
    except OSError as error:
        return FileResult(path, error=error)
