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

import attrs
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
    """Build ``cls`` from JSON data (a dict from ``json.load``).

    The quick path (see ``quick_structure_fn``) builds the objects when the data is what it should be;
    anything else goes through the converter, which builds the same objects or says what is wrong.
    """
    if attrs.has(cls):
        try:
            built: T = quick_structure_fn(cls)(data)
        except Exception:  # whatever the quick path met, the converter judges, and words it
            pass
        else:
            return built
    return converter.structure(data, cls)


def unstructure(obj: Any) -> Any:
    """Turn a model object back into JSON data, leaving out unset fields."""
    return converter.unstructure(obj)


# --- the quick path --------------------------------------------------------------------------------
# Structuring with the converter calls a hook for every value (a string, a name from a list, an optional
# field), and that took over a quarter of the time of validating a record. The quick path is one function
# per class, generated once, that checks each value inline with the converter's own rules (a string is a
# ``str``, a number is not a ``bool``, a name is one of its ``Literal``'s, no key but the class's fields)
# and builds the same objects. It only accepts: anything it does not take exactly as it is (a subclass of
# ``str``, a tuple for a list, a missing key) raises, and ``structure`` hands the data to the converter.


class _Unusual(Exception):
    """The data is not what the quick path takes as it is."""


def _unusual() -> None:
    raise _Unusual


_QUICK: dict[type, Callable[[Any], Any]] = {}


def quick_structure_fn(cls: type) -> Callable[[Any], Any]:
    """The quick structuring function of an attrs class: it returns what ``converter.structure(data, cls)``
    returns, or raises if the data is not exactly what it takes (then the converter is the judge)."""
    try:
        return _QUICK[cls]
    except KeyError:
        pass
    if cls in _MAKING:  # a class that holds itself, further down: reached through the table at run time
        return lambda data: _QUICK[cls](data)
    _MAKING.add(cls)
    try:
        made = _make_quick(cls)
    finally:
        _MAKING.discard(cls)
    _QUICK[cls] = made
    return made


_MAKING: set[type] = set()


def _make_quick(cls: type) -> Callable[[Any], Any]:
    attrs.resolve_types(cls)
    namespace: dict[str, Any] = {"_cl": cls, "_unusual": _unusual}
    lines = []
    arguments = []
    keys = []
    for number, field in enumerate(attrs.fields(cls)):
        if not field.init:
            continue
        key = "$schema" if _is_document(cls) and field.name == "schema_uri" else field.name
        keys.append(key)
        value = f"v{number}"
        if field.default is attrs.NOTHING:
            lines.append(f"{value} = o[{key!r}]")
        elif field.default is None and _is_optional(field.type):
            lines.append(f"{value} = o.get({key!r})")
        else:  # another default: as the converter does, the argument is left out when the key is absent
            lines.append(f"if {key!r} in o:")
            lines.append(f"    {value} = o[{key!r}]")
            lines.extend("    " + line for line in _check_lines(field.type, value, str(number), namespace))
            lines.append(f"    given[{field.alias!r}] = {value}")
            continue
        lines.extend(_check_lines(field.type, value, str(number), namespace))
        arguments.append(f"{field.alias}={value}")
    namespace["_keys"] = frozenset(keys)
    some_given = any("given[" in line for line in lines)
    source = "\n".join([
        f"def quick_structure_{cls.__name__}(o):",
        "    if type(o) is not dict or not _keys.issuperset(o):",
        "        _unusual()",
        *(["    given = {}"] if some_given else []),
        *("    " + line for line in lines),
        f"    return _cl({', '.join([*arguments, *(['**given'] if some_given else [])])})",
        "",
    ])
    exec(compile(source, f"<quick structure {cls.__qualname__}>", "exec"), namespace)
    made: Callable[[Any], Any] = namespace[f"quick_structure_{cls.__name__}"]
    return made


def _check_lines(kind: Any, value: str, name: str, namespace: dict[str, Any]) -> list[str]:
    """Lines that check ``value`` holds data of type ``kind`` as the converter would take it, and
    replace it with what the converter makes of it; ``_unusual()`` for anything else."""
    if _is_optional(kind):
        inner = _check_lines(next(arg for arg in get_args(kind) if arg is not type(None)), value, name, namespace)
        return [f"if {value} is not None:", *("    " + line for line in inner)] if inner else []
    test = _scalar_test(kind, value, name, namespace)
    if test is not None:
        return [f"if not ({test}):", "    _unusual()"]
    if isinstance(kind, type) and attrs.has(kind):
        namespace[f"_quick{name}"] = quick_structure_fn(kind)
        return [f"{value} = _quick{name}({value})"]
    if _is_homogeneous_tuple(kind):
        element = get_args(kind)[0]
        if element is str:  # str.join takes only strings (str and its subclasses, as the hook of str)
            return [f"if type({value}) is not list:", "    _unusual()", f"''.join({value})",
                    f"{value} = tuple({value})"]
        if _is_names(element):  # only a name of the Literal (a value that cannot be one raises here)
            namespace[f"_names{name}"] = frozenset(get_args(element))
            return [f"if type({value}) is not list or not _names{name}.issuperset({value}):", "    _unusual()",
                    f"{value} = tuple({value})"]
        if isinstance(element, type) and attrs.has(element):
            namespace[f"_quick{name}"] = quick_structure_fn(element)
            return [f"if type({value}) is not list:", "    _unusual()",
                    f"{value} = tuple(map(_quick{name}, {value}))"]
    if get_origin(kind) is dict and get_args(kind)[0] is str:
        item = "True" if get_args(kind)[1] is Any else _scalar_test(get_args(kind)[1], "x", name, namespace)
        if item is not None:
            return [f"if type({value}) is not dict or not all(type(k) is str and {item} "
                    f"for k, x in {value}.items()):", "    _unusual()",
                    f"{value} = dict({value})"]
    # Any other type: the converter's own hook, for this value only.
    namespace[f"_hook{name}"] = converter.get_structure_hook(kind)
    namespace[f"_type{name}"] = kind
    return [f"{value} = _hook{name}({value}, _type{name})"]


def _scalar_test(kind: Any, value: str, name: str, namespace: dict[str, Any]) -> str | None:
    """An expression true when ``value`` is a scalar of type ``kind`` as the converter takes it as it is;
    ``None`` if ``kind`` is not a scalar type."""
    if kind in (str, bool, int):  # the hooks of str, bool and int take exactly these (never a bool for an int)
        return f"type({value}) is {kind.__name__}"
    if kind is float:  # an integer stays an integer
        return f"(type({value}) is float or type({value}) is int)"
    if _is_names(kind):
        namespace[f"_names{name}"] = frozenset(get_args(kind))
        return f"{value} in _names{name}"  # equal to a name: only a string is (an unhashable value raises)
    return None


def _is_names(kind: Any) -> bool:
    return get_origin(kind) is Literal and all(type(arg) is str for arg in get_args(kind))
