"""Benchmark: every input and the headline metrics on a simulated organization.

Usage:
    python benchmarks/simulated_org.py --sim DIR [--engineers 500] [--years 3] [--seed 7]
                                       [--db FILE] [--reps 3] [--json FILE]

1. ``--sim DIR`` is a folder written by ``quarterdeck simulate`` (its ``simulation.json``
   says so); when it has none, the simulation is written there first with the given
   arguments (500 engineers x 3 years: about 1.1M commits and 226k pull requests, 7 min on
   two cores), and its time is reported.
2. Into a fresh warehouse (``--db``, default a temporary file), one after the other, each
   through the real CLI (one process, Python start-up included) and each against a
   reference measured in the same run on the same files, the least any import must do:
   - ``ingest git DIR/git``: every repository; reference ``git log --branches --tags
     --numstat -M`` of every repository to /dev/null, as many at a time as the ingest runs;
   - ``ingest org``: the monthly HR exports and org files; reference DuckDB ``read_csv`` of
     every HR export, every field as text;
   - ``ingest deployments / incidents / ci-runs / availability / slos``: reference DuckDB
     ``read_csv`` (``read_json`` for incidents) of the same file;
   - ``ingest all`` of the simulated GitHub and Jira, served by the replay server in its
     own process; reference: the same requests sent with ``http.client``, bodies read and
     dropped (the cost of asking, with nothing converted or stored).
3. Every headline metric of the demo over the last whole quarter by team, ``--reps`` times
   each in one process (the warehouse opened once, as ``quarterdeck serve`` will), median
   seconds, against a reference query in the same process (commits per team that quarter).
It prints a table, and with ``--json`` writes the figures to a file.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import duckdb

DELIVERY = (
    ("deployments", "deployments.csv", "read_csv"),
    ("incidents", "incidents.ndjson", "read_json"),
    ("ci-runs", "ci-runs.csv", "read_csv"),
    ("availability", "availability.csv", "read_csv"),
    ("slos", "slos.yaml", None),
)
TOKENS = {
    "SIMULATION_GITHUB_TOKEN": "sim-token",
    "SIMULATION_JIRA_TOKEN": "sim-token",
    "SIMULATION_JIRA_EMAIL": "sim@acme.example",
}


def cli(db: Path, *arguments: str) -> float:
    """Seconds of one ``quarterdeck`` command (it must succeed)."""
    command = [sys.executable, "-m", "quarterdeck", *arguments, "--db", str(db), "--format", "json"]
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **TOKENS})
    seconds = time.perf_counter() - began
    if done.returncode not in (0, 3):  # 3: some records were reported as problems, the rest stored
        sys.exit(f"error: {' '.join(arguments[:2])} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds


def timed(work: Callable[[], object]) -> float:
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def git_reference(repositories: list[Path], jobs: int) -> float:
    def log(repo: Path) -> None:
        command = ["git", "-C", str(repo), "log", "--branches", "--tags", "--numstat", "-M"]
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True)

    with ThreadPoolExecutor(jobs) as pool:
        return timed(lambda: list(pool.map(log, repositories)))


def duckdb_reference(reader: str, files: list[Path]) -> float:
    """A fresh process loading ``files`` with DuckDB (every CSV field as text)."""
    options = ", all_varchar = true" if reader == "read_csv" else ""
    script = (
        "import duckdb, sys; con = duckdb.connect(); "
        f"con.execute('CREATE TABLE t AS SELECT * FROM {reader}(?{options})', [sys.argv[1:]])"
    )
    return timed(lambda: subprocess.run([sys.executable, "-c", script, *map(str, files)], check=True))


def api_reference(api: Path) -> tuple[float, int]:
    """Every recorded request sent to a replay server process with http.client, bodies dropped."""
    requests = []
    for file in sorted(api.rglob("*.responses.gz")):
        requests += [line.split(b"\t", 1)[0].decode() for line in gzip.decompress(file.read_bytes()).splitlines()]
    server = subprocess.Popen(
        [sys.executable, "-m", "quarterdeck.simulation.replay_server", str(api)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert server.stdout is not None
    host, port = server.stdout.readline().strip().removeprefix("http://").split(":")

    def ask_all() -> None:
        connection = http.client.HTTPConnection(host, int(port))
        for target in requests:
            connection.request("GET", target, headers={"Accept": "application/json"})
            connection.getresponse().read()

    seconds = timed(ask_all)
    server.communicate()
    return seconds, len(requests)


def api_sync(sim: Path, db: Path, work: Path) -> float:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from quarterdeck.simulation.replay_server import serve_api

    with serve_api(sim / "api", process=True) as server:
        project = server.write_project_file(work / "quarterdeck.yaml")
        return cli(db, "ingest", "all", "--project-file", str(project))


def metric_times(db: Path, first: date, last: date, reps: int) -> tuple[float, dict[str, float]]:
    from quarterdeck.cli.demo import HEADLINES
    from quarterdeck.config import Settings
    from quarterdeck.metrics import MetricQuery, get_metric, run_metric
    from quarterdeck.metrics.query import settings_query_fields
    from quarterdeck.store import open_warehouse

    settings = Settings(db=db)
    query = MetricQuery(since=first, until=last, grain="quarter", by="team", **settings_query_fields(settings))
    with open_warehouse(db, read_only=True) as warehouse:
        reference_sql = (
            "SELECT count(*), count(DISTINCT author_identity_id) FROM commits "
            "WHERE committer_time >= ? AND committer_time < ?"
        )
        window = [first, last + timedelta(days=1)]
        reference = statistics.median(
            timed(lambda: warehouse.con.execute(reference_sql, window).fetchall()) for _ in range(reps)
        )
        seconds = {}
        for name in HEADLINES:
            metric = get_metric(name)
            runs = [timed(lambda m=metric: run_metric(warehouse, m, query)) for _ in range(reps)]
            seconds[name] = statistics.median(runs)
    return reference, seconds


def last_quarter(manifest: dict) -> tuple[date, date]:
    from quarterdeck.cli.demo import last_whole_quarter

    return last_whole_quarter(date.fromisoformat(manifest["end"]) - timedelta(days=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sim", type=Path, required=True)
    parser.add_argument("--engineers", type=int, default=500)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows: list[tuple[str, float, float | None, str]] = []
    if not (args.sim / "simulation.json").exists():
        command = ["quarterdeck", "simulate", "--engineers", str(args.engineers), "--years", str(args.years),
                   "--seed", str(args.seed), "--out", str(args.sim), "--format", "json"]  # fmt: skip
        rows.append(("simulate", timed(lambda: subprocess.run(command, check=True, capture_output=True)), None, ""))
    manifest = json.loads((args.sim / "simulation.json").read_text())
    print(f"simulation: {manifest['written']}; {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, DuckDB {duckdb.__version__}", flush=True)  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="qd-bench-sim-") as scratch:
        work = Path(scratch)
        db = args.db or work / "warehouse.duckdb"
        if db.exists():
            sys.exit(f"error: {db} exists; give a new file to --db")
        repositories = sorted((args.sim / "git").glob("*.git"))
        git_seconds = cli(db, "ingest", "git", str(args.sim / "git"))
        reference = git_reference(repositories, os.cpu_count() or 1)
        rows.append(("ingest git", git_seconds, reference, "git log --numstat of every repository"))
        hr = sorted((args.sim / "hr").glob("*.csv"))
        org_files = hr + sorted((args.sim / "org").glob("*.yaml"))
        rows.append(("ingest org", cli(db, "ingest", "org", *map(str, org_files)),
                     duckdb_reference("read_csv", hr), "DuckDB read_csv of the HR exports"))  # fmt: skip
        for kind, name, reader in DELIVERY:
            path = args.sim / "delivery" / name
            reference = duckdb_reference(reader, [path]) if reader else None
            rows.append((f"ingest {kind}", cli(db, "ingest", kind, str(path)), reference, f"DuckDB {reader or '-'}"))
        api_seconds, requests = api_reference(args.sim / "api")
        rows.append(("ingest all (GitHub, Jira)", api_sync(args.sim, db, work), api_seconds,
                     f"{requests:,} requests with http.client, bodies dropped"))  # fmt: skip
        first, last = last_quarter(manifest)
        reference, seconds = metric_times(db, first, last, args.reps)
        for name, value in seconds.items():
            rows.append((f"metric {name} by team, {first}..{last}", value, reference, "commits per team that quarter"))
        print(f"{'step':<62} {'seconds':>9} {'reference':>10} {'ratio':>7}  reference")
        for step, value, ref, what in rows:
            ratio = f"{value / ref:7.2f}" if ref else "      -"
            print(f"{step:<62} {value:9.3f} {(ref or 0):10.3f} {ratio}  {what}")
        if args.json:
            figures = [{"step": s, "seconds": v, "reference_seconds": r, "reference": w} for s, v, r, w in rows]
            args.json.write_text(json.dumps({"simulation": manifest["written"], "rows": figures}, indent=1) + "\n")


if __name__ == "__main__":
    main()
