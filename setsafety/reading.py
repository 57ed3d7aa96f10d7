"""Reading a record or protocol file (JSON, or YAML) into JSON data, strictly.

Everything that can go wrong before the schema sees the data becomes a
``Problem`` (raised in an ``InvalidRecordError``): bytes that are not UTF-8, a
byte-order mark, syntax, duplicate keys, numbers JSON cannot carry, YAML
aliases and tags, and nesting too deep to check. Operating-system errors (no
such file, no permission) are raised as ``OSError`` for the caller to report
as I/O.
"""

from __future__ import annotations

import errno
import json
import math
import os
import re
import stat
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from setsafety._numbers import json_int
from setsafety.errors import InvalidRecordError
from setsafety.problems import Problem, pointer_from

if TYPE_CHECKING:
    import jsonschema_rs

#: A record is prose and references: even a long case is well under a megabyte.
MAX_BYTES = 10 * 1024 * 1024
#: Deeper than any record the schema allows, shallow enough to stay off the C stack's limit.
MAX_DEPTH = 64


#: File endings read as YAML; everything else is read as JSON.
YAML_SUFFIXES = (".yaml", ".yml")


def read_data(path: str | Path) -> Any:
    """Read and parse a JSON or YAML file (by its ending); raise ``InvalidRecordError`` if it is not good."""
    return read_file(path)[0]


