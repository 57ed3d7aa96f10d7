"""Across cases: how often each layer does not
hold in a library of cases, which cases are alike, and a flat table for export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from setsafety.analysis.results import NOT_HELD, Analysis, is_not_held
from setsafety.phrasing import factor_words


@attrs.frozen(kw_only=True)
class LayerStat:
    """How often one layer of one protocol did not hold, and in which cases."""

    protocol: str
    layer: str
    name: str
    cases: tuple[str, ...]
    not_held: tuple[str, ...]
    states: dict[str, tuple[str, ...]]

    @property
    def known(self) -> tuple[str, ...]:
        """The cases whose records had the facts to derive this layer's state."""
        return tuple(case for state, cases in self.states.items()
                     if state not in ("unknown", "not-applicable") for case in cases)


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


EXPORT_FIELDS = (
    "case", "title", "protocol", "layer", "layer_name", "order", "kind", "direct", "state", "not_held",
    "evidence_count", "sources",
)


def export_rows(analyses: Iterable[Analysis]) -> list[dict[str, Any]]:
    """One flat row per case and layer, for spreadsheets and data frames."""
    return [
        {
            "case": analysis.case, "title": analysis.title, "protocol": analysis.protocol,
            "layer": layer.id, "layer_name": layer.name, "order": layer.order, "kind": layer.kind,
            "direct": layer.direct, "state": layer.state, "not_held": is_not_held(layer.state),
            "evidence_count": len(layer.evidence),
            "sources": " ".join(dict.fromkeys(source for item in layer.evidence for source in item.sources)),
        }
        for analysis in analyses
        for layer in analysis.layers
    ]
