"""Checking a record from end to end, and loading it only when it passes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import attrs
import cattrs

from setsafety.errors import InvalidRecordError
from setsafety.model import Record, structure
from setsafety.model.convert import quick_structure_fn
from setsafety.problems import Problem, at_most, has_errors
from setsafety.reading import YAML_SUFFIXES, check_data, read_file, within_depth
from setsafety.schema import (
    INCIDENT_SCHEMA_ID,
    INCIDENT_SCHEMA_IDS,
    incident_schema_id,
    semantic_problems,
    structural_problems,
)
from setsafety.schema.registry import fast_validator
from setsafety.schema.structural import is_plain_json, placeholder_problems

RecordInput = str | os.PathLike[str] | dict[str, Any]


def validate(data_or_path: RecordInput | Any) -> list[Problem]:
    """All problems of a record: a path to a JSON file, or JSON data already parsed.

    Errors make the record invalid; warnings do not. An unreadable file raises
    ``OSError``; everything wrong with the file's contents is a problem.
    """
    return _check(data_or_path)[1]


def prepare() -> None:
    """Build now what checking a record builds on first use: the validators of the current format's
    schema and of depth, and the structuring functions. Processes forked after this share them, rather
    than each building them again (a fifth of a second each)."""
    fast_validator(INCIDENT_SCHEMA_ID)
    within_depth()
    quick_structure_fn(Record)


def load_record(data_or_path: RecordInput | Any) -> Record:
    """The record as model objects; raise ``InvalidRecordError`` if it has errors."""
    record, problems = _check(data_or_path)
    if record is None or has_errors(problems):
        raise InvalidRecordError(problems)
    return record


def _check(data_or_path: Any) -> tuple[Record | None, list[Problem]]:
    file: str | None = None
    json_text: bytes | None = None  # the JSON text the data was read from, if it was
    if isinstance(data_or_path, (str, os.PathLike)):
        path = Path(data_or_path)
        file = str(path)
        try:
            data, raw = read_file(path)
        except InvalidRecordError as error:
            return None, [problem.located(file) for problem in error.problems]
        json_text = raw if path.suffix.lower() not in YAML_SUFFIXES else None
    else:
        try:
            data = check_data(data_or_path)
        except InvalidRecordError as error:
            return None, error.problems
    # What the JSON reader gives is plain JSON by construction; YAML keys and data from a caller may be anything.
    plain = json_text is not None or is_plain_json(data)
    placeholders = placeholder_problems(data, plain=plain, text=json_text)
    unfilled = {problem.pointer for problem in placeholders}
    problems = placeholders + [
        _version_message(problem) for problem in structural_problems(data, incident_schema_id(data), plain=plain)
        if problem.pointer not in unfilled
    ]
    record = None
    if not problems:
        try:
            record = structure(data, Record)
        except cattrs.BaseValidationError as error:  # the schema and the model disagree: a bug
            problems = [
                Problem(pointer="", code="model", message=f"cannot load the record: {line}")
                for line in cattrs.transform_error(error)
            ]
    if record is not None:
        problems.extend(semantic_problems(record, data))
        if file is not None and Path(file).stem != record.id:
            problems.append(Problem(
                pointer="/id", severity="warning", code="id-filename",
                message=f"the case id {record.id!r} differs from the file name {Path(file).name!r}",
            ))
    return record, at_most(problem.located(file) for problem in problems)


def _version_message(problem: Problem) -> Problem:
    """An unknown ``schema_version`` is said with every version this release reads, not only the newest."""
    if problem.pointer != "/schema_version" or problem.code != "schema-enum":
        return problem
    found = problem.message.split(" is not one of ", 1)[0]
    known = ", ".join(repr(version) for version in INCIDENT_SCHEMA_IDS)
    return attrs.evolve(problem, message=f"{found} is not a record format version this release reads ({known}); "
                                         "see `setsafety migrate`")
