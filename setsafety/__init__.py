"""setsafety: film and TV set safety incidents as data.

Load a case, validate a record, work out which safeguard layers held or failed,
and write lesson summaries for safety training::

    import setsafety

    print(setsafety.list_cases())                  # the bundled case ids
    case = setsafety.load_case(setsafety.list_cases()[0])
    problems = setsafety.validate("my-incident.json")
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from setsafety.cases import list_cases, load_case
from setsafety.errors import (
    CaseNotFoundError,
    InvalidRecordError,
    ProtocolNotFoundError,
    SetsafetyError,
)
from setsafety.model import Protocol, Record
from setsafety.problems import Problem
from setsafety.protocols import list_protocols, load_protocol
from setsafety.validation import load_record, validate

if TYPE_CHECKING:
    from setsafety.analysis import Analysis

__all__ = [
    "CaseNotFoundError",
    "InvalidRecordError",
    "Problem",
    "Protocol",
    "ProtocolNotFoundError",
    "Record",
    "SetsafetyError",
    "__version__",
    "list_cases",
    "list_protocols",
    "load_case",
    "load_protocol",
    "load_record",
    "render_lessons",
    "validate",
]


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed metadata on first use (importlib.metadata is slow to import)."""
    if name != "__version__":
        raise AttributeError(f"module 'setsafety' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("setsafety")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


def render_lessons(
    case_or_analysis: Record | Analysis,
    format: str = "md",  # noqa: A002 - the documented keyword
    audience: str = "crew",
    protocol: Protocol | str | Path | None = None,
    *,
    record: Record | None = None,
) -> str:
    """A lesson summary of a case for an audience, as ``md``, ``html``, ``txt`` or ``json``.

    See ``setsafety.lessons.render_lessons``. It is imported on first use, so that
    ``import setsafety`` does not load the templates or Jinja2.
    """
    from setsafety.lessons import render_lessons as render

    return render(case_or_analysis, format=format, audience=audience, protocol=protocol, record=record)
