"""Benchmark setsafety against the generic tools, on generated records, in one run.

    python tests/benchmarks/bench.py [--records 1000] [--many 10000] [--repeat 3] [--custody 30] [--keep DIR]

Not part of the test suite (pytest collects only ``test_*.py``; tests/test_benchmark.py
runs it on a handful of records to check that it runs). It writes valid records of
realistic size (variants of the example record and of the Rust case: more people,
custody events, warnings, sources) to a temporary folder and prints Markdown tables of:

1. ``setsafety validate DIR`` (every core, and ``--jobs 1``) against ``check-jsonschema
   --schemafile schemas/incident.schema.json FILES...`` on the same ``--records`` files,
   each one process, wall time including start-up (best of ``--repeat``);
2. in-process ``setsafety.validate(data)`` over the parsed records against a bare
   ``Draft202012Validator(schema, format_checker=...).iter_errors(data)``;
3. ``setsafety validate DIR`` on ``--many`` records, end to end;
4. ``setsafety validate one.json`` against ``python -c "import jsonschema"``: the start-up floor;
5. ``analyze()``, ``validate()`` and rendering a lesson (Markdown, HTML) of one record as its
   custody chain grows 10x and 100x;
6. peak memory (the largest process's resident set) of each command;
7. whether ``import setsafety`` imports Jinja2 or jsonschema.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import gc
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

import setsafety
from setsafety.analysis import analyze
from setsafety.batch import default_jobs
from setsafety.model import Record, structure
from setsafety.problems import has_errors

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "schemas" / "incident.schema.json"
EXAMPLE = json.loads((ROOT / "examples" / "fictional-blank-injury.json").read_text(encoding="utf-8"))
RUST = json.loads((ROOT / "cases" / "rust-2021.json").read_text(encoding="utf-8"))
EVENT_DAY = datetime.date.fromisoformat(EXAMPLE["incident"]["when"]["date"])

ROLES = ("crew", "camera-assistant", "cinematographer", "second-ad", "special-effects", "medic", "writer",
         "props-assistant", "location-manager", "stunt-performer")
WARNING_KINDS = ("misfire", "accidental-discharge", "near-miss", "complaint", "resignation", "walk-out", "other")
SOURCE_KINDS = ("news", "interview", "official-report", "court-record", "press-release", "documentary")
SENTENCE = ("The crew member said the {what} on the {day} was handled as on every other day of the shoot, and that "
            "nobody raised a concern about it at the time; the record cites the statement as given.")


def _cite(rng: random.Random, sources: list[str]) -> list[str]:
    return sorted(rng.sample(sources, k=min(len(sources), rng.randint(1, 3))))


def custody_cycles(count: int, first_id: int = 0) -> list[dict[str, Any]]:
    """``count`` days of retrieve / inspect / return before the event day, oldest first (3 events a day)."""
    events = []
    for back in range(count, 0, -1):
        day = (EVENT_DAY - datetime.timedelta(days=back)).isoformat()
        n = first_id + back
        common = {"item": "revolver-1", "by": "armorer-a", "sources": ["src-incident-report"]}
        events += [
            {"id": f"day-{n}-out", "action": "retrieved", "storage": "weapons-safe",
             "when": {"date": day, "time": "08:00", "precision": "exact"}, **common},
            {"id": f"day-{n}-check", "action": "inspected", "verification": "full",
             "when": {"date": day, "time": "08:05", "precision": "exact"}, **common},
            {"id": f"day-{n}-in", "action": "returned", "storage": "weapons-safe",
             "when": {"date": day, "time": "18:00", "precision": "exact"}, **common},
        ]
    return events


def example_variant(number: int, rng: random.Random) -> dict[str, Any]:
    """The example record grown: more sources, people, warnings, custody days and timeline."""
    data = copy.deepcopy(EXAMPLE)
    data["id"] = f"western-{number:04d}"
    sources = ["src-incident-report"]
    for k in range(rng.randint(1, 20)):
        source_id = f"src-{k}"
        sources.append(source_id)
        kind = rng.choice(SOURCE_KINDS)
        data["sources"].append({
            "id": source_id, "kind": kind, "official": kind in ("official-report", "court-record"),
            "title": f"Report {k} on the blank-fire injury on a TV western", "publisher": f"Publisher {k % 7}",
            "date": (EVENT_DAY + datetime.timedelta(days=1 + k)).isoformat(),
            "url": f"https://example.org/{data['id']}/{k}",
        })
    for k in range(rng.randint(5, 40)):
        data["people"].append({
            "id": f"crew-{k}", "kind": "person", "name": f"Crew Member {k}",
            "roles": [{"role": rng.choice(ROLES), "on_set": True, "sources": _cite(rng, sources)}],
            "sources": _cite(rng, sources),
        })
    crew = [f"crew-{k}" for k in range(len(data["people"]) - 5)]
    for k in range(rng.randint(0, 15)):
        day = EVENT_DAY - datetime.timedelta(days=rng.randint(1, 60))
        data["warnings"].append({
            "id": f"warning-{k}", "kind": rng.choice(WARNING_KINDS),
            "description": SENTENCE.format(what="misfire", day=day.isoformat()),
            "when": {"date": day.isoformat(), "precision": "day"}, "raised_by": [rng.choice(crew)],
            "raised_to": ["first-ad-b"], "hazards": ["firearm"],
            "response": {"level": rng.choice(("none", "acknowledged", "investigated", "fixed")),
                         "by": ["first-ad-b"], "sources": _cite(rng, sources)},
            "sources": _cite(rng, sources),
        })
    data["custody"] = custody_cycles(rng.randint(1, 20)) + data["custody"]
    data["timeline"] = [
        {"id": f"entry-{k}", "kind": "production", "when": {"date": (EVENT_DAY - datetime.timedelta(days=30 - k))
                                                               .isoformat(), "precision": "day"},
         "description": SENTENCE.format(what="schedule", day=f"day {k}"), "sources": _cite(rng, sources)}
        for k in range(rng.randint(0, 30))
    ]
    return data


def rust_variant(number: int, rng: random.Random) -> dict[str, Any]:
    """The Rust case under another id, with more crew."""
    data = copy.deepcopy(RUST)
    data["id"] = f"rust-variant-{number:04d}"
    sources = [source["id"] for source in data["sources"]]
    for k in range(rng.randint(0, 20)):
        data["people"].append({"id": f"extra-crew-{k}", "kind": "person", "name": f"Extra Crew {k}",
                               "roles": [{"role": rng.choice(ROLES), "sources": _cite(rng, sources)}],
                               "sources": _cite(rng, sources)})
    return data


def generate(folder: Path, count: int, seed: int = 2021) -> list[Path]:
    """``count`` record files in ``folder``, one in ten a Rust variant; each named by its id."""
    rng = random.Random(seed)
    paths = []
    for number in range(count):
        data = rust_variant(number, rng) if number % 10 == 9 else example_variant(number, rng)
        path = folder / f"{data['id']}.json"
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs of ``work``, in seconds. As ``timeit`` does, this process's cyclic
    garbage collector is paused while it runs (a command's own processes keep theirs)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            work()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return min(times)


def run_command(argv: list[str], expect: int = 0) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != expect:
        raise SystemExit(f"{argv[0]} exited {done.returncode}: {done.stdout[-2000:]}{done.stderr[-2000:]}")


#: Runs a command and prints the peak resident set of the largest process it started (kB on Linux).
_PEAK = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True); "
         "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def peak_memory(argv: list[str]) -> float:
    """The peak resident set of the largest process of ``argv`` (run once, on its own), in MB."""
    done = subprocess.run([sys.executable, "-c", _PEAK, *argv], capture_output=True, text=True, check=True)
    code, peak = done.stdout.split()
    if code != "0":
        raise SystemExit(f"{argv[0]} exited {code}")
    return int(peak) / (1024 if sys.platform != "darwin" else 1024 * 1024)


def tool(name: str) -> str:
    """The console script ``name`` next to this Python, or on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} is not installed; pip install -e '.[test]'")
    return found


