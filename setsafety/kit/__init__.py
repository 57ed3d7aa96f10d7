"""A training kit: everything a trainer needs to run a 90-minute session on a case, unedited.

::

    from setsafety.kit import write_kit

    write_kit(["my-incident.json", "another-incident.yaml"], "kit/", audience="first-ad")

writes, for each case, ``kit/<case>/``: ``handout.html`` (two printed pages, A4 or Letter),
``lesson.html`` (the full lesson), ``slides.pptx`` (editable slides with the facilitator's answers in
the notes), ``facilitator.md`` (the 90-minute plan with timings and answers), ``quiz.md`` and
``quiz.html`` (questions from the record's facts, the answers on their own page); with several cases,
``kit/index.html`` lists them. Cases may fall under different protocols.

Every file is made from the lesson data (``setsafety.lessons.lesson``), so it says what the lesson says;
the kit's own words come from ``setsafety.phrasing.KIT``.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import attrs

from setsafety.analysis import Analysis
from setsafety.errors import SetsafetyError
from setsafety.model import Record

__all__ = ["FILES", "PAPERS", "KitError", "KitFile", "write_kit", "kit_files"]

#: The files of a case's folder, in the order they are written.
FILES = ("handout.html", "lesson.html", "slides.pptx", "facilitator.md", "quiz.md", "quiz.html")
#: The paper sizes a handout can be pinned to.
PAPERS = ("a4", "letter")
#: A case id as it may name a folder (the schema's slug).
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class KitError(SetsafetyError, ValueError):
    """A kit cannot be made as asked (an audience a case's protocol lacks, a case given twice)."""


@attrs.frozen
class KitFile:
    """One file of a kit: where it goes and what it holds."""

    path: Path
    data: bytes


CaseArg = Record | Analysis | str | Path


def _record(case: CaseArg) -> Record | Analysis:
    if isinstance(case, (Record, Analysis)):
        return case
    from setsafety.cases import load_case

    return load_case(case)


def kit_files(cases: Iterable[CaseArg], folder: str | Path, audience: str = "crew",
              paper: str | None = None) -> list[KitFile]:
    """The files of a kit, made in memory (nothing is written): per case, its folder's files; with
    several cases, an index."""
    from setsafety.analysis import analyze
    from setsafety.kit import _render
    from setsafety.lessons import LessonError, lesson

    if paper is not None and paper not in PAPERS:
        raise KitError(f"unknown paper {paper!r}; choose one of: {', '.join(PAPERS)}")
    root = Path(folder)
    made: list[KitFile] = []
    entries: list[_render.IndexEntry] = []
    seen: set[str] = set()
    for case in cases:
        given = _record(case)
        record = given.record if isinstance(given, Analysis) else given
        if not _SLUG.match(record.id):
            raise KitError(f"{record.id!r} is not a case id that can name a folder")
        if record.id in seen:
            raise KitError(f"{record.id}: the case is given twice")
        seen.add(record.id)
        analysis = given if isinstance(given, Analysis) else analyze(given)
        try:
            data = lesson(analysis, audience)
        except LessonError as error:
            raise KitError(f"{record.id}: {error}") from None
        files = _render.case_files(analysis, data, audience, paper)
        made += [KitFile(path=root / record.id / name, data=files[name]) for name in FILES]
        entries.append(_render.IndexEntry(folder=record.id, lesson=data))
    if not entries:
        raise KitError("a kit needs at least one case")
    if len(entries) > 1:
        made.append(KitFile(path=root / "index.html", data=_render.encode(_render.index_html(entries))))
    return made


def write_kit(cases: Iterable[CaseArg], folder: str | Path, audience: str = "crew", paper: str | None = None,
              *, force: bool = False) -> list[Path]:
    """Write a training kit for ``cases`` (bundled ids, record files, records or analyses) into
    ``folder``; return the paths written.

    Nothing is overwritten unless ``force``: if any file of the kit exists already, a
    ``FileExistsError`` naming it is raised before anything is written. Each file is written whole
    (through a temporary file), so a reader never sees half of one.
    """
    files = kit_files(cases, folder, audience, paper)
    if not force:
        for item in files:
            if item.path.exists() or item.path.is_symlink():
                raise FileExistsError(17, "already exists; not overwriting it (use --force to replace it)",
                                      str(item.path))
    for item in files:
        if item.path.is_dir() and not item.path.is_symlink():
            raise IsADirectoryError(21, "is a folder; not replacing it", str(item.path))
    for item in files:
        item.path.parent.mkdir(parents=True, exist_ok=True)
        _write(item.path, item.data, os.replace if force else _link_new)
    return [item.path for item in files]


def _link_new(source: str, target: Path) -> None:
    """Put ``source`` at ``target`` only if ``target`` does not exist (atomic where links work)."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        with open(target, "xb") as stream, open(source, "rb") as done:
            stream.write(done.read())
    os.unlink(source)


def _write(path: Path, data: bytes, place: Callable[[str, Path], None]) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".setsafety-", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        place(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
