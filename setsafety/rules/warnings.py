"""Rule: response to warnings before the event."""

from __future__ import annotations

from setsafety.rules.base import Rule, Tally
from setsafety.rules.facts import Facts, Scope
from setsafety.rules.findings import Finding, Reason, State, combine

#: What a response level means for the layer.
_RESPONSE_STATE: dict[str, State] = {
    "none": "skipped", "acknowledged": "degraded", "investigated": "degraded", "fixed": "held",
}
#: The context reason that leads the rationale, by the layer's state.
_LEAD = {
    "skipped": "warnings.some-ignored", "degraded": "warnings.not-all-fixed", "held": "warnings.all-fixed",
    "unknown": "warnings.response-unknown",
}


def warning_response(facts: Facts, scope: Scope) -> Finding:
    """Misfires, near misses, complaints and walk-outs investigated and fixed before work goes on.

    Each warning before the event counts by its response: none -> skipped, acknowledged or
    investigated -> degraded, fixed -> held (and a fixed one softens skipped to degraded). No
    warnings recorded before the event: not applicable.
    """
    tally = Tally(facts)
    warnings = facts.record.warnings
    if warnings is None:
        return tally.finding("warnings.not-recorded")
    before = [(i, w) for i, w in enumerate(warnings) if facts.before_event(w.when)]
    if not before:
        tally.reason("warnings.none-before", "not-applicable")
        return tally.finding("warnings.none-before")
    by_level: dict[str, list[tuple[int, str]]] = {}
    cited = {}
    for i, warning in before:
        level: str = warning.response.level if warning.response else "unknown"
        by_level.setdefault(level, []).append((i, warning.id))
        values = {"kind": warning.kind, "text": warning.description,
                  **({"date": warning.when.date} if warning.when and warning.when.date else {})}
        cited[i] = [tally.cite(f"/warnings/{i}", warning, "warning", events=[warning.id], values=values)]
        if warning.response is not None:
            cited[i].append(tally.cite(f"/warnings/{i}/response", warning.response, "warning.response",
                                       events=[warning.id], values={"level": level}))
    counted: list[Reason] = []
    for level, found in sorted(by_level.items()):
        counted.append(tally.reason(
            "warnings.response-count", _RESPONSE_STATE.get(level),
            *(item for i, _ in found for item in cited[i]), softens=level == "fixed",
            events=[warning_id for _, warning_id in found], counts={"warnings": len(found)},
            values={"level": level},
        ))
    combined = combine(counted)
    if combined in _LEAD:  # leads the rationale; it counts only where the responses say nothing
        tally.reasons.insert(0, Reason(code=_LEAD[combined], state="unknown" if combined == "unknown" else None))
    return tally.finding("warnings.not-recorded")


WARNING_RESPONSE = Rule(
    id="warning-response", derive=warning_response,
    reads="`warnings` before the event and each one's `response.level` (`none`, `acknowledged`, `investigated`, "
          "`fixed`)",
    states={
        "skipped": "warnings came before the event and nothing was done about them",
        "degraded": "warnings were heard, but not all were investigated and fixed",
        "held": "every warning was investigated and fixed",
        "not-applicable": "the record lists no warnings before the event",
        "unknown": "the record does not say whether there were warnings, or what was done",
    },
)