def bench_commands(folder: Path, paths: list[Path], repeat: int) -> dict[str, float]:
    setsafety_argv = [tool("setsafety"), "validate", "--quiet", str(folder)]
    serial_argv = [tool("setsafety"), "validate", "--quiet", "--jobs", "1", str(folder)]
    check_argv = [tool("check-jsonschema"), "--schemafile", str(SCHEMA_FILE), *map(str, paths)]
    for argv in (setsafety_argv, serial_argv, check_argv):
        run_command(argv)  # warm the file cache and the byte-code, and check every record is valid
    return {
        "ours": best_of(repeat, lambda: run_command(setsafety_argv)),
        "serial": best_of(repeat, lambda: run_command(serial_argv)),
        "theirs": best_of(repeat, lambda: run_command(check_argv)),
        "ours_memory": peak_memory(setsafety_argv),
        "theirs_memory": peak_memory(check_argv),
    }


def bench_in_process(paths: list[Path], repeat: int) -> tuple[float, float]:
    records = [json.loads(path.read_text(encoding="utf-8")) for path in paths]
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    bare = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

    def ours() -> None:
        for data in records:
            if has_errors(setsafety.validate(data)):  # warnings (a fact on one source) leave a record valid
                raise SystemExit(f"{data['id']}: {setsafety.validate(data)[0]}")

    def theirs() -> None:
        for data in records:
            for _ in bare.iter_errors(data):
                raise SystemExit(f"{data['id']} is not valid")

    ours()
    theirs()
    return best_of(repeat, ours), best_of(repeat, theirs)


