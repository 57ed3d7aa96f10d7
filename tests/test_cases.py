"""Tests for setsafety.cases and setsafety._data: the case library and where the package finds its data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import setsafety
from setsafety import _data, cases


class TestListCases:
    def test_sorted_ids_of_files(self) -> None:
        """list_cases gives the stems of the *.json files in the case library, sorted."""
        stems = sorted(path.stem for path in _data.cases_dir().glob("*.json"))
        assert setsafety.list_cases() == stems

    def test_ids_are_slugs(self) -> None:
        """Every bundled case id is a slug."""
        assert [case_id for case_id in setsafety.list_cases() if not cases.CASE_ID.match(case_id)] == []

    def test_ignores_other_files(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Files that are not <slug>.json are not cases."""
        for name in ("a-case.json", "Upper.json", "notes.txt", ".hidden.json", "b.json"):
            (tmp_path / name).write_text("{}", encoding="utf-8")
        monkeypatch.setattr(cases, "cases_dir", lambda: tmp_path)
        assert setsafety.list_cases() == ["a-case", "b"]

    def test_no_cases_folder(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Installed without any case (no setsafety/cases, no ../cases), list_cases() is empty."""
        package = tmp_path / "site-packages" / "setsafety"
        package.mkdir(parents=True)
        monkeypatch.setattr(_data, "_PACKAGE", package)
        assert setsafety.list_cases() == []


class TestData:
    def test_checkout_folders(self) -> None:
        """In a checkout, schemas/ and cases/ are the top-level folders; protocols live in the package."""
        root = Path(setsafety.__file__).resolve().parent.parent
        assert _data.schemas_dir() == root / "schemas"
        assert _data.protocols_dir() == root / "setsafety" / "protocols"

    def test_shipped_folder_wins(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Inside an installed package, the folder shipped in the package is used."""
        package = tmp_path / "setsafety"
        (package / "schemas").mkdir(parents=True)
        monkeypatch.setattr(_data, "_PACKAGE", package)
        assert _data.schemas_dir() == package / "schemas"


class TestCasePath:
    @pytest.mark.parametrize("case_id", setsafety.list_cases())
    def test_bundled_id(self, case_id: str) -> None:
        """A bundled id names its file in the case library."""
        assert cases.case_path(case_id) == _data.cases_dir() / f"{case_id}.json"

    def test_path(self, example_path: Path) -> None:
        """A path to a record file is that path, as a str or a Path."""
        assert cases.case_path(example_path) == example_path
        assert cases.case_path(str(example_path)) == example_path

    def test_unknown_id(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """An id-like name that is no bundled case raises CaseNotFoundError, a LookupError."""
        monkeypatch.chdir(tmp_path)
        with pytest.raises(setsafety.CaseNotFoundError) as raised:
            cases.case_path("no-such-case")
        assert isinstance(raised.value, LookupError)
        assert str(raised.value).startswith("no bundled case 'no-such-case' (bundled: ")

    @pytest.mark.parametrize("name", ["../cases/x.json", "/nonexistent/record.json", "Not A Case"])
    def test_missing_path(self, name: str) -> None:
        """A name that is not a slug is a path, and it must exist."""
        with pytest.raises(setsafety.CaseNotFoundError) as raised:
            cases.case_path(name)
        assert str(raised.value) == f"{name!r} is neither a bundled case id nor a record file"

    def test_traversal_is_not_an_id(self) -> None:
        """A path out of the library is never taken for an id: it is resolved as given, from here."""
        relative = Path("..") / _data.cases_dir().name / "nothing.json"
        with pytest.raises(setsafety.CaseNotFoundError):
            cases.case_path(str(relative))


class TestLoadCase:
    @pytest.mark.parametrize("case_id", setsafety.list_cases())
    def test_load_bundled(self, case_id: str) -> None:
        """Each bundled case loads as a Record."""
        assert setsafety.load_case(case_id).id == case_id

    def test_load_path(self, example_path: Path) -> None:
        """A record file loads by path."""
        assert setsafety.load_case(example_path).id == "fictional-blank-injury"

    def test_invalid_record(self, write_json: Any, example_data: dict[str, Any]) -> None:
        """An invalid record raises InvalidRecordError with its problems."""
        example_data["custody"][5]["by"] = "first-ad-b"
        with pytest.raises(setsafety.InvalidRecordError) as raised:
            setsafety.load_case(write_json(example_data))
        assert [(p.pointer, p.code) for p in raised.value.problems] == [("/custody/5/by", "custody-continuity")]
