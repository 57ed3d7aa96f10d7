"""The ``setsafety`` command: a thin front end over the library.

``run(argv, stdout, stderr)`` does everything and returns the exit code, so
tests pass their own streams; ``main()`` is the console entry point.
Exit codes: 0 ok, 1 invalid input (or findings of errors), 2 usage or I/O,
70 an internal error (a bug; ``--debug`` prints its traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import io
import os
import sys
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn, TextIO

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

from setsafety._control import escape_controls, escape_json_text
from setsafety.cli import commands
from setsafety.cli.base import (
    EXIT_INTERNAL,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    os_error_text,
    write_json,
)


class _Exit(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that writes to the given streams and never calls sys.exit."""

    stdout: TextIO = sys.stdout
    stderr: TextIO = sys.stderr

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if not message:
            return
        if file is None or file is sys.stdout:
            file = self.stdout
        elif file is sys.stderr:
            file = self.stderr
        file.write(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self.stderr.write(message)
        raise _Exit(status)

    def error(self, message: str) -> NoReturn:
        self.print_usage(self.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


class _Version(argparse.Action):
    """``--version``, with the version looked up only when asked for (reading it costs a slow import)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        from setsafety import __version__

        parser._print_message(f"setsafety {__version__}\n", sys.stdout)
        parser.exit()


def build_parser(stdout: TextIO, stderr: TextIO) -> argparse.ArgumentParser:
    """The argument parser, with every subcommand, writing to these streams."""
    # A class per call: argparse makes the subparsers itself, from the parser's class.
    parser_class: type[_Parser] = type("Parser", (_Parser,), {"stdout": stdout, "stderr": stderr})
    parser = parser_class(
        prog="setsafety",
        description="Film and TV set safety incidents: validate records, show cases, "
                    "analyse safeguard layers, write training lessons.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    parser.add_argument("--debug", action="store_true", help="on an internal error, print its traceback")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in commands.COMMANDS:
        command.add_to(subparsers)
    return parser


def run(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
        stderr: TextIO | None = None) -> int:
    """Run the command line ``argv``; return the exit code.

    The command writes into buffers; what it wrote reaches ``stdout`` and ``stderr`` only at the end,
    through one output path (``deliver``) that escapes every control, bidi and invisible character, in
    JSON too, and turns the operating system's refusals (a closed, full or broken stream) into exit
    codes that keep the verdict. An error is one line (a JSON object with ``--format json``); an
    unexpected exception is one line asking for a report, with the traceback under ``--debug``.
    """
    out, err = io.StringIO(), io.StringIO()
    parser = build_parser(out, err)
    args: argparse.Namespace | None = None
    try:
        args = parser.parse_args(argv)
        status: int = args.handler(args, out, err)
    except _Exit as done:
        status = done.status
    except CommandError as error:
        status = error.status
        report_error(error, args, out, err)
    except OSError as error:  # the operating system said no (a name too long, a folder nested too deep, ...)
        status = EXIT_USAGE
        report_error(CommandError(os_error_text(error), EXIT_USAGE), args, out, err)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        err.write("setsafety: interrupted\n")
        status = 130
    except Exception as error:  # a bug: say so in one line, never with the exit code of a verdict
        status = EXIT_INTERNAL
        err.write(f"setsafety: internal error ({type(error).__name__}: {error}); please report it"
                  f"{'' if _debug(args, argv) else ', with the traceback that --debug prints'}\n")
        if _debug(args, argv):
            err.write(traceback.format_exc())
    as_json = getattr(args, "format", None) == "json"
    return deliver(out.getvalue(), err.getvalue(), stdout, stderr, status, as_json=as_json)


def _debug(args: argparse.Namespace | None, argv: Sequence[str] | None) -> bool:
    if args is not None:
        return bool(getattr(args, "debug", False))
    return "--debug" in (sys.argv[1:] if argv is None else argv)


def report_error(error: CommandError, args: argparse.Namespace | None, out: TextIO, err: TextIO) -> None:
    """An error as the command's format says: one JSON object on stdout with ``--format json``,
    else ``setsafety: error: ...`` on stderr."""
    if getattr(args, "format", None) == "json":
        write_json({"error": {"status": error.status, "message": str(error),
                              "problems": [problem.as_dict() for problem in error.problems]}}, out)
    else:
        err.write(f"setsafety: error: {error}\n")


def deliver(out: str, err: str, stdout: TextIO | None, stderr: TextIO | None, status: int, *,
            as_json: bool = False) -> int:
    """Write what a command produced, escaped; return the exit code.

    A reader that stops reading (a broken pipe: ``setsafety validate x | head -1``) keeps the verdict's
    code; a stream that is closed or full is an I/O problem (exit 2) said on stderr, unless the command
    already failed.
    """
    stdout = stdout if stdout is not None else sys.stdout
    stderr = stderr if stderr is not None else sys.stderr
    try:
        if out:
            if stdout is None:  # the process was started with standard output closed
                raise OSError(errno.EBADF, "standard output is closed")
            stdout.write(escape_json_text(out) if as_json else escape_controls(out))
            stdout.flush()
    except BrokenPipeError:
        pass
    except (OSError, ValueError) as error:  # ValueError: a closed file object
        problem = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        err += f"setsafety: error: cannot write the output: {problem}\n"
        status = status if status not in (EXIT_OK, EXIT_INVALID) else EXIT_USAGE
    try:
        if err and stderr is not None:
            stderr.write(escape_controls(err))
            stderr.flush()
    except (OSError, ValueError):
        pass  # nowhere left to say it; the exit code still does
    return status


def main() -> None:
    """Console entry point."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):  # LC_ALL=C, PYTHONIOENCODING=ascii: escape what it cannot encode
            stream.reconfigure(errors="backslashreplace")
    status = run(sys.argv[1:])
    if sys.stdout is not None:
        try:
            sys.stdout.flush()
        except (OSError, ValueError):
            # A broken pipe or a full disk, said already: Python would complain again while flushing at
            # exit (and exit 120), so point the stream at nothing.
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(status)
