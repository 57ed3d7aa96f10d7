"""The published JSON Schemas, loaded once into a ``referencing`` registry."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from setsafety._data import schemas_dir

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
def registry() -> Registry[Any]:
    """Every shipped schema, keyed by its ``$id``."""
    resources = []
    for name in _ALL_FILES:
        contents = json.loads((schemas_dir() / name).read_text(encoding="utf-8"))
        resources.append(Resource.from_contents(contents))
    return (resources @ Registry()).crawl()


def schema(schema_id: str) -> dict[str, Any]:
    """The schema with this ``$id``."""
    contents: dict[str, Any] = registry().contents(schema_id)
    return contents


@cache
def validator(schema_id: str) -> Draft202012Validator:
    """A Draft 2020-12 validator for the schema, with ``format`` enforced.

    It validates against ``inlined(schema)``: the same checks, without a
    registry lookup at every ``$ref`` (which took half of the validation time).
    """
    return Draft202012Validator(
        inlined(schema(schema_id)),
        registry=registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


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
