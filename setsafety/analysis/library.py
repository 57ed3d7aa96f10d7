"""Across cases: how often each layer does not
hold in a library of cases, which cases are alike, and a flat table for export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from setsafety.analysis.results import NOT_HELD, Analysis, is_not_held
from setsafety.model import Record
from setsafety.phrasing import factor_words


@attrs.frozen(kw_only=True)
class LayerStat:
    """How often one layer of one protocol did not hold, and in which cases.

    ``known`` (the cases whose records had the facts to derive the layer's state: every state but
    ``unknown`` and ``not-applicable``) is worked out from ``states``; it is a field, so ``to_dict()``
    and ``attrs.asdict`` keep it.
    """

    protocol: str
    layer: str
    name: str
    cases: tuple[str, ...]
    not_held: tuple[str, ...]
    states: dict[str, tuple[str, ...]]
    known: tuple[str, ...] = attrs.field(init=False)

    @known.default
    def _known(self) -> tuple[str, ...]:
        return tuple(case for state, cases in self.states.items()
                     if state not in ("unknown", "not-applicable") for case in cases)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data: lists, never tuples (what ``setsafety stats --format json`` prints per layer)."""
        return {
            "protocol": self.protocol, "layer": self.layer, "name": self.name, "cases": list(self.cases),
            "not_held": list(self.not_held), "states": {state: list(cases) for state, cases in self.states.items()},
            "known": list(self.known),
        }


def layer_stats(analyses: Iterable[Analysis]) -> list[LayerStat]:
    """Per protocol and layer, in protocol order: the cases analysed and those where it did not hold."""
    table: dict[tuple[str, str], dict[str, Any]] = {}
    for analysis in analyses:
        for layer in analysis.layers:
            entry = table.setdefault((analysis.protocol, layer.id), {
                "name": layer.name, "order": layer.order, "cases": [], "states": {},
            })
            entry["cases"].append(analysis.case)
            entry["states"].setdefault(layer.state, []).append(analysis.case)
    stats = [
        LayerStat(
            protocol=protocol, layer=layer, name=entry["name"], cases=tuple(entry["cases"]),
            not_held=tuple(case for state in NOT_HELD for case in entry["states"].get(state, ())),
            states={state: tuple(cases) for state, cases in sorted(entry["states"].items())},
        )
        for (protocol, layer), entry in table.items()
    ]
    order = {key: entry["order"] for key, entry in table.items()}
    return sorted(stats, key=lambda stat: (stat.protocol, order[(stat.protocol, stat.layer)]))


@attrs.frozen(kw_only=True)
class Similarity:
    """Another case that shares layers that did not hold, or kinds of contributing factor (their
    codes, ``position.in-line-of-fire``: shared only when found under the same protocol)."""

    case: str
    title: str
    score: float
    shared_layers: tuple[str, ...]
    shared_factors: tuple[str, ...]

    @property
    def reason(self) -> str:
        """Why the case is alike, in words."""
        parts = []
        if self.shared_layers:
            parts.append("both did not hold: " + ", ".join(self.shared_layers))
        if self.shared_factors:
            parts.append("shared factors: " + "; ".join(factor_words(code) for code in self.shared_factors))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data, with ``reason`` in words (what ``setsafety similar --format json`` prints)."""
        return {
            "case": self.case, "title": self.title, "score": self.score, "shared_layers": list(self.shared_layers),
            "shared_factors": list(self.shared_factors), "reason": self.reason,
        }


def similar(target: list[Analysis], library: Iterable[Analysis]) -> list[Similarity]:
    """Cases of the library like the target (its analyses under one or more protocols), best first.

    The score counts the layers both cases did not hold, plus half the kinds of contributing
    factor they share (by code, under the same protocol: a person in the line of fire of a gun is
    not one in the path of a helicopter); cases that share nothing are left out.
    """
    if not target:
        return []
    case_id = target[0].case
    mine_layers = {layer.id for analysis in target for layer in analysis.not_held()}
    mine_factors = {_factor(analysis, factor.code) for analysis in target for factor in analysis.factors}
    grouped: dict[str, list[Analysis]] = {}
    for analysis in library:
        if analysis.case != case_id:
            grouped.setdefault(analysis.case, []).append(analysis)
    found = []
    for other, analyses in grouped.items():
        layers = sorted(mine_layers & {layer.id for a in analyses for layer in a.not_held()})
        shared = mine_factors & {_factor(a, factor.code) for a in analyses for factor in a.factors}
        factors = sorted({code for _, code in shared})
        if not layers and not factors:
            continue
        found.append(Similarity(
            case=other, title=analyses[0].title, score=len(layers) + 0.5 * len(factors),
            shared_layers=tuple(layers), shared_factors=tuple(factors),
        ))
    return sorted(found, key=lambda item: (-item.score, item.case))


def _factor(analysis: Analysis, code: str) -> tuple[str, str]:
    """A factor's identity across cases: its code under its protocol."""
    return analysis.protocol, code


