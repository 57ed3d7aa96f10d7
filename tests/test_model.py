"""Tests for setsafety.model: the attrs classes, the converter, and their agreement with the schema."""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any

import attrs
import cattrs
import pytest

import setsafety
from setsafety._data import cases_dir, protocols_dir, schemas_dir
from setsafety.model import Protocol, Record, converter, structure, unstructure
from setsafety.model import protocol as protocol_model
from setsafety.model import record as m
from setsafety.model.convert import quick_structure_fn
from setsafety.model.walk import resolve, walk

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "fictional-blank-injury.json"
SCHEMA = json.loads((schemas_dir() / "incident.schema.json").read_text(encoding="utf-8"))
DEFS = SCHEMA["$defs"]
RECORD_FILES = [pytest.param(EXAMPLE, id="example")] + [
    pytest.param(cases_dir() / f"{case_id}.json", id=case_id) for case_id in setsafety.list_cases()
] + [
    pytest.param(path, id=f"{path.parent.name}/{path.stem}")
    for folder in ("patterns", "v1_0") for path in sorted((ROOT / "tests" / "fixtures" / folder).glob("*.json"))
]


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _enum(*path: str) -> list[str]:
    node: Any = DEFS
    for key in path:
        node = node[key]
    values: list[str] = node["enum"]
    return values


class TestRoundTrip:
    @pytest.mark.parametrize("path", RECORD_FILES)
    def test_unstructure_structure_is_identity(self, path: Path) -> None:
        """unstructure(structure(data)) gives back exactly the data, down to the JSON text."""
        data = _read(path)
        again = unstructure(structure(data, Record))
        assert again == data
        assert json.dumps(again, sort_keys=True) == json.dumps(data, sort_keys=True)

    def test_absent_list_stays_absent(self, example_data: dict[str, Any]) -> None:
        """A list the record leaves out ('not recorded') is still left out."""
        assert "timeline" not in example_data
        record = structure(example_data, Record)
        assert record.timeline is None
        assert "timeline" not in unstructure(record)

    def test_empty_list_stays_empty(self, example_data: dict[str, Any]) -> None:
        """An empty list ('recorded, none') stays an empty list."""
        assert example_data["warnings"] == []
        record = structure(example_data, Record)
        assert record.warnings == ()
        assert unstructure(record)["warnings"] == []

    def test_integer_stays_integer(self, example_data: dict[str, Any]) -> None:
        """distance_m given as 2 comes back as the int 2, not 2.0."""
        record = structure(example_data, Record)
        assert record.incident is not None and record.incident.positions is not None
        assert type(record.incident.positions[0].distance_m) is int
        assert type(unstructure(record)["incident"]["positions"][0]["distance_m"]) is int

    def test_float_stays_float(self, example_data: dict[str, Any]) -> None:
        """distance_m given as 2.5 comes back as 2.5."""
        example_data["incident"]["positions"][0]["distance_m"] = 2.5
        assert unstructure(structure(example_data, Record))["incident"]["positions"][0]["distance_m"] == 2.5

    def test_schema_key_survives(self, example_data: dict[str, Any]) -> None:
        """"$schema" is kept as schema_uri and written back as "$schema"."""
        uri = "https://setsafety.org/schemas/1.0/incident.schema.json"
        example_data = {"$schema": uri, **example_data}
        record = structure(example_data, Record)
        assert record.schema_uri == uri
        assert unstructure(record) == example_data
        assert setsafety.validate(example_data) == []

    def test_extensions_survive(self, example_data: dict[str, Any]) -> None:
        """A user's extensions come back unchanged."""
        example_data["extensions"] = {"x-studio": {"ticket": 42, "tags": ["a", "b"]}, "org.example": None}
        assert setsafety.validate(example_data) == []
        assert unstructure(structure(example_data, Record)) == example_data

    def test_extra_key_is_refused(self, example_data: dict[str, Any]) -> None:
        """The converter refuses a key the model does not know, so no data is dropped silently."""
        example_data["weapons"][0]["colour"] = "black"
        with pytest.raises(cattrs.BaseValidationError):
            structure(example_data, Record)

    def test_protocol_round_trip(self) -> None:
        """The bundled firearms protocol round-trips exactly too."""
        data = _read(protocols_dir() / "firearms.json")
        assert unstructure(structure(data, Protocol)) == data


