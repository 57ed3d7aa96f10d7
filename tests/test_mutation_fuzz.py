"""Mutation fuzz: every bundled case, the example and every fixture, mutated, through every command.

Each mutant removes a field, swaps a value for a boundary value, makes a string hostile, duplicates or
reorders a list entry, and is written as JSON or YAML. It goes through ``validate``; a mutant that is
still valid goes on through ``show``, ``analyze``, ``lessons`` (every format), ``export`` (CSV and JSON),
``stats`` and ``similar``, and an invalid one through ``show`` and ``analyze`` (which must refuse it).
Every run must end with a verdict's exit code (0, 1 or 2), never an internal error (70) or a traceback,
with no raw control, bidi or invisible character in any output and no CSV cell that starts a formula.

The mutants are drawn from a fixed seed, so a failure is reproducible; ``SETSAFETY_MUTANTS`` sets how
many (default 150, about a minute on two cores; the red team ran 8,000).
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import setsafety.cli

ROOT = Path(__file__).resolve().parent.parent


def _readable(path: Path) -> bool:
    """Whether a file is JSON data to mutate (the reader's own fixtures, a BOM or broken syntax, are not)."""
    try:
        json.loads(path.read_bytes().decode("utf-8"))
    except ValueError:
        return False
    return True


SOURCES = [path for path in sorted([*(ROOT / "cases").glob("*.json"), ROOT / "examples" / "fictional-blank-injury.json",
                                    *(ROOT / "tests" / "fixtures").glob("*/*.json")]) if _readable(path)]
MUTANTS = int(os.environ.get("SETSAFETY_MUTANTS", "150"))
SEED = 20261130

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u061c\u180e\u200b\u200e\u200f\u202a-\u202e"
                 "\u2060\u2066-\u2069\ufeff]")
HOSTILE_STRINGS = [
    "=HYPERLINK(\"http://x\")", "+1", "-1+1", "@SUM(A1)", "\x1b[2J\x07", "\x9b31m", "a\u202eb\u200bc",
    "line\nforged: error: x [y]", "\r\r", "<script>alert(1)</script>", "[x](javascript:alert(1))", "*_`#|",
    "../../../etc/passwd", "TODO: fill in", "~1/~0", "/people/00", "²", "\u0660", "\ud800", "", " ",
    "x" * 20_001, "0000-01-01", "2021-02-30", "9999-12-31", "25:61", "\u2028", "\ufeff", "{{ 7*7 }}",
]
BOUNDARY_VALUES: list[Any] = [
    None, True, False, 0, -1, 1.5, 10**300, 1e308, -1e308, 2**53 + 1, "", [], {}, [None], {"": None},
    [""], "a" * 81, "not-a-known-kind", ["firearm", "firearm"],
]
COMMANDS_VALID: list[tuple[str, ...]] = [
    ("show",), ("show", "--format", "json"), ("analyze",), ("analyze", "--format", "json"),
    ("lessons", "--format", "md"), ("lessons", "--format", "html"), ("lessons", "--format", "txt"),
    ("lessons", "--format", "json"), ("export",), ("export", "--format", "json"), ("stats",),
    ("stats", "--format", "json"), ("similar",),
]
COMMANDS_INVALID: list[tuple[str, ...]] = [("show",), ("analyze", "--format", "json")]

Data = Any
Mutation = Callable[[random.Random, Data], str]


