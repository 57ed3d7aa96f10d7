"""``setsafety lessons``: a lesson summary of a case, or a lesson pack of several."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from setsafety.cli.analyze import choose_protocol
from setsafety.cli.base import EXIT_OK, EXIT_USAGE, CommandError, load, write_new_file

#: The output formats (``setsafety.lessons.FORMATS``; listed here so that the
#: parser is built without importing the templates).
FORMATS = ("md", "html", "txt", "json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("cases", nargs="+", metavar="CASE",
                        help="bundled case ids or record files; several make a lesson pack")
    parser.add_argument("--format", choices=FORMATS, default="md", help="output format (default: md)")
    parser.add_argument("--audience", default="crew",
                        help="whose 'what you can do' to write: crew (default), first-ad, producer, actor, or "
                             "the protocol's specialists (armorer, stunt-team, drivers, effects, ...)")
    parser.add_argument("--protocol", metavar="PROTOCOL",
                        help="a bundled protocol id or a protocol file (default: for each case, the bundled "
                             "one that fits its hazards best; a pack may mix protocols)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")


def handle(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from setsafety.lessons import LessonError, render_lessons, render_pack  # loads Jinja2 only when needed

    records = [load(case) for case in args.cases]
    protocols = [choose_protocol(record, args.protocol) for record in records]
    try:
        if len(records) == 1:
            text = render_lessons(records[0], format=args.format, audience=args.audience, protocol=protocols[0])
        else:
            given = protocols[0] if args.protocol is not None else None  # else each case under its own
            text = render_pack(records, format=args.format, audience=args.audience, protocol=given)
    except LessonError as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    if args.output is None:
        stdout.write(text)
        return EXIT_OK
    path = Path(args.output)
    write_new_file(path, text, force=args.force, as_json=args.format == "json")
    what = "lesson pack" if len(records) > 1 else "lesson"
    stdout.write(f"wrote {path} ({what}, {args.format}, for {args.audience})\n")
    return EXIT_OK
