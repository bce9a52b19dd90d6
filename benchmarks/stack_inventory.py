"""Benchmark: what the tech-stack inventory adds to a full ``quarterdeck ingest git``.

Usage:
    python benchmarks/stack_inventory.py REPOS [--reps 1] [--jobs N]

Each repetition runs, one after the other on the same machine, into fresh warehouses:
  1. ``quarterdeck ingest git REPOS --no-stack`` (history and files at HEAD, no inventory);
  2. ``quarterdeck ingest git REPOS`` (the same, with the inventory read at HEAD);
  3. ``quarterdeck ingest git REPOS`` again on the warehouse of step 1: HEAD did not change, so
     only the inventory is read (from the files already measured);
  4. ``quarterdeck ingest git REPOS`` again on the warehouse of step 2: nothing to read at all
     (the unchanged check of every repository), which step 3 also pays: step 3 less step 4 is
     the inventory on its own.
Steps 1 and 2 swap places every other repetition. It prints the seconds of each, the ratio
of step 2 to step 1 (target: under 1.10, docs/performance.md), the inventory on its own as a
share of step 1, and the rows the inventory wrote. On a machine shared with other work, the
share is the steadier number: steps 1 and 2 take minutes each and the load moves between
them. Ratios, not absolute seconds, are comparable across machines.
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
    ratios: list[float] = []
    shares: list[float] = []
    for rep in range(options.reps):
        with tempfile.TemporaryDirectory(prefix="stack-bench-") as folder:
            without, with_stack = Path(folder) / "without.duckdb", Path(folder) / "with.duckdb"
            order = [("without", without, ("--no-stack",)), ("with", with_stack, ())]
            if rep % 2:
                order.reverse()
            seconds = {name: ingest(db, options.repos, options.jobs, *extra) for name, db, extra in order}
            inventory_only = ingest(without, options.repos, options.jobs)
            unchanged = ingest(with_stack, options.repos, options.jobs)
            rows = inventory_rows(with_stack)
        ratio = seconds["with"] / seconds["without"]
        ratios.append(ratio)
        alone = max(inventory_only - unchanged, 0.0)
        shares.append(alone / seconds["without"])
        print(
            f"rep {rep + 1}: ingest git without the inventory {seconds['without']:.1f} s, with it "
            f"{seconds['with']:.1f} s: ratio {ratio:.3f}; HEAD unchanged: inventory only {inventory_only:.1f} s, "
            f"nothing to read {unchanged:.1f} s: the inventory on its own {alone:.1f} s, "
            f"{100 * shares[-1]:.1f} % of the ingest without it"
        )
        print(f"  inventory rows: {json.dumps(rows)}")
    median = statistics.median(ratios)
    share = statistics.median(shares)
    verdict = "PASS" if median < TARGET and share < TARGET - 1 else "FAIL"
    print(f"median ratio with/without: {median:.3f}; the inventory on its own: {100 * share:.1f} % "
          f"(target < {100 * (TARGET - 1):.0f} %): {verdict}")  # fmt: skip
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
