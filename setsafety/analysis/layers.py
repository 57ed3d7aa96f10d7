"""Layer analysis: every layer's state, the Swiss-cheese path, and the stoppers."""

from __future__ import annotations

from setsafety.analysis.facts import Facts, Scope
from setsafety.analysis.results import LayerResult, is_not_held
from setsafety.analysis.rules import NEEDS_CHECKS, RULES
from setsafety.model import Protocol
from setsafety.problems import Problem


def rule_problems(protocol: Protocol) -> list[Problem]:
    """Layers whose rule no analyzer provides."""
    problems = []
    for i, layer in enumerate(protocol.layers):
        if layer.rule_id in NEEDS_CHECKS and not layer.checks:
            problems.append(Problem(
                pointer=f"/layers/{i}", code="missing-checks",
                message=f"the rule {layer.rule_id!r} needs 'checks': the check kinds that speak to this layer",
            ))
        if layer.rule_id not in RULES:
            problems.append(Problem(
                pointer=f"/layers/{i}/rule" if layer.rule else f"/layers/{i}/id",
                code="unknown-rule",
                message=f"no analyzer rule named {layer.rule_id!r}; set 'rule' to one of: "
                        + ", ".join(sorted(RULES)),
            ))
    return problems


def layer_results(facts: Facts, protocol: Protocol) -> tuple[LayerResult, ...]:
    """The state of every layer, in protocol order."""
    results = []
    for layer in protocol.ordered_layers():
        scope = Scope(
            hazards=frozenset(protocol.hazards), checks=layer.checks,
            staff_roles=frozenset(layer.staff_roles) if layer.staff_roles else None, subject=layer.subject,
        )
        verdict = RULES[layer.rule_id](facts, scope)
        results.append(LayerResult(
            id=layer.id, name=layer.name, order=layer.order, kind=layer.kind,
            direct=bool(layer.direct), state=verdict.state, rationale=verdict.rationale,
            evidence=verdict.evidence,
        ))
    return tuple(results)


def swiss_cheese_path(results: tuple[LayerResult, ...]) -> tuple[str, ...]:
    """The layers the hazard passed through (did not hold), outermost first."""
    return tuple(result.id for result in results if is_not_held(result.state) and result.kind != "mitigating")


def stoppers(results: tuple[LayerResult, ...]) -> tuple[str, ...]:
    """The layers any one of which, had it held, would have stopped the event:
    the direct barriers that did not hold."""
    return tuple(result.id for result in results if result.direct and is_not_held(result.state))
