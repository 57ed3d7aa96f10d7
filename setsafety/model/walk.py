"""Walking a record's objects together with their JSON pointers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from setsafety.pointers import resolve

__all__ = ["JSON_NAMES", "resolve", "walk"]

#: Attribute names that differ from their JSON keys.
JSON_NAMES = {"schema_uri": "$schema"}


#: Per class: ``(attribute, "/json-key")`` for each field, last first; ``None`` for a class that is not attrs.
_FIELDS: dict[type, tuple[tuple[str, str], ...] | None] = {}


def _fields(cls: type) -> tuple[tuple[str, str], ...] | None:
    try:
        return _FIELDS[cls]
    except KeyError:
        found = tuple(
            (field.name, "/" + JSON_NAMES.get(field.name, field.name)) for field in reversed(attrs.fields(cls))
        ) if attrs.has(cls) else None
        _FIELDS[cls] = found
        return found


def walk(obj: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Yield ``(pointer, object)`` for ``obj`` and every model object inside it, in document order."""
    stack: list[tuple[str, Any]] = [(pointer, obj)]
    pop, push = stack.pop, stack.append
    while stack:
        here, value = pop()
        if isinstance(value, tuple):
            for index in range(len(value) - 1, -1, -1):
                push((f"{here}/{index}", value[index]))
            continue
        fields = _fields(type(value))
        if fields is None:
            continue
        yield here, value
        for name, key in fields:
            child = getattr(value, name)
            if child is not None:
                push((here + key, child))
