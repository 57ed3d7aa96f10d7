"""Safeguard protocols: the bundled ones by id, or any protocol file by path."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import cattrs

from setsafety._data import protocols_dir
from setsafety.errors import InvalidRecordError, ProtocolNotFoundError
from setsafety.model import Protocol, structure
from setsafety.problems import Problem, has_errors
from setsafety.reading import read_data
from setsafety.rules import rule_problems
from setsafety.schema import PROTOCOL_SCHEMA_ID, structural_problems

_PROTOCOL_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def list_protocols() -> list[str]:
    """The ids of the bundled protocols, sorted."""
    return sorted(path.stem for path in protocols_dir().glob("*.json"))


def protocol_path(id_or_path: str | Path) -> Path:
    """The file of a bundled protocol id, or the given path if it names a file."""
    text = str(id_or_path)
    if isinstance(id_or_path, str) and _PROTOCOL_ID.match(text):
        candidate = protocols_dir() / f"{text}.json"
        if candidate.is_file():
            return candidate
    path = Path(id_or_path)
    if not path.is_file():
        known = ", ".join(list_protocols())
        raise ProtocolNotFoundError(
            f"{text!r} is neither a bundled protocol ({known}) nor a protocol file"
        )
    return path


def load_protocol(id_or_path: str | Path) -> Protocol:
    """A validated protocol; raise ``InvalidRecordError`` if the file has errors, among them a
    layer whose rule the analyzers do not have (``setsafety.rules.rule_problems``).

    A bundled protocol is read once per process (protocols are immutable); a file is read each time.
    """
    path = protocol_path(id_or_path)
    if path.parent == protocols_dir():
        return _load_bundled(path)
    return _load(path)


@cache
def _load_bundled(path: Path) -> Protocol:
    return _load(path)


def _load(path: Path) -> Protocol:
    try:
        data = read_data(path)
    except InvalidRecordError as error:
        raise InvalidRecordError([problem.located(str(path)) for problem in error.problems]) from None
    problems = structural_problems(data, PROTOCOL_SCHEMA_ID)
    protocol = None
    if not problems:
        try:
            protocol = structure(data, Protocol)
        except cattrs.BaseValidationError as error:
            problems = [Problem(pointer="", code="model", message=line)
                        for line in cattrs.transform_error(error)]
    if protocol is not None:
        problems.extend(_protocol_rules(protocol))
        problems.extend(rule_problems(protocol))
    if has_errors(problems) or protocol is None:
        raise InvalidRecordError([problem.located(str(path)) for problem in problems])
    return protocol


def protocols_for(hazards: Any) -> list[Protocol]:
    """The bundled protocols that apply to the given hazards: any of its ``hazards``, and all of its
    ``requires``. Best first: those that cover most of them; then the one that covers the hazard listed
    first (a record lists its main hazard first); then the narrower protocol (fewer hazards); then by id."""
    given = list(hazards)
    wanted = set(given)
    found = [load_protocol(protocol_id) for protocol_id in list_protocols()]
    fitting = [protocol for protocol in found
               if wanted & set(protocol.hazards) and set(protocol.requires or ()) <= wanted]

    def rank(protocol: Protocol) -> tuple[int, int, int, str]:
        covered = wanted & set(protocol.hazards)
        first = min(given.index(hazard) for hazard in covered)
        return -len(covered), first, len(protocol.hazards), protocol.id

    return sorted(fitting, key=rank)


def _protocol_rules(protocol: Protocol) -> Iterator[Problem]:
    layer_ids: dict[str, int] = {}
    orders: dict[int, int] = {}
    references = {reference.id for reference in protocol.references or ()}
    audiences = {audience.id for audience in protocol.audiences}
    for i, layer in enumerate(protocol.layers):
        pointer = f"/layers/{i}"
        if layer.id in layer_ids:
            yield Problem(pointer=f"{pointer}/id", code="duplicate-id",
                          message=f"layer id {layer.id!r} is already used at /layers/{layer_ids[layer.id]}")
        layer_ids.setdefault(layer.id, i)
        if layer.order in orders:
            yield Problem(pointer=f"{pointer}/order", code="duplicate-order",
                          message=f"order {layer.order} is already used at /layers/{orders[layer.order]}")
        orders.setdefault(layer.order, i)
        for j, standard in enumerate(layer.standards):
            if standard.reference not in references:
                yield Problem(pointer=f"{pointer}/standards/{j}/reference", code="dangling-reference",
                              message=f"{standard.reference!r} is not a reference in /references")
        for audience in layer.actions:
            if audience not in audiences:
                yield Problem(pointer=f"{pointer}/actions/{audience}", code="dangling-reference",
                              message=f"{audience!r} is not an audience in /audiences")
        for audience in sorted(audiences - set(layer.actions)):
            yield Problem(pointer=f"{pointer}/actions", severity="warning", code="missing-action",
                          message=f"no action for the audience {audience!r}")
