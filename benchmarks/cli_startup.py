"""Benchmark: the commands that should answer at once, against Python starting and stopping.

Usage:
    python benchmarks/cli_startup.py REPO [--reps 7] [--work FOLDER]

Times, in turn and ``--reps`` times each, as whole processes (Python start-up included):
  1. the reference: ``python -c pass`` (the interpreter alone);
  2. ``quarterdeck --help``;
  3. ``quarterdeck ingest git REPO`` on a warehouse that already holds REPO (nothing changed).
The warehouse is made once, before, by a full ingest of REPO (not timed). Prints each
command's median and min..max seconds, user+system CPU seconds of the process and its
children, and the ratio of each median to the reference's. Python runs with its bytecode
cache on (PYTHONDONTWRITEBYTECODE is dropped), as an installed copy does.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, with children) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr.decode(errors='replace')[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("repo", type=Path)
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--work", type=Path, help="Folder for the warehouse (default: a temp folder).")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUARTERDECK_") and k != "PYTHONDONTWRITEBYTECODE"}
    work = args.work or Path(tempfile.mkdtemp(prefix="qd-startup-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "startup.duckdb"
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    quarterdeck = [sys.executable, "-m", "quarterdeck"]
    ingest = [*quarterdeck, "--db", str(db), "ingest", "git", str(args.repo.resolve()), "--format", "json"]
    run(ingest, env)  # the full ingest, not timed
    commands = {
        "reference: python -c pass": [sys.executable, "-c", "pass"],
        "quarterdeck --help": [*quarterdeck, "--help"],
        "unchanged ingest git": ingest,
    }
    for cmd in commands.values():
        run(cmd, env)  # warm-up: bytecode written, files in the page cache
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.reps):
        for name, cmd in commands.items():
            times[name].append(run(cmd, env))
    reference = statistics.median(w for w, _ in times["reference: python -c pass"])
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the end; {args.reps} runs each")
    for name, runs in times.items():
        walls = [w for w, _ in runs]
        row = {
            "command": name,
            "median_s": round(statistics.median(walls), 3),
            "min_s": round(min(walls), 3),
            "max_s": round(max(walls), 3),
            "median_cpu_s": round(statistics.median(c for _, c in runs), 3),
            "ratio_to_reference": round(statistics.median(walls) / reference, 2),
        }
        print(json.dumps(row))


if __name__ == "__main__":
    main()