def bench_many(folder: Path, repeat: int) -> tuple[float, float]:
    """``setsafety validate DIR`` on every record in ``folder``: best time, and peak memory."""
    argv = [tool("setsafety"), "validate", "--quiet", str(folder)]
    run_command(argv)
    return best_of(repeat, lambda: run_command(argv)), peak_memory(argv)


def bench_start_up(one: Path, repeat: int) -> tuple[float, float]:
    ours = [tool("setsafety"), "validate", "--quiet", str(one)]
    floor = [sys.executable, "-c", "import jsonschema"]
    run_command(ours)
    run_command(floor)
    return best_of(repeat, lambda: run_command(ours)), best_of(repeat, lambda: run_command(floor))


def chain_record(length: int) -> dict[str, Any]:
    """The example record with a custody chain of exactly ``length`` events (``length`` = 6 + 3k)."""
    data = copy.deepcopy(EXAMPLE)
    cycles, rest = divmod(length - len(data["custody"]), 3)
    assert rest == 0 and cycles >= 0, length
    data["custody"] = custody_cycles(cycles) + data["custody"]
    return data


#: What is timed on one record as its custody chain grows.
GROWTH = ("analyze()", "validate()", "lesson (md)", "lesson (html)")


def bench_custody(base: int, repeat: int) -> list[tuple[int, dict[str, float]]]:
    protocol = setsafety.load_protocol("firearms")  # loaded once: the analysis is what is timed
    rows = []
    for length in (base, 10 * base, 100 * base):
        data = chain_record(length)
        problems = setsafety.validate(data)
        if has_errors(problems):
            raise SystemExit(f"the custody record of {length} events is not valid: {problems[0]}")
        record = structure(data, Record)
        result = analyze(record, protocol)
        work: dict[str, Callable[[], object]] = {
            "analyze()": lambda record=record: analyze(record, protocol),
            "validate()": lambda data=data: setsafety.validate(data),
            "lesson (md)": lambda result=result, record=record: setsafety.render_lessons(result, "md", record=record),
            "lesson (html)": lambda result=result, record=record: setsafety.render_lessons(
                result, "html", record=record),
        }
        for run in work.values():
            run()  # templates and caches loaded before anything is timed
        rows.append((length, {name: best_of(repeat, run) for name, run in work.items()}))
    return rows


def imported_by_setsafety(module: str) -> bool:
    done = subprocess.run([sys.executable, "-c", f"import setsafety, sys; print({module!r} in sys.modules)"],
                          capture_output=True, text=True, check=True)
    return done.stdout.strip() == "True"


