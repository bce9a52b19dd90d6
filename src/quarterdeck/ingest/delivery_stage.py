"""Staging delivery rows: converted values first, problems only for the rows that have some.

Checking millions of rows is dominated by reading and converting them; building each row's
list of problems doubled that. So a source is staged once with its converted values
(``_staged_<table>``), the few unsound rows are found from those values, and only they are
read again to say exactly what is wrong with them. The valid rows are then seen in their
table's shape through the view ``_shaped_<table>``.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from quarterdeck.ingest.delivery_fields import (
    Kind,
    checked_sql,
    severity_rank_sql,
    sound_sql,
    values_sql,
    window_days_sql,
)
from quarterdeck.store.delivery_writes import stage_rows

#: Columns hashed to tell a corrected row from a re-sent one.
HASHED = {
    "deployments": "repository, service, environment, commit_sha, started_at, finished_at, result, shipped_commits",
    "incidents": "service, severity, created_at, acknowledged_at, resolved_at, deployment_id, root_cause_sha, title",
    "ci_runs": "repository, workflow, commit_sha, queued_at, started_at, finished_at, result",
    "slos": "service, display_name, description, target, time_window, window_days, rolling, budgeting_method",
}
# Each name a service is known by (its id, its display name; any case) that names one service
# only. A service whose display name is its id ("web", "Web") is one service, not a clash.
_SERVICE_NAMES = (
    "SELECT alias, any_value(service_id) AS service_id FROM ("
    "SELECT lower(service_id) AS alias, service_id FROM services "
    "UNION SELECT lower(name), service_id FROM services) "
    "GROUP BY alias HAVING count(DISTINCT service_id) = 1"
)
_NOT_IN_ORG = (
    "{'field': 'service', 'message': 'service ''' || c.v_service || ''' is not in the org model "
    "(declare it under services: in the org file, or in the Backstage catalog)'}"
)


def staged_table(kind: Kind) -> str:
    return f"_staged_{kind.stage}"


def shaped_view(kind: Kind) -> str:
    return f"_shaped_{kind.stage}"


def stage_source(
    con: duckdb.DuckDBPyConnection,
    kind: Kind,
    relation: str,
    params: tuple[Any, ...],
    order: int,
    source: str,
    timezone: str | None,
) -> int:
    """Stage the converted values of one source (``order``: its place in the import);
    returns the row id of its first row (its rows follow in the file's order)."""
    values = values_sql(kind, relation, timezone)
    if kind.has_service:
        sql = (
            f"SELECT {order} AS file_order, ? AS source, c.*, n.service_id AS known_service_id "
            f"FROM ({values}) AS c LEFT JOIN ({_SERVICE_NAMES}) AS n ON n.alias = lower(c.v_service)"
        )
    else:
        sql = f"SELECT {order} AS file_order, ? AS source, c.*, NULL::VARCHAR AS known_service_id FROM ({values}) AS c"
    table = staged_table(kind)
    stage_rows(con, table, sql, [source, *params], append=order > 0 and _exists(con, table))
    first = con.execute(f"SELECT min(rowid) FROM {table} WHERE file_order = ?", [order]).fetchall()[0][0]
    return int(first or 0)


def source_counts(
    con: duckdb.DuckDBPyConnection, kind: Kind, order: int, first: int, services_declared: bool
) -> tuple[int, list[int]]:
    """Rows read from a source, and the numbers of the records that have a problem."""
    table = staged_table(kind)
    read = con.execute(f"SELECT count(*) FROM {table} WHERE file_order = ?", [order]).fetchall()[0][0]
    bad = con.execute(
        f"SELECT rowid - ? + 1 FROM {table} WHERE file_order = ? AND NOT ({sound_sql(kind, services_declared)}) "
        "ORDER BY 1",
        [first, order],
    ).fetchall()
    return read, [r[0] for r in bad]


def problems_of(
    con: duckdb.DuckDBPyConnection,
    kind: Kind,
    relation: str,
    params: tuple[Any, ...],
    records: list[int],
    timezone: str | None,
    services_declared: bool,
) -> list[tuple[int, str | None, str, str]]:
    """What is wrong with each of ``records``, read again from the source (numbered this
    time): (record, record id, field, message)."""
    con.register("_quarterdeck_bad", pa.table({"record": pa.array(records, pa.int64())}))
    try:
        only = f"(SELECT * FROM {relation} WHERE record IN (SELECT record FROM _quarterdeck_bad))"
        checked = checked_sql(kind, only, timezone)
        problems = "c.problems"
        join = ""
        if kind.has_service and services_declared:
            problems = (
                "CASE WHEN c.v_service IS NOT NULL AND n.service_id IS NULL "
                f"THEN list_append(c.problems, {_NOT_IN_ORG}) ELSE c.problems END"
            )
            join = f"LEFT JOIN ({_SERVICE_NAMES}) AS n ON n.alias = lower(c.v_service)"
        record_id = "c.v_id" if "id" in kind.columns else "c.v_service"
        rows = con.execute(
            f"SELECT record, record_id, p.field, p.message FROM (SELECT c.record, {record_id} AS record_id, "
            f"unnest({problems}) AS p FROM ({checked}) AS c {join}) ORDER BY record",
            list(params),
        ).fetchall()
    finally:
        con.unregister("_quarterdeck_bad")
    return rows


def create_shaped_view(
    con: duckdb.DuckDBPyConnection, kind: Kind, firsts: dict[int, int], services_declared: bool
) -> None:
    """The sound staged rows in the shape of their table, with their record number (from
    ``firsts``: each source's first row id) and content hash."""
    content = f", hash({HASHED[kind.table]}) AS content_hash" if kind.table in HASHED else ""
    record = "CASE c.file_order " + " ".join(f"WHEN {o} THEN c.rowid - {f} + 1" for o, f in firsts.items()) + " END"
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {shaped_view(kind)} AS SELECT *{content} FROM ("
        f"SELECT c.file_order, c.source, {record} AS record, {_shape(kind)} FROM {staged_table(kind)} AS c "
        f"WHERE {sound_sql(kind, services_declared)})"
    )


def _shape(kind: Kind) -> str:
    """A staged row in its table's shape, from its ``v_`` values."""
    service = "coalesce(c.known_service_id, c.v_service) AS service"
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
            "c.v_description AS description, c.v_target AS target, c.v_time_window AS time_window, "
            f"{window_days_sql('c.v_time_window')} AS window_days, "
            "coalesce(c.v_rolling, NOT regexp_matches(c.v_time_window, '[MQY]$')) AS rolling, "
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


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    found = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND temporary", [table])
    return found.fetchall()[0][0] > 0
