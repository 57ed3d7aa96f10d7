"""Walking a record's objects together with their JSON pointers."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, Literal, get_args, get_origin

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
        if attrs.has(cls):
            with contextlib.suppress(NameError):  # annotations it cannot resolve stay strings: walked
                attrs.resolve_types(cls)
        found = tuple(
            (field.name, "/" + JSON_NAMES.get(field.name, field.name)) for field in reversed(attrs.fields(cls))
            if _may_hold_objects(field.type)
        ) if attrs.has(cls) else None
        _FIELDS[cls] = found
        return found


def _may_hold_objects(annotation: Any) -> bool:
    """Whether a field of this type can hold model objects (a string or a list of ids cannot).
    A type not resolved (a string), or ``Any``, may hold anything."""
    if isinstance(annotation, str) or annotation is Any:
        return True
    if isinstance(annotation, type) and attrs.has(annotation):
        return True
    return get_origin(annotation) is not Literal and any(
        _may_hold_objects(arg) for arg in get_args(annotation) if arg is not Ellipsis
    )


#: Values that hold no model object: not worth a trip through the stack.
_LEAVES = frozenset({str, int, float, bool, dict})


def walk(obj: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Yield ``(pointer, object)`` for ``obj`` and every model object inside it, in document order."""
    stack: list[tuple[str, Any]] = [(pointer, obj)]
    pop, push = stack.pop, stack.append
    while stack:
        here, value = pop()
        if isinstance(value, tuple):
            for index in range(len(value) - 1, -1, -1):
                item = value[index]
                if type(item) not in _LEAVES:
                    push((f"{here}/{index}", item))
            continue
        fields = _fields(type(value))
        if fields is None:
            continue
        yield here, value
        for name, key in fields:
            child = getattr(value, name)
            if child is not None and type(child) not in _LEAVES:
                push((here + key, child))
