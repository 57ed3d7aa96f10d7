"""Write examples/rust-2021-lessons.md: the Markdown lesson of the rust-2021 case for the whole crew.

Run it after changing the record, the protocol, the analyzers or the templates::

    python examples/regenerate_lessons.py

and commit the rewritten file. ``tests/test_lessons.py`` fails while the
checked-in file differs from a fresh render.
"""

from __future__ import annotations

from pathlib import Path

import setsafety
from setsafety.lessons import render_lessons

OUTPUT = Path(__file__).resolve().parent / "rust-2021-lessons.md"


def render() -> str:
    """The lesson as it should be checked in."""
    return render_lessons(setsafety.load_case("rust-2021"), format="md", audience="crew")


def main() -> None:
    """Rewrite the example file."""
    OUTPUT.write_text(render(), encoding="utf-8", newline="\n")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
