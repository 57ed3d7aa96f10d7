"""Time in a record: partial dates, undated moments, and what is certainly before what.

A record's ``When`` is as precise as its sources: a full date, a month, a year,
or no date at all (``label`` says how the sources put it: "earlier in the
shoot"). These helpers answer the only questions the rest of the package asks
of time: which days can a date mean, and is one moment certainly before another.
"""

from __future__ import annotations

import calendar
from functools import lru_cache
from typing import Literal

from setsafety.model.record import When


@lru_cache(maxsize=4096)  # a record repeats a few dates many times, and the analyzers ask again and again
def date_range(date: str | None) -> tuple[str, str] | None:
    """The first and last day a partial date can mean, or ``None`` if there is no
    date or it is not a real calendar date (year 1 to 9999)."""
    if not date:
        return None
    parts = date.split("-")
    if not all(part.isascii() and part.isdigit() for part in parts) or len(parts) > 3:
        return None
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else None
    day = int(parts[2]) if len(parts) > 2 else None
    if not 1 <= year <= 9999:
        return None
    if month is None:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    if not 1 <= day <= last:
        return None
    return (date, date)


def is_real_date(date: str) -> bool:
    """Whether a YYYY, YYYY-MM or YYYY-MM-DD string names a real calendar date."""
    return date_range(date) is not None


def day_of(when: When | None) -> str | None:
    """The day a moment falls on, if it is known to the day."""
    span = date_range(when.date) if when is not None else None
    return span[0] if span and span[0] == span[1] else None


def definitely_before(a: When, b: When) -> bool:
    """Whether ``a`` is certainly earlier than ``b`` by their dates (approximate and undated moments
    never are; see ``relation_to_event`` for where an undated moment stands)."""
    if "approximate" in (a.precision, b.precision):
        return False
    range_a, range_b = date_range(a.date), date_range(b.date)
    if range_a is None or range_b is None:
        return False
    if range_a[1] < range_b[0]:
        return True
    if range_a[0] == range_a[1] == range_b[0] == range_b[1] and a.time and b.time:
        return a.time < b.time
    return False


Relation = Literal["before", "after", "unknown"]


def relation_to_event(when: When | None, event: When | None) -> Relation:
    """Where a moment stands relative to the event: certainly ``before``, certainly ``after``,
    or ``unknown``. An undated moment stands where the sources place it (``relative``)."""
    if when is None or event is None:
        return "unknown"
    if when.date is None:
        if when.relative == "before-event":
            return "before"
        return "after" if when.relative == "after-event" else "unknown"
    if definitely_before(when, event):
        return "before"
    if definitely_before(event, when):
        return "after"
    return "unknown"


def not_after(when: When | None, event: When | None) -> bool:
    """Whether a moment may have come before the event (it is not certainly after it)."""
    return relation_to_event(when, event) != "after"
