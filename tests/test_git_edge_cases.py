"""Git ingestion edge cases: each test builds a real repository with fixed authors and
dates, ingests it through the command line, and checks the exact rows in the warehouse.
Per-file numbers are compared with what ``git log --numstat -M`` prints for the commit."""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from tests.gitrepo import ALICE, BOB, CAROL, DEPENDABOT, Person, Repo, git, git_env
from tests.test_git_edge_support import (
    all_commits,
    git_numstat,
    ingest,
    query,
    scalar,
    stored_files,
    write_commit_object,
)

DEFAULT_REFS = ["refs/heads", "refs/tags", "refs/remotes"]


def epoch(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp())


def commit_row(db: Path, sha: str) -> dict:
    cols = [
        "parents",
        "author_name",
        "author_email",
        "epoch(author_time)::BIGINT AS author_epoch",
        "author_utc_offset_minutes",
        "committer_name",
        "committer_email",
        "epoch(committer_time)::BIGINT AS committer_epoch",
        "committer_utc_offset_minutes",
        "author_mailmap_name",
        "author_identity_id",
        "committer_mailmap_name",
        "committer_identity_id",
        "subject",
        "is_merge",
        "is_shallow_boundary",
        "reachable",
    ]
    rows = query(db, f"SELECT {', '.join(cols)} FROM commits WHERE sha = ?", [sha])
    assert len(rows) == 1, f"commit {sha} stored {len(rows)} times"
    names = [c.split(" AS ")[-1] for c in cols]
    return dict(zip(names, rows[0], strict=True))


def file_count(db: Path, sha: str) -> int:
    return scalar(db, "SELECT count(*) FROM commit_files WHERE commit_sha = ?", [sha])


def assert_files_match_git(db: Path, repo_path: Path, shas: list[str]) -> None:
    """Every commit's stored rows equal what git log --numstat -M prints for it."""
    expected = git_numstat(repo_path, *shas)
    for sha in shas:
        assert stored_files(db, sha) == expected[sha], sha


# --- 1. merges, renames, binary, empty and root commits --------------------------------


def test_merge_commit_has_parents_in_order_and_no_file_rows(make_repo, db_path):
    repo = make_repo("merges")
    repo.write("a.txt", "one\n")
    c1 = repo.commit("base", "2024-01-01T09:00:00+00:00")
    repo.checkout("feature", create=True)
    repo.write("b.txt", "feature\nwork\n")
    c2 = repo.commit("feature work", "2024-01-02T09:00:00+00:00", author=BOB)
    repo.checkout("main")
    repo.write("a.txt", "one\ntwo\n")
    c3 = repo.commit("main work", "2024-01-03T09:00:00+00:00")
    merge = repo.merge("feature", message="Merge feature", when="2024-01-04T09:00:00+02:00")

    ingest(db_path, repo.path)

    row = commit_row(db_path, merge)
    assert row["parents"] == [c3, c2]
    assert row["is_merge"] is True
    assert row["subject"] == "Merge feature"
    assert row["author_epoch"] == epoch("2024-01-04T09:00:00+02:00")
    assert row["author_utc_offset_minutes"] == 120
    assert file_count(db_path, merge) == 0
    assert git_numstat(repo.path, merge) == {merge: []}  # git log prints no diff for merges
    for sha in (c1, c2, c3):
        assert commit_row(db_path, sha)["is_merge"] is False
    assert_files_match_git(db_path, repo.path, [c1, c2, c3])
    assert stored_files(db_path, c3) == [("a.txt", None, 1, 0)]
    assert scalar(db_path, "SELECT count(*) FROM commits") == 4
    assert scalar(db_path, "SELECT count(*) FROM commit_files") == 3


