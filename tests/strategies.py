"""Hypothesis strategies for incident records, built from the shipped JSON Schema.

``records()`` draws records that are valid against ``schemas/incident.schema.json``
(each one is checked with the schema's own validator before it is handed out). The
strategies are compiled here from the schema itself, keyword by keyword, rather than
by hypothesis-jsonschema: on this schema that library drew a whole record in about
1.5 s and almost never drew the optional sections (custody, checks, warnings) that
the analyzers read. The compiler knows the keywords the schema uses and fails on any
other, so a schema change it cannot follow shows up as an error, not as weaker tests.

Three choices make the records worth testing, all within the schema:

- ids and references are drawn mostly from a small pool, so references often
  resolve (and ids sometimes collide): the semantic rules and the analyzers meet
  records that are nearly right, not only ones where nothing connects;
- dates are mostly real days of a few weeks, at every precision, so that time
  order means something; some only match the pattern (``2021-02-30``);
- free text is mostly ordinary words, sometimes markup, template syntax, control
  characters or any Unicode.
"""

from __future__ import annotations

import datetime
import html.parser
import json
import re
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from setsafety.schema import INCIDENT_SCHEMA_ID, validator

ROOT = Path(__file__).resolve().parent.parent
SCHEMA: dict[str, Any] = json.loads((ROOT / "schemas" / "incident.schema.json").read_text(encoding="utf-8"))

#: Ids the records draw most of their ids and references from.
ID_POOL = (
    "a", "b", "armorer", "assistant", "actor", "first-ad", "crew-1", "org", "gun", "gun-2",
    "lot", "lot-2", "safe", "cart", "src", "src-2", "src-3", "inv", "p1", "p2",
)

#: Text that a renderer must not let act as markup or code, and other awkward strings.
HOSTILE_TEXT = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "| --- |",
    "# heading",
    "{{ 7 * 7 }} {% raw %}",
    "*emphasis* _under_ `code` \\",
    "line one\nline two\r\n\ttabbed",
    "\x00\x1b[31m\x7f\u202e",
    "TODO: still to write",
    "Ωμέγα — 日本語 — \U0001f52b",
    " ",
)

_WORDS = st.lists(
    st.sampled_from(("the", "armorer", "checked", "gun", "set", "take", "live", "round", "on", "a", "blank")),
    min_size=1, max_size=6,
).map(" ".join)

#: Keywords that only document a schema.
_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "title", "description"})
#: Keywords the compiler understands.
_KNOWN = _ANNOTATIONS | {
    "$ref", "type", "enum", "const", "pattern", "format", "minLength", "maxLength", "minimum", "maximum",
    "items", "minItems", "uniqueItems", "properties", "required", "additionalProperties", "allOf",
    "if", "then", "propertyNames", "anyOf", "minProperties",
}


def _text(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    """Free text: mostly words, sometimes hostile, sometimes anything."""
    upper = min(max_size, 40)
    anything = st.text(min_size=max(min_size, 1), max_size=upper)
    return st.one_of(_WORDS, st.sampled_from(HOSTILE_TEXT), anything).filter(
        lambda text: min_size <= len(text) <= max_size)


def _slug() -> st.SearchStrategy[str]:
    part = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=6)
    fresh = st.lists(part, min_size=1, max_size=3).map("-".join)
    return st.one_of(st.sampled_from(ID_POOL), st.sampled_from(ID_POOL), fresh)


def _date() -> st.SearchStrategy[str]:
    """A date as the record writes it: YYYY, YYYY-MM or YYYY-MM-DD."""
    day = st.dates(datetime.date(2020, 12, 20), datetime.date(2021, 1, 20))
    real = st.one_of(
        day.map(datetime.date.isoformat), day.map(datetime.date.isoformat),
        day.map(lambda d: d.isoformat()[:7]), day.map(lambda d: d.isoformat()[:4]),
    )
    digits = st.text(alphabet=string.digits, min_size=2, max_size=2)
    odd = st.builds("{}-{}-{}".format, st.sampled_from(("2021", "0000", "9999")), digits, digits)
    return st.one_of(real, real, real, odd, st.sampled_from(("2021-02-30", "2021-13", "2020-02-29")))


def _full_date() -> st.SearchStrategy[str]:
    return st.dates(datetime.date(1990, 1, 1), datetime.date(2030, 12, 31)).map(datetime.date.isoformat)


