"""Numbers as JSON readers other than Python's hold them (shared by the JSON and YAML readers)."""

from __future__ import annotations

import sys


def json_int(text: str) -> int:
    """An integer within the range of a double, or ``ValueError``.

    JSON readers other than Python's read every number as a double, so a 400-digit distance that
    passes the schema (``minimum: 0``) is ``Infinity`` to them, and breaks any code that makes it a float.
    """
    digits = text.lstrip("-")
    value = int(text) if len(digits) <= 309 else None  # 1.8e308, the largest double, has 309 digits
    if value is None or abs(value) > sys.float_info.max:
        shown = text if len(text) <= 24 else f"{text[:12]}...({len(digits):,} digits)"
        raise ValueError(f"{shown} is beyond the largest number JSON readers hold (about 1.8e308)")
    return value
