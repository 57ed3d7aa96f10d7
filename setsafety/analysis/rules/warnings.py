"""Rule: response to warnings before the event."""

from __future__ import annotations

from setsafety.analysis.facts import Facts, Scope, Verdict, sentence, short, worst
from setsafety.analysis.results import State

#: What a response level means for the layer.
_RESPONSE_STATE: dict[str, State] = {
    "none": "skipped", "acknowledged": "degraded", "investigated": "degraded", "fixed": "held",
}


def warning_response(facts: Facts, scope: Scope) -> Verdict:
    """Misfires, near misses, complaints and walk-outs investigated and fixed before work goes on."""
    warnings = facts.record.warnings
    if warnings is None:
        return Verdict("unknown", "The record does not say whether there were warnings before the event.")
    before = [(i, w) for i, w in enumerate(warnings) if facts.before_event(w.when)]
    if not before:
        return Verdict("not-applicable", "The record lists no warnings before the event.")
    states: list[State] = []
    evidence = []
    counts: dict[str, int] = {}
    for i, warning in before:
        level = warning.response.level if warning.response else "unknown"
        counts[level] = counts.get(level, 0) + 1
        when = f" ({warning.when.date})" if warning.when else ""
        evidence.append(facts.evidence(f"/warnings/{i}", warning,
                                       f"{warning.kind}{when}: {short(warning.description, 100)}"))
        if warning.response is not None:
            evidence.append(facts.evidence(f"/warnings/{i}/response", warning.response,
                                           f"response: {level}"))
        if level in _RESPONSE_STATE:
            states.append(_RESPONSE_STATE[level])
    said = [f"{count} warning(s) with response '{level}'" for level, count in sorted(counts.items())]
    state = worst(states)
    if state == "skipped" and "held" in states:
        state = "degraded"
    lead = {
        "skipped": "Warnings came before the event and nothing was done about some of them",
        "degraded": "Warnings were heard but not all were investigated and fixed",
        "held": "Every warning was investigated and fixed",
        "unknown": "The record does not say what was done about the warnings",
    }.get(state, "")
    return Verdict(state, sentence([lead, *said]), tuple(evidence))
