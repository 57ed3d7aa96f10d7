"""The subcommands: each adds its parser and handles its arguments."""

from __future__ import annotations

import argparse
import datetime
import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

import attrs

from setsafety import cases
from setsafety._data import schemas_dir
from setsafety.batch import validate_files
from setsafety.cli import analyze, lessons, library, migrate
from setsafety.cli.base import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    Handler,
    add_format,
    printable,
    write_json,
    write_new_file,
)
from setsafety.cli.show import overview
from setsafety.errors import CaseNotFoundError, InvalidRecordError
from setsafety.model import Record, unstructure
from setsafety.problems import Problem
from setsafety.schema.registry import INCIDENT_SCHEMA_ID, PROTOCOL_SCHEMA_ID, SCHEMA_FILES, schema

Subparsers = Any  # argparse's _SubParsersAction is private


@attrs.frozen
class Command:
    """A subcommand: its name, help, arguments and handler."""

    name: str
    help: str
    arguments: Any
    handler: Handler

    def add_to(self, subparsers: Subparsers) -> None:
        parser = subparsers.add_parser(self.name, help=self.help, description=self.help)
        self.arguments(parser)
        parser.set_defaults(handler=self.handler)


# --- validate ------------------------------------------------------------


def _validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="record files, or folders to search for records (*.json, *.yaml, *.yml)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--quiet", "-q", action="store_true", help="print problems only, no summary")
    parser.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                        help="validate with N processes (default: one per core); the output is the same")
    add_format(parser)


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (1 or more)")
    return jobs


def record_files(paths: list[str]) -> Iterator[Path]:
    """The record files named, with folders expanded to the records inside them."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in cases.RECORD_SUFFIXES and p.is_file())
            if not found:
                raise CommandError(f"{path}: no records (*.json, *.yaml, *.yml) in this folder", EXIT_USAGE)
            yield from found
        elif path.exists():
            yield path
        else:
            raise CommandError(f"{path}: no such file or folder", EXIT_USAGE)


def _validate(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    files = list(record_files(args.paths))
    problems: list[Problem] = []
    for result in validate_files(files, jobs=args.jobs):
        if result.error is not None:
            raise CommandError(f"{result.path}: cannot read: {result.error.strerror or result.error}", EXIT_USAGE)
        problems.extend(result.problems)
    errors = [p for p in problems if p.severity == "error" or args.strict]
    if args.format == "json":
        write_json({
            "valid": not errors,
            "files": [str(path) for path in files],
            "problems": [problem.as_dict() for problem in problems],
        }, stdout)
    else:
        for problem in problems:
            stdout.write(f"{problem}\n")
        if not args.quiet:
            warnings = len(problems) - len([p for p in problems if p.severity == "error"])
            verdict = "invalid" if errors else "ok"
            stdout.write(
                f"{verdict}: {len(files)} file(s), "
                f"{len(problems) - warnings} error(s), {warnings} warning(s)\n"
            )
    return EXIT_INVALID if errors else EXIT_OK


# --- cases and show ---------------------------------------------------------


def load(case: str) -> Record:
    """A case by id or path, with the command-line's errors."""
    try:
        return cases.load_case(case)
    except CaseNotFoundError as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    except InvalidRecordError as error:
        lines = [str(problem) for problem in error.problems if problem.severity == "error"]
        raise CommandError("invalid record:\n  " + "\n  ".join(lines), EXIT_INVALID) from None
    except OSError as error:
        raise CommandError(f"{case}: cannot read: {error.strerror or error}", EXIT_USAGE) from None


def _cases_arguments(parser: argparse.ArgumentParser) -> None:
    add_format(parser)


