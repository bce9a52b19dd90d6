"""Benchmark: ``quarterdeck org what-if`` on the 500-engineer simulated organization.

Usage:
    python benchmarks/org_what_if.py [--engineers 500] [--years 1] [--seed 7] [--reps 5] [--folder DIR]

1. The organization's files as ``quarterdeck simulate --engineers N --years Y --seed S``
   writes them (its organization step alone: HR exports, org files and the example
   ``plans/proposed-org.yaml``; no git repositories, which the what-if does not read), then
   ``quarterdeck ingest org`` of them into a fresh warehouse through the real CLI.
2. A proposed org for the last month end from the simulator's own writer
   (``simulation.org_proposal``): the largest teams split until about 50 people move, and 5
   teams re-parented.
3. In one process, the warehouse opened once, ``--reps`` times each, median seconds:
   the what-if (``planning.reorg_compare.what_if``: read and check the file, the org on the
   date, the proposal applied, both sides' figures and org checks) against the reference
   ``load_org`` alone on the same date. Then the whole command once through the CLI
   (Python start-up included), for information.
Target (issue 17): a what-if on the 500-engineer organization under 1 s. Before the
timings, the benchmark checks that the org counted again in Python equals ``load_org``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.machine import cpu_model

from quarterdeck.config import Settings
from quarterdeck.metrics.org_design import load_org
from quarterdeck.planning.reorg import rebuild
from quarterdeck.planning.reorg_compare import what_if
from quarterdeck.simulation.org import build_world
from quarterdeck.simulation.org_files import write_org_files
from quarterdeck.simulation.org_params import OrgParams
from quarterdeck.simulation.org_proposal import proposed_org_yaml
from quarterdeck.simulation.org_state import month_ends
from quarterdeck.store import open_warehouse

TARGET_SECONDS = 1.0


def median_seconds(work: Callable[[], object], reps: int) -> float:
    times = []
    for _ in range(reps):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engineers", type=int, default=500)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--folder", type=Path, help="Where to write the files and the warehouse (default: temporary).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quarterdeck-what-if-") as scratch:
        run(args, args.folder or Path(scratch))


def run(args: argparse.Namespace, folder: Path) -> None:
    sim, db = folder / "sim", folder / "org.duckdb"
    world = build_world(OrgParams(engineers=args.engineers, years=args.years), args.seed)
    write_org_files(world, sim)
    day = month_ends(world.start, world.end)[-1]
    files = sorted((sim / "hr").glob("*.csv")) + sorted((sim / "org").glob("*.yaml"))
    began = time.perf_counter()
    command = [sys.executable, "-m", "quarterdeck", "--db", str(db), "ingest", "org", *map(str, files)]
    subprocess.run(command, check=True, capture_output=True)
    print(f"ingest org ({len(files)} files): {time.perf_counter() - began:.1f} s", flush=True)
    proposal = sim / "plans" / "benchmark-org.yaml"
    proposal.write_text(proposed_org_yaml(world, day, moves=50, reparent=5), encoding="utf-8")
    settings = Settings(db=db)
    with open_warehouse(db, read_only=True) as warehouse:
        org = load_org(warehouse, day)
        again = rebuild(org, org.people, org.units)
        assert again.people == org.people and again.vacancies == org.vacancies, "the Python count differs"
        result = what_if(warehouse, proposal, day, settings)
        reference = median_seconds(lambda: load_org(warehouse, day), args.reps)
        seconds = median_seconds(lambda: what_if(warehouse, proposal, day, settings), args.reps)
    began = time.perf_counter()
    cli = [sys.executable, "-m", "quarterdeck", "--db", str(db), "org", "what-if", str(proposal), "--format", "json"]
    subprocess.run(cli, check=True, capture_output=True)
    whole = time.perf_counter() - began
    added = len(result.proposal.add)
    reparented = sum(1 for c in result.proposal.change if c.parent is not None)
    changed = len(result.moves)
    print(f"organization on {day}: {len(org.people)} people, {len(org.units)} units; proposal: {added} teams "
          f"added, {reparented} re-parented, {len(result.proposal.moves)} moves ({changed} people change team or "
          f"manager); {len(result.new_findings)} new findings, {len(result.resolved_findings)} resolved")  # fmt: skip
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}")
    print(f"what-if (median of {args.reps}):          {seconds:.3f} s")
    print(f"reference load_org (median of {args.reps}): {reference:.3f} s")
    print(f"ratio what-if / load_org:        {seconds / reference:.2f}")
    print(f"quarterdeck org what-if (CLI, once, start-up included): {whole:.2f} s")
    verdict = "PASS" if seconds < TARGET_SECONDS else "FAIL"
    print(f"{verdict}: what-if {seconds:.3f} s against the target of < {TARGET_SECONDS:.0f} s")
    if verdict == "FAIL":
        sys.exit(1)


if __name__ == "__main__":
    main()
