"""The writes of the sources' pipeline: records by primary key, cursors and problems.

- **Records** are stored by the table's primary key, as declared in its migration: a record
  read again replaces the stored one, and a record given twice in one batch is stored once
  (its last copy).
- **Cursors** (``source_cursors``: source, scope, resource) say how far a sync has read.
- **Problems** (``source_problems``) are the records a sync could not store; a sync's
  problems replace those of the same source, scope and resource.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pyarrow as pa

from quarterdeck.store.warehouse import Warehouse


def upsert_records(
    warehouse: Warehouse, table: str, records: list[dict[str, Any]], constants: Mapping[str, Any] | None = None
) -> int:
    """Insert or replace ``records`` (dicts with the same keys) by ``table``'s primary key,
    the ``constants`` filling the columns equal on every row. Returns the number stored."""
    if not records:
        return 0
    constants = dict(constants or {})
    key = [c for c in warehouse.primary_key(table) if c not in constants]
    unique = list({tuple(r.get(k) for k in key): r for r in records}.values()) if key else records
    return warehouse.insert_arrow(table, pa.Table.from_pylist(unique), constants, replace=True)


def read_cursor(warehouse: Warehouse, source: str, scope: str, resource: str) -> str | None:
    return warehouse.value(
        "SELECT cursor FROM source_cursors WHERE source = ? AND scope = ? AND resource = ?",
        [source, scope, resource],
    )


def write_cursor(warehouse: Warehouse, source: str, scope: str, resource: str, cursor: str, at: datetime) -> None:
    warehouse.con.execute(
        "INSERT OR REPLACE INTO source_cursors VALUES (?, ?, ?, ?, ?)", [source, scope, resource, cursor, at]
    )


def problem_ids(warehouse: Warehouse, source: str, scope: str, resource: str) -> set[str]:
    rows = warehouse.con.execute(
        "SELECT record_id FROM source_problems WHERE source = ? AND scope = ? AND resource = ?",
        [source, scope, resource],
    ).fetchall()
    return {r[0] for r in rows}


def replace_problems(
    warehouse: Warehouse, source: str, scope: str, resource: str, problems: list[tuple[str, str]], at: datetime
) -> None:
    """Replace the stored problems of this source, scope and resource with ``problems``
    (record id, what is wrong)."""
    warehouse.con.execute(
        "DELETE FROM source_problems WHERE source = ? AND scope = ? AND resource = ?", [source, scope, resource]
    )
    if problems:
        warehouse.con.executemany(
            "INSERT INTO source_problems VALUES (?, ?, ?, ?, ?, ?)",
            [[source, scope, resource, record_id, problem, at] for record_id, problem in problems],
        )


def stored_values(warehouse: Warehouse, table: str, key: str, value: str, where: Mapping[str, Any]) -> dict[Any, Any]:
    """``{key: value}`` of ``table``'s rows whose columns equal ``where``'s values (a list:
    any of them; a text ending in ``*``: a prefix). Column and table names must be the
    schema's: they are checked against it."""
    condition, params = _condition(warehouse, table, (key, value), where)
    sql = f"SELECT {key}, max({value}) FROM {table} WHERE {condition} GROUP BY {key}"
    return dict(warehouse.con.execute(sql, params).fetchall())


def delete_rows(warehouse: Warehouse, table: str, where: Mapping[str, Any]) -> None:
    """Remove the rows of ``table`` whose columns equal ``where``'s values (as in
    :func:`stored_values`); an empty ``where`` removes nothing (never the whole table)."""
    if not where:
        return
    condition, params = _condition(warehouse, table, (), where)
    warehouse.con.execute(f"DELETE FROM {table} WHERE {condition}", params)


def _condition(
    warehouse: Warehouse, table: str, names: tuple[str, ...], where: Mapping[str, Any]
) -> tuple[str, list[Any]]:
    columns = warehouse.columns(table)
    for name in (*names, *where):
        if name not in columns:
            raise ValueError(f"{table} has no column {name!r}")
    tests, params = [], []
    for name, wanted in where.items():
        if isinstance(wanted, list | tuple | set):
            tests.append(f"list_contains(?, {name})")
            params.append(list(wanted))
        elif isinstance(wanted, str) and wanted.endswith("*"):
            tests.append(f"starts_with({name}, ?)")
            params.append(wanted[:-1])
        else:
            tests.append(f"{name} = ?")
            params.append(wanted)
    return " AND ".join(tests) or "true", params