def test_octopus_merge_keeps_all_parents_in_order(make_repo, db_path):
    repo = make_repo("octopus")
    repo.write("base.txt", "base\n")
    base = repo.commit("base", "2024-02-01T09:00:00+00:00")
    tips = []
    for i, name in enumerate(["f1", "f2", "f3"]):
        repo.checkout("main")
        repo.checkout(name, create=True)
        repo.write(f"{name}.txt", f"{name}\n" * (i + 1))
        tips.append(repo.commit(f"work on {name}", f"2024-02-0{i + 2}T09:00:00+00:00", author=CAROL))
    repo.checkout("main")
    merge = repo.merge("f1", "f2", "f3", message="Octopus", when="2024-02-10T09:00:00+00:00")

    ingest(db_path, repo.path)

    row = commit_row(db_path, merge)
    assert row["parents"] == [base, *tips]
    assert row["is_merge"] is True
    assert file_count(db_path, merge) == 0
    assert_files_match_git(db_path, repo.path, [base, *tips])
    assert [stored_files(db_path, t) for t in tips] == [
        [("f1.txt", None, 1, 0)],
        [("f2.txt", None, 2, 0)],
        [("f3.txt", None, 3, 0)],
    ]


def test_renames_set_previous_path_and_count_lines_as_git(make_repo, db_path):
    repo = make_repo("renames")
    body = "".join(f"line {i}\n" for i in range(20))
    repo.write("src/old.py", body)
    repo.write("docs/guide.md", "# Guide\n\nText.\n")
    c1 = repo.commit("add", "2024-03-01T09:00:00+00:00")
    repo.move("src/old.py", "lib/new.py")
    repo.write("lib/new.py", body.replace("line 3\n", "line three\n"))
    c2 = repo.commit("rename with an edit", "2024-03-02T09:00:00+00:00")
    repo.move("docs/guide.md", "guide.md")
    c3 = repo.commit("pure rename", "2024-03-03T09:00:00+00:00")

    ingest(db_path, repo.path)

    assert stored_files(db_path, c2) == [("lib/new.py", "src/old.py", 1, 1)]
    assert stored_files(db_path, c3) == [("guide.md", "docs/guide.md", 0, 0)]
    assert_files_match_git(db_path, repo.path, [c1, c2, c3])