def _places(data: Data) -> list[tuple[list[str | int], Any]]:
    """Every (path, value) in the data, the root included."""
    found = []
    stack: list[tuple[list[str | int], Any]] = [([], data)]
    while stack:
        path, value = stack.pop()
        found.append((path, value))
        if isinstance(value, dict):
            stack.extend(([*path, key], child) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend(([*path, index], child) for index, child in enumerate(value))
    return found


def _parent(data: Data, path: list[str | int]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def remove_field(rng: random.Random, data: Data) -> str:
    keys = [(path, value) for path, value in _places(data) if path and isinstance(path[-1], str)]
    path, _ = rng.choice(keys)
    del _parent(data, path)[path[-1]]
    return f"remove {path}"


def boundary_value(rng: random.Random, data: Data) -> str:
    path, _ = rng.choice([place for place in _places(data) if place[0]])
    value = copy.deepcopy(rng.choice(BOUNDARY_VALUES))
    _parent(data, path)[path[-1]] = value
    return f"set {path} to {str(value)[:40]!r}"


def hostile_string(rng: random.Random, data: Data) -> str:
    strings = [path for path, value in _places(data) if path and isinstance(value, str)]
    path = rng.choice(strings)
    value = rng.choice(HOSTILE_STRINGS)
    _parent(data, path)[path[-1]] = value if rng.random() < 0.5 else _parent(data, path)[path[-1]] + value
    return f"hostile {path}"


def duplicate_entry(rng: random.Random, data: Data) -> str:
    lists = [(path, value) for path, value in _places(data) if isinstance(value, list) and value]
    if not lists:
        return hostile_string(rng, data)
    path, value = rng.choice(lists)
    value.insert(rng.randrange(len(value) + 1), copy.deepcopy(rng.choice(value)))
    return f"duplicate in {path}"


def reorder_entries(rng: random.Random, data: Data) -> str:
    lists = [(path, value) for path, value in _places(data) if isinstance(value, list) and len(value) > 1]
    if not lists:
        return boundary_value(rng, data)
    path, value = rng.choice(lists)
    rng.shuffle(value)
    return f"shuffle {path}"


#: Keys of free text, where the schema takes any string: hostile text there keeps a record valid, so it
#: reaches the analyzers, the lessons and the exports.
TEXT_KEYS = {"title", "summary", "description", "name", "note", "claim", "question", "reason", "change",
             "author", "publisher", "label", "location", "jurisdiction", "region", "charge", "outcome_text"}
GENTLE_STRINGS = [text for text in HOSTILE_STRINGS if text.strip() and text != "\ud800" and len(text) < 500
                  and not text.startswith("TODO")]


def hostile_text(rng: random.Random, data: Data) -> str:
    texts = [path for path, value in _places(data)
             if path and isinstance(value, str) and path[-1] in TEXT_KEYS]
    if not texts:
        return hostile_string(rng, data)
    path = rng.choice(texts)
    _parent(data, path)[path[-1]] = rng.choice(GENTLE_STRINGS) + " " + _parent(data, path)[path[-1]]
    return f"hostile text {path}"


def number_boundary(rng: random.Random, data: Data) -> str:
    numbers = [path for path, value in _places(data)
               if path and isinstance(value, (int, float)) and not isinstance(value, bool)]
    if not numbers:
        return hostile_text(rng, data)
    path = rng.choice(numbers)
    _parent(data, path)[path[-1]] = rng.choice([0, 1, 10**300, 10**400, -(10**400), 1e308, 0.5, 2**53 + 1])
    return f"number {path}"


ODD_KEYS = ["\u00b2", "\u0660", "1" * 5000, "00", "-1", "", "~", "/", "x-\u202e", "x-" + "a" * 300]


def odd_key(rng: random.Random, data: Data) -> str:
    objects = [value for _, value in _places(data) if isinstance(value, dict)]
    target = rng.choice(objects)
    if rng.random() < 0.5 and isinstance(data, dict):  # extensions take any key below their namespace
        target = data.setdefault("extensions", {}).setdefault("x-fuzz", {}) if isinstance(
            data.get("extensions", {}), dict) else target
    target[rng.choice(ODD_KEYS)] = rng.choice([1, "x", None, []])
    return "odd key"


def odd_pointer(rng: random.Random, data: Data) -> str:
    disputes = data.get("disputes") if isinstance(data, dict) else None
    if not isinstance(disputes, list) or not disputes or not isinstance(disputes[0], dict):
        return odd_key(rng, data)
    about = disputes[0].setdefault("about", [])
    if isinstance(about, list):
        about.append(rng.choice(["/people/00", "/people/\u00b2", "/people/" + "9" * 5000, "/people/-",
                                 "/", "/~2", "/people/0/", "/custody/01/by"]))
    return "odd pointer"


MUTATIONS: list[Mutation] = [remove_field, boundary_value, hostile_string, duplicate_entry, reorder_entries,
                             hostile_text, hostile_text, hostile_text, number_boundary, odd_key, odd_pointer]


def mutants() -> Iterator[tuple[str, Path, Data, bool]]:
    """``(label, source, mutated data, as YAML)``, drawn from the fixed seed."""
    rng = random.Random(SEED)
    originals = {path: json.loads(path.read_text(encoding="utf-8")) for path in SOURCES}
    bases = [path for path in SOURCES if path.parent.name in ("cases", "examples")]
    for number in range(MUTANTS):
        # Every other mutant comes from a valid base (a case or the example), so that many reach the analyzers.
        source = bases[number // 2 % len(bases)] if number % 2 == 0 else SOURCES[number // 2 % len(SOURCES)]
        data = copy.deepcopy(originals[source])
        steps = [rng.choice(MUTATIONS)(rng, data) for _ in range(rng.choice((1, 1, 1, 2, 3)))]
        yield f"{number}: {source.name}: {'; '.join(steps)}", source, data, rng.random() < 0.25


def _run(*argv: str | Path) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = setsafety.cli.run([*map(str, argv), "--debug"], stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def _check(label: str, argv: tuple[str, ...], result: tuple[int, str, str]) -> list[str]:
    code, out, err = result
    failures = []
    if code not in (0, 1, 2) or "Traceback" in out + err:
        failures.append(f"{label}: {' '.join(argv)}: exit {code}\n{err[-2000:]}")
    for name, text in (("stdout", out), ("stderr", err)):
        found = RAW.search(text)
        if found:
            failures.append(f"{label}: {' '.join(argv)}: raw {found.group()!r} on {name}")
    if argv[0] == "export" and "json" not in argv and code == 0:
        for row in csv.reader(io.StringIO(out)):
            failures += [f"{label}: export: formula cell {cell[:20]!r}" for cell in row
                         if cell.startswith(("=", "+", "-", "@"))]
    return failures


@pytest.mark.slow
def test_mutants(tmp_path: Path) -> None:
    """No mutant of any case or fixture makes any command crash, print a raw control byte or a formula cell."""
    failures: list[str] = []
    valid = 0
    for label, source, data, as_yaml in mutants():
        name = f"{data.get('id', 'record') if isinstance(data, dict) else 'record'}"
        name = name if isinstance(name, str) and re.fullmatch(r"[a-z0-9-]{1,80}", name) else "record"
        path = tmp_path / f"{name}.{'yaml' if as_yaml else 'json'}"
        text = yaml.safe_dump(data, allow_unicode=True) if as_yaml else json.dumps(data, ensure_ascii=False)
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        result = _run("validate", path)
        failures += _check(label, ("validate",), result)
        commands = COMMANDS_VALID if result[0] == 0 else COMMANDS_INVALID
        valid += result[0] == 0
        for command in commands:
            failures += _check(label, command, _run(*command, path))
        if result[0] != 0 and source.parent.name != "invalid":
            assert _run("show", path)[0] in (1, 2)  # an invalid record is refused, never shown
    assert not failures, "\n".join(failures[:20])
    assert valid > MUTANTS // 10, "too few mutants stay valid to reach the analyzers"
