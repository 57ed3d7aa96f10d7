"""Property tests: for any schema-valid record, loading is lossless and nothing crashes.

The records come from ``tests/strategies.py``, which compiles them from the shipped
schema. ``SETSAFETY_EXAMPLES`` sets how many records each property tries (default 50,
enough for CI in well under a minute); the runs are derandomized, so CI is stable.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import cattrs
import pytest
import yaml
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

import setsafety
from setsafety.analysis import analyze, analyze_all
from setsafety.analysis.results import NOT_HELD
from setsafety.cli.analyze import report
from setsafety.cli.show import overview
from setsafety.model import Record, When, converter, structure, unstructure
from setsafety.model import time as time_model
from setsafety.model.convert import quick_structure_fn
from setsafety.model.walk import resolve
from setsafety.problems import Problem, has_errors
from setsafety.reading import parse_json
from setsafety.schema import INCIDENT_SCHEMA_ID, schema, semantic, structural
from setsafety.schema.registry import reference_validator_for
from setsafety.yaml_reading import parse_yaml


def _load_strategies() -> ModuleType:
    spec = importlib.util.spec_from_file_location("strategies", Path(__file__).with_name("strategies.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


strategies = _load_strategies()
records = strategies.records

#: Every property runs on the same records each time (CI must not flake), and is not timed per example.
PROPERTY = settings(
    max_examples=int(os.environ.get("SETSAFETY_EXAMPLES", "50")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROTOCOLS = setsafety.list_protocols()
STATES = {"held", "degraded", "failed", "skipped", "absent", "not-applicable", "unknown"}


def _exact(data: Any) -> str:
    """JSON text that tells 1 from 1.0 and True from 1, for comparing data exactly."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def _record(data: dict[str, Any]) -> Record:
    return structure(copy.deepcopy(data), Record)


class TestStrategy:
    def test_records_are_checked(self) -> None:
        """The strategy checks every record it draws against the schema (so every test gets valid ones)."""
        with pytest.raises(AssertionError, match="the strategy drew a record the schema rejects"):
            strategies._checked({"schema_version": "1.1"})

    def test_strategy_reaches_the_analyzers(self) -> None:
        """The strategy draws records with a custody chain, checks, warnings, people and an incident."""
        found = find(records(), lambda data: len(data.get("custody", ())) >= 3 and "incident" in data
                     and "checks" in data and "warnings" in data and "people" in data,
                     settings=settings(database=None, derandomize=True, max_examples=500, phases=[Phase.generate]))
        assert len(found["custody"]) >= 3


class TestRoundTrip:
    @PROPERTY
    @given(records())
    def test_structure_then_unstructure(self, data: dict[str, Any]) -> None:
        """unstructure(structure(x)) is x: no field dropped, renamed, reordered in lists or retyped."""
        again = unstructure(_record(data))
        assert again == data
        assert _exact(again) == _exact(data)

    @PROPERTY
    @given(records())
    def test_json_text(self, data: dict[str, Any]) -> None:
        """The strict JSON reader gives back exactly the data that was written."""
        assert _exact(parse_json(json.dumps(data, ensure_ascii=False).encode("utf-8"))) == _exact(data)

    @PROPERTY
    @given(records())
    def test_yaml_reads_json_text_as_json(self, data: dict[str, Any]) -> None:
        """A record's JSON text read as YAML gives the same data, or (if it holds characters YAML
        must escape, such as DEL) a clean yaml-syntax problem; never other data."""
        text = json.dumps(data, ensure_ascii=False)
        if yaml.reader.Reader.NON_PRINTABLE.search(text):
            with pytest.raises(setsafety.InvalidRecordError) as raised:
                parse_yaml(text)
            assert [problem.code for problem in raised.value.problems] == ["yaml-syntax"]
        else:
            assert _exact(parse_yaml(text)) == _exact(data)