def read_file(path: str | Path) -> tuple[Any, bytes]:
    """``read_data``, and the bytes it parsed."""
    path = Path(path)
    # Opened without waiting (a FIFO would block until someone writes), then refused unless regular.
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a pipe, a device or a socket)", str(path))
        raw = stream.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        _fail("too-large", f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB; no record is this large")
    return parse_bytes(raw, yaml=path.suffix.lower() in YAML_SUFFIXES), raw


def parse_bytes(raw: bytes, *, yaml: bool) -> Any:
    """Parse a file's contents as YAML or as JSON, strictly (see ``read_data``)."""
    if yaml:
        from setsafety.yaml_reading import parse_yaml

        text = decode(raw)
        return _mend_surrogates(text, check_depth(parse_yaml(text)))
    return parse_json(raw)


def decode(raw: bytes | str) -> str:
    """UTF-8 text without a byte-order mark, or a problem."""
    if isinstance(raw, str):
        return raw
    if raw.startswith(b"\xef\xbb\xbf"):
        _fail("encoding", "the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return _fail("encoding", f"the file is not UTF-8 text (byte {error.start}: {error.reason})")


def parse_json(raw: bytes | str) -> Any:
    """Parse JSON text strictly; raise ``InvalidRecordError`` with a problem if it is not good JSON."""
    text = decode(raw)
    try:
        data = json.loads(
            text,
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_no_constant,
            parse_float=_finite_float,
            # Checking every integer costs a Python call each (5 s for 5 million); only a run of 309 digits
            # can be beyond a double, so the check runs only when the text has one.
            parse_int=json_int if _has_long_digits(raw) else None,
        )
    except RecursionError:
        _fail("too-deep", f"the JSON is nested too deeply; a record needs at most {MAX_DEPTH} levels")
    except json.JSONDecodeError as error:
        _fail("json-syntax", f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})")
    except _DuplicateKeyError as error:
        _fail("duplicate-key", f"the key {error.key!r} appears twice in one object; JSON readers would keep only one")
    except ValueError as error:  # numbers out of range
        _fail("json-number", f"a number JSON cannot carry faithfully: {error}")
    return _mend_surrogates(text, _check_json_depth(data))


def _check_json_depth(data: Any) -> Any:
    """``check_depth`` for what ``json.loads`` made: jsonschema-rs finds whether it is deep at all (in a
    quarter of the time of the walk), and the walk measures how deep only if it is."""
    try:
        shallow = within_depth().is_valid(data)
    except ValueError:  # text jsonschema-rs cannot take (half of a surrogate pair, in a key): the walk decides
        shallow = False
    return data if shallow else check_depth(data)


@cache
def within_depth() -> jsonschema_rs.Validator:
    """A validator of ``depth_schema(MAX_DEPTH)``."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(depth_schema(MAX_DEPTH))


def depth_schema(depth: int) -> dict[str, Any]:
    """A JSON Schema met by a value nested at most ``depth`` arrays and objects deep, as ``check_depth``
    counts: a value that is neither is 0 deep; an array or object is one deeper than its deepest member."""
    levels: dict[str, Any] = {"0": {"not": {"type": ["array", "object"]}}}
    for level in range(1, depth + 1):
        below = {"$ref": f"#/$defs/{level - 1}"}
        levels[str(level)] = {"items": below, "additionalProperties": below}
    return {"$defs": levels, "$ref": f"#/$defs/{depth}"}


#: A \u escape of half of a UTF-16 surrogate pair, as JSON and YAML write characters beyond U+FFFF.
_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89abcdefABCDEF]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _mend_surrogates(text: str, data: Any) -> Any:
    """Join escaped surrogate pairs into the character they spell (YAML leaves them apart);
    a lone half is not a character at all, and is a problem at its pointer."""
    if not _SURROGATE_ESCAPE.search(text):
        return data

    def mend(value: Any, path: list[str | int]) -> Any:
        if isinstance(value, dict):
            return {mend(key, path): mend(child, [*path, key]) for key, child in value.items()}
        if isinstance(value, list):
            return [mend(child, [*path, index]) for index, child in enumerate(value)]
        if isinstance(value, str) and _SURROGATE.search(value):
            try:
                return value.encode("utf-16", "surrogatepass").decode("utf-16")
            except UnicodeDecodeError:
                raise InvalidRecordError([Problem(
                    pointer=pointer_from(path), code="encoding",
                    message="the text holds half of a UTF-16 surrogate pair (a \\uD800-\\uDFFF escape on its "
                            "own), which is no character; write the character itself",
                )]) from None
        return value

    return mend(data, [])


def check_depth(data: Any) -> Any:
    """``data`` itself, if it is nested no deeper than a record can be."""
    depth = _depth(data)
    if depth > MAX_DEPTH:
        _fail("too-deep", f"the data is nested {depth} levels deep; a record needs at most {MAX_DEPTH}")
    return data


def _fail(code: str, message: str) -> NoReturn:
    raise InvalidRecordError([Problem(pointer="", code=code, message=message)])


class _DuplicateKeyError(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)  # in C; the duplicate is looked for only if a key went missing
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


#: Every ASCII digit made ``0``, every other byte a space: a run of digits becomes a run of ``0``.
_DIGITS_AS_ZEROS = bytes(b"0"[0] if b"0"[0] <= byte <= b"9"[0] else b" "[0] for byte in range(256))
_LONG_RUN = b"0" * 309


def _has_long_digits(raw: bytes | str) -> bool:
    """Whether the text holds a run of 309 digits (a number that may be beyond a double).

    Translating the bytes and looking for a run of zeros takes a tenth of the time of the regular
    expression ``[0-9]{309}``, which stepped through the whole file. UTF-8 never uses an ASCII byte
    inside another character, so the digits of the bytes are the digits of the text.
    """
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    return _LONG_RUN in raw.translate(_DIGITS_AS_ZEROS)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:40]} is out of range")
    return value


def _depth(data: Any) -> int:
    """The deepest nesting of arrays and objects (at most ``MAX_DEPTH + 1``), found level by level.

    Each level is gathered with ``list.extend`` and filtered once, so the walk costs well under a
    microsecond a value and never recurses.
    """
    depth = 0
    level = [data] if isinstance(data, (dict, list)) else []
    while level and depth <= MAX_DEPTH:
        depth += 1
        below: list[Any] = []
        for value in level:
            below.extend(value.values() if isinstance(value, dict) else value)
        level = [value for value in below if isinstance(value, (dict, list))]
    return depth


def check_data(data: Any) -> Any:
    """``data`` itself, if it is JSON data (as ``json.loads`` makes it) no deeper than a record can be.

    For data handed to the API rather than read from a file: a set, a tuple, bytes, a key that is
    not text or a number that is not finite is a ``not-json`` problem at its pointer.
    """
    check_depth(data)
    level = [data]
    while level:  # level by level, cheaply; the pointer of a bad value is looked for only if there is one
        below: list[Any] = []
        for value in level:
            if isinstance(value, dict):
                if not all(isinstance(key, str) for key in value):
                    _find_not_json(data)
                below.extend(value.values())
            elif isinstance(value, list):
                below.extend(value)
            elif not _json_scalar(value):
                _find_not_json(data)
        level = [value for value in below if isinstance(value, (dict, list)) or not _json_scalar(value)]
    return data


def _json_scalar(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, int):  # bool is an int
        return abs(value) <= sys.float_info.max
    return value is None or isinstance(value, str)


def _find_not_json(data: Any) -> NoReturn:
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, child in value.items():
                if not isinstance(key, str):
                    _not_json(path, f"a key that is not text ({type(key).__name__} {key!r:.40})")
                stack.append(((*path, key), child))
        elif isinstance(value, list):
            stack.extend(((*path, index), child) for index, child in enumerate(value))
        elif isinstance(value, float) and not math.isfinite(value):
            _not_json(path, f"{value!r}, which JSON cannot carry")
        elif isinstance(value, int) and not _json_scalar(value):
            _not_json(path, "an integer beyond the largest number JSON readers hold (about 1.8e308)")
        elif not _json_scalar(value):
            _not_json(path, f"a {type(value).__name__}, which is not JSON data (give dicts, lists, text, "
                            "numbers, booleans and None, as json.load makes them)")
    raise AssertionError("no value that is not JSON data")  # pragma: no cover - only called when there is one


def _not_json(path: tuple[str | int, ...], what: str) -> NoReturn:
    raise InvalidRecordError([Problem(pointer=pointer_from(path), code="not-json", message=f"found {what}")])
