"""What each bundled case stands on: its sources, and how many facts rest on each.

``test_table`` prints the table (run ``pytest tests/test_case_sources.py -s`` to read it); the other
tests hold every case to the library's rules on sources (``../shared/SOURCES.md``).
"""

from __future__ import annotations

from collections import Counter

import pytest

import setsafety
from setsafety.model import Fact
from setsafety.model.walk import walk

CASES = setsafety.list_cases()


def facts_per_source(case_id: str) -> Counter[str]:
    """How many facts of the case cite each source."""
    record = setsafety.load_case(case_id)
    return Counter(source for _, obj in walk(record) if isinstance(obj, Fact) for source in obj.sources)


class TestCaseSources:
    def test_library_size(self) -> None:
        """20 or more cases, across five or more kinds of hazard."""
        hazards = {hazard for case_id in CASES for hazard in setsafety.load_case(case_id).case.hazards}
        assert len(CASES) >= 20
        assert len(hazards - {"other"}) >= 5

    @pytest.mark.parametrize("case_id", CASES)
    def test_three_sources_and_every_source_read(self, case_id: str) -> None:
        """At least three sources; every listed source carries a URL, a via or a note on how it was read; no
        fact cites the maintainers' notes."""
        record = setsafety.load_case(case_id)
        assert len(record.sources) >= 3
        assert [source.id for source in record.sources if not (source.url or source.via or source.note)] == []
        assert [source.id for source in record.sources if source.id.startswith("setsafety-source-notes")] == []

    @pytest.mark.parametrize("case_id", CASES)
    def test_every_source_is_cited(self, case_id: str) -> None:
        """Every source the case lists carries at least one fact (or a dispute position)."""
        record = setsafety.load_case(case_id)
        cited = set(facts_per_source(case_id))
        cited |= {source for dispute in record.disputes or () for position in dispute.positions
                  for source in position.sources}
        assert [source.id for source in record.sources if source.id not in cited] == []

    def test_table(self) -> None:
        """Print, per case, each source (official or not) and the number of facts resting on it."""
        lines = []
        for case_id in CASES:
            record = setsafety.load_case(case_id)
            counts = facts_per_source(case_id)
            official = sum(source.is_official for source in record.sources)
            lines.append(f"{case_id}: {len(record.sources)} sources ({official} official), "
                         f"{sum(counts.values())} citations")
            for source in sorted(record.sources, key=lambda source: -counts[source.id]):
                mark = "official" if source.is_official else source.kind
                lines.append(f"  {counts[source.id]:4d}  {source.id} ({mark})")
        print("\n".join(lines))
        assert len(lines) > len(CASES)
