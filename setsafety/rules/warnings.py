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
    investigated -> degraded, fixed -> held (and a fixed one softens skipped to degraded). A weapon's
    misfire or earlier firing in the custody chain is itself a warning, unless a recorded warning
    speaks of that weapon: a full inspection before its next load acted on it (held), none ignored it
    (skipped). No warnings before the event: not applicable.
    """
    tally = Tally(facts)
    warnings = facts.record.warnings
    misfires = _misfires(facts, tally)
    if warnings is None and not misfires:
        return tally.finding("warnings.not-recorded")
    before = [(i, w) for i, w in enumerate(warnings or ()) if facts.before_event(w.when)]
    if not before and not misfires:
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
    counted: list[Reason] = list(misfires)
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


#: Warning kinds that speak of a weapon's firing.
_FIRING_WARNINGS = frozenset({"misfire", "squib", "accidental-discharge", "malfunction"})


def _misfires(facts: Facts, tally: Tally) -> list[Reason]:
    """A reason for each misfire or earlier firing of a weapon of the event, before its use, that no
    recorded warning speaks of: held if a full inspection came before the next load, else skipped."""
    recorded = {item for warning in facts.record.warnings or () if warning.kind in _FIRING_WARNINGS
                for item in warning.about or ()}
    reasons = []
    for item in sorted(facts.weapon_ids - recorded):
        links = facts.chain(item)
        end = facts.use_position(links)
        for position, link in enumerate(links[:end]):
            if link.event.action not in ("misfired", "fired"):
                continue
            following = next((later for later in links[position + 1:end]
                              if later.event.action in ("inspected", "loaded")), None)
            acted = following is not None and following.event.action == "inspected" and (
                following.event.verification == "full")
            cited = tally.cite(link.pointer, link.event, "custody.misfired", parties={"by": link.event.by},
                               items=[item], events=[link.event.id], values={"action": link.event.action})
            reasons.append(tally.reason("warnings.misfire-acted-on" if acted else "warnings.misfire-ignored",
                                        "held" if acted else "skipped", cited, items=[item],
                                        events=[link.event.id], values={"action": link.event.action}))
    return reasons


WARNING_RESPONSE = Rule(
    id="warning-response", derive=warning_response,
    reads="`warnings` before the event and each one's `response.level` (`none`, `acknowledged`, `investigated`, "
          "`fixed`); custody `misfired` and `fired` events of the event's weapon that no warning speaks of, and "
          "whether a full inspection came before the next load",
    states={
        "skipped": "warnings came before the event and nothing was done about them",
        "degraded": "warnings were heard, but not all were investigated and fixed",
        "held": "every warning was investigated and fixed",
        "not-applicable": "the record lists no warnings before the event",
        "unknown": "the record does not say whether there were warnings, or what was done",
    },
)
