"""Text helpers shared by the renderers: cleaning, Markdown escaping, wrapping.

Record text may hold anything a record author typed, so every renderer passes
it through one of these before it reaches the output: ``md`` for Markdown,
``clean`` for plain text (HTML is escaped by Jinja's autoescaping).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable

from setsafety._control import strip_controls

#: Plain-text lines are wrapped at this width.
WIDTH = 100

#: Characters with a meaning inside a Markdown line (GitHub flavour, with math).
_MD_INLINE = re.compile(r"([\\`*_\[\]|~$])")
#: An ``&`` that would start an HTML entity.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
#: Characters a quoted Mermaid label must spell as entity codes, and their codes.
_MERMAID_CODES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;", ";": "#59;"}
_MERMAID = re.compile("[" + re.escape("".join(_MERMAID_CODES)) + "]")
#: What would start a block (heading, quote, list, rule) at the start of a line.
_MD_BLOCK_START = re.compile(r"^([#=+-])")
_MD_ORDERED = re.compile(r"^(\d+)([.)])(?=\s|$)")


class MdSafe(str):
    """Markdown that is already escaped: the Markdown templates output it as is."""

    __slots__ = ()


def clean(text: object) -> str:
    """A value as one tidy line: control characters dropped, whitespace collapsed."""
    return " ".join(strip_controls(str(text)).split())


def md(text: object) -> MdSafe:
    """Record text made inert in Markdown: it can neither start a block, break a
    table cell, nor become HTML, a link, emphasis, code or math."""
    if isinstance(text, MdSafe):
        return text
    line = clean(text)
    line = _ENTITY.sub("&amp;", line)
    line = line.replace("<", "&lt;").replace(">", "&gt;")
    line = _MD_INLINE.sub(r"\\\1", line)
    line = _MD_BLOCK_START.sub(r"\\\1", line)
    line = _MD_ORDERED.sub(r"\1\\\2", line)
    return MdSafe(line)


def md_code(text: object) -> MdSafe:
    """A code span that holds ``text`` literally, whatever backticks it contains."""
    line = clean(text)
    longest = max((len(run) for run in re.findall(r"`+", line)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if line.startswith("`") or line.endswith("`") else ""
    return MdSafe(f"{fence}{pad}{line}{pad}{fence}")


def mermaid(text: object) -> str:
    """Text for a quoted Mermaid label: quotes, markup, statement ends and entity starts as entity codes."""
    return _MERMAID.sub(lambda match: _MERMAID_CODES[match.group(0)], clean(text))


def fill(text: object, indent: int = 0, hang: int | None = None, width: int = WIDTH) -> str:
    """Text wrapped for print: ``indent`` spaces before the first line and ``hang``
    (default: the same) before the others; words are never broken at hyphens."""
    first = " " * indent
    rest = " " * (indent if hang is None else hang)
    return textwrap.fill(clean(text), width, initial_indent=first, subsequent_indent=rest,
                         break_on_hyphens=False, break_long_words=False) or first.rstrip()


def underline(title: object, char: str = "-") -> str:
    """A plain-text heading: the title and a rule as long as it."""
    line = clean(title)
    return f"{line}\n{char * len(line)}"


def wrap_label(text: str, width: int, lines: int) -> list[str]:
    """A short label in at most ``lines`` lines of ``width`` characters; a longer one ends with '…'
    after its last whole word (only a single word wider than a line is cut inside it)."""
    wrapped = textwrap.wrap(clean(text), width, break_on_hyphens=False) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        last = wrapped[-1]
        if len(last) >= width:  # no room for the '…': drop the last word, or cut a lone long one
            last = last.rsplit(" ", 1)[0] if " " in last else last[: width - 1]
        wrapped[-1] = last.rstrip(",;:") + "…"
    return wrapped


def humanize(slug: str) -> str:
    """An enumerated value as words: ``first-ad`` -> ``first AD``, ``not-done`` -> ``not done``."""
    words = ["AD" if word == "ad" else word for word in slug.split("-")]
    return " ".join(words)


def join_words(items: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    found = [item for item in items if item]
    if len(found) < 2:
        return "".join(found)
    return ", ".join(found[:-1]) + " and " + found[-1]


def safe_url(url: str | None) -> str | None:
    """The URL if it is a web address (http or https), else ``None``: never a
    ``javascript:`` or ``data:`` link from a record."""
    if url is None:
        return None
    text = url.strip()
    return text if re.match(r"^https?://[^\s<>\"']+$", text, re.IGNORECASE) else None
