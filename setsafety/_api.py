"""The functions ``import setsafety`` offers beyond loading and validating: analysis of one case or of the
library, statistics, similar cases, export rows and lessons.

Each takes a record, a bundled case id or a record file, and imports the analysers on first use, so that
``import setsafety`` stays quick (it loads neither the analysers, Jinja2, jsonschema nor pandas).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from setsafety.cases import list_cases, load_case
from setsafety.model import Protocol, Record

if TYPE_CHECKING:
    from setsafety.analysis import Analysis, LayerStat, Similarity

#: A case: a loaded ``Record``, a bundled case id (``setsafety.list_cases()``) or the path of a record file.
CaseLike: TypeAlias = Record | str | os.PathLike[str]
#: A protocol: a loaded ``Protocol``, a bundled protocol id (``"firearms"``) or the path of a protocol file.
ProtocolLike: TypeAlias = Protocol | str | os.PathLike[str]


def record_of(case: CaseLike) -> Record:
    """A record as given, or a bundled case by id, or a record file by path."""
    if isinstance(case, Record):
        return case
    return load_case(case if isinstance(case, str) else Path(case))


def _protocol(protocol: ProtocolLike) -> Protocol | str | Path:
    return protocol if isinstance(protocol, (Protocol, str)) else Path(protocol)


def analyze(case: CaseLike, protocol: ProtocolLike | None = None) -> Analysis:
    """Every layer's state, with reasons and evidence, and the custody, warnings, contributing factors,
    agreement with official findings and evidence quality, for one case under one protocol.

    ``case`` is a ``Record``, a bundled case id or a record file; ``protocol`` a ``Protocol``, a bundled
    protocol id or a protocol file. Without ``protocol``: the one bundled protocol that fits the case's
    hazards. When several fit (a stunt on a vehicle: ``stunts-falls`` and ``vehicles``), it never picks one
    silently: it raises ``AmbiguousProtocolError``, whose message and ``protocols`` name them. Choose one
    with ``protocol=``, or take every one with ``analyze_all``. No bundled protocol fits:
    ``ProtocolNotFoundError``.
    """
    from setsafety.analysis import analyze as derive
    from setsafety.analysis import fitting_protocols

    record = record_of(case)
    if protocol is None:
        [chosen] = fitting_protocols(record)  # raises when several fit, or none
        return derive(record, chosen)
    return derive(record, _protocol(protocol))


def analyze_all(case: CaseLike, protocols: Iterable[ProtocolLike] | None = None) -> list[Analysis]:
    """The case analysed under every bundled protocol whose hazards it involves (those that cover most of
    them first; none fits: an empty list), or under each of ``protocols``."""
    from setsafety.analysis import analyze_all as derive_all

    chosen = None if protocols is None else [_protocol(protocol) for protocol in protocols]
    return derive_all(record_of(case), chosen)


def analyze_library(cases: Iterable[CaseLike] | None = None, protocol: ProtocolLike | None = None) -> list[Analysis]:
    """Every bundled case (or the ``cases`` given), each under every bundled protocol that fits it: what
    ``setsafety stats`` and ``setsafety export`` work from. A case no bundled protocol fits is left out.

    With ``protocol``, each case is analysed under that protocol only, and a case whose hazards it does not
    cover is left out.
    """
    from setsafety.analysis import analyze as derive
    from setsafety.analysis import analyze_all as derive_all
    from setsafety.protocols import load_protocol

    chosen = None
    if protocol is not None:
        given = _protocol(protocol)
        chosen = given if isinstance(given, Protocol) else load_protocol(given)
    results: list[Analysis] = []
    for case in list_cases() if cases is None else cases:
        record = record_of(case)
        if chosen is None:
            results.extend(derive_all(record))
        elif set(record.case.hazards) & set(chosen.hazards):
            results.append(derive(record, chosen))
    return results


def layer_stats(analyses: Iterable[Analysis] | None = None) -> list[LayerStat]:
    """Per protocol and layer (in protocol order): the cases analysed, those where the layer did not hold,
    those with the facts to tell (``known``), and the cases in each state. Of the whole bundled library
    unless ``analyses`` are given (from ``analyze_library`` or ``analyze_all``)."""
    from setsafety.analysis import layer_stats as stats

    return stats(analyze_library() if analyses is None else analyses)


def similar(case: CaseLike | Sequence[Analysis], library: Iterable[Analysis] | None = None) -> list[Similarity]:
    """The cases of the library (by default every bundled case) most like this one, best first: the score
    counts the layers both did not hold, plus half the kinds of contributing factor they share under the
    same protocol. ``case`` is a case (analysed under every protocol that fits it) or its analyses."""
    from setsafety.analysis import similar as alike

    target = analyze_all(case) if isinstance(case, (Record, str, os.PathLike)) else list(case)
    return alike(target, analyze_library() if library is None else library)


def export_rows(analyses: Iterable[Analysis] | None = None) -> list[dict[str, Any]]:
    """One flat row per case, protocol and layer (what ``setsafety export`` writes), of the whole bundled
    library unless ``analyses`` are given: JSON-ready dicts, lists as lists, ``None`` for a missing value.
    ``setsafety schema export`` (``schemas/export.schema.json``) describes every column."""
    from setsafety.analysis import export_rows as rows

    return rows(analyze_library() if analyses is None else analyses)


def render_lessons(
    case_or_analysis: Record | Analysis,
    format: str = "md",  # noqa: A002 - the documented keyword
    audience: str = "crew",
    protocol: Protocol | str | Path | None = None,
    *,
    record: Record | None = None,
) -> str:
    """A lesson summary of a case for an audience (``crew``, ``armorer``, ``first-ad``, ...), as ``md``,
    ``html``, ``txt`` or ``json``.

    See ``setsafety.lessons.render_lessons``. It is imported on first use, so that ``import setsafety``
    does not load the templates or Jinja2.
    """
    from setsafety.lessons import render_lessons as render

    return render(case_or_analysis, format=format, audience=audience, protocol=protocol, record=record)
