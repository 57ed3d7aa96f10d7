"""Agreement with official findings: where an investigation named a layer, does the
state derived from the facts agree? The findings are compared, never used as input."""

from __future__ import annotations

from setsafety.analysis.results import Agreement, LayerResult, is_not_held
from setsafety.model import record as m


def agreement(record: m.Record, layers: tuple[LayerResult, ...]) -> tuple[Agreement, ...]:
    """One row per (finding, layer it names)."""
    states = {layer.id: layer.state for layer in layers}
    rows = []
    investigations = record.aftermath.investigations if record.aftermath else None
    for i, investigation in enumerate(investigations or ()):
        for j, finding in enumerate(investigation.findings or ()):
            for layer_id in finding.layers or ():
                verdict = finding.verdict or "not-determined"
                state = states.get(layer_id)
                agrees: bool | None
                if state is None:
                    agrees, note = None, "the protocol has no layer with this id"
                elif state in ("unknown", "not-applicable"):
                    agrees, note = None, f"the record's facts give '{state}' for this layer"
                elif verdict == "deficient":
                    agrees = is_not_held(state)
                    note = f"finding: deficient; derived: {state}"
                elif verdict == "adequate":
                    agrees = state == "held"
                    note = f"finding: adequate; derived: {state}"
                else:
                    agrees, note = None, "the finding does not say whether the layer held"
                rows.append(Agreement(
                    finding=finding.id, pointer=f"/aftermath/investigations/{i}/findings/{j}",
                    layer=layer_id, finding_verdict=verdict, derived_state=state, agrees=agrees, note=note,
                ))
    return tuple(rows)
