"""Benchmark: what the tech-stack inventory adds to a full ``quarterdeck ingest git``.

Usage:
    python benchmarks/stack_inventory.py REPOS [--reps 1] [--jobs N]

Each repetition runs, one after the other on the same machine, into fresh warehouses:
  1. ``quarterdeck ingest git REPOS --no-stack`` (history and files at HEAD, no inventory);
  2. ``quarterdeck ingest git REPOS`` (the same, with the inventory read at HEAD);
  3. ``quarterdeck ingest git REPOS`` again on the warehouse of step 1: HEAD did not change, so
     only the inventory is read (from the files already measured): the inventory on its own.
Steps 1 and 2 swap places every other repetition. It prints the seconds of each, the ratio
of step 2 to step 1 (target: under 1.10, docs/performance.md) and the rows the inventory
wrote. Ratios, not absolute seconds, are comparable across machines.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 1.10


def ingest(db: Path, repos: Path, jobs: int | None, *extra: str) -> float:
    args = [sys.executable, "-m", "quarterdeck", "--db", str(db), "ingest", "git", str(repos), "--format", "json"]
    if jobs:
        args += ["--jobs", str(jobs)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUARTERDECK_") and k != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    done = subprocess.run([*args, *extra], capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"ingest failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return seconds


def inventory_rows(db: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = ("stack_repositories", "stack_languages", "stack_dependencies", "stack_files", "stack_unreadable")
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # type: ignore[index]
    finally:
        con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("repos", type=Path, help="a folder of repositories (read only)")
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=None)
    options = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    ratios = []
    for rep in range(options.reps):
        with tempfile.TemporaryDirectory(prefix="stack-bench-") as folder:
            without, with_stack = Path(folder) / "without.duckdb", Path(folder) / "with.duckdb"
            order = [("without", without, ("--no-stack",)), ("with", with_stack, ())]
            if rep % 2:
                order.reverse()
            seconds = {name: ingest(db, options.repos, options.jobs, *extra) for name, db, extra in order}
            alone = ingest(without, options.repos, options.jobs)
            rows = inventory_rows(with_stack)
        ratio = seconds["with"] / seconds["without"]
        ratios.append(ratio)
        print(
            f"rep {rep + 1}: ingest git without the inventory {seconds['without']:.1f} s, with it "
            f"{seconds['with']:.1f} s: ratio {ratio:.3f}; the inventory on its own (HEAD unchanged) {alone:.1f} s"
        )
        print(f"  inventory rows: {json.dumps(rows)}")
    median = statistics.median(ratios)
    verdict = "PASS" if median < TARGET else "FAIL"
    print(f"median ratio with/without: {median:.3f} (target < {TARGET:.2f}): {verdict}")
    return 0 if median < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
