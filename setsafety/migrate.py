"""Upgrading records to the current record format, losslessly (as VERIS does between versions).

Each format version that has a successor has one step here: a function from a
record of that version to the same record in the next version. ``upgrade`` runs
the steps in turn. ``migrate_text`` upgrades a file's text and keeps everything
the author wrote: when a step changes nothing but the version (as 1.0 to 1.1
does: 1.1 only adds fields and values), only the ``schema_version`` value (and a
``$schema`` that names the old schema) is replaced in the text, so indentation,
key order and YAML comments stay as they were; the result is parsed again and
must be exactly the upgraded data.

A record is migrated only if it is valid in its own version, and the result is
kept only if it is valid in the new one: nothing is ever silently dropped.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any

import attrs

from setsafety.errors import InvalidRecordError
from setsafety.problems import Problem, has_errors
from setsafety.reading import parse_bytes
from setsafety.schema.registry import CURRENT_VERSION, INCIDENT_SCHEMA_IDS
from setsafety.validation import validate

Data = dict[str, Any]

def _from_1_0(data: Data) -> Data:
    """1.0 to 1.1: 1.1 only adds fields and values, so a 1.0 record is a 1.1 record with a new version."""
    upgraded = copy.deepcopy(data)
    upgraded["schema_version"] = "1.1"
    if upgraded.get("$schema") == INCIDENT_SCHEMA_IDS["1.0"]:
        upgraded["$schema"] = INCIDENT_SCHEMA_IDS["1.1"]
    return upgraded


#: version -> (next version, step)
STEPS: dict[str, tuple[str, Callable[[Data], Data]]] = {
    "1.0": ("1.1", _from_1_0),
}


@attrs.frozen
class Migration:
    """The outcome of migrating one record: its text before and after, and the versions."""

    before: str
    after: str
    from_version: str
    to_version: str

    @property
    def changed(self) -> bool:
        """Whether the migration changed anything (a current record is left as it is)."""
        return self.before != self.after


def upgrade(data: Data) -> Data:
    """The record in the current format (a current record comes back unchanged)."""
    version = data.get("schema_version")
    seen = set()
    while isinstance(version, str) and version in STEPS and version not in seen:
        seen.add(version)
        version, step = STEPS[version]
        data = step(data)
    return data


def migrate_text(text: str, *, yaml: bool) -> Migration:
    """Upgrade a record file's text to the current format.

    Raises ``InvalidRecordError`` when the record is not valid in its own version
    (fix it first), or when the upgrade would not be valid in the new one.
    """
    data = parse_bytes(text.encode("utf-8"), yaml=yaml)
    version = data.get("schema_version") if isinstance(data, dict) else None
    problems = validate(data)
    if has_errors(problems):
        raise InvalidRecordError(problems)
    if version == CURRENT_VERSION:
        return Migration(text, text, CURRENT_VERSION, CURRENT_VERSION)
    upgraded = upgrade(data)
    after_problems = [problem for problem in validate(upgraded) if problem.severity == "error"]
    if after_problems:
        raise InvalidRecordError([
            attrs.evolve(problem, code="migration",
                         message=f"after the upgrade to {CURRENT_VERSION}: {problem.message}")
            for problem in after_problems
        ])
    after = _edit_in_place(text, data, upgraded, yaml=yaml)
    if after is None:
        raise InvalidRecordError([Problem(
            pointer="/schema_version", code="migration",
            message=f"cannot change the version without rewriting the whole file (its layout is not the usual "
                    f"one); set schema_version to {CURRENT_VERSION!r} by hand",
        )])
    return Migration(text, after, str(version), CURRENT_VERSION)


def _edit_in_place(text: str, before: Data, after: Data, *, yaml: bool) -> str | None:
    """The text with only the changed top-level string values replaced, if that is all that changed
    and the edit parses back to ``after``; ``None`` otherwise."""
    changed = {key for key in after if before.get(key) != after[key]}
    if set(before) != set(after) or not all(
        isinstance(before[key], str) and isinstance(after[key], str) for key in changed
    ):
        return None
    edited = text
    for key in changed:
        found = _yaml_value_span(edited, key) if yaml else _json_value_span(edited, key)
        if found is None:
            return None
        start, end = found
        quoted = json.dumps(after[key], ensure_ascii=False)
        edited = edited[:start] + quoted + edited[end:]
    try:
        again = parse_bytes(edited.encode("utf-8"), yaml=yaml)
    except InvalidRecordError:
        return None
    return edited if again == after else None


def _json_value_span(text: str, key: str) -> tuple[int, int] | None:
    """Where the string value of a top-level key of a JSON object is: ``(start, end)`` of its quoted token."""
    depth = 0
    i = 0
    current: str | None = None  # the top-level key being read
    in_value = False
    while i < len(text):
        char = text[i]
        if char == '"':
            end = _string_end(text, i)
            if depth == 1 and in_value and current == key:
                return i, end
            if depth == 1 and not in_value:
                current = json.loads(text[i:end])
            i = end
            continue
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        elif depth == 1 and char == ":":
            in_value = True
        elif depth == 1 and char == ",":
            in_value, current = False, None
        i += 1
    return None


def _string_end(text: str, start: int) -> int:
    """The index just after the JSON string token that starts at ``start``."""
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            return i + 1
        i += 1
    return len(text)


def _yaml_value_span(text: str, key: str) -> tuple[int, int] | None:
    """Where the scalar value of a top-level key of a block-style YAML mapping is."""
    pattern = re.compile(
        rf"^(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')[ \t]*:[ \t]*"
        r"(\"[^\"\n]*\"|'[^'\n]*'|[^\s#'\"][^#\n]*?)[ \t]*(?:#.*)?$",
        re.MULTILINE,
    )
    matches = list(pattern.finditer(text))
    if len(matches) != 1:
        return None
    return matches[0].start(1), matches[0].end(1)
