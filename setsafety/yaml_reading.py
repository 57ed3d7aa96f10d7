"""YAML records, read as JSON data: only what JSON can say, nothing YAML adds.

A YAML record must give exactly the data its JSON twin would: the loader here
resolves plain scalars as JSON does (``true``/``false``, ``null``, JSON
numbers; every other scalar is a string, so ``2021-10-21``, ``no`` and
``10:20`` stay strings), and refuses aliases (which can blow a small file up
into a huge document), tags and duplicate keys.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode

from setsafety.errors import InvalidRecordError
from setsafety.problems import Problem


class _Loader(yaml.SafeLoader):
    """Safe loading; plain scalars resolved as JSON would read them; no duplicate keys."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise ConstructorError(None, None, f"the key {key!r} appears twice in one mapping",
                                       key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {}  # only the resolvers below, none of YAML 1.1's
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:null|~|)$"), ["n", "~", ""])
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^-?(?:0|[1-9][0-9]*)$"), list("-0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$"), list("-0123456789"))


#: Deeper than any record needs; checked on the parser's events, before PyYAML builds anything.
MAX_DEPTH = 64


def parse_yaml(text: str) -> Any:
    """Parse one YAML document into JSON data; raise ``InvalidRecordError`` if it is not good."""
    try:
        depth = 0
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise InvalidRecordError([Problem(pointer="", code="too-deep",
                                                      message="the YAML is nested too deeply")])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
                raise InvalidRecordError([Problem(
                    pointer="", code="yaml-alias",
                    message=f"anchors and aliases (&name, *name) are not allowed in a record{where}; "
                            "write the value out",
                )])
        return yaml.load(text, Loader=_Loader)  # _Loader is a safe loader
    except InvalidRecordError:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        message = error.problem or error.context or "not valid YAML"
        raise InvalidRecordError([Problem(pointer="", code="yaml-syntax", message=f"{message}{where}")]) from None
    except yaml.YAMLError as error:
        raise InvalidRecordError([Problem(pointer="", code="yaml-syntax", message=str(error))]) from None
    except ValueError as error:  # an integer too long to convert
        raise InvalidRecordError([Problem(pointer="", code="json-number",
                                          message=f"a number JSON cannot carry faithfully: {error}")]) from None
    except RecursionError:
        raise InvalidRecordError([Problem(pointer="", code="too-deep",
                                          message="the YAML is nested too deeply")]) from None