def test_binary_files_have_null_line_counts(make_repo, db_path):
    repo = make_repo("binary")
    repo.write("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    repo.write("notes.txt", "a\nb\n")
    c1 = repo.commit("add", "2024-04-01T09:00:00+00:00")
    repo.write("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(255, -1, -1)))
    c2 = repo.commit("change logo", "2024-04-02T09:00:00+00:00")

    ingest(db_path, repo.path)

    rows = query(
        db_path,
        "SELECT commit_sha, path, lines_added, lines_deleted, is_binary, blob_missing FROM commit_files "
        "ORDER BY commit_sha = ?, path",
        [c2],
    )
    assert rows == [
        (c1, "logo.png", None, None, True, False),
        (c1, "notes.txt", 2, 0, False, False),
        (c2, "logo.png", None, None, True, False),
    ]
    assert_files_match_git(db_path, repo.path, [c1, c2])
    assert query(db_path, "SELECT path, lines, is_binary FROM repository_files ORDER BY path") == [
        ("logo.png", None, True),
        ("notes.txt", 2, False),
    ]


def test_empty_commit_has_a_row_and_no_files(make_repo, db_path):
    repo = make_repo("empty-commit")
    repo.write("a.txt", "a\n")
    c1 = repo.commit("first", "2024-05-01T09:00:00+00:00")
    empty = repo.commit("nothing changed", "2024-05-02T09:00:00+00:00", author=BOB, allow_empty=True)

    ingest(db_path, repo.path)

    row = commit_row(db_path, empty)
    assert row["parents"] == [c1]
    assert row["is_merge"] is False
    assert row["subject"] == "nothing changed"
    assert row["author_identity_id"] == "git:bob@example.com"
    assert file_count(db_path, empty) == 0
    assert git_numstat(repo.path, empty) == {empty: []}


def test_root_commits_store_all_their_files_and_exact_metadata(make_repo, db_path):
    repo = make_repo("roots")
    repo.write("README.md", "hello\nworld\n")
    repo.write("src/app.py", "print('hi')\n")
    root = repo.commit(
        "Add readme\n\nA longer body\nthat is not the subject.",
        "2024-06-01T10:30:00+01:00",
        author=ALICE,
        committer=BOB,
        commit_when="2024-06-02T08:00:00-05:00",
    )
    # A second, unrelated root on another branch (as after `git checkout --orphan`).
    git(repo.path, "checkout", "-q", "--orphan", "pages")
    git(repo.path, "rm", "-rq", "--cached", ".")
    for p in ("README.md", "src/app.py"):
        (repo.path / p).unlink()
    repo.write("index.html", "<html></html>\n")
    other_root = repo.commit("pages root", "2024-06-03T09:00:00+00:00", author=CAROL)

    ingest(db_path, repo.path)

    row = commit_row(db_path, root)
    assert row == {
        "parents": [],
        "author_name": "Alice Example",
        "author_email": "alice@example.com",
        "author_epoch": epoch("2024-06-01T10:30:00+01:00"),
        "author_utc_offset_minutes": 60,
        "committer_name": "Bob Example",
        "committer_email": "bob@example.com",
        "committer_epoch": epoch("2024-06-02T08:00:00-05:00"),
        "committer_utc_offset_minutes": -300,
        "author_mailmap_name": "Alice Example",
        "author_identity_id": "git:alice@example.com",
        "committer_mailmap_name": "Bob Example",
        "committer_identity_id": "git:bob@example.com",
        "subject": "Add readme",
        "is_merge": False,
        "is_shallow_boundary": False,
        "reachable": True,
    }
    assert stored_files(db_path, root) == [("README.md", None, 2, 0), ("src/app.py", None, 1, 0)]
    assert commit_row(db_path, other_root)["parents"] == []
    assert stored_files(db_path, other_root) == [("index.html", None, 1, 0)]
    assert_files_match_git(db_path, repo.path, [root, other_root])


# --- 2. text that is not UTF-8 -----------------------------------------------------------


def test_latin1_path_is_stored_with_backslash_escapes(make_repo, db_path):
    repo = make_repo("latin1-path")
    repo.write(b"caf\xe9.txt", "un\ndeux\n")
    repo.write("na\u00efve.txt", "utf8 name\n")
    c1 = repo.commit("add", "2024-07-01T09:00:00+00:00")
    repo.move(os.fsdecode(b"caf\xe9.txt"), "renamed-caf\u00e9.txt")
    c2 = repo.commit("rename to utf-8", "2024-07-02T09:00:00+00:00")

    ingest(db_path, repo.path)

    assert stored_files(db_path, c1) == [("caf\\xe9.txt", None, 2, 0), ("na\u00efve.txt", None, 1, 0)]
    assert stored_files(db_path, c2) == [("renamed-caf\u00e9.txt", "caf\\xe9.txt", 0, 0)]
    assert_files_match_git(db_path, repo.path, [c1, c2])
    assert query(db_path, "SELECT path FROM repository_files ORDER BY path") == [
        ("na\u00efve.txt",),
        ("renamed-caf\u00e9.txt",),
    ]


def _raw_commit(
    tree: str,
    parents: list[str],
    author: bytes,
    committer: bytes,
    message: bytes,
    encoding: bytes | None = None,
) -> bytes:
    lines = [b"tree " + tree.encode()]
    lines += [b"parent " + p.encode() for p in parents]
    lines += [b"author " + author, b"committer " + committer]
    if encoding is not None:
        lines.append(b"encoding " + encoding)
    return b"\n".join(lines) + b"\n\n" + message


def test_latin1_names_without_encoding_header_are_read_as_latin1(make_repo, db_path):
    repo = make_repo("latin1-names")
    repo.write("a.txt", "a\n")
    base = repo.commit("base", "2024-08-01T09:00:00+00:00")
    tree = repo.git("rev-parse", "HEAD^{tree}").strip()
    raw = _raw_commit(
        tree,
        [base],
        b"Jos\xe9 M\xfcller <jose@example.com> 1722502800 +0200",
        b"Fran\xe7oise <francoise@example.com> 1722506400 -0130",
        b"Caf\xe9 cr\xe8me\n\nbody\n",
    )
    sha = write_commit_object(repo.path, raw)
    repo.git("update-ref", "refs/heads/main", sha)

    ingest(db_path, repo.path)

    row = commit_row(db_path, sha)
    assert row["author_name"] == "Jos\u00e9 M\u00fcller"
    assert row["author_mailmap_name"] == "Jos\u00e9 M\u00fcller"
    assert row["author_email"] == "jose@example.com"
    assert row["author_epoch"] == 1722502800
    assert row["author_utc_offset_minutes"] == 120
    assert row["committer_name"] == "Fran\u00e7oise"
    assert row["committer_utc_offset_minutes"] == -90
    assert row["subject"] == "Caf\u00e9 cr\u00e8me"
    assert row["parents"] == [base]
    assert file_count(db_path, sha) == 0
    assert query(
        db_path,
        "SELECT identity_id, name FROM identities WHERE identity_id <> 'git:alice@example.com' ORDER BY 1",
    ) == [("git:francoise@example.com", "Fran\u00e7oise"), ("git:jose@example.com", "Jos\u00e9 M\u00fcller")]


def test_encoding_header_is_honoured_by_reencoding_to_utf8(make_repo, db_path):
    repo = make_repo("encoded")
    repo.write("a.txt", "a\n")
    base = repo.commit("base", "2024-09-01T09:00:00+00:00")
    tree = repo.git("rev-parse", "HEAD^{tree}").strip()
    latin = write_commit_object(
        repo.path,
        _raw_commit(
            tree,
            [base],
            b"Jos\xe9 <jose@example.com> 1725181200 +0000",
            b"Jos\xe9 <jose@example.com> 1725181200 +0000",
            b"R\xe9sum\xe9\n",
            encoding=b"ISO-8859-1",
        ),
    )
    # The same header over bytes that happen to be UTF-8: git still re-encodes them from
    # Latin-1, which proves the header (not a guess) decides.
    mislabelled = write_commit_object(
        repo.path,
        _raw_commit(
            tree,
            [latin],
            b"Jos\xc3\xa9 <jose2@example.com> 1725184800 +0000",
            b"Jos\xc3\xa9 <jose2@example.com> 1725184800 +0000",
            b"na\xc3\xafve\n",
            encoding=b"ISO-8859-1",
        ),
    )
    repo.git("update-ref", "refs/heads/main", mislabelled)

    ingest(db_path, repo.path)

    row = commit_row(db_path, latin)
    assert (row["author_name"], row["committer_name"], row["subject"]) == (
        "Jos\u00e9",
        "Jos\u00e9",
        "R\u00e9sum\u00e9",
    )
    row = commit_row(db_path, mislabelled)
    assert (row["author_name"], row["subject"]) == ("Jos\u00c3\u00a9", "na\u00c3\u00afve")
    # What git itself prints when asked for UTF-8:
    shown = repo.git("-c", "i18n.logOutputEncoding=UTF-8", "log", "-1", "--format=%an|%s", latin).strip()
    assert shown == "Jos\u00e9|R\u00e9sum\u00e9"


# --- 3. empty repository -----------------------------------------------------------------


@pytest.mark.parametrize("bare", [False, True], ids=["work-tree", "bare"])
def test_empty_repository_is_registered_with_no_commits(tmp_path, db_path, bare):
    path = tmp_path / ("empty.git" if bare else "empty")
    path.mkdir()
    git(path, "init", "-q", "-b", "main", *(["--bare"] if bare else []))

    report = ingest(db_path, path)

    assert [(r["repository"], r["status"], r["new_commits"]) for r in report["rows"]] == [("empty", "ingested", 0)]
    git_dir = path if bare else path / ".git"
    assert query(
        db_path,
        "SELECT name, path, work_tree, default_branch, head_sha, is_shallow, is_partial, ref_patterns, "
        "missing_blobs FROM repositories",
    ) == [
        (
            "empty",
            str(git_dir.resolve()),
            None if bare else str(path.resolve()),
            "main",
            None,
            False,
            False,
            DEFAULT_REFS,
            0,
        )
    ]
    for table in ("commits", "commit_files", "git_refs", "repository_files", "identities"):
        assert scalar(db_path, f"SELECT count(*) FROM {table}") == 0, table
    assert query(db_path, "SELECT status, failures FROM ingestion_runs") == [("succeeded", [])]


def test_empty_repository_then_first_commit_is_picked_up(make_repo, db_path):
    repo = make_repo("grows")
    ingest(db_path, repo.path)
    repo.write("a.txt", "a\n")
    sha = repo.commit("first", "2024-10-01T09:00:00+00:00")
    report = ingest(db_path, repo.path)
    assert [r["new_commits"] for r in report["rows"]] == [1]
    assert query(db_path, "SELECT sha FROM commits") == [(sha,)]
    assert query(db_path, "SELECT head_sha FROM repositories") == [(sha,)]


def test_second_run_reads_only_new_commits(make_repo, db_path):
    """The everyday case: commits were added since the last run."""
    repo = make_repo("incremental")
    repo.write("a.txt", "a\n")
    c1 = repo.commit("one", "2024-10-01T09:00:00+00:00")
    ingest(db_path, repo.path)
    repo.write("a.txt", "a\nb\n")
    c2 = repo.commit("two", "2024-10-02T09:00:00+00:00", author=BOB)
    report = ingest(db_path, repo.path)
    assert [(r["status"], r["new_commits"], r["new_file_changes"]) for r in report["rows"]] == [("ingested", 1, 1)]
    assert sorted(query(db_path, "SELECT sha, parents FROM commits")) == sorted([(c1, []), (c2, [c1])])
    assert stored_files(db_path, c2) == [("a.txt", None, 1, 0)]
    assert query(db_path, "SELECT head_sha FROM repositories") == [(c2,)]


# --- 4. shallow clones -------------------------------------------------------------------


def test_shallow_clone_boundary_keeps_real_parents_and_has_no_files(make_repo, tmp_path, db_path):
    src = make_repo("src")
    shas = []
    for i in range(4):
        src.write(f"f{i}.txt", "x\n" * (i + 1))
        shas.append(src.commit(f"c{i}", f"2024-11-0{i + 1}T09:00:00+00:00"))
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{src.path}", str(clone))

    ingest(db_path, clone)

    assert sorted(r[0] for r in query(db_path, "SELECT sha FROM commits")) == sorted(shas[2:])
    boundary = commit_row(db_path, shas[2])
    assert boundary["is_shallow_boundary"] is True
    assert boundary["parents"] == [shas[1]]
    assert boundary["is_merge"] is False
    assert file_count(db_path, shas[2]) == 0
    tip = commit_row(db_path, shas[3])
    assert (tip["is_shallow_boundary"], tip["parents"]) == (False, [shas[2]])
    assert stored_files(db_path, shas[3]) == [("f3.txt", None, 4, 0)]
    assert_files_match_git(db_path, clone, [shas[3]])
    assert query(db_path, "SELECT is_shallow, head_sha FROM repositories") == [(True, shas[3])]
    # What the commit object itself says (git log hides the parent in a shallow clone):
    assert git(clone, "cat-file", "-p", shas[2]).splitlines()[1] == f"parent {shas[1]}"


def test_shallow_boundary_merge_keeps_both_parents(make_repo, tmp_path, db_path):
    src = make_repo("src")
    src.write("a.txt", "a\n")
    src.commit("c1", "2024-11-01T09:00:00+00:00")
    src.checkout("side", create=True)
    src.write("b.txt", "b\n")
    side = src.commit("side", "2024-11-02T09:00:00+00:00")
    src.checkout("main")
    src.write("a.txt", "a\na\n")
    main2 = src.commit("c2", "2024-11-03T09:00:00+00:00")
    merge = src.merge("side", message="merge side", when="2024-11-04T09:00:00+00:00")
    src.write("c.txt", "c\n")
    tip = src.commit("c3", "2024-11-05T09:00:00+00:00")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "main", f"file://{src.path}", str(clone))
    git(clone, "fetch", "-q", "--depth", "2", "origin", "main")

    ingest(db_path, clone)

    stored = dict(query(db_path, "SELECT sha, is_shallow_boundary FROM commits"))
    assert stored == {tip: False, merge: True}
    row = commit_row(db_path, merge)
    assert row["parents"] == [main2, side]
    assert row["is_merge"] is True
    assert file_count(db_path, merge) == 0
    assert stored_files(db_path, tip) == [("c.txt", None, 1, 0)]


# --- 6. a commit touching more than 10,000 files ------------------------------------------


def test_commit_with_more_than_ten_thousand_files(make_repo, db_path):
    repo = make_repo("huge")
    n = 10_050
    for i in range(n):
        folder = repo.path / f"d{i // 100:03d}"
        if i % 100 == 0:
            folder.mkdir()
        (folder / f"f{i:05d}.txt").write_bytes(b"line\n" * (1 + i % 3))
    big = repo.commit("add many files", "2024-12-01T09:00:00+00:00")
    # Rename a whole folder of 100 files and edit 50 files elsewhere.
    repo.move("d000", "moved")
    for i in range(100, 150):
        (repo.path / "d001" / f"f{i:05d}.txt").write_bytes(b"changed\n")
    edit = repo.commit("rename a folder, edit some files", "2024-12-02T09:00:00+00:00")

    ingest(db_path, repo.path)

    expected = git_numstat(repo.path, big, edit)
    assert len(expected[big]) == n
    assert file_count(db_path, big) == n
    assert scalar(db_path, "SELECT sum(lines_added) FROM commit_files WHERE commit_sha = ?", [big]) == sum(
        1 + i % 3 for i in range(n)
    )
    assert stored_files(db_path, big) == expected[big]
    assert stored_files(db_path, edit) == expected[edit]
    assert file_count(db_path, edit) == 150
    assert scalar(db_path, "SELECT count(*) FROM repository_files") == n


# --- 8. a git directory without a config file -----------------------------------------------


def test_git_directory_without_config_file(make_repo, tmp_path, db_path):
    src = make_repo("src")
    src.write("a.txt", "a\n")
    c1 = src.commit("one", "2025-01-01T09:00:00+00:00")
    src.write("a.txt", "a\nb\n")
    c2 = src.commit("two", "2025-01-02T09:00:00+00:00")
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(src.path), str(bare))
    copy = tmp_path / "noconfig.git"
    shutil.copytree(bare, copy)
    (copy / "config").unlink()

    ingest(db_path, copy)

    assert query(db_path, "SELECT name, path, work_tree, default_branch, head_sha FROM repositories") == [
        ("noconfig", str(copy.resolve()), None, "main", c2)
    ]
    assert sorted(r[0] for r in query(db_path, "SELECT sha FROM commits")) == sorted([c1, c2])
    assert_files_match_git(db_path, src.path, [c1, c2])
    assert query(db_path, "SELECT ref_name, commit_sha FROM git_refs") == [("refs/heads/main", c2)]


