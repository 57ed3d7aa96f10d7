"""What the schemas' ``format``s and ``pattern``s mean: one meaning, whichever engine validates.

setsafety validates with jsonschema-rs (fast) and with the pure-Python ``jsonschema``
(the reference, which words the messages); check-jsonschema and Ajv are what users
run beside them. JSON Schema says a ``pattern`` is an ECMA-262 regular expression
and a ``format`` is the RFC 3339 or RFC 3986 production of that name. Python's
``re`` is not ECMA-262: its ``$`` also matches before a final newline (so
``"2021-10-21\\n"`` passed ``^...$``) and its ``\\d`` takes any Unicode digit. So the
reference engine applies patterns with ``regress`` (an ECMA-262 engine, the one
check-jsonschema uses, with the ``u`` flag as Ajv's ``unicode`` default does), and
checks formats with the functions below, which jsonschema-rs agrees with
(``tests/test_parity.py`` holds both to it, and Ajv where it is installed).

One deliberate choice: a ``date`` is a day from 0001-01-01 to 9999-12-31. RFC 3339
also admits year 0000 (as Ajv and jsonschema-rs do); Python's dates, which the
analysis computes with, and check-jsonschema do not, and no incident happened in
it. jsonschema-rs is given this reading of ``date`` (and ``date-time``).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import regress
    from jsonschema import FormatChecker
    from jsonschema.protocols import Validator

_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")  # ASCII digits only; always fullmatch, never ``$``
_TIME = re.compile(r"([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?(?:[zZ]|([+-])([0-9]{2}):([0-9]{2}))")
_LAST_MINUTE = 23 * 60 + 59


def is_date(value: object) -> bool:
    """RFC 3339 ``full-date`` (``YYYY-MM-DD``), a real day of the years 0001 to 9999."""
    if not isinstance(value, str):
        return True
    match = _DATE.fullmatch(value)
    if match is None:
        return False
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    return year >= 1 and 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def is_time(value: object) -> bool:
    """RFC 3339 ``full-time`` (``HH:MM:SS[.frac](Z|+HH:MM|-HH:MM)``); second 60 only
    in the last minute of a UTC day, where leap seconds go."""
    if not isinstance(value, str):
        return True
    match = _TIME.fullmatch(value)
    if match is None:
        return False
    hour, minute, second = int(match[1]), int(match[2]), int(match[3])
    sign = match[4]
    offset = int(match[5]) * 60 + int(match[6]) if sign else 0
    if hour > 23 or minute > 59 or second > 60 or (sign and (int(match[5]) > 23 or int(match[6]) > 59)):
        return False
    if second < 60:
        return True
    utc = (hour * 60 + minute - (offset if sign == "+" else -offset)) % (24 * 60)
    return utc == _LAST_MINUTE


def is_date_time(value: object) -> bool:
    """RFC 3339 ``date-time``: a ``full-date``, ``T`` (or ``t``), a ``full-time``."""
    if not isinstance(value, str):
        return True
    date, separator, time = value[:10], value[10:11], value[11:]
    return separator in ("T", "t") and is_date(date) and is_time(time)


def is_uri(value: object) -> bool:
    """RFC 3986 ``URI`` (an absolute URI, with a scheme), the whole string."""
    if not isinstance(value, str):
        return True
    from rfc3986_validator import validate_rfc3986  # type: ignore[import-untyped]

    match = validate_rfc3986(value, rule="URI")
    # Its pattern ends in Python's ``$``, which also matches before a final newline.
    return match is not None and match.end() == len(value)


#: The formats the schemas may use, and what each means; both engines check exactly these.
FORMATS: dict[str, Callable[[object], bool]] = {
    "date": is_date,
    "time": is_time,
    "date-time": is_date_time,
    "uri": is_uri,
}

#: The formats jsonschema-rs is given as functions, where its own reading differs from ``FORMATS``:
#: it takes year 0000 as a date. For the others its own check agrees (tests/test_parity.py).
FAST_ENGINE_FORMATS: dict[str, Callable[[object], bool]] = {"date": is_date, "date-time": is_date_time}


def format_checker() -> FormatChecker:
    """A ``jsonschema`` format checker that checks ``FORMATS`` (and nothing else)."""
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    for name, check in FORMATS.items():
        checker.checks(name)(check)
    return checker


# --- ECMA-262 patterns for the reference engine ----------------------------------


@cache
def ecma_regex(pattern: str) -> regress.Regex:
    """``pattern`` compiled as an ECMA-262 regular expression with the ``u`` flag."""
    import regress

    return regress.Regex(pattern, flags="u")


def pattern_keyword(validator: Validator, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    """``pattern`` with ECMA-262 semantics; the message is the one ``jsonschema`` gives."""
    from jsonschema import ValidationError

    if validator.is_type(instance, "string") and ecma_regex(pattern).find(instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def pattern_properties_keyword(
    validator: Any, pattern_properties: dict[str, Any], instance: Any, schema: Any,
) -> Iterator[Any]:
    """``patternProperties`` with ECMA-262 semantics."""
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in pattern_properties.items():
        regex = ecma_regex(pattern)
        for key, value in instance.items():
            if regex.find(key) is not None:
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)
