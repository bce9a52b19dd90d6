"""Crash safety of git ingestion (DESIGN.md principle 5).

``quarterdeck ingest git`` is killed with SIGKILL at many moments on a repository of a
few thousand commits written in batches of 100 by two workers. After every kill the
warehouse must open and hold only whole batches; a normal run afterwards must leave
exactly what one clean run stores. A repository that fails half-way must leave no trace
of that run.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from quarterdeck.store import open_warehouse
from tests.conftest import ROOT, run_quarterdeck
from tests.gitrepo import Repo, git
from tests.test_incremental import (
    assert_no_duplicates,
    assert_same_tables,
    ingest,
    query,
    snapshot,
)

COMMITS = 3000
BATCH_ENV = {"QUARTERDECK_BATCH_COMMITS": "100"}
SEED = 20240601
PEOPLE = [
    ("Alice Example", "alice@example.com"),
    ("Bob Example", "bob@example.com"),
    ("Carol Example", "carol@example.com"),
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
]


# -- a repository of a few thousand commits, built with git fast-import ---------------------


def history_stream(commits: int, seed: int) -> bytes:
    """main with side branches merged back, renames, empty commits, tags and one open branch."""
    rnd = random.Random(seed)
    out: list[bytes] = []
    contents: dict[str, str] = {}
    mark = 0
    main_head = 0
    side_head = 0
    start = 1_600_000_000

    def commit(ref: str, parent: int, merge: int = 0, empty: bool = False) -> int:
        nonlocal mark
        mark += 1
        name, email = PEOPLE[mark % len(PEOPLE)]
        when = start + mark * 600
        message = f"change {mark}\n"
        out.append(
            f"commit {ref}\nmark :{mark}\nauthor {name} <{email}> {when} +0100\n"
            f"committer {name} <{email}> {when} +0100\ndata {len(message)}\n{message}".encode()
        )
        if parent:
            out.append(f"from :{parent}\n".encode())
        if merge:
            out.append(f"merge :{merge}\n".encode())
        if not empty and not merge:
            if mark % 97 == 0 and contents:
                old = rnd.choice(sorted(contents))
                new = old.replace(".txt", f"-r{mark}.txt")
                contents[new] = contents.pop(old)
                out.append(f"R {old} {new}\n".encode())
            for _ in range(rnd.randint(1, 3)):
                path = f"src/m{rnd.randint(0, 40)}/f{rnd.randint(0, 15)}.txt"
                body = contents.get(path, "") + "".join(f"{mark} {k}\n" for k in range(rnd.randint(1, 4)))
                contents[path] = body
                data = body.encode()
                out.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
        out.append(b"\n")
        return mark

    while mark < commits - 30:
        main_head = commit("refs/heads/main", main_head, empty=(mark % 50 == 25))
        if mark % 200 == 0:
            side_head = main_head
            for _ in range(15):
                side_head = commit("refs/heads/side", side_head)
            main_head = commit("refs/heads/main", main_head, merge=side_head)
        if mark % 500 < 2:
            out.append(f"reset refs/tags/v{mark}\nfrom :{main_head}\n\n".encode())
    open_branch = main_head
    while mark < commits:
        open_branch = commit("refs/heads/open", open_branch)
    return b"".join(out)


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory) -> Repo:
    path = tmp_path_factory.mktemp("crash") / "big"
    repo = Repo.create(path)
    git(path, "fast-import", "--quiet", input=history_stream(COMMITS, SEED))
    git(path, "checkout", "-q", "-f", "main")
    assert int(repo.git("rev-list", "--count", "--all").strip()) == COMMITS
    return repo


def git_file_counts(repo: Repo) -> dict[str, int]:
    """Files each commit changes, as ``git log --numstat -M`` counts them (merges: none)."""
    out = repo.git("log", "--branches", "--tags", "--remotes", "--format=%x01%H", "--numstat", "-M")
    counts: dict[str, int] = {}
    sha = ""
    for line in out.splitlines():
        if line.startswith("\x01"):
            sha = line[1:]
            counts[sha] = 0
        elif "\t" in line:
            counts[sha] += 1
    return counts


@pytest.fixture(scope="module")
def reference(big_repo, tmp_path_factory):
    """One clean run: its tables, how long it took, and git's file counts."""
    db = tmp_path_factory.mktemp("reference") / "clean.duckdb"
    started = time.perf_counter()
    report = ingest(db, big_repo.path, env=BATCH_ENV, jobs=2)
    seconds = time.perf_counter() - started
    assert report["rows"][0]["new_commits"] == COMMITS
    counts = git_file_counts(big_repo)
    stored = dict(
        query(
            db,
            "SELECT c.sha, count(f.path) FROM commits c LEFT JOIN commit_files f ON f.commit_sha = c.sha GROUP BY 1",
        )
    )
    assert stored == counts, "a clean run must store exactly the files git reports"
    assert sum(1 for n in counts.values() if n == 0) > 50  # merges and empty commits are covered
    return {"tables": snapshot(db), "seconds": seconds, "counts": counts}


