"""What the validator reports: one ``Problem`` per thing wrong with a record."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal

import attrs

from setsafety._control import escape_controls
from setsafety.pointers import pointer_from

__all__ = ["MAX_PROBLEMS", "Problem", "Severity", "at_most", "has_errors", "pointer_from"]

Severity = Literal["error", "warning"]

#: More problems than anyone reads in one file; past this many, checking stops, so a 10 MiB file of
#: empty objects costs seconds and megabytes instead of minutes and gigabytes.
MAX_PROBLEMS = 1000


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with a record, and where.

    ``pointer`` is a JSON pointer (RFC 6901) into the record; ``""`` is the
    whole document. ``code`` is stable and meant for machines; ``message`` is
    for people.
    """

    pointer: str
    code: str
    message: str
    severity: Severity = "error"
    file: str | None = None

    def located(self, file: str | None) -> Problem:
        """The same problem, said of ``file``."""
        return attrs.evolve(self, file=file)

    def as_dict(self) -> dict[str, str | None]:
        """A JSON-ready form: file, pointer, code, severity, message."""
        return {
            "file": self.file,
            "pointer": self.pointer,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }

    def __str__(self) -> str:
        """One line, ``FILE::POINTER: severity: message [code]``; control characters from a record
        (a newline, a terminal escape) are shown escaped, so a record cannot forge or hide lines."""
        where = f"{self.file}::" if self.file is not None else ""
        line = f"{where}{self.pointer or '/'}: {self.severity}: {self.message} [{self.code}]"
        return escape_controls(line, newlines=True)


def has_errors(problems: list[Problem]) -> bool:
    """Whether any of the problems is an error (warnings do not count)."""
    return any(problem.severity == "error" for problem in problems)


def at_most(problems: Iterable[Problem], limit: int = MAX_PROBLEMS,
            key: Callable[[Problem], Any] | None = None) -> list[Problem]:
    """The first ``limit`` distinct problems (sorted by ``key``, if given), and a ``too-many-problems``
    error at the end if there were more.

    ``problems`` is consumed lazily, so a validator's error iterator stops at the limit.
    """
    found = list(itertools.islice(_distinct(problems), limit + 1))
    kept = sorted(found[:limit], key=key) if key is not None else found[:limit]
    if len(found) <= limit:
        return kept
    return [*kept, Problem(
        pointer="", code="too-many-problems",
        message=f"more than {limit:,} problems; the first {limit:,} are listed: fix them and validate again",
    )]


def _distinct(problems: Iterable[Problem]) -> Iterator[Problem]:
    seen: set[Problem] = set()
    for problem in problems:
        if problem not in seen:
            seen.add(problem)
            yield problem
