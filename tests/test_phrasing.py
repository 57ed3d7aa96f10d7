"""The phrasing: one catalogue of words for findings, parties named for the reader, no prose parsed."""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import typing
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import setsafety
from setsafety import phrasing
from setsafety.analysis import Analysis, analyze
from setsafety.analysis.results import IssueKind
from setsafety.cli.analyze import report
from setsafety.lessons import render_lessons
from setsafety.model import Record, structure, unstructure
from setsafety.protocols import list_protocols, load_protocol
from setsafety.rules import ALL, SEVERITY, Reason

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "fictional-blank-injury.json"
#: Values that carry record text or ids, not enumerated values.
_FREE = frozenset({"text", "place", "label", "announcement", "date", "distance", "storage", "start", "until"})


@cache
def _strategies() -> ModuleType:
    spec = importlib.util.spec_from_file_location("strategies", Path(__file__).with_name("strategies.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _analyses() -> list[Analysis]:
    records = [setsafety.load_case(case_id) for case_id in setsafety.list_cases()]
    records.append(setsafety.load_case(str(EXAMPLE)))
    return [analyze(record, load_protocol(protocol)) for record in records for protocol in list_protocols()]


@pytest.fixture(scope="module")
def analyses() -> list[Analysis]:
    return _analyses()


def _said(result: Analysis) -> list[tuple[phrasing.About, str, str]]:
    """(finding, section, words) for every reason, evidence, issue and factor of an analysis."""
    words = result.words()
    found: list[tuple[phrasing.About, str, str]] = []
    for layer in result.layers:
        found += [(reason, "reasons", words.reason(reason)) for reason in layer.reasons]
        found += [(item, "evidence", words.evidence(item)) for item in layer.evidence]
    found += [(issue, "issues", words.issue(issue)) for report_ in result.custody for issue in report_.issues]
    return found


class TestCatalogue:
    def test_every_code_has_words(self, analyses: list[Analysis]) -> None:
        """Every code the rules emit on the bundled cases and the example has a template, and every
        template is filled (a missing template or value would be said as the bare code)."""
        missing = sorted({(section, about.code) for result in analyses for about, section, text in _said(result)
                          if about.code not in phrasing.CATALOGUE[section] or text == about.code})
        assert missing == []

    @settings(max_examples=int(os.environ.get("SETSAFETY_EXAMPLES", "50")), deadline=None, derandomize=True,
              database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.data())
    def test_every_code_has_words_on_any_record(self, data: st.DataObject) -> None:
        """The same on records drawn from the schema, under every bundled protocol."""
        record = structure(copy.deepcopy(data.draw(_strategies().records())), Record)
        for protocol in list_protocols():
            for about, section, text in _said(analyze(record, protocol)):
                assert about.code in phrasing.CATALOGUE[section]
                assert text != about.code

    def test_no_raw_enumerated_values(self, analyses: list[Analysis]) -> None:
        """An enumerated value with a hyphen ('in-line-of-fire', 'not-done') is never said raw."""
        raw = []
        for result in analyses:
            for about, _, text in _said(result):
                for name, value in about.values.items():
                    values = value if isinstance(value, tuple) else (value,)
                    raw += [(about.code, item) for item in values
                            if name not in _FREE and "-" in item and item in text]
        assert raw == []

    def test_templates_are_well_formed(self) -> None:
        """Every template's optional parts are closed and not nested, and each holds a field (the sections
        that ``Phrasing.fill`` fills; the lesson's fixed sentences may hold brackets, like "[1]")."""
        for name in ("reasons", "evidence", "issues", "questions"):
            section = phrasing.CATALOGUE[name]
            for code, template in section.items():
                depth = 0
                for char in template:
                    depth += {"[": 1, "]": -1}.get(char, 0)
                    assert depth in (0, 1), code
                assert depth == 0, code
                assert "{" in template or "[" not in template, code

    def test_every_issue_kind_has_words(self) -> None:
        """Each kind of custody issue has its sentence and its few words."""
        kinds = set(typing.get_args(IssueKind))
        assert set(phrasing.CATALOGUE["issues"]) == kinds == set(phrasing.CATALOGUE["issue-kinds"])


class TestFill:
    words = phrasing.Phrasing(phrasing.Names(setsafety.load_case(str(EXAMPLE))))

    @pytest.mark.parametrize(("count", "expected"), [(1, "after 1 break in custody or in the day"),
                                                     (2, "after 2 breaks in custody or in the day")])
    def test_plurals(self, count: int, expected: str) -> None:
        """A count takes the right noun."""
        reason = Reason(code="inspection.not-after-breaks", items=["revolver-1"], counts={"breaks": count})
        assert self.words.reason(reason).endswith(expected)

    def test_optional_part_left_out(self) -> None:
        """An optional part without its value is left out; with it, it is said."""
        reason = Reason(code="handling.in-path", parties={"who": "operator-d"}, values={"path": "hazard"})
        assert self.words.reason(reason) == "operator-d stood in the path of the hazard"
        placed = attrs.evolve(reason, values={"path": "line-of-fire", "distance": "2"})
        assert self.words.reason(placed) == "operator-d stood in the line of fire, 2 m away"

    @settings(deadline=None, derandomize=True, database=None)
    @given(st.text(min_size=1, max_size=400))
    def test_shorten_never_cuts_a_word(self, text: str) -> None:
        """Shortened text is the start of the text, ending at a word boundary."""
        line = phrasing.one_line(text)
        short = phrasing.shorten(text, 50)
        if short.endswith("\u2026") and short != line:
            kept = short[:-1]
            assert line.startswith(kept)
            assert line[len(kept):][:1] in (" ", ",", ";", ":")
        else:
            assert short == line


def _renamed(data: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """The record with its people renamed, in order, and a text field that uses those words."""
    changed = copy.deepcopy(data)
    people = [party for party in changed["people"] if party["kind"] == "person"]
    for party, name in zip(people, names, strict=False):
        party["name"] = name
    changed["incident"]["description"] = "The armorer will check the weapon; it was not loaded. Will not."
    return changed


class TestNames:
    @pytest.fixture
    def data(self) -> dict[str, Any]:
        return json.loads(EXAMPLE.read_text(encoding="utf-8"))

    @pytest.mark.parametrize("format", ["md", "json", "txt"])
    def test_names_change_nothing_in_lessons(self, data: dict[str, Any], format: str) -> None:  # noqa: A002
        """People named "Will", "not", "the" or "armorer" give the same lesson as people named
        otherwise: lessons speak of roles, and the record's own text is never rewritten."""
        words = ["Will", "not", "the", "armorer", "check"]
        tricky = render_lessons(setsafety.load_record(_renamed(data, words)), format=format)
        plain = render_lessons(setsafety.load_record(_renamed(data, ["Ann", "Bo", "Cy", "Di", "Ed"])),
                               format=format)
        assert tricky == plain
        assert "The armorer will check the weapon; it was not loaded. Will not." in tricky

    def test_names_change_only_names_in_analysis(self, data: dict[str, Any]) -> None:
        """The analysis of a record with tricky names differs from another only where a name is said."""
        tricky = analyze(setsafety.load_record(_renamed(data, ["Will", "not", "the", "armorer", "check"])))
        plain = analyze(setsafety.load_record(_renamed(data, ["Ann", "Bo", "Cy", "Di", "Ed"])))
        assert tricky == plain  # the findings are data; names are only in the words
        swap = dict(zip(["Ann", "Bo", "Cy", "Di", "Ed"], ["Will", "not", "the", "armorer", "check"], strict=True))

        class Swapped(phrasing.Names):
            """The plain record's names, said as the tricky ones: only the speaker changes."""

            def party(self, party_id: str) -> str:
                name = super().party(party_id)
                return swap.get(name, name)

        assert tricky.to_dict() == plain.to_dict(Swapped(plain.record))


class TestJson:
    def test_every_reason_has_code_and_ids(self, analyses: list[Analysis]) -> None:
        """`analyze --format json` gives every reason, piece of evidence and issue its code and ids."""
        for result in analyses:
            data = result.to_dict()
            for layer in data["layers"]:
                assert layer["rule"]
                assert layer["reasons"], layer["id"]
                for reason in layer["reasons"]:
                    assert {"code", "state", "parties", "items", "events", "checks", "counts", "values",
                            "pointers", "sources", "text"} <= set(reason)
                for item in layer["evidence"]:
                    assert {"pointer", "code", "summary", "sources", "parties", "items", "events"} <= set(item)
                    assert "fact" not in item
            for chain in data["custody"]:
                for issue in chain["issues"]:
                    assert {"code", "kind", "items", "events", "summary"} <= set(issue)
            json.dumps(data)

    def test_reason_rests_on_its_evidence(self, analyses: list[Analysis]) -> None:
        """A reason's pointers are pieces of evidence of its layer (a state cannot drift from its evidence)."""
        for result in analyses:
            for layer in result.layers:
                cited = {item.pointer for item in layer.evidence}
                for reason in layer.reasons:
                    assert set(reason.pointers) <= cited, (layer.id, reason.code)

    def test_text_report_reads(self, analyses: list[Analysis]) -> None:
        """The text report has a rationale for every layer, each a sentence."""
        for result in analyses:
            text = report(result)
            for layer in result.layers:
                rationale = result.rationale(layer)
                assert rationale.endswith("."), (layer.id, rationale)
                assert rationale[0].isupper() or not rationale[0].isalpha() or rationale.split()[0] in {
                    item for reason in layer.reasons for item in reason.items} | {
                    phrasing.Names(result.record).party(party) for reason in layer.reasons
                    for party in reason.parties.values()}, rationale
                assert rationale.split()[0] in text


class TestStates:
    def test_one_table(self) -> None:
        """Every state has its meaning and look in the one table."""
        assert set(phrasing.STATES) == set(SEVERITY)

    def test_rules_say_only_states(self) -> None:
        """Each rule's meanings are for real states."""
        for rule in ALL:
            assert set(rule.states) <= set(phrasing.STATES), rule.id


def test_unstructure_roundtrip_kept() -> None:
    """The record an analysis carries is the one analysed."""
    record = setsafety.load_case("rust-2021")
    assert unstructure(analyze(record).record) == unstructure(record)


class TestRoles:
    def test_role_held_at_the_time(self) -> None:
        """Lessons name a person by the role held at the time of the event, not one taken on later."""
        data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
        armorer = next(party for party in data["people"] if party["id"] == "armorer-a")
        armorer["roles"].insert(0, {"role": "producer", "timing": "after-event", "sources": ["src-incident-report"]})
        roles = phrasing.Roles(setsafety.load_record(data))
        assert roles.party("armorer-a") == "the armorer"
        assert phrasing.Phrasing(roles).reason(
            Reason(code="custody.held-outside-staff", parties={"holder": "armorer-a"}, items=["revolver-1"]),
        ) == "the armorer, outside the weapons staff, held the weapon"

    def test_only_later_roles_never_label(self) -> None:
        """A person whose only role came after the event (a credit under a settlement), or who left the role
        before it, is never labelled by that role."""
        data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
        data["people"].append({"id": "later-producer", "kind": "person", "sources": ["src-incident-report"],
                               "roles": [{"role": "executive-producer", "timing": "after-event",
                                          "sources": ["src-incident-report"]}]})
        data["people"].append({"id": "earlier-armorer", "kind": "person", "sources": ["src-incident-report"],
                               "roles": [{"role": "armorer", "until": {"date": "1990-01-01"},
                                          "sources": ["src-incident-report"]}]})
        roles = phrasing.Roles(setsafety.load_record(data))
        assert roles.party("later-producer") == "a person who later became executive producer"
        assert roles.party("earlier-armorer") == "a former armorer"
        assert roles.party("armorer-a") == "the armorer"  # the one armorer at the time keeps "the"

    def test_roles_capitalise_names_do_not(self) -> None:
        """A rationale that starts with a party takes a capital when the party is a role, never a name."""
        record = setsafety.load_case(str(EXAMPLE))
        reason = Reason(code="handling.near", state="degraded", parties={"who": "operator-d"})
        assert phrasing.Phrasing(phrasing.Roles(record)).rationale("degraded", [reason]) == (
            "The camera operator stood near, without a shield.")
        assert phrasing.Phrasing(phrasing.Names(record)).rationale("degraded", [reason]) == (
            "operator-d stood near, without a shield.")


def test_lesson_json_carries_codes() -> None:
    """A lesson's JSON gives each layer's reason codes and each piece of evidence its code, so a
    training kit can match on them instead of on words."""
    data = json.loads(render_lessons(setsafety.load_case("rust-2021"), format="json"))
    for layer in data["layers_not_held"]:
        assert layer["reasons"] and set(layer["reasons"]) <= set(phrasing.CATALOGUE["reasons"])
        assert {item["code"] for item in layer["evidence"]} <= set(phrasing.CATALOGUE["evidence"])