def _cases(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    rows = []
    for case_id in cases.list_cases():
        record = load(case_id)
        rows.append({
            "id": record.id, "date": record.case.date, "event_kind": record.case.event_kind,
            "hazards": list(record.case.hazards), "title": record.case.title,
            "status": record.case.status,
        })
    if args.format == "json":
        write_json(rows, stdout)
        return EXIT_OK
    for row in rows:
        stdout.write(f"{row['id']:<24} {row['date']:<10}  {row['event_kind']:<10} "
                     f"{','.join(row['hazards']):<14} {row['title']}\n")
    return EXIT_OK


def _show_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("case", metavar="CASE", help="a bundled case id or a record file")
    add_format(parser)


def _show(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    record = load(args.case)
    if args.format == "json":
        write_json(unstructure(record), stdout)
    else:
        stdout.write(printable(overview(record)))
    return EXIT_OK


# --- schema and new ---------------------------------------------------------


def _schema_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("which", nargs="?", choices=sorted(SCHEMA_FILES), default="incident",
                        help="which schema (default: incident)")
    parser.add_argument("--path", action="store_true", help="print where the schema file is instead")


def _schema(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    if args.path:
        stdout.write(f"{schemas_dir() / SCHEMA_FILES[args.which]}\n")
    else:
        schema_id = INCIDENT_SCHEMA_ID if args.which == "incident" else PROTOCOL_SCHEMA_ID
        write_json(schema(schema_id), stdout)
    return EXIT_OK


def _new_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH",
                        help="the file to write, named by the case id: my-case-2024.json (or .yaml)")
    parser.add_argument("--yaml", action="store_true",
                        help="write YAML (the default for a PATH ending in .yaml or .yml)")
    parser.add_argument("--force", action="store_true", help="replace the file if it exists")


_YAML_HEADER = """\
# A setsafety incident record. Replace every TODO, then run: setsafety validate {name}
# - Every fact cites sources: ids of entries under 'sources' at the end.
# - Leave out what you do not know; an empty list ([]) means "there were none".
# - Record facts (who did what, what was checked, provided, worn), never "this layer failed".
# - People: the roles they held at the time; a crew spoken of together is a "group" with a headcount.
# - Equipment other than weapons (vehicles, rigs, mats, helmets, barriers) goes under 'equipment'.
# - A moment no source dates: when: {{label: "earlier in the shoot", relative: before-event}}.
# - Quote strings that YAML could misread, e.g. times: "10:20".
# The full format: `setsafety schema`; an example: examples/fictional-blank-injury.json
"""


def skeleton(case_id: str, today: datetime.date, *, as_yaml: bool = False, name: str = "") -> str:
    """A record to fill in: every TODO says what goes there."""
    text = resources.files("setsafety").joinpath("skeleton.json").read_text(encoding="utf-8")
    data = json.loads(text)
    data["id"] = case_id
    data["case"]["revisions"][0]["date"] = today.isoformat()
    if as_yaml:
        import yaml

        body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
        return _YAML_HEADER.format(name=name or f"{case_id}.yaml") + body
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _new(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    path = Path(args.path)
    case_id = path.stem
    as_yaml = args.yaml or path.suffix in (".yaml", ".yml")
    wanted = (".yaml", ".yml") if as_yaml else (".json",)
    if not cases.CASE_ID.match(case_id) or path.suffix not in wanted:
        raise CommandError(
            f"{path}: name the file by its case id, in lowercase words joined by hyphens, "
            f"ending in {' or '.join(wanted)} (e.g. western-blank-2024{wanted[0]})", EXIT_USAGE)
    write_new_file(path, skeleton(case_id, datetime.date.today(), as_yaml=as_yaml, name=str(path)),
                   force=args.force)
    stdout.write(f"wrote {path}: replace every TODO, then run `setsafety validate {path}`\n")
    return EXIT_OK


COMMANDS = [
    Command("validate", "check record files against the schema and the semantic rules",
            _validate_arguments, _validate),
    Command("cases", "list the bundled cases", _cases_arguments, _cases),
    Command("show", "print an overview of a case", _show_arguments, _show),
    Command("analyze", "work out which safeguard layers held or failed, with the evidence",
            analyze.add_arguments, analyze.handle),
    Command("lessons", "write a lesson summary of a case, or a lesson pack of several, for safety training",
            lessons.add_arguments, lessons.handle),
    Command("stats", "how often each layer did not hold across the case library",
            library.stats_arguments, library.stats),
    Command("similar", "cases that share layers that did not hold, or kinds of factor",
            library.similar_arguments, library.similar_cases),
    Command("export", "one row per case and layer, as CSV or JSON", library.export_arguments, library.export),
    Command("schema", "print the JSON Schema, or where it is", _schema_arguments, _schema),
    Command("new", "write a new record to fill in", _new_arguments, _new),
    Command("migrate", "upgrade records to the current record format (prints, or --write in place)",
            migrate.add_arguments, migrate.handle),
]
