"""What every command shares: exit codes, the error it raises, loading a case, output helpers."""

from __future__ import annotations

import argparse
import json
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from setsafety import cases
from setsafety._control import escape_controls, escape_json_text, one_line
from setsafety.errors import CaseNotFoundError, InvalidRecordError
from setsafety.model import Record, structure, unstructure
from setsafety.problems import Problem

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
#: An unexpected exception: a bug in setsafety (sysexits' EX_SOFTWARE), never a verdict's code.
EXIT_INTERNAL = 70

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]


class CommandError(Exception):
    """Stops a command with a one-line message on stderr and an exit code."""

    def __init__(self, message: str, status: int = EXIT_INVALID, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.problems = problems or []


def os_error_text(error: OSError, action: str = "") -> str:
    """An operating-system error in one line: ``PATH: cannot read: Permission denied``."""
    where = f"{error.filename}: " if error.filename is not None else ""
    doing = f"{action}: " if action else ""
    return f"{where}{doing}{error.strerror or error}"


def add_format(parser: argparse.ArgumentParser, *choices: str) -> None:
    """The ``--format`` option every command that prints results has."""
    choices = choices or ("text", "json")
    parser.add_argument("--format", choices=choices, default=choices[0],
                        help=f"output format (default: {choices[0]})")


def printable(text: str) -> str:
    """Text for a terminal: control characters from a record (escapes, carriage returns) shown escaped."""
    return escape_controls(text)


def folded(record: Record) -> Record:
    """The record with every line break and tab in its text folded into a space, for the text views
    (``show``, ``analyze``): a title or a name with a newline cannot forge a line of the report."""

    def fold(value: Any) -> Any:
        if isinstance(value, str):
            return one_line(value)
        if isinstance(value, list):
            return [fold(item) for item in value]
        if isinstance(value, dict):
            return {key: fold(item) for key, item in value.items()}
        return value

    return structure(fold(unstructure(record)), Record)


def write_json(data: Any, stream: TextIO) -> None:
    """JSON as the commands print it: indented, UTF-8 kept, newline at the end."""
    json.dump(data, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def write_new_file(path: Path, text: str | bytes, *, force: bool = False, as_json: bool = False) -> None:
    """Write ``text`` to ``path`` atomically, escaped as every output is (``bytes``, a binary format such as
    Parquet, are written as they are); refuse to replace a file unless ``force``.

    With ``force``, a symbolic link is written through (its target is replaced, the link kept) and the
    replaced file keeps its permissions (a 0600 file stays 0600); anything but a regular file (a FIFO,
    a device, a folder) is refused, never replaced.
    """
    if isinstance(text, str):
        text = escape_json_text(text) if as_json else escape_controls(text)
    data = text.encode("utf-8") if isinstance(text, str) else text
    target = path
    mode: int | None = None
    try:
        if force and path.is_symlink():
            target = Path(os.path.realpath(path))
        if target.exists() or target.is_symlink():
            if not force:
                raise FileExistsError
            info = target.stat()
            if not stat.S_ISREG(info.st_mode):
                raise CommandError(f"{path} exists and is not a regular file (a pipe, a device or a folder); "
                                   "not replacing it", EXIT_USAGE)
            mode = stat.S_IMODE(info.st_mode)
        directory = target.parent if str(target.parent) else Path(".")
        # A short name of its own: the temporary file must not fail where the real name (up to 255 bytes) fits.
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".setsafety-", suffix=".tmp")
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask  # as an ordinary new file would be, not mkstemp's 0600
        os.chmod(temporary, mode)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            if force:
                os.replace(temporary, target)
            else:
                try:
                    os.link(temporary, target)  # atomic, and fails if the file appeared meanwhile
                except FileExistsError:
                    raise
                except OSError:  # a file system without hard links: exclusive create instead
                    with open(target, "xb") as stream:
                        stream.write(data)
                    os.chmod(target, mode)
                os.unlink(temporary)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
    except FileExistsError:
        raise CommandError(f"{path} already exists; not overwriting it (use --force to replace it)",
                           EXIT_USAGE) from None
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror or error}", EXIT_USAGE) from None


def load(case: str) -> Record:
    """A case by id or path, with the command line's errors."""
    try:
        return cases.load_case(case)
    except CaseNotFoundError as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    except InvalidRecordError as error:
        errors = [problem for problem in error.problems if problem.severity == "error"]
        raise CommandError("invalid record:\n  " + "\n  ".join(map(str, errors)), EXIT_INVALID, errors) from None
    except OSError as error:
        raise CommandError(f"{case}: cannot read: {error.strerror or error}", EXIT_USAGE) from None
