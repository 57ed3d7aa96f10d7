"""Structural validation: the JSON Schema, reported as ``Problem``s."""

from __future__ import annotations

from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match

from setsafety.pointers import document_order, pointer_from
from setsafety.problems import Problem, at_most
from setsafety.schema.registry import validator


def structural_problems(data: Any, schema_id: str) -> list[Problem]:
    """Every place where ``data`` breaks the schema, in document order (the first ``MAX_PROBLEMS``)."""
    return at_most((_problem(error) for error in validator(schema_id).iter_errors(data)),
                   key=lambda problem: document_order(problem.pointer))


def _problem(error: ValidationError) -> Problem:
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


def placeholder_problems(data: Any) -> list[Problem]:
    """Every string still holding a ``TODO`` placeholder from the skeleton (the first ``MAX_PROBLEMS``)."""
    if not _has_placeholder(data):
        return []
    problems = []
    stack: list[tuple[list[str | int], Any]] = [([], data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(([*path, key], child) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend(([*path, index], child) for index, child in enumerate(value))
        elif isinstance(value, str) and value.startswith(PLACEHOLDER):
            problems.append(Problem(
                pointer=pointer_from(path), code="placeholder",
                message=f"still a placeholder: {value[:200]}",
            ))
    return at_most(problems, key=lambda problem: document_order(problem.pointer))


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
