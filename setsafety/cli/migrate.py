"""``setsafety migrate``: upgrade records to the current record format."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import TextIO

from setsafety.cli.base import EXIT_INVALID, EXIT_OK, EXIT_USAGE, CommandError, add_format, printable, write_json
from setsafety.errors import InvalidRecordError
from setsafety.migrate import Migration, migrate_text
from setsafety.reading import MAX_BYTES, YAML_SUFFIXES, decode
from setsafety.schema.registry import CURRENT_VERSION


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="FILE", help="record files (.json, .yaml, .yml)")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true",
                        help="change the files in place (atomically); without it, one file is printed to stdout")
    action.add_argument("--check", action="store_true",
                        help="only say which files need migrating (exit 1 if any does)")
    add_format(parser)


def handle(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    paths = [Path(name) for name in args.paths]
    if not (args.write or args.check) and len(paths) > 1:
        raise CommandError("give one FILE to print its migrated text, or --write to change several in place "
                           "(--check to list those that need it)", EXIT_USAGE)
    results: list[dict[str, object]] = []
    failed = False
    for path in paths:
        try:
            migration = migrate_text(_read(path), yaml=path.suffix.lower() in YAML_SUFFIXES)
        except InvalidRecordError as error:
            failed = True
            for problem in error.problems:
                if problem.severity == "error":
                    stderr.write(f"{problem.located(str(path))}\n")
            results.append({"file": str(path), "status": "invalid"})
            continue
        status = "migrated" if migration.changed else "current"
        if args.write and migration.changed:
            _replace(path, migration.after)
        results.append({"file": str(path), "status": status, "from": migration.from_version,
                        "to": migration.to_version})
        if not (args.write or args.check):
            stdout.write(migration.after)
            return EXIT_INVALID if failed else EXIT_OK
    if args.format == "json":
        write_json({"to": CURRENT_VERSION, "files": results}, stdout)
    else:
        for result in results:
            stdout.write(printable(_line(result, args.write)) + "\n")
    needs = any(result["status"] == "migrated" for result in results)
    return EXIT_INVALID if failed or (args.check and needs) else EXIT_OK


def _line(result: dict[str, object], written: bool) -> str:
    file, status = result["file"], result["status"]
    if status == "invalid":
        return f"{file}: not migrated: the record has errors (listed above)"
    if status == "current":
        return f"{file}: already {CURRENT_VERSION}"
    verb = "migrated" if written else "needs migrating"
    return f"{file}: {verb} from {result['from']} to {result['to']}"


def _read(path: Path) -> str:
    """A record file's text (the size cap and UTF-8 as ``validate`` applies them)."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except OSError as error:
        raise CommandError(f"{path}: cannot read: {error.strerror or error}", EXIT_USAGE) from None
    if len(raw) > MAX_BYTES:
        raise CommandError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MiB; no record is this large")
    return decode(raw)


def _replace(path: Path, text: str) -> None:
    """Write ``text`` over the file atomically, keeping its permissions; a symbolic link is written through."""
    target = path.resolve()
    try:
        mode = target.stat().st_mode & 0o7777
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
            os.chmod(temporary, mode)
            os.replace(temporary, target)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror or error}", EXIT_USAGE) from None


__all__ = ["Migration", "add_arguments", "handle"]
