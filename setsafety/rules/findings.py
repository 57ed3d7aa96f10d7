"""What a rule finds, as data: a state, the reasons for it, and the evidence.

Nothing here is English. A ``Reason`` is a stable ``code`` (like ``Problem.code``) with the
ids of what it concerns (parties by their part in it, items, events, checks), counts, a few
enumerated values, the pointers of the facts it rests on and their sources; an ``Evidence`` is
one cited fact, with its own code and the object it cites. ``setsafety.phrasing`` turns both
into sentences for a reader, naming parties as that reader needs (names or roles).

States are combined by one function, ``combine``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypedDict

import attrs

State = Literal["held", "degraded", "failed", "skipped", "absent", "not-applicable", "unknown"]

#: Every state, from the most to the least serious (the order ``combine`` uses).
SEVERITY: tuple[State, ...] = (
    "failed", "skipped", "absent", "degraded", "held", "not-applicable", "unknown",
)
#: States in which a layer let the hazard through.
NOT_HELD: tuple[State, ...] = ("failed", "skipped", "absent", "degraded")


def is_not_held(state: State) -> bool:
    """Whether a layer in this state let the hazard through."""
    return state in NOT_HELD


#: A value a reason or evidence carries for the words: an enumerated value, short record text,
#: or several enumerated values.
Value = str | tuple[str, ...]


class AboutArgs(TypedDict, total=False):
    """What a reason or evidence concerns, as keyword arguments (see ``About``)."""

    parties: Mapping[str, str | None]
    items: Iterable[str]
    events: Iterable[str]
    checks: Iterable[str]
    counts: Mapping[str, int]
    values: Mapping[str, Value]


def _tuple(value: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(value or ())


@attrs.frozen(kw_only=True)
class About:
    """What a reason or a piece of evidence concerns, for the phrasing and for JSON consumers.

    ``parties`` maps a party's part (``by``, ``to``, ``holder``, ``who``) to its id; ``items``,
    ``events`` and ``checks`` are ids from the record; ``counts`` are numbers; ``values`` are
    enumerated values and short record text the words need (a check level, a storage place).
    """

    code: str
    parties: dict[str, str] = attrs.field(factory=dict)
    items: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    events: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    checks: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    counts: dict[str, int] = attrs.field(factory=dict)
    values: dict[str, Value] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class Evidence(About):
    """A fact a finding rests on: its pointer, what it shows (``code``), who reports it, and the
    fact itself (``fact``: the model object, left out of comparison, repr and JSON)."""

    pointer: str
    sources: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    certainty: str | None = None
    fact: Any = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True)
class Reason(About):
    """One reason for a layer's state.

    ``state`` is what this reason says of the layer (``None``: context, it does not count);
    ``pointers`` are the facts it rests on and ``sources`` theirs. ``softens`` marks a reason that
    shows the layer partly worked: with it, a layer that would be ``skipped`` is ``degraded``
    (see ``combine``).
    """

    state: State | None = None
    pointers: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    sources: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    softens: bool = False


def combine(reasons: Iterable[Reason]) -> State:
    """The state of a layer from its reasons.

    1. Reasons without a state (context) do not count; with none left the state is ``unknown``.
    2. Otherwise the most serious state wins, in the order of ``SEVERITY``
       (failed, skipped, absent, degraded, held, not-applicable, unknown).
    3. Except: a layer that would be ``skipped`` is ``degraded`` if any reason ``softens`` it
       (some warnings were fixed; care came though the provisions were missing).
    """
    found = [reason for reason in reasons if reason.state is not None]
    if not found:
        return "unknown"
    state = min((reason.state for reason in found if reason.state is not None), key=SEVERITY.index)
    if state == "skipped" and any(reason.softens for reason in found):
        return "degraded"
    return state


@attrs.frozen(kw_only=True)
class Finding:
    """What a rule found for one layer: the state (from ``combine``), the reasons and the evidence."""

    state: State
    reasons: tuple[Reason, ...]
    evidence: tuple[Evidence, ...] = ()
