"""Lesson summaries for safety training, from a record and its analysis.

A lesson says what happened, which safeguard layers did not hold and how we
know, what good practice at each would have done, what the reader's own role
can do, questions for discussion, a checklist and the sources::

    from setsafety.lessons import render_lessons

    text = render_lessons(setsafety.load_case("my-incident.json"), format="html", audience="first-ad")

Text comes from the record (its authors' words) and the protocol (its lesson
texts); people are named by their role on the production. Formats: Markdown
(``md``), standalone printable HTML (``html``) with inline SVG figures, plain
text (``txt``) and ``json``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from setsafety._control import escape_json_text, strip_controls
from setsafety.analysis import Analysis, analyze, protocol_for
from setsafety.lessons._build import LessonError, build_lesson, build_pack
from setsafety.lessons._model import Lesson, Pack
from setsafety.lessons._render import FORMATS, render_lesson, render_pack_data
from setsafety.model import Protocol, Record
from setsafety.protocols import load_protocol

__all__ = [
    "FORMATS", "Lesson", "LessonError", "Pack", "lesson", "pack", "render_lessons", "render_pack",
]

ProtocolArg = Protocol | str | Path | None


def _check_format(format: str) -> None:  # noqa: A002 - the public keyword is format=
    if format not in FORMATS:
        raise LessonError(f"unknown format {format!r}; choose one of: {', '.join(FORMATS)}")


def _protocol(record: Record, given: ProtocolArg, analysis: Analysis | None) -> Protocol:
    if given is None and analysis is not None:
        return load_protocol(analysis.protocol)
    return protocol_for(record, given)


def _pair(case: Record | Analysis, protocol: ProtocolArg, record: Record | None = None,
          ) -> tuple[Record, Analysis, Protocol]:
    """The record, its analysis and the protocol, from either a record or an analysis."""
    if isinstance(case, Record):
        chosen = _protocol(case, protocol, None)
        return case, analyze(case, chosen), chosen
    if not isinstance(case, Analysis):
        raise TypeError(f"a lesson is made from a Record (from setsafety.load_case) or an Analysis, "
                        f"not {type(case).__name__}")
    if record is None:
        record = case.record  # the record analysed, never a bundled case that shares its id
    return record, case, _protocol(record, protocol, case)


def lesson(case_or_analysis: Record | Analysis, audience: str = "crew", protocol: ProtocolArg = None,
           *, record: Record | None = None) -> Lesson:
    """The data of a lesson (what every format renders), for tools that want the objects."""
    found, result, chosen = _pair(case_or_analysis, protocol, record)
    return build_lesson(found, result, chosen, audience)


def pack(records_or_analyses: Iterable[Record | Analysis], audience: str = "crew",
         protocol: ProtocolArg = None) -> Pack:
    """The data of a lesson pack over several cases. Each case is taken under the protocol it fits (or
    the one its analysis used), so one pack may mix protocols: its layers are grouped by protocol
    (``Pack.protocols``). Give ``protocol`` to put every case under one protocol."""
    given = protocol if protocol is None or isinstance(protocol, Protocol) else load_protocol(protocol)
    triples = []
    for item in records_or_analyses:
        found, result, chosen = _pair(item, given)
        triples.append((found, result, chosen))
    if not triples:
        raise LessonError("a lesson pack needs at least one case")
    return build_pack(triples, audience)


def render_lessons(case_or_analysis: Record | Analysis, format: str = "md",  # noqa: A002 - public keyword
                   audience: str = "crew", protocol: ProtocolArg = None, *, record: Record | None = None) -> str:
    """A lesson summary of one case for one audience, as ``md``, ``html``, ``txt`` or ``json``.

    Give a ``Record`` (it is analysed here) or an ``Analysis`` (it carries its record;
    ``record=`` is kept for older callers). ``protocol`` is a
    protocol, a bundled protocol id or a file (default: the one the case fits,
    or the one the analysis used).
    """
    _check_format(format)
    return _safe(render_lesson(lesson(case_or_analysis, audience, protocol, record=record), format), format)


def render_pack(records_or_analyses: Iterable[Record | Analysis], format: str = "md",  # noqa: A002
                audience: str = "crew", protocol: ProtocolArg = None) -> str:
    """A lesson pack over several cases: for each layer, in how many cases it did
    not hold and which, then its lesson once."""
    _check_format(format)
    return _safe(render_pack_data(pack(records_or_analyses, audience, protocol), format), format)


def _safe(text: str, format: str) -> str:  # noqa: A002 - the public keyword is format=
    """The rendered lesson with no control, bidi or invisible character left anywhere (an SVG title and an
    aria-label included): dropped from text, Markdown and HTML, escaped as ``\\uXXXX`` in JSON."""
    return escape_json_text(text) if format == "json" else strip_controls(text)
