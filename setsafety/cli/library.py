"""``setsafety stats``, ``similar`` and ``export``: the case library as a whole."""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path
from typing import TextIO

import attrs

from setsafety.analysis import Analysis, analyze_all, export_rows, layer_stats, similar
from setsafety.analysis.library import EXPORT_FIELDS
from setsafety.cases import list_cases
from setsafety.cli.analyze import analyses_for
from setsafety.cli.base import EXIT_OK, add_format, load, write_json, write_new_file


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
        write_json([attrs.asdict(row) | {"known": list(row.known)} for row in rows], stdout)
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
        write_json([attrs.asdict(item) | {"reason": item.reason} for item in found], stdout)
        return EXIT_OK
    if not found:
        stdout.write("no case in the library shares a layer that did not hold or a kind of factor\n")
    for item in found:
        stdout.write(f"{item.case} (score {item.score:g}): {item.title}\n    {item.reason}\n")
    return EXIT_OK


#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): = + - @, and tab or
#: carriage return before them.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A cell that no spreadsheet runs: text starting like a formula gets a leading apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("cases", nargs="*", metavar="CASE",
                        help="case ids or record files (default: every bundled case)")
    add_format(parser, "csv", "json")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")


def export(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    rows = export_rows(library(args.cases, stderr))
    buffer = io.StringIO()
    if args.format == "json":
        write_json(rows, buffer)
    else:
        writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({key: csv_cell(value) for key, value in row.items()} for row in rows)
    if args.output:
        write_new_file(Path(args.output), buffer.getvalue(), force=args.force, as_json=args.format == "json")
    else:
        stdout.write(buffer.getvalue())
    return EXIT_OK
