"""What a deployment shipped, checked against git itself: for random commit graphs (branches,
merges, several roots, criss-cross merges), ``CommitGraph.shipped(new, old)`` must be exactly
``git rev-list new ^old``, and its first-parent line exactly ``git rev-list --first-parent``
cut where the shipped set ends."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from quarterdeck.ingest.delivery_graph import CommitGraph
from tests.gitrepo import git, git_env


def random_history(path: Path, commits: int, seed: int) -> list[str]:
    """A repository of ``commits`` commits made with commit-tree: each has one parent
    (mostly a recent commit), two (a merge), or none (a new root, rarely)."""
    rng = random.Random(seed)
    path.mkdir()
    git(path, "init", "-q", "--bare")
    tree = git(path, "mktree", input=b"").strip()
    made: list[str] = []
    for i in range(commits):
        if not made or rng.random() < 0.03:
            parents: list[str] = []
        elif rng.random() < 0.25 and len(made) > 2:
            parents = rng.sample(made[-12:], 2)
        else:
            parents = [made[max(0, len(made) - 1 - int(rng.expovariate(0.5)))]]
        when = f"{1_700_000_000 + i * 60} +0000"
        env = git_env(
            GIT_AUTHOR_NAME="A",
            GIT_AUTHOR_EMAIL="a@example.com",
            GIT_AUTHOR_DATE=when,
            GIT_COMMITTER_NAME="A",
            GIT_COMMITTER_EMAIL="a@example.com",
            GIT_COMMITTER_DATE=when,
        )
        args = ["commit-tree", tree, "-m", f"c{i}"]
        for parent in parents:
            args += ["-p", parent]
        made.append(git(path, *args, env=env).strip())
    return made


def graph_of(path: Path, commits: list[str]) -> CommitGraph:
    lines = git(path, "rev-list", "--parents", *commits).splitlines()
    return CommitGraph((line.split()[0], line.split()[1:]) for line in lines)


@pytest.mark.parametrize("seed", [1, 2])
def test_shipped_is_what_git_rev_list_says(tmp_path: Path, seed: int) -> None:
    made = random_history(tmp_path / "repo", 120, seed)
    graph = graph_of(tmp_path / "repo", made)
    first_parents = {
        line.split()[0]: line.split()[1:2]
        for line in git(tmp_path / "repo", "rev-list", "--parents", *made).splitlines()
    }
    rng = random.Random(seed)
    for _ in range(40):
        new, old = rng.choice(made), rng.choice(made)
        shipped, line = graph.shipped(new, old)
        expected = git(tmp_path / "repo", "rev-list", new, f"^{old}").split()
        assert sorted(shipped) == sorted(expected), (new, old)
        cut, sha = set(), new
        while sha in expected:  # git's first parents, followed while the commits were shipped
            cut.add(sha)
            sha = (first_parents[sha] or [""])[0]
        assert line == cut, (new, old)


def test_a_baseline_ships_everything_reachable(tmp_path: Path) -> None:
    made = random_history(tmp_path / "repo", 40, 7)
    graph = graph_of(tmp_path / "repo", made)
    shipped, _ = graph.shipped(made[-1], None)
    assert sorted(shipped) == sorted(git(tmp_path / "repo", "rev-list", made[-1]).split())


def test_the_same_commit_ships_nothing_and_an_ancestor_ships_nothing(tmp_path: Path) -> None:
    made = random_history(tmp_path / "repo", 30, 11)
    graph = graph_of(tmp_path / "repo", made)
    assert graph.shipped(made[-1], made[-1]) == ([], set())
    ancestor = git(tmp_path / "repo", "rev-list", "--first-parent", made[-1]).split()[-1]
    assert graph.shipped(ancestor, made[-1])[0] == []  # a rollback to an older commit


def test_generation_numbers_grow_from_the_roots() -> None:
    graph = CommitGraph([("a", []), ("b", ["a"]), ("c", ["a"]), ("d", ["b", "c"]), ("e", ["d", "x"])])
    assert graph.generation == {"a": 1, "b": 2, "c": 2, "d": 3, "e": 4}  # x: beyond a shallow boundary
