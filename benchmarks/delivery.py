"""Benchmark: importing delivery and reliability files, and the delivery metrics on them.

Usage:
    python benchmarks/delivery.py [--data DIR] [--reps 3] [--work DIR]
                                  [--services 200] [--years 5] [--seed 1] [--scale 1.0]

1. The data set of ``scripts/make_delivery_data.py`` (at scale 1: 1,000,000 deployments,
   100,000 incidents, 5,000,000 CI runs, 26,280,000 availability windows, 50 SLOs, an org
   file of 200 services). ``--data DIR`` uses the data set in DIR as it is when DIR has a
   ``manifest.json`` (the generator writes it last), else writes one there with the given
   arguments; without ``--data`` it is written into a temporary folder removed at the end.
2. Import, each repetition, one after the other on the same machine:
   - the reference: one fresh Python process in which DuckDB loads each CSV file into a
     plain table of a new database file (``CREATE TABLE t AS SELECT * FROM read_csv(...)``,
     types detected, no checks): the least any import must do;
   - Quarterdeck: the real command line into a fresh warehouse, one command per file:
     ``ingest org org.yaml --as-of START``, then ``ingest deployments``, ``incidents``,
     ``ci-runs``, ``availability``, ``slos`` (each command's Python start-up included).
   It prints seconds per file and in all (and the time each command reports for itself,
   without Python start-up), the ratio Quarterdeck / reference, and rows per second.
3. On the last warehouse, every delivery metric for one quarter (2025-07-01 .. 2025-09-30),
   whole organization, ``max(--reps, 5)`` times each in one process (the warehouse opened
   once, as ``quarterdeck serve`` will, so Python start-up is not counted): median seconds
   per metric and in all, and the ratio to a reference measured in the same process: a
   ``SELECT count(*)`` of the quarter's rows of each table the metric's SQL names (filtered
   on the table's time column, so DuckDB skips the row groups outside the quarter: the
   least a query of the quarter must read; tables without a time column whole). Then each
   metric once through ``quarterdeck metrics show NAME ... --format json``, which must
   succeed (its wall time, start-up included, is printed beside).
Targets: the whole import < 60 s; all the metrics together < 2 s. A missed target is
reported, not an error: the exit status is 1 only when something failed (a command, a
metric, rows rejected or missing after the import).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

import duckdb

from quarterdeck.simulation.fixtures_delivery import generator_digest

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "scripts" / "make_delivery_data.py"
IMPORT_TARGET_S = 60.0
METRICS_TARGET_S = 2.0
SINCE, UNTIL = date(2025, 7, 1), date(2025, 9, 30)

# (ingest command, file, the table its rows land in)
IMPORTS = (
    ("deployments", "deployments.csv", "deployments"),
    ("incidents", "incidents.csv", "incidents"),
    ("ci-runs", "ci_runs.csv", "ci_runs"),
    ("availability", "availability.csv", "availability_windows"),
    ("slos", "slos.csv", "slos"),
)
METRICS = (
    "deployment_frequency", "lead_time_for_changes", "change_failure_rate", "time_to_restore",
    "failed_deployment_recovery_time", "dora_performance", "availability", "error_budget_remaining",
    "error_budget_burn_rate", "incidents", "mtta", "mttr", "open_critical_incidents", "ci_queue_time", "ci_run_time",
    "ci_failure_rate", "merge_to_deploy_time",
)  # fmt: skip
# The tables a delivery metric may read, with the time column its window applies to (None:
# the whole table); a metric's reference counts the window's rows of those its SQL names.
REFERENCE_TABLES = {
    "deployments": "finished_at",
    "incidents": "created_at",
    "ci_runs": "queued_at",
    "availability_windows": "window_start",
    "slos": None,
    "change_deployments": "deployed_at",
    "deployment_commits": None,
    "incident_deployments": None,
}

REFERENCE_SCRIPT = """\
import duckdb, json, sys, time
con = duckdb.connect(sys.argv[1])
con.execute("SET enable_progress_bar = false")
seconds = {}
for table, path in zip(sys.argv[2::2], sys.argv[3::2]):
    started = time.perf_counter()
    con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv(?)", [path])
    seconds[table] = time.perf_counter() - started
