"""The delivery fixture's large files, written by DuckDB in SQL: rows come from ``range()``,
every random number from an integer hash of (seed, stream, row) computed in the query
(murmur3's 32-bit finaliser, in UBIGINT arithmetic), so no Python loop touches a row.

The same plan gives the same bytes: the hash is ours (not DuckDB's ``hash()``, which may
change between versions), the arithmetic on it is integer or IEEE (``+ - * / sqrt floor``
only, no ``pow``, ``sin`` or ``exp``), commit shas are SHA-256 of the seed and a key, and
every query is a projection of ``range()`` written in its order or ends with an ORDER BY.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from quarterdeck.simulation.fixtures_delivery_model import (
    INCIDENT_TITLES,
    OFFSETS,
    OTHER_OFFSET_SHARE,
    WORKFLOWS,
    Monitored,
    Plan,
    Service,
)  # fmt: skip


def connect(plan: Plan) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the macros every query uses. ``rnd(i, stream)`` is a uniform
    number in [0, 1) for row ``i`` of random stream ``stream``: murmur3's fmix32 of
    ``i * 2654435761 + stream * 374761393 + seed * 668265263`` (mod 2^32)."""
    con = duckdb.connect()
    seed_term = (plan.seed * 668265263) % 2**32
    macros = [
        "CREATE MACRO xs(h, n) AS xor(h, h >> n)",
        "CREATE MACRO mm(h, k) AS (h * k) % 4294967296",
        "CREATE MACRO fmix32(h) AS xs(mm(xs(mm(xs(h, 16), 2246822507), 13), 3266489917), 16)",
        f"CREATE MACRO rnd(i, stream) AS fmix32((i::UBIGINT * 2654435761 + stream::UBIGINT * 374761393 "
        f"+ {seed_term}::UBIGINT) % 4294967296)::DOUBLE / 4294967296",
        # a day 0..days-1, denser later: the density grows linearly to twice its first value
        f"CREATE MACRO growth_day(i, n, jitter) AS floor({plan.days} * (sqrt(1 + 3 * (i + jitter) / n) - 1))::BIGINT",
        # ISO day of the week (1 Monday .. 7 Sunday) of day ``d`` counted from the start
        f"CREATE MACRO iso_dow(d) AS (({plan.start.isoweekday() - 1} + d) % 7) + 1",
        # a day of a weekend moved, with probability p, to one of the weekdays of its week
        f"CREATE MACRO workday(d, r, p) AS greatest(0, least({plan.days - 1}, CASE "
        "WHEN r < p AND iso_dow(d) >= 6 THEN d - iso_dow(d) + 1 + floor(r / p * 5)::BIGINT ELSE d END))",
        # seconds into the day: within working hours (08:00-18:00, peak at 13:00) with probability p
        "CREATE MACRO time_of_day(busy, r1, r2, p) AS CASE WHEN busy < p "
        "THEN 28800 + floor((r1 + r2) * 18000) ELSE floor(r1 * 86400) END::BIGINT",
        f"CREATE MACRO epoch_of(d, seconds) AS {epoch(plan.start)} + d * 86400 + seconds",
        # an offset index 0 (UTC) .. len(OFFSETS)
        f"CREATE MACRO offset_of(r) AS CASE WHEN r < {1 - OTHER_OFFSET_SHARE} THEN 0 "
        f"ELSE least({len(OFFSETS)}, 1 + floor((r - {1 - OTHER_OFFSET_SHARE}) / {OTHER_OFFSET_SHARE} "
        f"* {len(OFFSETS)}))::INTEGER END",
        f"CREATE MACRO offset_minutes(k) AS {sql_list([0, *(m for m, _ in OFFSETS)])}[k + 1]",
        f"CREATE MACRO offset_text(k) AS {sql_list(['+00:00', *(t for _, t in OFFSETS)])}[k + 1]",
        # an instant (seconds since 1970, UTC) written as ISO 8601 in the zone of offset index k
        "CREATE MACRO iso(seconds, k) AS strftime(make_timestamp(((seconds + offset_minutes(k) * 60) "
        "* 1000000)::BIGINT), '%Y-%m-%dT%H:%M:%S') || offset_text(k)",
        # a service index 0..n-1, small ones more often (density ~ 1 / index^(1/3))
        "CREATE MACRO skewed(r, n) AS least(n - 1, floor(n * r * sqrt(r)))::INTEGER",
        f"CREATE MACRO sha(key) AS left(sha256('{plan.seed}:' || key), 40)",
    ]
    for macro in macros:
        con.execute(macro)
    return con


