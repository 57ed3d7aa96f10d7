"""Structural validation: the JSON Schema, reported as ``Problem``s.

jsonschema-rs gives the verdict: a record it finds valid has no structural
problem. For a record it refuses, the reference engine (the pure-Python
``jsonschema``) finds every problem and words it, as setsafety always has.
``tests/test_parity.py`` holds the two engines to the same verdict.
"""

from __future__ import annotations

import math
from functools import cache
from typing import TYPE_CHECKING, Any

from setsafety.pointers import document_order, pointer_from
from setsafety.problems import Problem, at_most
from setsafety.schema.registry import fast_validator, validator

if TYPE_CHECKING:
    import jsonschema_rs
    from jsonschema import ValidationError


def structural_problems(data: Any, schema_id: str, *, plain: bool | None = None) -> list[Problem]:
    """Every place where ``data`` breaks the schema, in document order (the first ``MAX_PROBLEMS``).

    ``plain`` says whether ``data`` is known to hold only what JSON text can (see
    ``is_plain_json``); ``None``: find out. Anything else (a tuple, a set, a key
    that is not a string, a NaN) is judged by the reference engine alone, as it
    always was: jsonschema-rs would read a tuple as an array, or refuse a set outright.
    """
    if plain is None:
        plain = is_plain_json(data)
    if plain and fast_validator(schema_id).is_valid(data):
        return []
    found = at_most((_problem(error) for error in validator(schema_id).iter_errors(data)), key=_order)
    if not found and plain:
        # The engines disagree (a bug tests/test_parity.py looks for): the stricter verdict stands.
        found = at_most((
            Problem(pointer=pointer_from(error.instance_path), code=f"schema-{error.kind.name}",
                    message=error.message[:300])
            for error in fast_validator(schema_id).iter_errors(data)
        ), key=_order)
    return found


def _order(problem: Problem) -> Any:
    return document_order(problem.pointer)


def _problem(error: ValidationError) -> Problem:
    from jsonschema.exceptions import best_match

    if error.context:
        error = best_match(error.context)
    path = list(error.absolute_path)
    message = error.message
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        extra = sorted(key for key in error.instance if key not in allowed)
        if len(extra) == 1:
            path.append(extra[0])
            message = f"unknown field {extra[0]!r}"
        else:
            message = "unknown fields " + ", ".join(repr(key) for key in extra)
    elif error.validator == "type":
        message = f"expected {_names(error.validator_value)}, found {_json_type(error.instance)}"
    elif error.validator == "required":
        message = message.replace("is a required property", "is required here")
    if len(message) > 300:
        message = message[:297] + "..."
    return Problem(pointer=pointer_from(path), code=f"schema-{error.validator}", message=message)


def _names(types: Any) -> str:
    if isinstance(types, list):
        return " or ".join(str(name) for name in types)
    return str(types)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


#: How a skeleton from ``setsafety new`` marks what is still to be written.
PLACEHOLDER = "TODO:"

#: A schema any JSON value meets unless a string somewhere in it starts with the placeholder.
_NO_PLACEHOLDER = {
    "$defs": {"value": {
        "not": {"type": "string", "pattern": "^" + PLACEHOLDER},  # PLACEHOLDER holds no regex syntax
        "items": {"$ref": "#/$defs/value"},
        "additionalProperties": {"$ref": "#/$defs/value"},
    }},
    "$ref": "#/$defs/value",
}


@cache
def _no_placeholder() -> jsonschema_rs.Validator:
    import jsonschema_rs

    return jsonschema_rs.validator_for(_NO_PLACEHOLDER)


def placeholder_problems(data: Any, *, plain: bool = False, text: bytes | None = None) -> list[Problem]:
    """Every string still holding a ``TODO`` placeholder from the skeleton (the first ``MAX_PROBLEMS``).

    Whether there is any is found first, cheaply: in the JSON ``text`` the data was read from, if
    given (see ``may_hold_placeholder``); for ``plain`` JSON data by jsonschema-rs (a tenth of the
    time of the walk that finds where they are), otherwise by a walk that builds no pointers.
    """
    if text is not None and not may_hold_placeholder(text):
        return []
    found_any = not _no_placeholder().is_valid(data) if plain else _has_placeholder(data)
    if not found_any:
        return []
    problems = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*path, key), child) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, index), child) for index, child in enumerate(value))
        elif isinstance(value, str) and value.startswith(PLACEHOLDER):
            problems.append(Problem(
                pointer=pointer_from(path), code="placeholder",
                message=f"still a placeholder: {value[:200]}",
            ))
    return at_most(problems, key=_order)


#: The placeholder as it is written in JSON text, and the starts of the escapes that could write one of
#: its characters (``T`` is ``\\u0054``, ``O`` ``\\u004f``, ``D`` ``\\u0044``, ``:`` ``\\u003a``).
_PLACEHOLDER_TEXT = PLACEHOLDER.encode("ascii")
_ESCAPES = (b"\\u003", b"\\u004", b"\\u005")


def may_hold_placeholder(text: bytes) -> bool:
    """Whether any string of this JSON text could start with the placeholder: ``False`` when the text
    holds neither the placeholder itself nor an escape that could spell a character of it (a search of
    the bytes, a twentieth of the time of asking jsonschema-rs about the data)."""
    return _PLACEHOLDER_TEXT in text or (b"\\u00" in text and any(escape in text for escape in _ESCAPES))


def _has_placeholder(data: Any) -> bool:
    """Whether any string holds a placeholder: a quick walk, level by level, that builds no pointers."""
    level = [data]
    while level:
        below: list[Any] = []
        for value in level:
            if isinstance(value, dict):
                below.extend(value.values())
            elif isinstance(value, list):
                below.extend(value)
            elif isinstance(value, str) and value.startswith(PLACEHOLDER):
                return True
        level = [value for value in below if isinstance(value, (dict, list, str))]
    return False


def is_plain_json(data: Any) -> bool:
    """Whether ``data`` holds only what JSON text can: dicts with string keys, lists,
    strings, finite numbers, booleans and ``None`` (no subclasses of them either)."""
    stack = [data]
    pop, push = stack.pop, stack.append
    while stack:
        value = pop()
        kind = type(value)
        if kind is dict:
            for key, child in value.items():
                if type(key) is not str:
                    return False
                if type(child) in _CONTAINERS:
                    push(child)
                elif type(child) not in _SCALARS or (type(child) is float and not math.isfinite(child)):
                    return False
        elif kind is list:
            for child in value:
                if type(child) in _CONTAINERS:
                    push(child)
                elif type(child) not in _SCALARS or (type(child) is float and not math.isfinite(child)):
                    return False
        elif kind not in _SCALARS or (kind is float and not math.isfinite(value)):
            return False
    return True


_CONTAINERS = frozenset({dict, list})
_SCALARS = frozenset({str, int, float, bool, type(None)})
