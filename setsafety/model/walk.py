"""Walking a record's objects together with their JSON pointers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

#: Attribute names that differ from their JSON keys.
JSON_NAMES = {"schema_uri": "$schema"}


def walk(obj: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Yield ``(pointer, object)`` for ``obj`` and every model object inside it."""
    stack: list[tuple[str, Any]] = [(pointer, obj)]
    while stack:
        here, value = stack.pop()
        if attrs.has(type(value)):
            yield here, value
            children = []
            for field in attrs.fields(type(value)):
                child = getattr(value, field.name)
                if child is not None:
                    children.append((f"{here}/{JSON_NAMES.get(field.name, field.name)}", child))
            stack.extend(reversed(children))
        elif isinstance(value, tuple):
            stack.extend(reversed([(f"{here}/{index}", item) for index, item in enumerate(value)]))


def resolve(data: Any, pointer: str) -> tuple[bool, Any]:
    """Follow a JSON pointer into JSON data: ``(found, value)``."""
    if pointer == "":
        return True, data
    if not pointer.startswith("/"):
        return False, None
    value = data
    for raw in pointer[1:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return False, None
    return True, value