# --- 11. .mailmap ------------------------------------------------------------------------


def test_mailmap_merges_two_emails_into_one_identity(make_repo, db_path):
    repo = make_repo("mailmap")
    old = Person("alice", "Alice@Old-Laptop.local")
    repo.write("a.txt", "a\n")
    c1 = repo.commit("from the old laptop", "2025-02-01T09:00:00+00:00", author=old)
    repo.write(".mailmap", "Alice Example <alice@example.com> <alice@old-laptop.local>\n")
    c2 = repo.commit("add mailmap", "2025-02-02T09:00:00+00:00", author=ALICE)
    shouting = Person("Bob Example", "Bob@Example.COM")
    repo.write("b.txt", "b\n")
    c3 = repo.commit("bob", "2025-02-03T09:00:00+00:00", author=shouting)

    ingest(db_path, repo.path)

    rows = query(
        db_path,
        "SELECT sha, author_name, author_email, author_mailmap_name, author_identity_id, "
        "committer_identity_id FROM commits ORDER BY author_time",
    )
    assert rows == [
        (
            c1,
            "alice",
            "Alice@Old-Laptop.local",
            "Alice Example",
            "git:alice@example.com",
            "git:alice@example.com",
        ),
        (
            c2,
            "Alice Example",
            "alice@example.com",
            "Alice Example",
            "git:alice@example.com",
            "git:alice@example.com",
        ),
        (c3, "Bob Example", "Bob@Example.COM", "Bob Example", "git:bob@example.com", "git:bob@example.com"),
    ]
    assert query(db_path, "SELECT identity_id, kind, email, name, is_bot FROM identities ORDER BY 1") == [
        ("git:alice@example.com", "git", "alice@example.com", "Alice Example", False),
        ("git:bob@example.com", "git", "bob@example.com", "Bob Example", False),
    ]


