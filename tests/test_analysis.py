"""Tests for setsafety.analysis: layer states derived from facts, and what-if copies."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

import setsafety
from setsafety.analysis import NOT_HELD, analyze
from setsafety.model import unstructure
from setsafety.model.walk import resolve

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "fictional-blank-injury.json"
RUST = ROOT / "cases" / "rust-2021.json"
REGULATOR_FINDINGS_LAYERS = 10  # number of layers the firearms protocol has


def data_of(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def states(data: dict[str, Any]) -> dict[str, str]:
    """Layer id -> state for a record given as JSON data (validated on the way)."""
    return {layer.id: layer.state for layer in analyze(setsafety.load_record(data)).layers}


def changed(before: dict[str, str], after: dict[str, str]) -> dict[str, tuple[str, str]]:
    return {key: (before[key], after[key]) for key in before if before[key] != after[key]}


@pytest.fixture
def rust() -> dict[str, Any]:
    return data_of(RUST)


@pytest.fixture
def example() -> dict[str, Any]:
    return data_of(EXAMPLE)


class TestReferenceCase:
    def test_not_held_layers(self) -> None:
        """The layers the issue names are all reported as not held for rust-2021."""
        result = analyze(setsafety.load_case("rust-2021"))
        for layer_id in (
            "qualified-armorer", "training-rehearsal", "warning-response", "ammunition-control",
            "secure-custody", "pre-use-inspection", "handoff-verification", "safe-handling",
            "safety-briefing",
        ):
            layer = result.layer(layer_id)
            assert layer is not None and layer.state in NOT_HELD, (layer_id, layer and layer.state)

    def test_emergency_response_not_failed(self) -> None:
        """Emergency readiness is not reported failed or skipped: a medic was there and care given."""
        layer = analyze(setsafety.load_case("rust-2021")).layer("emergency-response")
        assert layer is not None and layer.state not in ("failed", "skipped")

    def test_evidence_resolves_and_is_sourced(self, rust: dict[str, Any]) -> None:
        """Every not-held layer has evidence; each pointer resolves and each fact cites existing sources."""
        record = setsafety.load_record(rust)
        source_ids = {source.id for source in record.sources}
        for layer in analyze(record).not_held():
            assert layer.evidence, layer.id
            for item in layer.evidence:
                found, _ = resolve(rust, item.pointer)
                assert found, (layer.id, item.pointer)
                assert item.sources and set(item.sources) <= source_ids, (layer.id, item.pointer)

    def test_agreement_with_regulator(self) -> None:
        """Every layer an official finding names is compared with the derived state, layer by layer."""
        record = setsafety.load_case("rust-2021")
        result = analyze(record)
        named = {
            layer
            for investigation in record.aftermath.investigations or ()  # type: ignore[union-attr]
            for finding in investigation.findings or ()
            for layer in finding.layers or ()
        }
        assert named
        assert {row.layer for row in result.agreement} == named
        assert all(row.agrees is not None for row in result.agreement)
        assert [row for row in result.agreement if row.agrees is False] == []

    def test_stoppers_are_direct_not_held(self) -> None:
        """The layers that would have stopped it are the protocol's direct barriers that did not hold."""
        result = analyze(setsafety.load_case("rust-2021"))
        assert set(result.stoppers) == {
            layer.id for layer in result.layers if layer.direct and layer.state in NOT_HELD
        }
        assert "emergency-response" not in result.path


class TestExample:
    def test_states(self) -> None:
        """The fictional example: only safe handling fails; no warnings is not-applicable."""
        result = analyze(setsafety.load_record(EXAMPLE))
        assert {layer.id: layer.state for layer in result.layers} == {
            "qualified-armorer": "held", "training-rehearsal": "held",
            "warning-response": "not-applicable", "ammunition-control": "held",
            "secure-custody": "held", "pre-use-inspection": "held",
            "handoff-verification": "held", "safe-handling": "skipped",
            "safety-briefing": "held", "emergency-response": "held",
        }
        assert result.stoppers == ("safe-handling",)

    def test_json_shape(self) -> None:
        """The JSON form has the keys DESIGN section 7 promises."""
        data = analyze(setsafety.load_record(EXAMPLE)).to_dict()
        assert data["case"] == "fictional-blank-injury" and data["protocol"] == "firearms"
        layer = data["layers"][0]
        assert {"id", "name", "state", "rationale", "evidence"} <= set(layer)
        assert {"pointer", "summary", "sources"} <= set(layer["evidence"][0])
        json.dumps(data)