def _time() -> st.SearchStrategy[str]:
    return st.builds("{:02d}:{:02d}".format, st.integers(0, 23), st.integers(0, 59))


def _pointer() -> st.SearchStrategy[str]:
    likely = ("/custody/0/by", "/custody/1", "/incident/when", "/incident", "/people/0/name", "/case/date",
              "/warnings/0/response/level", "/ammunition/0", "/sources/0", "/x~1y", "/a~0b", "/extensions")
    index = st.integers(0, 3).map(str)
    made = st.lists(st.one_of(index, st.sampled_from(("custody", "people", "when", "by", "date", "id"))),
                    min_size=1, max_size=4).map(lambda parts: "/" + "/".join(parts))
    return st.one_of(st.sampled_from(likely), made)


def _url() -> st.SearchStrategy[str]:
    path = st.text(alphabet=string.ascii_lowercase + string.digits + "-_", max_size=12)
    return st.builds("{}://example.org/{}".format, st.sampled_from(("http", "https")), path)


def _namespace() -> st.SearchStrategy[str]:
    return st.sampled_from(("x-mine", "x-a1", "org.example", "com.studio.safety"))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)

#: Patterns the schema uses, each with the strategy that draws it (any other pattern is refused).
PATTERNS: dict[str, Callable[[], st.SearchStrategy[str]]] = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": _slug,
    "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$": _date,
    "^([01][0-9]|2[0-3]):[0-5][0-9]$": _time,
    "^[A-Z]{2}$": lambda: st.text(alphabet=string.ascii_uppercase, min_size=2, max_size=2),
    "^[A-Z]{3}$": lambda: st.text(alphabet=string.ascii_uppercase, min_size=3, max_size=3),
    "^(/([^/~]|~[01])*)+$": _pointer,
    "^https?://": _url,
    "^(x-[a-z0-9][a-z0-9-]*|[a-z0-9-]+(\\.[a-z0-9-]+)+)$": _namespace,
}


