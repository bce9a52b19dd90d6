"""Benchmark: what deployments shipped, on a real repository's history.

Usage:
    python benchmarks/delivery_links.py --repo PATH [--every 5] [--reps 3] [--db FILE]

1. Ingests the repository's branches (``ingest git PATH --refs refs/heads``) into a
   warehouse, unless ``--db`` names one that holds it already.
2. Writes a deployment log: a successful production deployment of every ``--every``-th
   commit of the default branch's first-parent line, oldest first, finishing 30 minutes
   after that commit was made (so consecutive deployments ship every commit of the history
   once between them, merged branches included).
3. Each repetition, on a fresh copy of the warehouse: the import of that log (which walks
   the commit graph from each deployment to the previous one), against a reference measured
   in the same run: one ``git rev-list --count LAST ^FIRST``, git walking the same commits
   natively. It prints seconds of each and the ratio.
4. Checks the result: the commits shipped, all deployments together, must be exactly the
   ``git rev-list LAST ^FIRST`` of git.
5. Times lead_time_for_changes and merge_to_deploy_time over the whole history, in one
   process (median of ``--reps``).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from quarterdeck.config import Settings  # noqa: E402
from quarterdeck.ingest.delivery import load_files  # noqa: E402
from quarterdeck.metrics import MetricQuery, get_metric, run_metric  # noqa: E402
from quarterdeck.store import open_warehouse  # noqa: E402


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def ingest(repo: Path, db: Path) -> str:
    """Ingest the repository's branches; returns its name in the warehouse."""
    subprocess.run(
        [sys.executable, "-m", "quarterdeck", "--db", str(db), "ingest", "git", str(repo), "--refs", "refs/heads"],
        check=True,
        capture_output=True,
    )
    with open_warehouse(db, read_only=True) as warehouse:
        return str(warehouse.value("SELECT name FROM repositories ORDER BY repository_id LIMIT 1"))


def deployment_log(repo: Path, repository: str, every: int, out: Path) -> tuple[list[str], date, date]:
    """Every ``every``-th first-parent commit, oldest first, as a deployment CSV."""
    lines = git(repo, "log", "--first-parent", "--reverse", "--format=%H %ct").split("\n")
    picked = [line.split() for line in lines if line][::every]
    rows = ["id,service,environment,commit_sha,started_at,finished_at,result,repository"]
    for number, (sha, seconds) in enumerate(picked, start=1):
        finished = datetime.fromtimestamp(int(seconds), UTC) + timedelta(minutes=30)
        started = finished - timedelta(minutes=10)
        rows.append(
            f"deploy-{number},app,production,{sha},{started.isoformat()},{finished.isoformat()},success,{repository}"
        )
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    first = datetime.fromtimestamp(int(picked[0][1]), UTC).date()
    last = datetime.fromtimestamp(int(picked[-1][1]), UTC).date() + timedelta(days=1)
    return [sha for sha, _ in picked], first, last


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", type=Path, required=True)
    parser.add_argument("--every", type=int, default=5)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--db", type=Path, help="a warehouse that holds the repository already")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="qd-links-"))
    try:
        base = args.db or work / "git.duckdb"
        repository = ingest(args.repo, base) if args.db is None else _name(base)
        shas, first, last = deployment_log(args.repo, repository, args.every, work / "deployments.csv")
        expected = int(git(args.repo, "rev-list", "--count", shas[-1], f"^{shas[0]}"))
        print(f"repository {args.repo} ({repository}): {len(shas):,} deployments, {expected:,} commits between them")
        ours, reference = [], []
        for rep in range(args.reps):
            db = work / f"rep{rep}.duckdb"
            shutil.copy(base, db)
            reference.append(timed(lambda: git(args.repo, "rev-list", "--count", shas[-1], f"^{shas[0]}")))
            with open_warehouse(db) as warehouse:
                ours.append(
                    timed(
                        lambda w=warehouse, d=db: load_files(
                            w, Settings(db=d), "deployments", [d.parent / "deployments.csv"]
                        )
                    )
                )
            print(f"rep {rep + 1}: import and walk {ours[-1]:.2f} s, git rev-list {reference[-1]:.2f} s")
        with open_warehouse(db, read_only=True) as warehouse:
            shipped = warehouse.value("SELECT count(DISTINCT sha) FROM deployment_commits")
            verdict = "match" if shipped == expected else "MISMATCH"
            print(f"shipped: {shipped:,} commits; git rev-list LAST ^FIRST: {expected:,} -> {verdict}")
            _time_metrics(warehouse, first, last, args.reps)
        o, r = statistics.median(ours), statistics.median(reference)
        print(f"import and walk: median {o:.2f} s, reference {r:.2f} s, ratio {o / r:.1f}")
        return 0 if shipped == expected else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _time_metrics(warehouse, first: date, last: date, reps: int) -> None:
    for name in ("lead_time_for_changes", "merge_to_deploy_time"):
        query = MetricQuery(since=first, until=last, grain="quarter")
        times = [timed(lambda n=name, q=query: run_metric(warehouse, get_metric(n), q)) for _ in range(reps)]
        rows = run_metric(warehouse, get_metric(name), query).rows
        changes = sum(r[2] for r in rows)
        print(f"{name}: {statistics.median(times) * 1000:.0f} ms over {first} .. {last} ({changes:,} changes)")


def _name(db: Path) -> str:
    with open_warehouse(db, read_only=True) as warehouse:
        return str(warehouse.value("SELECT name FROM repositories ORDER BY repository_id LIMIT 1"))


if __name__ == "__main__":
    raise SystemExit(main())
