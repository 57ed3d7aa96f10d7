"""The rules against the definitions of the seven states, on records whose facts say plainly what was done.

Three kinds of test, for every bundled protocol: a good-practice control (every layer holds); counterfactuals
(one fact of a control changed: exactly the expected layers move, to the expected state); and a record with
no facts (every layer unknown). The 1.1 pattern fixtures reach the states their facts support.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import setsafety
from setsafety.analysis import analyze
from setsafety.protocols import list_protocols

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONTROLS = FIXTURES / "controls"
PATTERNS = FIXTURES / "patterns"

Data = dict[str, Any]


def _data(path: Path) -> Data:
    data: Data = json.loads(path.read_text(encoding="utf-8"))
    return data


def states(data: Data, protocol: str) -> dict[str, str]:
    """Each layer's state for a record (JSON data) under a bundled protocol."""
    result = analyze(setsafety.load_record(data), protocol)
    return {layer.id: layer.state for layer in result.layers}


def control(protocol: str) -> Data:
    return _data(CONTROLS / f"control-{protocol}.json")


def _find(items: list[Data], item_id: str) -> Data:
    return next(item for item in items if item["id"] == item_id)


class TestControls:
    @pytest.mark.parametrize("protocol", list_protocols())
    def test_every_protocol_has_a_control(self, protocol: str) -> None:
        """Each bundled protocol has a good-practice control record."""
        assert (CONTROLS / f"control-{protocol}.json").is_file()

    @pytest.mark.parametrize("protocol", list_protocols())
    def test_every_layer_holds(self, protocol: str) -> None:
        """On a day when every safeguard was in place, every layer holds: no false failure anywhere."""
        found = states(control(protocol), protocol)
        assert found == dict.fromkeys(found, "held")

    @pytest.mark.parametrize("protocol", list_protocols())
    def test_applied_without_asking(self, protocol: str) -> None:
        """The protocol is among those applied to its control without --protocol."""
        record = setsafety.load_record(control(protocol))
        assert protocol in [analysis.protocol for analysis in setsafety.analyze_all(record)]