class TestValidate:
    @PROPERTY
    @given(records())
    def test_returns_problems(self, data: dict[str, Any]) -> None:
        """validate() returns problems with pointers into the record, and leaves the data alone."""
        before = copy.deepcopy(data)
        problems = setsafety.validate(data)
        assert all(isinstance(problem, Problem) for problem in problems)
        assert {problem.severity for problem in problems} <= {"error", "warning"}
        assert all(problem.pointer == "" or problem.pointer.startswith("/") for problem in problems)
        assert _exact(data) == _exact(before)

    @PROPERTY
    @given(records())
    def test_file_and_data_agree(self, data: dict[str, Any]) -> None:
        """A record validated from its file has the same problems as the parsed data, said of the file."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{data['id']}.json"
            path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            from_file = setsafety.validate(path)
        assert from_file == [problem.located(str(path)) for problem in setsafety.validate(data)]

    @PROPERTY
    @given(records())
    def test_load_record_agrees(self, data: dict[str, Any]) -> None:
        """load_record() raises InvalidRecordError exactly when validate() finds an error."""
        problems = setsafety.validate(data)
        if has_errors(problems):
            with pytest.raises(setsafety.InvalidRecordError):
                setsafety.load_record(data)
        else:
            assert setsafety.load_record(data).id == data["id"]


class TestAnalysis:
    @PROPERTY
    @given(records(), st.sampled_from(PROTOCOLS))
    def test_analyze_never_raises(self, data: dict[str, Any], protocol: str) -> None:
        """Any schema-valid record, however inconsistent, analyses under every bundled protocol,
        and every piece of evidence is a JSON pointer to something in the record."""
        result = analyze(_record(data), protocol)
        assert [layer.id for layer in result.layers] == [
            layer.id for layer in setsafety.load_protocol(protocol).ordered_layers()]
        assert {layer.state for layer in result.layers} <= STATES
        assert set(result.path) <= {layer.id for layer in result.layers if layer.state in NOT_HELD}
        pointers = [item.pointer for layer in result.layers for item in layer.evidence]
        assert [pointer for pointer in pointers if not resolve(data, pointer)[0]] == []
        assert json.loads(result.to_json()) == json.loads(json.dumps(result.to_dict()))
        assert report(result).endswith("\n")

    @PROPERTY
    @given(records())
    def test_analyze_all_and_overview(self, data: dict[str, Any]) -> None:
        """Every fitting protocol analyses the record, and `setsafety show` can print it."""
        record = _record(data)
        assert all(result.case == data["id"] for result in analyze_all(record))
        assert overview(record).endswith("\n")


class TestLessons:
    @PROPERTY
    @given(records(), st.sampled_from(PROTOCOLS), st.sampled_from(("md", "html", "txt", "json")))
    def test_render_every_format(self, data: dict[str, Any], protocol: str, format: str) -> None:  # noqa: A002
        """A lesson renders in every format; no record text becomes markup or a script."""
        lessons = pytest.importorskip("setsafety.lessons")
        text = lessons.render_lessons(_record(data), format=format, protocol=protocol)
        assert isinstance(text, str)
        if format == "json":
            json.loads(text)
        elif format == "html":
            assert strategies.html_hazards(text) == []
        elif format == "md":
            assert strategies.markdown_hazards(text) == []


# --- the fast paths give what the plain ones gave ----------------------------------------------

#: The shipped schema validated as it is, every $ref looked up in the registry: what
#: ``setsafety.schema.validator`` did before it validated against the inlined schema.
REFERENCE_VALIDATOR = reference_validator_for(schema(INCIDENT_SCHEMA_ID))
mutated_records = strategies.mutated_records


def _reference_structural(data: Any) -> list[Problem]:
    problems = dict.fromkeys(structural._problem(error) for error in REFERENCE_VALIDATOR.iter_errors(data))
    return sorted(problems, key=lambda problem: structural.document_order(problem.pointer))


def _reference_in_order(entries: Any, pointer: str, code: str, what: str, same: Any = None) -> Iterator[Problem]:
    """semantic._in_order as it was: every entry compared with every earlier one."""
    seen: list[tuple[int, Any]] = []
    for i, entry in enumerate(entries or ()):
        when = entry.when
        if when is None:
            continue
        for j, earlier in seen:
            if (same is None or same(earlier, entry)) and time_model.definitely_before(when, earlier.when):
                yield Problem(
                    pointer=f"{pointer}/{i}/when", code=code,
                    message=f"{what} are in time order, but this one ({when.date}"
                            f"{' ' + when.time if when.time else ''}) comes after "
                            f"{pointer}/{j}, which is later",
                )
                break
        seen.append((i, entry))


WHENS = st.one_of(st.none(), strategies.definition("when").map(lambda data: structure(data, When)))
ENTRIES = st.lists(st.builds(SimpleNamespace, when=WHENS, item=st.sampled_from(["gun", "lot"])), max_size=25)


def _built_by(build: Any, data: Any) -> Any:
    """What ``build(data)`` gives, as exact JSON text (1 is not 1.0, nor True), or the converter's
    error lines."""
    try:
        return _exact(unstructure(build(copy.deepcopy(data))))
    except cattrs.BaseValidationError as error:
        return cattrs.transform_error(error)


def _by_converter(data: Any) -> Any:
    return converter.structure(data, Record)


class TestFastPaths:
    @PROPERTY
    @given(st.one_of(records(), mutated_records()))
    def test_quick_structure_same_as_converter(self, data: dict[str, Any]) -> None:
        """``structure`` (the quick path, the converter when the quick path declines) builds exactly what
        the converter builds, or fails with exactly its messages; the quick path never builds anything else."""
        expected = _built_by(_by_converter, data)
        assert _built_by(lambda data: structure(data, Record), data) == expected
        try:
            quick = quick_structure_fn(Record)(copy.deepcopy(data))
        except Exception:
            return
        assert _exact(unstructure(quick)) == expected

    @PROPERTY
    @given(mutated_records())
    def test_inlined_schema_same_problems(self, data: dict[str, Any]) -> None:
        """Validating against the inlined schema gives exactly the problems of the schema with its $refs."""
        assert structural.structural_problems(data, INCIDENT_SCHEMA_ID) == _reference_structural(data)

    @pytest.mark.parametrize("path", sorted((Path(__file__).parent / "fixtures").glob("*/*.json")),
                             ids=lambda path: f"{path.parent.name}/{path.name}")
    def test_inlined_schema_on_fixtures(self, path: Path) -> None:
        """The same on every fixture (those the reader refuses are left out)."""
        try:
            data = setsafety.reading.read_data(path)
        except setsafety.InvalidRecordError:
            return
        assert structural.structural_problems(data, INCIDENT_SCHEMA_ID) == _reference_structural(data)

    @PROPERTY
    @given(ENTRIES)
    def test_in_order_same_problems(self, entries: list[Any]) -> None:
        """The O(n log n) order check reports exactly what the pairwise one did, per item and overall."""
        assert list(semantic._in_order(entries, "/custody", "custody-order", "custody events",
                                       group=lambda entry: entry.item)) == list(
            _reference_in_order(entries, "/custody", "custody-order", "custody events",
                                same=lambda a, b: a.item == b.item))
        assert list(semantic._in_order(entries, "/timeline", "timeline-order", "entries")) == list(
            _reference_in_order(entries, "/timeline", "timeline-order", "entries"))
