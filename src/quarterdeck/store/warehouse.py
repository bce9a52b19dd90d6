"""Opening, checking and migrating the one-file DuckDB warehouse.

A file is only ever written after it has been recognised as a Quarterdeck warehouse of
a schema this version knows (or when it does not exist yet). Anything else fails with a
one-line error naming the file, and the file is left untouched.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from quarterdeck import __version__
from quarterdeck.core.clock import now
from quarterdeck.core.errors import WarehouseError

SCHEMA_TABLE = "quarterdeck_schema"
_DUCKDB_MAGIC = b"DUCK"
_LOCK_PID = re.compile(r"PID (\d+)")
_CREATOR = re.compile(r"\.creating-(\d+)")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def _load_migrations() -> tuple[Migration, ...]:
    found = []
    for entry in resources.files("quarterdeck.store").joinpath("migrations").iterdir():
        match = re.fullmatch(r"(\d{4})_(\w+)\.sql", entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    return tuple(sorted(found, key=lambda m: m.version))


MIGRATIONS = _load_migrations()
LATEST_SCHEMA_VERSION = MIGRATIONS[-1].version


class Warehouse:
    """An open warehouse: one DuckDB connection plus helpers for batch writes."""

    def __init__(self, path: Path, connection: duckdb.DuckDBPyConnection, read_only: bool):
        self.path = path
        self.con = connection
        self.read_only = read_only
        self._keys: dict[str, tuple[str, ...]] = {}  # table -> its primary key's columns

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Run a block in one transaction: all of its writes land, or none do."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def insert_arrow(
        self, table: str, rows: Any, constants: Mapping[str, Any] | None = None, *, replace: bool = False
    ) -> int:
        """Append an Arrow table to ``table`` (columns matched by name); ``constants`` fill
        columns that have the same value on every row (source, load time...). With
        ``replace``, a row whose primary key is stored already replaces the stored one."""
        if rows.num_rows == 0:
            return 0
        constants = constants or {}
        names = ", ".join([*rows.column_names, *constants])
        values = ", ".join([*rows.column_names, *("?" for _ in constants)])
        self.con.register("_quarterdeck_batch", rows)
        try:
            # INSERT OR REPLACE looks each row up in the key's index: several times slower than
            # an insert, so it is used only when a row of the batch is stored already
            verb = "INSERT OR REPLACE" if replace and self._any_stored(table, rows, constants) else "INSERT"
            self.con.execute(
                f"{verb} INTO {table} ({names}) SELECT {values} FROM _quarterdeck_batch",
                list(constants.values()),
            )
        finally:
            self.con.unregister("_quarterdeck_batch")
        return rows.num_rows

    def _any_stored(self, table: str, rows: Any, constants: Mapping[str, Any]) -> bool:
        """Whether a row of ``_quarterdeck_batch`` has the primary key of a stored row of
        ``table`` (True when the key cannot be told: the caller then replaces)."""
        key = self.primary_key(table)
        batch, given = set(rows.column_names), set(constants)
        if not key or any(c not in batch and c not in given for c in key):
            return True
        on = [f"t.{c} = b.{c}" if c in batch else f"t.{c} = ?" for c in key]
        params = [constants[c] for c in key if c not in batch]
        sql = f"SELECT EXISTS (SELECT 1 FROM {table} t JOIN _quarterdeck_batch b ON {' AND '.join(on)})"
        return bool(self.con.execute(sql, params).fetchall()[0][0])

    def columns(self, table: str) -> tuple[str, ...]:
        """The columns of ``table``, in order (none: no such table)."""
        rows = self.con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [table]
        ).fetchall()
        return tuple(r[0] for r in rows)

    def primary_key(self, table: str) -> tuple[str, ...]:
        if table not in self._keys:
            rows = self.con.execute(
                "SELECT constraint_column_names FROM duckdb_constraints() "
                "WHERE table_name = ? AND constraint_type = 'PRIMARY KEY'",
                [table],
            ).fetchall()
            self._keys[table] = tuple(rows[0][0]) if rows else ()
        return self._keys[table]

    def value(self, sql: str, params: Any = None) -> Any:
        """The first column of the first row of ``sql`` (None when there is no row).

        Reads the whole result: DuckDB refuses further work on a connection whose last
        result was not read to its end."""
        rows = self.con.execute(sql, params or []).fetchall()
        return rows[0][0] if rows else None

    def schema_version(self) -> int:
        return _schema_version(self.con) or 0


def first_row(cursor: Any) -> tuple[Any, ...] | None:
    """The first row of a result, reading it to its end (DuckDB wants results finished)."""
    rows = cursor.fetchall()
    return rows[0] if rows else None


def open_warehouse(path: Path | str, *, read_only: bool = False, create: bool = True) -> Warehouse:
    """Open (and, when writable, create or migrate) the warehouse at ``path``."""
    path = Path(path)
    exists = path.exists()
    if exists:
        _check_file(path)
    elif read_only or not create:
        raise WarehouseError(
            f"{path}: no warehouse here yet; run 'quarterdeck ingest git PATH' first "
            "or point --db / QUARTERDECK_DB at an existing warehouse"
        )
    if not read_only:
        _check_writable(path, exists)
    if exists:
        _check_schema(path)
    elif not read_only and not _create(path):  # another process created it first
        _check_file(path)
        _check_schema(path)
    con = _connect(path, read_only=read_only)
    warehouse = Warehouse(path, con, read_only)
    if not read_only:
        _migrate(warehouse)
    return warehouse


def _create(path: Path) -> bool:
    """Build a new warehouse under a temporary name, then put it at ``path`` in one step, so
    a process killed while creating it never leaves a half-made file there.

    The step never replaces a file: when another process put its own new warehouse at
    ``path`` first, this one's is thrown away and False is returned (the caller then opens
    the other's, and is told that it is in use while the other holds it)."""
    for stale in path.parent.glob(f".{path.name}.creating-*"):
        if _abandoned(stale):
            remove_warehouse(stale)
    temporary = path.with_name(f".{path.name}.creating-{os.getpid()}")
    try:
        warehouse = Warehouse(temporary, _connect(temporary, read_only=False), False)
        try:
            _migrate(warehouse)
            warehouse.con.execute("CHECKPOINT")
        finally:
            warehouse.close()
        return _publish(temporary, path)
    finally:
        remove_warehouse(temporary)


