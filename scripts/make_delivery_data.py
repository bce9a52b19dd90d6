"""Generate a deterministic delivery and reliability data set for the `quarterdeck ingest`
commands of docs/delivery-inputs.md (deployments, incidents, CI runs, availability, SLOs)
and the org file that declares its services.

Usage:
    python scripts/make_delivery_data.py --out DIR [--services 200] [--years 5] [--seed 1] [--scale 1.0]

The large files are written by DuckDB, in SQL: rows come from ``range()``, every random
number from an integer hash of (seed, stream, row) computed in the query (murmur3's 32-bit
finaliser, in UBIGINT arithmetic), so no Python loop touches a row. The same arguments give
the same bytes: the hash is ours (not DuckDB's ``hash()``, which may change between
versions), the arithmetic on it is integer or IEEE (``+ - * / sqrt floor`` only, no
``pow``, ``sin`` or ``exp``), commit shas are SHA-256 of the seed and a key, every query is
a projection of ``range()`` written in its order or ends with an ORDER BY, and the small
files come from ``random.Random(seed)``. Run with ``--help`` for what the data set contains.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

DESCRIPTION = """\
Write a synthetic delivery and reliability data set (docs/delivery-inputs.md) into --out:

  org.yaml          divisions, teams (about one per 5 services) and every service with its
                    owning team and its one repository (docs/org-inputs.md)
  deployments.csv   1,000 deployments per service and year x scale (1,000,000 for 200
                    services over 5 years): production ~80% / staging ~20%; success ~90%,
                    failure ~7%, cancelled ~3%; weekdays and working hours mostly; more
                    deployments in later years; ~20% redeploy the service's previous commit
  incidents.csv     100 per service and year x scale: SEV1..SEV4; created <= acknowledged
                    <= resolved; ~10% still open (mostly SEV3/SEV4); ~30% name the
                    successful production deployment of their service that caused them
  ci_runs.csv       5,000 per service (repository) and year x scale: build, test, lint, e2e
                    and deploy workflows; queued <= started <= finished; success, failure,
                    cancelled (some before they started) and skipped runs
  availability.csv  good/total event counts of a quarter of the services (50 of 200) over the
                    last year, in 1-minute windows at scale 1 (windows of 1/scale minutes
                    below it): daily and weekly traffic cycles, a background error rate and
                    a few outages per service
  slos.csv          one availability SLO for each service in availability.csv
  manifest.json     the arguments, the row counts and a hash of this script (written last)

