"""Control characters in text that comes from a record: one definition for every output."""

from __future__ import annotations

import re

#: C0 and C1 control characters other than tab and newline (terminal escapes among them), and the
#: Unicode line and paragraph separators.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_ALL_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape_controls(text: str, *, newlines: bool = False) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``); newlines and tabs too if asked."""
    pattern = _ALL_CONTROL if newlines else CONTROL
    return pattern.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def strip_controls(text: str) -> str:
    """``text`` without control characters (tabs and newlines kept)."""
    return CONTROL.sub("", text)