# --- 12. bots ----------------------------------------------------------------------------


CI_USER = Person("ci-user", "ci@example.com")


def _bot_repo(make_repo) -> Repo:
    repo = make_repo("bots")
    repo.write("a.txt", "a\n")
    repo.commit("human", "2025-03-01T09:00:00+00:00", author=ALICE)
    repo.write("requirements.txt", "requests==2.32.0\n")
    repo.commit("Bump requests", "2025-03-02T09:00:00+00:00", author=DEPENDABOT)
    repo.write("ci.txt", "ok\n")
    repo.commit("ci: release", "2025-03-03T09:00:00+00:00", author=CI_USER)
    return repo


def _bot_flags(db: Path) -> list[tuple]:
    return query(db, "SELECT identity_id, is_bot, bot_rule FROM identities ORDER BY identity_id")


def test_dependabot_is_flagged_by_the_default_rules(make_repo, db_path):
    repo = _bot_repo(make_repo)
    ingest(db_path, repo.path)
    assert _bot_flags(db_path) == [
        ("git:49699333+dependabot[bot]@users.noreply.github.com", True, r"\[bot\]"),
        ("git:alice@example.com", False, None),
        ("git:ci@example.com", False, None),
    ]


def test_extra_bot_pattern_from_config_file(make_repo, tmp_path, db_path):
    repo = _bot_repo(make_repo)
    workdir = tmp_path / "project"
    workdir.mkdir()
    (workdir / "quarterdeck.toml").write_text('[identities]\nextra_bot_patterns = ["^ci-user"]\n')
    ingest(db_path, repo.path, cwd=workdir)
    assert _bot_flags(db_path) == [
        ("git:49699333+dependabot[bot]@users.noreply.github.com", True, r"\[bot\]"),
        ("git:alice@example.com", False, None),
        ("git:ci@example.com", True, "^ci-user"),
    ]
    # Without the pattern the flag goes away on the next run (nothing new to read).
    report = ingest(db_path, repo.path)
    assert [r["status"] for r in report["rows"]] == ["unchanged"]
    assert _bot_flags(db_path)[2] == ("git:ci@example.com", False, None)


