"""Tests for setsafety.problems: how a problem is said, to people and to machines."""

from __future__ import annotations

import pytest

from setsafety.errors import InvalidRecordError
from setsafety.problems import Problem, has_errors, pointer_from


class TestProblem:
    def test_str_with_file(self) -> None:
        """A problem reads file::pointer: severity: message [code]."""
        problem = Problem(pointer="/custody/3/by", code="dangling-reference", message="'x' is not a person",
                          file="a.json")
        assert str(problem) == "a.json::/custody/3/by: error: 'x' is not a person [dangling-reference]"

    def test_str_without_file(self) -> None:
        """Without a file, and at the root, the pointer is shown as '/'."""
        problem = Problem(pointer="", code="json-syntax", message="bad", severity="warning")
        assert str(problem) == "/: warning: bad [json-syntax]"

    def test_as_dict(self) -> None:
        """as_dict gives exactly file, pointer, code, severity and message."""
        problem = Problem(pointer="/id", code="id-filename", message="m", severity="warning")
        assert problem.as_dict() == {"file": None, "pointer": "/id", "code": "id-filename",
                                     "severity": "warning", "message": "m"}

    def test_located(self) -> None:
        """located returns a copy said of a file, leaving the original alone."""
        problem = Problem(pointer="/id", code="c", message="m")
        assert problem.located("x.json").file == "x.json"
        assert problem.file is None

    def test_frozen(self) -> None:
        """Problems are immutable."""
        problem = Problem(pointer="/id", code="c", message="m")
        with pytest.raises(AttributeError):
            problem.code = "other"  # type: ignore[misc]


class TestHelpers:
    def test_has_errors(self) -> None:
        """Warnings alone are not errors."""
        warning = Problem(pointer="", code="w", message="m", severity="warning")
        error = Problem(pointer="", code="e", message="m")
        assert (has_errors([]), has_errors([warning]), has_errors([warning, error])) == (False, False, True)

    def test_pointer_from(self) -> None:
        """pointer_from escapes '~' and '/' (RFC 6901) and joins keys and indexes."""
        assert pointer_from(["people", 0, "a/b", "c~d"]) == "/people/0/a~1b/c~0d"
        assert pointer_from([]) == ""


class TestInvalidRecordError:
    def test_message_names_first_error(self) -> None:
        """The exception's message is the first error, and how many more there are."""
        problems = [
            Problem(pointer="/a", code="w", message="just a warning", severity="warning"),
            Problem(pointer="/b", code="e1", message="first"),
            Problem(pointer="/c", code="e2", message="second"),
            Problem(pointer="/d", code="e3", message="third"),
        ]
        error = InvalidRecordError(problems)
        assert str(error) == "/b: error: first [e1] (and 2 more)"
        assert error.problems == problems
