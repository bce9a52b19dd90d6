"""Incremental, idempotent git ingestion (DESIGN.md principle 5).

Every scenario runs the real command line on real repositories and compares the
warehouse with what a single clean run into a fresh warehouse stores: nothing lost,
nothing counted twice, whatever happened to the repository between runs.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import run_quarterdeck
from tests.gitrepo import ALICE, BOB, CAROL, Person, Repo, git, git_env
from tests.warehouse_rows import DATA_TABLES, query

#: Tables a git ingest writes, compared row for row with a clean run.
GIT_TABLES = DATA_TABLES
#: When a row was written differs between runs by design; everything else must not.
VOLATILE = {"loaded_at", "last_ingested_at"}

ALICE_OLD = Person("A. Example", "Alice@Old.Example.com")


# -- helpers shared with test_crash_safety -----------------------------------------------


def ingest(
    db: Path,
    *paths: Path,
    refs: Iterable[str] = (),
    env: dict[str, str] | None = None,
    jobs: int = 2,
    expect_ok: bool = True,
) -> dict[str, Any]:
    """Run ``quarterdeck ingest git`` and return its JSON report."""
    args = ["--db", str(db), "ingest", "git", *map(str, paths), "--jobs", str(jobs), "--format", "json"]
    for pattern in refs:
        args += ["--refs", pattern]
    result = run_quarterdeck(*args, env=env)
    if expect_ok:
        assert result.returncode == 0, result.stderr + result.stdout
    return json.loads(result.stdout) if result.stdout.strip() else {"stderr": result.stderr}


def snapshot(db: Path, tables: Iterable[str] = GIT_TABLES, exclude: set[str] = VOLATILE) -> dict[str, list]:
    """All rows of ``tables`` without the ``exclude`` columns, in a fixed order."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in tables:
            columns = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if r[0] not in exclude
            ]
            assert columns, f"table {table} is missing"
            # repository ids depend on which repository was registered first; compare by path
            columns = [
                "(SELECT r.path FROM repositories r WHERE r.repository_id = t.repository_id)"
                if c == "repository_id"
                else c
                for c in columns
            ]
            out[table] = con.execute(f"SELECT {', '.join(columns)} FROM {table} t ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


def assert_same_tables(got: dict[str, list], want: dict[str, list]) -> None:
    """Table by table, so that a failure names the table that differs."""
    assert list(got) == list(want)
    for table in want:
        assert got[table] == want[table], f"table {table} differs from a clean run"


def clean_run(repo_paths: Iterable[Path], db: Path, refs: Iterable[str] = ()) -> dict[str, list]:
    """What a single run into a fresh warehouse stores."""
    assert not db.exists()
    report = ingest(db, *repo_paths, refs=refs)
    assert all(r["status"] == "ingested" for r in report["rows"]), report
    return snapshot(db)


def git_reachable(repo: Repo, *revs: str) -> set[str]:
    """What git itself says is reachable (default: branches, tags and remotes)."""
    args = revs or ("--branches", "--tags", "--remotes")
    return set(repo.git("rev-list", *args).split())


def stored(db: Path, reachable: bool | None = None) -> list[str]:
    """Stored commit ids (with duplicates, if any), optionally only (un)reachable ones."""
    sql = "SELECT sha FROM commits"
    if reachable is not None:
        sql += f" WHERE reachable = {str(reachable).lower()}"
    return [r[0] for r in query(db, sql + " ORDER BY sha")]


def assert_no_duplicates(db: Path) -> None:
    assert query(db, "SELECT repository_id, sha, count(*) FROM commits GROUP BY ALL HAVING count(*) > 1") == []
    assert (
        query(
            db,
            "SELECT repository_id, commit_sha, path, count(*) FROM commit_files GROUP BY ALL HAVING count(*) > 1",
        )
        == []
    )
    assert query(db, "SELECT identity_id FROM identities GROUP BY ALL HAVING count(*) > 1") == []
    # every file change belongs to a stored commit
    assert (
        query(
            db,
            "SELECT f.commit_sha FROM commit_files f ANTI JOIN commits c "
            "ON c.repository_id = f.repository_id AND c.sha = f.commit_sha",
        )
        == []
    )


def single(report: dict[str, Any]) -> dict[str, Any]:
    assert len(report["rows"]) == 1, report
    return report["rows"][0]


# -- repositories -------------------------------------------------------------------------


def build_history(repo: Repo) -> dict[str, str]:
    """main with a feature branch merged in, a rename, a binary file and an annotated tag."""
    c = {}
    repo.write("README.md", "# project\n")
    repo.write("src/app.py", "print('hello')\n")
    c["a"] = repo.commit("initial", "2024-01-01T09:00:00+01:00", author=ALICE)
    repo.write("src/app.py", "print('hello')\nprint('world')\n")
    c["b"] = repo.commit("greet the world", "2024-01-02T09:00:00+01:00", author=BOB)
    repo.git("tag", "-a", "v1.0", "-m", "release 1.0")
    repo.checkout("feature", create=True)
    repo.write("src/feature.py", "def feature():\n    return 1\n")
    c["f1"] = repo.commit("add feature", "2024-01-03T09:00:00-05:00", author=CAROL)
    repo.move("src/feature.py", "src/features.py")
    c["f2"] = repo.commit("rename feature", "2024-01-04T09:00:00-05:00", author=ALICE_OLD)
    repo.checkout("main")
    repo.write("docs/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00binary")
    c["c"] = repo.commit("add logo", "2024-01-05T09:00:00+01:00", author=ALICE)
    c["m"] = repo.merge("feature", message="merge feature", when="2024-01-06T09:00:00+01:00", author=BOB)
    return c


def add_more(repo: Repo) -> dict[str, str]:
    """New commits on main, on a new branch and on the old feature branch, and a new tag."""
    c = {}
    repo.write("src/app.py", "print('hello')\nprint('world')\nprint('again')\n")
    c["d"] = repo.commit("say it again", "2024-02-01T09:00:00+01:00", author=CAROL)
    repo.git("tag", "v1.1")
    repo.checkout("topic", create=True)
    repo.write("src/topic.py", "x = 1\n")
    c["t1"] = repo.commit("topic work", "2024-02-02T09:00:00+01:00", author=BOB)
    repo.remove("README.md")
    c["t2"] = repo.commit("drop readme", "2024-02-03T09:00:00+01:00", author=BOB)
    repo.checkout("feature")
    repo.write("src/features.py", "def feature():\n    return 2\n")
    c["f3"] = repo.commit("tune feature", "2024-02-04T09:00:00+01:00", author=ALICE)
    repo.checkout("main")
    c["e"] = repo.commit("empty marker", "2024-02-05T09:00:00+01:00", author=ALICE, allow_empty=True)
    return c


@pytest.fixture
def history(make_repo):
    repo = make_repo("project")
    shas = build_history(repo)
    return repo, shas


# -- tests --------------------------------------------------------------------------------


def test_second_run_without_changes_is_unchanged_and_writes_nothing(history, db_path):
    repo, shas = history
    first = single(ingest(db_path, repo.path))
    assert first["status"] == "ingested"
    assert first["new_commits"] == len(shas) == len(git_reachable(repo))
    everything = snapshot(db_path, exclude=set())  # loaded_at included: nothing may be rewritten

    report = ingest(db_path, repo.path)
    row = single(report)
    assert report["status"] == "succeeded"
    assert (row["status"], row["new_commits"], row["new_file_changes"], row["now_unreachable"]) == (
        "unchanged",
        0,
        0,
        0,
    )
    assert snapshot(db_path, exclude=set()) == everything
    runs = query(db_path, "SELECT run_id, status, commits_added, files_added FROM ingestion_runs ORDER BY 1")
    assert runs[1] == (2, "succeeded", 0, 0)


def test_new_commits_are_added_exactly_once_and_match_a_clean_run(history, db_path, tmp_path):
    repo, _ = history
    ingest(db_path, repo.path)
    before = set(stored(db_path))
    new = add_more(repo)

    row = single(ingest(db_path, repo.path))
    assert row["status"] == "ingested"
    assert row["new_commits"] == len(new) == 5
    assert row["now_unreachable"] == 0
    started = query(db_path, "SELECT started_at FROM ingestion_runs WHERE run_id = 2")[0][0]
    added = {r[0] for r in query(db_path, "SELECT sha FROM commits WHERE loaded_at = ?", [started])}
    assert added == set(new.values())
    assert set(stored(db_path)) == before | set(new.values()) == git_reachable(repo)
    files_added = query(db_path, "SELECT count(*) FROM commit_files WHERE loaded_at = ?", [started])[0][0]
    assert row["new_file_changes"] == files_added == 4  # app.py, topic.py, README.md, features.py
    assert_no_duplicates(db_path)
    assert_same_tables(snapshot(db_path), clean_run([repo.path], tmp_path / "clean.duckdb"))


def test_many_small_increments_equal_one_clean_run(make_repo, db_path, tmp_path):
    repo = make_repo("steps")
    authors = [ALICE, BOB, CAROL, ALICE_OLD]
    for step in range(6):
        for i in range(3):
            n = step * 3 + i
            repo.write(f"dir{n % 4}/file{n % 5}.txt", "".join(f"line {k}\n" for k in range(n + 1)))
            repo.commit(f"change {n}", f"2024-03-{n + 1:02d}T10:00:00+00:00", author=authors[n % 4])
        if step == 3:
            repo.git("tag", "step3")
        row = single(ingest(db_path, repo.path))
        assert row["new_commits"] == 3
        assert_no_duplicates(db_path)
    assert len(stored(db_path)) == 18
    assert_same_tables(snapshot(db_path), clean_run([repo.path], tmp_path / "clean.duckdb"))


def force_push(repo: Repo, shas: dict[str, str]) -> dict[str, str]:
    """main rewritten from b with two new commits; feature deleted."""
    repo.git("reset", "-q", "--hard", shas["b"])
    new = {}
    repo.write("src/app.py", "print('rewritten')\n")
    new["r1"] = repo.commit("rewrite", "2024-03-01T09:00:00+01:00", author=CAROL)
    repo.write("NOTES.md", "notes\n")
    new["r2"] = repo.commit("notes", "2024-03-02T09:00:00+01:00", author=BOB)
    repo.git("branch", "-D", "feature")
    return new


def test_force_push_and_deleted_branch_mark_commits_unreachable_and_restoring_revives_them(history, db_path, tmp_path):
    repo, shas = history
    ingest(db_path, repo.path)
    dropped = {shas[k] for k in ("c", "f1", "f2", "m")}
    new = force_push(repo, shas)

    row = single(ingest(db_path, repo.path))
    assert row["status"] == "ingested"
    assert row["new_commits"] == 2
    assert row["now_unreachable"] == len(dropped)
    assert_no_duplicates(db_path)
    # nothing is deleted: the dropped commits stay, flagged unreachable
    assert set(stored(db_path)) == set(shas.values()) | set(new.values())
    assert set(stored(db_path, reachable=False)) == dropped
    assert set(stored(db_path, reachable=True)) == git_reachable(repo)
    assert (
        query(
            db_path,
            "SELECT count(*) FROM commit_files WHERE commit_sha IN (?, ?, ?)",
            [shas["c"], shas["f1"], shas["f2"]],
        )[0][0]
        == 3
    )
    refs = dict(query(db_path, "SELECT ref_name, commit_sha FROM git_refs"))
    assert refs == {"refs/heads/main": new["r2"], "refs/tags/v1.0": shas["b"]}

    # the same state again: unchanged
    assert single(ingest(db_path, repo.path))["status"] == "unchanged"

    # restoring the old tips makes every commit reachable again, without new rows
    repo.git("branch", "feature", shas["f2"])
    repo.git("branch", "old-main", shas["m"])
    row = single(ingest(db_path, repo.path))
    assert (row["status"], row["new_commits"], row["now_unreachable"]) == ("ingested", 0, 0)
    assert set(stored(db_path, reachable=False)) == set()
    assert set(stored(db_path)) == git_reachable(repo)
    assert_no_duplicates(db_path)
    assert_same_tables(snapshot(db_path), clean_run([repo.path], tmp_path / "clean.duckdb"))


def test_branch_moved_back_without_new_commits(history, db_path):
    """A tip moving to an ancestor (reset without new commits) only drops reachability."""
    repo, shas = history
    ingest(db_path, repo.path)
    repo.git("reset", "-q", "--hard", shas["c"])  # main loses the merge
    row = single(ingest(db_path, repo.path))
    assert (row["new_commits"], row["now_unreachable"]) == (0, 1)
    assert set(stored(db_path, reachable=False)) == {shas["m"]}
    assert set(stored(db_path, reachable=True)) == git_reachable(repo)
    # forward again to the merge
    repo.git("reset", "-q", "--hard", shas["m"])
    row = single(ingest(db_path, repo.path))
    assert (row["new_commits"], row["now_unreachable"]) == (0, 0)
    assert set(stored(db_path, reachable=True)) == git_reachable(repo) == set(shas.values())


def test_old_tips_pruned_from_the_object_store_full_reconciliation(history, db_path, tmp_path):
    repo, shas = history
    ingest(db_path, repo.path)
    new = force_push(repo, shas)
    repo.git("reflog", "expire", "--expire=now", "--all")
    repo.git("gc", "-q", "--prune=now")
    for old_tip in (shas["m"], shas["f2"]):
        probe = run_git_check(repo, "cat-file", "-e", old_tip)
        assert probe != 0, "the old tip should be gone from the object store"

    row = single(ingest(db_path, repo.path))
    assert row["status"] == "ingested"
    assert row["new_commits"] == 2
    assert row["now_unreachable"] == 4
    assert_no_duplicates(db_path)
    assert set(stored(db_path, reachable=True)) == git_reachable(repo)
    assert set(stored(db_path, reachable=False)) == {shas[k] for k in ("c", "f1", "f2", "m")}
    assert set(stored(db_path)) == set(shas.values()) | set(new.values())
    assert single(ingest(db_path, repo.path))["status"] == "unchanged"
    # what is reachable is exactly what a clean run stores
    reachable_rows = snapshot_reachable(db_path)
    clean = tmp_path / "clean.duckdb"
    clean_run([repo.path], clean)
    assert reachable_rows == snapshot_reachable(clean)
    assert_same_tables(
        snapshot(db_path, ("git_refs", "repository_files", "git_missing_blobs")),
        snapshot(clean, ("git_refs", "repository_files", "git_missing_blobs")),
    )


def run_git_check(repo: Repo, *args: str) -> int:
    """git's exit status (``Repo.git`` raises on failure)."""
    return subprocess.run(["git", *args], cwd=repo.path, env=git_env(), capture_output=True).returncode


def snapshot_reachable(db: Path) -> dict[str, list]:
    """Rows of reachable commits and their files (loaded_at excluded)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        commits = con.execute("SELECT * EXCLUDE (loaded_at) FROM commits WHERE reachable ORDER BY ALL").fetchall()
        files = con.execute(
            "SELECT f.* EXCLUDE (loaded_at) FROM commit_files f JOIN commits c "
            "ON c.repository_id = f.repository_id AND c.sha = f.commit_sha WHERE c.reachable ORDER BY ALL"
        ).fetchall()
        return {"commits": commits, "commit_files": files}
    finally:
        con.close()


def test_changing_refs_between_runs(history, db_path, tmp_path):
    repo, shas = history
    repo.git("branch", "-f", "feature", shas["f2"])
    new = add_more(repo)  # topic branch, feature advanced, tag v1.1, main advanced
    main_only = git_reachable(repo, "main")

    row = single(ingest(db_path, repo.path, refs=["refs/heads/main"]))
    assert row["new_commits"] == len(main_only)
    assert set(stored(db_path)) == main_only
    assert single(ingest(db_path, repo.path, refs=["refs/heads/main"]))["status"] == "unchanged"

    # widening the refs reads only what the new refs add
    row = single(ingest(db_path, repo.path, refs=["refs/heads"]))
    branches = git_reachable(repo, "--branches")
    assert row["status"] == "ingested"
    assert row["new_commits"] == len(branches - main_only) == 3  # f3, t1, t2
    assert set(stored(db_path)) == branches
    assert_no_duplicates(db_path)
    assert_same_tables(snapshot(db_path), clean_run([repo.path], tmp_path / "heads.duckdb", ["refs/heads"]))

    # narrowing them again: the other branches' commits stay, unreachable
    row = single(ingest(db_path, repo.path, refs=["refs/heads/main"]))
    assert (row["status"], row["new_commits"], row["now_unreachable"]) == ("ingested", 0, 3)
    assert set(stored(db_path, reachable=True)) == main_only
    assert set(stored(db_path, reachable=False)) == branches - main_only
    assert dict(query(db_path, "SELECT ref_name, commit_sha FROM git_refs")) == {"refs/heads/main": new["e"]}
    assert query(db_path, "SELECT ref_patterns FROM repositories") == [(["refs/heads/main"],)]
    # and to the default (heads, tags, remotes): the same as a clean default run
    row = single(ingest(db_path, repo.path))
    assert (row["new_commits"], row["now_unreachable"]) == (0, 0)
    assert set(stored(db_path, reachable=True)) == git_reachable(repo) == set(stored(db_path))
    assert_same_tables(snapshot(db_path), clean_run([repo.path], tmp_path / "default.duckdb"))


def test_tags_only_refs(history, db_path):
    repo, shas = history
    row = single(ingest(db_path, repo.path, refs=["refs/tags"]))
    assert row["new_commits"] == 2
    assert set(stored(db_path)) == {shas["a"], shas["b"]}
    assert dict(query(db_path, "SELECT ref_name, commit_sha FROM git_refs")) == {"refs/tags/v1.0": shas["b"]}


MAILMAP = "Alice Example <alice@example.com> A. Example <alice@old.example.com>\n"


def identities_of(db: Path) -> list[tuple]:
    return query(db, "SELECT identity_id, name, email, is_bot FROM identities ORDER BY 1")


def test_changed_mailmap_remaps_stored_commits(history, db_path, tmp_path):
    repo, shas = history
    ingest(db_path, repo.path)
    assert [r[0] for r in identities_of(db_path)] == [
        "git:alice@example.com",
        "git:alice@old.example.com",
        "git:bob@example.com",
        "git:carol@example.com",
    ]

    # an uncommitted .mailmap in the work tree is what git applies: refs are unchanged
    repo.write(".mailmap", MAILMAP)
    row = single(ingest(db_path, repo.path))
    assert (row["status"], row["new_commits"]) == ("ingested", 0)
    assert identities_of(db_path) == [
        ("git:alice@example.com", "Alice Example", "alice@example.com", False),
        ("git:bob@example.com", "Bob Example", "bob@example.com", False),
        ("git:carol@example.com", "Carol Example", "carol@example.com", False),
    ]
    assert query(
        db_path,
        "SELECT author_name, author_email, author_mailmap_name, author_identity_id FROM commits WHERE sha = ?",
        [shas["f2"]],
    ) == [("A. Example", "Alice@Old.Example.com", "Alice Example", "git:alice@example.com")]
    assert_same_tables(snapshot(db_path), clean_run([repo.path], tmp_path / "clean1.duckdb"))

    # the mailmap committed, with another mapping; a new commit by the old address
    repo.write(".mailmap", MAILMAP + "Carol Example <carol@example.com> Bob Example <bob@example.com>\n")
    repo.commit("add mailmap", "2024-02-01T09:00:00+01:00", author=ALICE_OLD)
    row = single(ingest(db_path, repo.path))
    assert (row["status"], row["new_commits"]) == ("ingested", 1)
    assert [r[0] for r in identities_of(db_path)] == ["git:alice@example.com", "git:carol@example.com"]
    assert_same_tables(snapshot(db_path), clean_run([repo.path], tmp_path / "clean2.duckdb"))

    # the mailmap removed again: the original identities come back
    repo.remove(".mailmap")
    repo.commit("drop mailmap", "2024-02-02T09:00:00+01:00", author=BOB)
    single(ingest(db_path, repo.path))
    assert_same_tables(snapshot(db_path), clean_run([repo.path], tmp_path / "clean3.duckdb"))


def test_mailmap_change_while_commits_are_unreachable_then_revived(history, db_path, tmp_path):
    """Commits that are unreachable when the .mailmap changes must not keep the old mapping
    once they become reachable again (a clean run maps them with the mailmap in force)."""
    repo, shas = history
    ingest(db_path, repo.path)
    repo.git("branch", "-D", "feature")
    repo.git("reset", "-q", "--hard", shas["c"])  # f1, f2 (by the old address) and m dropped
    ingest(db_path, repo.path)
    assert set(stored(db_path, reachable=False)) == {shas["f1"], shas["f2"], shas["m"]}

    repo.write(".mailmap", MAILMAP)
    ingest(db_path, repo.path)
    # the old address is mapped away, for stored commits reachable or not
    assert query(db_path, "SELECT author_identity_id FROM commits WHERE sha = ?", [shas["f2"]]) == [
        ("git:alice@example.com",)
    ], "an unreachable commit keeps the identity of a .mailmap that is no longer in force"
    assert [r[0] for r in identities_of(db_path)] == [
        "git:alice@example.com",
        "git:bob@example.com",
        "git:carol@example.com",
    ]

    repo.git("branch", "feature", shas["f2"])  # f1, f2 reachable again
    repo.git("branch", "merged", shas["m"])  # and the merge
    row = single(ingest(db_path, repo.path))
    assert (row["new_commits"], row["now_unreachable"]) == (0, 0)
    assert set(stored(db_path, reachable=True)) == set(shas.values())
    assert_same_tables(snapshot(db_path), clean_run([repo.path], tmp_path / "clean.duckdb"))


def test_mailmap_change_together_with_pruned_history(history, db_path, tmp_path):
    """A force-push drops the commit that added .mailmap (so the mailmap changes) and gc
    prunes the dropped commits: the stored commits whose objects are gone cannot be
    re-read with the new mailmap, and the run must still succeed (not fail on every retry)."""
    repo, shas = history
    repo.write(".mailmap", MAILMAP)
    repo.commit("mailmap", "2024-01-07T09:00:00+01:00", author=ALICE_OLD)
    ingest(db_path, repo.path)
    force_push(repo, shas)
    repo.git("reflog", "expire", "--expire=now", "--all")
    repo.git("gc", "-q", "--prune=now")
    row = single(ingest(db_path, repo.path))
    assert (row["status"], row["new_commits"], row["now_unreachable"]) == ("ingested", 2, 5)
    assert set(stored(db_path, reachable=True)) == git_reachable(repo)
    repo.write(".mailmap", "Alice Example <alice@example.com> Carol Example <carol@example.com>\n")
    row = single(ingest(db_path, repo.path))
    assert (row["status"], row["new_commits"]) == ("ingested", 0)
    clean = tmp_path / "clean.duckdb"
    clean_run([repo.path], clean)
    assert snapshot_reachable(db_path) == snapshot_reachable(clean)


def test_a_moved_repository_keeps_its_history(history, db_path, tmp_path):
    """A repository whose folder was moved (the old path is gone, its last HEAD is in the
    repository at the new path) is the same repository: same id, new path, nothing stored twice."""
    repo, _ = history
    ingest(db_path, repo.path)
    before = query(db_path, "SELECT repository_id, sha, reachable FROM commits ORDER BY sha")
    moved = tmp_path / "elsewhere" / "project"
    moved.parent.mkdir()
    shutil.move(repo.path, moved)

    row = single(ingest(db_path, moved))
    assert (row["status"], row["new_commits"]) == ("ingested", 0)
    repos = query(db_path, "SELECT repository_id, name, path, work_tree FROM repositories ORDER BY 1")
    assert repos == [(1, "project", str((moved / ".git").resolve()), str(moved.resolve()))]
    assert query(db_path, "SELECT repository_id, sha, reachable FROM commits ORDER BY sha") == before
    assert single(ingest(db_path, moved))["status"] == "unchanged"


def test_two_live_clones_are_two_repositories(history, db_path, tmp_path):
    """Only a vanished folder is taken for a move: a second clone that exists beside the
    first is stored as a repository of its own (with a widened name)."""
    repo, _ = history
    ingest(db_path, repo.path)
    clone = tmp_path / "other" / "project"
    git(tmp_path, "clone", "-q", str(repo.path), str(clone))
    row = single(ingest(db_path, clone))
    assert row["status"] == "ingested"
    names = query(db_path, "SELECT repository_id, name FROM repositories ORDER BY 1")
    assert names == [(1, "project"), (2, "other/project")]


def test_two_repositories_one_changed(make_repo, db_path, tmp_path):
    one, two = make_repo("one"), make_repo("two")
    build_history(one)
    two.write("x.txt", "x\n")
    two.commit("x", "2024-01-01T00:00:00+00:00", author=BOB)
    ingest(db_path, one.path, two.path)
    add_more(one)
    report = ingest(db_path, one.path, two.path)
    assert sorted((r["repository"], r["status"], r["new_commits"]) for r in report["rows"]) == [
        ("one", "ingested", 5),
        ("two", "unchanged", 0),
    ]
    assert_no_duplicates(db_path)
    assert_same_tables(snapshot(db_path), clean_run([one.path, two.path], tmp_path / "clean.duckdb"))
