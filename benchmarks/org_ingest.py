"""Benchmark: importing a large organization's history, and the organization metrics on it.

Usage:
    python benchmarks/org_ingest.py [--people 10000] [--months 60] [--reps 3] [--data DIR]

1. Writes the data set with ``scripts/make_org_data.py`` (people CSV per month end, the org
   files of the first month and of the reorg, the Backstage catalog), unless ``--data``
   names a folder written before with the same arguments.
2. Each repetition, one after the other on the same machine:
   - the reference: one DuckDB process loading every people CSV into a table
     (``read_csv`` of all files, every field as text), the least any import must do;
   - ``quarterdeck ingest org`` of every file into a fresh warehouse, one command (the
     real CLI, Python start-up included).
   It prints seconds of each and the ratio Quarterdeck / reference.
3. On the last warehouse, every organization metric for the whole organization at the
   date of the last snapshot, ``--reps`` times each in one process (the warehouse opened
   once, as ``quarterdeck serve`` will): median seconds per metric, and the ratio to a
   reference query measured in the same process (one pass over ``person_periods``
   counting the people employed on that date).
Targets (issue 3): import < 10 s; every metric < 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
IMPORT_TARGET_S = 10.0
METRIC_TARGET_S = 0.5


def write_data(out: Path, people: int, months: int, seed: int) -> None:
    command = [sys.executable, str(ROOT / "scripts" / "make_org_data.py"), str(out)]
    command += ["--people", str(people), "--months", str(months), "--seed", str(seed), "--start", "2021-01-31"]
    command += ["--formats", "people", "org", "catalog"]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def input_files(data: Path) -> tuple[list[Path], list[Path]]:
    people = sorted((data / "hr").glob("people-*.csv"))
    others = [*sorted(data.glob("org-*.yaml")), data / "catalog-info.yaml"]
    if not people:
        sys.exit(f"error: {data / 'hr'}: no people-*.csv files (write the data set first, without --data)")
    return people, others


def reference_load(people: list[Path]) -> float:
    """Seconds for DuckDB to load every people CSV into a table, in a fresh process."""
    script = (
        "import duckdb, sys, time; t = time.perf_counter(); con = duckdb.connect(); "
        "con.execute('CREATE TABLE raw AS SELECT * FROM read_csv(?, all_varchar = true, union_by_name = true, "
        "filename = true)', [sys.argv[1:]]); print(time.perf_counter() - t)"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", script, *map(str, people)], check=True, capture_output=True)
    return time.perf_counter() - started


def quarterdeck_import(db: Path, files: list[Path]) -> float:
    db.unlink(missing_ok=True)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "quarterdeck", "--db", str(db), "ingest", "org", *map(str, files), "--format", "json"],
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"error: quarterdeck ingest org failed:\n{result.stderr[-3000:]}")
    return elapsed


def time_metrics(db: Path, at: date, reps: int) -> tuple[float, dict[str, tuple[float, float]]]:
    """(reference seconds, {metric: (median seconds for the whole organization, by unit)}) in
    one process, the warehouse open once."""
    from quarterdeck.metrics.catalog import catalog
    from quarterdeck.metrics.query import MetricQuery, run_metric
    from quarterdeck.store import open_warehouse

    warehouse = open_warehouse(db, read_only=True)
    try:
        reference = median_seconds(
            reps,
            lambda: warehouse.con.execute(
                "SELECT count(DISTINCT person_id) FROM person_periods "
                "WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)",
                [at, at],
            ).fetchall(),
        )
        metrics = [m for _, m in sorted(catalog().items()) if "at" in m.parameters]
        whole, by_unit = MetricQuery(at=at, by="org"), MetricQuery(at=at, by="unit")
        timings = {
            m.name: (
                median_seconds(reps, lambda m=m: run_metric(warehouse, m, whole)),
                median_seconds(reps, lambda m=m: run_metric(warehouse, m, by_unit)),
            )
            for m in metrics
        }
    finally:
        warehouse.close()
    return reference, timings


def median_seconds(reps: int, work: Callable[[], object]) -> float:
    seconds = []
    for _ in range(reps):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--data", type=Path, help="A data set written before (default: write one in a temp folder).")
    parser.add_argument("--work", type=Path, help="Folder for the warehouses (default: a temp folder).")
    args = parser.parse_args()
    machine = platform.processor() or platform.machine()
    python = platform.python_version()
    print(f"machine: {machine}, {os.cpu_count()} cores, Python {python}, DuckDB {duckdb.__version__}")
    with tempfile.TemporaryDirectory(prefix="qd-org-bench-") as scratch:
        data = args.data or Path(scratch) / "data"
        if args.data is None:
            started = time.perf_counter()
            write_data(data, args.people, args.months, args.seed)
            print(f"data: {args.people} people x {args.months} months written in {time.perf_counter() - started:.1f} s")
        people, others = input_files(data)
        db = (args.work or Path(scratch)) / "org-bench.duckdb"
        rows = sum(sum(1 for _ in p.open(encoding="utf-8")) - 1 for p in people)
        print(f"input: {len(people)} people files, {rows:,} rows, {len(others)} org/catalog files")
        ratios, seconds = [], []
        for rep in range(1, args.reps + 1):
            reference = reference_load(people)
            ours = quarterdeck_import(db, people + others)
            ratios.append(ours / reference)
            seconds.append(ours)
            print(
                f"rep {rep}: reference load {reference:.2f} s, quarterdeck ingest org {ours:.2f} s, "
                f"ratio {ours / reference:.2f}"
            )
        verdict = "meets" if statistics.median(seconds) < IMPORT_TARGET_S else "MISSES"
        print(
            f"import: median {statistics.median(seconds):.2f} s ({verdict} the {IMPORT_TARGET_S:.0f} s target), "
            f"median ratio to the reference load {statistics.median(ratios):.2f}"
        )
        at = date.fromisoformat(people[-1].stem.removeprefix("people-"))
        reference, timings = time_metrics(db, at, max(args.reps, 5))
        print(
            f"metrics at {at}, whole organization, median of {max(args.reps, 5)}; "
            f"reference query {reference * 1000:.1f} ms"
        )
        print(f"  {'metric':<18} {'whole org':>9}  {'ratio':>6}  {'by unit':>9}")
        for name, (spent, per_unit) in timings.items():
            flag = "" if spent < METRIC_TARGET_S else "  MISSES the 0.5 s target"
            print(f"  {name:<18} {spent * 1000:6.1f} ms  {spent / reference:6.1f}  {per_unit * 1000:6.1f} ms{flag}")
        slowest = max(timings, key=lambda name: timings[name][0])
        print(f"slowest metric for the whole organization: {slowest} {timings[slowest][0] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