def _set(path: list[str | int], value: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        node: Any = data
        for part in path[:-1]:
            node = _find(node, part) if isinstance(node, list) and isinstance(part, str) else node[part]
        last = path[-1]
        node[last] = value
    return change


def _status(check_id: str, status: str) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        _find(data["checks"], check_id)["status"] = status
    return change


def _equipment(item_id: str, **fields: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        _find(data["equipment"], item_id).update(fields)
    return change


def _custody(event_id: str, **fields: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        _find(data["custody"], event_id).update(fields)
    return change


def _absent_from_set(party_id: str) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        _find(data["people"], party_id)["presence"] = [
            {"present": False, "reason": "other-unit", "sources": ["src-safety-log"]}]
    return change


def _no_qualification(party_id: str) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        for qualification in _find(data["people"], party_id)["qualifications"]:
            qualification["held"] = False
    return change


def _response(level: str) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        data["warnings"][0]["response"]["level"] = level
    return change


def _position(relation: str) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        data["incident"]["positions"][0]["relation"] = relation
    return change


def _placed(party: str, relation: str, needed: bool, *, not_the_actor: bool = False) -> Callable[[Data], None]:
    """Someone else placed in relation to the action; ``not_the_actor``: the record does not name the
    performer as the one carrying it out, so only their role and ``needed`` speak for them."""
    def change(data: Data) -> None:
        data["incident"]["positions"].append({"party": party, "relation": relation, "needed": needed,
                                              "sources": ["src-safety-log"]})
        if not_the_actor:
            del data["incident"]["handled_by"]
    return change


def _long_day(hours: int) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        data["conditions"] = [{"id": "long-day", "kind": "long-hours", "hours": hours, "hazards": ["water"],
                               "description": f"A {hours}-hour day.", "sources": ["src-safety-log"]}]
    return change


def _live_primed_dummies(data: Data) -> None:
    data["ammunition"].append({"id": "dummies", "kind": "dummy", "on_set": True, "marking": "marked",
                               "verification": "full", "components": {"primer": "live", "powder": "absent",
                                                                       "projectile": "live"},
                               "sources": ["src-safety-log"]})


def _no_warning_recorded(data: Data) -> None:
    data["warnings"] = []


def _no_warning_and_glance(data: Data) -> None:
    data["warnings"] = []
    _find(data["custody"], "cleared")["verification"] = "glance"


def _care_only(data: Data) -> None:
    data["checks"] = [check for check in data["checks"] if check["kind"] not in ("medic-on-set", "emergency-plan")]
    data["outcome"]["care"] = [
        {"kind": "ambulance", "description": "Taken to hospital.", "sources": ["src-safety-log"]}]


#: (protocol, what changes, the change, the layers that move and to what); every other layer stays held.
COUNTERFACTUALS: list[tuple[str, str, Callable[[Data], None], dict[str, str]]] = [
    ("stunts-falls", "the air bag is on set but not in place", _equipment("air-bag", in_use=False),
     {"fall-protection": "skipped"}),
    ("stunts-falls", "no air bag at all", _equipment("air-bag", provided=False, in_use=False),
     {"fall-protection": "absent"}),
    ("stunts-falls", "the coordinator is with another unit", _absent_from_set("coordinator"),
     {"supervision": "skipped"}),
    ("stunts-falls", "a required rig inspection is not done", _status("rig-check", "not-done"),
     {"rigging-inspection": "skipped"}),
    ("stunts-falls", "no rehearsal at height", _status("at-height", "not-done"), {"rehearsal": "degraded"}),
    ("stunts-falls", "a warning is heard and nothing is done", _response("none"), {"warning-response": "skipped"}),
    ("stunts-falls", "the camera operator stands where the performer could land", _position("in-line-of-fire"),
     {"safe-positions": "skipped"}),
    ("stunts-falls", "the performer, not named as carrying out the fall, is in its path as the stunt needs",
     _placed("performer", "in-line-of-fire", True, not_the_actor=True), {}),
    ("stunts-falls", "the performer is in the path with no need to be there",
     _placed("performer", "in-line-of-fire", False, not_the_actor=True), {"safe-positions": "skipped"}),
    ("stunts-falls", "the spotters stand near, as the work needs", _placed("spotters", "near", True), {}),
    ("stunts-falls", "the first AD stands near with no need to", _placed("first-ad", "near", False),
     {"safe-positions": "degraded"}),
    ("stunts-falls", "the camera operator is needed near the landing, without a shield", _position("near"),
     {"safe-positions": "degraded"}),
    ("firearms", "the camera operator is needed in the line of fire", _position("in-line-of-fire"),
     {"safe-handling": "skipped"}),
    ("firearms", "the camera operator is needed near, without a shield", _position("near"),
     {"safe-handling": "degraded"}),
    ("stunts-falls", "care after the event, and no medic or plan", _care_only, {"emergency-response": "unknown"}),
    ("vehicles", "the rider's helmet is left off", _equipment("helmet", in_use=False, declined_by=["coordinator"]),
     {"protective-equipment": "skipped"}),
    ("vehicles", "no bales before the verge", _equipment("bales", provided=False, in_use=False),
     {"barriers-run-off": "absent"}),
    ("vehicles", "the rider holds no motorcycle licence", _no_qualification("rider"),
     {"qualified-drivers": "degraded"}),
    ("vehicles", "the road closure is refused", _status("closed", "refused"), {"road-control": "skipped"}),
    ("firearms", "the safe is locked and nobody stands by it (as in the control), then it is left unlocked",
     _set(["storage", 0, "locked"], False), {"secure-custody": "skipped"}),
    ("firearms", "the hand-over to the actor comes with no check", _custody("to-actor", verification="none"),
     {"handoff-verification": "skipped", "pre-use-inspection": "skipped"}),
    ("firearms", "the barrel is only glanced at after the misfire", _custody("cleared", verification="glance"),
     {"pre-use-inspection": "degraded"}),
    ("firearms", "the misfire is not recorded as a warning (the full barrel check still came)", _no_warning_recorded,
     {}),
    ("firearms", "the misfire is not recorded as a warning and the barrel is only glanced at", _no_warning_and_glance,
     {"pre-use-inspection": "degraded", "warning-response": "skipped"}),
    ("firearms", "dummies with live primers and bullets are on set", _live_primed_dummies,
     {"ammunition-control": "failed"}),
    ("pyrotechnics", "the exclusion zone is not set", _status("zone", "not-done"), {"exclusion-zone": "skipped"}),
    ("pyrotechnics", "no fire watch", _status("fire-watch", "not-done"), {"fire-watch": "skipped"}),
    ("general", "life jackets on set but not worn", _equipment("life-jackets", in_use=False),
     {"protective-equipment": "skipped"}),
    ("general", "a sixteen-hour day", _long_day(16), {"working-hours": "degraded"}),
]


class TestCounterfactuals:
    @pytest.mark.parametrize(("protocol", "what", "change", "moved"), COUNTERFACTUALS,
                             ids=[f"{protocol}: {what}" for protocol, what, _, _ in COUNTERFACTUALS])
    def test_exactly_these_layers_move(self, protocol: str, what: str, change: Callable[[Data], None],
                                       moved: dict[str, str]) -> None:
        """One fact of a good-practice day changed: exactly the named layers move, to the named state."""
        data = copy.deepcopy(control(protocol))
        change(data)
        assert setsafety.validate(data) == [] or not [p for p in setsafety.validate(data) if p.severity == "error"]
        before, after = states(control(protocol), protocol), states(data, protocol)
        assert {layer: state for layer, state in after.items() if state != before[layer]} == moved


def _bare(hazards: list[str]) -> Data:
    """A record with a case and an incident and nothing else: no fact any rule reads."""
    return {
        "schema_version": "1.1", "id": "bare-record",
        "case": {"title": "A bare record", "summary": "Only that something happened.", "event_kind": "injury",
                 "hazards": hazards, "date": "2025-01-01", "status": "draft", "sources": ["s"]},
        "incident": {"when": {"date": "2025-01-01"}, "activity": "take", "description": "Something happened.",
                     "sources": ["s"]},
        "sources": [{"id": "s", "kind": "news", "title": "A report"}],
    }


class TestUnknown:
    @pytest.mark.parametrize("protocol", list_protocols())
    def test_no_facts_no_state(self, protocol: str) -> None:
        """A record that lacks the facts gives unknown for every layer, never a guess."""
        hazards = list(setsafety.load_protocol(protocol).hazards[:1])
        found = states(_bare(hazards), protocol)
        assert found == dict.fromkeys(found, "unknown")


#: What the facts of each 1.1 pattern fixture support, layer by layer.
PATTERN_STATES = {
    ("improvised-dummy-squib", "firearms"): {
        "qualified-armorer": "skipped", "training-rehearsal": "unknown", "warning-response": "skipped",
        "ammunition-control": "failed", "secure-custody": "skipped", "pre-use-inspection": "skipped",
        "handoff-verification": "skipped", "safe-handling": "skipped", "safety-briefing": "held",
        "emergency-response": "held",
    },
    ("motorcycle-stunt-run-off", "vehicles"): {
        "hazard-assessment": "degraded", "qualified-drivers": "held", "supervision": "skipped",
        "warning-response": "degraded", "vehicle-inspection": "held", "road-control": "held", "rehearsal": "degraded",
        "barriers-run-off": "failed", "protective-equipment": "skipped", "safe-positions": "degraded",
        "emergency-response": "held",
    },
    ("rig-fall-unprotected-floor", "stunts-falls"): {
        "hazard-assessment": "held", "qualified-stunt-staff": "degraded", "supervision": "skipped",
        "warning-response": "not-applicable", "rigging-inspection": "skipped", "rehearsal": "held",
        "safety-briefing": "unknown", "fall-protection": "skipped", "safe-positions": "unknown",
        "emergency-response": "unknown",
    },
}


class TestPatterns:
    @pytest.mark.parametrize(("case", "protocol"), sorted(PATTERN_STATES))
    def test_states(self, case: str, protocol: str) -> None:
        """Each pattern fixture reaches the states its facts support."""
        assert states(_data(PATTERNS / f"{case}.json"), protocol) == PATTERN_STATES[(case, protocol)]

    @pytest.mark.parametrize(("case", "protocol"), sorted(PATTERN_STATES))
    def test_applied_without_asking(self, case: str, protocol: str) -> None:
        """A stunt, vehicle or firearm record is analysed by its bundled protocol without --protocol."""
        record = setsafety.load_record(PATTERNS / f"{case}.json")
        assert protocol in [analysis.protocol for analysis in setsafety.analyze_all(record)]


class TestChecksForOtherHazards:
    def test_said_plainly(self) -> None:
        """A check of the layer's kind that covers other hazards is not counted, and the finding says so
        (not that the record has no such check)."""
        record = setsafety.load_record(PATTERNS / "motorcycle-stunt-run-off.json")
        layers = {layer["id"]: layer for layer in analyze(record, "stunts-falls").to_dict()["layers"]}
        assert layers["hazard-assessment"]["state"] == "unknown"
        assert [reason["code"] for reason in layers["hazard-assessment"]["reasons"]] == ["checks.other-hazards"]
