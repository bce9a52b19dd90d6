"""Opening, creating and migrating the warehouse file, and refusing files that are not ours.

A file is only written once it is known to be a Quarterdeck warehouse of a schema this
version knows (or does not exist yet); anything else fails with a one-line error naming
the file, a non-zero exit, and the file's bytes unchanged.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from quarterdeck import __version__
from quarterdeck.core.errors import WarehouseError
from quarterdeck.store import open_warehouse
from tests.conftest import ROOT
from tests.warehouse_rows import ALL_TABLES

MIGRATIONS_DIR = ROOT / "src" / "quarterdeck" / "store" / "migrations"
GIT_TABLES = set(ALL_TABLES)


def migration_files() -> list[tuple[int, str]]:
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = re.fullmatch(r"(\d{4})_(\w+)\.sql", path.name)
        assert match, f"migration file {path.name} does not follow NNNN_name.sql"
        found.append((int(match[1]), match[2]))
    assert [v for v, _ in found] == list(range(1, len(found) + 1)), "migrations are numbered 1, 2, 3..."
    return found


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def one_line_error(result: subprocess.CompletedProcess[str], path: Path) -> str:
    assert result.returncode != 0
    assert result.stdout == ""
    message = result.stderr.strip()
    assert "\n" not in message, f"expected one line, got:\n{message}"
    assert message.startswith("error: ")
    assert str(path) in message, message
    assert "Traceback" not in message
    return message


@pytest.fixture
def small_repo(make_repo):
    repo = make_repo("small")
    repo.write("a.txt", "a\n")
    repo.commit("a", "2024-01-01T00:00:00+00:00")
    return repo


# -- creating ------------------------------------------------------------------------------


def test_new_warehouse_applies_every_migration_and_records_the_version(small_repo, tmp_path, quarterdeck):
    db = tmp_path / "not" / "yet" / "there.duckdb"
    result = quarterdeck("--db", str(db), "ingest", "git", str(small_repo.path), "--format", "json")
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        versions = con.execute("SELECT version, name, applied_by FROM quarterdeck_schema ORDER BY version").fetchall()
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        applied_at = con.execute("SELECT min(applied_at), max(applied_at) FROM quarterdeck_schema").fetchone()
    finally:
        con.close()
    expected = migration_files()
    assert [(v, n) for v, n, _ in versions] == expected
    assert {by for _, _, by in versions} == {f"quarterdeck {__version__}"}
    assert applied_at[0] is not None and applied_at[0].utcoffset() is not None
    assert tables >= GIT_TABLES | {"quarterdeck_schema"}

    # opening it again migrates nothing
    with open_warehouse(db) as warehouse:
        assert warehouse.schema_version() == expected[-1][0]
        assert (
            warehouse.con.execute(
                "SELECT version, name, applied_by FROM quarterdeck_schema ORDER BY version"
            ).fetchall()
            == versions
        )


def test_open_warehouse_creates_a_current_empty_warehouse(tmp_path):
    db = tmp_path / "w.duckdb"
    with open_warehouse(db) as warehouse:
        assert warehouse.schema_version() == migration_files()[-1][0]
        assert warehouse.con.execute("SELECT count(*) FROM commits").fetchone() == (0,)
    # read-only opening of the new file works and writes nothing
    before = sha256(db)
    with open_warehouse(db, read_only=True) as warehouse:
        assert warehouse.read_only
        assert warehouse.schema_version() == migration_files()[-1][0]
    assert sha256(db) == before


# -- refusing files that are not ours ---------------------------------------------------------


def assert_refused(db: Path, small_repo, quarterdeck, expected: str) -> None:
    """Writers and readers both refuse ``db`` with one line naming it; the file is untouched."""
    before = sha256(db)
    folder = files_in(db.parent)
    for args in (
        ("--db", str(db), "ingest", "git", str(small_repo.path)),
        ("--db", str(db), "ingest", "git", str(small_repo.path), "--format", "json"),
        ("identities", "--db", str(db)),
        ("metrics", "show", "commits", "--db", str(db)),
    ):
        message = one_line_error(quarterdeck(*args), db)
        assert expected in message, message
        assert sha256(db) == before, f"{args} changed the file"
        assert files_in(db.parent) == folder, f"{args} left files next to it"


def test_a_file_that_is_not_duckdb_is_refused_untouched(small_repo, tmp_path, quarterdeck):
    db = tmp_path / "notes.duckdb"
    db.write_bytes(b"these are my notes, not a database\n" * 200)
    assert_refused(db, small_repo, quarterdeck, "not a DuckDB database file")


def test_an_empty_file_is_refused_untouched(small_repo, tmp_path, quarterdeck):
    db = tmp_path / "empty.duckdb"
    db.write_bytes(b"")
    assert_refused(db, small_repo, quarterdeck, "not a Quarterdeck warehouse")


def test_a_sqlite_file_is_refused_untouched(small_repo, tmp_path, quarterdeck):
    import sqlite3

    db = tmp_path / "app.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    assert_refused(db, small_repo, quarterdeck, "not a DuckDB database file")


def test_a_duckdb_database_with_other_tables_is_refused_untouched(small_repo, tmp_path, quarterdeck):
    db = tmp_path / "analytics.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE customers (id INTEGER, name VARCHAR)")
    con.execute("INSERT INTO customers VALUES (1, 'ACME')")
    con.close()
    assert_refused(db, small_repo, quarterdeck, "a DuckDB database but not a Quarterdeck warehouse")
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT * FROM customers").fetchall() == [(1, "ACME")]
    con.close()


def test_a_warehouse_of_a_newer_schema_is_refused_untouched(small_repo, tmp_path, quarterdeck):
    db = tmp_path / "future.duckdb"
    result = quarterdeck("--db", str(db), "ingest", "git", str(small_repo.path), "--format", "json")
    assert result.returncode == 0, result.stderr
    newer = migration_files()[-1][0] + 1
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO quarterdeck_schema VALUES (?, 'from_the_future', now(), 'quarterdeck 99.0')", [newer])
    con.execute("CHECKPOINT")
    con.close()
    assert_refused(db, small_repo, quarterdeck, f"schema version {newer}")
    message = one_line_error(quarterdeck("identities", "--db", str(db)), db)
    assert "newer Quarterdeck" in message and "upgrade" in message
    with pytest.raises(WarehouseError, match="newer Quarterdeck"):
        open_warehouse(db)


def test_a_directory_is_refused(small_repo, tmp_path, quarterdeck):
    db = tmp_path / "folder.duckdb"
    db.mkdir()
    result = quarterdeck("--db", str(db), "ingest", "git", str(small_repo.path))
    assert result.returncode != 0
    assert str(db) in result.stderr and "is a directory" in result.stderr, result.stderr
    assert files_in(db) == set()
    with pytest.raises(WarehouseError, match="is a directory"):
        open_warehouse(db)


# -- reading where there is no warehouse ------------------------------------------------------


def test_reading_without_a_warehouse_says_so_and_creates_nothing(tmp_path, quarterdeck):
    db = tmp_path / "missing" / "w.duckdb"
    message = one_line_error(quarterdeck("identities", "--db", str(db)), db)
    assert "no warehouse here yet" in message
    assert not db.parent.exists()
    assert files_in(tmp_path) == set()

    # the default path, ./quarterdeck.duckdb, in the working folder
    work = tmp_path / "work"
    work.mkdir()
    result = quarterdeck("identities", cwd=work)
    assert result.returncode != 0
    assert "quarterdeck.duckdb" in result.stderr and "no warehouse here yet" in result.stderr
    assert files_in(work) == set()


def test_metrics_list_needs_no_warehouse(tmp_path, quarterdeck):
    result = quarterdeck("metrics", "list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert files_in(tmp_path) == set()


# -- a warehouse in use ----------------------------------------------------------------------


HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE IF NOT EXISTS held (x INTEGER)")
print("ready", flush=True)
sys.stdin.read()
"""


def test_a_warehouse_locked_by_another_process(small_repo, tmp_path, quarterdeck):
    db = tmp_path / "busy.duckdb"
    result = quarterdeck("--db", str(db), "ingest", "git", str(small_repo.path), "--format", "json")
    assert result.returncode == 0, result.stderr
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        for args in (
            ("--db", str(db), "ingest", "git", str(small_repo.path)),
            ("identities", "--db", str(db)),
        ):
            message = one_line_error(quarterdeck(*args), db)
            assert "in use by another process" in message, message
            assert f"(PID {holder.pid})" in message, message
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    # once released, it opens again and nothing was lost
    result = quarterdeck("--db", str(db), "ingest", "git", str(small_repo.path), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert '"unchanged"' in result.stdout
