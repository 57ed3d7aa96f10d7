"""``setsafety analyze``: which safeguard layers held, and the evidence."""

from __future__ import annotations

import argparse
import textwrap
from typing import TextIO

from setsafety.analysis import Analysis, analyze, analyze_all, protocol_for
from setsafety.cli.base import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    add_format,
    folded,
    load,
    printable,
    write_json,
)
from setsafety.errors import InvalidRecordError, ProtocolNotFoundError
from setsafety.model import Protocol, Record
from setsafety.phrasing import STATES
from setsafety.rules import SEVERITY


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("case", metavar="CASE", help="a bundled case id or a record file")
    parser.add_argument("--protocol", metavar="PROTOCOL",
                        help="a bundled protocol id or a protocol file (default: every bundled protocol "
                             "that fits the case's hazards; with several, --format json prints a list)")
    add_format(parser)


def choose_protocol(record: Record, protocol: str | None) -> Protocol:
    """The protocol for the command line, with its errors said plainly."""
    try:
        chosen = protocol_for(record, protocol)
    except ProtocolNotFoundError as error:
        # The library speaks Python (protocol=); the command line speaks options.
        message = str(error).replace("pass one with protocol= (or --protocol FILE)", "choose one with --protocol FILE")
        raise CommandError(message, EXIT_USAGE) from None
    except InvalidRecordError as error:
        errors = [problem for problem in error.problems if problem.severity == "error"]
        raise CommandError("invalid protocol:\n  " + "\n  ".join(map(str, errors)), EXIT_INVALID, errors) from None
    except OSError as error:
        raise CommandError(f"{protocol}: cannot read: {error.strerror or error}", EXIT_USAGE) from None
    return chosen


def analyses_for(record: Record, protocol: str | None) -> list[Analysis]:
    """The record under the named protocol, or under every bundled protocol that fits it."""
    if protocol is not None:
        return [analyze(record, choose_protocol(record, protocol))]
    results = analyze_all(record)
    if not results:
        choose_protocol(record, None)  # says which hazards have no protocol
    return results


def handle(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    record = load(args.case)
    results = analyses_for(record if args.format == "json" else folded(record), args.protocol)
    if args.format == "json":
        data = [result.to_dict() for result in results]
        write_json(data[0] if len(data) == 1 else data, stdout)
    else:
        stdout.write(printable("\n".join(report(result) for result in results)))
    return EXIT_OK


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(" ".join(text.split()), 100, initial_indent=indent, subsequent_indent=indent,
                         break_on_hyphens=False)


def _legend() -> str:
    """The marks of the text report, from the state table: ``X not held, ~ degraded, + held, ? unknown``."""
    marks: dict[str, list[str]] = {}
    for state, look in sorted(STATES.items(), key=lambda item: SEVERITY.index(item[0])):
        if look.mark.strip():
            marks.setdefault(look.mark, []).append(state)
    return ", ".join(f"{mark} {'not held' if len(states) > 1 else states[0]}"
                     for mark, states in sorted(marks.items(), key=lambda item: SEVERITY.index(item[1][0])))


def report(result: Analysis) -> str:
    """The analysis as plain text."""
    words = result.words()
    lines = [f"{result.title} ({result.case}) under the {result.protocol_name} ({result.protocol})", ""]
    lines.append(f"Layers ({_legend()}):")
    for layer in result.layers:
        lines.append(f" {STATES[layer.state].mark} {layer.order:>2}. {layer.name} [{layer.id}]: {layer.state}")
        lines.append(_wrap(words.rationale(layer.state, layer.reasons), "       "))
        for item in layer.evidence:
            doubt = f" ({item.certainty})" if item.certainty in ("alleged", "disputed", "undetermined") else ""
            lines.append(_wrap(f"- {item.pointer}: {words.evidence(item)}{doubt} [{', '.join(item.sources)}]",
                               "         "))
    lines += ["", "Path of the hazard through the layers: " + (" -> ".join(result.path) or "none")]
    lines.append("Any one of these, had it held, could have stopped it: " + (", ".join(result.stoppers) or "none"))
    if result.custody:
        lines += ["", "Custody:"]
        for report_ in result.custody:
            lines.append(f"  {report_.item}: {len(report_.chain)} events, "
                         f"last full check {report_.last_full_inspection or 'none recorded'}")
            lines += [_wrap(f"- {issue.kind}: {words.issue(issue)} ({issue.pointer})", "    ")
                      for issue in report_.issues]
    if result.warnings:
        lines += ["", "Warnings before the event:"]
        for warning in result.warnings:
            before = f", {warning.days_before} day(s) before" if warning.days_before is not None else ""
            dated = f" {warning.date}" if warning.date else ""
            lines.append(f"  {warning.kind}{dated}{before}: response {warning.response} ({warning.pointer})")
    shared = [factor for factor in result.factors if len(factor.layers) > 1]
    if result.factors:
        lines += ["", f"Contributing factors: {len(result.factors)}, of which {len(shared)} touch several layers:"]
        for factor in shared:
            lines.append(_wrap(f"- [{factor.level}] {words.evidence(factor.evidence)} -> {', '.join(factor.layers)} "
                               f"({factor.pointer})", "  "))
    if result.agreement:
        lines += ["", "Agreement with official findings:"]
        for row in result.agreement:
            verdict = {True: "agrees", False: "DISAGREES", None: "cannot compare"}[row.agrees]
            lines.append(f"  {row.layer}: {verdict} ({row.note}; {row.pointer})")
    quality = result.evidence_quality
    lines += ["", f"Evidence: {quality.facts_cited} facts cited by layers not held; "
                  f"{quality.official_backed} backed by an official source; "
                  f"{len(quality.single_source)} on a single source; {len(quality.disputed)} disputed; "
                  f"{len(quality.alleged)} alleged."]
    return "\n".join(lines) + "\n"
