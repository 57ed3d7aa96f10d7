"""Characters in text that comes from a record and must never reach an output raw: one definition.

``UNSAFE`` is what a terminal, a spreadsheet or a reader's eye can be fooled by:

- C0 controls other than tab and newline (ESC starts terminal escapes, BEL rings, CR overwrites a line),
  DEL, and the C1 controls (U+0080-U+009F; U+009B is a one-byte terminal escape);
- the Unicode line and paragraph separators (U+2028, U+2029), which some viewers break lines at;
- the bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the marks
  U+200E, U+200F and U+061C, which reorder how text is shown ("Trojan Source", CVE-2021-42574);
- the invisible zero-width characters that join nothing: U+200B, U+2060, U+FEFF and U+180E.

The zero-width joiner and non-joiner (U+200C, U+200D) are kept: Persian, Indic scripts and emoji
need them, and they cannot reorder or hide a line.
"""

from __future__ import annotations

import re

_BIDI_AND_INVISIBLE = "\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
#: Characters never written raw (tab and newline are layout, and are kept).
UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{_BIDI_AND_INVISIBLE}]")
#: The same, with tab and newline: for text that must stay on one line.
_UNSAFE_OR_LAYOUT = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI_AND_INVISIBLE}]")
#: Line breaks of every kind, and tabs: what ``one_line`` folds into spaces.
_BREAKS = re.compile("[\t\n\x0b\x0c\r\x1c-\x1e\x85\u2028\u2029]+")


def _shown(match: re.Match[str]) -> str:
    character = match.group()
    code = ord(character)
    if code < 0x100:
        return character.encode("unicode_escape").decode("ascii")  # \x1b, \r, \x9b
    return f"\\u{code:04x}"


def escape_controls(text: str, *, newlines: bool = False) -> str:
    """``text`` with unsafe characters shown as escapes (``\\x1b``, ``\\u202e``); newlines and tabs too if asked."""
    pattern = _UNSAFE_OR_LAYOUT if newlines else UNSAFE
    return pattern.sub(_shown, text)


def escape_json_text(text: str) -> str:
    """JSON text with every unsafe character written as a ``\\uXXXX`` escape: the same data, nothing raw.

    ``json.dumps`` escapes C0 controls itself; with ``ensure_ascii=False`` the others would pass
    raw. They can only stand inside strings (JSON's own syntax is ASCII), where the escape is valid.
    """
    return UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def one_line(text: str) -> str:
    """``text`` with line breaks and tabs folded into single spaces: for a one-line slot of a text view."""
    return _BREAKS.sub(" ", text)


def strip_controls(text: str) -> str:
    """``text`` without unsafe characters (tabs and newlines kept): for the lessons, which drop them."""
    return UNSAFE.sub("", text)