def test_extra_bot_pattern_from_environment(make_repo, db_path):
    repo = _bot_repo(make_repo)
    ingest(db_path, repo.path, env={"QUARTERDECK_EXTRA_BOT_PATTERNS": "^ci-user"})
    assert _bot_flags(db_path)[2] == ("git:ci@example.com", True, "^ci-user")


# --- 13. --refs ----------------------------------------------------------------------------


def _repo_with_pull_ref(make_repo) -> tuple[Repo, str, str]:
    repo = make_repo("refs")
    repo.write("a.txt", "a\n")
    main = repo.commit("main", "2025-04-01T09:00:00+00:00")
    repo.checkout("pr", create=True)
    repo.write("pr.txt", "proposal\n")
    pr = repo.commit("proposal", "2025-04-02T09:00:00+00:00", author=BOB)
    repo.checkout("main")
    repo.git("update-ref", "refs/pull/1/head", pr)
    repo.git("branch", "-q", "-D", "pr")
    return repo, main, pr


def test_pull_refs_are_not_followed_by_default(make_repo, db_path):
    repo, main, pr = _repo_with_pull_ref(make_repo)
    ingest(db_path, repo.path)
    assert query(db_path, "SELECT sha FROM commits") == [(main,)]
    assert query(db_path, "SELECT count(*) FROM commits WHERE sha = ?", [pr]) == [(0,)]
    assert query(db_path, "SELECT ref_name, commit_sha FROM git_refs") == [("refs/heads/main", main)]
    assert query(db_path, "SELECT ref_patterns FROM repositories") == [(DEFAULT_REFS,)]


