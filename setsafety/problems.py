"""What the validator reports: one ``Problem`` per thing wrong with a record."""

from __future__ import annotations

from typing import Literal

import attrs

from setsafety._control import escape_controls
from setsafety.pointers import pointer_from

__all__ = ["Problem", "Severity", "has_errors", "pointer_from"]

Severity = Literal["error", "warning"]


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
