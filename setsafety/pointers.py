"""JSON pointers (RFC 6901): the one place that builds, reads, orders and prints them.

Every part of a pointer that may be an array index goes through ``array_index``:
an index is ``0`` or ASCII digits without a leading zero (RFC 6901, section 4),
so ``/people/00``, ``/people/²`` or an Arabic-Indic digit name no element, and a part of
thousands of digits is compared as text instead of being converted (Python refuses
to convert more than 4,300 digits, and no list is that long anyway).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

#: An array index as RFC 6901 spells it; 18 digits are more than any list can hold.
_INDEX = re.compile(r"0|[1-9][0-9]{0,17}")


def array_index(part: str) -> int | None:
    """The array index ``part`` spells, or ``None`` if it is not one (``"00"``, ``"²"``, ``"-1"``)."""
    if _INDEX.fullmatch(part) is None:
        return None
    return int(part)


def escape_part(part: str | int) -> str:
    """One reference token: ``~`` as ``~0``, ``/`` as ``~1``."""
    return str(part).replace("~", "~0").replace("/", "~1")


def unescape_part(part: str) -> str:
    """The key a reference token names."""
    return part.replace("~1", "/").replace("~0", "~")


def pointer_from(parts: Iterable[str | int]) -> str:
    """A JSON pointer from a sequence of keys and indexes."""
    return "".join("/" + escape_part(part) for part in parts)


def resolve(data: Any, pointer: str) -> tuple[bool, Any]:
    """Follow a JSON pointer into JSON data: ``(found, value)``."""
    if pointer == "":
        return True, data
    if not pointer.startswith("/"):
        return False, None
    value = data
    for raw in pointer[1:].split("/"):
        part = unescape_part(raw)
        if isinstance(value, dict):
            if part not in value:
                return False, None
            value = value[part]
        elif isinstance(value, list):
            index = array_index(part)
            if index is None or index >= len(value):
                return False, None
            value = value[index]
        else:
            return False, None
    return True, value


def document_order(pointer: str) -> tuple[tuple[int, int, str], ...]:
    """A sort key that puts ``/people/2`` before ``/people/10``, and any key after the indexes."""
    key = []
    for part in pointer.split("/"):
        index = array_index(part)
        key.append((0, index, "") if index is not None else (1, 0, part))
    return tuple(key)


def display(pointer: str) -> str:
    """A pointer as the command line prints it: the whole document (``""``) as ``#``, the
    URI-fragment spelling of the empty pointer (``/`` would be the key ``""``)."""
    return pointer or "#"


def overlaps(a: str, b: str) -> bool:
    """Whether two JSON pointers name the same value, or one lies inside the other."""
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")
