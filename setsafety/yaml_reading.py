"""YAML records, read as JSON data: only what JSON can say, nothing YAML adds.

A YAML record must give exactly the data its JSON twin would. The data is built
here, in one pass, from the parser's events (PyYAML's composer and constructor
are never used), so that everything YAML adds is refused where it is met and
nothing grows before it is counted:

- plain scalars are resolved as JSON reads them (``true``/``false``, ``null``,
  JSON numbers); every other scalar is a string, so ``2021-10-21``, ``no`` and
  ``10:20`` stay strings;
- a key is always text, as in JSON (``1: a`` is the key ``"1"``); a list or a
  mapping as a key is refused, and so is a key twice in one mapping;
- tags (``!!float .nan``, ``!!int 0x10``, ``!<tag:...>``), anchors and aliases
  are refused (an alias can blow a small file up into a huge document);
- nesting deeper than ``MAX_DEPTH`` and more than ``MAX_NODES`` values are
  refused, which bounds time and memory for any file under the size cap.

libyaml (PyYAML's C parser; PyYAML's wheels include it) is used when present:
it reads 10 MiB in about a second, where PyYAML's own parser takes half a
minute. libyaml refuses escapes of UTF-16 surrogates (``\\ud83d``), which JSON
writes for characters beyond U+FFFF and YAML writers do not; a document of up to
``SLOW_PARSER_BYTES`` with one is parsed again by PyYAML's own parser, whose
escapes ``reading`` then joins into characters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any, NoReturn

import yaml
from yaml.scanner import ScannerError

from setsafety._numbers import json_int
from setsafety.errors import InvalidRecordError
from setsafety.problems import Problem

#: Deeper than any record needs.
MAX_DEPTH = 64
#: Values (scalars, lists and mappings) in one file: the largest bundled case has about 3,000, so
#: this is ample for any record, and bounds the pure-Python parser to seconds.
MAX_NODES = 250_000

_BOOL = re.compile(r"true|false")
_NULL = re.compile(r"null|~|")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


class _PythonLoader(yaml.SafeLoader):
    """PyYAML's own parser, with an escape beyond U+10FFFF (``\\UFFFFFFFF``) a scanner error."""

    def scan_flow_scalar_non_spaces(self, double: bool, start_mark: Any) -> Any:
        try:
            return super().scan_flow_scalar_non_spaces(double, start_mark)
        except (OverflowError, ValueError):  # chr() of a number beyond U+10FFFF
            raise ScannerError("while scanning a double-quoted scalar", start_mark,
                               "found an escape of no Unicode character (beyond U+10FFFF)",
                               self.get_mark()) from None


_FastLoader: Any = getattr(yaml, "CSafeLoader", None)
#: The largest document PyYAML's own parser reads after libyaml refused an escape: at most 64,000
#: values, a few seconds; a record written by hand is far smaller, and YAML writers do not escape surrogates.
SLOW_PARSER_BYTES = 128 * 1024


def parse_yaml(text: str) -> Any:
    """Parse one YAML document into JSON data; raise ``InvalidRecordError`` if it is not good."""
    if _FastLoader is not None:
        try:
            return _read(yaml.parse(text, Loader=_FastLoader))
        except yaml.YAMLError as error:
            surrogate = "invalid Unicode character escape" in str(getattr(error, "problem", ""))
            if not surrogate or len(text) > SLOW_PARSER_BYTES:
                _syntax(error)
    try:
        return _read(yaml.parse(text, Loader=_PythonLoader))
    except yaml.YAMLError as error:
        _syntax(error)
    except RecursionError:  # pragma: no cover - the depth limit comes first
        _fail("too-deep", "the YAML is nested too deeply")


def _fail(code: str, message: str) -> NoReturn:
    raise InvalidRecordError([Problem(pointer="", code=code, message=message)])


def _where(event: Any) -> str:
    mark = getattr(event, "start_mark", None)
    return f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""


def _syntax(error: yaml.YAMLError) -> NoReturn:
    if "maximum nesting depth" in str(getattr(error, "problem", "")):  # libyaml's own limit, 1,000 levels
        _fail("too-deep", "the YAML is nested too deeply")
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        message = error.problem or error.context or "not valid YAML"
        _fail("yaml-syntax", f"{message}{where}")
    _fail("yaml-syntax", str(error))


class _Mapping:
    """A mapping being built: its dict, and the key waiting for its value."""

    __slots__ = ("key", "value")

    def __init__(self) -> None:
        self.value: dict[str, Any] = {}
        self.key: str | None = None


def _read(events: Iterable[Any]) -> Any:
    """The one document the events spell, as JSON data."""
    stack: list[list[Any] | _Mapping] = []
    root: Any = None
    documents = 0
    nodes = 0
    event: Any
    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                _fail("yaml-syntax", f"a record file holds one YAML document, and this one has more{_where(event)}")
            continue
        if not isinstance(event, yaml.NodeEvent):
            if isinstance(event, yaml.CollectionEndEvent):
                done = stack.pop()
                value = done.value if isinstance(done, _Mapping) else done
                if stack:
                    _add(stack[-1], value, event)
                else:
                    root = value
            continue
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            _fail("yaml-alias", f"anchors and aliases (&name, *name) are not allowed in a record{_where(event)}; "
                                "write the value out")
        tag = getattr(event, "tag", None)  # a scalar's, a list's or a mapping's
        if tag is not None:
            _fail("yaml-tag", f"tags ({tag}) are not allowed in a record{_where(event)}; "
                              "write the value as JSON would (quote it to make it text)")
        nodes += 1
        if nodes > MAX_NODES:
            _fail("too-large", f"the YAML holds more than {MAX_NODES:,} values; no record is this large")
        if isinstance(event, yaml.ScalarEvent):
            if stack and isinstance(stack[-1], _Mapping) and stack[-1].key is None:
                _key(stack[-1], event.value, event)
            elif stack:
                _add(stack[-1], _scalar(event), event)
            else:
                root = _scalar(event)
            continue
        if stack and isinstance(stack[-1], _Mapping) and stack[-1].key is None:
            _fail("yaml-key", f"a list or a mapping is used as a key{_where(event)}; a key is text")
        if len(stack) >= MAX_DEPTH:
            _fail("too-deep", "the YAML is nested too deeply")
        stack.append(_Mapping() if isinstance(event, yaml.MappingStartEvent) else [])
    return root


def _key(mapping: _Mapping, key: str, event: Any) -> None:
    if key in mapping.value:
        _fail("yaml-syntax", f"the key {key!r} appears twice in one mapping{_where(event)}")
    mapping.key = key


def _add(parent: list[Any] | _Mapping, value: Any, event: Any) -> None:
    if isinstance(parent, list):
        parent.append(value)
        return
    assert parent.key is not None
    parent.value[parent.key] = value
    parent.key = None


def _scalar(event: Any) -> Any:
    """A scalar as JSON reads it: plain ``true``, ``false``, ``null`` and numbers are typed."""
    text: str = event.value
    if event.style:  # quoted, literal or folded: text (a plain scalar has no style: None, or "" from libyaml)
        return text
    if _BOOL.fullmatch(text):
        return text == "true"
    if _NULL.fullmatch(text):
        return None
    if _INT.fullmatch(text):
        try:
            return json_int(text)
        except ValueError as error:
            _fail("json-number", f"a number JSON cannot carry faithfully: {error}{_where(event)}")
    if _FLOAT.fullmatch(text):
        value = float(text)
        if not math.isfinite(value):
            _fail("json-number", f"a number JSON cannot carry faithfully: {text[:40]} is out of range{_where(event)}")
        return value
    return text