class TestStrictStructure:
    @pytest.mark.parametrize(("path", "bad", "expected"), [
        (("incident", "positions", 0, "distance_m"), "far", "distance_m"),
        (("case", "sources"), "ab", "case.sources"),
        (("id",), 3, "$.id"),
        (("incident", "pointed_at_person"), "yes", "pointed_at_person"),
        (("people", 0, "roles", 0, "on_set"), 1, "on_set"),
        (("incident", "positions", 0, "distance_m"), True, "distance_m"),
    ])
    def test_no_coercion(self, example_data: dict[str, Any], path: tuple[Any, ...], bad: Any,
                         expected: str) -> None:
        """The public structure() checks types and never coerces: no string to number or bool,
        number to string, bool to number, or string to a tuple of its characters."""
        target = example_data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = bad
        with pytest.raises(cattrs.BaseValidationError) as caught:
            structure(example_data, Record)
        assert any(expected in line for line in cattrs.transform_error(caught.value))

    def test_integers_stay_integers(self, example_data: dict[str, Any]) -> None:
        """A number field given an integer keeps it an integer (the JSON text comes back the same)."""
        example_data["incident"]["positions"][0]["distance_m"] = 2
        record = structure(example_data, Record)
        assert unstructure(record)["incident"]["positions"][0]["distance_m"] == 2
        assert type(unstructure(record)["incident"]["positions"][0]["distance_m"]) is int


class _Text(str):
    """A subclass of str: the converter takes it as a string; the quick path leaves it to the converter."""


MODEL_CLASSES = [cls for module in (m, protocol_model) for cls in vars(module).values()
                 if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == module.__name__]


class TestQuickStructure:
    @pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda cls: cls.__name__)
    def test_every_field_checked_inline(self, cls: type) -> None:
        """Every field of every model class is checked by the generated code itself, none by a
        converter hook (which would be correct, only slow)."""
        namespace = quick_structure_fn(cls).__globals__
        assert [name for name in namespace if name.startswith("_hook")] == []

    @pytest.mark.parametrize("path", RECORD_FILES)
    def test_same_record_as_the_converter(self, path: Path) -> None:
        """On every bundled record the quick path builds exactly what the converter builds
        (integers stay integers, booleans booleans)."""
        data = _read(path)
        built = quick_structure_fn(Record)(data)
        assert built == converter.structure(data, Record)
        assert json.dumps(unstructure(built), sort_keys=True) == json.dumps(data, sort_keys=True)

    @pytest.mark.parametrize("name", setsafety.list_protocols())
    def test_same_protocol_as_the_converter(self, name: str) -> None:
        """And on every bundled protocol."""
        data = _read(protocols_dir() / f"{name}.json")
        assert quick_structure_fn(Protocol)(data) == converter.structure(data, Protocol)

    @pytest.mark.parametrize(("path", "unusual"), [
        (("id",), _Text("fictional-blank-injury")),  # a str subclass: the converter's hook takes it
        (("case", "hazards"), ("blank-fire",)),  # a tuple for a list: the converter takes it
        (("incident", "positions", 0, "distance_m"), True),  # a bool for a number: the converter refuses it
        (("case", "summary"), None),
        (("people", 0, "kind"), "someone"),
        (("people", 0, "roles"), "actor"),
        (("id",), 7),
        (("incident", "unknown_key"), 1),
    ])
    def test_leaves_the_unusual_to_the_converter(self, example_data: dict[str, Any], path: tuple[Any, ...],
                                                 unusual: Any) -> None:
        """What the quick path does not take exactly as it is, it declines; ``structure`` then gives
        what the converter gives, object or messages."""
        target = example_data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = unusual
        with pytest.raises(Exception):  # noqa: B017 - declining, by any exception, is the point
            quick_structure_fn(Record)(example_data)
        try:
            expected: Any = converter.structure(example_data, Record)
        except cattrs.BaseValidationError as error:
            expected = cattrs.transform_error(error)
        try:
            got: Any = structure(example_data, Record)
        except cattrs.BaseValidationError as error:
            got = cattrs.transform_error(error)
        assert got == expected

    def test_str_subclass_in_a_list_of_ids(self, example_data: dict[str, Any]) -> None:
        """In a list of ids the quick path, like the converter's hook of ``str``, takes a subclass of str."""
        example_data["case"]["sources"][0] = _Text(example_data["case"]["sources"][0])
        built = quick_structure_fn(Record)(example_data)
        assert built == converter.structure(example_data, Record)
        assert type(built.case.sources[0]) is _Text

    def test_missing_key_left_to_the_converter(self, example_data: dict[str, Any]) -> None:
        """A missing required key is the converter's to report, with its message."""
        del example_data["people"][0]["kind"]
        with pytest.raises(cattrs.BaseValidationError) as caught:
            structure(example_data, Record)
        assert any("kind" in line and "required" in line for line in cattrs.transform_error(caught.value))


