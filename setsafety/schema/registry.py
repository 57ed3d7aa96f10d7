"""The published JSON Schemas, loaded once into a ``referencing`` registry."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from setsafety._data import schemas_dir

INCIDENT_SCHEMA_ID = "https://setsafety.org/schemas/1.0/incident.schema.json"
PROTOCOL_SCHEMA_ID = "https://setsafety.org/schemas/1.0/protocol.schema.json"
SCHEMA_FILES = {"incident": "incident.schema.json", "protocol": "protocol.schema.json"}


@cache
def registry() -> Registry[Any]:
    """Every shipped schema, keyed by its ``$id``."""
    resources = []
    for name in SCHEMA_FILES.values():
        contents = json.loads((schemas_dir() / name).read_text(encoding="utf-8"))
        resources.append(Resource.from_contents(contents))
    return (resources @ Registry()).crawl()


def schema(schema_id: str) -> dict[str, Any]:
    """The schema with this ``$id``."""
    contents: dict[str, Any] = registry().contents(schema_id)
    return contents


@cache
def validator(schema_id: str) -> Draft202012Validator:
    """A Draft 2020-12 validator for the schema, with ``format`` enforced."""
    return Draft202012Validator(
        schema(schema_id),
        registry=registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
