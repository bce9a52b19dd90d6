"""Benchmark: Quarterdeck's git ingest against one ``git log --numstat`` on the same repository.

Usage:
    python benchmarks/git_ingest.py REPO [--reps 3] [--jobs N] [--refs refs/heads refs/tags]
                                    [--reference-repo COMPLETE_COPY]

Each repetition runs, one after the other on the same machine:
  1. the reference: one ``git log --branches --tags --numstat -M`` process, output to /dev/null;
  2. ``quarterdeck ingest git REPO`` into a fresh warehouse (full ingest);
  3. the same command again on that warehouse (nothing changed: the incremental check).
It prints commits/s of each, the throughput ratio (reference seconds / Quarterdeck seconds,
from the same repetition), and the medians over the repetitions. Then one more full ingest,
not timed, measures peak memory: Quarterdeck's own process, and the sum over it and its git
processes (RSS, and PSS, which shares pages that several git processes map from the same
pack file fairly between them), sampled every 50 ms. (Sampling /proc during a timed run
slowed that run by several percent on a 2-core machine, hence the separate run.)
Ratios, not absolute seconds, are comparable across machines.

A partial clone whose absent blobs cannot be fetched makes the reference ``git log
--numstat`` stop at the first of them; ``--reference-repo`` then names a complete copy of
the same history for the reference, and REPO is what Quarterdeck ingests. Python runs with
its bytecode cache on (PYTHONDONTWRITEBYTECODE is dropped), as an installed copy does.
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
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def git_dir_args(repo: Path) -> list[str]:
    dot_git = repo / ".git"
    return ["--git-dir", str(dot_git if dot_git.exists() else repo)]


def count_commits(repo: Path, refs: list[str]) -> int:
    out = subprocess.run(
        ["git", *git_dir_args(repo), "rev-list", "--count", *ref_flags(refs)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout)


def ref_flags(refs: list[str]) -> list[str]:
    """``git log`` revision flags for ref patterns (refs/heads -> --branches, ...)."""
    named = {"refs/heads": "--branches", "refs/tags": "--tags", "refs/remotes": "--remotes"}
    return [named.get(r.rstrip("/"), f"--glob={r}") for r in refs]


def process_tree(root: int) -> list[int]:
    """``root`` and all of its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                ppid = int(handle.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def rss_of(pid: int) -> int:
    """Resident memory of a process in bytes (cheap: /proc/PID/statm)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def pss_of(pid: int) -> int:
    """Proportional memory in bytes: pages mapped by several processes (git's pack files,
    mapped by every git process) are shared fairly between them. Costlier to read."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@dataclass
class Run:
    seconds: float
    peak_self: int = 0  # RSS of the process itself
    peak_tree_rss: int = 0  # sum of RSS over the process and its children
    peak_tree_pss: int = 0  # sum of PSS over the process and its children
    returncode: int = 0
    output: str = ""
    errors: str = ""


def timed(cmd: list[str], *, stdout: int | None = None, env: dict[str, str] | None = None, sample: bool = False) -> Run:
    """Run ``cmd`` and time it; with ``sample``, also follow its memory (that run is not
    used for timing: reading /proc while it runs slows it down on a 2-core machine)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=stdout if stdout is not None else subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    peaks = [0, 0, 0]
    done = threading.Event()

    def follow() -> None:
        ticks = 0
        while not done.wait(0.05):
            tree = process_tree(proc.pid)
            sizes = [rss_of(pid) for pid in tree]
            peaks[0] = max(peaks[0], sizes[0] if sizes else 0)
            peaks[1] = max(peaks[1], sum(sizes))
            ticks += 1
            if ticks % 4 == 0:  # PSS walks page tables: five times a second is enough
                peaks[2] = max(peaks[2], sum(pss_of(pid) for pid in tree))

    sampler = threading.Thread(target=follow, daemon=True)
    if sample:
        sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    if sample:
        sampler.join()
    return Run(
        seconds,
        peaks[0],
        peaks[1],
        peaks[2],
        proc.returncode,
        (out or b"").decode(errors="replace"),
        (err or b"").decode(errors="replace"),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("repo", type=Path)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--refs", nargs="+", default=["refs/heads", "refs/tags"])
    parser.add_argument("--work", type=Path, help="Folder for the warehouses (default: a temp folder).")
    parser.add_argument("--reference-repo", type=Path, help="Run the reference on this complete copy of REPO.")
    args = parser.parse_args()
    repo = args.repo.resolve()
    commits = count_commits(repo, args.refs)
    work = args.work or Path(tempfile.mkdtemp(prefix="qd-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUARTERDECK_") and k != "PYTHONDONTWRITEBYTECODE"}
    reference_repo = (args.reference_repo or repo).resolve()
    if reference_repo != repo and count_commits(reference_repo, args.refs) != commits:
        sys.exit(f"{reference_repo} does not hold the same {commits:,} commits as {repo}")
    reference_cmd = ["git", *git_dir_args(reference_repo), "log", *ref_flags(args.refs), "--numstat", "-M"]
    print(
        f"repository {repo}: {commits:,} commits ({' '.join(args.refs)}); jobs {args.jobs}; "
        f"{os.cpu_count()} cores; {platform.machine()} {platform.python_version()}; "
        f"git {subprocess.run(['git', '--version'], capture_output=True, text=True).stdout.split()[-1]}"
    )
    print(f"reference: {' '.join(reference_cmd)} > /dev/null")
    rows = []
    for rep in range(1, args.reps + 1):
        with open(os.devnull, "wb") as null:
            reference = timed(reference_cmd, stdout=null.fileno())
        if reference.returncode != 0:
            sys.exit(f"reference git log failed: {reference.errors.strip()[-500:]}")
        db = fresh_db(work / f"bench-{rep}.duckdb")
        full = ingest(db, repo, args, env)
        again = ingest(db, repo, args, env)
        row = {
            "rep": rep,
            "reference_s": round(reference.seconds, 2),
            "reference_commits_per_s": round(commits / reference.seconds),
            "quarterdeck_s": round(full.seconds, 2),
            "quarterdeck_commits_per_s": round(commits / full.seconds),
            "ratio": round(reference.seconds / full.seconds, 2),
            "unchanged_reingest_s": round(again.seconds, 2),
            "commits_stored": json.loads(full.output)["rows"][0]["new_commits"],
        }
        rows.append(row)
        print(json.dumps(row))
        fresh_db(db)
    keys = [k for k in rows[0] if k not in ("rep", "commits_stored")]
    median = {k: statistics.median(r[k] for r in rows) for k in keys}
    print("median " + json.dumps(median))
    memory = ingest(fresh_db(work / "bench-memory.duckdb"), repo, args, env, sample=True)
    fresh_db(work / "bench-memory.duckdb")
    print(
        "memory (one more full ingest, sampled every 50 ms, not timed) "
        + json.dumps(
            {
                "peak_rss_quarterdeck_mb": round(memory.peak_self / 2**20),
                "peak_rss_with_git_mb": round(memory.peak_tree_rss / 2**20),
                "peak_pss_with_git_mb": round(memory.peak_tree_pss / 2**20),
            }
        )
    )


def fresh_db(db: Path) -> Path:
    """``db`` with no warehouse (or write-ahead log) left from an earlier repetition."""
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    return db


def ingest(db: Path, repo: Path, args: argparse.Namespace, env: dict[str, str], *, sample: bool = False) -> Run:
    cmd = [
        sys.executable,
        "-m",
        "quarterdeck",
        "--db",
        str(db),
        "ingest",
        "git",
        str(repo),
        "--jobs",
        str(args.jobs),
        "--format",
        "json",
        *[f"--refs={r}" for r in args.refs],
    ]
    run = timed(cmd, env=env, sample=sample)
    if run.returncode != 0:
        sys.exit(f"quarterdeck ingest failed:\n{run.errors[-2000:]}")
    return run


if __name__ == "__main__":
    main()