class TestRecord:
    def test_frozen(self, example_data: dict[str, Any]) -> None:
        """Records are immutable."""
        record = structure(example_data, Record)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            record.id = "other"  # type: ignore[misc]

    def test_party_and_source_lookup(self, example_data: dict[str, Any]) -> None:
        """Record.party and Record.source find by id, and give None for an unknown id."""
        record = structure(example_data, Record)
        party = record.party("armorer-a")
        assert party is not None and party.has_role("armorer", "property-master")
        assert record.party("nobody") is None
        source = record.source("src-incident-report")
        assert source is not None and source.kind == "other"
        assert record.source("nothing") is None

    def test_walk_pointers_resolve(self, example_data: dict[str, Any]) -> None:
        """Every pointer walk() yields points at an object in the JSON data."""
        pointers = [pointer for pointer, _ in walk(structure(example_data, Record))]
        assert "/custody/5" in pointers and "/incident/positions/0" in pointers
        assert [p for p in pointers if not isinstance(resolve(example_data, p)[1], dict)] == []

    def test_resolve(self) -> None:
        """resolve follows RFC 6901 pointers, with ~1 and ~0 unescaped."""
        data = {"a/b": {"c~d": [10, 20]}}
        assert resolve(data, "/a~1b/c~0d/1") == (True, 20)
        assert resolve(data, "") == (True, data)
        assert resolve(data, "/a~1b/c~0d/2") == (False, None)
        assert resolve(data, "a") == (False, None)


#: The model class for each object in the schema's $defs.
CLASSES = {
    "case": m.Case, "location": m.Location, "production": m.Production, "qualification": m.Qualification,
    "experience": m.Experience, "role": m.Role, "party": m.Party, "weapon": m.Weapon,
    "ammunition_found": m.Found, "ammunition_lot": m.AmmunitionLot, "origin": m.Origin,
    "storage": m.Storage, "custody_event": m.CustodyEvent, "check": m.Check, "warning": m.PriorWarning,
    "response": m.Response, "condition": m.Condition, "timeline_entry": m.TimelineEntry,
    "position": m.Position, "incident": m.Incident, "casualty": m.Casualty, "care": m.Care,
    "stoppage": m.Stoppage, "outcome": m.Outcome, "damage": m.Damage, "finding": m.Finding,
    "investigation": m.Investigation, "money": m.Money, "action_step": m.Step,
    "regulatory_action": m.RegulatoryAction, "legal_case": m.LegalCase, "change": m.Change,
    "aftermath": m.Aftermath, "dispute_position": m.DisputePosition, "dispute": m.Dispute,
    "source": m.Source, "when": m.When, "presence": m.Presence, "item_condition": m.ItemCondition,
    "made": m.Made, "equipment": m.Equipment,
}


