"""Layer analysis: every layer's state, the Swiss-cheese path, and the stoppers."""

from __future__ import annotations

from setsafety.analysis.results import LayerResult, is_not_held
from setsafety.model import Protocol
from setsafety.rules import RULES, Facts, rule_problems, scope_for

__all__ = ["layer_results", "rule_problems", "stoppers", "swiss_cheese_path"]


def layer_results(facts: Facts, protocol: Protocol) -> tuple[LayerResult, ...]:
    """The state of every layer, in protocol order (the protocol's rules are known: ``load_protocol``
    checked them)."""
    results = []
    for layer in protocol.ordered_layers():
        rule = RULES[layer.rule_id]
        finding = rule(facts, scope_for(rule, protocol, layer))
        results.append(LayerResult(
            id=layer.id, name=layer.name, order=layer.order, kind=layer.kind, direct=bool(layer.direct),
            rule=rule.id, state=finding.state, reasons=finding.reasons, evidence=finding.evidence,
        ))
    return tuple(results)


def swiss_cheese_path(results: tuple[LayerResult, ...]) -> tuple[str, ...]:
    """The layers the hazard passed through (did not hold), outermost first."""
    return tuple(result.id for result in results if is_not_held(result.state) and result.kind != "mitigating")


def stoppers(results: tuple[LayerResult, ...]) -> tuple[str, ...]:
    """The layers any one of which, had it held, would have stopped the event:
    the direct barriers that did not hold."""
    return tuple(result.id for result in results if result.direct and is_not_held(result.state))
