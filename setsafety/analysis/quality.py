"""Evidence quality: how the facts behind the layers that did not hold are sourced."""

from __future__ import annotations

from setsafety.analysis.results import Evidence, EvidenceQuality, LayerResult, is_not_held
from setsafety.model import record as m
from setsafety.pointers import overlaps


def evidence_quality(record: m.Record, layers: tuple[LayerResult, ...]) -> EvidenceQuality:
    """Single-source, disputed, alleged and undetermined facts behind the findings."""
    official = {source.id for source in record.sources if source.is_official}
    disputed_pointers = {pointer for dispute in record.disputes or () for pointer in dispute.about}
    cited: dict[str, Evidence] = {}
    for layer in layers:
        if is_not_held(layer.state):
            for item in layer.evidence:
                cited.setdefault(item.pointer, item)

    def under_dispute(pointer: str) -> bool:
        return any(overlaps(pointer, p) for p in disputed_pointers)

    return EvidenceQuality(
        facts_cited=len(cited),
        single_source=tuple(p for p, item in cited.items() if len(item.sources) == 1),
        official_backed=len([item for item in cited.values() if official & set(item.sources)]),
        disputed=tuple(p for p, item in cited.items() if item.certainty == "disputed" or under_dispute(p)),
        alleged=tuple(p for p, item in cited.items() if item.certainty == "alleged"),
        undetermined=tuple(p for p, item in cited.items() if item.certainty == "undetermined"),
    )
