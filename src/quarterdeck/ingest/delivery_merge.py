"""Staging checked delivery rows in the shape of their table, and merging them by key.

Rows of one import are staged in a temporary table per target table
(``_staged_<table>``), with the file order, record number and problems of each. Merging
keeps, for each key, the import's last valid row; a stored row with the same key and the
same content stays as it is, one with other content is replaced.
"""

from __future__ import annotations

from typing import Any

import duckdb

from quarterdeck.config import Settings
from quarterdeck.ingest.delivery_fields import Kind, severity_rank_sql, window_days_sql

_HASHED = {
    "deployments": "repository, service, environment, commit_sha, started_at, finished_at, result, shipped_commits",
    "incidents": "service, severity, created_at, acknowledged_at, resolved_at, deployment_id, root_cause_sha, title",
    "ci_runs": "repository, workflow, commit_sha, queued_at, started_at, finished_at, result",
    "slos": "service, display_name, description, target, time_window, window_days, rolling, budgeting_method",
}
_SAME_AVAILABILITY = "s.window_end = n.window_end AND s.good = n.good AND s.total = n.total"


def staged_table(kind: Kind) -> str:
    return f"_staged_{kind.table}"


def stage_rows(
    con: duckdb.DuckDBPyConnection, kind: Kind, checked: str, params: tuple[Any, ...], order: int, source: str
) -> None:
    """Stage the rows of one source, checked (``checked`` is the SQL of delivery_fields),
    with their service resolved against the org model."""
    shaped = _shape(kind)
    sql = (
        f"SELECT {order} AS file_order, ? AS source, c.record, {shaped}, "
        "CASE WHEN c.v_service IS NOT NULL AND n.service_id IS NULL AND (SELECT count(*) FROM services) > 0 "
        "THEN list_append(c.problems, {'field': 'service', 'message': 'service ''' || c.v_service || "
        "''' is not in the org model (declare it under services: in the org file, or in the Backstage catalog)'}) "
        "ELSE c.problems END AS problems "
        f"FROM ({checked}) AS c LEFT JOIN ({_SERVICE_NAMES}) AS n ON n.alias = lower(c.v_service)"
        if kind.has_service
        else f"SELECT {order} AS file_order, ? AS source, c.record, {shaped}, c.problems FROM ({checked}) AS c"
    )
    table = staged_table(kind)
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND temporary", [table]).fetchall()[
        0
    ][0]
    if exists and order > 0:
        con.execute(f"INSERT INTO {table} BY NAME {sql}", [source, *params])
    else:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {sql}", [source, *params])


_SERVICE_NAMES = (
    "SELECT DISTINCT alias, service_id FROM ("
    "SELECT lower(service_id) AS alias, service_id FROM services "
    "UNION ALL SELECT lower(name), service_id FROM services) "
    "QUALIFY count(*) OVER (PARTITION BY alias) = 1"
)


def _shape(kind: Kind) -> str:
    """The staged row in its table's shape, from the checked ``v_`` values."""
    service = "coalesce(n.service_id, c.v_service) AS service"
    if kind.table == "deployments":
        return (
            f"c.v_id AS record_id, c.v_id AS deployment_id, coalesce(c.v_repository, '') AS repository, {service}, "
            "lower(c.v_environment) AS environment, false AS is_production, c.v_commit_sha AS commit_sha, "
            "c.v_started_at AS started_at, c.v_finished_at AS finished_at, c.v_result AS result, "
            "CASE WHEN len(c.v_shipped_commits) > 0 THEN c.v_shipped_commits END AS shipped_commits"
        )
    if kind.table == "incidents":
        return (
            f"c.v_id AS record_id, c.v_id AS incident_id, {service}, c.v_severity AS severity, "
            f"{severity_rank_sql('c.v_severity')} AS severity_rank, c.v_created_at AS created_at, "
            "c.v_acknowledged_at AS acknowledged_at, c.v_resolved_at AS resolved_at, "
            "c.v_deployment_id AS deployment_id, c.v_root_cause_sha AS root_cause_sha, c.v_title AS title"
        )
    if kind.table == "ci_runs":
        return (
            "c.v_id AS record_id, c.v_id AS run_id, c.v_repository AS repository, c.v_workflow AS workflow, "
            "c.v_commit_sha AS commit_sha, c.v_queued_at AS queued_at, c.v_started_at AS started_at, "
            "c.v_finished_at AS finished_at, c.v_result AS result"
        )
    if kind.table == "slos":
        return (
            f"c.v_id AS record_id, c.v_id AS slo_id, {service}, c.v_name AS display_name, "
            "c.v_description AS description, c.v_target AS target, c.time_window AS time_window, "
            f"{window_days_sql('c.time_window')} AS window_days, "
            "coalesce(c.v_rolling, NOT regexp_matches(c.time_window, '[MQY]$')) AS rolling, "
            "coalesce(c.v_budgeting_method, 'Occurrences') AS budgeting_method"
        )
    if "good" in kind.columns:
        return (
            f"c.v_service AS record_id, {service}, 'events' AS kind, c.v_window_start AS window_start, "
            "c.v_window_end AS window_end, c.v_good AS good, c.v_total AS total"
        )
    seconds = "epoch(c.v_end - c.v_start)"
    return (
        f"c.v_service AS record_id, {service}, 'probes' AS kind, c.v_start AS window_start, c.v_end AS window_end, "
        f"CASE WHEN c.v_status = 'up' THEN {seconds} ELSE 0 END AS good, {seconds} AS total"
    )