class _Compiler:
    """Turns schema nodes into strategies; ``$ref``s are compiled once and shared."""

    def __init__(self, schema: dict[str, Any], max_items: int) -> None:
        self.schema = schema
        self.max_items = max_items
        self.refs: dict[str, st.SearchStrategy[Any]] = {}

    def resolve(self, ref: str) -> dict[str, Any]:
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"only local $defs references are supported, not {ref!r}")
        node: dict[str, Any] = self.schema["$defs"][ref.removeprefix("#/$defs/")]
        return node

    def compile(self, node: Any, depth: int = 0) -> st.SearchStrategy[Any]:
        if node is True:
            raise ValueError("a bare 'true' schema is only supported as a property taken from allOf")
        unknown = set(node) - _KNOWN
        if unknown:
            raise ValueError(f"the strategy compiler does not know the keywords {sorted(unknown)}")
        if "$ref" in node:
            ref = node["$ref"]
            if ref not in self.refs:
                self.refs[ref] = st.deferred(lambda: self.compile(self.resolve(ref), depth))
            return self.refs[ref]
        if "enum" in node:
            return st.sampled_from(node["enum"])
        if "const" in node:
            return st.just(node["const"])
        kind = node.get("type", "string" if "pattern" in node else None)  # propertyNames: a bare pattern
        if kind == "string":
            return self.string(node)
        if kind == "integer":
            return st.integers(node.get("minimum"), node.get("maximum"))
        if kind == "number":
            low, high = node.get("minimum"), node.get("maximum")
            return st.integers(low, high) | st.floats(low, high, allow_nan=False, allow_infinity=False)
        if kind == "boolean":
            return st.booleans()
        if kind == "array":
            return self.array(node, depth)
        if kind == "object":
            return self.object(node, depth)
        raise ValueError(f"the strategy compiler cannot draw {node!r}")

    def string(self, node: dict[str, Any]) -> st.SearchStrategy[str]:
        if "pattern" in node:
            if node["pattern"] not in PATTERNS:
                raise ValueError(f"no strategy for the pattern {node['pattern']!r}; add one to PATTERNS")
            drawn = PATTERNS[node["pattern"]]()
            low, high = node.get("minLength", 0), node.get("maxLength", 10**9)
            return drawn.filter(lambda text: low <= len(text) <= high)
        if node.get("format") == "date":
            return _full_date()
        if "format" in node:
            raise ValueError(f"no strategy for the format {node['format']!r}")
        return _text(node.get("minLength", 0), node.get("maxLength", 10**9))

    def array(self, node: dict[str, Any], depth: int) -> st.SearchStrategy[list[Any]]:
        items = self.compile(node["items"], depth + 1)
        low = node.get("minItems", 0)
        high = max(low, self.max_items if depth <= 1 else 2)
        if node.get("uniqueItems"):
            return st.lists(items, min_size=low, max_size=high,
                            unique_by=lambda item: json.dumps(item, sort_keys=True))
        return st.lists(items, min_size=low, max_size=high)

    def object(self, node: dict[str, Any], depth: int) -> st.SearchStrategy[dict[str, Any]]:
        drawn = self._object(node, depth)
        alternatives = node.get("anyOf")
        if alternatives is not None:
            if not all(set(alternative) == {"required"} for alternative in alternatives):
                raise ValueError("only anyOf of 'required' alternatives is supported")
            drawn = _one_of_required(drawn, [alternative["required"] for alternative in alternatives],
                                     {name: self.compile(sub, depth + 1)
                                      for name, sub in node.get("properties", {}).items()})
        return drawn

    def _object(self, node: dict[str, Any], depth: int) -> st.SearchStrategy[dict[str, Any]]:
        properties = dict(node.get("properties", {}))
        required = list(node.get("required", []))
        conditions = []
        for part in node.get("allOf", []):
            if "$ref" in part:
                base = self.resolve(part["$ref"])
                for name, sub in base.get("properties", {}).items():
                    if properties.get(name, True) is True:
                        properties[name] = sub
                required += [name for name in base.get("required", []) if name not in required]
            elif set(part) == {"if", "then"}:
                conditions.append((part["if"], part["then"]))
            else:
                raise ValueError(f"the strategy compiler cannot combine {part!r}")
        if "propertyNames" in node:
            if node.get("additionalProperties") is not True or properties:
                raise ValueError("propertyNames is only supported on an open object without properties")
            keys = self.compile(node["propertyNames"], depth + 1)
            return st.dictionaries(keys, _JSON, max_size=3)
        if node.get("additionalProperties", False) is not False:
            raise ValueError("only closed objects (additionalProperties: false) are supported")
        certainties = None
        if "field_certainty" in properties:
            # its keys must name fields the object has (a semantic rule), so they are drawn from the object
            certainties = self.compile(properties.pop("field_certainty")["additionalProperties"], depth + 1)
        strategies = {name: self.compile(sub, depth + 1) for name, sub in properties.items()}
        drawn = st.fixed_dictionaries(
            {name: strategies[name] for name in required},
            optional={name: value for name, value in strategies.items() if name not in required},
        )
        if certainties is not None:
            drawn = _with_field_certainty(drawn, certainties)
        if not conditions:
            return drawn
        for condition, consequence in conditions:
            if set(condition) != {"properties"} or set(consequence) != {"required"} or not all(
                set(sub) == {"const"} for sub in condition["properties"].values()
            ):
                raise ValueError("only if/properties/const -> then/required is supported")
        return _fulfilled(drawn, conditions, strategies)


@st.composite
def _one_of_required(draw: st.DrawFn, objects: st.SearchStrategy[dict[str, Any]], alternatives: list[list[str]],
                     strategies: dict[str, st.SearchStrategy[Any]]) -> dict[str, Any]:
    """An object that meets at least one ``anyOf`` alternative: if it meets none, one is fulfilled."""
    obj = draw(objects)
    if not any(all(name in obj for name in names) for names in alternatives):
        for name in draw(st.sampled_from(alternatives)):
            obj.setdefault(name, draw(strategies[name]))
    return obj


@st.composite
def _with_field_certainty(draw: st.DrawFn, objects: st.SearchStrategy[dict[str, Any]],
                          certainties: st.SearchStrategy[Any]) -> dict[str, Any]:
    """A fact object that sometimes says how certain some of its own fields are."""
    obj = draw(objects)
    fields = sorted(set(obj) - {"sources", "certainty", "note"})
    if fields and draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(fields), min_size=1, max_size=2, unique=True))
        obj["field_certainty"] = {name: draw(certainties) for name in chosen}
    return obj


