"""The exceptions setsafety raises."""

from __future__ import annotations

from setsafety.problems import Problem


class SetsafetyError(Exception):
    """Base class of every setsafety error."""


class InvalidRecordError(SetsafetyError, ValueError):
    """A record (or protocol) is not valid; ``problems`` says why and where."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [problem for problem in problems if problem.severity == "error"]
        first = str(errors[0]) if errors else "invalid"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)


class CaseNotFoundError(SetsafetyError, LookupError):
    """No bundled case has that id, and it is not a path to a record file."""


class ProtocolNotFoundError(SetsafetyError, LookupError):
    """No bundled protocol has that id, and it is not a path to a protocol file."""


class AmbiguousProtocolError(SetsafetyError, ValueError):
    """Several bundled protocols fit the case and none was chosen; ``protocols`` lists their ids."""

    def __init__(self, case: str, protocols: list[str]) -> None:
        self.case = case
        self.protocols = protocols
        super().__init__(
            f"{case} fits several bundled protocols ({', '.join(protocols)}); choose one with protocol=, "
            "or use analyze_all() for every one"
        )


class MissingExtraError(SetsafetyError, ImportError):
    """An optional dependency is not installed; the message names the extra that installs it
    (``pip install "setsafety[pandas]"``)."""
