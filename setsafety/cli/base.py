"""What every command shares: exit codes, the error it raises, loading a case, output helpers."""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from setsafety import cases
from setsafety._control import escape_controls
from setsafety.errors import CaseNotFoundError, InvalidRecordError
from setsafety.model import Record

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]


class CommandError(Exception):
    """Stops a command with a one-line message on stderr and an exit code."""

    def __init__(self, message: str, status: int = EXIT_INVALID) -> None:
        super().__init__(message)
        self.status = status


def add_format(parser: argparse.ArgumentParser, *choices: str) -> None:
    """The ``--format`` option every command that prints results has."""
    choices = choices or ("text", "json")
    parser.add_argument("--format", choices=choices, default=choices[0],
                        help=f"output format (default: {choices[0]})")


def printable(text: str) -> str:
    """Text for a terminal: control characters from a record (escapes, carriage returns) shown escaped."""
    return escape_controls(text)


def write_json(data: Any, stream: TextIO) -> None:
    """JSON as the commands print it: indented, UTF-8 kept, newline at the end."""
    json.dump(data, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def write_new_file(path: Path, text: str, *, force: bool = False) -> None:
    """Write ``text`` to ``path`` atomically; refuse to replace a file unless ``force``."""
    if path.exists() and not force:
        raise CommandError(f"{path} already exists; not overwriting it (use --force to replace it)",
                           EXIT_USAGE)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file would be, not mkstemp's 0600
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
            if force:
                os.replace(temporary, path)
            else:
                try:
                    os.link(temporary, path)  # atomic, and fails if the file appeared meanwhile
                except FileExistsError:
                    raise
                except OSError:  # a file system without hard links: exclusive create instead
                    with open(path, "x", encoding="utf-8", newline="\n") as stream:
                        stream.write(text)
                os.unlink(temporary)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
    except FileExistsError:
        raise CommandError(f"{path} already exists; not overwriting it", EXIT_USAGE) from None
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror or error}", EXIT_USAGE) from None


def load(case: str) -> Record:
    """A case by id or path, with the command line's errors."""
    try:
        return cases.load_case(case)
    except CaseNotFoundError as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    except InvalidRecordError as error:
        lines = [str(problem) for problem in error.problems if problem.severity == "error"]
        raise CommandError("invalid record:\n  " + "\n  ".join(lines), EXIT_INVALID) from None
    except OSError as error:
        raise CommandError(f"{case}: cannot read: {error.strerror or error}", EXIT_USAGE) from None