def epoch(day: date) -> int:
    """Seconds from 1970-01-01 to the start of ``day`` (UTC)."""
    return (day - date(1970, 1, 1)).days * 86400


def sql_list(values: list) -> str:
    return "[" + ", ".join(sql_value(v) for v in values) + "]"


def sql_value(value: object) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value)


def copy_csv(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> None:
    con.execute(f"COPY ({query}) TO '{path.as_posix()}' (HEADER, DELIMITER ',')")


def write_deployments(con: duckdb.DuckDBPyConnection, plan: Plan, services: list[Service], path: Path) -> None:
    """Deployments, ids in the order of their finish time (mostly), kept in the table
    ``deployments`` for the incidents to refer to."""
    n = plan.deployments
    con.execute(f"""
        CREATE TABLE draws AS
        SELECT i,
               skewed(rnd(i, 10), {plan.services}) AS svc,
               workday(growth_day(i, {n}, rnd(i, 1)), rnd(i, 2), 0.85) AS day,
               time_of_day(rnd(i, 3), rnd(i, 4), rnd(i, 5), 0.85) AS tod,
               120 + floor(1500 * rnd(i, 6) * rnd(i, 6))::BIGINT AS duration,
               rnd(i, 7) < 0.02 AS no_start,
               CASE WHEN rnd(i, 8) < 0.8 THEN 'production' ELSE 'staging' END AS environment,
               CASE WHEN rnd(i, 9) < 0.90 THEN 'success' WHEN rnd(i, 9) < 0.97 THEN 'failure'
                    ELSE 'cancelled' END AS result,
               offset_of(rnd(i, 11)) AS zone,
               rnd(i, 12) < 0.2 AS redeploy
        FROM range({n}) t(i)
    """)
    con.execute(f"""
        CREATE TABLE deployments AS
        WITH timed AS (
            SELECT *, epoch_of(day, tod) AS finished,
                   row_number() OVER (PARTITION BY svc ORDER BY epoch_of(day, tod), i) AS seq
            FROM draws
        )
        SELECT *, 'deploy-' || lpad((i + 1)::VARCHAR, {len(str(n))}, '0') AS id,
               -- a redeploy ships the commit of the service's last deployment that was not one
               sha(svc || ':' || coalesce(max(CASE WHEN NOT redeploy THEN seq END)
                   OVER (PARTITION BY svc ORDER BY seq ROWS UNBOUNDED PRECEDING), seq)) AS commit_sha
        FROM timed
    """)
    con.execute("DROP TABLE draws")
    names = sql_list([s.id for s in services])
    copy_csv(
        con,
        f"""
        SELECT id, {names}[svc + 1] AS service, environment, commit_sha,
               CASE WHEN NOT no_start THEN iso(finished - duration, zone) END AS started_at,
               iso(finished, zone) AS finished_at, result, {names}[svc + 1] AS repository,
               NULL AS shipped_commits
        FROM deployments ORDER BY i
        """,
        path,
    )


def write_incidents(con: duckdb.DuckDBPyConnection, plan: Plan, services: list[Service], path: Path) -> None:
    """Incidents, numbered in the order they were created. About 30% follow a successful
    production deployment of their service (named in ``deployment_id``; a third of those
    also give its commit as ``root_cause_sha``)."""
    n = plan.incidents
    con.execute("""
        CREATE TABLE culprits AS
        SELECT row_number() OVER (ORDER BY i) - 1 AS k, id, svc, finished, commit_sha
        FROM deployments WHERE environment = 'production' AND result = 'success'
    """)
    culprits = con.execute("SELECT count(*) FROM culprits").fetchone()[0]
    con.execute(f"""
        CREATE TABLE incident_rows AS
        WITH draws AS (
            SELECT i, rnd(i, 30) < 0.3 AND {culprits} > 0 AS caused,
                   floor(rnd(i, 31) * {culprits})::BIGINT AS k,
                   skewed(rnd(i, 32), {plan.services}) AS any_svc,
                   epoch_of(workday(growth_day(i, {n}, rnd(i, 33)), rnd(i, 34), 0.5),
                            time_of_day(rnd(i, 35), rnd(i, 36), rnd(i, 37), 0.6)) AS any_time,
                   300 + floor(172800 * rnd(i, 38) * rnd(i, 38))::BIGINT AS after_deploy,
                   rnd(i, 39) AS r_sev, rnd(i, 40) AS r_ack, rnd(i, 41) AS r_fix, rnd(i, 42) AS r_open,
                   offset_of(rnd(i, 43)) AS zone, floor(rnd(i, 44) * {len(INCIDENT_TITLES)})::INTEGER AS title,
                   rnd(i, 45) AS r_root
            FROM range({n}) t(i)
        ), placed AS (
            SELECT d.*, CASE WHEN caused THEN c.svc ELSE any_svc END AS svc,
                   CASE WHEN caused THEN c.finished + after_deploy ELSE any_time END AS created,
                   CASE WHEN caused THEN c.id END AS deployment_id,
                   CASE WHEN caused AND r_root < 1 / 3 THEN c.commit_sha END AS root_cause_sha,
                   CASE WHEN r_sev < 0.05 THEN 1 WHEN r_sev < 0.20 THEN 2 WHEN r_sev < 0.60 THEN 3 ELSE 4 END AS sev
            FROM draws d LEFT JOIN culprits c ON d.caused AND c.k = d.k
        )
        , timed AS (
            -- minutes to acknowledge and hours to resolve grow with the severity number
            SELECT *, created + floor(60 * [5, 15, 60, 240][sev] * (0.1 + 2 * r_ack * r_ack))::BIGINT AS ack,
                   created + 600 + floor(3600 * [2, 4, 24, 72][sev] * (0.05 + 3 * r_fix * r_fix * r_fix))::BIGINT AS fix
            FROM placed
        )
        SELECT *, CASE WHEN r_ack >= 0.02 THEN ack END AS acknowledged,
               CASE WHEN r_open >= [0.01, 0.04, 0.10, 0.14][sev] THEN greatest(ack, fix) END AS resolved
        FROM timed
    """)
    con.execute("DROP TABLE culprits")
    names = sql_list([s.id for s in services])
    titles = sql_list(list(INCIDENT_TITLES))
    copy_csv(
        con,
        f"""
        SELECT 'INC-' || lpad(row_number() OVER (ORDER BY created, i)::VARCHAR, {len(str(n))}, '0') AS id,
               {names}[svc + 1] AS service, 'SEV' || sev AS severity, iso(created, zone) AS created_at,
               iso(acknowledged, zone) AS acknowledged_at,
               iso(resolved, zone) AS resolved_at,
               deployment_id, root_cause_sha, {titles}[title + 1] || ' in ' || {names}[svc + 1] AS title
        FROM incident_rows ORDER BY created, i
        """,
        path,
    )
    con.execute("DROP TABLE incident_rows")


def write_ci_runs(con: duckdb.DuckDBPyConnection, plan: Plan, services: list[Service], path: Path) -> None:
    """CI runs, ids in the order they were queued (mostly). Waits are seconds, with a tail
    of runner shortages up to half an hour; cancelled runs stop part-way, 30% of them
    before they started; skipped runs take no time."""
    n = plan.ci_runs
    names = sql_list([s.repository for s in services])
    workflow_names = sql_list([w for w, _, _ in WORKFLOWS])
    minutes = sql_list([m for _, _, m in WORKFLOWS])
    bounds, total = [], 0.0
    for _, share, _ in WORKFLOWS[:-1]:
        total += share
        bounds.append(f"WHEN r_wf < {total:.2f} THEN {len(bounds)}")
    pick_workflow = f"CASE {' '.join(bounds)} ELSE {len(WORKFLOWS) - 1} END"
    copy_csv(
        con,
        f"""
        WITH draws AS (
            SELECT i, skewed(rnd(i, 50), {plan.services}) AS repo, rnd(i, 51) AS r_wf,
                   epoch_of(workday(growth_day(i, {n}, rnd(i, 52)), rnd(i, 53), 0.7),
                            time_of_day(rnd(i, 54), rnd(i, 55), rnd(i, 56), 0.8)) AS queued,
                   rnd(i, 57) AS r_wait, rnd(i, 58) AS r_run, rnd(i, 59) AS r_res, rnd(i, 60) AS r_cut,
                   offset_of(rnd(i, 61)) AS zone
            FROM range({n}) t(i)
        ), runs AS (
            SELECT *, {pick_workflow} AS wf,
                   2 + floor(1800 * r_wait * r_wait * r_wait * r_wait * r_wait * r_wait)::BIGINT AS wait,
                   CASE WHEN r_res < 0.80 THEN 'success' WHEN r_res < 0.92 THEN 'failure'
                        WHEN r_res < 0.97 THEN 'cancelled' ELSE 'skipped' END AS result
            FROM draws
        ), timed AS (
            SELECT *, CASE WHEN result = 'cancelled' AND r_cut < 0.3 THEN NULL ELSE queued + wait END AS started,
                   CASE WHEN result = 'skipped' THEN 0
                        ELSE floor(60 * {minutes}[wf + 1] * (0.5 + 1.5 * r_run * r_run)
                                   * CASE WHEN result = 'cancelled' THEN r_cut ELSE 1 END) END::BIGINT AS run
            FROM runs
        )
        SELECT (1000000000 + i)::VARCHAR AS id, {names}[repo + 1] AS repository, {workflow_names}[wf + 1] AS workflow,
               sha('ci:' || repo || ':' || (queued // 1800)) AS commit_sha, iso(queued, zone) AS queued_at,
               iso(started, zone) AS started_at, iso(coalesce(started, queued + wait) + run, zone) AS finished_at,
               result
        FROM timed
        """,
        path,
    )


def write_availability(con: duckdb.DuckDBPyConnection, plan: Plan, monitored: list[Monitored], path: Path) -> None:
    """Event counts per window, window by window, each window every monitored service in
    turn. Traffic follows the day (lowest at night, highest at 14:00 UTC) and the week
    (weekends at 60%); errors are the service's background rate, plus outages: in a week
    an outage happens with probability 3/52, lasts 3 to 120 minutes and fails 20% to 100%
    of the requests."""
    services = len(monitored)
    names = sql_list([m.service.id for m in monitored])
    rates = sql_list([m.requests_per_minute for m in monitored])
    errors = sql_list([m.error_ppm for m in monitored])
    wm = plan.window_minutes
    copy_csv(
        con,
        f"""
        WITH slots AS (
            SELECT i, i % {services} AS a, (i // {services}) * {wm} AS minute FROM range({plan.availability_rows}) t(i)
        ), outages AS (
            SELECT *, minute % 10080 AS in_week,
                   rnd((minute // 10080) * 1000 + a, 70) < 3 / 52 AS has_outage,
                   floor(rnd((minute // 10080) * 1000 + a, 71) * 10080) AS o_start,
                   3 + floor(117 * rnd((minute // 10080) * 1000 + a, 72) * rnd((minute // 10080) * 1000 + a, 72))
                       AS o_length,
                   0.2 + 0.8 * rnd((minute // 10080) * 1000 + a, 73) AS o_share,
                   CASE WHEN iso_dow(minute // 1440 + {(plan.availability_start - plan.start).days}) >= 6
                        THEN 0.6 ELSE 1 END
                   * (0.35 + 0.65 * (1 - abs(minute % 1440 - 840) / 840)) AS load
            FROM slots
        ), counted AS (
            SELECT *, floor({rates}[a + 1] * {wm} * load * (0.85 + 0.3 * rnd(i, 74)) + rnd(i, 75))::BIGINT AS total,
                   CASE WHEN has_outage THEN greatest(0, least(in_week + {wm}, o_start + o_length)
                        - greatest(in_week, o_start)) ELSE 0 END AS down
            FROM outages
        )
        SELECT {names}[a + 1] AS service,
               iso({epoch(plan.availability_start)} + minute * 60, 0) AS window_start,
               iso({epoch(plan.availability_start)} + (minute + {wm}) * 60, 0) AS window_end,
               total - least(total, floor(total * {errors}[a + 1] / 1000000 * 2 * rnd(i, 76) + rnd(i, 77))
                             + floor(total * o_share * down / {wm}))::BIGINT AS good,
               total
        FROM counted
        """,
        path,
    )
