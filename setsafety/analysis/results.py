"""What the analyses return: typed, immutable results with a JSON form."""

from __future__ import annotations

from typing import Any, Literal

import attrs

State = Literal["held", "degraded", "failed", "skipped", "absent", "not-applicable", "unknown"]

#: States in which a layer let the hazard through.
NOT_HELD: tuple[State, ...] = ("failed", "skipped", "absent", "degraded")
#: From the most to the least serious, for combining observations.
SEVERITY: tuple[State, ...] = (
    "failed", "skipped", "absent", "degraded", "held", "not-applicable", "unknown",
)


def is_not_held(state: State) -> bool:
    """Whether a layer in this state let the hazard through."""
    return state in NOT_HELD


@attrs.frozen(kw_only=True)
class Evidence:
    """A fact a finding rests on: where it is in the record, what it says, who reports it."""

    pointer: str
    summary: str
    sources: tuple[str, ...]
    certainty: str | None = None


@attrs.frozen(kw_only=True)
class LayerResult:
    """The derived state of one safeguard layer, with why and on what evidence."""

    id: str
    name: str
    order: int
    kind: str
    direct: bool
    state: State
    rationale: str
    evidence: tuple[Evidence, ...]


@attrs.frozen(kw_only=True)
class CustodyStep:
    """One event of an item's chain, with who held the item after it."""

    pointer: str
    action: str
    by: str | None
    holder_after: str | None
    when: str | None
    verification: str | None


@attrs.frozen(kw_only=True)
class CustodyIssue:
    """Something wrong in a chain of custody."""

    kind: Literal[
        "unverified-handover", "unattended", "gap", "unqualified-custodian", "no-inspection-after-break",
    ]
    pointer: str
    summary: str
    sources: tuple[str, ...]


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

    ``key`` names the kind of fact in words that compare across cases
    ("condition dual-role", "custody handed-over (glance)").
    """

    pointer: str
    summary: str
    level: Literal["organizational-influences", "unsafe-supervision", "preconditions", "unsafe-acts"]
    active: bool
    layers: tuple[str, ...]
    sources: tuple[str, ...]
    key: str = ""


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
    """Everything the analyzers derived from one record under one protocol."""

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

    def to_json(self) -> dict[str, Any]:
        """The JSON form printed by ``setsafety analyze --format json``."""
        data: dict[str, Any] = attrs.asdict(self)
        return data
