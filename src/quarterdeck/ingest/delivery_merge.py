"""Merging the valid staged rows of an import into their table, by key.

Merging keeps, for each key, the import's last valid row; a stored row with the same key
and the same content stays as it is, one with other content is replaced. The common case
(no key twice, none stored yet) inserts straight from the staged rows.
"""

from __future__ import annotations

from typing import Any

import duckdb

from quarterdeck.ingest.delivery_fields import Kind
from quarterdeck.ingest.delivery_stage import HASHED, shaped_view

_SAME_AVAILABILITY = "s.window_end = n.window_end AND s.good = n.good AND s.total = n.total"


def merge_staged(con: duckdb.DuckDBPyConnection, kind: Kind, report: Any, loaded_at: Any) -> None:
    """Merge the staged valid rows of ``kind`` into its table, counting what happened.
    The common case (no key twice, none stored yet) inserts straight from the staged rows."""
    staged, table, key = shaped_view(kind), kind.table, ", ".join(kind.key)
    joined = " AND ".join(f"s.{k} = n.{k}" for k in kind.key)
    valid = staged
    # distinct 64-bit hashes of the keys prove the keys distinct (a collision only takes the slow path)
    twice = f"SELECT count(*) - count(DISTINCT hash({key})) FROM {valid}"
    stored = f"SELECT count(*) FROM {staged} AS n WHERE EXISTS (SELECT 1 FROM {table} AS s WHERE {joined})"
    fresh = _first(con, f"SELECT count(*) FROM {table}") == 0 or _first(con, stored) == 0
    if fresh and _first(con, twice) == 0:
        report.loaded += _insert(con, table, valid, loaded_at)
        return
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _quarterdeck_fresh AS SELECT * FROM {staged} "
        f"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY file_order DESC, "
        "record DESC) = 1"
    )
    _note_duplicates(con, kind, report, loaded_at)
    same = "s.content_hash = n.content_hash" if table in HASHED else _SAME_AVAILABILITY
    stored_same = f"EXISTS (SELECT 1 FROM {table} AS s WHERE {joined} AND {same})"
    report.unchanged += con.execute(f"SELECT count(*) FROM _quarterdeck_fresh AS n WHERE {stored_same}").fetchall()[0][
        0
    ]
    con.execute(f"DELETE FROM _quarterdeck_fresh AS n WHERE {stored_same}")
    replaced = con.execute(
        f"DELETE FROM {table} AS s WHERE EXISTS (SELECT 1 FROM _quarterdeck_fresh AS n WHERE {joined})"
    ).fetchall()[0][0]
    inserted = _insert(con, table, "_quarterdeck_fresh", loaded_at)
    report.replaced += replaced
    report.loaded += inserted - replaced


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: str, loaded_at: Any) -> int:
    columns = ", ".join(c for c in _table_columns(con, table) if c not in ("loaded_at", "source_record"))
    sql = f"INSERT INTO {table} ({columns}, source_record, loaded_at) SELECT {columns}, record, ? FROM {rows}"
    return int(_first(con, sql, [loaded_at]))


def _first(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    return con.execute(sql, params or []).fetchall()[0][0]


def _note_duplicates(con: duckdb.DuckDBPyConnection, kind: Kind, report: Any, loaded_at: Any) -> None:
    staged, joined = shaped_view(kind), " AND ".join(f"d.{k} = f.{k}" for k in kind.key)
    rows = con.execute(
        f"INSERT INTO delivery_import_problems SELECT ?, d.source, NULL, d.record_id, NULL, "
        "'record ' || d.record || ': the same ' || ? || ' is given again later in this import (' || f.source || "
        "' record ' || f.record || '); the later one was kept', 'duplicate', ? "
        f"FROM {staged} AS d JOIN _quarterdeck_fresh AS f ON {joined} "
        "WHERE NOT (d.file_order = f.file_order AND d.record = f.record)",
        [kind.name, " and ".join(kind.key), loaded_at],
    ).fetchall()[0][0]
    report.duplicates += rows


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND NOT internal ORDER BY column_index", [table]
    ).fetchall()
    return [r[0] for r in rows]
