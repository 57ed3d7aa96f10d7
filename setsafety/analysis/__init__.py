"""Analyzers: from a record's facts to the state of each safeguard layer.

All findings are derived by general rules from the facts, each citing them as
JSON pointers into the record. Official findings that name a layer are only
compared with the derived state (``Analysis.agreement``), never used as input.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from setsafety.analysis.agreement import agreement
from setsafety.analysis.custody import custody_reports
from setsafety.analysis.factors import contributing_factors
from setsafety.analysis.layers import layer_results, stoppers, swiss_cheese_path
from setsafety.analysis.library import LayerStat, Similarity, export_rows, layer_stats, similar
from setsafety.analysis.quality import evidence_quality
from setsafety.analysis.results import (
    NOT_HELD,
    STATE_ORDER,
    Agreement,
    Analysis,
    CustodyReport,
    Evidence,
    EvidenceQuality,
    Factor,
    LayerResult,
    Reason,
    State,
    WarningReport,
    is_not_held,
)
from setsafety.analysis.warnings import warning_reports
from setsafety.errors import AmbiguousProtocolError, InvalidRecordError, ProtocolNotFoundError
from setsafety.model import Protocol, Record
from setsafety.protocols import load_protocol, protocols_for
from setsafety.rules import RULES, Facts, rule_problems

__all__ = [
    "NOT_HELD", "RULES", "STATE_ORDER", "Agreement", "Analysis", "CustodyReport", "Evidence", "EvidenceQuality",
    "Factor", "LayerResult", "LayerStat", "Reason", "Similarity", "State", "WarningReport", "analyze", "analyze_all",
    "export_rows", "fitting_protocols", "is_not_held", "layer_stats", "protocol_for", "similar",
]


def fitting_protocols(record: Record) -> list[Protocol]:
    """The bundled protocols that fit the case, best first (``setsafety.protocols.protocols_for``);
    ``AmbiguousProtocolError`` if there are several, ``ProtocolNotFoundError`` if none: for
    callers that must not choose among them silently."""
    fitting = protocols_for(record.case.hazards)
    if len(fitting) > 1:
        raise AmbiguousProtocolError(record.id, [found.id for found in fitting])
    return [protocol_for(record)]


def protocol_for(record: Record, protocol: Protocol | str | Path | None = None) -> Protocol:
    """The protocol to apply: the one given (object, bundled id or file), else the bundled protocol
    that fits the case best (``setsafety.protocols.protocols_for``: most of its hazards covered, then
    the hazard the record lists first, then the narrower protocol, then by id)."""
    if isinstance(protocol, Protocol):
        return protocol
    if protocol is not None:
        return load_protocol(protocol)
    fitting = protocols_for(record.case.hazards)
    if not fitting:
        raise ProtocolNotFoundError(
            f"no bundled protocol covers the hazards {', '.join(record.case.hazards)}; "
            "pass one with protocol= (or --protocol FILE)"
        )
    return fitting[0]


def analyze(case: Record, protocol: Protocol | str | Path | None = None) -> Analysis:
    """Derive every layer's state, the custody, warnings, factors, agreement with
    official findings and evidence quality of a record under a protocol.

    ``protocol`` is a ``Protocol``, a bundled protocol id or a protocol file. Without it, the bundled
    protocol that fits the case best (``protocol_for``), as the lessons and the kit
    choose; ``setsafety.analyze``, the researchers' entry, refuses to choose when several fit
    (``fitting_protocols``).
    """
    if not isinstance(case, Record):
        raise TypeError(f"analyze() takes a Record (from setsafety.load_case or load_record), "
                        f"not {type(case).__name__}")
    chosen = protocol_for(case, protocol)
    problems = rule_problems(chosen)  # a Protocol built in code has not been through load_protocol
    if problems:
        raise InvalidRecordError(problems)
    facts = Facts(case)
    layers = layer_results(facts, chosen)
    return Analysis(
        record=case, case=case.id, title=case.case.title, protocol=chosen.id, protocol_name=chosen.name,
        layers=layers, path=swiss_cheese_path(layers), stoppers=stoppers(layers),
        custody=custody_reports(facts), warnings=warning_reports(facts),
        factors=contributing_factors(facts, layers), agreement=agreement(case, layers),
        evidence_quality=evidence_quality(case, layers),
    )


def analyze_all(record: Record, protocols: Iterable[Protocol | str | Path] | None = None) -> list[Analysis]:
    """The record analysed under every bundled protocol that fits it (best first, as
    ``protocols_for`` orders them), or under each of ``protocols`` (objects, bundled ids or files)."""
    chosen = protocols_for(record.case.hazards) if protocols is None else protocols
    return [analyze(record, protocol) for protocol in chosen]
