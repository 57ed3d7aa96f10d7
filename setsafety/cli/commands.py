"""The subcommands: each adds its parser and handles its arguments."""

from __future__ import annotations

import argparse
import datetime
import json
import os
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

import attrs

from setsafety import cases
from setsafety._data import schemas_dir
from setsafety.batch import validate_files
from setsafety.cli import analyze, kit, lessons, library, migrate, rules
from setsafety.cli.base import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    Handler,
    add_format,
    folded,
    load,
    printable,
    write_json,
    write_new_file,
)
from setsafety.cli.show import overview
from setsafety.model import unstructure
from setsafety.problems import Problem
from setsafety.schema.registry import INCIDENT_SCHEMA_ID, PROTOCOL_SCHEMA_ID, SCHEMA_FILES, inlined, schema

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
        parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                            help="on an internal error, print its traceback")
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


def record_files(paths: list[str]) -> Iterator[Path | Problem]:
    """The record files named, with folders expanded to the records inside them (``*.json``, ``*.yaml``,
    ``*.yml``, in any case), and a problem for each folder that cannot be read.

    Folders are walked without recursion (any depth), following symbolic links to folders once each
    (a link back up the tree is not walked twice).
    """
    for name in paths:
        path = Path(name)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists() or path.is_symlink()
        except OSError as error:  # a name too long, a loop of links
            raise CommandError(f"{path}: {error.strerror or error}", EXIT_USAGE) from None
        if not exists:
            raise CommandError(f"{path}: no such file or folder", EXIT_USAGE)
        if not is_dir:
            yield path
            continue
        found = list(_walk(path))
        if not found:
            raise CommandError(f"{path}: no records (*.json, *.yaml, *.yml) in this folder", EXIT_USAGE)
        yield from found


def _walk(top: Path) -> Iterator[Path | Problem]:
    seen: set[tuple[int, int]] = set()
    folders = [top]
    found: list[Path | Problem] = []
    while folders:
        folder = folders.pop()
        try:
            info = folder.stat()
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir():  # follows a link to a folder
                        folders.append(Path(entry.path))
                    elif Path(entry.name).suffix.lower() in cases.RECORD_SUFFIXES:
                        found.append(Path(entry.path))
        except OSError as error:
            found.append(_unreadable(folder, error, "cannot read the folder"))
    yield from sorted(found, key=lambda item: str(item if isinstance(item, Path) else item.file))


def _unreadable(path: Path, error: OSError, doing: str = "cannot read") -> Problem:
    return Problem(pointer="", code="unreadable", message=f"{doing}: {error.strerror or error}", file=str(path))


def _validate(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    problems: list[Problem] = []
    items = list(record_files(args.paths))
    files = [item for item in items if isinstance(item, Path)]
    results = iter(validate_files(files, jobs=args.jobs))  # in the order of files, on every core
    for item in items:  # folder problems and file results, in the order the folders were walked
        if isinstance(item, Problem):
            problems.append(item)
            continue
        result = next(results)
        if result.error is not None:
            problems.append(_unreadable(result.path, result.error))
        else:
            problems.extend(result.problems)
    unreadable = any(problem.code == "unreadable" for problem in problems)
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
    if unreadable:
        return EXIT_USAGE
    return EXIT_INVALID if errors else EXIT_OK


# --- cases and show ---------------------------------------------------------


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
        stdout.write(printable(overview(folded(record))))
    return EXIT_OK


# --- schema and new ---------------------------------------------------------


def _schema_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("which", nargs="?", choices=sorted([*SCHEMA_FILES, "export"]), default="incident",
                        help="which schema (default: incident; export: a row of `setsafety export`)")
    parser.add_argument("--path", action="store_true", help="print where the schema file is instead")


def _schema(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    if args.which == "export":
        from setsafety.export import EXPORT_SCHEMA_FILE, export_schema

        if args.path:
            stdout.write(f"{schemas_dir() / EXPORT_SCHEMA_FILE}\n")
        else:
            write_json(export_schema(), stdout)
    elif args.path:
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


def _id_schema() -> dict[str, Any]:
    """What the incident schema says a record's ``id`` is (its pattern and length)."""
    found: dict[str, Any] = inlined(schema(INCIDENT_SCHEMA_ID))["properties"]["id"]
    return found


def _valid_id(case_id: str) -> bool:
    """Whether the record's own schema takes ``case_id`` as an id: ``new`` never writes a record it rejects."""
    from jsonschema import Draft202012Validator

    return bool(Draft202012Validator(_id_schema()).is_valid(case_id))


def _new(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    path = Path(args.path)
    case_id = path.stem
    as_yaml = args.yaml or path.suffix in (".yaml", ".yml")
    wanted = (".yaml", ".yml") if as_yaml else (".json",)
    if not _valid_id(case_id) or path.suffix not in wanted:
        raise CommandError(
            f"{path}: name the file by its case id, in lowercase words joined by hyphens (at most "
            f"{_id_schema().get('maxLength', 80)} characters), ending in {' or '.join(wanted)} "
            f"(e.g. western-blank-2024{wanted[0]})", EXIT_USAGE)
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
    Command("kit", "write a training kit per case: handout, full lesson, slides, facilitator's plan, quiz",
            kit.add_arguments, kit.handle),
    Command("stats", "how often each layer did not hold across the case library",
            library.stats_arguments, library.stats),
    Command("similar", "cases that share layers that did not hold, or kinds of factor",
            library.similar_arguments, library.similar_cases),
    Command("export", "one row per case, protocol and layer, as CSV, JSON or Parquet (with a data package)",
            library.export_arguments, library.export),
    Command("rules", "list the analyzer rules: what each reads and what its states mean", rules.add_arguments,
            rules.handle),
    Command("schema", "print the JSON Schema, or where it is", _schema_arguments, _schema),
    Command("new", "write a new record to fill in", _new_arguments, _new),
    Command("migrate", "upgrade records to the current record format (prints, or --write in place)",
            migrate.add_arguments, migrate.handle),
]