#: How certain a fact is, from the most to the least: the ``certainty`` of an export row is the least
#: certain of its evidence's.
CERTAINTY_ORDER = ("established", "reported", "alleged", "disputed", "undetermined")
#: How bad a casualty is, from the worst: a case's ``severity`` is its worst casualty's.
SEVERITY_ORDER = ("fatal", "serious", "minor", "none")
#: What goes between the items of a list in a CSV cell (ids and codes never hold a space).
LIST_DELIMITER = " "

#: The columns of ``case_row``, in order.
CASE_FIELDS = (
    "case", "title", "date", "year", "decade", "event_kind", "hazards", "severity", "casualties", "deaths",
    "status", "fictional", "schema_version",
)
#: The columns of an export row (``export_rows``), in order; ``schemas/export.schema.json`` describes each.
EXPORT_FIELDS = (
    *CASE_FIELDS, "setsafety_version", "protocol", "layer", "layer_name", "order", "kind", "direct", "state",
    "not_held", "reason_codes", "rationale", "certainty", "evidence_count", "sources",
)


def case_row(record: Record) -> dict[str, Any]:
    """A record's metadata as one flat row: id, title, date (as precise as the record gives it), year and
    decade, kind of event, hazards, the worst casualty's severity, the number of casualties and of deaths
    (``None`` when the record does not list casualties), review status, whether it is fictional, and the
    format version of the record."""
    case = record.case
    year = int(case.date[:4])
    listed = record.outcome.casualties if record.outcome is not None else None
    severity = None
    if listed is not None:
        severity = min((casualty.severity for casualty in listed), key=SEVERITY_ORDER.index, default="none")
    return {
        "case": record.id, "title": case.title, "date": case.date, "year": year, "decade": year // 10 * 10,
        "event_kind": case.event_kind, "hazards": list(case.hazards), "severity": severity,
        "casualties": None if listed is None else len(listed),
        "deaths": None if listed is None else sum(casualty.severity == "fatal" for casualty in listed),
        "status": case.status, "fictional": bool(case.fictional), "schema_version": record.schema_version,
    }


def least_certain(certainties: Iterable[str | None]) -> str | None:
    """The least certain of these certainties (``None``: no fact says how certain it is)."""
    stated = [certainty for certainty in certainties if certainty in CERTAINTY_ORDER]
    return max(stated, key=CERTAINTY_ORDER.index) if stated else None


def export_rows(analyses: Iterable[Analysis]) -> list[dict[str, Any]]:
    """One flat row per case, protocol and layer, for spreadsheets and data frames: the case's metadata
    (``case_row``), provenance (setsafety's version, the record's format version), the layer's state, its
    reason codes and rationale in words, the least certain of its evidence, and the sources it rests on.

    Lists are lists and a missing value is ``None``; ``schemas/export.schema.json`` describes every column.
    """
    from setsafety import __version__

    rows = []
    cases: dict[int, dict[str, Any]] = {}
    for analysis in analyses:
        meta = cases.get(id(analysis.record))
        if meta is None:
            meta = cases[id(analysis.record)] = case_row(analysis.record)
        words = analysis.words()
        for layer in analysis.layers:
            rows.append({
                **meta, "hazards": list(meta["hazards"]), "setsafety_version": __version__,
                "protocol": analysis.protocol, "layer": layer.id, "layer_name": layer.name, "order": layer.order,
                "kind": layer.kind, "direct": layer.direct, "state": layer.state,
                "not_held": is_not_held(layer.state),
                "reason_codes": list(dict.fromkeys(reason.code for reason in layer.reasons)),
                "rationale": words.rationale(layer.state, layer.reasons),
                "certainty": least_certain(item.certainty for item in layer.evidence),
                "evidence_count": len(layer.evidence),
                "sources": list(dict.fromkeys(source for item in layer.evidence for source in item.sources)),
            })
    return rows
