"""The published JSON Schemas, loaded once, and the two engines that validate against them.

``fast_validator`` (jsonschema-rs) gives the verdict; ``validator`` (the pure-Python
``jsonschema``, the reference) words the problems of a record found invalid. Both
apply patterns and formats as ``setsafety.schema.formats`` defines them. ``jsonschema``
and ``referencing`` are imported on first use: checking a valid record needs neither.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

from setsafety._data import schemas_dir

if TYPE_CHECKING:
    import jsonschema_rs
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry

#: The record format this version of setsafety writes; older records are read against their own schema.
CURRENT_VERSION = "1.1"
#: The incident schema of each record format version, by ``$id``.
INCIDENT_SCHEMA_IDS = {
    "1.0": "https://setsafety.org/schemas/1.0/incident.schema.json",
    "1.1": "https://setsafety.org/schemas/1.1/incident.schema.json",
}
INCIDENT_SCHEMA_ID = INCIDENT_SCHEMA_IDS[CURRENT_VERSION]
PROTOCOL_SCHEMA_ID = "https://setsafety.org/schemas/1.0/protocol.schema.json"
#: The schemas `setsafety schema` prints, by name: the current ones.
SCHEMA_FILES = {"incident": "incident.schema.json", "protocol": "protocol.schema.json"}
#: Every shipped schema file, older record formats included.
_ALL_FILES = (*SCHEMA_FILES.values(), "incident-1.0.schema.json")


def incident_schema_id(data: Any) -> str:
    """The incident schema a record is checked against: the one of its ``schema_version``,
    or the current one (which then reports an unknown version)."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    return INCIDENT_SCHEMA_IDS.get(version, INCIDENT_SCHEMA_ID) if isinstance(version, str) else INCIDENT_SCHEMA_ID


@cache
def documents() -> dict[str, dict[str, Any]]:
    """Every shipped schema (older record formats included), as JSON data, keyed by its ``$id``."""
    found = {}
    for name in _ALL_FILES:
        contents = json.loads((schemas_dir() / name).read_text(encoding="utf-8"))
        found[contents["$id"]] = contents
    return found


@cache
def registry() -> Registry[Any]:
    """Every shipped schema in a ``referencing`` registry, keyed by its ``$id``."""
    from referencing import Registry, Resource

    resources = [Resource.from_contents(contents) for contents in documents().values()]
    return (resources @ Registry()).crawl()


def schema(schema_id: str) -> dict[str, Any]:
    """The schema with this ``$id``."""
    return documents()[schema_id]


@cache
def validator(schema_id: str) -> Draft202012Validator:
    """The reference validator (pure-Python ``jsonschema``) for the schema.

    It validates against ``inlined(schema)``: the same checks, without a
    registry lookup at every ``$ref`` (which took half of the validation time).
    """
    return reference_validator_for(inlined(schema(schema_id)))


@cache
def fast_validator(schema_id: str) -> jsonschema_rs.Validator:
    """The jsonschema-rs validator for the schema."""
    return fast_validator_for(schema(schema_id))


def reference_validator_for(contents: dict[str, Any]) -> Draft202012Validator:
    """A Draft 2020-12 ``jsonschema`` validator with ``format`` enforced and patterns read as
    ECMA-262 (see ``setsafety.schema.formats``); references to the shipped schemas resolve."""
    created: Draft202012Validator = _reference_class()(contents, registry=registry(), format_checker=_format_checker())
    return created


def fast_validator_for(contents: dict[str, Any]) -> jsonschema_rs.Validator:
    """A jsonschema-rs validator with ``format`` enforced as ``setsafety.schema.formats`` says;
    references to the shipped schemas resolve, and it never fetches anything."""
    import jsonschema_rs

    from setsafety.schema.formats import FAST_ENGINE_FORMATS

    return jsonschema_rs.validator_for(
        contents, validate_formats=True, formats=FAST_ENGINE_FORMATS, registry=_fast_registry(), offline=True,
    )


@cache
def _reference_class() -> type[Draft202012Validator]:
    from jsonschema import Draft202012Validator
    from jsonschema.validators import extend

    from setsafety.schema.formats import pattern_keyword, pattern_properties_keyword

    extended: type[Draft202012Validator] = extend(Draft202012Validator, {  # type: ignore[no-untyped-call]
        "pattern": pattern_keyword, "patternProperties": pattern_properties_keyword,
    })
    return extended


@cache
def _format_checker() -> FormatChecker:
    from setsafety.schema.formats import format_checker

    return format_checker()


@cache
def _fast_registry() -> jsonschema_rs.Registry:
    import jsonschema_rs

    return jsonschema_rs.Registry(list(documents().items()))


#: Keywords that only annotate a schema; a ``$ref`` with only these beside it is just its target.
_ANNOTATIONS = frozenset({"title", "description", "$comment", "examples", "default", "deprecated"})


def inlined(contents: dict[str, Any]) -> dict[str, Any]:
    """The schema with every local ``$ref`` (``#/$defs/name``) replaced by its target.

    A ``$ref`` with validation keywords beside it becomes ``allOf`` of them and
    its target, as Draft 2020-12 applies them; a recursive ``$ref``, or any other
    reference, stays as it is (the registry resolves it). ``$defs`` are kept.
    """
    defs = contents.get("$defs", {})

    def inline(node: Any, expanding: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [inline(item, expanding) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        name = ref.removeprefix("#/$defs/") if isinstance(ref, str) else None
        if name is None or name not in defs or "/" in name or name in expanding:
            return {key: value if key == "$defs" else inline(value, expanding) for key, value in node.items()}
        target = inline(defs[name], (*expanding, name))
        rest = {key: value for key, value in node.items() if key != "$ref"}
        if not rest.keys() - _ANNOTATIONS:
            return {**target, **rest} if isinstance(target, dict) else target
        return {**inline(rest, expanding), "allOf": [*inline(rest.get("allOf", []), expanding), target]}

    result: dict[str, Any] = inline(contents, ())
    return result