# -- killing a run --------------------------------------------------------------------------


def start_ingest(db: Path, repo: Repo) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUARTERDECK_")}
    env.update(BATCH_ENV)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "quarterdeck",
            "--db",
            str(db),
            "ingest",
            "git",
            str(repo.path),
            "--jobs",
            "2",
            "--format",
            "json",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes its git processes too
    )


def kill(proc: subprocess.Popen) -> bool:
    """SIGKILL the run and its git processes; False if it had already finished."""
    finished = proc.poll() is not None
    if not finished:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return not finished and proc.returncode == -signal.SIGKILL


def kill_after(db: Path, repo: Repo, seconds: float) -> bool:
    proc = start_ingest(db, repo)
    time.sleep(seconds)
    return kill(proc)


def kill_when(db: Path, repo: Repo, condition, timeout: float = 30.0, poll: float = 0.001) -> bool:
    """Kill as soon as ``condition()`` holds (polled every ``poll`` seconds; 0: busy-wait)."""
    proc = start_ingest(db, repo)
    deadline = time.monotonic() + timeout
    while proc.poll() is None and not condition() and time.monotonic() < deadline:
        if poll:
            time.sleep(poll)
    return kill(proc)


def check_after_kill(
    db: Path, counts: dict[str, int], read_with_cli: bool = False, refs_before: dict[str, str] | None = None
) -> int:
    """The warehouse a kill left opens and holds whole batches; returns commits stored.

    ``refs_before``: the refs the last completed run recorded (none for a first run)."""
    if not db.exists():
        return 0
    open_warehouse(db, read_only=True).close()  # Quarterdeck itself accepts what the kill left
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "commits" not in tables:  # killed before the schema was committed
            return 0
        stored = dict(
            con.execute(
                "SELECT c.sha, count(f.path) FROM commits c LEFT JOIN commit_files f "
                "ON f.repository_id = c.repository_id AND f.commit_sha = c.sha GROUP BY 1"
            ).fetchall()
        )
        refs = dict(con.execute("SELECT ref_name, commit_sha FROM git_refs").fetchall())
        running = con.execute("SELECT count(*) FROM ingestion_runs WHERE status = 'running'").fetchone()[0]
    finally:
        con.close()
    # every stored commit has all of its file rows (merges and empty commits have none)
    wrong = {sha: (n, counts.get(sha)) for sha, n in stored.items() if counts.get(sha) != n}
    assert wrong == {}, f"{len(wrong)} commits stored without all of their files"
    # the refs are only recorded once every commit they reach is stored
    assert refs == (refs_before or {}) or set(stored) == set(counts)
    assert running <= 1
    assert_no_duplicates(db)
    if read_with_cli:  # the command line can read it as the kill left it
        result = run_quarterdeck("identities", "--db", str(db), "--format", "json")
        assert result.returncode == 0, result.stderr
    return len(stored)