def _ratio_row(name: str, ours: float, theirs: float, target: str) -> str:
    return f"| {name} | {ours:.2f} s | {theirs:.2f} s | {ours / theirs:.2f} | {target} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000, help="records compared with the baselines (default 1000)")
    parser.add_argument("--many", type=int, default=10000, help="records validated end to end (default 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best counts (default 3)")
    parser.add_argument("--custody", type=int, default=30, help="the shortest custody chain (6 + 3k; default 30)")
    parser.add_argument("--keep", metavar="DIR", help="write the records here and keep them")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with tempfile.TemporaryDirectory(prefix="setsafety-bench-") as temporary:
        top = Path(args.keep) if args.keep else Path(temporary)
        folder, many_folder = top / "records", top / "many"
        folder.mkdir(parents=True, exist_ok=True)
        many_folder.mkdir(parents=True, exist_ok=True)
        paths = generate(folder, args.records)
        many = generate(many_folder, args.many)
        size = sum(path.stat().st_size for path in paths)
        many_size = sum(path.stat().st_size for path in many)
        commands = bench_commands(folder, paths, args.repeat)
        ours_api, theirs_api = bench_in_process(paths, args.repeat)
        many_time, many_memory = bench_many(many_folder, args.repeat)
        ours_start, floor_start = bench_start_up(ROOT / "examples" / "fictional-blank-injury.json", args.repeat * 3)
    custody = bench_custody(args.custody, max(args.repeat, 5))  # short runs: more of them, for a steady best

    n, cores = len(paths), default_jobs()
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{datetime.date.today().isoformat()}; {n} records, {size / 1e6:.1f} MB ({size / n / 1e3:.0f} kB each "
          f"on average); {os.cpu_count()} cores, {cores} used; load average {load_before:.2f} before, "
          f"{load_after:.2f} after; Python {sys.version.split()[0]}, setsafety {setsafety.__version__}; "
          f"best of {args.repeat}\n")
    print("| measurement | setsafety | baseline | ratio | target |")
    print("|---|---:|---:|---:|---|")
    print(_ratio_row(f"`setsafety validate DIR` vs `check-jsonschema --schemafile` ({n} files, one process each)",
                     commands["ours"], commands["theirs"], "<= 0.15"))
    print(_ratio_row(f"the same, `setsafety validate --jobs 1 DIR` (one core) ({n} files)",
                     commands["serial"], commands["theirs"], ""))
    print(_ratio_row(f"`setsafety.validate(data)` vs bare `Draft202012Validator.iter_errors` ({n} records, "
                     "in process)", ours_api, theirs_api, "<= 0.3"))
    print(_ratio_row("`setsafety validate one.json` vs `python -c \"import jsonschema\"` (start-up floor)",
                     ours_start, floor_start, ""))
    print(f"| `setsafety validate DIR`, {len(many)} records ({many_size / 1e6:.0f} MB) end to end, {cores} cores "
          f"| {many_time:.2f} s | | | <= 30 s on 2 cores |")
    added = (many_time - commands["ours"]) / (len(many) - n) if len(many) > n else float("nan")
    print(f"| time per file, `setsafety validate DIR`: {n} files, {len(many)} files, per added file "
          f"| {commands['ours'] / n * 1e3:.2f} ms | {many_time / len(many) * 1e3:.2f} ms | {added * 1e3:.2f} ms | |")
    print(f"| peak memory, `setsafety validate DIR` ({n} files) vs check-jsonschema | "
          f"{commands['ours_memory']:.0f} MB | {commands['theirs_memory']:.0f} MB | "
          f"{commands['ours_memory'] / commands['theirs_memory']:.2f} | |")
    print(f"| peak memory, `setsafety validate DIR` ({len(many)} files) | {many_memory:.0f} MB | | | |")
    for module in ("jinja2", "jsonschema"):
        print(f"| `import setsafety` imports {module} | {'yes' if imported_by_setsafety(module) else 'no'} "
              "| | | no |")
    print("\nCost as the custody chain of one record grows (linear growth: the cost per added event stays flat):\n")
    print("| custody events | " + " | ".join(f"{name} | per added event" for name in GROWTH) + " |")
    print("|---:|" + "---:|---:|" * len(GROWTH))
    first_length, first = custody[0]
    for length, times in custody:
        added = length - first_length
        cells = []
        for name in GROWTH:
            marginal = f"{(times[name] - first[name]) / added * 1e6:.0f} µs" if added else ""
            cells.append(f"{times[name] * 1e3:.1f} ms | {marginal}")
        print(f"| {length} ({length // first_length}x) | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