class TestSchemaAgreement:
    def test_every_object_def_has_a_class(self) -> None:
        """Each object in $defs with properties has a model class in the table above."""
        objects = {name for name, node in DEFS.items() if "properties" in node and name != "fact"}
        assert objects == set(CLASSES)

    def test_every_fact_class_is_a_fact(self) -> None:
        """The schema's fact objects (those that take the 'fact' fields) are exactly the model's Fact classes."""
        facts = {name for name, node in DEFS.items() if {"$ref": "#/$defs/fact"} in node.get("allOf", [])}
        assert {name for name, cls in CLASSES.items() if issubclass(cls, m.Fact)} == facts

    @pytest.mark.parametrize(("name", "cls"), sorted(CLASSES.items()), ids=sorted(CLASSES))
    def test_fields_match_properties(self, name: str, cls: type) -> None:
        """A class has one attribute per schema property, and the required ones have no default."""
        fields = attrs.fields(cls)
        assert sorted(field.name for field in fields) == sorted(DEFS[name]["properties"])
        required = sorted(field.name for field in fields if field.default is attrs.NOTHING)
        assert required == sorted(DEFS[name].get("required", []))

    def test_record_fields_match_top_level(self) -> None:
        """Record has the top-level properties, with "$schema" as schema_uri."""
        names = sorted("$schema" if f.name == "schema_uri" else f.name for f in attrs.fields(Record))
        assert names == sorted(SCHEMA["properties"])
        assert sorted(f.name for f in attrs.fields(Record) if f.default is attrs.NOTHING) == sorted(SCHEMA["required"])

    @pytest.mark.parametrize(("alias", "enum"), [
        ("Certainty", ("certainty",)),
        ("Precision", ("when", "properties", "precision")),
        ("Hazard", ("hazard",)),
        ("EventKind", ("case", "properties", "event_kind")),
        ("RecordStatus", ("case", "properties", "status")),
        ("RoleName", ("role_name",)),
        ("Subject", ("subject",)),
        ("RelativeToEvent", ("when", "properties", "relative")),
        ("RoleTiming", ("role", "properties", "timing")),
        ("ComponentState", ("ammunition_lot", "properties", "components", "properties", "primer")),
        ("EquipmentKind", ("equipment", "properties", "kind")),
        ("ConditionOfItem", ("item_condition", "properties", "kind")),
        ("WeaponKind", ("weapon", "properties", "kind")),
        ("AmmunitionKind", ("ammunition_lot", "properties", "kind")),
        ("Verification", ("verification",)),
        ("CustodyAction", ("custody_event", "properties", "action")),
        ("CheckKind", ("check_kind",)),
        ("CheckStatus", ("check", "properties", "status")),
        ("WarningKind", ("warning", "properties", "kind")),
        ("ResponseLevel", ("response", "properties", "level")),
        ("ConditionKind", ("condition", "properties", "kind")),
        ("Relation", ("position", "properties", "relation")),
        ("Activity", ("incident", "properties", "activity")),
        ("Severity", ("casualty", "properties", "severity")),
        ("Verdict", ("finding", "properties", "verdict")),
    ])
    def test_literal_matches_enum(self, alias: str, enum: tuple[str, ...]) -> None:
        """A Literal alias in model/record.py lists exactly the schema's enum, in the same order."""
        assert list(typing.get_args(getattr(m, alias))) == _enum(*enum)

    def test_hazard_lists_agree(self) -> None:
        """The case's hazards list uses the same values as $defs/hazard."""
        assert DEFS["case"]["properties"]["hazards"]["items"] == {"$ref": "#/$defs/hazard"}

    @pytest.mark.parametrize(("cls", "field", "enum"), [
        (m.Experience, "level", ("experience", "properties", "level")),
        (m.Party, "kind", ("party", "properties", "kind")),
        (m.AmmunitionLot, "marking", ("ammunition_lot", "properties", "marking")),
        (m.Check, "frequency", ("check", "properties", "frequency")),
        (m.LegalCase, "kind", ("legal_case", "properties", "kind")),
        (m.Dispute, "kind", ("dispute", "properties", "kind")),
        (m.Presence, "reason", ("presence", "properties", "reason")),
        (m.Party, "headcount_precision", ("party", "properties", "headcount_precision")),
        (m.Made, "method", ("made", "properties", "method")),
        (m.Source, "date_precision", ("source", "properties", "date_precision")),
    ])
    def test_inline_literal_matches_enum(self, cls: type, field: str, enum: tuple[str, ...]) -> None:
        """A Literal written inline on a field also matches its schema enum."""
        hints = typing.get_type_hints(cls)
        args = [arg for arg in typing.get_args(hints[field]) if arg is not type(None)]
        literal = args[0] if typing.get_origin(hints[field]) is not typing.Literal else hints[field]
        assert list(typing.get_args(literal)) == _enum(*enum)
