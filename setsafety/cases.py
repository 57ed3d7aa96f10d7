"""The case library: the bundled records, found by id, or any record by path."""

from __future__ import annotations

import re
from pathlib import Path

from setsafety._data import cases_dir
from setsafety.errors import CaseNotFoundError
from setsafety.model import Record
from setsafety.validation import load_record

#: A case id is a slug; nothing else is looked up in the library.
CASE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
RECORD_SUFFIXES = (".json", ".yaml", ".yml")


def list_cases() -> list[str]:
    """The ids of the bundled cases, sorted."""
    folder = cases_dir()
    if not folder.is_dir():
        return []
    return sorted(
        path.stem for path in folder.iterdir()
        if path.suffix in RECORD_SUFFIXES and CASE_ID.match(path.stem)
    )


def case_path(id_or_path: str | Path) -> Path:
    """The file of a bundled case id, or the given path if it names a record file.

    A bundled id is a slug and is looked up only inside the case library, so
    ``../x`` or an absolute path can never be taken for an id, and an id is
    never read from the working directory. Anything that is not a slug (it has
    a ``/`` or a file ending) is treated as a path, and must exist.
    """
    text = str(id_or_path)
    if isinstance(id_or_path, str) and CASE_ID.match(text):
        for suffix in RECORD_SUFFIXES:
            candidate = cases_dir() / f"{text}{suffix}"
            if candidate.is_file():
                return candidate
        known = ", ".join(list_cases()) or "none"
        raise CaseNotFoundError(
            f"no bundled case {text!r} (bundled: {known}); for a file, give its path (e.g. ./{text}.json)")
    path = Path(id_or_path)
    if not path.is_file():
        raise CaseNotFoundError(f"{text!r} is neither a bundled case id nor a record file")
    return path


def load_case(id_or_path: str | Path) -> Record:
    """A validated record: a bundled case by id (see ``list_cases()``) or a record file by path.

    Raises ``CaseNotFoundError`` when there is no such case and
    ``InvalidRecordError`` when the record has errors.
    """
    return load_record(case_path(id_or_path))