def _publish(temporary: Path, path: Path) -> bool:
    """Give the finished file ``temporary`` the name ``path`` unless a file has it already
    (a hard link fails rather than replace; where links are not supported, a rename)."""
    try:
        os.link(temporary, path)
        return True
    except FileExistsError:
        return False
    except OSError:
        if path.exists():
            return False
        os.replace(temporary, path)
        return True


def _abandoned(temporary: Path) -> bool:
    """Whether a temporary warehouse was left by a process that is gone (one still running
    is creating it right now). Where processes cannot be asked about, one an hour old."""
    pid = _CREATOR.search(temporary.name)
    if os.name == "posix" and pid:
        try:
            os.kill(int(pid[1]), 0)
        except ProcessLookupError:
            return True
        except OSError:
            return False  # alive, run by another user
        return False
    try:
        return time.time() - temporary.stat().st_mtime > 3600
    except OSError:
        return False


def remove_warehouse(path: Path) -> None:
    """Delete a warehouse file and its write-ahead log (for a warehouse this run created)."""
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise WarehouseError(f"{path}: is a directory, expected a Quarterdeck warehouse file")
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise WarehouseError(f"{path}: cannot read warehouse file: {exc.strerror}") from None
    if header[8:12] != _DUCKDB_MAGIC:
        raise WarehouseError(f"{path}: not a Quarterdeck warehouse (not a DuckDB database file)")


def _check_writable(path: Path, exists: bool) -> None:
    if exists:
        if not os.access(path, os.W_OK):
            raise WarehouseError(f"{path}: warehouse file is not writable")
        return
    folder = path.parent if str(path.parent) else Path(".")
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise WarehouseError(f"{path}: cannot create warehouse, {probe} is a file, not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise WarehouseError(f"{path}: cannot create warehouse, folder {probe} is not writable")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe_file = folder / f".{path.name}.quarterdeck-probe-{os.getpid()}"
        probe_file.touch()
        probe_file.unlink()
    except OSError as exc:
        raise WarehouseError(f"{path}: cannot create warehouse in {folder}: {exc.strerror}") from None


def _check_schema(path: Path) -> None:
    con = _connect(path, read_only=True)
    try:
        version = _schema_version(con)
        if version is None and _user_tables(con):
            raise WarehouseError(
                f"{path}: a DuckDB database but not a Quarterdeck warehouse "
                f"(no {SCHEMA_TABLE} table); choose another --db path"
            )
        if version is not None and version > LATEST_SCHEMA_VERSION:
            raise WarehouseError(
                f"{path}: made by a newer Quarterdeck (schema version {version}; this is "
                f"Quarterdeck {__version__}, which knows up to {LATEST_SCHEMA_VERSION}); "
                "upgrade Quarterdeck to use it"
            )
    finally:
        con.close()


def _connect(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    config = {
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "false",
    }
    try:
        con = duckdb.connect(str(path), read_only=read_only, config=config)
        con.execute("SET TimeZone = 'UTC'")
        return con
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            pid = _LOCK_PID.search(text)
            holder = f" (PID {pid[1]})" if pid else ""
            raise WarehouseError(f"{path}: warehouse is in use by another process{holder}") from None
        raise WarehouseError(f"{path}: cannot open warehouse: {_first_line(text)}") from None
    except duckdb.Error as exc:
        raise WarehouseError(f"{path}: cannot open warehouse: {_first_line(str(exc))}") from None


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "unknown error"


def _user_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database()"
    ).fetchall()
    return [r[0] for r in rows]


def _schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    if SCHEMA_TABLE not in _user_tables(con):
        return None
    rows = con.execute(f"SELECT max(version) FROM {SCHEMA_TABLE}").fetchall()
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0


def _migrate(warehouse: Warehouse) -> None:
    con = warehouse.con
    current = _schema_version(con)
    if current is None:
        con.execute(
            f"CREATE TABLE IF NOT EXISTS {SCHEMA_TABLE} (version INTEGER PRIMARY KEY, "
            "name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL, "
            "applied_by VARCHAR NOT NULL)"
        )
        current = 0
    for migration in MIGRATIONS:
        if migration.version <= current:
            continue
        with warehouse.transaction():
            con.execute(migration.sql)
            con.execute(
                f"INSERT INTO {SCHEMA_TABLE} VALUES (?, ?, ?, ?)",
                [migration.version, migration.name, now(), f"quarterdeck {__version__}"],
            )
