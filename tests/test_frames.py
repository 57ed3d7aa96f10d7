"""A researcher's notebook, as tests: questions answered from ``setsafety.load_frame`` alone, each answer
checked against the library's own functions (``layer_stats``, ``similar``) or the records.

1. Which layers did not hold, per protocol?
2. How does that change by decade?
3. Which cases are most like a given one?

Then what the frames promise: dtypes, the ordered ``state``, one missing-value marker, list columns,
unique (protocol, layer) keys, and the error without pandas.
"""

from __future__ import annotations

import sys
from typing import Any

import pandas as pd
import pytest

import setsafety
from setsafety.analysis import STATE_ORDER
from setsafety.frames import COLUMNS, LEVELS

TARGET = "cover-up-1984"  # a case with a bundled look-alike (tests/test_library.py names the same pair)


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return {level: setsafety.load_frame(level) for level in LEVELS}


@pytest.fixture(scope="module")
def layers(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return frames["layer"]


class TestNotebook:
    def test_not_held_by_protocol(self, layers: pd.DataFrame) -> None:
        """Cell 1: per protocol and layer, in how many cases the layer did not hold, and in how many the
        records had the facts to tell; the same numbers as ``setsafety.layer_stats()``."""
        table = (
            layers.assign(known=~layers.state.isin(["unknown", "not-applicable"]))
            .groupby(["protocol", "layer"], observed=True)
            .agg(not_held=("not_held", "sum"), known=("known", "sum"), cases=("case", "nunique"))
        )
        by_stats = {(stat.protocol, stat.layer): (len(stat.not_held), len(stat.known), len(stat.cases))
                    for stat in setsafety.layer_stats()}
        assert {key: tuple(int(value) for value in row) for key, row in table.iterrows()} == by_stats
        worst = table.sort_values("not_held", ascending=False).head(3)
        assert worst.not_held.iloc[0] == max(count for count, _, _ in by_stats.values())

    def test_not_held_by_decade(self, frames: dict[str, pd.DataFrame], layers: pd.DataFrame) -> None:
        """Cell 2: per decade, the cases and the share of layers with known state that did not hold; the
        decades and their cases agree with the records' own dates."""
        known = layers[~layers.state.isin(["unknown", "not-applicable"])]
        share = known.groupby("decade").not_held.mean()
        cases = frames["case"].groupby("decade").case.apply(sorted)
        from_records: dict[int, list[str]] = {}
        for case_id in setsafety.list_cases():
            year = int(setsafety.load_case(case_id).case.date[:4])
            from_records.setdefault(year - year % 10, []).append(case_id)
        assert {int(decade): found for decade, found in cases.items()} == from_records
        assert set(share.index) <= set(cases.index)
        assert ((share >= 0) & (share <= 1)).all()
        # the same share, counted by hand for one decade
        decade = int(share.index[0])
        rows = [row for row in setsafety.export_rows() if row["decade"] == decade
                and row["state"] not in ("unknown", "not-applicable")]
        assert share.loc[decade] == pytest.approx(sum(row["not_held"] for row in rows) / len(rows))

    def test_most_similar_cases(self, layers: pd.DataFrame) -> None:
        """Cell 3: the cases that share the most layers not held with a given case (layers compared by id,
        as ``setsafety.similar`` does); the layers shared agree with ``similar``'s, case by case."""
        not_held = layers[layers.state > "held"]
        mine = set(not_held[not_held.case == TARGET].layer)
        shared = (not_held[not_held.case != TARGET].groupby("case").layer
                  .apply(lambda found: sorted(mine & set(found))))
        shared = shared[shared.map(len) > 0]
        ranked = shared.map(len).sort_values(ascending=False)
        assert len(ranked) > 0
        by_library = {item.case: list(item.shared_layers) for item in setsafety.similar(TARGET)}
        assert {case: layers_ for case, layers_ in shared.items()} == {
            case: found for case, found in by_library.items() if found}
        assert "rust-2021" in ranked.index[:3]


class TestFramePromises:
    def test_columns_and_dtypes(self, frames: dict[str, pd.DataFrame]) -> None:
        """Each level has its documented columns, with nullable dtypes, an ordered state, lists as lists."""
        for level, frame in frames.items():
            assert list(frame.columns) == [name for name, _ in COLUMNS[level]], level
            for name, kind in COLUMNS[level]:
                column = frame[name]
                if kind == "list":
                    assert column.map(lambda value: isinstance(value, list)).all(), (level, name)
                elif kind == "state":
                    assert isinstance(column.dtype, pd.CategoricalDtype) and column.dtype.ordered
                    assert list(column.cat.categories) == list(STATE_ORDER)
                    assert not column.isna().any()
                elif kind == "string":
                    assert isinstance(column.dtype, pd.StringDtype) and column.dtype.na_value is pd.NA, (level, name)
                else:
                    assert str(column.dtype) == kind, (level, name, column.dtype)

    def test_one_missing_marker(self, frames: dict[str, pd.DataFrame]) -> None:
        """A missing value is pd.NA in every column that can lack one; never NaN, None or an empty string."""
        seen_missing = 0
        for level, frame in frames.items():
            for name, kind in COLUMNS[level]:
                if kind in ("list", "state"):
                    continue
                missing = frame[name][frame[name].isna()]
                seen_missing += len(missing)
                assert all(value is pd.NA for value in missing), (level, name)
                if kind == "string":
                    assert not (frame[name] == "").any(), (level, name)
        assert seen_missing > 0  # the library has cases without casualties listed, evidence without certainty

    def test_state_order_means_not_held(self, layers: pd.DataFrame) -> None:
        """``state > "held"`` is exactly ``not_held``, and NOT_HELD."""
        assert ((layers.state > "held") == layers.not_held).all()
        assert set(layers[layers.state > "held"].state.astype(str)) <= set(setsafety.NOT_HELD)

    def test_keys_unique(self, frames: dict[str, pd.DataFrame]) -> None:
        """(case, protocol, layer) is unique in the layer frame; layer ids alone are not, across protocols."""
        layers = frames["layer"]
        assert not layers.duplicated(["case", "protocol", "layer"]).any()
        assert layers.duplicated(["case", "layer"]).any() or layers.groupby("layer").protocol.nunique().max() > 1
        assert not frames["case"].case.duplicated().any()

    def test_levels_agree(self, frames: dict[str, pd.DataFrame]) -> None:
        """Reasons and evidence belong to layer rows; the layer frame's codes and counts are theirs."""
        layers = frames["layer"].set_index(["case", "protocol", "layer"])
        reasons = frames["reason"].groupby(["case", "protocol", "layer"]).code.apply(
            lambda codes: list(dict.fromkeys(codes)))
        assert all(layers.loc[key, "reason_codes"] == codes for key, codes in reasons.items())
        counts = frames["evidence"].groupby(["case", "protocol", "layer"]).size()
        assert (layers.evidence_count[layers.evidence_count > 0].sort_index() == counts.sort_index()).all()
        assert len(frames["case"]) == len(setsafety.list_cases())

    def test_the_layer_frame_is_the_export(self, layers: pd.DataFrame) -> None:
        """The layer frame holds the rows of ``export_rows``, with pd.NA for None."""
        def plain(value: Any) -> Any:
            return None if value is pd.NA else value

        rows = [{key: plain(value) for key, value in row.items()}
                for row in layers.astype({"state": str}).to_dict("records")]
        assert rows == setsafety.export_rows()

    def test_one_protocol_and_some_cases(self) -> None:
        """``protocol=`` keeps the cases it covers, under it only; ``cases=`` takes ids, paths or records."""
        firearms = setsafety.load_frame("case", protocol="firearms")
        assert set(firearms.protocols.map(tuple)) == {("firearms",)}
        assert all("firearm" in hazards or "blank-fire" in hazards for hazards in firearms.hazards)
        some = setsafety.load_frame("evidence", cases=["rust-2021", setsafety.load_case("top-gear-2006")])
        assert set(some.case) == {"rust-2021", "top-gear-2006"}

    def test_bad_level(self) -> None:
        """An unknown level is a ValueError that lists the levels."""
        with pytest.raises(ValueError, match="case, layer, reason, evidence"):
            setsafety.load_frame("cases")  # type: ignore[arg-type]

    def test_without_pandas(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without pandas, an ImportError that names the extra to install."""
        monkeypatch.setitem(sys.modules, "pandas", None)
        with pytest.raises(ImportError, match=r'pip install "setsafety\[pandas\]"') as raised:
            setsafety.load_frame("case")
        assert isinstance(raised.value, setsafety.MissingExtraError)
