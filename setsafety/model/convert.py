"""The one cattrs converter for records and protocols, and its hooks.

Loading assumes the data has passed the JSON Schema: types are checked there,
with messages that name the JSON pointer. The converter still forbids extra
keys and reports every problem it meets (``detailed_validation``), so a bug in
the schema cannot let data be dropped silently; and it is strict, as the public
``structure`` is callable without the schema: it never coerces (no string to
number, number to string or string to tuple of characters), it only checks.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

import cattrs
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from setsafety.model.protocol import Protocol
from setsafety.model.record import Record

T = TypeVar("T")

converter = cattrs.Converter(
    omit_if_default=True, forbid_extra_keys=True, detailed_validation=True
)



def _exactly(*kinds: type, name: str) -> Callable[[Any, Any], Any]:
    """A hook that accepts a value of these types as it is (never a bool for a number) and
    rejects anything else."""
    def hook(value: Any, _: Any) -> Any:
        if isinstance(value, kinds) and (bool in kinds or not isinstance(value, bool)):
            return value
        raise TypeError(f"expected {name}, not {type(value).__name__} {value!r}")
    return hook


converter.register_structure_hook(str, _exactly(str, name="a string"))
converter.register_structure_hook(bool, _exactly(bool, name="true or false"))
converter.register_structure_hook(int, _exactly(int, name="an integer"))
# JSON numbers keep their own type: an integer stays an integer on the way back.
converter.register_structure_hook(float, _exactly(int, float, name="a number"))


# Lists and optional fields, structured by hooks made once per type: cattrs' general hooks look the
# element's hook up again for every value, which took two thirds of the time of loading a record.
def _is_optional(cls: Any) -> bool:
    return get_origin(cls) in (Union, types.UnionType) and len(get_args(cls)) == 2 and type(None) in get_args(cls)


def _optional_hook(cls: Any) -> Any:
    inner = next(arg for arg in get_args(cls) if arg is not type(None))
    hook = converter.get_structure_hook(inner)

    def structure_optional(value: Any, _: Any) -> Any:
        return None if value is None else hook(value, inner)

    return structure_optional


def _is_homogeneous_tuple(cls: Any) -> bool:
    return get_origin(cls) is tuple and len(get_args(cls)) == 2 and get_args(cls)[1] is Ellipsis


def _tuple_hook(cls: Any) -> Any:
    """Lists of ids and of names (``tuple[str, ...]``, ``tuple[Literal[...], ...]``) are taken
    as they are when every element is already what it should be; anything else goes the long way."""
    every = homogenous_tuple_structure_factory(cls, converter)

    def general(value: Any, _: Any) -> Any:
        if not isinstance(value, (list, tuple)):  # a string is not a tuple of its characters
            raise TypeError(f"expected an array, not {type(value).__name__} {value!r}")
        return every(value, cls)

    element = get_args(cls)[0]
    allowed = frozenset(get_args(element)) if get_origin(element) is Literal else None
    if element is not str and (allowed is None or not all(type(name) is str for name in allowed)):
        return general

    def structure_names(value: Any, _: Any) -> Any:
        if type(value) is list and all(type(name) is str for name in value) and (
            allowed is None or allowed.issuperset(value)
        ):
            return tuple(value)
        return general(value, cls)

    return structure_names


converter.register_structure_hook_factory(_is_optional, _optional_hook)
converter.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_hook)

def _is_document(cls: Any) -> bool:
    return cls is Record or cls is Protocol


# "$schema" is not a Python name: it lives in ``schema_uri``. The hooks are made on first use, not on import.
converter.register_structure_hook_factory(_is_document, lambda cls: make_dict_structure_fn(
    cls, converter, _cattrs_forbid_extra_keys=True, schema_uri=override(rename="$schema"),
))
converter.register_unstructure_hook_factory(_is_document, lambda cls: make_dict_unstructure_fn(
    cls, converter, _cattrs_omit_if_default=True, schema_uri=override(rename="$schema"),
))


def structure(data: Any, cls: type[T]) -> T:
    """Build ``cls`` from JSON data (a dict from ``json.load``)."""
    return converter.structure(data, cls)


def unstructure(obj: Any) -> Any:
    """Turn a model object back into JSON data, leaving out unset fields."""
    return converter.unstructure(obj)
