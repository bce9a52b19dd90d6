"""Partial clones (``--filter=blob:none``): blobs are absent and can never be fetched
because the source is moved away. Ingest must finish, store every commit, flag the
files whose blobs are absent, and count lines exactly where both blobs are present."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.gitrepo import ALICE, BOB, Repo, git
from tests.test_git_edge_support import dir_bytes, git_numstat, ingest, query, run_cli

TIMEOUT = 60  # a run that needs longer is taken to hang


@pytest.fixture
def source(make_repo) -> Repo:
    """Four commits: add a.txt and b.txt, grow a.txt, rename b.txt, add d.txt."""
    src = make_repo("upstream")
    src.git("config", "uploadpack.allowFilter", "true")
    src.git("config", "uploadpack.allowAnySHA1InWant", "true")
    src.write("a.txt", "1\n2\n3\n")
    src.write("b.txt", "bee\n")
    src.commit("one", "2024-01-01T09:00:00+00:00", author=ALICE)
    src.write("a.txt", "1\n2\n3\n4\n")
    src.commit("two", "2024-01-02T09:00:00+00:00", author=BOB)
    src.move("b.txt", "c.txt")
    src.commit("three", "2024-01-03T09:00:00+00:00", author=ALICE)
    src.write("d.txt", "dee\n")
    src.commit("four", "2024-01-04T09:00:00+00:00", author=BOB)
    return src


def blob(repo: Repo, rev: str) -> str:
    return repo.git("rev-parse", rev).strip()


def clone_and_cut_off(src: Repo, tmp_path: Path, *clone_args: str) -> Path:
    clone = tmp_path / "partial"
    git(tmp_path, "clone", "-q", "--filter=blob:none", *clone_args, f"file://{src.path}", str(clone))
    shutil.move(str(src.path), str(tmp_path / "gone"))  # no blob can be fetched any more
    return clone


def files_of(db: Path) -> list[tuple]:
    return query(
        db,
        "SELECT commit_sha, path, previous_path, lines_added, lines_deleted, is_binary, blob_missing "
        "FROM commit_files ORDER BY commit_sha, path",
    )


def test_partial_clone_without_checkout(source, tmp_path, db_path):
    c1, c2, c3, c4 = source.commits
    a1, a2 = blob(source, f"{c1}:a.txt"), blob(source, f"{c2}:a.txt")
    b, d = blob(source, f"{c1}:b.txt"), blob(source, f"{c4}:d.txt")
    clone = clone_and_cut_off(source, tmp_path, "--no-checkout")

    report = ingest(db_path, clone, timeout=TIMEOUT)

    assert [(r["status"], r["new_commits"], r["missing_blobs"]) for r in report["rows"]] == [("ingested", 4, 4)]
    assert sorted(query(db_path, "SELECT sha, parents FROM commits")) == sorted(
        [(c1, []), (c2, [c1]), (c3, [c2]), (c4, [c3])]
    )
    assert sorted(files_of(db_path)) == sorted(
        [
            (c1, "a.txt", None, None, None, False, True),
            (c1, "b.txt", None, None, None, False, True),
            (c2, "a.txt", None, None, None, False, True),
            # exact rename, paired by blob id; the blob is absent, so whether it is binary
            # (git would print -/-) cannot be told: flagged like the other absent blobs
            (c3, "c.txt", "b.txt", None, None, False, True),
            (c4, "d.txt", None, None, None, False, True),
        ]
    )
    assert sorted(query(db_path, "SELECT commit_sha, path, blob_sha FROM git_missing_blobs")) == sorted(
        [
            (c1, "a.txt", a1),
            (c1, "b.txt", b),
            (c2, "a.txt", a1),
            (c2, "a.txt", a2),
            (c3, "c.txt", b),
            (c4, "d.txt", d),
        ]
    )
    assert query(db_path, "SELECT is_partial, missing_blobs, head_sha FROM repositories") == [(True, 4, c4)]
    assert query(
        db_path, "SELECT path, blob_sha, lines, size_bytes, blob_missing FROM repository_files ORDER BY path"
    ) == [("a.txt", a2, None, None, True), ("c.txt", b, None, None, True), ("d.txt", d, None, None, True)]


def test_partial_clone_with_checkout_counts_present_blobs(source, tmp_path, db_path):
    c1, c2, c3, c4 = source.commits
    a1 = blob(source, f"{c1}:a.txt")
    reference = git_numstat(source.path, *source.commits)
    clone = clone_and_cut_off(source, tmp_path)  # checkout fetched the blobs at HEAD

    report = ingest(db_path, clone, timeout=TIMEOUT)

    assert [(r["status"], r["new_commits"], r["missing_blobs"]) for r in report["rows"]] == [("ingested", 4, 1)]
    assert sorted(files_of(db_path)) == sorted(
        [
            (c1, "a.txt", None, None, None, False, True),  # a.txt's first version is absent
            (c1, "b.txt", None, 1, 0, False, False),  # still at HEAD (as c.txt): counted
            (c2, "a.txt", None, None, None, False, True),
            (c3, "c.txt", "b.txt", 0, 0, False, False),
            (c4, "d.txt", None, 1, 0, False, False),
        ]
    )
    assert reference[c3] == [("c.txt", "b.txt", 0, 0)]
    assert reference[c4] == [("d.txt", None, 1, 0)]
    assert ("b.txt", None, 1, 0) in reference[c1]
    assert sorted(query(db_path, "SELECT commit_sha, path, blob_sha FROM git_missing_blobs")) == sorted(
        [(c1, "a.txt", a1), (c2, "a.txt", a1)]
    )
    assert query(db_path, "SELECT is_partial, missing_blobs FROM repositories") == [(True, 1)]
    assert query(db_path, "SELECT path, lines, blob_missing FROM repository_files ORDER BY path") == [
        ("a.txt", 4, False),
        ("c.txt", 1, False),
        ("d.txt", 1, False),
    ]


def test_bare_partial_clone_with_mailmap_at_head(source, tmp_path, db_path):
    """A bare repository reads .mailmap from HEAD, and that blob is absent too."""
    source.write(".mailmap", "Bob Example <bob@example.com> <bob@old.example.com>\n")
    mm = source.commit("add mailmap", "2024-01-05T09:00:00+00:00")
    clone = tmp_path / "mirror.git"
    git(tmp_path, "clone", "-q", "--bare", "--filter=blob:none", f"file://{source.path}", str(clone))
    shutil.move(str(source.path), str(tmp_path / "gone"))

    result = run_cli("--db", str(db_path), "ingest", "git", str(clone), "--format", "json", timeout=TIMEOUT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert len(query(db_path, "SELECT sha FROM commits")) == 5
    assert query(db_path, "SELECT is_partial, missing_blobs, head_sha FROM repositories") == [(True, 5, mm)]


def test_partial_clone_with_reachable_source_fetches_nothing(source, tmp_path, db_path):
    clone = tmp_path / "partial"
    git(tmp_path, "clone", "-q", "--filter=blob:none", "--no-checkout", f"file://{source.path}", str(clone))
    before = dir_bytes(clone / ".git" / "objects")

    report = ingest(db_path, clone, timeout=TIMEOUT)

    assert [(r["new_commits"], r["missing_blobs"]) for r in report["rows"]] == [(4, 4)]
    assert dir_bytes(clone / ".git" / "objects") == before
    assert query(db_path, "SELECT count(*) FROM commit_files WHERE blob_missing") == [(5,)]
