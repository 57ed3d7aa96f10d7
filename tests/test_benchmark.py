"""The benchmark (tests/benchmarks/bench.py) runs: on a handful of records, only to check that it does.

Performance is measured by running the benchmark in full (see README, Performance), never asserted here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent / "benchmarks" / "bench.py"


@pytest.mark.slow
def test_benchmark_runs(tmp_path: Path) -> None:
    """On 3 and 6 records, once each, the benchmark prints every row of its tables and exits 0."""
    done = subprocess.run(
        [sys.executable, str(BENCH), "--records", "3", "--many", "6", "--repeat", "1", "--custody", "6",
         "--keep", str(tmp_path)],
        capture_output=True, text=True, check=False, timeout=600,
    )
    assert (done.returncode, done.stderr) == (0, "")
    rows = [line.split(" | ")[0].lstrip("| ") for line in done.stdout.splitlines() if line.startswith("| ")]
    assert len(rows) == 15
    assert re.fullmatch(r"`setsafety validate DIR`, 6 records \(\d+ MB\) end to end, \d+ cores", rows[5])
    assert rows[:5] + rows[6:] == [
        "measurement",
        "`setsafety validate DIR` vs `check-jsonschema --schemafile` (3 files, one process each)",
        "the same, `setsafety validate --jobs 1 DIR` (one core) (3 files)",
        "`setsafety.validate(data)` vs bare `Draft202012Validator.iter_errors` (3 records, in process)",
        "`setsafety validate one.json` vs `python -c \"import jsonschema\"` (start-up floor)",
        "time per file, `setsafety validate DIR`: 3 files, 6 files, per added file",
        "peak memory, `setsafety validate DIR` (3 files) vs check-jsonschema",
        "peak memory, `setsafety validate DIR` (6 files)",
        "`import setsafety` imports jinja2",
        "`import setsafety` imports jsonschema",
        "custody events",
        "6 (1x)",
        "60 (10x)",
        "600 (100x)",
    ]
    assert len(list((tmp_path / "many").glob("*.json"))) == 6