def test_pull_refs_are_followed_with_refs_option(make_repo, db_path):
    """The --help example: ``--refs refs/heads --refs 'refs/pull/*'`` follows refs/pull/1/head."""
    repo, main, pr = _repo_with_pull_ref(make_repo)
    ingest(db_path, repo.path, extra=["--refs", "refs/heads", "--refs", "refs/pull/*"])
    assert query(db_path, "SELECT ref_name, commit_sha FROM git_refs ORDER BY 1") == [
        ("refs/heads/main", main),
        ("refs/pull/1/head", pr),
    ]
    assert sorted(query(db_path, "SELECT sha, reachable FROM commits")) == sorted([(main, True), (pr, True)])
    assert stored_files(db_path, pr) == [("pr.txt", None, 1, 0)]
    assert query(db_path, "SELECT ref_patterns FROM repositories") == [(["refs/heads", "refs/pull"],)]


def test_pull_refs_are_followed_with_prefix_pattern(make_repo, db_path):
    """``refs/pull`` (a prefix, as git for-each-ref understands it) reaches refs/pull/1/head."""
    repo, main, pr = _repo_with_pull_ref(make_repo)
    ingest(db_path, repo.path, extra=["--refs", "refs/heads,refs/pull"])
    assert sorted(query(db_path, "SELECT sha, reachable FROM commits")) == sorted([(main, True), (pr, True)])
    assert query(db_path, "SELECT ref_name, commit_sha FROM git_refs ORDER BY 1") == [
        ("refs/heads/main", main),
        ("refs/pull/1/head", pr),
    ]
    assert stored_files(db_path, pr) == [("pr.txt", None, 1, 0)]


