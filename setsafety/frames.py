"""The case library as pandas data frames, in the manner of scikit-learn's ``load_*(as_frame=True)``.

``load_frame(level)`` analyses the bundled cases (or those given) under every protocol that fits each (or
under one ``protocol``) and returns one tidy frame:

- ``"case"``: one row per case: its metadata;
- ``"layer"``: one row per case, protocol and layer: the rows of ``setsafety export``;
- ``"reason"``: one row per reason behind a layer's state;
- ``"evidence"``: one row per fact a layer's state rests on.

The README's *Python API* section has the data dictionary of each level. In every frame:

- a layer is identified by ``(protocol, layer)``: layer ids such as ``warning-response`` repeat across
  protocols;
- ``state`` is an ordered categorical, ``STATE_ORDER``: unknown < not-applicable < held < degraded < absent
  < skipped < failed, from "nothing to say" to the most serious, as ``setsafety.rules.combine`` ranks them; so
  ``frame.state > "held"`` selects exactly the layers not held;
- text columns have pandas' ``string`` dtype, counts ``Int64`` and flags ``boolean``, so that a missing value
  is ``pd.NA`` everywhere (never ``NaN``, ``None`` or ``""``);
- list columns (``hazards``, ``reason_codes``, ``sources``, ...) hold Python lists, never missing (an empty
  list when there is nothing).

pandas is an optional dependency: ``pip install "setsafety[pandas]"``. ``import setsafety`` never imports it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from setsafety._extras import require
from setsafety.errors import MissingExtraError

if TYPE_CHECKING:
    import pandas as pd

    from setsafety.analysis import Analysis
    from setsafety.model import Protocol, Record

__all__ = ["COLUMNS", "LEVELS", "Level", "MissingExtraError", "frame_rows", "load_frame"]

Level = Literal["case", "layer", "reason", "evidence"]
LEVELS: tuple[Level, ...] = ("case", "layer", "reason", "evidence")

_CASE = (
    ("case", "string"), ("title", "string"), ("date", "string"), ("year", "Int64"), ("decade", "Int64"),
    ("event_kind", "string"), ("hazards", "list"), ("severity", "string"), ("casualties", "Int64"),
    ("deaths", "Int64"), ("status", "string"), ("fictional", "boolean"), ("schema_version", "string"),
)
_KEY = (("case", "string"), ("protocol", "string"), ("layer", "string"), ("state", "state"))

#: Every level's columns, in order, with their kind: ``string``, ``Int64``, ``boolean`` (pandas' nullable
#: dtypes), ``state`` (the ordered categorical) or ``list`` (Python lists).
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "case": (*_CASE, ("protocols", "list"), ("sources", "list")),
    "layer": (
        *_CASE, ("setsafety_version", "string"), ("protocol", "string"), ("layer", "string"),
        ("layer_name", "string"), ("order", "Int64"), ("kind", "string"), ("direct", "boolean"), ("state", "state"),
        ("not_held", "boolean"), ("reason_codes", "list"), ("rationale", "string"), ("certainty", "string"),
        ("evidence_count", "Int64"), ("sources", "list"),
    ),
    "reason": (
        *_KEY, ("reason", "Int64"), ("code", "string"), ("reason_state", "string"), ("softens", "boolean"),
        ("parties", "list"), ("items", "list"), ("events", "list"), ("checks", "list"), ("pointers", "list"),
        ("sources", "list"), ("text", "string"),
    ),
    "evidence": (
        *_KEY, ("evidence", "Int64"), ("pointer", "string"), ("code", "string"), ("certainty", "string"),
        ("sources", "list"), ("text", "string"),
    ),
}


def frame_rows(level: Level, analyses: Iterable[Analysis]) -> list[dict[str, Any]]:
    """The rows of a level's frame as plain dicts (lists as lists, ``None`` for a missing value), without
    pandas: what ``load_frame`` turns into a DataFrame."""
    from setsafety.analysis import export_rows
    from setsafety.analysis.library import case_row

    found = list(analyses)
    if level == "layer":
        return export_rows(found)
    if level == "case":
        by_case: dict[str, dict[str, Any]] = {}
        for analysis in found:
            row = by_case.get(analysis.case)
            if row is None:
                row = by_case[analysis.case] = {**case_row(analysis.record), "protocols": [],
                                                "sources": [source.id for source in analysis.record.sources]}
            row["protocols"].append(analysis.protocol)
        return list(by_case.values())
    rows: list[dict[str, Any]] = []
    for analysis in found:
        words = analysis.words()
        for layer in analysis.layers:
            key = {"case": analysis.case, "protocol": analysis.protocol, "layer": layer.id, "state": layer.state}
            if level == "reason":
                rows += [{**key, "reason": number, "code": reason.code, "reason_state": reason.state,
                          "softens": reason.softens, "parties": list(reason.parties.values()),
                          "items": list(reason.items), "events": list(reason.events), "checks": list(reason.checks),
                          "pointers": list(reason.pointers), "sources": list(reason.sources),
                          "text": words.reason(reason)}
                         for number, reason in enumerate(layer.reasons)]
            elif level == "evidence":
                rows += [{**key, "evidence": number, "pointer": item.pointer, "code": item.code,
                          "certainty": item.certainty, "sources": list(item.sources), "text": words.evidence(item)}
                         for number, item in enumerate(layer.evidence)]
            else:
                raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    return rows


def load_frame(
    level: Level = "layer",
    cases: Iterable[Record | str | os.PathLike[str]] | None = None,
    protocol: Protocol | str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """The case library as a pandas DataFrame at one ``level``: ``"case"``, ``"layer"`` (the default),
    ``"reason"`` or ``"evidence"``.

    ``cases``: the bundled cases (default) or the records, case ids or record files given, each analysed
    under every bundled protocol that fits it, or under ``protocol`` only (a ``Protocol``, a bundled id or
    a file; cases it does not cover are left out). ``state`` is an ordered categorical (``STATE_ORDER``), a
    missing value is ``pd.NA``, list columns hold lists. Needs pandas: ``pip install "setsafety[pandas]"``
    (without it, ``MissingExtraError``, an ``ImportError``, says so).
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    pandas = require("pandas", "pandas", "setsafety.load_frame")
    from setsafety._api import analyze_library
    from setsafety.analysis import STATE_ORDER

    rows = frame_rows(level, analyze_library(cases, protocol))
    return _frame(pandas, COLUMNS[level], rows, STATE_ORDER)


def _frame(pandas: Any, columns: tuple[tuple[str, str], ...], rows: list[dict[str, Any]],
           states: tuple[str, ...]) -> pd.DataFrame:
    data: dict[str, Any] = {}
    for name, kind in columns:
        values = [row[name] for row in rows]
        if kind == "list":
            data[name] = pandas.Series(values, dtype=object)
        elif kind == "state":
            data[name] = pandas.Series(pandas.Categorical(values, categories=list(states), ordered=True))
        else:
            data[name] = pandas.Series(values, dtype=kind)
    frame: pd.DataFrame = pandas.DataFrame(data, columns=[name for name, _ in columns])
    return frame

