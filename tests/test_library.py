"""Across the case library: stats, similar and export agree with analysing case by case."""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Callable

import attrs
import pytest

import setsafety
from setsafety.analysis import Analysis, analyze_all, export_rows, layer_stats, similar

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def analyses() -> list[Analysis]:
    return [result for case in setsafety.list_cases() for result in analyze_all(setsafety.load_case(case))]


class TestLibrary:
    def test_every_case_has_a_protocol(self, analyses: list[Analysis]) -> None:
        """Each bundled case is covered by at least one bundled protocol."""
        assert {analysis.case for analysis in analyses} == set(setsafety.list_cases())

    def test_stats_agree_with_analyses(self, analyses: list[Analysis]) -> None:
        """Each count in stats is the number of cases whose own analysis has that layer not held."""
        for stat in layer_stats(analyses):
            expected = sorted(
                analysis.case for analysis in analyses if analysis.protocol == stat.protocol
                for layer in analysis.not_held() if layer.id == stat.layer
            )
            assert sorted(stat.not_held) == expected, (stat.protocol, stat.layer)

    def test_export_agrees_with_analyses(self, analyses: list[Analysis]) -> None:
        """One export row per case and layer, with the state the analysis gives."""
        rows = export_rows(analyses)
        assert len(rows) == sum(len(analysis.layers) for analysis in analyses)
        states = {(a.case, a.protocol, layer.id): layer.state for a in analyses for layer in a.layers}
        assert {(row["case"], row["protocol"], row["layer"]): row["state"] for row in rows} == states

    def test_similar_shares_a_layer(self, analyses: list[Analysis]) -> None:
        """The two firearm cases share at least one layer that did not hold."""
        target = [a for a in analyses if a.case == "cover-up-1984"]
        found = {item.case: item for item in similar(target, analyses)}
        assert "rust-2021" in found and found["rust-2021"].shared_layers
        assert "cover-up-1984" not in found


class TestCommands:
    def test_export_csv_matches_json(self, cli: Cli) -> None:
        """`export` as CSV and as JSON carry the same rows."""
        code, text, _ = cli("export")
        code_json, data, _ = cli("export", "--format", "json")
        assert (code, code_json) == (0, 0)
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [(r["case"], r["layer"], r["state"]) for r in rows] == [
            (r["case"], r["layer"], r["state"]) for r in json.loads(data)]

    def test_stats_json(self, cli: Cli) -> None:
        """`stats --format json` lists every protocol's layers with the cases behind each count."""
        code, out, _ = cli("stats", "--format", "json")
        rows = json.loads(out)
        assert code == 0 and {row["protocol"] for row in rows} == set(setsafety.list_protocols())
        assert all(set(row["not_held"]) <= set(row["cases"]) for row in rows)

    def test_similar_text(self, cli: Cli) -> None:
        """`similar cover-up-1984` names rust-2021 and why."""
        code, out, _ = cli("similar", "cover-up-1984")
        assert code == 0 and "rust-2021" in out and "both did not hold" in out


class TestFactorsByCode:
    def _record(self, example_data: dict[str, object], hazard: str) -> setsafety.Record:
        data = copy.deepcopy(example_data)
        data["id"] = f"someone-in-the-path-{hazard}"
        data["case"]["hazards"] = [hazard]  # type: ignore[index]
        data["incident"]["positions"][0]["relation"] = "in-line-of-fire"  # type: ignore[index]
        return setsafety.load_record(data)

    def test_gun_and_helicopter_share_no_factor(self, example_data: dict[str, object]) -> None:
        """Someone in the line of fire of a gun and someone in the path of a helicopter are the same
        words once, but not the same factor: factors compare by code within a protocol."""
        gun = setsafety.analysis.analyze(self._record(example_data, "firearm"), "firearms")
        helicopter = setsafety.analysis.analyze(self._record(example_data, "aircraft"), "effects-aircraft")
        code = "position.in-line-of-fire"
        assert code in {factor.code for factor in gun.factors}
        assert code in {factor.code for factor in helicopter.factors}
        found = similar([gun], [helicopter])
        assert all(code not in shared for item in found for shared in item.shared_factors)
        other_gun = setsafety.analysis.analyze(self._record(example_data, "firearm"), "firearms")
        other_gun = attrs.evolve(other_gun, case="another-gun-case")
        [alike] = similar([gun], [other_gun])
        assert code in alike.shared_factors
        assert "position: in line of fire" in alike.reason