def rerun_and_compare(db: Path, repo: Repo, stored_before: int, reference) -> None:
    """A normal run completes the work and leaves exactly what a clean run stores."""
    runs_before = []
    if db.exists() and query(db, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'ingestion_runs'")[0][0]:
        runs_before = query(db, "SELECT run_id, status FROM ingestion_runs ORDER BY 1")
    report = ingest(db, repo.path, env=BATCH_ENV, jobs=2)
    row = report["rows"][0]
    assert report["status"] == "succeeded"
    if stored_before < COMMITS:
        assert row["status"] == "ingested"
    assert row["new_commits"] == COMMITS - stored_before
    runs = query(db, "SELECT run_id, status FROM ingestion_runs ORDER BY 1")
    # the killed run is recorded as interrupted; the others as they ended
    assert runs == [(run_id, "interrupted" if status == "running" else status) for run_id, status in runs_before] + [
        (report["run_id"], "succeeded")
    ]
    assert_same_tables(snapshot(db), reference["tables"])


# -- tests ----------------------------------------------------------------------------------


def test_killed_at_random_moments_then_rerun_equals_a_clean_run(big_repo, reference, tmp_path):
    rnd = random.Random(SEED)
    total = reference["seconds"]
    # from interpreter start-up and planning, through the batches, to the very end
    windows = [(0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.0)]
    delays = [rnd.uniform(lo, hi) * total for lo, hi in windows]
    outcomes = []
    for i, delay in enumerate(delays):
        db = tmp_path / f"kill{i}.duckdb"
        killed = kill_after(db, big_repo, delay)
        stored = check_after_kill(db, reference["counts"], read_with_cli=i == 1)
        outcomes.append((round(delay, 2), killed, stored))
        rerun_and_compare(db, big_repo, stored, reference)
    # mid-batch kills: as soon as the first batches reach the write-ahead log
    for i, threshold in enumerate((100_000,)):
        db = tmp_path / f"wal{i}.duckdb"
        wal = Path(str(db) + ".wal")
        killed = kill_when(db, big_repo, lambda wal=wal, t=threshold: wal.exists() and wal.stat().st_size > t)
        stored = check_after_kill(db, reference["counts"])
        outcomes.append((f"wal>{threshold}", killed, stored))
        rerun_and_compare(db, big_repo, stored, reference)
    print("kills (delay or trigger, killed, commits stored):", outcomes)
    assert any(0 < stored < COMMITS for _, killed, stored in outcomes if killed), (
        f"no kill landed between batches: {outcomes}"
    )


def test_repeated_kills_on_one_warehouse(big_repo, reference, tmp_path):
    """Crash, crash again during the recovery run, and again; then finish."""
    rnd = random.Random(SEED + 1)
    db = tmp_path / "warehouse.duckdb"
    stored = 0
    for _ in range(4):
        kill_after(db, big_repo, rnd.uniform(0.4, 0.9) * reference["seconds"])
        now = check_after_kill(db, reference["counts"])
        assert now >= stored  # what a killed run committed is never lost
        stored = now
    rerun_and_compare(db, big_repo, stored, reference)


def test_killed_while_the_warehouse_file_is_created(make_repo, tmp_path, quarterdeck):
    """A kill right as the warehouse file appears must not leave a file that no later run
    accepts (an empty or half-written DuckDB file). The moment is caught by busy-polling,
    so each attempt lands somewhere in creation or migration; the first refusal fails."""
    repo = make_repo("small")
    repo.write("a.txt", "a\n")
    repo.commit("a", "2024-01-01T00:00:00+00:00")
    sizes = []
    for i in range(8):
        db = tmp_path / f"new{i}.duckdb"
        kill_when(db, repo, db.exists, poll=0)
        sizes.append(db.stat().st_size if db.exists() else None)
        # on a busy machine the kill can land after the run committed its one commit
        stored = check_after_kill(db, {repo.git("rev-parse", "HEAD").strip(): 1})
        result = quarterdeck("--db", str(db), "ingest", "git", str(repo.path), "--format", "json")
        assert result.returncode == 0, (
            f"a warehouse killed while being created ({sizes[-1]} bytes left) is refused: {result.stderr.strip()}"
        )
        assert json.loads(result.stdout)["rows"][0]["new_commits"] == 1 - stored


def test_killed_incremental_runs(big_repo, reference, tmp_path):
    """Kills during a run that adds half of the history to an already ingested repository."""
    bare = tmp_path / "inc.git"
    git(tmp_path, "clone", "-q", "--bare", str(big_repo.path), str(bare))
    repo = Repo(bare)
    tips = dict(line.split() for line in repo.git("for-each-ref", "--format=%(refname) %(objectname)").splitlines())
    # the last completed run saw main 1,500 commits ago and no other ref
    for ref in tips:
        if ref != "refs/heads/main":
            repo.git("update-ref", "-d", ref)
    repo.git("update-ref", "refs/heads/main", "main~1500")
    db = tmp_path / "w.duckdb"
    first = ingest(db, bare, env=BATCH_ENV, jobs=2)["rows"][0]["new_commits"]
    refs_before = dict(query(db, "SELECT ref_name, commit_sha FROM git_refs"))
    assert 0 < first < COMMITS - 1000
    for ref, sha in tips.items():
        repo.git("update-ref", ref, sha)

    rnd = random.Random(SEED + 2)
    stored = first
    wal = Path(str(db) + ".wal")
    kill_when(db, repo, lambda: wal.exists() and wal.stat().st_size > 100_000)
    for delay in (rnd.uniform(0.3, 0.5), rnd.uniform(0.5, 0.8)):
        now = check_after_kill(db, reference["counts"], refs_before=refs_before)
        assert now >= stored
        stored = now
        kill_after(db, repo, delay * reference["seconds"])
    stored = check_after_kill(db, reference["counts"], refs_before=refs_before)
    print("commits stored: first run", first, "after the kills", stored)

    row = ingest(db, bare, env=BATCH_ENV, jobs=2)["rows"][0]
    assert row["new_commits"] == COMMITS - stored
    assert "running" not in {r[0] for r in query(db, "SELECT status FROM ingestion_runs")}
    clean = tmp_path / "clean.duckdb"
    ingest(clean, bare, env=BATCH_ENV, jobs=2)
    assert_same_tables(snapshot(db), snapshot(clean))


# -- a repository that fails half-way -------------------------------------------------------


def loose_repo(path: Path, commits: int) -> Repo:
    """A linear repository with its objects loose, so that one blob can be taken away."""
    repo = Repo.create(path)
    append_commits(repo, 1, commits)
    git(path, "checkout", "-q", "-f", "main")
    return repo


def append_commits(repo: Repo, first: int, count: int, folder: str = "") -> None:
    """Commits ``first``.. on main, each changing one of seven files, written as loose objects."""
    parent = (
        repo.git(
            "rev-parse",
            "-q",
            "--verify",
            "main",
        ).strip()
        if first > 1
        else ""
    )
    stream = []
    for i in range(first, first + count):
        name, email = PEOPLE[i % 3]
        body = f"version {i}\n".encode()
        when = 1_700_000_000 + i
        stream.append(
            f"commit refs/heads/main\nmark :{i}\nauthor {name} <{email}> {when} +0000\n"
            f"committer {name} <{email}> {when} +0000\ndata 3\nc{i % 10}\n".encode()
            + (f"from :{i - 1}\n".encode() if i > first else f"from {parent}\n".encode() if parent else b"")
            + f"M 100644 inline {folder}file{i % 7}.txt\ndata {len(body)}\n".encode()
            + body
            + b"\n"
        )
    git(
        repo.path,
        "-c",
        "fastimport.unpackLimit=1000000",
        "fast-import",
        "--quiet",
        "--force",
        input=b"".join(stream),
    )


def hide_blob(repo: Repo, rev: str, path: str) -> tuple[Path, Path]:
    oid = repo.git("rev-parse", f"{rev}:{path}").strip()
    loose = repo.path / ".git" / "objects" / oid[:2] / oid[2:]
    hidden = repo.path.parent / f"{repo.path.name}-{oid}"
    assert loose.is_file()
    loose.rename(hidden)
    return loose, hidden


def test_failing_repository_leaves_no_rows_and_others_are_ingested(tmp_path, db_path):
    broken = loose_repo(tmp_path / "broken", 450)
    fine = loose_repo(tmp_path / "fine", 30)
    # a blob of an old commit is gone: the newest batches are read and written first
    loose, hidden = hide_blob(broken, "main~440", "file3.txt")
    report = ingest(db_path, broken.path, fine.path, jobs=1, env=BATCH_ENV, expect_ok=False)
    rows = {r["repository"]: r for r in report["rows"]}
    assert report["status"] == "partial"
    assert rows["broken"]["status"] == "failed" and rows["broken"]["message"]
    assert rows["fine"]["status"] == "ingested" and rows["fine"]["new_commits"] == 30
    assert query(db_path, "SELECT name FROM repositories") == [("fine",)]
    assert query(db_path, "SELECT count(*) FROM commits")[0][0] == 30
    assert_no_duplicates(db_path)
    assert query(db_path, "SELECT status, failures[1] LIKE '%broken%' FROM ingestion_runs") == [("partial", True)]

    loose.parent.mkdir(exist_ok=True)
    hidden.rename(loose)
    report = ingest(db_path, broken.path, fine.path, jobs=1, env=BATCH_ENV)
    assert sorted((r["repository"], r["status"], r["new_commits"]) for r in report["rows"]) == [
        ("broken", "ingested", 450),
        ("fine", "unchanged", 0),
    ]
    clean = tmp_path / "clean.duckdb"
    ingest(clean, broken.path, fine.path, jobs=1, env=BATCH_ENV)
    assert_same_tables(snapshot(db_path), snapshot(clean))


def test_failing_incremental_run_leaves_the_warehouse_as_before(tmp_path, db_path):
    repo = loose_repo(tmp_path / "repo", 120)
    ingest(db_path, repo.path, env=BATCH_ENV, jobs=1)
    before = snapshot(db_path)
    # 300 more commits, one of which cannot be read
    append_commits(repo, 121, 300, folder="new/")
    git(repo.path, "reset", "-q", "--hard", "main")
    loose, hidden = hide_blob(repo, "main~290", "new/file4.txt")
    report = ingest(db_path, repo.path, env=BATCH_ENV, jobs=1, expect_ok=False)
    assert report["status"] == "failed"
    assert report["rows"][0]["status"] == "failed"
    assert_same_tables(snapshot(db_path), before)

    hidden.rename(loose)
    row = ingest(db_path, repo.path, env=BATCH_ENV, jobs=1)["rows"][0]
    assert (row["status"], row["new_commits"]) == ("ingested", 300)
    clean = tmp_path / "clean.duckdb"
    ingest(clean, repo.path, env=BATCH_ENV, jobs=1)
    assert_same_tables(snapshot(db_path), snapshot(clean))
    # the failed run is either recorded as failed or not at all; nothing is left 'running'
    statuses = [r[0] for r in query(db_path, "SELECT status FROM ingestion_runs ORDER BY run_id")]
    assert [s for s in statuses if s != "failed"] == ["succeeded", "succeeded"]
    assert len(statuses) <= 3