con.close()
print(json.dumps(seconds))
"""


@dataclass
class Step:
    """One import command: its wall time, what it reported (``--format json``), and why it
    failed if it did."""

    name: str
    file: str
    seconds: float = 0.0
    report: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


@dataclass
class MetricTiming:
    name: str
    seconds: float = 0.0
    rows: int = 0
    reference: float = 0.0
    tables: list[str] = field(default_factory=list)
    windowed: bool = True  # takes --since (error_budget_remaining takes only --until)
    cli_seconds: float | None = None
    error: str | None = None


# ----------------------------------------------------------------------------------------
# The data set


def ensure_data(data: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The manifest of the data set in ``data``, written first when there is none."""
    manifest = data / "manifest.json"
    if not manifest.exists():
        command = [sys.executable, str(GENERATOR), "--out", str(data), "--services", str(args.services)]
        command += ["--years", str(args.years), "--seed", str(args.seed), "--scale", str(args.scale)]
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        print(f"data: written in {time.perf_counter() - started:.1f} s into {data}")
    found = json.loads(manifest.read_text(encoding="utf-8"))
    arguments = " ".join(f"--{k} {v}" for k, v in found["arguments"].items())
    print(f"data: {data} ({arguments}), {found['start']} .. {found['end']}")
    if found.get("generator_sha256") != generator_digest():
        print("note: the data set was written by another version of quarterdeck.simulation.fixtures_delivery")
    return found


def describe_files(data: Path, manifest: dict[str, Any]) -> None:
    sizes = {name: (data / name).stat().st_size for _, name, _ in IMPORTS}
    listing = ", ".join(f"{name} {manifest['rows'][name]:,} rows / {sizes[name] / 1e6:,.1f} MB" for name in sizes)
    print(f"input: {listing}; {sum(sizes.values()) / 1e9:.2f} GB in all")


# ----------------------------------------------------------------------------------------
# Import


def reference_load(data: Path, db: Path) -> tuple[float, dict[str, float]]:
    """(wall seconds of the whole process, {table: seconds of its CREATE TABLE})."""
    remove_database(db)
    pairs = [str(x) for _, name, table in IMPORTS for x in (table, data / name)]
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", REFERENCE_SCRIPT, str(db), *pairs], capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"error: the reference load failed:\n{result.stderr[-3000:]}")
    remove_database(db)
    return wall, json.loads(result.stdout.strip().splitlines()[-1])


def remove_database(db: Path) -> None:
    db.unlink(missing_ok=True)
    db.with_name(db.name + ".wal").unlink(missing_ok=True)


def quarterdeck(db: Path, *args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run ``python -m quarterdeck --db DB ARGS`` from the warehouse's folder (so that no
    quarterdeck.toml of the current folder applies), without QUARTERDECK_* variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUARTERDECK_")}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "quarterdeck", "--db", str(db), *args],
        cwd=db.parent,
        env=env,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - started, result


def run_import(data: Path, db: Path, start: str) -> list[Step]:
    """The org file, then every delivery file, into a fresh warehouse; one command each."""
    remove_database(db)
    steps = [Step("org", "org.yaml")]
    seconds, result = quarterdeck(db, "ingest", "org", str(data / "org.yaml"), "--as-of", start, "--format", "json")
    record(steps[0], seconds, result)
    for command, name, _ in IMPORTS:
        step = Step(command, name)
        seconds, result = quarterdeck(db, "ingest", command, str(data / name), "--format", "json")
        record(step, seconds, result)
        steps.append(step)
    return steps


def record(step: Step, seconds: float, result: subprocess.CompletedProcess[str]) -> None:
    step.seconds = seconds
    try:
        step.report = json.loads(result.stdout) if result.stdout.strip() else {}
    except json.JSONDecodeError:
        step.report = {}
    if result.returncode == 3:
        problems = step.report.get("problems") or result.stderr.splitlines()
        step.error = f"{step.report.get('rejected', '?')} rows rejected, e.g. {problems[:3]}"
    elif result.returncode != 0:
        last_lines = (result.stderr or result.stdout).strip().splitlines()[-3:]
        step.error = f"exit status {result.returncode}: " + " | ".join(line.strip() for line in last_lines)


def stored_rows(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for _, _, table in IMPORTS}
    finally:
        con.close()


def check_stored(db: Path, manifest: dict[str, Any]) -> list[str]:
    """Problems: a table that does not hold every row of its file."""
    stored = stored_rows(db)
    return [
        f"{table}: {stored[table]:,} rows stored, {manifest['rows'][name]:,} in {name}"
        for _, name, table in IMPORTS
        if stored[table] != manifest["rows"][name]
    ]