class TestCounterfactuals:
    def test_break_without_reinspection(self, example: dict[str, Any]) -> None:
        """A break on an unwatched, unlocked cart after the full check, and no check at the hand-over:
        inspection, hand-over and custody skipped (each safeguard was required and not kept); nothing
        else changes."""
        before = states(example)
        custody = example["custody"]
        example["storage"].append({"id": "cart", "kind": "cart", "attended": False, "sources": ["src-incident-report"]})
        custody[3:3] = [
            {"id": "c-break", "item": "revolver-1", "action": "put-down", "by": "armorer-a", "storage": "cart",
             "when": {"date": "2024-05-14", "time": "10:12", "precision": "exact"}, "sources": ["src-incident-report"]},
            {"id": "c-back", "item": "revolver-1", "action": "retrieved", "by": "armorer-a", "storage": "cart",
             "when": {"date": "2024-05-14", "time": "10:13", "precision": "exact"}, "sources": ["src-incident-report"]},
        ]
        custody[5]["verification"] = "none"
        assert changed(before, states(example)) == {
            "pre-use-inspection": ("held", "skipped"),
            "secure-custody": ("held", "skipped"),
            "handoff-verification": ("held", "skipped"),
        }

    def test_full_reinspection_after_break(self, rust: dict[str, Any]) -> None:
        """The reference case with a full re-check by the armorer after the break: the inspection layer
        is no longer skipped, only degraded (the last look before use was still the first AD's glance)."""
        before = states(rust)
        custody = rust["custody"]
        taken = next(i for i, e in enumerate(custody) if e["action"] == "retrieved")
        armorer = next(e["by"] for e in custody if e["action"] == "loaded")
        first_ad = custody[taken]["by"]
        source = rust["sources"][0]["id"]
        custody[taken]["by"] = armorer
        custody[taken + 1:taken + 1] = [
            {"id": "cf-recheck", "item": custody[taken]["item"], "action": "inspected", "by": armorer,
             "verification": "full", "sources": [source]},
            {"id": "cf-to-ad", "item": custody[taken]["item"], "action": "handed-over", "by": armorer,
             "to": first_ad, "verification": "full", "sources": [source]},
        ]
        rust["checks"] = [c for c in rust["checks"] if c["kind"] != "weapon-inspection"]
        rust["disputes"] = [d for d in rust["disputes"] if not any(p.startswith("/custody/") for p in d["about"])]
        after = states(rust)
        assert changed(before, after) == {"pre-use-inspection": ("skipped", "degraded")}

    def test_warnings_fixed(self, rust: dict[str, Any]) -> None:
        """Every warning investigated and fixed: the warning layer holds and nothing else changes."""
        before = states(rust)
        for warning in rust["warnings"]:
            warning["response"] = {"level": "fixed", "sources": warning["sources"]}
        assert changed(before, states(rust)) == {"warning-response": ("skipped", "held")}

    def test_warnings_investigated(self, rust: dict[str, Any]) -> None:
        """Warnings investigated but not fixed: degraded, not held."""
        for warning in rust["warnings"]:
            warning["response"] = {"level": "investigated", "sources": warning["sources"]}
        assert states(rust)["warning-response"] == "degraded"

    def test_no_live_rounds(self, rust: dict[str, Any]) -> None:
        """No live rounds on set: ammunition control no longer fails; no other layer changes."""
        before = states(rust)
        live = next(lot for lot in rust["ammunition"] if lot["kind"] == "live")
        live["on_set"] = False
        live.pop("found", None)
        rust["disputes"] = [d for d in rust["disputes"] if not any("/found" in p for p in d["about"])]
        rust["incident"]["ammunition_fired"] = [
            lot["id"] for lot in rust["ammunition"] if lot["kind"] == "dummy"
        ]
        after = states(rust)
        assert set(changed(before, after)) == {"ammunition-control"}
        assert after["ammunition-control"] != "failed"

    def test_no_custody_facts(self, example: dict[str, Any]) -> None:
        """No custody events or storage at all: the custody layers are unknown, not guessed."""
        del example["custody"], example["storage"]
        after = states(example)
        assert (after["secure-custody"], after["pre-use-inspection"], after["handoff-verification"]) == (
            "unknown", "unknown", "unknown")

    def test_bare_record_is_all_unknown(self, example: dict[str, Any]) -> None:
        """A record with only the case and its sources: every layer unknown."""
        bare = {key: example[key] for key in ("schema_version", "id", "case", "sources")}
        assert set(states(bare).values()) == {"unknown"}

    def test_untrained_dual_role_armorer(self, example: dict[str, Any]) -> None:
        """An armorer who also dresses the set and has no firearms training: the staffing layer degrades."""
        armorer = example["people"][1]
        armorer["roles"].append({"role": "props-assistant", "sources": ["src-incident-report"]})
        armorer["qualifications"] = [{"kind": "formal-training", "subject": "firearms", "held": False,
                                      "sources": ["src-incident-report"]}]
        armorer["experience"] = [{"subject": "firearms", "level": "limited", "sources": ["src-incident-report"]}]
        assert states(example)["qualified-armorer"] == "degraded"

    def test_handover_by_first_ad(self, example: dict[str, Any]) -> None:
        """The first AD, not the armorer, hands the gun over with a glance: the hand-over was made, badly
        (a glance, by someone outside the weapons staff): degraded."""
        custody = example["custody"]
        custody[3:4] = [
            {"id": "c-to-ad", "item": "revolver-1", "action": "handed-over", "by": "armorer-a", "to": "first-ad-b",
             "verification": "full", "sources": ["src-incident-report"]},
            {"id": "c-ad-to-actor", "item": "revolver-1", "action": "handed-over", "by": "first-ad-b",
             "to": "performer-c", "verification": "glance", "announcement": "cold gun",
             "sources": ["src-incident-report"]},
        ]
        after = states(example)
        assert after["handoff-verification"] == "degraded"
        assert after["secure-custody"] == "degraded"


