"""``setsafety stats``, ``similar`` and ``export``: the case library as a whole."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

from setsafety.analysis import Analysis, analyze_all, export_rows, layer_stats, similar
from setsafety.cases import list_cases
from setsafety.cli.analyze import analyses_for
from setsafety.cli.base import EXIT_OK, EXIT_USAGE, CommandError, add_format, load, write_json, write_new_file
from setsafety.export import MissingExtraError, datapackage, to_csv, to_json, to_parquet


def library(paths: list[str] | None = None, stderr: TextIO | None = None) -> list[Analysis]:
    """Every bundled case (or the records given), under every protocol that fits each.

    A case that no bundled protocol covers is left out, with a note on ``stderr``.
    """
    results = []
    for case in paths or list_cases():
        record = load(case)
        found = analyze_all(record)
        if not found and stderr is not None:
            stderr.write(f"setsafety: note: no bundled protocol covers {record.id} "
                         f"({', '.join(record.case.hazards)}); left out\n")
        results.extend(found)
    return results


def stats_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("cases", nargs="*", metavar="CASE",
                        help="case ids or record files (default: every bundled case)")
    add_format(parser)


def stats(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    rows = layer_stats(library(args.cases, stderr))
    if args.format == "json":
        write_json([row.to_dict() for row in rows], stdout)
        return EXIT_OK
    protocol = None
    for row in rows:
        if row.protocol != protocol:
            protocol = row.protocol
            stdout.write(f"\n{protocol}: layer not held in / cases with the facts to tell / cases analysed\n")
        behind = f"  ({', '.join(row.not_held)})" if row.not_held else ""
        stdout.write(f"  {row.layer:<26} {len(row.not_held):>3} / {len(row.known):>3} / {len(row.cases):>3}{behind}\n")
    return EXIT_OK


def similar_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("case", metavar="CASE", help="a bundled case id or a record file")
    add_format(parser)


def similar_cases(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    target = analyses_for(load(args.case), None)
    found = similar(target, library(stderr=stderr))
    if args.format == "json":
        write_json([item.to_dict() for item in found], stdout)
        return EXIT_OK
    if not found:
        stdout.write("no case in the library shares a layer that did not hold or a kind of factor\n")
    for item in found:
        stdout.write(f"{item.case} (score {item.score:g}): {item.title}\n    {item.reason}\n")
    return EXIT_OK


#: The file an export gets inside a folder given to ``-o``, by format.
EXPORT_NAMES = {"csv": "layers.csv", "json": "layers.json", "parquet": "layers.parquet"}
DATAPACKAGE_NAME = "datapackage.json"


def export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("cases", nargs="*", metavar="CASE",
                        help="case ids or record files (default: every bundled case)")
    add_format(parser, "csv", "json", "parquet")
    parser.add_argument("-o", "--output", metavar="PATH",
                        help="write to PATH instead of standard output; a folder gets layers.csv (.json, .parquet) "
                             "and, for CSV, the datapackage.json that describes it")
    parser.add_argument("--datapackage", action="store_true",
                        help="with --format csv -o FILE: write a Frictionless datapackage.json beside FILE")
    parser.add_argument("--force", action="store_true", help="replace files that exist")


def export(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    target = Path(args.output) if args.output else None
    package = args.datapackage or (target is not None and target.is_dir() and args.format == "csv")
    if args.datapackage and args.format != "csv":
        raise CommandError("--datapackage describes a CSV export; use it with --format csv", EXIT_USAGE)
    if (args.datapackage or args.format == "parquet") and target is None:
        raise CommandError(f"{'--datapackage' if args.datapackage else 'Parquet'} needs -o FILE (or -o FOLDER)",
                           EXIT_USAGE)
    if target is not None and target.is_dir():
        target = target / EXPORT_NAMES[args.format]
    rows = export_rows(library(args.cases, stderr))
    data: str | bytes
    if args.format == "parquet":
        try:
            data = to_parquet(rows)
        except MissingExtraError as error:
            raise CommandError(str(error), EXIT_USAGE) from None
    else:
        data = to_json(rows) if args.format == "json" else to_csv(rows)
    if target is None:
        stdout.write(str(data))
        return EXIT_OK
    files: list[tuple[Path, str | bytes, bool]] = [(target, data, args.format == "json")]
    if package:
        described = json.dumps(datapackage(target.name, rows), indent=2, ensure_ascii=False) + "\n"
        files.append((target.parent / DATAPACKAGE_NAME, described, True))
    if not args.force:  # nothing is written unless every file can be
        for path, _, _ in files:
            if path.exists() or path.is_symlink():
                raise CommandError(f"{path} already exists; not overwriting it (use --force to replace it)",
                                   EXIT_USAGE)
    for path, content, as_json in files:
        write_new_file(path, content, force=args.force, as_json=as_json)
    return EXIT_OK
