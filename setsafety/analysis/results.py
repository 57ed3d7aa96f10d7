"""What the analyses return: typed, immutable results, as data (codes and ids, never sentences).

``setsafety.phrasing`` turns them into words; ``Analysis.to_dict`` (and ``to_json``) gives both.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from typing import Any, Literal

import attrs

from setsafety import phrasing
from setsafety._control import escape_controls
from setsafety.model import Record
from setsafety.model.record import CustodyEvent
from setsafety.rules.findings import NOT_HELD, SEVERITY, About, Evidence, Reason, State, is_not_held

__all__ = [
    "NOT_HELD", "SEVERITY", "STATE_ORDER", "Agreement", "Analysis", "CustodyIssue", "CustodyReport", "CustodyStep",
    "Evidence", "EvidenceQuality", "Factor", "LayerResult", "Reason", "State", "WarningReport", "is_not_held",
]


#: Every state, from "nothing to say" to the most serious: the reverse of ``SEVERITY``, the order in which
#: ``setsafety.rules.combine`` lets one state outrank another. So ``state > "held"`` is exactly ``NOT_HELD``
#: (degraded, absent, skipped, failed), and the largest state of a group is the one ``combine`` would give.
#: ``load_frame`` makes its ``state`` column an ordered categorical in this order.
STATE_ORDER: tuple[State, ...] = tuple(reversed(SEVERITY))
#: The order in which a short summary lists the states: held first, then worse and worse, then the rest.
_SUMMARY_ORDER: tuple[State, ...] = (*STATE_ORDER[2:], *STATE_ORDER[1::-1])


def _plain(value: Any) -> Any:
    """JSON-ready data: tuples as lists, all the way down."""
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


@attrs.frozen(kw_only=True)
class LayerResult:
    """The derived state of one safeguard layer, with why and on what evidence."""

    id: str
    name: str
    order: int
    kind: str
    direct: bool
    rule: str
    state: State
    reasons: tuple[Reason, ...]
    evidence: tuple[Evidence, ...]

    def __repr__(self) -> str:
        return (f"<LayerResult {self.id}: {self.state}, {len(self.reasons)} reason(s), "
                f"{len(self.evidence)} evidence>")


@attrs.frozen(kw_only=True)
class CustodyStep:
    """One event of an item's chain, with who held the item after it."""

    pointer: str
    action: str
    by: str | None
    holder_after: str | None
    when: str | None
    verification: str | None
    event: CustodyEvent = attrs.field(eq=False, repr=False)


IssueKind = Literal["unverified-handover", "unattended", "gap", "unqualified-custodian", "no-inspection-after-break"]


@attrs.frozen(kw_only=True)
class CustodyIssue(About):
    """Something wrong in a chain of custody: ``code`` is its kind, with the parties, items and
    events it concerns."""

    pointer: str
    sources: tuple[str, ...]

    @property
    def kind(self) -> IssueKind:
        """The kind of issue (its code)."""
        return self.code  # type: ignore[return-value]


@attrs.frozen(kw_only=True)
class CustodyReport:
    """The reconstructed chain of one item and what is wrong with it.

    ``last_full_inspection`` points at the last full check before the use, and
    ``hours_since_inspection`` is the time from it to the use, where both are
    timed. ``breaks_since_inspection`` points at the breaks since the weapons
    staff last checked the item (at any level).
    """

    item: str
    chain: tuple[CustodyStep, ...]
    issues: tuple[CustodyIssue, ...]
    last_full_inspection: str | None
    breaks_since_inspection: tuple[str, ...]
    hours_since_inspection: float | None


@attrs.frozen(kw_only=True)
class WarningReport:
    """A warning before the event: how long before, and what was done."""

    id: str
    pointer: str
    kind: str
    date: str | None
    days_before: int | None
    raised_by: tuple[str, ...]
    response: str
    sources: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Factor:
    """A contributing factor: a fact behind one or more layers that did not hold.

    ``code`` names the kind of fact so that it compares across cases (``condition.dual-role``,
    ``custody.handed-over.glance``); ``evidence`` is the fact as the first layer cited it.
    """

    pointer: str
    code: str
    evidence: Evidence
    level: Literal["organizational-influences", "unsafe-supervision", "preconditions", "unsafe-acts"]
    active: bool
    layers: tuple[str, ...]
    sources: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Agreement:
    """Whether an official finding that names a layer agrees with the derived state."""

    finding: str
    pointer: str
    layer: str
    finding_verdict: str
    derived_state: State | None
    agrees: bool | None
    note: str


