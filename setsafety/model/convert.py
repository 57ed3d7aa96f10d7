"""The one cattrs converter for records and protocols, and its hooks.

Loading assumes the data has passed the JSON Schema: types are checked there,
with messages that name the JSON pointer. The converter still forbids extra
keys and reports every problem it meets (``detailed_validation``), so a bug in
the schema cannot let data be dropped silently; and it is strict, as the public
``structure`` is callable without the schema: it never coerces (no string to
number, number to string or string to tuple of characters), it only checks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, get_args, get_origin

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


def _is_tuple(type_: Any) -> bool:
    return get_origin(type_) is tuple and len(get_args(type_)) == 2 and get_args(type_)[1] is Ellipsis


def _tuples(type_: Any, conv: cattrs.BaseConverter) -> Callable[[Any, Any], Any]:
    """A hook for ``tuple[X, ...]`` that takes a JSON array only (a string is not a tuple of characters)."""
    items = homogenous_tuple_structure_factory(type_, conv)

    def hook(value: Any, cls: Any) -> Any:
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"expected an array, not {type(value).__name__} {value!r}")
        return items(value, cls)
    return hook


converter.register_structure_hook_factory(_is_tuple, _tuples)

for _cls in (Record, Protocol):
    # "$schema" is not a Python name: it lives in ``schema_uri``.
    converter.register_structure_hook(
        _cls,
        make_dict_structure_fn(
            _cls, converter, _cattrs_forbid_extra_keys=True,
            schema_uri=override(rename="$schema"),
        ),
    )
    converter.register_unstructure_hook(
        _cls,
        make_dict_unstructure_fn(
            _cls, converter, _cattrs_omit_if_default=True,
            schema_uri=override(rename="$schema"),
        ),
    )


def structure(data: Any, cls: type[T]) -> T:
    """Build ``cls`` from JSON data (a dict from ``json.load``)."""
    return converter.structure(data, cls)


def unstructure(obj: Any) -> Any:
    """Turn a model object back into JSON data, leaving out unset fields."""
    return converter.unstructure(obj)
