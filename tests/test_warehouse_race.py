"""Two ``quarterdeck`` processes creating the same new warehouse at the same moment: one
creates it and ingests, the other stops with the one-line "in use" message (exit 1, no
traceback), and a run that exits 0 always leaves its rows in the file.

Both processes are the real command line (``quarterdeck.cli.main``), started ahead and held
at a barrier after their imports, so that they reach the warehouse within a millisecond of
each other rather than a Python start-up apart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT
from tests.gitrepo import Repo, git
from tests.warehouse_rows import query

ROUNDS = 10
COMMITS = 150

# The real command line, held until the file ``go`` appears (``ready`` says it is waiting).
LAUNCHER = """
import os, sys, time
from quarterdeck.cli.main import main
ready, go = sys.argv[1], sys.argv[2]
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.0002)
sys.argv = ["quarterdeck", *sys.argv[3:]]
main()
"""


def small_history(commits: int) -> bytes:
    """``commits`` commits on main, each changing one file (git fast-import)."""
    out = []
    for n in range(1, commits + 1):
        text = f"line {n}\n".encode()
        message = f"change {n}".encode()
        out += [
            b"commit refs/heads/main\n",
            f"author Alice Example <alice@example.com> {1_600_000_000 + n * 60} +0000\n".encode(),
            f"committer Alice Example <alice@example.com> {1_600_000_000 + n * 60} +0000\n".encode(),
            f"data {len(message)}\n".encode() + message + b"\n",
            f"M 644 inline file{n % 20}.txt\ndata {len(text)}\n".encode() + text + b"\n",
        ]
    return b"".join(out)


def start(db: Path, repo: Path, ready: Path, go: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUARTERDECK_") and k != "COLUMNS"}
    return subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, str(ready), str(go),
         "--db", str(db), "ingest", "git", str(repo), "--format", "json"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def race(db: Path, repo: Path, folder: Path) -> list[tuple[int, str, str]]:
    """Start two runs on the new warehouse ``db`` at the same moment; their exit statuses
    and outputs."""
    go = folder / "go"
    ready = [folder / "ready-1", folder / "ready-2"]
    runs = [start(db, repo, r, go) for r in ready]
    deadline = time.monotonic() + 60
    while not all(r.exists() for r in ready) and time.monotonic() < deadline:
        time.sleep(0.005)
    go.touch()
    outputs = [p.communicate(timeout=120) for p in runs]
    return [(p.returncode, out, err) for p, (out, err) in zip(runs, outputs, strict=True)]


def test_two_runs_creating_the_same_warehouse_one_wins_the_other_is_told_it_is_in_use(tmp_path):
    repo = Repo.create(tmp_path / "repo")
    git(repo.path, "fast-import", "--quiet", input=small_history(COMMITS))
    outcomes = []
    for n in range(ROUNDS):
        folder = tmp_path / f"round{n}"
        folder.mkdir()
        db = folder / "new.duckdb"
        results = race(db, repo.path, folder)
        statuses = sorted(code for code, _, _ in results)
        for code, out, err in results:
            assert "Traceback" not in err, err
            if code == 0:
                assert json.loads(out)["rows"][0]["new_commits"] == COMMITS
            else:
                lines = err.strip().splitlines()
                assert code == 1 and len(lines) == 1, err
                assert lines[0].startswith(f"error: {db}: warehouse is in use by another process"), err
        assert statuses == [0, 1], results
        assert query(db, "SELECT count(*) FROM commits") == [(COMMITS,)]  # never an empty warehouse
        assert sorted(p.name for p in folder.iterdir()) == ["go", "new.duckdb", "ready-1", "ready-2"]
        outcomes.append(statuses)
    assert len(outcomes) == ROUNDS
