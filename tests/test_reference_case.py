"""The reference case, rust-2021: every fact sourced; disputes and the unknown kept as such."""

from __future__ import annotations

import pytest

import setsafety
import setsafety.cli
from setsafety.cases import case_path
from setsafety.model import record as m
from setsafety.model.walk import walk


@pytest.fixture(scope="module")
def rust() -> m.Record:
    return setsafety.load_case("rust-2021")


class TestSourcing:
    def test_every_fact_cites_existing_sources(self, rust: m.Record) -> None:
        """Every object that states a fact cites one or more sources, each in /sources."""
        known = {source.id for source in rust.sources}
        facts = [(pointer, obj) for pointer, obj in walk(rust) if hasattr(obj, "sources") and pointer]
        assert len(facts) > 200
        for pointer, obj in facts:
            assert obj.sources, pointer
            assert set(obj.sources) <= known, pointer

    def test_no_warnings(self) -> None:
        """The record validates with no problem at all, warnings included."""
        assert setsafety.validate(case_path("rust-2021")) == []


class TestUncertainty:
    def test_disputes_present(self, rust: m.Record) -> None:
        """Who handed the gun over, whether the trigger was pulled and how many live rounds were found
        are recorded as disputes, each with two or more sourced positions."""
        questions = {dispute.question: dispute for dispute in rust.disputes or ()}
        wanted = ("Who handed the revolver", "Was the trigger pulled", "How many live rounds")
        for start in wanted:
            [dispute] = [d for q, d in questions.items() if q.startswith(start)]
            assert len(dispute.positions) >= 2
            assert all(position.sources for position in dispute.positions)

    def test_live_round_origin_undetermined(self, rust: m.Record) -> None:
        """Where the live rounds came from is recorded as undetermined, not guessed."""
        live = [lot for lot in rust.ammunition or () if lot.kind == "live"]
        assert live and all(lot.origin is not None and lot.origin.certainty == "undetermined" for lot in live)

    def test_article_errors_follow_the_official_record(self, rust: m.Record) -> None:
        """Where an article contradicts the official record (the suit's filing date), both are kept and
        the record follows the official one."""
        [suit] = [d for d in rust.disputes or () if d.question.startswith("When was the family's wrongful-death")]
        assert suit.kind == "source-conflict" and suit.followed is not None and suit.reason
        followed = next(p for p in suit.positions if p.id == suit.followed)
        assert "2022" in followed.claim

    def test_findings_name_layers(self, rust: m.Record) -> None:
        """The regulator's findings are recorded as official findings naming the layers they speak to."""
        protocol = setsafety.load_protocol("firearms")
        layer_ids = {layer.id for layer in protocol.layers}
        investigations = rust.aftermath.investigations if rust.aftermath else ()
        named = [layer for inv in investigations or () for f in inv.findings or () for layer in f.layers or ()]
        assert named and set(named) <= layer_ids


class TestShow:
    def test_overview_sections(self) -> None:
        """`setsafety show rust-2021` prints every section of the overview."""
        import io

        out = io.StringIO()
        assert setsafety.cli.run(["show", "rust-2021"], out, io.StringIO()) == 0
        for heading in ("Production", "People and roles", "Chain of custody", "Timeline", "The event",
                        "Outcome", "Aftermath", "Disputes and conflicts", "Sources"):
            assert f"\n{heading}\n" in out.getvalue(), heading