@st.composite
def _fulfilled(draw: st.DrawFn, objects: st.SearchStrategy[dict[str, Any]], conditions: list[tuple[Any, Any]],
               strategies: dict[str, st.SearchStrategy[Any]]) -> dict[str, Any]:
    """An object, with what each ``if``/``then`` requires added when it meets the ``if``."""
    obj = draw(objects)
    for condition, consequence in conditions:
        if all(obj.get(name, object()) == sub["const"] for name, sub in condition["properties"].items()):
            for name in consequence["required"]:
                if name not in obj:
                    obj[name] = draw(strategies[name])
    return obj


def _checked(record: dict[str, Any]) -> dict[str, Any]:
    """The record itself; fails if it is not valid against the schema (a bug in this module)."""
    errors = [f"{error.json_path}: {error.message}"
              for error in validator(INCIDENT_SCHEMA_ID).iter_errors(record)]
    assert errors == [], f"the strategy drew a record the schema rejects: {errors}"
    return record


def records(max_items: int = 4) -> st.SearchStrategy[dict[str, Any]]:
    """Schema-valid incident records; top-level lists have at most ``max_items`` entries."""
    return _Compiler(SCHEMA, max_items).compile(SCHEMA).map(_checked)


def definition(name: str) -> st.SearchStrategy[Any]:
    """Schema-valid values of one ``$defs`` entry (``"custody_event"``, ``"when"``, ...)."""
    return _Compiler(SCHEMA, 4).compile({"$ref": f"#/$defs/{name}"})


# --- what a renderer made of hostile text -------------------------------------


class _Markup(html.parser.HTMLParser):
    """Collects whatever in an HTML document could run: script elements, event
    handler attributes, ``javascript:`` links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hazards: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed"):
            self.hazards.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.hazards.append(f"{name}= attribute on <{tag}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value is not None and re.match(
                r"\s*(javascript|vbscript|data):", value, re.IGNORECASE,
            ):
                self.hazards.append(f"{name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag


def html_hazards(document: str) -> list[str]:
    """What in an HTML document could run code (nothing, for a safe renderer)."""
    parser = _Markup()
    parser.feed(document)
    parser.close()
    return parser.hazards


#: Markdown that would become live HTML or a link if record text got through unescaped.
_MARKDOWN_HAZARDS = re.compile(r"<\s*/?\s*(script|img|iframe|object|embed)\b|(?<!\\)\]\(\s*javascript:", re.I)


def markdown_hazards(document: str) -> list[str]:
    """Raw HTML tags or ``javascript:`` links in a Markdown document (none, for a safe renderer)."""
    return [match.group(0) for match in _MARKDOWN_HAZARDS.finditer(document)]


# --- mutation fuzz: records made slightly wrong ---------------------------------

#: What a mutation may put in place of a value: wrong types, and strings that only an engine
#: reading patterns and formats as ECMA-262, RFC 3339 and RFC 3986 say refuses.
ODD_VALUES = st.sampled_from([
    None, True, 0, -1, 1.5, 10**30, -0.0, 1e308, "", "x", "Not A Slug", "2021-02-30", "12:61", [], {},
    ["src"], {"sources": []}, {"unknown": 1},
    "2021-10-21\n", "2021\n", "0000", "0000-01-01", "0000-02-29", "\u0662\u0660\u0662\u0661-01-01", "10:20\n",
    "src\n", "https://example.org/\n", "https://example.org/a b", "x-mine\n",
])


def _paths(data: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """The path (keys and indexes) of every value in ``data``, ``data`` itself first."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*path, index))
    return found


@st.composite
def mutated_records(draw: st.DrawFn) -> dict[str, Any]:
    """A schema-valid record with a few values replaced, removed or added: mostly invalid."""
    data: dict[str, Any] = draw(records(max_items=3))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)[1:]
        if not paths:
            break
        *parents, last = draw(st.sampled_from(paths))
        parent: Any = data
        for part in parents:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if isinstance(parent, list):
            if action == "remove":
                del parent[last]
            else:
                parent[last] = draw(ODD_VALUES)
        elif action == "remove":
            del parent[last]
        elif action == "add":
            parent[draw(st.sampled_from(["extra", "sources", "id", "when", "note"]))] = draw(ODD_VALUES)
        else:
            parent[last] = draw(ODD_VALUES)
    return data
