"""Reading a record or protocol file (JSON, or YAML) into JSON data, strictly.

Everything that can go wrong before the schema sees the data becomes a
``Problem`` (raised in an ``InvalidRecordError``): bytes that are not UTF-8, a
byte-order mark, syntax, duplicate keys, numbers JSON cannot carry, YAML
aliases and tags, and nesting too deep to check. Operating-system errors (no
such file, no permission) are raised as ``OSError`` for the caller to report
as I/O.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any, NoReturn

from setsafety.errors import InvalidRecordError
from setsafety.problems import Problem, pointer_from

#: A record is prose and references: even a long case is well under a megabyte.
MAX_BYTES = 10 * 1024 * 1024
#: Deeper than any record the schema allows, shallow enough to stay off the C stack's limit.
MAX_DEPTH = 64


#: File endings read as YAML; everything else is read as JSON.
YAML_SUFFIXES = (".yaml", ".yml")


def read_data(path: str | Path) -> Any:
    """Read and parse a JSON or YAML file (by its ending); raise ``InvalidRecordError`` if it is not good."""
    path = Path(path)
    with path.open("rb") as stream:
        raw = stream.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        _fail("too-large", f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB; no record is this large")
    return parse_bytes(raw, yaml=path.suffix.lower() in YAML_SUFFIXES)


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
        )
    except RecursionError:
        _fail("too-deep", f"the JSON is nested too deeply; a record needs at most {MAX_DEPTH} levels")
    except json.JSONDecodeError as error:
        _fail("json-syntax", f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})")
    except _DuplicateKeyError as error:
        _fail("duplicate-key", f"the key {error.key!r} appears twice in one object; JSON readers would keep only one")
    except ValueError as error:  # numbers out of range, too many digits
        reason = "it has more than 4,300 digits" if "digits" in str(error) else str(error)
        _fail("json-number", f"a number JSON cannot carry faithfully: {reason}")
    return _mend_surrogates(text, check_depth(data))


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
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:40]} is out of range")
    return value


def _depth(data: Any) -> int:
    """The deepest nesting of arrays and objects, found without recursion."""
    deepest = 0
    stack = [(data, 1)] if isinstance(data, (dict, list)) else []
    pop, push = stack.pop, stack.append
    while stack:  # only arrays and objects go on the stack: a record is mostly strings
        value, depth = pop()
        deepest = max(deepest, depth)
        if depth <= MAX_DEPTH:
            for child in value.values() if isinstance(value, dict) else value:
                if isinstance(child, (dict, list)):
                    push((child, depth + 1))
    return deepest
