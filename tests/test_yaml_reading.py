"""Tests for setsafety.yaml_reading: YAML records read as exactly the JSON data they spell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import setsafety
from setsafety.errors import InvalidRecordError
from setsafety.yaml_reading import parse_yaml


def codes(text: str) -> list[tuple[str, str]]:
    with pytest.raises(InvalidRecordError) as caught:
        parse_yaml(text)
    return [(problem.pointer, problem.code) for problem in caught.value.problems]


class TestScalars:
    def test_json_like_scalars(self) -> None:
        """Dates, times, 'no' and country codes stay strings; only JSON's literals are typed."""
        assert parse_yaml("a: 2021-10-21\nb: no\nc: 10:20\nd: NO\ne: true\nf: null\ng: 12\nh: -1.5e2\ni: 0x1F") == {
            "a": "2021-10-21", "b": "no", "c": "10:20", "d": "NO", "e": True, "f": None, "g": 12,
            "h": -150.0, "i": "0x1F",
        }

    def test_same_as_json(self, example_data: dict[str, Any]) -> None:
        """The example dumped to YAML reads back as the same data."""
        assert parse_yaml(yaml.safe_dump(example_data, sort_keys=False)) == example_data


class TestRefused:
    def test_alias_bomb(self) -> None:
        """A billion-laughs document is refused at the first anchor, before anything expands."""
        bomb = "a: &a [lol, lol]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n"
        assert codes(bomb) == [("", "yaml-alias")]

    def test_duplicate_key(self) -> None:
        """A key twice in one mapping is refused, as in JSON."""
        assert codes("a: 1\na: 2\n") == [("", "yaml-syntax")]

    def test_python_tag(self) -> None:
        """Tags that would build Python objects are refused, as every tag is."""
        assert codes("a: !!python/object/apply:os.system [echo hi]\n") == [("", "yaml-tag")]

    def test_syntax_error_has_position(self) -> None:
        """A syntax error names the line and column."""
        with pytest.raises(InvalidRecordError) as caught:
            parse_yaml("a: [1, 2\nb: 3\n")
        assert "line" in caught.value.problems[0].message


class TestRecords:
    def test_validate_yaml_record(self, example_data: dict[str, Any], tmp_path: Path) -> None:
        """A YAML record validates, and a broken one gives the same pointer as its JSON twin."""
        path = tmp_path / f"{example_data['id']}.yaml"
        path.write_text(yaml.safe_dump(example_data, sort_keys=False), encoding="utf-8")
        assert setsafety.validate(path) == []
        example_data["custody"][0]["by"] = "ghost"
        path.write_text(yaml.safe_dump(example_data, sort_keys=False), encoding="utf-8")
        assert [(p.pointer, p.code) for p in setsafety.validate(path) if p.severity == "error"] == [
            ("/custody/0/by", "dangling-reference")]

    def test_new_yaml_skeleton(self, tmp_path: Path, cli: Any) -> None:
        """`new x.yaml` writes YAML whose only problems are its TODO placeholders."""
        path = tmp_path / "x-case.yaml"
        code, _, _ = cli("new", str(path))
        assert code == 0 and path.read_text(encoding="utf-8").startswith("# A setsafety incident record")
        problems = setsafety.validate(path)
        assert problems and {p.code for p in problems} == {"placeholder"}
