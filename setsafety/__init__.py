"""setsafety: film and TV set safety incidents as data.

Load a case, validate a record, work out which safeguard layers held or failed,
and write lesson summaries for safety training::

    import setsafety

    print(setsafety.list_cases())                  # the bundled case ids
    case = setsafety.load_case(setsafety.list_cases()[0])
    problems = setsafety.validate("my-incident.json")
"""

from __future__ import annotations

import os
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
    "analyze",
    "analyze_all",
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


def _record(case: Record | str | os.PathLike[str]) -> Record:
    """A record as given, or a bundled case by id, or a record file by path."""
    return case if isinstance(case, Record) else load_case(case)


def analyze(case: Record | str | os.PathLike[str], protocol: Protocol | str | Path | None = None) -> Analysis:
    """Every layer's state, with reasons and evidence, for a record, a bundled case id or a record file.

    Under ``protocol`` (a ``Protocol``, a bundled id or a file) if given, else under the bundled protocol that
    covers most of the case's hazards; ``analyze_all`` gives every protocol that fits. The analysers are
    imported on first use, so that ``import setsafety`` stays quick.
    """
    from setsafety.analysis import analyze as derive

    return derive(_record(case), protocol)


def analyze_all(case: Record | str | os.PathLike[str]) -> list[Analysis]:
    """The case analysed under every bundled protocol whose hazards it involves (none: an empty list)."""
    from setsafety.analysis import analyze_all as derive_all

    return derive_all(_record(case))


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
