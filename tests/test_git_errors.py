"""Bad input to ``quarterdeck ingest git``: every case gives one line on stderr naming the
path and the problem, a non-zero exit code, and leaves the warehouse as it was."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import duckdb
import pytest

from tests.gitrepo import ALICE, Repo, git
from tests.test_git_edge_support import (
    DATA_TABLES,
    explode_packs,
    fast_import,
    ingest,
    loose_object,
    query,
    run_cli,
    table_contents,
    table_counts,
)


def _good_repo(path: Path, text: str = "a\n") -> Repo:
    repo = Repo.create(path)
    repo.write("a.txt", text)
    repo.commit(f"init {path.name}", "2024-01-01T09:00:00+00:00", author=ALICE)
    return repo


@pytest.fixture
def warehouse(tmp_path, db_path) -> Path:
    """A warehouse that already holds one ingested repository."""
    ingest(db_path, _good_repo(tmp_path / "already-there").path)
    return db_path


def _one_line_error(result, *must_contain: str) -> str:
    assert result.returncode != 0, result.stdout
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{result.stderr}"
    assert "Traceback" not in result.stderr
    for text in must_contain:
        assert text in lines[0], f"{text!r} not in {lines[0]!r}"
    return lines[0]


def _ingest(db: Path, *paths: Path | str, columns: str | None = "200", jobs: str = "2"):
    return run_cli("--db", str(db), "ingest", "git", *map(str, paths), "--jobs", jobs, columns=columns)


# --- paths that are not repositories -------------------------------------------------------


def test_folder_that_is_not_a_repository(tmp_path, warehouse):
    before = warehouse.read_bytes()
    folder = tmp_path / "just-a-folder"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "file.txt").write_text("hello\n")

    line = _one_line_error(_ingest(warehouse, folder), str(folder), "not a git repository")

    assert line == f"error: {folder}: not a git repository, and no repository found under it"
    assert warehouse.read_bytes() == before


def test_file_that_is_not_a_repository(tmp_path, warehouse):
    before = warehouse.read_bytes()
    path = tmp_path / "notes.txt"
    path.write_text("hello\n")
    line = _one_line_error(_ingest(warehouse, path), str(path))
    assert line == f"error: {path}: not a git repository or a folder"
    assert warehouse.read_bytes() == before


def test_path_that_does_not_exist(tmp_path, warehouse):
    before = warehouse.read_bytes()
    path = tmp_path / "no" / "such" / "repo"
    line = _one_line_error(_ingest(warehouse, path), str(path))
    assert line == f"error: {path}: no such file or directory"
    assert warehouse.read_bytes() == before


def test_nothing_is_created_when_no_path_is_a_repository(tmp_path, db_path):
    result = _ingest(db_path, tmp_path / "missing")
    _one_line_error(result, str(tmp_path / "missing"))
    assert not db_path.exists()


# --- corrupt repositories --------------------------------------------------------------------


def _corrupt_repo(path: Path, commits: int = 250) -> tuple[Path, str]:
    """A repository of loose objects missing the first version of ``shared.txt`` (a blob
    that is not checked out, so git cannot read it from the work tree instead)."""
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    fast_import(path, commits)
    git(path, "checkout", "-q", "main")
    explode_packs(path / ".git")
    oid = git(path, "rev-parse", f"main~{commits - 1}:shared.txt").strip()
    loose_object(path / ".git", oid).unlink()
    return path, oid


def _assert_no_run_recorded(db: Path, runs_before: int) -> None:
    """A run in which every repository failed stored nothing, so it leaves no ledger row."""
    assert len(query(db, "SELECT status FROM ingestion_runs")) == runs_before


def test_repository_with_a_missing_blob(tmp_path, warehouse):
    before = table_contents(warehouse)
    runs = table_counts(warehouse)["ingestion_runs"]
    repo, oid = _corrupt_repo(tmp_path / "corrupt")

    # One git process, so the newest 200 commits are stored in two batches before the
    # batch holding the broken commit fails: what they wrote must be removed again.
    result = _ingest(warehouse, repo, jobs="1")

    _one_line_error(result, str(repo), oid)
    assert table_contents(warehouse) == before
    _assert_no_run_recorded(warehouse, runs)


def test_repository_with_a_missing_commit(tmp_path, warehouse):
    before = table_contents(warehouse)
    repo = _good_repo(tmp_path / "corrupt")
    repo.write("a.txt", "b\n")
    repo.commit("second", "2024-01-02T09:00:00+00:00")
    explode_packs(repo.path / ".git")
    loose_object(repo.path / ".git", repo.commits[0]).unlink()

    result = _ingest(warehouse, repo.path)

    _one_line_error(result, str(repo.path), repo.commits[0])
    assert table_contents(warehouse) == before


def test_repository_with_a_garbled_object(tmp_path, warehouse):
    before = table_contents(warehouse)
    repo = _good_repo(tmp_path / "corrupt")
    repo.write("a.txt", "b\n")
    repo.commit("second", "2024-01-02T09:00:00+00:00")
    blob = repo.git("rev-parse", f"{repo.commits[0]}:a.txt").strip()
    obj = loose_object(repo.path / ".git", blob)
    obj.chmod(0o644)
    obj.write_bytes(b"this is not zlib data")

    result = _ingest(warehouse, repo.path)

    _one_line_error(result, str(repo.path))
    assert table_contents(warehouse) == before


def test_one_bad_repository_among_good_ones(tmp_path, warehouse):
    before = table_contents(warehouse)
    good1 = _good_repo(tmp_path / "good1", "one\n")
    bad, oid = _corrupt_repo(tmp_path / "bad", commits=150)
    good2 = _good_repo(tmp_path / "good2", "two\ntwo\n")
    missing = tmp_path / "missing"

    result = _ingest(warehouse, good1.path, bad, missing, good2.path)

    assert result.returncode == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 2, result.stderr
    assert any(str(bad) in ln and oid in ln for ln in lines), lines
    assert any(str(missing) in ln and "no such file or directory" in ln for ln in lines), lines
    stored = dict(
        query(
            warehouse,
            "SELECT work_tree, count(*) FROM repositories r JOIN commits c USING (repository_id) GROUP BY ALL",
        )
    )
    assert stored == {
        str((tmp_path / "already-there").resolve()): 1,
        str(good1.path.resolve()): 1,
        str(good2.path.resolve()): 1,
    }
    assert query(warehouse, "SELECT count(*) FROM repositories WHERE work_tree = ?", [str(bad.resolve())]) == [(0,)]
    after = table_contents(warehouse)
    for table in DATA_TABLES:
        assert {repr(r) for r in before[table]} <= {repr(r) for r in after[table]}, table  # nothing lost
    assert query(warehouse, "SELECT status FROM ingestion_runs ORDER BY run_id DESC LIMIT 1") == [("partial",)]


def test_error_stays_on_one_line_without_a_terminal(tmp_path, warehouse):
    """Run as from a script or CI job (no terminal, no COLUMNS): still one line."""
    repo, oid = _corrupt_repo(tmp_path / "a-repository-with-a-rather-long-folder-name" / "corrupt", commits=3)
    result = _ingest(warehouse, repo, columns=None)
    _one_line_error(result, str(repo), oid)


# --- the warehouse location -----------------------------------------------------------------


def test_database_under_a_regular_file(tmp_path):
    repo = _good_repo(tmp_path / "repo")
    blocker = tmp_path / "blocker.txt"
    blocker.write_text("I am a file\n")
    db = blocker / "warehouse.duckdb"

    _one_line_error(_ingest(db, repo.path), str(db), str(blocker))

    assert blocker.read_text() == "I am a file\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: folder permissions do not block writes")
def test_database_in_a_read_only_folder(tmp_path):
    repo = _good_repo(tmp_path / "repo")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        _one_line_error(_ingest(folder / "w.duckdb", repo.path), str(folder), "not writable")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(stat.S_IRWXU)


@pytest.mark.parametrize("location", ["/sys/quarterdeck-test.duckdb", "/proc/quarterdeck-test/w.duckdb"])
def test_database_where_nobody_may_write(tmp_path, location):
    """Places that refuse new files even to root (sysfs, procfs), so CI running as root
    still checks the unwritable-database error."""
    if not Path(location).parent.parent.is_dir():
        pytest.skip(f"{location}: no such file system here")
    repo = _good_repo(tmp_path / "repo")
    _one_line_error(_ingest(Path(location), repo.path), location, "cannot create warehouse")
    assert not Path(location).exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: file permissions do not block writes")
def test_read_only_warehouse_file(tmp_path, warehouse):
    before = warehouse.read_bytes()
    warehouse.chmod(stat.S_IRUSR)
    try:
        repo = _good_repo(tmp_path / "repo")
        _one_line_error(_ingest(warehouse, repo.path), str(warehouse), "not writable")
    finally:
        warehouse.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert warehouse.read_bytes() == before


def test_database_path_is_a_text_file(tmp_path):
    repo = _good_repo(tmp_path / "repo")
    db = tmp_path / "notes.duckdb"
    db.write_text("these are my notes, not a database\n")
    before = db.read_bytes()

    line = _one_line_error(_ingest(db, repo.path), str(db))

    assert line == f"error: {db}: not a Quarterdeck warehouse (not a DuckDB database file)"
    assert db.read_bytes() == before


def test_database_path_is_a_directory(tmp_path):
    repo = _good_repo(tmp_path / "repo")
    db = tmp_path / "a-folder.duckdb"
    db.mkdir()
    _one_line_error(_ingest(db, repo.path), str(db), "directory")
    assert list(db.iterdir()) == []


def test_duckdb_file_that_is_not_a_quarterdeck_warehouse(tmp_path):
    repo = _good_repo(tmp_path / "repo")
    db = tmp_path / "analytics.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE sales (day DATE, amount DECIMAL(10, 2))")
    con.execute("INSERT INTO sales VALUES ('2024-01-01', 12.50), ('2024-01-02', 7.25)")
    con.close()
    before = db.read_bytes()

    line = _one_line_error(_ingest(db, repo.path), str(db), "not a Quarterdeck warehouse")

    assert line.startswith(f"error: {db}: ")
    assert db.read_bytes() == before
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT table_name FROM information_schema.tables").fetchall() == [("sales",)]
    con.close()


def test_warehouse_from_a_newer_quarterdeck(tmp_path, warehouse):
    con = duckdb.connect(str(warehouse))
    con.execute("INSERT INTO quarterdeck_schema VALUES (999, 'future', now(), 'quarterdeck 99')")
    con.close()
    before = warehouse.read_bytes()
    counts = table_counts(warehouse)
    repo = _good_repo(tmp_path / "repo")

    _one_line_error(_ingest(warehouse, repo.path), str(warehouse), "newer Quarterdeck")

    assert warehouse.read_bytes() == before
    assert table_counts(warehouse) == counts


def test_comparisons_cover_every_table(warehouse):
    """Guard for the before/after comparisons above: they look at every table there is."""
    tables = {r[0] for r in query(warehouse, "SELECT table_name FROM information_schema.tables")}
    assert tables == {*DATA_TABLES, "ingestion_runs", "quarterdeck_schema"}