@attrs.frozen(kw_only=True)
class EvidenceQuality:
    """How well the findings are sourced."""

    facts_cited: int
    single_source: tuple[str, ...]
    official_backed: int
    disputed: tuple[str, ...]
    alleged: tuple[str, ...]
    undetermined: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Analysis:
    """Everything the analyzers derived from one record under one protocol, and the record
    (``record``: left out of comparison and repr)."""

    record: Record = attrs.field(eq=False, repr=False)
    case: str
    title: str
    protocol: str
    protocol_name: str
    layers: tuple[LayerResult, ...]
    path: tuple[str, ...]
    stoppers: tuple[str, ...]
    custody: tuple[CustodyReport, ...]
    warnings: tuple[WarningReport, ...]
    factors: tuple[Factor, ...]
    agreement: tuple[Agreement, ...]
    evidence_quality: EvidenceQuality

    def layer(self, layer_id: str) -> LayerResult | None:
        """The result for this layer id, if the protocol has it."""
        for layer in self.layers:
            if layer.id == layer_id:
                return layer
        return None

    def not_held(self) -> tuple[LayerResult, ...]:
        """The layers that let the hazard through, in protocol order."""
        return tuple(layer for layer in self.layers if is_not_held(layer.state))

    def words(self, speaker: phrasing.Speaker | None = None) -> phrasing.Phrasing:
        """The phrasing of this analysis: parties by name unless another ``speaker`` is given."""
        return phrasing.Phrasing(speaker or phrasing.Names(self.record))

    def rationale(self, layer: LayerResult, speaker: phrasing.Speaker | None = None) -> str:
        """Why a layer is in its state, in words."""
        return self.words(speaker).rationale(layer.state, layer.reasons)

    def __repr__(self) -> str:
        counts = Counter(layer.state for layer in self.layers)
        said = ", ".join(f"{counts[state]} {state}" for state in _SUMMARY_ORDER if counts[state])
        return f"<Analysis {self.case} {self.protocol}: {said or 'no layers'}>"

    def _repr_html_(self) -> str:
        """The layer table, for Jupyter: every text from the record or the protocol escaped."""
        words = self.words()

        def text(value: object) -> str:
            return html.escape(escape_controls(str(value)))

        rows = "".join(
            f"<tr style='text-align:left;vertical-align:top'><td>{layer.order}</td>"
            f"<td><code>{text(layer.id)}</code></td><td>{text(layer.name)}</td>"
            f"<td>{text(layer.state)}</td><td>{text(words.rationale(layer.state, layer.reasons))}</td>"
            f"<td>{len(layer.evidence)}</td></tr>"
            for layer in self.layers
        )
        return (f"<div><p><b>{text(self.title)}</b> (<code>{text(self.case)}</code>) under the "
                f"{text(self.protocol_name)} (<code>{text(self.protocol)}</code>)</p>"
                "<table><thead><tr style='text-align:left'><th>#</th><th>layer</th><th>name</th><th>state</th>"
                f"<th>why</th><th>evidence</th></tr></thead><tbody>{rows}</tbody></table></div>")

    def to_json(self, speaker: phrasing.Speaker | None = None) -> str:
        """The JSON text printed by ``setsafety analyze --format json`` (``to_dict`` as JSON, indented)."""
        return json.dumps(self.to_dict(speaker), indent=2, ensure_ascii=False)

    def to_dict(self, speaker: phrasing.Speaker | None = None) -> dict[str, Any]:
        """The analysis as plain JSON data (dicts, lists, strings, numbers, booleans, ``None``; never a
        tuple): every finding as data (its code and the ids it concerns) with its words (``text``,
        ``summary``, ``rationale``), as ``setsafety analyze --format json`` prints it."""
        words = self.words(speaker)
        data: dict[str, Any] = attrs.asdict(
            self, recurse=True,
            filter=lambda field, _: field.name not in ("record", "fact", "event", "evidence", "reasons", "layers",
                                                      "custody", "factors"),
        )
        data["layers"] = [
            {**attrs.asdict(layer, filter=lambda field, _: field.name not in ("reasons", "evidence")),
             "rationale": words.rationale(layer.state, layer.reasons),
             "reasons": [phrasing.as_json(reason, words.reason(reason)) for reason in layer.reasons],
             "evidence": [_evidence_json(item, words) for item in layer.evidence]}
            for layer in self.layers
        ]
        data["custody"] = [
            {**attrs.asdict(report, filter=lambda field, _: field.name not in ("issues", "chain", "event")),
             "chain": [attrs.asdict(step, filter=lambda field, _: field.name != "event") for step in report.chain],
             "issues": [{**phrasing.as_json(issue, words.issue(issue)), "kind": issue.kind,
                         "summary": words.issue(issue)} for issue in report.issues]}
            for report in self.custody
        ]
        data["factors"] = [
            {**attrs.asdict(factor, filter=lambda field, _: field.name != "evidence"),
             "summary": words.evidence(factor.evidence), "evidence": _evidence_json(factor.evidence, words)}
            for factor in self.factors
        ]
        keys = ["case", "title", "protocol", "protocol_name", "layers", "path", "stoppers", "custody", "warnings",
                "factors", "agreement", "evidence_quality"]
        plain: dict[str, Any] = _plain({key: data[key] for key in keys})
        return plain


def _evidence_json(item: Evidence, words: phrasing.Phrasing) -> dict[str, Any]:
    found = phrasing.as_json(item, words.evidence(item))
    return {"pointer": found.pop("pointer"), "summary": found.pop("text"), "sources": found.pop("sources"),
            "certainty": found.pop("certainty"), **found}
