"""Benchmark: promotion readiness for 5,000 people (issue 18: under 1 s).

Usage:
    python benchmarks/readiness.py [--people 5000] [--reps 5] [--seed 7] [--keep DIR]

1. Writes a synthetic organization and its assessments into a temporary folder (or
   ``--keep DIR``): two HR snapshots a year apart (people-YYYY-MM-DD.csv, 50 teams, IC1-IC6
   and M1-M3 of the built-in ladder, about one in six promoted between the snapshots) and
   assessments.csv (every person rated in each competency of their next level on three days,
   the ratings rising by chance), then ingests them through the real CLI (ingest org, ingest
   assessments) into a new warehouse.
2. In one process with the warehouse opened once (as ``quarterdeck serve`` does), ``--reps``
   times each, median seconds:
   - the reference: plain DuckDB reading what readiness must read, each person's periods
     and their latest rating per competency (``arg_max`` grouped), fetched into Python;
   - ``metrics.readiness.readiness`` on the day after the last ratings: the HR levels
     checked against the ladder, time in level, readiness, the pipeline estimate.
Prints seconds, the ratio against the reference, and whether the 1 s target is met.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

TARGET_S = 1.0
LEVELS = ("IC1", "IC2", "IC3", "IC4", "IC5", "IC6", "M1", "M2", "M3")
WEIGHTS = (8, 20, 30, 20, 10, 3, 6, 2, 1)
SNAPSHOTS = (date(2025, 6, 30), date(2026, 6, 30))
RATED = (date(2025, 12, 31), date(2026, 3, 31), date(2026, 6, 30))
HEADER = "id,name,email,title,level,role,manager_id,team,location,employment_type,start_date,end_date,annual_cost\n"
REFERENCE_PERIODS = "SELECT person_id, valid_from, valid_to, team_id, level FROM person_periods ORDER BY ALL"
REFERENCE_RATINGS = """
SELECT person_id, competency, arg_max(rating, assessed_on), count(*)
FROM assessments WHERE assessed_on <= $1 GROUP BY ALL
"""


def write_inputs(folder: Path, people: int, seed: int) -> list[Path]:
    """The org file, both snapshots and the assessments; the paths to ingest, in order."""
    from quarterdeck.config.ladder_file import default_ladder

    ladder, rng = default_ladder(), random.Random(seed)
    teams = [f"team{t:02d}" for t in range(50)]
    (folder / "org-2025-01-01.yaml").write_text("teams:\n" + "".join(f"  - id: {t}\n    name: {t}\n" for t in teams))
    first, second, ratings = [HEADER], [HEADER], ["person,competency,rating,date,assessor\n"]
    for n in range(people):
        level = rng.choices(LEVELS, WEIGHTS)[0]
        after = ladder.next_level(level)
        promoted = after is not None and rng.random() < 1 / 6
        team = rng.choice(teams)
        row = f"P{n},Person {n},p{n}@example.com,Engineer,{{}},engineer,,{team},Berlin,full-time,2022-01-01,,1\n"
        first.append(row.format(level))
        second.append(row.format(after.id if promoted else level))
        current = after.id if promoted and after else level
        target = ladder.next_level(current)
        for competency, need in ladder.expected_at(target.id if target else current).items():
            rating = max(1, need - rng.randint(0, 2))
            for day in RATED:
                ratings.append(f"P{n},{competency},{min(rating, max(ladder.scale))},{day},Lead\n")
                rating += rng.random() < 0.3
    files = [folder / "org-2025-01-01.yaml"]
    for day, lines in zip(SNAPSHOTS, (first, second), strict=True):
        files.append(folder / f"people-{day}.csv")
        files[-1].write_text("".join(lines))
    (folder / "assessments.csv").write_text("".join(ratings))
    return files


def cli(db: Path, *arguments: str) -> float:
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "quarterdeck", *arguments, "--db", str(db)], capture_output=True,
                          text=True)  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"error: {' '.join(arguments[:2])} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return time.perf_counter() - began


def median_seconds(work: Callable[[], object], reps: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(reps):
        began = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="write the inputs and the warehouse here (kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "readiness.duckdb"
        db.unlink(missing_ok=True)
        files = write_inputs(folder, args.people, args.seed)
        print(f"ingest org: {cli(db, 'ingest', 'org', *map(str, files)):.2f} s")
        print(f"ingest assessments: {cli(db, 'ingest', 'assessments', str(folder / 'assessments.csv')):.2f} s")
        measure(db, args.reps)


def measure(db: Path, reps: int) -> None:
    from quarterdeck.metrics.ladder import current_ladder
    from quarterdeck.metrics.readiness import readiness
    from quarterdeck.store import open_warehouse

    at = date(2026, 7, 1)
    with open_warehouse(db, read_only=True) as warehouse:

        def reference() -> int:
            periods = warehouse.con.execute(REFERENCE_PERIODS).fetchall()
            return len(periods) + len(warehouse.con.execute(REFERENCE_RATINGS, [at]).fetchall())

        ladder = current_ladder(warehouse)
        base, _ = median_seconds(reference, reps)
        seconds, rows = median_seconds(lambda: readiness(warehouse, ladder, at), reps)
    counted = {}
    for row in rows:  # type: ignore[union-attr]
        counted[row.pipeline] = counted.get(row.pipeline, 0) + 1
    print(f"people: {len(rows)}; pipeline: {dict(sorted(counted.items()))}")  # type: ignore[arg-type]
    print(f"reference (periods + latest ratings, plain DuckDB): {base * 1000:.1f} ms (median of {reps})")
    print(f"readiness: {seconds * 1000:.1f} ms (median of {reps}), ratio {seconds / base:.2f} to the reference")
    print(f"target {TARGET_S:g} s: {'met' if seconds < TARGET_S else 'MISSED'}")


if __name__ == "__main__":
    main()
