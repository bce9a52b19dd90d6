"""The simulator's git writer: real repositories from a plan of work, with exact truth.

Every check reads the written repositories with the real git, and the end-to-end check
ingests one with the real CLI into a real warehouse and compares the churn metric with
the truth the writer returned.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from quarterdeck.simulation.git_writer import RepositoryJob, WrittenRepository, write_repositories, write_repository
from quarterdeck.simulation.history import Author, BranchWork, Change, DirectCommit, FileLines, Work
from quarterdeck.simulation.rng import Rng
from tests.conftest import run_quarterdeck
from tests.gitrepo import git_env

PEOPLE = [
    (Author("Maya Okafor", "maya@acme.example"), timezone(timedelta(hours=1))),
    (Author("Kenji Watanabe", "kenji@acme.example"), timezone(timedelta(hours=9))),
    (Author("Sarah O'Connor", "sarah@acme.example"), timezone(timedelta(hours=-5))),
    (Author("Priya Raman", "priya@acme.example"), timezone(timedelta(hours=5, minutes=30))),
    (Author("Tom Becker", "tom@acme.example"), UTC),
]
BOT = (Author("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"), UTC)
START = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
CODEOWNERS = "* @acme/payments\n/docs/ @acme/tech-writers\n"


def make_plan(seed: int, items: int) -> list[Work]:
    """``items`` pieces of work over about a year: pull requests of 1-4 commits (merged,
    squashed or left open), direct pushes, and dependency bumps by a bot."""
    rng = Rng(seed, "test-plan")
    works: list[tuple[datetime, Work]] = []
    for number in range(1, items + 1):
        begin = START + timedelta(hours=rng.uniform(0, 365 * 24))
        author, zone = BOT if rng.chance(0.05) else rng.choice(PEOPLE)
        if rng.chance(0.2):
            works.append((begin, DirectCommit(change(rng, f"push-{number}", author, zone, begin))))
            continue
        commits, when = [], begin
        for index in range(rng.integer(1, 4)):
            commits.append(change(rng, f"pr-{number}-{index}", author, zone, when))
            when += timedelta(hours=rng.uniform(0.5, 30))
        roll = rng.random()
        merger, merger_zone = rng.choice(PEOPLE)
        merge = None if roll < 0.1 else change(rng, f"pr-{number}-merge", merger, merger_zone, when)
        works.append((begin, BranchWork(f"pr-{number}", tuple(commits), merge, squash=roll > 0.75)))
    works.sort(key=lambda item: item[0])
    return [work for _, work in works]


def change(rng: Rng, key: str, author: Author, zone: timezone, when: datetime) -> Change:
    local = when.astimezone(zone)
    size = max(1, int(rng.lognormal(20, 1.0)))
    return Change(key, author, local, local + timedelta(minutes=rng.integer(0, 120)), f"Work on {key}", size)


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", "--git-dir", str(repo), *args], capture_output=True, env=git_env())
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode("utf-8", "surrogateescape")


def numstat(repo: Path) -> dict[str, list[FileLines]]:
    """Every commit under every ref, as ``git log --numstat -M`` against the first parent."""
    out = git(repo, "log", "--all", "--diff-merges=first-parent", "-M", "--numstat", "-z", "--format=%x01%H")
    found: dict[str, list[FileLines]] = {}
    for chunk in out.split("\x01")[1:]:
        sha, tokens = chunk[:40], iter(chunk[41:].split("\0"))
        found[sha] = []
        for token in tokens:
            token = token.lstrip("\n")
            if not token:
                continue
            added, deleted, path = token.split("\t")
            if not path:  # a rename: the old and the new path follow
                next(tokens)
                path = next(tokens)
            found[sha].append(FileLines(path, int(added), int(deleted)))
    return {sha: sorted(lines, key=lambda f: f.path) for sha, lines in found.items()}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[WrittenRepository, list[Work]]]:
    base = tmp_path_factory.mktemp("simgit")
    plan = make_plan(1, 420)
    jobs = [
        RepositoryJob(base / "a.git", "payments-api", "python", plan, Rng(7), CODEOWNERS),
        RepositoryJob(base / "same.git", "payments-api", "python", plan, Rng(7), CODEOWNERS),
        RepositoryJob(base / "other.git", "payments-api", "python", plan, Rng(8), CODEOWNERS),
    ]
    a, same, other = write_repositories(jobs, workers=2)
    return {"a": (a, plan), "same": (same, plan), "other": (other, plan)}


def test_same_seed_gives_identical_repositories_and_another_seed_other_content(written) -> None:
    a, same, other = written["a"][0].path, written["same"][0].path, written["other"][0].path
    assert git(a, "log", "--all", "--format=%H") == git(same, "log", "--all", "--format=%H")
    assert git(a, "fast-export", "--all") == git(same, "fast-export", "--all")
    assert git(a, "for-each-ref") == git(same, "for-each-ref")
    assert git(a, "rev-parse", "main") != git(other, "rev-parse", "main")
    assert git(a, "show", "main:README.md") != git(other, "show", "main:README.md")


def test_every_planned_commit_is_in_the_repository_with_the_right_parents(written) -> None:
    repo, plan = written["a"]
    parents = {}
    for line in git(repo.path, "log", "--all", "--format=%H %P").splitlines():
        sha, *rest = line.split()
        parents[sha] = rest
    keys = [k for w in plan for k in _keys(w)]
    assert sorted(repo.shas) == sorted(keys)
    assert set(parents) == {*repo.shas.values(), repo.initial_sha}
    assert parents[repo.initial_sha] == []
    kinds = Counter()
    for work in plan:
        if isinstance(work, DirectCommit):
            assert len(parents[repo.shas[work.change.key]]) == 1
            continue
        chain = [repo.shas[c.key] for c in work.commits]
        for earlier, later in itertools.pairwise(chain):
            assert parents[later] == [earlier]
        if work.merge is None:
            kinds["open"] += 1
            continue
        merge_parents = parents[repo.shas[work.merge.key]]
        if work.squash:
            kinds["squash"] += 1
            assert len(merge_parents) == 1
        else:
            kinds["merge"] += 1
            assert len(merge_parents) == 2 and merge_parents[1] == chain[-1]
    assert min(kinds.values()) >= 20, kinds
    assert git(repo.path, "rev-parse", "HEAD") == git(repo.path, "rev-parse", "refs/heads/main")


def test_truth_is_what_git_log_numstat_reports_for_every_commit(written) -> None:
    repo, _ = written["a"]
    reported = numstat(repo.path)
    assert {sha: list(lines) for sha, lines in repo.files.items()} == reported
    changes = [f for lines in repo.files.values() for f in lines]
    assert any(f.added == 0 and f.deleted == 0 for f in changes)  # renames happened
    assert any(f.added == 0 and f.deleted > 0 for f in changes)  # deletions happened
    renames = git(repo.path, "log", "--all", "-M", "--diff-filter=R", "--format=", "--name-only").split()
    assert len(renames) >= 2, "the plan is large enough for a few refactorings"


def test_open_branches_are_refs_and_merged_ones_are_gone(written) -> None:
    repo, plan = written["a"]
    refs = dict(
        line.split()[::-1] for line in git(repo.path, "for-each-ref", "--format=%(objectname) %(refname)").splitlines()
    )
    for work in plan:
        if isinstance(work, DirectCommit):
            continue
        tip = repo.shas[work.commits[-1].key]
        if work.merge is None:
            assert refs.get(f"refs/heads/{work.key}") == tip
        else:
            assert f"refs/heads/{work.key}" not in refs
        if work.squash and work.merge is not None:
            assert refs[f"refs/pull/{work.key.removeprefix('pr-')}/head"] == tip
    assert sorted(repo.open_branches) == sorted(w.key for w in plan if isinstance(w, BranchWork) and not w.merge)


def test_the_first_commit_holds_the_tree_and_codeowners(written) -> None:
    repo, plan = written["a"]
    first = plan[0].change if isinstance(plan[0], DirectCommit) else plan[0].commits[0]
    author = git(repo.path, "log", "-1", "--format=%an <%ae> %at", repo.initial_sha).strip()
    earliest = min(c.committed_at for w in plan for c in _changes(w))
    assert author == f"{first.author.name} <{first.author.email}> {int((earliest - timedelta(days=1)).timestamp())}"
    assert git(repo.path, "show", f"{repo.initial_sha}:.github/CODEOWNERS") == CODEOWNERS
    paths = git(repo.path, "ls-tree", "-r", "--name-only", repo.initial_sha).split()
    assert 20 <= len(paths) <= 120
    assert any(p.startswith("src/payments_api/") for p in paths) and any(p.startswith("tests/") for p in paths)


def test_churn_is_concentrated_in_hotspot_files(written) -> None:
    """Real code bases change a few files most: about 20 % of the files take about 80 % of
    the changes. Weights 1/rank^1.1 over ~100-200 files give the top 10 % about 60 % of the
    changes in expectation; uniform choice would give 10 %. 40 % leaves room for chance."""
    repo, _ = written["a"]
    counts = Counter(f.path for sha, lines in repo.files.items() if sha != repo.initial_sha for f in lines)
    ordered = sorted(counts.values(), reverse=True)
    top = max(1, len(ordered) // 10)
    assert sum(ordered[:top]) / sum(ordered) >= 0.4
    tip = len(git(repo.path, "ls-tree", "-r", "--name-only", "main").split())
    assert 30 <= tip <= 400


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("python", ("src/ledger_core/", "tests/", "pyproject.toml")),
        ("go", ("cmd/ledger_core/main.go", "internal/", "go.mod")),
        ("typescript", ("src/", "package.json", ".test.ts")),
        ("java", ("src/main/java/com/example/ledger_core/", "src/test/java/", "pom.xml")),
    ],
)
def test_file_tree_follows_the_language(tmp_path: Path, language: str, expected: tuple[str, ...]) -> None:
    repo = write_repository(tmp_path / "r.git", "ledger-core", language, make_plan(3, 30), Rng(3))
    paths = git(repo.path, "ls-tree", "-r", "--name-only", "main").split()
    for part in expected:
        assert any(part in p for p in paths), (part, paths[:10])
    assert numstat(repo.path) == {sha: list(lines) for sha, lines in repo.files.items()}


def test_a_work_tree_repository_is_checked_out_at_main(tmp_path: Path) -> None:
    repo = write_repository(tmp_path / "work", "ledger-core", "go", make_plan(4, 20), Rng(4), bare=False)
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo.path, capture_output=True, env=git_env())
    assert status.returncode == 0 and status.stdout == b""
    assert (repo.path / "go.mod").is_file() and (repo.path / ".git").is_dir()


def test_a_plan_without_commits_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no commits"):
        write_repository(tmp_path / "r.git", "empty", "python", [], Rng(1))
    empty_branch = BranchWork("pr-1", (), None)
    with pytest.raises(ValueError, match="at least one commit"):
        write_repository(tmp_path / "s.git", "empty", "python", [empty_branch], Rng(1))


def test_ingested_churn_equals_the_truth(written, tmp_path: Path) -> None:
    """``quarterdeck ingest git`` then ``metrics show churn``: per week, the lines of the
    non-merge commits reachable from branches (so not the squashed branches' commits, kept
    under refs/pull), bots left out, by author time in UTC."""
    repo, plan = written["a"]
    db = tmp_path / "w.duckdb"
    ingest = run_quarterdeck("--db", str(db), "ingest", "git", str(repo.path), "--format", "json", timeout=300)
    assert ingest.returncode == 0, ingest.stderr
    bots = {c.key for w in plan for c in _changes(w) if c.author == BOT[0]}
    merges = {w.merge.key for w in plan if isinstance(w, BranchWork) and w.merge and not w.squash}
    expected: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    times = {c.key: c.authored_at for w in plan for c in _changes(w)}
    counted = [(k, times[k]) for k in repo.shas if k not in bots and k not in merges and k not in repo.squashed]
    counted.append(
        ("initial", datetime.fromtimestamp(int(git(repo.path, "log", "-1", "--format=%at", repo.initial_sha)), UTC))
    )
    for key, when in counted:
        lines = repo.files[repo.initial_sha if key == "initial" else repo.shas[key]]
        week = when.astimezone(UTC).date() - timedelta(days=when.astimezone(UTC).weekday())
        row = expected[week]
        row[0] += 1
        row[1] += sum(f.added for f in lines)
        row[2] += sum(f.deleted for f in lines)
        row[3] += len(lines)
    every_week = [t.astimezone(UTC).date() for t in times.values()]
    since = min(every_week) - timedelta(days=min(every_week).weekday())
    until = max(every_week) + timedelta(days=6 - max(every_week).weekday())
    window = ("--since", since.isoformat(), "--until", until.isoformat(), "--format", "json")
    churn = _rows(run_quarterdeck("--db", str(db), "metrics", "show", "churn", *window))
    got = {
        date.fromisoformat(r["week_start"]): [r["lines_added"], r["lines_deleted"], r["files_changed"]] for r in churn
    }
    assert {w: v for w, v in got.items() if any(v)} == {w: v[1:] for w, v in expected.items() if any(v[1:])}
    assert all(r["churn"] == r["lines_added"] + r["lines_deleted"] for r in churn)
    commits = _rows(run_quarterdeck("--db", str(db), "metrics", "show", "commits", *window))
    assert {date.fromisoformat(r["week_start"]): r["commits"] for r in commits if r["commits"]} == {
        w: v[0] for w, v in expected.items()
    }
    assert sum(r["merges"] for r in commits) == len(merges)


def _rows(result: subprocess.CompletedProcess[str]) -> list[dict]:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["rows"]


def _changes(work: Work) -> list[Change]:
    if isinstance(work, DirectCommit):
        return [work.change]
    return [*work.commits, *([work.merge] if work.merge else [])]


def _keys(work: Work) -> list[str]:
    return [c.key for c in _changes(work)]


def test_keys_are_unique_in_the_test_plan() -> None:
    keys = [k for w in make_plan(1, 420) for k in _keys(w)]
    assert len(keys) == len(set(keys)) and all(re.fullmatch(r"[a-z0-9-]+", k) for k in keys)
