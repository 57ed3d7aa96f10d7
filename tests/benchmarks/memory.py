"""Peak memory and time of ``setsafety validate`` on the worst files under the 10 MiB size cap.

Not part of the test suite: ``python tests/benchmarks/memory.py [--mib 10]``. Each shape is written just
under the cap and validated in a fresh process, which reports its peak resident memory (``ru_maxrss``)
and time; the baseline is the same process validating the bundled example. The README quotes the table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "fictional-blank-injury.json"

_CHILD = """
import resource, sys, time
import setsafety
start = time.perf_counter()
problems = setsafety.validate(sys.argv[1])
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(problems))
"""


def _items(size: int, item: str, head: str = '{"people": [', tail: str = "]}") -> str:
    count = (size - len(head) - len(tail)) // (len(item) + 1)
    return head + ",".join([item] * count) + tail


SHAPES: dict[str, tuple[str, Callable[[int], str]]] = {
    "JSON, empty objects": (".json", lambda size: _items(size, "{}")),
    "JSON, zeros": (".json", lambda size: _items(size, "0")),
    "JSON, short strings": (".json", lambda size: _items(size, '"ab"')),
    "JSON, one long string": (".json", lambda size: '{"id": "' + "x" * (size - 20) + '"}'),
    "JSON, the example's people repeated": (".json", lambda size: _items(
        size, json.dumps(json.loads(EXAMPLE.read_text(encoding="utf-8"))["people"][1]))),
    "YAML, block list of empty mappings": (".yaml", lambda size: "people:\n" + "- {}\n" * ((size - 10) // 5)),
    "YAML, flow list of scalars": (".yaml", lambda size: "people: [" + "a," * ((size - 20) // 2) + "a]\n"),
}


def measure(path: Path) -> tuple[float, float, int]:
    """Seconds, peak MiB and problems of validating ``path`` in a fresh process."""
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, check=True)
    seconds, peak_kib, problems = done.stdout.split()
    return float(seconds), int(peak_kib) / 1024, int(problems)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mib", type=float, default=10.0, help="file size in MiB (default: just under 10)")
    args = parser.parse_args()
    size = int(args.mib * 1024 * 1024) - 1024
    _, base, _ = measure(EXAMPLE)
    print(f"baseline (the example record): {base:.0f} MiB peak")
    print("| file (just under the cap) | size | validate | peak memory | above baseline, per MiB of input | problems |")
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for name, (suffix, make) in SHAPES.items():
            path = Path(folder) / f"shape{suffix}"
            path.write_text(make(size), encoding="utf-8")
            mib = path.stat().st_size / 1024 / 1024
            seconds, peak, problems = measure(path)
            print(f"| {name} | {mib:.1f} MiB | {seconds:.1f} s | {peak:.0f} MiB | {(peak - base) / mib:.0f} MiB "
                  f"| {problems} |")


if __name__ == "__main__":
    main()