class TestProtocols:
    def test_unknown_rule(self, tmp_path: Path) -> None:
        """A protocol layer whose rule no analyzer has is refused with its pointer."""
        protocol = data_of(ROOT / "setsafety" / "protocols" / "firearms.json")
        protocol["layers"][0]["rule"] = "no-such-rule"
        path = tmp_path / "mine.json"
        path.write_text(json.dumps(protocol), encoding="utf-8")
        with pytest.raises(setsafety.InvalidRecordError) as caught:
            analyze(setsafety.load_record(EXAMPLE), path)
        assert [(p.pointer, p.code) for p in caught.value.problems] == [("/layers/0/rule", "unknown-rule")]

    def test_own_protocol_reuses_rules(self, tmp_path: Path) -> None:
        """A user's protocol can name a bundled rule under its own layer id."""
        protocol = data_of(ROOT / "setsafety" / "protocols" / "firearms.json")
        protocol["id"] = "house-rules"
        protocol["layers"] = [dict(protocol["layers"][7], id="keep-clear", rule="safe-handling")]
        path = tmp_path / "house.json"
        path.write_text(json.dumps(protocol), encoding="utf-8")
        result = analyze(setsafety.load_record(EXAMPLE), path)
        assert [(layer.id, layer.state) for layer in result.layers] == [("keep-clear", "skipped")]


class TestGenerality:
    def test_code_names_no_case(self) -> None:
        """No analysis or lesson code names a bundled case, production or person."""
        titles: set[str] = set()  # case ids and production titles, in any case
        names: set[str] = set()  # people's full names and surnames, as names are written: capitalised
        for case_id in setsafety.list_cases():
            record = setsafety.load_case(case_id)
            titles.add(case_id)
            if record.production is not None:
                titles.add(record.production.title)
            for party in record.people or ():
                if party.kind == "person" and party.name:
                    # A given name alone ("Mark") names nobody, and is also a word the code may use.
                    surname = party.name.split()[-1]
                    names.update([party.name, surname] if len(surname) > 3 and surname[:1].isupper() else [party.name])
        patterns = [
            re.compile(r"\b(" + "|".join(re.escape(title) for title in sorted(titles)) + r")\b", re.IGNORECASE),
            # A surname such as "Hurt" or "Will" is also an English word: only the capitalised name counts.
            re.compile(r"\b(" + "|".join(re.escape(name) for name in sorted(names)) + r")\b"),
        ]
        offenders = []
        for path in (ROOT / "setsafety").rglob("*"):
            if path.suffix in (".py", ".j2", ".jinja", ".html", ".md", ".txt") and "cli" not in path.parts:
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    offenders += [f"{path.relative_to(ROOT)}:{number}: {match.group()}"
                                  for pattern in patterns for match in pattern.finditer(line)]
        assert offenders == []

    def test_analysis_does_not_mutate(self, example: dict[str, Any]) -> None:
        """Analysing leaves the record as loaded, and a second analysis of it equals the first
        (across processes and hash seeds: tests/test_rules.py, TestDeterminism)."""
        record = setsafety.load_record(copy.deepcopy(example))
        first = analyze(record)
        assert unstructure(record) == example
        assert analyze(record) == first