def merge_staged(con: duckdb.DuckDBPyConnection, kind: Kind, settings: Settings, report: Any, loaded_at: Any) -> None:
    """Merge the staged valid rows of ``kind`` into its table, counting what happened."""
    staged, table, key = staged_table(kind), kind.table, ", ".join(kind.key)
    hashed = table in _HASHED
    content = f", md5(CAST(row({_HASHED[table]}) AS VARCHAR)) AS content_hash" if hashed else ""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _quarterdeck_fresh AS SELECT *{content} FROM {staged} "
        f"WHERE len(problems) = 0 QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY file_order DESC, "
        "record DESC) = 1"
    )
    _note_duplicates(con, kind, report, loaded_at)
    same = "s.content_hash = n.content_hash" if hashed else _SAME_AVAILABILITY
    joined = " AND ".join(f"s.{k} = n.{k}" for k in kind.key)
    stored_same = f"EXISTS (SELECT 1 FROM {table} AS s WHERE {joined} AND {same})"
    report.unchanged += con.execute(f"SELECT count(*) FROM _quarterdeck_fresh AS n WHERE {stored_same}").fetchall()[0][
        0
    ]
    con.execute(f"DELETE FROM _quarterdeck_fresh AS n WHERE {stored_same}")
    replaced = con.execute(
        f"DELETE FROM {table} AS s WHERE EXISTS (SELECT 1 FROM _quarterdeck_fresh AS n WHERE {joined})"
    ).fetchall()[0][0]
    columns = [c for c in _table_columns(con, table) if c not in ("loaded_at", "source_record")]
    inserted = con.execute(
        f"INSERT INTO {table} ({', '.join(columns)}, source_record, loaded_at) "
        f"SELECT {', '.join(columns)}, record, ? FROM _quarterdeck_fresh",
        [loaded_at],
    ).fetchall()[0][0]
    report.replaced += replaced
    report.loaded += inserted - replaced


def _note_duplicates(con: duckdb.DuckDBPyConnection, kind: Kind, report: Any, loaded_at: Any) -> None:
    staged, joined = staged_table(kind), " AND ".join(f"d.{k} = f.{k}" for k in kind.key)
    rows = con.execute(
        f"INSERT INTO delivery_import_problems SELECT ?, d.source, NULL, d.record_id, NULL, "
        "'record ' || d.record || ': the same ' || ? || ' is given again later in this import (' || f.source || "
        "' record ' || f.record || '); the later one was kept', 'duplicate', ? "
        f"FROM {staged} AS d JOIN _quarterdeck_fresh AS f ON {joined} "
        "WHERE len(d.problems) = 0 AND NOT (d.file_order = f.file_order AND d.record = f.record)",
        [kind.name, " and ".join(kind.key), loaded_at],
    ).fetchall()[0][0]
    report.duplicates += rows


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND NOT internal ORDER BY column_index", [table]
    ).fetchall()
    return [r[0] for r in rows]
