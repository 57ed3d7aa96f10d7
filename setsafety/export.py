"""The export of ``setsafety export``: rows (``export_rows``) as CSV, JSON or Parquet, the JSON Schema of a row,
and a Frictionless data package that describes a CSV export.

One definition of the columns: ``schemas/export.schema.json``. The data package's Table Schema, the Parquet
schema and the README's data dictionary are all made from it, so they cannot drift apart.

- JSON and Parquet hold lists as lists and a missing value as ``null``.
- CSV joins a list's items with a single space (``LIST_DELIMITER``: ids and codes never hold one), leaves a
  missing value's cell empty, writes booleans as ``true``/``false``, and puts an apostrophe before a cell that
  a spreadsheet would read as a formula (OWASP). In a list column an empty cell is an empty list: list columns
  are never missing.
- The same rows give the same bytes, in every format.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from setsafety._data import schemas_dir
from setsafety._extras import require
from setsafety.analysis.library import EXPORT_FIELDS, LIST_DELIMITER
from setsafety.errors import MissingExtraError

__all__ = [
    "DATAPACKAGE_PROFILE", "EXPORT_SCHEMA_FILE", "LIST_DELIMITER", "MissingExtraError", "csv_cell",
    "data_dictionary", "datapackage", "export_schema", "to_csv", "to_json", "to_parquet",
]

EXPORT_SCHEMA_FILE = "export.schema.json"
#: The Data Package profile the descriptor follows (Data Package 2.0).
DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"

#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): = + - @, and tab or
#: carriage return before them.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@cache
def export_schema() -> dict[str, Any]:
    """The JSON Schema of one export row (``schemas/export.schema.json``, shipped with the package)."""
    schema: dict[str, Any] = json.loads((schemas_dir() / EXPORT_SCHEMA_FILE).read_text(encoding="utf-8"))
    return schema


def csv_cell(value: object) -> str:
    """One CSV cell: a list joined by ``LIST_DELIMITER``, ``None`` empty, booleans ``true``/``false``, and text
    that no spreadsheet runs (a leading apostrophe before = + - @, tab or carriage return)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        value = LIST_DELIMITER.join(str(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """The rows as CSV text: a header, then one line per row (``\\n`` line ends, cells quoted where needed)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_FIELDS)
    writer.writerows([csv_cell(row[name]) for name in EXPORT_FIELDS] for row in rows)
    return buffer.getvalue()


def to_json(rows: Iterable[Mapping[str, Any]]) -> str:
    """The rows as a JSON array of objects, indented, keys in column order, UTF-8 kept."""
    ordered = [{name: row[name] for name in EXPORT_FIELDS} for row in rows]
    return json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"


def _arrow_type(pa: Any, spec: Mapping[str, Any]) -> Any:
    kind = _json_type(spec)
    if kind == "array":
        return pa.list_(pa.string())
    return {"integer": pa.int64(), "boolean": pa.bool_(), "string": pa.string()}[kind]


def _json_type(spec: Mapping[str, Any]) -> str:
    """The one JSON type a column's values have (besides null): from ``type``, or from the values of ``enum``."""
    if "enum" in spec:
        if not all(isinstance(value, str) for value in spec["enum"] if value is not None):
            raise ValueError(f"an export column's values must be strings or null: {spec['enum']}")
        return "string"
    declared = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
    [kind] = [name for name in declared if name != "null"]
    return str(kind)


def to_parquet(rows: Iterable[Mapping[str, Any]]) -> bytes:
    """The rows as a Parquet file (through pyarrow: ``pip install "setsafety[parquet]"``), with the export
    schema's column types, lists as lists, missing values as nulls, and the schema's ``$id`` and the
    setsafety version in the file's metadata. The same rows give the same bytes with the same pyarrow."""
    pa = require("pyarrow", "parquet", "Parquet export")
    parquet = require("pyarrow.parquet", "parquet", "Parquet export")
    from setsafety import __version__

    properties = export_schema()["properties"]
    fields = [pa.field(name, _arrow_type(pa, properties[name]), nullable=True,
                       metadata={"description": properties[name]["description"]}) for name in EXPORT_FIELDS]
    metadata = {"setsafety_version": __version__, "schema": export_schema()["$id"]}
    schema = pa.schema(fields, metadata=metadata)
    table = pa.Table.from_pylist([dict(row) for row in rows], schema=schema)
    sink = pa.BufferOutputStream()
    parquet.write_table(table, sink, compression="zstd")
    data: bytes = sink.getvalue().to_pybytes()
    return data


def _xsd(pattern: str) -> str:
    """A JSON Schema pattern as Table Schema writes it: XML Schema style, matched against the whole value
    (so without ``^`` and ``$``)."""
    return pattern.removeprefix("^").removesuffix("$")


def _table_field(name: str, spec: Mapping[str, Any]) -> dict[str, Any]:
    """A Table Schema field for one export column: its type and description, and its allowed values."""
    kind = _json_type(spec)
    field: dict[str, Any] = {"name": name, "description": spec["description"]}
    if kind == "array":
        # A list in one cell: items joined by a single space. Table Schema's own list type (Data Package 2.0)
        # is not in the published JSON profile that validators check descriptors against, so the field is a
        # string whose pattern says it is a space-separated list of ids, codes or names.
        item = spec["items"]
        one = "|".join(item["enum"]) if "enum" in item else _xsd(item["pattern"])
        field.update(type="string", description=spec["description"]
                     + " In CSV: the items joined by a single space; an empty cell is an empty list.",
                     constraints={"pattern": f"(({one})( ({one}))*)?"})
        return field
    field["type"] = kind
    constraints: dict[str, Any] = {}
    if "enum" in spec:
        values = [value for value in spec["enum"] if value is not None]
        constraints["enum"] = values
        if name == "state":
            field.update(categories=values, categoriesOrdered=True)
    if "pattern" in spec:
        constraints["pattern"] = _xsd(spec["pattern"])
    if "minimum" in spec:
        constraints["minimum"] = spec["minimum"]
    if "null" not in (spec.get("type") or []) and None not in spec.get("enum", ()):
        constraints["required"] = True
    if kind == "boolean":
        field.update(trueValues=["true"], falseValues=["false"])
    field["constraints"] = constraints
    return field


def datapackage(csv_name: str, rows: Iterable[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """A Frictionless data package descriptor (Data Package 2.0) for a CSV export named ``csv_name`` beside it:
    one resource, its Table Schema (every column with its type, description and allowed values; an empty cell
    is a missing value), its dialect, and under ``setsafety`` the version of setsafety that made it, the
    export schema it follows and the format versions of the records in ``rows``."""
    from setsafety import __version__

    schema = export_schema()
    properties = schema["properties"]
    return {
        "$schema": DATAPACKAGE_PROFILE,
        "name": "setsafety-export",
        "title": "setsafety export: safeguard layers per case and protocol",
        "description": schema["description"],
        "version": __version__,
        "setsafety": {
            "version": __version__,
            "export_schema": schema["$id"],
            "record_schema_versions": sorted({str(row["schema_version"]) for row in rows}),
        },
        "resources": [{
            "name": "layers",
            "type": "table",
            "path": csv_name,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True,
                        "header": True},
            "schema": {
                "fields": [_table_field(name, properties[name]) for name in EXPORT_FIELDS],
                "missingValues": [""],
                "primaryKey": ["case", "protocol", "layer"],
            },
        }],
    }


def data_dictionary() -> str:
    """The export's columns as a Markdown table (column, type, meaning), made from the export schema: the
    data dictionary in the README."""
    lines = ["| column | type | meaning |", "|---|---|---|"]
    for name, spec in export_schema()["properties"].items():
        kind = _json_type(spec)
        if kind == "array":
            kind = "list of strings"
        values = [value for value in spec.get("enum", ()) if value is not None]
        if values and name != "state":
            kind += ": " + ", ".join(f"`{value}`" for value in values)
        if "null" in (spec.get("type") or []) or None in spec.get("enum", ()):
            kind += "; or null"
        lines.append(f"| `{name}` | {kind} | {spec['description']} |")
    return "\n".join(lines) + "\n"