def print_import(
    references: list[dict[str, float]], reference_walls: list[float], runs: list[list[Step]], rows: dict[str, int]
) -> None:
    """Medians over the repetitions, per file and in all."""
    print(f"import, median of {len(runs)} (reported: the time the command itself reports, without start-up):")
    print(f"  {'file':<17} {'reference':>9} {'quarterdeck':>11} {'(reported)':>10} {'ratio':>6} {'rows/s':>10}")
    for k, step in enumerate(runs[0]):
        ours = statistics.median(run[k].seconds for run in runs)
        reported = [run[k].report["seconds"] for run in runs if isinstance(run[k].report.get("seconds"), int | float)]
        inner = f"{statistics.median(reported):9.2f}s" if reported else f"{'-':>10}"
        table = next((t for c, _, t in IMPORTS if c == step.name), None)
        if table is None:
            print(f"  {step.file:<17} {'-':>9} {ours:10.2f}s {inner} {'-':>6}")
            continue
        reference = statistics.median(r[table] for r in references)
        speed = rows[step.file] / ours
        print(f"  {step.file:<17} {reference:8.2f}s {ours:10.2f}s {inner} {ours / reference:6.2f} {speed:10,.0f}")
    total = statistics.median(sum(s.seconds for s in run) for run in runs)
    reference = statistics.median(reference_walls)
    verdict = "meets" if total < IMPORT_TARGET_S else "MISSES"
    speed = sum(rows.values()) / total
    print(f"  {'total':<17} {reference:8.2f}s {total:10.2f}s {'':>10} {total / reference:6.2f} {speed:10,.0f}")
    ratio = statistics.median(
        sum(s.seconds for s in run) / wall for run, wall in zip(runs, reference_walls, strict=True)
    )
    print(
        f"import: median {total:.2f} s for the {len(runs[0])} commands ({verdict} the {IMPORT_TARGET_S:.0f} s "
        f"target), median ratio to the reference load {ratio:.2f} (the reference is one process, start-up "
        f"included; Quarterdeck {len(runs[0])})"
    )


# ----------------------------------------------------------------------------------------
# Metrics


def time_metrics(db: Path, reps: int) -> list[MetricTiming]:
    """Each metric's median seconds over ``reps`` runs in this process, the warehouse open
    once, and its reference: the median seconds of counting the window's rows of the tables
    its SQL names."""
    from quarterdeck.metrics import MetricQuery, get_metric, run_metric
    from quarterdeck.metrics.query import metric_sql
    from quarterdeck.store import open_warehouse

    start = datetime.combine(SINCE, clock.min, tzinfo=UTC)
    end = datetime.combine(UNTIL + timedelta(days=1), clock.min, tzinfo=UTC)
    warehouse = open_warehouse(db, read_only=True)
    timings = []
    try:
        references = {
            t: median_seconds(reps, count_query(warehouse.con, t, start, end)) for t in present(warehouse.con)
        }
        for name in METRICS:
            timing = MetricTiming(name)
            try:
                metric = get_metric(name)
                timing.windowed = "since" in metric.parameters
                query = MetricQuery(since=SINCE if timing.windowed else None, until=UNTIL)
                timing.rows = len(run_metric(warehouse, metric, query).rows)
                timing.seconds = median_seconds(reps, lambda m=metric, q=query: run_metric(warehouse, m, q))
                sql = metric_sql(metric, query)
                timing.tables = [t for t in references if re.search(rf"\b{t}\b", sql)] or list(references)
                timing.reference = sum(references[t] for t in timing.tables)
            except Exception as error:  # a metric that fails is reported, and the others still run
                timing.error = f"{type(error).__name__}: {error}"
            timings.append(timing)
    finally:
        warehouse.close()
    return timings


def present(con: duckdb.DuckDBPyConnection) -> list[str]:
    names = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    return [t for t in REFERENCE_TABLES if t in names]


def count_query(con: duckdb.DuckDBPyConnection, table: str, start: datetime, end: datetime) -> Callable[[], object]:
    column = REFERENCE_TABLES[table]
    if column is None:
        return lambda: con.execute(f"SELECT count(*) FROM {table}").fetchall()
    sql = f"SELECT count(*) FROM {table} WHERE {column} >= ? AND {column} < ?"
    return lambda: con.execute(sql, [start, end]).fetchall()


