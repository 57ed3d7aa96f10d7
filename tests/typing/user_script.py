"""A researcher's script that calls every function the README's Python API table documents.

tests/test_api.py type-checks it with ``mypy --strict`` (so the public API is typed well enough for strict
users) and runs it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

import setsafety


def main() -> None:
    ids: list[str] = setsafety.list_cases()
    protocols: list[str] = setsafety.list_protocols()
    protocol: setsafety.Protocol = setsafety.load_protocol(protocols[0])
    record: setsafety.Record = setsafety.load_case("rust-2021")
    example = Path(__file__).resolve().parents[2] / "examples" / "fictional-blank-injury.json"
    problems: list[setsafety.Problem] = setsafety.validate(example)
    same: setsafety.Record = setsafety.load_record(example)
    print(len(ids), protocol.id, record, len(problems), same.id)

    result: setsafety.Analysis = setsafety.analyze("rust-2021")
    under: setsafety.Analysis = setsafety.analyze(record, protocol="firearms")
    try:
        setsafety.analyze("top-gear-2006")
    except setsafety.AmbiguousProtocolError as error:
        chosen: list[str] = error.protocols
        print(chosen)
    every: list[setsafety.Analysis] = setsafety.analyze_all("top-gear-2006")
    library: list[setsafety.Analysis] = setsafety.analyze_library()
    layer: setsafety.LayerResult = result.layers[0]
    state: setsafety.State = layer.state
    reasons: tuple[setsafety.Reason, ...] = layer.reasons
    evidence: tuple[setsafety.Evidence, ...] = layer.evidence
    print(under, len(every), len(library), state, setsafety.is_not_held(state), len(reasons), len(evidence))
    print(state in setsafety.NOT_HELD, setsafety.STATE_ORDER.index(state))

    data: dict[str, object] = result.to_dict()
    text: str = result.to_json()
    record_data: dict[str, object] = record.to_dict()
    assert json.loads(text) == json.loads(json.dumps(data)) and json.dumps(record_data)

    stats: list[setsafety.LayerStat] = setsafety.layer_stats(library)
    known: tuple[str, ...] = stats[0].known
    alike: list[setsafety.Similarity] = setsafety.similar("cover-up-1984", library)
    rows: list[dict[str, object]] = setsafety.export_rows(every)
    lesson: str = setsafety.render_lessons(result, format="md", audience="crew")
    print(len(known), [item.to_dict() for item in alike[:1]], len(rows), len(lesson))

    layers: pd.DataFrame = setsafety.load_frame("layer")
    cases: pd.DataFrame = setsafety.load_frame("case", cases=["rust-2021", record])
    firearms: pd.DataFrame = setsafety.load_frame("reason", protocol="firearms")
    facts: pd.DataFrame = setsafety.load_frame("evidence", cases=ids[:2])
    by_protocol: pd.Series[int] = layers[layers.state > "held"].groupby("protocol").size()
    print(by_protocol.to_dict(), len(cases), len(firearms), len(facts), setsafety.__version__)


if __name__ == "__main__":
    main()
