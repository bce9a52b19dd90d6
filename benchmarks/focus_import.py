"""Benchmark: importing a FOCUS cloud bill, against DuckDB reading the same file alone.

Usage:
    python benchmarks/focus_import.py [--rows 5000000] [--format csv|parquet|both] [--work FOLDER]

Writes a synthetic FOCUS bill of ``--rows`` rows (``quarterdeck.simulation.cloud_bills.
write_bill``; not timed) in a temporary folder (or ``--work``), then, for each format, times
in the same run, alternating:
  1. DuckDB alone: ``CREATE TABLE bill AS SELECT * FROM read_csv(FILE)`` (``read_parquet``)
     into a new DuckDB file, in a fresh process (the reference);
  2. ``quarterdeck ingest cloud-costs FILE`` into a new warehouse (the whole command: Python
     start-up, the header check, staging, every check, storing, commit).
Also shows ``SELECT count(*), sum(BilledCost) FROM read_csv(FILE)`` (reading two columns
only) for scale. Prints each one's seconds and the speed ratio (reference seconds /
import seconds: 0.5 means half DuckDB's speed). Then, on the warehouse holding the bill,
times ``metrics show cloud_cost`` (by team, by service) and ``cloud_cost_allocated`` over
the year: the allocation to teams and services is done when the metric runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from quarterdeck.simulation.cloud_bills import write_bill

REFERENCE = """
import duckdb, sys
con = duckdb.connect(sys.argv[1])
reader = "read_parquet" if sys.argv[2].endswith(".parquet") else "read_csv"
con.execute(sys.argv[3].format(reader=reader), [sys.argv[2]])
con.close()
"""
CREATE = "CREATE TABLE bill AS SELECT * FROM {reader}(?)"
COUNT = "SELECT count(*), sum(BilledCost) FROM {reader}(?)"


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return seconds


def fresh(folder: Path, name: str) -> Path:
    for suffix in ("", ".wal"):
        Path(f"{folder / name}{suffix}").unlink(missing_ok=True)
    return folder / name


def measure(bill: Path, work: Path, reps: int) -> None:
    quarterdeck = shutil.which("quarterdeck") or str(Path(sys.executable).with_name("quarterdeck"))
    duckdb_alone, imports, counts = [], [], []
    for _ in range(reps):
        duckdb_alone.append(timed([sys.executable, "-c", REFERENCE, str(fresh(work, "ref.duckdb")), str(bill), CREATE]))
        db = fresh(work, "warehouse.duckdb")
        imports.append(timed([quarterdeck, "--db", str(db), "ingest", "cloud-costs", str(bill), "--format", "json"]))
        counts.append(timed([sys.executable, "-c", REFERENCE, ":memory:", str(bill), COUNT]))
    best_ref, best_import = min(duckdb_alone), min(imports)
    print(f"{bill.name}: {bill.stat().st_size / 1e6:.0f} MB")
    print(
        f"  DuckDB alone (CREATE TABLE AS)  {best_ref:6.2f} s   (runs: {', '.join(f'{s:.2f}' for s in duckdb_alone)})"
    )
    print(f"  quarterdeck ingest cloud-costs  {best_import:6.2f} s   (runs: {', '.join(f'{s:.2f}' for s in imports)})")
    print(f"  DuckDB count/sum of 2 columns   {min(counts):6.2f} s")
    print(f"  speed ratio (DuckDB alone / import): {best_ref / best_import:.2f}")
    query_times(quarterdeck, db, work)


def query_times(quarterdeck: str, db: Path, work: Path) -> None:
    rates = work / "rates.csv"
    rates.write_text("month,from,to,rate\n2026-01,EUR,USD,1.10\n")
    timed([quarterdeck, "--db", str(db), "ingest", "rates", str(rates)])
    year = ["--since", "2026-01-01", "--until", "2026-12-31", "--format", "json"]
    for name, by in (("cloud_cost", "team"), ("cloud_cost", "service"), ("cloud_cost_allocated", "team")):
        seconds = timed([quarterdeck, "--db", str(db), "metrics", "show", name, "--by", by, *year])
        print(f"  metrics show {name} --by {by} (a year, monthly): {seconds:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--format", choices=("csv", "parquet", "both"), default="both")
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="quarterdeck-focus-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        print(f"{args.rows:,} rows, {os.cpu_count()} cores, in {work}")
        for fmt in ("csv", "parquet") if args.format == "both" else (args.format,):
            bill = write_bill(work / f"focus.{fmt}", args.rows, parquet=fmt == "parquet")
            measure(bill, work, args.reps)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
