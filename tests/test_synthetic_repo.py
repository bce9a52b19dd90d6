"""The synthetic repository generator: deterministic, the commit count asked for, and a
history whose ingest the verify script finds identical to git."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gitrepo import git_env

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "benchmarks" / "make_synthetic_repo.py"
VERIFY = ROOT / "scripts" / "verify_git_ingest.py"


def generate(out: Path, commits: int, seed: int, hash_seed: str = "0") -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    proc = subprocess.run(
        [sys.executable, str(GENERATOR), str(out), "--commits", str(commits), "--seed", str(seed)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", "--git-dir", str(repo), *args], capture_output=True, env=git_env())
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode("utf-8", "surrogateescape")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("synthetic")
    repos = {"a": base / "a.git", "b": base / "b.git", "other": base / "other.git"}
    # Different PYTHONHASHSEEDs: nothing may depend on set or str-hash order.
    generate(repos["a"], 300, seed=5, hash_seed="1")
    generate(repos["b"], 300, seed=5, hash_seed="2")
    generate(repos["other"], 300, seed=6)
    return repos


def test_same_seed_gives_identical_history(built: dict[str, Path]) -> None:
    head_a = git(built["a"], "rev-parse", "HEAD").strip()
    assert head_a == git(built["b"], "rev-parse", "HEAD").strip()
    # every branch and tag, not only HEAD
    assert git(built["a"], "for-each-ref") == git(built["b"], "for-each-ref")


def test_history_is_the_one_the_benchmarks_measured(built: dict[str, Path]) -> None:
    """The commit ids benchmarks/make_synthetic_repo.py made for --commits 300 --seed 5 before
    its generator moved into quarterdeck.simulation.synthetic_repo: the benchmarks' figures
    in docs/performance.md stay comparable only while these stay the same."""
    assert git(built["a"], "rev-parse", "HEAD").strip() == "1a194cd47a52dd198d033b6b75f8c5439a0b6a1b"
    assert git(built["a"], "rev-parse", "refs/tags/halfway").strip() == "6ab094b73b79dc1f3c9746c2e67b855354a55370"


def test_commit_count_is_exact(built: dict[str, Path]) -> None:
    for repo in built.values():
        assert int(git(repo, "rev-list", "--all", "--count")) == 300


def test_different_seed_gives_different_history(built: dict[str, Path]) -> None:
    assert git(built["a"], "rev-parse", "HEAD") != git(built["other"], "rev-parse", "HEAD")


def test_history_looks_like_a_project(built: dict[str, Path]) -> None:
    repo = built["a"]
    merges = int(git(repo, "rev-list", "--all", "--merges", "--count"))
    assert 0.1 * 300 <= merges <= 0.3 * 300
    numstat = git(repo, "log", "--all", "--numstat", "-M", "--format=")
    rows = [line.split("\t") for line in numstat.splitlines() if line]
    assert any(r[0] == "-" for r in rows), "some binary files"
    assert any("=>" in r[2] for r in rows), "some renames"
    authors = set(git(repo, "log", "--all", "--format=%an").splitlines())
    assert "dependabot[bot]" in authors or len(authors) >= 10
    assert len(authors) >= 10
    refs = git(repo, "for-each-ref", "--format=%(refname)").splitlines()
    assert any(r.startswith("refs/heads/release/") for r in refs)
    assert any(r.startswith("refs/tags/v") for r in refs)
    assert "cherry picked from commit" in git(repo, "log", "--all", "--format=%B")
    files = git(repo, "ls-tree", "-r", "--name-only", "HEAD").splitlines()
    assert len(files) >= 200
    assert max(f.count("/") for f in files) >= 3


def test_verify_script_accepts_an_ingest_of_the_synthetic_repo(
    built: dict[str, Path], tmp_path: Path, quarterdeck
) -> None:
    db = tmp_path / "warehouse.duckdb"
    result = quarterdeck("--db", str(db), "ingest", "git", str(built["a"]), "--format", "json")
    assert result.returncode == 0, result.stderr
    proc = subprocess.run([sys.executable, str(VERIFY), str(built["a"]), str(db)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OK: the warehouse matches git" in proc.stdout
    assert "git rev-list: 300 commits; warehouse: 300 reachable" in proc.stdout