Timestamps are ISO 8601 with an offset: most +00:00, about 15% of deployment, incident and
CI rows in another zone (+01:00, +02:00, -05:00, +05:30...). The data ends on 2026-01-01
and starts --years before. Same arguments, same bytes.
"""

END = date(2026, 1, 1)
DEPLOYMENTS_PER_SERVICE_YEAR = 1_000
INCIDENTS_PER_SERVICE_YEAR = 100
CI_RUNS_PER_SERVICE_YEAR = 5_000
MINUTES_PER_YEAR = 365 * 24 * 60

DEPLOYMENT_COLUMNS = (
    "id", "service", "environment", "commit_sha", "started_at", "finished_at", "result", "repository",
    "shipped_commits",
)  # fmt: skip
INCIDENT_COLUMNS = (
    "id", "service", "severity", "created_at", "acknowledged_at", "resolved_at", "deployment_id",
    "root_cause_sha", "title",
)  # fmt: skip
CI_RUN_COLUMNS = ("id", "repository", "workflow", "commit_sha", "queued_at", "started_at", "finished_at", "result")
AVAILABILITY_COLUMNS = ("service", "window_start", "window_end", "good", "total")
SLO_COLUMNS = ("id", "service", "target", "time_window")

# UTC offsets of the rows not written in UTC: (minutes, as written).
OFFSETS = ((60, "+01:00"), (120, "+02:00"), (-300, "-05:00"), (-240, "-04:00"), (330, "+05:30"), (540, "+09:00"))
OTHER_OFFSET_SHARE = 0.15

DOMAINS = (  # noqa: SIM905 - a readable block of words
    "accounts ads analytics auth billing booking cart catalog checkout comments content coupons "
    "delivery discovery documents email feeds fraud gateway geo identity inventory invoices ledger "
    "loyalty maps media messaging notifications orders partners payments pricing profiles "
    "recommendations refunds reviews risk search shipping subscriptions support tax wallet"
).split()
KINDS = ("api", "worker", "web", "events", "scheduler", "sync", "admin", "importer", "cache", "reports")
DIVISIONS = (
    ("commerce", "Commerce"),
    ("platform", "Platform"),
    ("growth", "Growth"),
    ("core-services", "Core Services"),
)
TEAM_TYPES = ("stream-aligned", "stream-aligned", "stream-aligned", "platform", "enabling", "complicated-subsystem")
SLO_TARGETS = ("0.999", "0.999", "0.999", "0.9995", "0.995", "0.99", "0.9999")
SLO_WINDOWS = ("28d", "28d", "28d", "30d", "4w", "1M", "1Q")
WORKFLOWS = (  # name, share, median run time in minutes
    ("build", 0.30, 8),
    ("test", 0.30, 15),
    ("lint", 0.20, 2),
    ("e2e", 0.10, 35),
    ("deploy", 0.10, 6),
)
INCIDENT_TITLES = (
    "Elevated error rate",
    "Latency spike",
    "Partial outage",
    "Failed health checks after release",
    "Database connection pool exhausted",
    "Queue backlog growing",
    "Degraded performance, retries failing",
    'Customers report "500" errors',
    "Certificate expired",
    "Memory leak, pods restarting",
)


@dataclass(frozen=True)
class Plan:
    """Every size and date the queries need, derived from the arguments."""

    seed: int
    services: int
    years: int
    scale: float
    start: date
    deployments: int
    incidents: int
    ci_runs: int
    availability_services: int
    availability_start: date
    window_minutes: int
    windows: int

    @classmethod
    def from_args(cls, services: int, years: int, seed: int, scale: float) -> Plan:
        window_minutes = max(1, round(1 / scale))
        return cls(
            seed=seed,
            services=services,
            years=years,
            scale=scale,
            start=date(END.year - years, END.month, END.day),
            deployments=max(1, round(DEPLOYMENTS_PER_SERVICE_YEAR * services * years * scale)),
            incidents=max(1, round(INCIDENTS_PER_SERVICE_YEAR * services * years * scale)),
            ci_runs=max(1, round(CI_RUNS_PER_SERVICE_YEAR * services * years * scale)),
            availability_services=max(1, services // 4),
            availability_start=date(END.year - 1, END.month, END.day),
            window_minutes=window_minutes,
            windows=MINUTES_PER_YEAR // window_minutes,
        )

    @property
    def days(self) -> int:
        return (END - self.start).days

    @property
    def availability_rows(self) -> int:
        return self.availability_services * self.windows


@dataclass(frozen=True)
class Service:
    index: int  # 0 is the busiest: the queries draw small indexes more often
    id: str
    name: str
    repository: str
    team: str


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    division: str
    type: str


@dataclass(frozen=True)
class Monitored:
    """A service with availability data: its traffic, error rate and SLO."""

    service: Service
    requests_per_minute: int
    error_ppm: int  # background errors per million requests
    target: str
    time_window: str


# ----------------------------------------------------------------------------------------
# The organization: small, built in Python from random.Random(seed)


def make_organization(plan: Plan) -> tuple[list[Team], list[Service], list[Monitored]]:
    rng = random.Random(plan.seed)
    teams = make_teams(rng, max(1, round(plan.services / 5)))
    services = make_services(rng, plan.services, teams)
    # the monitored services are spread over the range of activity, busiest to quietest
    spread = [services[a * plan.services // plan.availability_services] for a in range(plan.availability_services)]
    monitored = [make_monitored(rng, s) for s in spread]
    return teams, services, monitored


def make_teams(rng: random.Random, count: int) -> list[Team]:
    words = list(DOMAINS)
    rng.shuffle(words)
    divisions = DIVISIONS[: max(1, min(len(DIVISIONS), count // 4))]
    teams = []
    for k in range(count):
        word = words[k % len(words)]
        tid = word if k < len(words) else f"{word}-{k // len(words) + 1}"
        division = divisions[k % len(divisions)][0]
        teams.append(Team(tid, tid.replace("-", " ").title(), division, rng.choice(TEAM_TYPES)))
    return teams


def make_services(rng: random.Random, count: int, teams: list[Team]) -> list[Service]:
    """``count`` services named domain-kind, each owned by a team, in a random order of
    activity; a service's repository has the service's name."""
    names = [f"{d}-{k}" for d in DOMAINS for k in KINDS]
    rng.shuffle(names)
    names = [*names, *(f"service-{n:04d}" for n in range(max(0, count - len(names))))][:count]
    services = []
    for index, sid in enumerate(names):
        domain = sid.split("-")[0]
        owners = [t for t in teams if t.id.split("-")[0] == domain] or [teams[rng.randrange(len(teams))]]
        title = " ".join(w.upper() if w in ("api", "web") else w.title() for w in sid.split("-"))
        services.append(Service(index, sid, title, sid, owners[rng.randrange(len(owners))].id))
    return services


def make_monitored(rng: random.Random, service: Service) -> Monitored:
    target = rng.choice(SLO_TARGETS)
    budget_ppm = round((1 - float(target)) * 1_000_000)
    return Monitored(
        service=service,
        requests_per_minute=5 * 2 ** rng.randrange(10) + rng.randrange(5),  # 5 to 2,564
        error_ppm=max(1, budget_ppm * rng.randrange(5, 60) // 100),  # 5% to 60% of the budget
        target=target,
        time_window=rng.choice(SLO_WINDOWS),
    )


def write_org_yaml(path: Path, plan: Plan, teams: list[Team], services: list[Service]) -> None:
    divisions = sorted({t.division for t in teams}, key=[d for d, _ in DIVISIONS].index)
    lines = [
        "# Engineering teams and the services they own.",
        f"# Generated by scripts/make_delivery_data.py (seed {plan.seed}, {plan.services} services).",
        "teams:",
        "  - id: engineering",
        "    name: Engineering",
    ]
    for did in divisions:
        lines += [f"  - id: {did}", f"    name: {dict(DIVISIONS)[did]}", "    parent: engineering"]
    for t in teams:
        lines += [f"  - id: {t.id}", f"    name: {t.name}", f"    parent: {t.division}", f"    type: {t.type}"]
    lines.append("services:")
    for s in sorted(services, key=lambda s: s.id):
        lines += [
            f"  - id: {s.id}",
            f"    name: {s.name}",
            f"    owner: {s.team}",
            f"    repositories: [{s.repository}]",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_slos(path: Path, monitored: list[Monitored]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(SLO_COLUMNS)
        for m in monitored:
            writer.writerow((f"{m.service.id}-availability", m.service.id, m.target, m.time_window))


# ----------------------------------------------------------------------------------------
# The large files: SQL over range()


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


# ----------------------------------------------------------------------------------------


def write_manifest(path: Path, plan: Plan, rows: dict[str, int]) -> None:
    manifest = {
        "arguments": {"services": plan.services, "years": plan.years, "seed": plan.seed, "scale": plan.scale},
        "generator_sha256": hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
        "start": plan.start.isoformat(),
        "end": END.isoformat(),
        "availability_window_minutes": plan.window_minutes,
        "rows": rows,
    }
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def generate(plan: Plan, out: Path, report: Callable[[str], object] = print) -> dict[str, int]:
    """Write every file of the data set into ``out``; the manifest last, so that a folder
    with a manifest is complete. Returns the data rows of each CSV file."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.json").unlink(missing_ok=True)
    teams, services, monitored = make_organization(plan)
    write_org_yaml(out / "org.yaml", plan, teams, services)
    write_slos(out / "slos.csv", monitored)
    con = connect(plan)
    steps = (  # file, rows (one per row of range()), writer
        ("deployments.csv", plan.deployments, lambda p: write_deployments(con, plan, services, p)),
        ("incidents.csv", plan.incidents, lambda p: write_incidents(con, plan, services, p)),
        ("ci_runs.csv", plan.ci_runs, lambda p: write_ci_runs(con, plan, services, p)),
        ("availability.csv", plan.availability_rows, lambda p: write_availability(con, plan, monitored, p)),
    )
    rows = {}
    for name, count, write in steps:
        started = time.perf_counter()
        write(out / name)
        rows[name] = count
        size = (out / name).stat().st_size / 1e6
        report(f"{name}: {count:,} rows, {size:,.1f} MB in {time.perf_counter() - started:.1f} s")
    con.close()
    rows["slos.csv"] = len(monitored)
    write_manifest(out / "manifest.json", plan, rows)
    return rows


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True, help="folder to write (created if missing)")
    ap.add_argument("--services", type=int, default=200, help="services in the org file (default 200)")
    ap.add_argument("--years", type=int, default=5, help="years of deployments, incidents, CI runs (default 5)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies every row count (0.001: a test set)")
    args = ap.parse_args(argv)
    if args.services < 4:
        ap.error("--services must be at least 4")
    if not 1 <= args.years <= 50:
        ap.error("--years must be between 1 and 50")
    if not 0 < args.scale <= 10:
        ap.error("--scale must be above 0 and at most 10")
    if args.seed < 0:
        ap.error("--seed must not be negative")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    plan = Plan.from_args(args.services, args.years, args.seed, args.scale)
    rows = generate(plan, args.out)
    print(f"{sum(rows.values()):,} rows in {time.perf_counter() - started:.1f} s, {plan.start} .. {END} -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
