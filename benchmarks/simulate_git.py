"""Benchmark: writing simulated git repositories (``quarterdeck.simulation.git_writer``).

Usage:
    python benchmarks/simulate_git.py [--commits 100000] [--repos 40] [--workers 2] [--seed 1] [--keep DIR] [--verify]

Builds synthetic plans of work (pull requests of 1-6 commits merged with a merge commit,
squashed or left open, plus direct pushes, by 500 authors over 3 years, spread over
``--repos`` repositories), then times, one after the other on the same machine:
  1. the writer: ``write_repositories`` with ``--workers`` processes (each with its own
     ``git fast-import``), plans to finished repositories with SHAs and truth returned;
  2. the stream alone: the same fast-import streams generated into files (no git);
  3. the reference: ``git fast-import`` alone on those stream files, ``--workers`` at a
     time: the cost of the git objects themselves, which no writer can avoid.
It prints commits/s for each, the ratio writer / reference, and the time 1,000,000
commits would take at the writer's rate. ``--verify`` then compares every commit's truth with git log.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from quarterdeck.simulation.git_writer import (
    RepositoryJob,
    fast_import,
    fast_import_env,
    git_env,
    render_stream,
    write_repositories,
)
from quarterdeck.simulation.history import Author, BranchWork, Change, DirectCommit, Work
from quarterdeck.simulation.rng import Rng

LANGUAGES = ("python", "go", "typescript", "java")
ZONES = tuple(timezone(timedelta(hours=h)) for h in (-8, -5, 0, 1, 2, 5.5, 8))
START = datetime(2022, 1, 3, 9, 0, tzinfo=UTC)
YEARS = 3


def authors(count: int) -> list[tuple[Author, timezone]]:
    return [(Author(f"Engineer {i:03d}", f"engineer{i:03d}@example.com"), ZONES[i % len(ZONES)]) for i in range(count)]


def synthetic_plan(rng: Rng, people: list[tuple[Author, timezone]], commits: int, prefix: str) -> list[Work]:
    """About ``commits`` commits of work: 80 % of work items pull requests of 1-6 commits
    (merged 80 %, squashed 15 %, left open 5 %), 20 % direct pushes, spread over 3 years."""
    span = YEARS * 365 * 86400
    works: list[tuple[float, Work]] = []
    written = 0
    number = 0
    while written < commits:
        number += 1
        author, zone = rng.choice(people)
        begin = START + timedelta(seconds=rng.uniform(0, span))
        if rng.chance(0.2):
            works.append((begin.timestamp(), DirectCommit(_change(rng, f"{prefix}d{number}", author, zone, begin))))
            written += 1
            continue
        changes, when = [], begin
        for index in range(rng.integer(1, 6)):
            changes.append(_change(rng, f"pr-{number}-c{index}", author, zone, when))
            when += timedelta(hours=rng.lognormal(3, 1.0))
        roll = rng.random()
        merge = None
        if roll < 0.95:
            merger, merger_zone = rng.choice(people)
            merge = _change(rng, f"pr-{number}-m", merger, merger_zone, when + timedelta(hours=rng.lognormal(20, 1.0)))
        works.append((begin.timestamp(), BranchWork(f"pr-{number}", tuple(changes), merge, squash=0.8 <= roll < 0.95)))
        written += len(changes) + (merge is not None)
    works.sort(key=lambda item: item[0])
    return [work for _, work in works]


def _change(rng: Rng, key: str, author: Author, zone: timezone, when: datetime) -> Change:
    local = when.astimezone(zone)
    size = max(1, min(int(rng.lognormal(25, 1.1)), 1500))
    return Change(key, author, local, local + timedelta(minutes=rng.integer(0, 90)), f"Change {key}", size)


def build_jobs(base: Path, commits: int, repos: int, seed: int) -> list[RepositoryJob]:
    rng = Rng(seed, "benchmark")
    people = authors(500)
    jobs = []
    for index in range(repos):
        name = f"service-{index:03d}"
        share = commits // repos + (1 if index < commits % repos else 0)
        team = rng.sample(people, rng.integer(8, 40))
        plan = synthetic_plan(rng.child("plan", name), team, share, f"{name}-")
        jobs.append(RepositoryJob(base / f"{name}.git", name, LANGUAGES[index % 4], plan, rng.child("repo", name)))
    return jobs


def stream_to_file(job: RepositoryJob, out: Path) -> int:
    with out.open("wb") as sink:
        render_stream(sink, job.name, job.language, job.plan, job.rng)
    return out.stat().st_size


def import_stream(stream: Path, repo: Path) -> None:
    env = git_env()
    subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True, env=env)
    with stream.open("rb") as source:
        subprocess.run(["git", "-C", str(repo), *fast_import()], stdin=source, check=True, env=fast_import_env())


def in_pool(workers: int, function, *arguments) -> list:
    """``function`` over ``arguments`` in ``workers`` processes, reaped before returning (so
    their CPU time is counted)."""
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(function, *arguments))


def timed(label: str, commits: int, action) -> tuple[float, float]:
    """Run ``action``; print and return its wall seconds and CPU seconds (this process and
    every process it waited for, git included): CPU time is what another load on the
    machine does not inflate."""
    before = _cpu()
    started = time.perf_counter()
    action()
    seconds, cpu = time.perf_counter() - started, _cpu() - before
    print(f"{label:<34} {seconds:7.1f} s {commits / seconds:8,.0f} commits/s   CPU {cpu:7.1f} s")
    return seconds, cpu


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def verify(written: list) -> int:
    """Compare every commit's truth with ``git log --numstat -M`` (first parent); mismatches."""
    wrong = 0
    for repo in written:
        log = ["log", "--all", "--diff-merges=first-parent", "-M", "--numstat", "-z", "--format=%x01%H"]
        out = subprocess.run(["git", "--git-dir", str(repo.path), *log], capture_output=True, env=git_env(), check=True)
        for chunk in out.stdout.decode().split("\x01")[1:]:
            sha, tokens, lines = chunk[:40], iter(chunk[41:].split("\0")), []
            for token in tokens:
                if not token.strip("\n"):
                    continue
                added, deleted, path = token.lstrip("\n").split("\t")
                if not path:  # a rename: old path, then new path
                    next(tokens)
                    path = next(tokens)
                lines.append((path, int(added), int(deleted)))
            wrong += sorted(lines) != [(f.path, f.added, f.deleted) for f in repo.files[sha]]
    return wrong


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commits", type=int, default=100_000)
    parser.add_argument("--repos", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the repositories here and keep them")
    parser.add_argument("--verify", action="store_true", help="also check every commit's truth against git log")
    args = parser.parse_args(argv)
    base = args.keep or Path(tempfile.mkdtemp(prefix="qd-simgit-"))
    try:
        started = time.perf_counter()
        jobs = build_jobs(base / "repos", args.commits, args.repos, args.seed)
        planned = sum(len(j.plan) for j in jobs)
        print(f"plans: {planned:,} work items in {time.perf_counter() - started:.1f} s (not timed below)")
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        written: list = []
        seconds, cpu = timed(
            "writer (write_repositories)", args.commits, lambda: written.extend(write_repositories(jobs, args.workers))
        )
        commits = sum(len(w.shas) + 1 for w in written)
        files = sum(len(lines) for w in written for lines in w.files.values())
        streams = base / "streams"
        streams.mkdir(exist_ok=True)
        outs = [streams / f"{j.name}.fi" for j in jobs]
        sizes: list[int] = []
        timed("stream only (no git)", commits, lambda: sizes.extend(in_pool(args.workers, stream_to_file, jobs, outs)))
        repos = [base / "reference" / f"{j.name}.git" for j in jobs]
        reference, reference_cpu = timed(
            "reference: git fast-import alone", commits, lambda: in_pool(args.workers, import_stream, outs, repos)
        )
        pack = sum(f.stat().st_size for f in (base / "repos").rglob("*.pack"))
        print(f"commits written: {commits:,} (incl. initial commits), file changes in truth: {files:,}")
        print(f"stream: {sum(sizes) / 1e6:,.0f} MB, packs: {pack / 1e6:,.0f} MB")
        print(f"ratio writer / reference: {seconds / reference:.2f} wall, {cpu / reference_cpu:.2f} CPU")
        rate, cpu_rate = commits / seconds, commits / cpu
        print(f"1,000,000 commits: {1e6 / rate / 60:.1f} min at this wall rate with {args.workers} workers;")
        print(f"  {1e6 / cpu_rate / 60:.1f} CPU-min, {1e6 / cpu_rate / 60 / 2:.1f} min on 2 otherwise idle cores")
        if args.verify:
            print(f"commits whose truth differs from git log --numstat: {verify(written)}")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