def test_adding_pull_refs_on_a_later_run(make_repo, db_path):
    repo, main, pr = _repo_with_pull_ref(make_repo)
    ingest(db_path, repo.path)
    report = ingest(db_path, repo.path, extra=["--refs", "refs/heads,refs/pull"])
    assert [(r["status"], r["new_commits"]) for r in report["rows"]] == [("ingested", 1)]
    assert sorted(query(db_path, "SELECT sha, reachable FROM commits")) == sorted([(main, True), (pr, True)])


def test_dropping_pull_refs_marks_their_commits_unreachable(make_repo, db_path):
    repo, main, pr = _repo_with_pull_ref(make_repo)
    ingest(db_path, repo.path, extra=["--refs", "refs/heads,refs/pull"])
    report = ingest(db_path, repo.path)
    assert [(r["status"], r["new_commits"], r["now_unreachable"]) for r in report["rows"]] == [("ingested", 0, 1)]
    assert sorted(query(db_path, "SELECT sha, reachable FROM commits")) == sorted([(main, True), (pr, False)])
    assert query(db_path, "SELECT ref_name FROM git_refs") == [("refs/heads/main",)]


def test_annotated_nested_tree_and_blob_tags_do_not_crash(make_repo, db_path):
    repo = make_repo("tags")
    repo.write("a.txt", "a\n")
    c1 = repo.commit("one", "2025-05-01T09:00:00+00:00")
    repo.write("a.txt", "a\nb\n")
    c2 = repo.commit("two", "2025-05-02T09:00:00+00:00")
    tag_env = {
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_COMMITTER_DATE": "2025-05-03T09:00:00+00:00",
    }

    def tag(*args: str) -> None:
        git(repo.path, "tag", *args, env=git_env(**tag_env))

    tag("-a", "v1", "-m", "release 1", c1)
    tag("-a", "v1-again", "-m", "tag of a tag", "v1")
    tag("tree-tag", f"{c2}^{{tree}}")
    tag("-a", "annotated-tree-tag", "-m", "a tree", f"{c2}^{{tree}}")
    blob = repo.git("rev-parse", f"{c2}:a.txt").strip()
    tag("blob-tag", blob)
    tag("-a", "annotated-blob-tag", "-m", "a blob", blob)

    ingest(db_path, repo.path)

    assert query(db_path, "SELECT ref_name, commit_sha FROM git_refs ORDER BY 1") == [
        ("refs/heads/main", c2),
        ("refs/tags/v1", c1),
        ("refs/tags/v1-again", c1),
    ]
    assert sorted(r[0] for r in query(db_path, "SELECT sha FROM commits")) == sorted([c1, c2])
    assert sorted(all_commits(repo.path)) == sorted([c1, c2])
