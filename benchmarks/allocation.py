"""Benchmark: investment allocation for one year of the 500-engineer, 3-year simulation.

Usage:
    python benchmarks/allocation.py --sim DIR [--db FILE] [--reps 5]
                                    [--engineers 500] [--years 3] [--seed 7]

1. ``--sim DIR`` is a folder written by ``quarterdeck simulate`` (its ``simulation.json``
   says so); when it has none, ``quarterdeck simulate --engineers 500 --years 3 --seed 7``
   writes it there first.
2. ``--db FILE``: a warehouse holding that simulation. When the file does not exist it is
   built through the real CLI: ``ingest git``, ``ingest org`` (the HR exports and org
   files), ``ingest all`` of the simulated GitHub and Jira (served by the replay server in
   its own process), and the simulation's investment rules file
   (``finance/investment-rules.yaml``; the rules below when it has none: the simulated
   issues carry their category as a label). Without ``--db`` a temporary warehouse is built and removed.
3. In one process with the warehouse opened once (as ``quarterdeck serve`` does, so Python
   start-up is not counted), ``--reps`` times each, median seconds:
   - the reference: a plain DuckDB scan of the same activity tables over the same year
     (commits, pull requests, reviews and issue status changes, each filtered on its time
     column and counted per author: the least any allocation must read);
   - ``investment_allocation`` for the last whole calendar year of the simulation, by team,
     monthly (people months, the units of work, the rules, the spread, the grouping);
   - ``investment_allocation`` by unit, and the drill-down ``investment_allocation_items``
     by team (reported beside, not part of the target).
Target (issue 16): investment allocation for one year under 5 s. It prints seconds and the
ratio against the reference; a missed target is reported, the exit status is 0 unless a
step failed.
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
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from simulated_org import TOKENS, api_sync

TARGET_S = 5.0
RULES = """\
rules:
  - category: bugs
    issue_type: Bug
  - category: tech_debt
    labels: tech-debt
  - category: keep_the_lights_on
    labels: keep-the-lights-on
  - category: new_capability
    labels: feature
"""
REFERENCE = """
SELECT
    (SELECT count(*) FROM (SELECT author_identity_id, count(*) FROM commits
        WHERE author_time >= $1 AND author_time < $2 GROUP BY ALL)),
    (SELECT count(*) FROM (SELECT author_login, count(*) FROM pull_requests
        WHERE created_at >= $1 AND created_at < $2 GROUP BY ALL)),
    (SELECT count(*) FROM (SELECT reviewer_login, count(*) FROM pr_reviews
        WHERE submitted_at >= $1 AND submitted_at < $2 GROUP BY ALL)),
    (SELECT count(*) FROM (SELECT author, count(*) FROM issue_transitions
        WHERE changed_at >= $1 AND changed_at < $2 GROUP BY ALL))
"""


def cli(db: Path, *arguments: str) -> float:
    """Seconds of one ``quarterdeck`` command (it must succeed)."""
    command = [sys.executable, "-m", "quarterdeck", *arguments, "--db", str(db), "--format", "json"]
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **TOKENS})
    if done.returncode not in (0, 3):  # 3: some records were reported as problems, the rest stored
        sys.exit(f"error: {' '.join(arguments[:2])} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return time.perf_counter() - began


def timed(work: Callable[[], object]) -> float:
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def build(sim: Path, db: Path, work: Path) -> list[tuple[str, float]]:
    """The simulation in a new warehouse through the CLI; seconds of each step."""
    steps = [("ingest git", cli(db, "ingest", "git", str(sim / "git")))]
    org_files = sorted((sim / "hr").glob("*.csv")) + sorted((sim / "org").glob("*.yaml"))
    steps.append(("ingest org", cli(db, "ingest", "org", *map(str, org_files))))
    steps.append(("ingest all (GitHub, Jira)", api_sync(sim, db, work)))
    rules = sim / "finance" / "investment-rules.yaml"  # the simulator's own, when it writes one
    if not rules.exists():
        rules = work / "investment-rules.yaml"
        rules.write_text(RULES)
    steps.append(("ingest investment-rules", cli(db, "ingest", "investment-rules", str(rules))))
    return steps


def last_year(manifest: dict) -> tuple[date, date]:
    """The last whole calendar year the simulation covers."""
    final = date.fromisoformat(manifest["end"]) - timedelta(days=1)  # "end" is the first day after it
    year = final.year if final == date(final.year, 12, 31) else final.year - 1
    return date(year, 1, 1), date(year, 12, 31)


def measure(db: Path, first: date, last: date, reps: int) -> list[tuple[str, float, int]]:
    """Median seconds (and rows) of the reference and the allocation metrics."""
    from quarterdeck.config import Settings
    from quarterdeck.metrics import MetricQuery, get_metric, run_metric
    from quarterdeck.metrics.query import resolve_window, settings_query_fields
    from quarterdeck.store import open_warehouse

    settings = Settings(db=db)
    fields = settings_query_fields(settings)
    found = []
    with open_warehouse(db, read_only=True) as warehouse:
        window = resolve_window(get_metric("investment_allocation"), MetricQuery(since=first, until=last, **fields))
        bounds = [window.start, window.end]
        counts = warehouse.con.execute(REFERENCE, bounds).fetchone()
        runs = [timed(lambda: warehouse.con.execute(REFERENCE, bounds).fetchall()) for _ in range(reps)]
        found.append(("reference: DuckDB scan of the year's activity", statistics.median(runs), sum(counts or ())))
        for name, by in (("investment_allocation", "team"), ("investment_allocation", "unit"),
                         ("investment_allocation_items", "team")):  # fmt: skip
            metric = get_metric(name)
            query = MetricQuery(since=first, until=last, grain="month", by=by, **fields)
            result = run_metric(warehouse, metric, query)
            runs = [timed(lambda m=metric, q=query: run_metric(warehouse, m, q)) for _ in range(reps)]
            found.append((f"{name} --by {by}", statistics.median(runs), len(result.rows)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sim", type=Path, required=True)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--engineers", type=int, default=500)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not (args.sim / "simulation.json").exists():
        command = [sys.executable, "-m", "quarterdeck", "simulate", "--engineers", str(args.engineers),
                   "--years", str(args.years), "--seed", str(args.seed), "--out", str(args.sim)]  # fmt: skip
        print(f"simulate: {timed(lambda: subprocess.run(command, check=True, capture_output=True)):.1f} s", flush=True)
    manifest = json.loads((args.sim / "simulation.json").read_text())
    print(f"simulation: {manifest['written']}; {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, DuckDB {duckdb.__version__}", flush=True)  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="qd-bench-alloc-") as scratch:
        db = args.db or Path(scratch) / "warehouse.duckdb"
        if not db.exists():
            for step, seconds in build(args.sim, db, Path(scratch)):
                print(f"{step:<48} {seconds:9.1f} s", flush=True)
        first, last = last_year(manifest)
        rows = measure(db, first, last, args.reps)
    reference = rows[0][1]
    print(f"\nyear {first} .. {last}, medians of {args.reps} runs in one process")
    print(f"{'query':<48} {'seconds':>9} {'ratio':>7} {'rows':>10}")
    for name, seconds, count in rows:
        print(f"{name:<48} {seconds:9.3f} {seconds / reference:7.1f} {count:10,}")
    headline = rows[1][1]
    verdict = "met" if headline < TARGET_S else "MISSED"
    print(f"\ntarget: investment_allocation for one year under {TARGET_S:.0f} s: {headline:.2f} s, {verdict}")


if __name__ == "__main__":
    main()
