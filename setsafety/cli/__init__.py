"""The ``setsafety`` command: a thin front end over the library.

``run(argv, stdout, stderr)`` does everything and returns the exit code, so
tests pass their own streams; ``main()`` is the console entry point.
Exit codes: 0 ok, 1 invalid input (or findings of errors), 2 usage or I/O.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn, TextIO

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

from setsafety.cli import commands
from setsafety.cli.base import EXIT_USAGE, CommandError


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
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in commands.COMMANDS:
        command.add_to(subparsers)
    return parser


def run(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
        stderr: TextIO | None = None) -> int:
    """Run the command line ``argv``; return the exit code."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = build_parser(stdout, stderr)
    try:
        args = parser.parse_args(argv)
        status: int = args.handler(args, stdout, stderr)
        return status
    except _Exit as done:
        return done.status
    except CommandError as error:
        stderr.write(f"setsafety: error: {error}\n")
        return error.status
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        stderr.write("setsafety: interrupted\n")
        return 130


def main() -> None:
    """Console entry point."""
    try:
        status = run(sys.argv[1:])
        sys.stdout.flush()
    except BrokenPipeError:  # pragma: no cover - e.g. `setsafety show x | head`
        status = 0
    sys.exit(status)
