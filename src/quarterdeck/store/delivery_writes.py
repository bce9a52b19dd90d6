"""The writes of a delivery import: staging its records, merging them into their table by
key, its problems, and the links between deployments, changes and incidents
(docs/delivery-inputs.md, "Linking").

Every function runs inside the caller's transaction (an import is one) on its connection.
A staged relation (a temporary table or view of that connection) is given by its name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

_SAME_AVAILABILITY = "s.window_end = n.window_end AND s.good = n.good AND s.total = n.total"


@dataclass
class MergeCounts:
    """What merging staged rows into a table did."""

    loaded: int = 0  # rows new to the table
    replaced: int = 0  # stored rows replaced by rows with other content
    unchanged: int = 0  # rows stored already, with the same content
    duplicates: int = 0  # rows given again later in the import (the later one is kept)


def stage_rows(con: duckdb.DuckDBPyConnection, table: str, select: str, params: Sequence[Any], *, append: bool) -> None:
    """Put the rows of the query ``select`` in the staging table ``table``: added to its
    rows (matched by column name) with ``append``, else replacing it."""
    if append:
        con.execute(f"INSERT INTO {table} BY NAME {select}", list(params))
    else:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {select}", list(params))


def forget_import_problems(con: duckdb.DuckDBPyConnection, kind: str, sources: list[str]) -> None:
    """Forget the problems earlier imports of ``kind`` reported for the files ``sources``."""
    con.execute("DELETE FROM delivery_import_problems WHERE kind = ? AND list_contains(?, source)", [kind, sources])


def merge_staged(
    con: duckdb.DuckDBPyConnection,
    table: str,
    key: Sequence[str],
    staged: str,
    *,
    content_hashed: bool,
    kind_name: str,
    loaded_at: Any,
) -> MergeCounts:
    """Merge the valid rows staged in ``staged`` into ``table`` by ``key``: for each key the
    import's last row; a stored row with the same content stays, one with other content is
    replaced (``content_hashed``: rows carry a ``content_hash``, else availability windows
    are compared). The common case (no key twice, none stored yet) inserts straight from
    the staged rows. Each row given twice is a ``duplicate`` problem of ``kind_name``."""
    counts = MergeCounts()
    keys = ", ".join(key)
    joined = " AND ".join(f"s.{k} = n.{k}" for k in key)
    # distinct 64-bit hashes of the keys prove the keys distinct (a collision only takes the slow path)
    twice = f"SELECT count(*) - count(DISTINCT hash({keys})) FROM {staged}"
    stored = f"SELECT count(*) FROM {staged} AS n WHERE EXISTS (SELECT 1 FROM {table} AS s WHERE {joined})"
    fresh = _first(con, f"SELECT count(*) FROM {table}") == 0 or _first(con, stored) == 0
    if fresh and _first(con, twice) == 0:
        counts.loaded = _insert(con, table, staged, loaded_at)
        return counts
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _quarterdeck_fresh AS SELECT * FROM {staged} "
        f"QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY file_order DESC, "
        "record DESC) = 1"
    )
    counts.duplicates = _note_duplicates(con, key, staged, kind_name, loaded_at)
    same = "s.content_hash = n.content_hash" if content_hashed else _SAME_AVAILABILITY
    stored_same = f"EXISTS (SELECT 1 FROM {table} AS s WHERE {joined} AND {same})"
    counts.unchanged = con.execute(f"SELECT count(*) FROM _quarterdeck_fresh AS n WHERE {stored_same}").fetchall()[0][0]
    con.execute(f"DELETE FROM _quarterdeck_fresh AS n WHERE {stored_same}")
    replaced = con.execute(
        f"DELETE FROM {table} AS s WHERE EXISTS (SELECT 1 FROM _quarterdeck_fresh AS n WHERE {joined})"
    ).fetchall()[0][0]
    inserted = _insert(con, table, "_quarterdeck_fresh", loaded_at)
    counts.replaced = replaced
    counts.loaded = inserted - replaced
    return counts


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: str, loaded_at: Any) -> int:
    columns = ", ".join(c for c in _table_columns(con, table) if c not in ("loaded_at", "source_record"))
    sql = f"INSERT INTO {table} ({columns}, source_record, loaded_at) SELECT {columns}, record, ? FROM {rows}"
    return int(_first(con, sql, [loaded_at]))


def _first(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    return con.execute(sql, params or []).fetchall()[0][0]


def _note_duplicates(
    con: duckdb.DuckDBPyConnection, key: Sequence[str], staged: str, kind_name: str, loaded_at: Any
) -> int:
    joined = " AND ".join(f"d.{k} = f.{k}" for k in key)
    return int(
        con.execute(
            f"INSERT INTO delivery_import_problems SELECT ?, d.source, NULL, d.record_id, NULL, "
            "'record ' || d.record || ': the same ' || ? || ' is given again later in this import (' || f.source || "
            "' record ' || f.record || '); the later one was kept', 'duplicate', ? "
            f"FROM {staged} AS d JOIN _quarterdeck_fresh AS f ON {joined} "
            "WHERE NOT (d.file_order = f.file_order AND d.record = f.record)",
            [kind_name, " and ".join(key), loaded_at],
        ).fetchall()[0][0]
    )


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND NOT internal ORDER BY column_index", [table]
    ).fetchall()
    return [r[0] for r in rows]


# -- links ----------------------------------------------------------------------------------------


def mark_production(con: duckdb.DuckDBPyConnection, environments: list[str]) -> None:
    """Flag the deployments to ``environments`` (lower case) as production, the others not."""
    con.execute(
        "UPDATE deployments SET is_production = list_contains(?, environment) "
        "WHERE is_production IS DISTINCT FROM list_contains(?, environment)",
        [environments, environments],
    )


def forget_walks(con: duckdb.DuckDBPyConnection, stale: str) -> None:
    """Forget the graph walks (and the commits they found) of the deployments in ``stale``
    (deployment_id, repository_id), to walk them again."""
    for table in ("deployment_walks", "deployment_commits"):
        extra = " AND how = 'graph'" if table == "deployment_commits" else ""
        con.execute(
            f"DELETE FROM {table} AS t WHERE EXISTS (SELECT 1 FROM {stale} AS s "
            f"WHERE s.deployment_id = t.deployment_id AND s.repository_id = t.repository_id){extra}"
        )


def link_given_commits(con: duckdb.DuckDBPyConnection, chain: str) -> None:
    """The commits sources listed themselves (``shipped_commits`` of the deployments in
    ``chain``, each with its repository_id), replacing those stored."""
    con.execute("DELETE FROM deployment_commits WHERE how = 'given'")
    con.execute(
        f"""
        INSERT INTO deployment_commits (deployment_id, repository_id, sha, how, on_first_parent)
        SELECT DISTINCT c.deployment_id, c.repository_id, u.sha, 'given', u.sha = c.commit_sha
        FROM {chain} AS c, unnest(c.shipped_commits) AS u(sha)
        WHERE c.shipped_commits IS NOT NULL
        """
    )


def link_first_deployments(con: duckdb.DuckDBPyConnection) -> None:
    """Each change -> its first successful production deployment."""
    con.execute("DELETE FROM change_deployments")
    con.execute(
        """
        INSERT INTO change_deployments
        WITH production AS (
            SELECT deployment_id, max(finished_at) AS finished_at FROM deployments
            WHERE result = 'success' AND is_production GROUP BY deployment_id
        )
        SELECT dc.repository_id, dc.sha, p.deployment_id, p.finished_at
        FROM deployment_commits AS dc JOIN production AS p ON p.deployment_id = dc.deployment_id
        QUALIFY row_number() OVER (PARTITION BY dc.repository_id, dc.sha ORDER BY p.finished_at, p.deployment_id) = 1
        """
    )


def attribute_incidents(con: duckdb.DuckDBPyConnection, window_days: int) -> None:
    """Each incident -> a deployment: explicit link, root-cause commit, else the latest
    successful production deployment of its service within ``window_days``."""
    con.execute("DELETE FROM incident_deployments")
    con.execute(
        """
        INSERT INTO incident_deployments
        WITH production AS (
            SELECT deployment_id, any_value(service) AS service, max(finished_at) AS finished_at FROM deployments
            WHERE result = 'success' AND is_production GROUP BY deployment_id
        ),
        explicit AS (
            SELECT i.incident_id, i.deployment_id, 'explicit' AS link FROM incidents AS i
            WHERE EXISTS (SELECT 1 FROM deployments AS d WHERE d.deployment_id = i.deployment_id)
        ),
        root_cause AS (
            SELECT i.incident_id, c.deployment_id, 'root_cause' AS link
            FROM incidents AS i JOIN change_deployments AS c ON c.sha = i.root_cause_sha
            WHERE i.incident_id NOT IN (SELECT incident_id FROM explicit)
            QUALIFY row_number() OVER (PARTITION BY i.incident_id ORDER BY c.deployed_at, c.deployment_id) = 1
        ),
        latest AS (
            SELECT i.incident_id, p.deployment_id, 'inferred' AS link, i.created_at, p.finished_at
            FROM (SELECT * FROM incidents WHERE service IS NOT NULL) AS i
            ASOF JOIN production AS p ON p.service = i.service AND i.created_at >= p.finished_at
        )
        SELECT incident_id, deployment_id, link FROM explicit
        UNION ALL SELECT incident_id, deployment_id, link FROM root_cause
        UNION ALL
        SELECT incident_id, deployment_id, link FROM latest
        WHERE created_at - finished_at <= to_days(CAST(? AS INTEGER))
          AND incident_id NOT IN (SELECT incident_id FROM explicit)
          AND incident_id NOT IN (SELECT incident_id FROM root_cause)
        """,
        [window_days],
    )
