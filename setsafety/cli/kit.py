"""``setsafety kit``: a training kit per case (handout, lesson, slides, facilitator's plan, quiz)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from setsafety.cli.base import EXIT_INVALID, EXIT_OK, EXIT_USAGE, CommandError, load

#: The paper sizes (``setsafety.kit.PAPERS``, listed here so the parser is built without importing the kit).
PAPERS = ("a4", "letter")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("cases", nargs="+", metavar="CASE", help="bundled case ids or record files")
    parser.add_argument("-o", "--output", metavar="DIR", required=True,
                        help="the folder to write the kit into (one folder per case in it)")
    parser.add_argument("--audience", default="crew",
                        help="whose actions the handout and slides give: crew (default), first-ad, producer, "
                             "actor, or the protocol's specialists (armorer, stunt-team, drivers, effects, ...)")
    parser.add_argument("--paper", choices=PAPERS,
                        help="pin the handout to this paper (default: it fits A4 and Letter alike)")
    parser.add_argument("--force", action="store_true", help="replace files of an earlier kit")


def handle(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from setsafety.kit import KitError, write_kit  # loads Jinja2 and python-pptx only when needed

    records = [load(case) for case in args.cases]  # the exit codes every command gives
    folder = Path(args.output)
    try:
        written = write_kit(records, folder, audience=args.audience, paper=args.paper, force=args.force)
    except KitError as error:
        raise CommandError(str(error), EXIT_INVALID) from None
    except FileExistsError as error:
        raise CommandError(f"{error.filename} already exists; not overwriting it (use --force to replace it)",
                           EXIT_USAGE) from None
    except OSError as error:
        where = error.filename if error.filename is not None else folder
        raise CommandError(f"cannot write {where}: {error.strerror or error}", EXIT_USAGE) from None
    count = len(records)
    stdout.write(f"wrote {len(written)} files to {folder}: a kit of {count} {'case' if count == 1 else 'cases'}, "
                 f"for {args.audience}\n")
    return EXIT_OK
