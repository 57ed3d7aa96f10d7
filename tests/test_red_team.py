"""The red team's second round (issue 15): one class of tests per class of failure it found.

Each test failed before its fix. The classes: numbers in pointers and keys, YAML that
is not JSON data, values the schema accepts that later code must still use, the operating
system saying no, hangs, escaping in every output, wrong verdicts and codes, the
internal-error handler and the API's own type errors.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from setsafety.pointers import array_index, document_order, resolve

Cli = Callable[..., tuple[int, str, str]]
WriteJson = Callable[..., Path]
ONE_ERROR = "invalid: 1 file(s), 1 error(s), 0 warning(s)"


def no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text


def dispute_about(*pointers: str) -> dict[str, Any]:
    return {
        "id": "d1", "kind": "source-conflict", "question": "Which?", "about": list(pointers),
        "positions": [{"id": "p1", "claim": "one", "sources": ["src-incident-report"]},
                      {"id": "p2", "claim": "two", "sources": ["src-incident-report"]}],
        "followed": "p1",
    }


class TestNumbersInPointers:
    """One number parser for pointer parts and keys: RFC 6901 indexes, nothing else."""

    @pytest.mark.parametrize(("part", "index"), [
        ("0", 0), ("7", 7), ("10", 10), ("00", None), ("01", None), ("-1", None), ("²", None),
        ("\u0660", None), ("1" * 5000, None), ("", None), (" 1", None), ("1.0", None),
    ])
    def test_array_index(self, part: str, index: int | None) -> None:
        """Only ``0`` or ASCII digits without a leading zero are an index; thousands of digits are not."""
        assert array_index(part) == index

    def test_leading_zero_resolves_nothing(self) -> None:
        """``/people/00`` names no element (RFC 6901 forbids leading zeros); ``/people/0`` does."""
        data = {"people": ["a", "b"]}
        assert resolve(data, "/people/00") == (False, None)
        assert resolve(data, "/people/0") == (True, "a")
        assert resolve(data, "/people/²") == (False, None)
        assert resolve(data, "/people/" + "1" * 5000) == (False, None)

    def test_order_of_odd_parts(self) -> None:
        """Non-ASCII digits and 5,000-digit parts sort as keys instead of raising."""
        pointers = ["/a/" + "9" * 5000, "/a/²", "/a/10", "/a/2"]
        assert sorted(pointers, key=document_order) == ["/a/2", "/a/10", "/a/" + "9" * 5000, "/a/²"]

    @pytest.mark.parametrize("key", ["²", "\u0660", "1" * 5000], ids=["superscript", "arabic-indic", "5000-digits"])
    def test_odd_key_in_a_record(self, cli: Cli, write_json: WriteJson, example_data: dict[str, Any],
                                 key: str) -> None:
        """An unknown key made of odd digits is one schema problem at its pointer, not a traceback."""
        example_data["people"][0][key] = 1
        path = write_json(example_data)
        code, out, err = cli("validate", path)
        assert (code, err) == (1, "")
        problem, summary = out.splitlines()
        assert problem.startswith(f"{path}::/people/0/{key}: error: unknown field ")
        assert problem.endswith(" [schema-additionalProperties]")
        assert summary == ONE_ERROR

    @pytest.mark.parametrize("pointer", ["/people/00", "/people/²", "/people/" + "1" * 5000])
    def test_dispute_pointer(self, cli: Cli, write_json: WriteJson, example_data: dict[str, Any],
                             pointer: str) -> None:
        """A dispute about ``/people/00`` (or odd digits) points at nothing: one dispute-pointer error."""
        example_data["disputes"] = [dispute_about(pointer)]
        path = write_json(example_data)
        code, out, err = cli("validate", path)
        assert (code, err) == (1, "")
        assert out == (f"{path}::/disputes/0/about/0: error: {pointer!r} does not point at anything in this "
                       f"record [dispute-pointer]\n{ONE_ERROR}\n")

    def test_odd_key_in_a_protocol(self, cli: Cli, tmp_path: Path) -> None:
        """A protocol file with an unknown key of odd digits: one problem, exit 1."""
        from setsafety._data import protocols_dir

        data = json.loads((protocols_dir() / "firearms.json").read_text(encoding="utf-8"))
        data["layers"][0]["²"] = 1
        path = tmp_path / "mine.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        code, out, err = cli("analyze", "rust-2021", "--protocol", path)
        no_traceback(out, err)
        assert code == 1
        assert f"{path}::/layers/0/²: error: unknown field '²' [schema-additionalProperties]" in err