def median_seconds(reps: int, work: Callable[[], object]) -> float:
    seconds = []
    for _ in range(reps):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def check_cli(db: Path, timings: list[MetricTiming]) -> None:
    """Each metric once through the command line, as a user runs it: it must succeed and
    print JSON with the rows the in-process run gave."""
    for timing in timings:
        if timing.error:
            continue
        window = ["--since", SINCE.isoformat()] if timing.windowed else []
        seconds, result = quarterdeck(
            db, "metrics", "show", timing.name, *window, "--until", UNTIL.isoformat(), "--format", "json"
        )
        timing.cli_seconds = seconds
        if result.returncode != 0:
            timing.error = f"command line: exit status {result.returncode}: {result.stderr.strip()[-500:]}"
            continue
        rows = len(json.loads(result.stdout).get("rows", []))
        if rows != timing.rows:
            timing.error = f"command line: {rows} rows, in-process {timing.rows}"


def print_metrics(timings: list[MetricTiming], reps: int) -> None:
    print(f"metrics {SINCE} .. {UNTIL}, whole organization, median of {reps} in one process:")
    print(f"  {'metric':<32} {'time':>9} {'rows':>5} {'reference':>10} {'ratio':>7} {'CLI':>7}  tables read")
    for t in timings:
        if t.error and not t.seconds:
            print(f"  {t.name:<32} ERROR {t.error}")
            continue
        cli = f"{t.cli_seconds:6.2f}s" if t.cli_seconds is not None else f"{'-':>7}"
        ratio = t.seconds / t.reference if t.reference else float("nan")
        print(
            f"  {t.name:<32} {t.seconds * 1000:6.1f} ms {t.rows:5d} {t.reference * 1000:7.1f} ms {ratio:7.1f} "
            f"{cli}  {', '.join(t.tables)}"
        )
        if t.error:
            print(f"  {'':<32} ERROR {t.error}")
    done = [t for t in timings if t.seconds]
    if not done:
        return
    total = sum(t.seconds for t in done)
    reference = sum(t.reference for t in done)
    verdict = "meets" if total < METRICS_TARGET_S and len(done) == len(timings) else "MISSES"
    slowest = max(done, key=lambda t: t.seconds)
    print(
        f"metrics: {total:.3f} s for {len(done)} of {len(timings)} metrics ({verdict} the {METRICS_TARGET_S:.0f} s "
        f"target), {total / reference:.1f}x their references ({reference * 1000:.1f} ms); slowest {slowest.name} "
        f"{slowest.seconds * 1000:.1f} ms"
    )


# ----------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="a data set (written there first if DIR has no manifest.json)")
    # --services, --years, --seed and --scale apply only when the data set is written
    parser.add_argument("--work", type=Path, help="folder for the warehouses (default: a temporary folder)")
    parser.add_argument("--reps", type=int, default=3, help="import repetitions (default 3)")
    parser.add_argument("--services", type=int, default=200)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    if args.reps < 1:
        parser.error("--reps must be at least 1")
    return args


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return (
        f"machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )


def benchmark_import(data: Path, work: Path, manifest: dict[str, Any], reps: int) -> tuple[Path, list[str]]:
    """The import repetitions; returns the last warehouse and the problems seen."""
    db = work / "delivery-bench.duckdb"
    references, walls, runs = [], [], []
    for rep in range(1, reps + 1):
        wall, per_table = reference_load(data, work / "reference.duckdb")
        steps = run_import(data, db, manifest["start"])
        references.append(per_table)
        walls.append(wall)
        runs.append(steps)
        ours = sum(s.seconds for s in steps)
        print(f"rep {rep}: reference load {wall:.2f} s, quarterdeck {ours:.2f} s, ratio {ours / wall:.2f}")
    print_import(references, walls, runs, manifest["rows"])
    problems = [
        f"ingest {s.name} {s.file} (rep {k}): {s.error}" for k, run in enumerate(runs, 1) for s in run if s.error
    ]
    problems += check_stored(db, manifest)
    print(f"warehouse: {db.stat().st_size / 1e6:,.0f} MB after the import")
    return db, problems


def main() -> int:
    args = parse_args()
    print(machine())
    with tempfile.TemporaryDirectory(prefix="qd-delivery-bench-") as scratch:
        data = args.data.resolve() if args.data else Path(scratch) / "data"  # commands run in other folders
        work = args.work or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        manifest = ensure_data(data, args)
        describe_files(data, manifest)
        db, problems = benchmark_import(data, work, manifest, args.reps)
        reps = max(args.reps, 5)
        timings = time_metrics(db, reps)
        check_cli(db, timings)
        print_metrics(timings, reps)
        problems += [f"metric {t.name}: {t.error}" for t in timings if t.error]
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
