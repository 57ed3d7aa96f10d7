"""The one cattrs converter for records and protocols, and its hooks.

Loading assumes the data has passed the JSON Schema: types are checked there,
with messages that name the JSON pointer. The converter still forbids extra
keys and reports every problem it meets (``detailed_validation``), so a bug in
the schema cannot let data be dropped silently.
"""

from __future__ import annotations

from typing import Any, TypeVar

import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from setsafety.model.protocol import Protocol
from setsafety.model.record import Record

T = TypeVar("T")

converter = cattrs.Converter(
    omit_if_default=True, forbid_extra_keys=True, detailed_validation=True
)

# JSON numbers keep their own type: an integer stays an integer on the way back.
converter.register_structure_hook(float, lambda value, _: value)

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
