"""The delivery and reliability metrics on the golden data of tests/delivery_golden.py, through
the real command line: every expected value is worked out by hand from the timeline in that
module's docstring (all instants there are UTC; "w03-02" is the week starting Monday 03-02).

The data is built and imported once for the module, then every delivery file is imported a
second time: the golden values below are therefore also those after a re-import. The metric
queries run once each, in parallel, before the tests look at them.

Windows used:

- W     2026-03-04 (Wednesday) .. 2026-04-01 (Wednesday): weeks w03-02 (5 days: Wed-Sun),
        w03-09, w03-16, w03-23 (7 days each), w03-30 (3 days: Mon-Wed); March has 28 days in it,
        April 1.
- DORA  2026-03-02 .. 2026-04-05: five whole weeks.
- REL   2026-03-02 .. 2026-03-29: four whole weeks (availability, SLOs).
- CI    2026-03-02 .. 2026-03-15: two whole weeks.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import run_quarterdeck
from tests.delivery_golden import BAD_ROWS, BERLIN, UNKNOWN_SHA, Golden, build, import_steps

TZ_BERLIN = {"QUARTERDECK_TIMEZONE": BERLIN}

W = ("--since", "2026-03-04", "--until", "2026-04-01")
DORA = ("--since", "2026-03-02", "--until", "2026-04-05")
REL = ("--since", "2026-03-02", "--until", "2026-03-29")
CI = ("--since", "2026-03-02", "--until", "2026-03-15")
WEEK = ("--grain", "week")
MONTH = ("--grain", "month")

#: name -> (metric, arguments, environment): every query the tests read, run once, in parallel.
QUERIES: dict[str, tuple[str, tuple[str, ...], dict[str, str] | None]] = {
    "df_week": ("deployment_frequency", (*W, *WEEK), None),
    "df_week_berlin": ("deployment_frequency", (*W, *WEEK), TZ_BERLIN),
    "df_quarter": ("deployment_frequency", (*W, "--grain", "quarter"), None),
    "df_team_week": ("deployment_frequency", (*W, *WEEK, "--by", "team"), None),
    "df_repo_month": (
        "deployment_frequency",
        ("--since", "2026-03-04", "--until", "2026-03-31", *MONTH, "--by", "repository"),
        None,
    ),
    "lt_week": ("lead_time_for_changes", (*W, *WEEK), None),
    "lt_week_berlin": ("lead_time_for_changes", (*W, *WEEK), TZ_BERLIN),
    "lt_week_bots": ("lead_time_for_changes", (*W, *WEEK, "--include-bots"), None),
    "lt_team_month": ("lead_time_for_changes", (*W, *MONTH, "--by", "team"), None),
    "lt_unit_month": ("lead_time_for_changes", (*W, *MONTH, "--by", "unit"), None),
    "lt_edge_month": ("lead_time_for_changes", (*W, *MONTH, "--by", "org", "--unit", "edge"), None),
    "cfr_week": ("change_failure_rate", (*W, *WEEK), None),
    "cfr_service_month": ("change_failure_rate", (*W, *MONTH, "--by", "service"), None),
    "ttr_week": ("time_to_restore", (*W, *WEEK), None),
    "fdrt_week": ("failed_deployment_recovery_time", (*W, *WEEK), None),
    "mtta_week": ("mtta", (*W, *WEEK), None),
    "mttr_week": ("mttr", (*W, *WEEK), None),
    "incidents_month": ("incidents", (*W, *MONTH), None),
    "incidents_team_month": ("incidents", (*W, *MONTH, "--by", "team"), None),
    "incidents_unit_month": ("incidents", (*W, *MONTH, "--by", "unit"), None),
    "ocb_week": ("open_critical_incidents", (*W, *WEEK), None),
    "dora_org_2023": ("dora_performance", DORA, None),
    "dora_team_2023": ("dora_performance", (*DORA, "--by", "team"), None),
    "dora_unit_2023": ("dora_performance", (*DORA, "--by", "unit"), None),
    "dora_team_2021": ("dora_performance", (*DORA, "--by", "team", "--report", "2021"), None),
    "dora_team_last_week": (
        "dora_performance",
        ("--since", "2026-03-30", "--until", "2026-04-05", "--by", "team"),
        None,
    ),
    "availability_week": ("availability", (*REL, *WEEK), None),
    "availability_month": ("availability", ("--since", "2026-03-01", "--until", "2026-03-31", *MONTH), None),
    "budget_remaining": ("error_budget_remaining", ("--until", "2026-03-29"), None),
    "burn_week": ("error_budget_burn_rate", (*REL, *WEEK), None),
    "ci_queue_week": ("ci_queue_time", (*CI, *WEEK, "--by", "org"), None),
    "ci_run_week": ("ci_run_time", (*CI, *WEEK, "--by", "org"), None),
    "ci_failure_week": ("ci_failure_rate", (*CI, *WEEK, "--by", "org"), None),
    "ci_failure_default": ("ci_failure_rate", (*CI, *WEEK), None),
    "ci_failure_team_week": ("ci_failure_rate", (*CI, *WEEK, "--by", "team"), None),
    "m2d_week": ("merge_to_deploy_time", (*W, *WEEK), None),
}

DELIVERY_METRICS = {
    "deployment_frequency", "lead_time_for_changes", "change_failure_rate", "time_to_restore",
    "failed_deployment_recovery_time", "dora_performance", "availability", "error_budget_remaining",
    "error_budget_burn_rate", "incidents", "mtta", "mttr", "open_critical_incidents", "ci_queue_time",
    "ci_run_time", "ci_failure_rate", "merge_to_deploy_time",
}  # fmt: skip

#: The tables of the warehouse holding imported rows, and what the golden files put in them.
ROW_COUNTS = {
    # deployments.csv: D1..D12, D14 and D13's two rows (15); deployments-bad.csv: DJ1, DJ2;
    # deployments-legacy.csv: GD1, GD2, DX
    "deployments": 20,
    # incidents.ndjson: 14; incidents-bad.csv: INC-J1
    "incidents": 15,
    # ci-runs.json: C1..C9; ci-bad.csv: CJ1
    "ci_runs": 10,
    # 31 days of checkout events, 8 gateway probe intervals, 1 valid row of availability-bad.csv
    "availability_windows": 40,
    # checkout-availability, checkout-tiers/strict, checkout-tiers/relaxed, gateway-uptime
    "slos": 4,
}
LINK_TABLES = ("deployment_commits", "change_deployments", "incident_deployments")


def row_counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (*ROW_COUNTS, *LINK_TABLES)}
    finally:
        con.close()


def show(db: Path, metric: str, args: tuple[str, ...], env: dict[str, str] | None = None):
    return run_quarterdeck("--db", str(db), "metrics", "show", metric, *args, "--format", "json", env=env)


def in_parallel(calls: dict[str, Any]) -> dict[str, subprocess.CompletedProcess[str]]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(call) for name, call in calls.items()}
        return {name: future.result() for name, future in futures.items()}


class Data:
    """The golden warehouse, with the outputs of the first import, of the re-import and of every
    query in QUERIES."""

    def __init__(self, golden: Golden) -> None:
        self.golden = golden
        self.db = golden.db
        self.first_import = golden.imports
        self.counts_before = row_counts(golden.db)
        self.before = in_parallel({n: (lambda n=n: show(golden.db, *QUERIES[n])) for n in ("df_week", "lt_week")})
        delivery = [(n, a) for n, a in import_steps(golden) if a[1] not in ("git", "org")]
        self.reimport = {name: run_quarterdeck("--db", str(golden.db), *args) for name, args in delivery}
        self.counts_after = row_counts(golden.db)
        calls = {n: (lambda n=n: show(golden.db, *QUERIES[n])) for n in QUERIES}
        calls["data-quality"] = lambda: run_quarterdeck("--db", str(golden.db), "data-quality", "--format", "json")
        self.shown = in_parallel(calls)

    def payload(self, name: str) -> Any:
        result = self.shown[name]
        assert result.returncode == 0, f"{name}: exit {result.returncode}\n{result.stderr}"
        return json.loads(result.stdout)

    def rows(self, name: str) -> list[dict[str, Any]]:
        payload = self.payload(name)
        return payload["rows"] if isinstance(payload, dict) else payload


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Data:
    return Data(build(tmp_path_factory.mktemp("delivery")))


# -- reading rows ------------------------------------------------------------------------------


def approx(value: float) -> Any:
    return pytest.approx(value, rel=1e-9)


def col(row: dict[str, Any], *names: str) -> Any:
    """The first of NAMES the row has (for columns the spec does not name exactly)."""
    for name in names:
        if name in row:
            return row[name]
    raise AssertionError(f"none of {names} in {sorted(row)}")


def period(row: dict[str, Any]) -> str:
    return col(row, "period_start", "week_start", "month_start", "quarter_start", "period")


def by_period(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Rows of one group, by period start; each period once."""
    table = {period(r): r for r in rows}
    assert len(table) == len(rows), rows
    assert len({r.get("group") for r in rows}) == 1, rows
    return table


def by_group(rows: list[dict[str, Any]], *names: str) -> dict[str, dict[str, dict[str, Any]]]:
    """Rows by group (column ``group``, else one of NAMES), then by period start."""
    groups: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        key = col(row, "group", *names)
        assert period(row) not in groups.setdefault(key, {}), ("twice", row)
        groups[key][period(row)] = row
    return groups


def stat(row: dict[str, Any], word: str, value_column: str | None = None) -> Any:
    """The column holding a statistic (median, p75, p90, mean) whatever its unit suffix."""
    keys = [k for k in row if word in k.lower()]
    if not keys and word == "mean" and value_column in row:
        keys = [value_column]  # mtta_minutes, mttr_hours: the mean is the value
    assert len(keys) == 1, f"{word}: {sorted(row)}"
    return row[keys[0]]


def check_stats(row: dict[str, Any], expected: tuple, value_column: str | None = None) -> None:
    """EXPECTED: (median, p75, p90, mean); None where there is nothing to take them of."""
    got = tuple(stat(row, w, value_column) for w in ("median", "p75", "p90", "mean"))
    want = tuple(None if e is None else approx(e) for e in expected)
    assert got == want, row


def check_table(table: dict[str, dict[str, Any]], expected: dict[str, dict[str, Any]]) -> None:
    assert sorted(table) == sorted(expected)
    for key, values in expected.items():
        got = {k: table[key][k] for k in values}
        assert got == {k: (v if v is None or isinstance(v, str) else approx(v)) for k, v in values.items()}, key


def df(deployments: int, deploy_days: int, days: int) -> dict[str, float]:
    """A deployment_frequency row: both rates are count x 7 / days (written out by hand below)."""
    return {
        "deployments": deployments,
        "deploy_days": deploy_days,
        "days": days,
        "deploys_per_week": deployments * 7 / days,
        "deploy_days_per_week": deploy_days * 7 / days,
    }


WEEKS = ("2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30")


# -- imports -------------------------------------------------------------------------------------


def test_the_golden_files_import(data):
    for name, result in data.first_import.items():
        # deployments, incidents and CI runs are imported together with their -bad files
        # (rejected rows: exit 3), availability-bad.csv alone; everything else loads in full (0)
        expected = 3 if name in ("deployments", "incidents", "ci-runs", "availability-bad") else 0
        assert result.returncode == expected, f"{name}: exit {result.returncode}\n{result.stderr}"
        assert "Traceback" not in result.stderr, result.stderr


def test_bad_rows_are_reported_with_file_line_and_field(data):
    reported: dict[str, dict[int, str]] = {}
    for result in data.first_import.values():
        for match in re.finditer(r"([\w.-]+\.(?:csv|json|ndjson)):(\d+): field (\w+):", result.stderr):
            reported.setdefault(match[1], {})[int(match[2])] = match[3]
    assert sorted(reported) == sorted(BAD_ROWS)
    for name, lines in BAD_ROWS.items():
        assert sorted(reported[name]) == sorted(lines), name
        for line, fields in lines.items():
            assert reported[name][line] in fields, (name, line, reported[name][line])


def test_the_valid_rows_of_a_file_with_bad_rows_load(data):
    # DJ1 and DJ2 (deployments-bad.csv), INC-J1, CJ1 and the June availability window are in
    # the row counts; none of the rejected rows is
    assert {t: data.counts_before[t] for t in ROW_COUNTS} == ROW_COUNTS


def test_reimporting_the_same_files_changes_nothing(data):
    for name, result in data.reimport.items():
        assert result.returncode == data.first_import[name].returncode, (name, result.stderr)
    assert data.counts_after == data.counts_before
    for name in data.before:
        assert data.before[name].returncode == 0, data.before[name].stderr
        assert json.loads(data.before[name].stdout)["rows"] == data.rows(name), name


def test_metrics_list_shows_the_delivery_metrics():
    result = run_quarterdeck("metrics", "list", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert {m["name"] for m in json.loads(result.stdout)} >= DELIVERY_METRICS


# -- deployment_frequency -------------------------------------------------------------------------


def test_deployment_frequency_per_week(data):
    # D1 (03-02) and GD1 (03-03) finished before --since; D3 failed, D4 is staging, D14 aborted
    check_table(
        by_period(data.rows("df_week")),
        {
            # D2 03-04, D5 and D6 (redeploy) 03-06: 3 deployments on 2 days; Wed..Sun = 5 days;
            # 3 x 7 / 5 = 4.2 and 2 x 7 / 5 = 2.8
            "2026-03-02": df(3, 2, 5) | {"deploys_per_week": 4.2, "deploy_days_per_week": 2.8},
            # D7 03-11, D8 (rollback) 03-12
            "2026-03-09": df(2, 2, 7) | {"deploys_per_week": 2.0, "deploy_days_per_week": 2.0},
            # D9 03-16, D10 03-18, D11 Sunday 03-22 23:30Z
            "2026-03-16": df(3, 3, 7) | {"deploys_per_week": 3.0, "deploy_days_per_week": 3.0},
            # D12 03-29 01:30Z and GD2 03-29 10:00Z (naive 12:00 Berlin summer time): one day
            "2026-03-23": df(2, 1, 7) | {"deploys_per_week": 2.0, "deploy_days_per_week": 1.0},
            # D13 (two rows, one id) 04-01; Mon..Wed = 3 days: 7/3 and 7/3
            "2026-03-30": df(1, 1, 3) | {"deploys_per_week": 7 / 3, "deploy_days_per_week": 7 / 3},
        },
    )


def test_deployment_frequency_in_the_organizations_time_zone(data):
    # Europe/Berlin: D11 (03-22 23:30Z) is Monday 03-23 00:30 CET and moves to w03-23. The week
    # of the change to summer time (03-23..03-29) has 167 hours but 7 days.
    check_table(
        by_period(data.rows("df_week_berlin")),
        {
            "2026-03-02": df(3, 2, 5) | {"deploys_per_week": 4.2, "deploy_days_per_week": 2.8},
            "2026-03-09": df(2, 2, 7),
            # D9 03-16, D10 03-18
            "2026-03-16": df(2, 2, 7) | {"deploys_per_week": 2.0, "deploy_days_per_week": 2.0},
            # D11 Mon 03-23, D12 Sun 03-29 03:30 CEST, GD2 Sun 03-29 12:00 CEST: 3 on 2 days
            "2026-03-23": df(3, 2, 7) | {"deploys_per_week": 3.0, "deploy_days_per_week": 2.0},
            "2026-03-30": df(1, 1, 3),
        },
    )


def test_deployment_frequency_per_quarter(data):
    check_table(
        by_period(data.rows("df_quarter")),
        {
            # Q1 inside the window: 03-04..03-31 = 28 days; D2, D5, D6, D7, D8, D9, D10, D11, D12,
            # GD2 = 10 on 8 days (03-04, 03-06, 03-11, 03-12, 03-16, 03-18, 03-22, 03-29):
            # 10 x 7 / 28 = 2.5, 8 x 7 / 28 = 2.0
            "2026-01-01": df(10, 8, 28) | {"deploys_per_week": 2.5, "deploy_days_per_week": 2.0},
            # Q2: 04-01 only; D13: 7.0 and 7.0
            "2026-04-01": df(1, 1, 1) | {"deploys_per_week": 7.0, "deploy_days_per_week": 7.0},
        },
    )


def test_deployment_frequency_by_team_follows_the_service_owner_at_the_deployment_date(data):
    groups = by_group(data.rows("df_team_week"))
    # checkout belongs to payments
    check_table(
        groups["payments"],
        {
            "2026-03-02": df(3, 2, 5),  # D2, D5, D6
            "2026-03-09": df(2, 2, 7),  # D7, D8
            "2026-03-16": df(3, 3, 7),  # D9, D10, D11
            "2026-03-23": df(1, 1, 7),  # D12
            "2026-03-30": df(1, 1, 3),  # D13
        },
    )
    # gateway moved from platform to edge on 03-23: GD2 (03-29) counts for edge; GD1 (03-03,
    # platform) is before the window
    nothing = {w: df(0, 0, days) for w, days in zip(WEEKS, (5, 7, 7, 7, 3), strict=True)}
    check_table(groups["edge"], nothing | {"2026-03-23": df(1, 1, 7)})
    for name, table in groups.items():
        if name not in ("payments", "edge"):
            assert all(r["deployments"] == 0 for r in table.values()), (name, table)


def test_deployment_frequency_by_repository(data):
    groups = by_group(data.rows("df_repo_month"), "repository")
    # March 03-04..03-31 (28 days). D9 and D12 name no repository: the service's repository
    # holding their commit is shop. 9 deployments on 8 days: 9 x 7 / 28 = 2.25, 8 x 7 / 28 = 2.0
    check_table(groups["shop"], {"2026-03-01": df(9, 8, 28) | {"deploys_per_week": 2.25}})
    # GD2 (no repository column: gateway's repository holds g3): 7 / 28 = 0.25
    check_table(groups["gateway"], {"2026-03-01": df(1, 1, 28) | {"deploys_per_week": 0.25}})
    assert sorted(groups) == ["gateway", "shop"]


# -- lead_time_for_changes ------------------------------------------------------------------------

#: Lead time of each change (author time -> finish of the first successful production
#: deployment that shipped it), hours:
#:   D2 (03-04 12:00): s3 03-02 12:00 -> 48; s4 03-03 08:00 -> 28
#:   D5 (03-06 09:00): s5 03-04 18:00 -> 39 (D3 failed and D4 staging do not ship it)
#:   D7 (03-11 12:00): sq 03-09 09:00 -> 51; r1 03-07 14:00 -> 94; r2 03-08 16:00 -> 68
#:   D9 (03-16 10:00): s6 03-13 10:00 -> 72; m1 03-14 09:00 -> 49; b1 (bot) 03-14 12:00 -> 46;
#:                     M is a merge; sq, r1, r2 were first shipped by D7
#:   D10 (03-18 10:00): s7 authored 03-19 12:00 -> -26: left out
#:   D11 (03-22 23:30): s8 03-21 10:00 -> 37.5
#:   D12 (03-29 01:30): s9 03-28 22:30 -> 3 (23:30+01:00 -> 03:30+02:00: 4 h on the clock)
#:   GD2 (03-29 10:00): g2 03-20 09:00 -> 217; g3 03-28 11:00 -> 23 (naive 12:00 CEST = 10:00Z)
#:   D13 (04-01 12:00): s10 03-31 12:00 -> 24
#: Quantiles interpolate (quantile_cont): position (n - 1) x q in the sorted values.


def test_lead_time_per_week(data):
    table = by_period(data.rows("lt_week"))
    assert {p: r["changes"] for p, r in table.items()} == dict(zip(WEEKS, (3, 3, 3, 3, 1), strict=True))
    # [28, 39, 48]: median 39; p75 at 1.5: 39 + 0.5 x 9 = 43.5; p90 at 1.8: 39 + 0.8 x 9 = 46.2; mean 115/3
    check_stats(table["2026-03-02"], (39, 43.5, 46.2, 115 / 3))
    # [51, 68, 94]: 68; 68 + 0.5 x 26 = 81; 68 + 0.8 x 26 = 88.8; 213/3 = 71
    check_stats(table["2026-03-09"], (68, 81, 88.8, 71))
    # [37.5, 49, 72] (s7 negative, b1 a bot): 49; 49 + 0.5 x 23 = 60.5; 49 + 0.8 x 23 = 67.4; 158.5/3
    check_stats(table["2026-03-16"], (49, 60.5, 67.4, 158.5 / 3))
    # [3, 23, 217]: 23; 23 + 0.5 x 194 = 120; 23 + 0.8 x 194 = 178.2; 243/3 = 81
    check_stats(table["2026-03-23"], (23, 120, 178.2, 81))
    check_stats(table["2026-03-30"], (24, 24, 24, 24))


def test_lead_time_in_the_organizations_time_zone(data):
    table = by_period(data.rows("lt_week_berlin"))
    assert {p: r["changes"] for p, r in table.items()} == dict(zip(WEEKS, (3, 3, 2, 4, 1), strict=True))
    check_stats(table["2026-03-02"], (39, 43.5, 46.2, 115 / 3))
    check_stats(table["2026-03-09"], (68, 81, 88.8, 71))
    # D11 is Monday 03-23 in Berlin. w03-16: [49, 72]: median (49 + 72) / 2 = 60.5 (even
    # count); p75 at 0.75: 49 + 0.75 x 23 = 66.25; p90: 49 + 0.9 x 23 = 69.7; mean 60.5
    check_stats(table["2026-03-16"], (60.5, 66.25, 69.7, 60.5))
    # w03-23: [3, 23, 37.5, 217]: median (23 + 37.5) / 2 = 30.25; p75 at 2.25:
    # 37.5 + 0.25 x 179.5 = 82.375; p90 at 2.7: 37.5 + 0.7 x 179.5 = 163.15; mean 280.5/4 = 70.125
    check_stats(table["2026-03-23"], (30.25, 82.375, 163.15, 70.125))
    check_stats(table["2026-03-30"], (24, 24, 24, 24))


def test_lead_time_with_bots(data):
    table = by_period(data.rows("lt_week_bots"))
    assert {p: r["changes"] for p, r in table.items()} == dict(zip(WEEKS, (3, 3, 4, 3, 1), strict=True))
    # b1 (dependabot, 46 h) joins w03-16: [37.5, 46, 49, 72]: median (46 + 49) / 2 = 47.5;
    # p75 at 2.25: 49 + 0.25 x 23 = 54.75; p90 at 2.7: 49 + 0.7 x 23 = 65.1; mean 204.5/4 = 51.125
    check_stats(table["2026-03-16"], (47.5, 54.75, 65.1, 51.125))
    check_stats(table["2026-03-02"], (39, 43.5, 46.2, 115 / 3))


def test_lead_time_per_month_by_team(data):
    groups = by_group(data.rows("lt_team_month"))
    payments, edge = groups["payments"], groups["edge"]
    # payments in March: [3, 28, 37.5, 39, 48, 49, 51, 68, 72, 94] (10 changes): median
    # (48 + 49) / 2 = 48.5; p75 at 6.75: 51 + 0.75 x 17 = 63.75; p90 at 8.1: 72 + 0.1 x 22 = 74.2;
    # mean 489.5 / 10 = 48.95
    assert payments["2026-03-01"]["changes"] == 10
    check_stats(payments["2026-03-01"], (48.5, 63.75, 74.2, 48.95))
    assert payments["2026-04-01"]["changes"] == 1
    check_stats(payments["2026-04-01"], (24, 24, 24, 24))
    # edge (gateway from 03-23): GD2 [23, 217]: median 120; p75 23 + 0.75 x 194 = 168.5;
    # p90 23 + 0.9 x 194 = 197.6; mean 120. April: no change.
    assert edge["2026-03-01"]["changes"] == 2
    check_stats(edge["2026-03-01"], (120, 168.5, 197.6, 120))
    assert edge["2026-04-01"]["changes"] == 0
    check_stats(edge["2026-04-01"], (None, None, None, None))
    for name, table in groups.items():
        if name not in ("payments", "edge"):
            assert all(r["changes"] == 0 for r in table.values()), (name, table)


# -- change_failure_rate ----------------------------------------------------------------------------

#: Incidents attributed: D2 <- INC-1 (explicit), INC-3 (root cause s4); D6 <- INC-11 (its
#: deployment_id names no deployment: inferred); GD1 <- INC-5; D7 <- INC-2; D10 <- INC-9;
#: D11 <- INC-7; D12 <- INC-8; GD2 <- INC-13; D13 <- INC-10. No incident for D5, D8, D9.


def test_change_failure_rate_per_week(data):
    check_table(
        by_period(data.rows("cfr_week")),
        {
            # D2 (two incidents, counted once), D5, D6: 2 of 3
            "2026-03-02": {"deployments": 3, "failed_deployments": 2, "change_failure_rate": 2 / 3},
            # D7 yes, D8 no
            "2026-03-09": {"deployments": 2, "failed_deployments": 1, "change_failure_rate": 0.5},
            # D9 no (INC-3 after it goes to D2 by its root cause), D10 yes, D11 yes (INC-7 on 03-29)
            "2026-03-16": {"deployments": 3, "failed_deployments": 2, "change_failure_rate": 2 / 3},
            # D12 (INC-8), GD2 (INC-13)
            "2026-03-23": {"deployments": 2, "failed_deployments": 2, "change_failure_rate": 1.0},
            "2026-03-30": {"deployments": 1, "failed_deployments": 1, "change_failure_rate": 1.0},
        },
    )


def test_change_failure_rate_per_month_by_service(data):
    groups = by_group(data.rows("cfr_service_month"), "service")
    check_table(
        groups["checkout"],
        {
            # D2, D5, D6, D7, D8, D9, D10, D11, D12; failed D2, D6, D7, D10, D11, D12: 6/9
            "2026-03-01": {"deployments": 9, "failed_deployments": 6, "change_failure_rate": 2 / 3},
            "2026-04-01": {"deployments": 1, "failed_deployments": 1, "change_failure_rate": 1.0},
        },
    )
    check_table(
        groups["gateway"],
        {
            "2026-03-01": {"deployments": 1, "failed_deployments": 1, "change_failure_rate": 1.0},  # GD2
            "2026-04-01": {"deployments": 0, "failed_deployments": 0, "change_failure_rate": None},  # 0/0
        },
    )
    assert sorted(groups) == ["checkout", "gateway"]


# -- incidents: time_to_restore, failed_deployment_recovery_time, mtta, mttr, incidents ------------


def test_time_to_restore_per_week(data):
    table = by_period(data.rows("ttr_week"))
    counts = {p: (r["incidents"], r["resolved"], r["open"]) for p, r in table.items()}
    assert counts == {
        "2026-03-02": (2, 2, 0),  # INC-1, INC-11
        "2026-03-09": (3, 3, 0),  # INC-5, INC-2, INC-4
        "2026-03-16": (3, 3, 0),  # INC-3, INC-9, INC-6 (Sunday 03-22 23:30Z)
        "2026-03-23": (2, 1, 1),  # INC-12 open, INC-7
        "2026-03-30": (3, 1, 2),  # INC-8 and INC-13 open, INC-10
    }
    # [1, 2]: 1.5; 1 + 0.75 = 1.75; 1 + 0.9 = 1.9; 1.5
    check_stats(table["2026-03-02"], (1.5, 1.75, 1.9, 1.5))
    # [1.5, 2, 12.5]: 2; 2 + 0.5 x 10.5 = 7.25; 2 + 0.8 x 10.5 = 10.4; 16/3
    check_stats(table["2026-03-09"], (2, 7.25, 10.4, 16 / 3))
    # [1/3 (20 min), 1, 6]: 1; 1 + 0.5 x 5 = 3.5; 1 + 0.8 x 5 = 5; (1/3 + 7) / 3 = 22/9
    check_stats(table["2026-03-16"], (1, 3.5, 5, 22 / 9))
    # INC-7: created 01:30+01:00, resolved 03:30+02:00: 1 h, not 2
    check_stats(table["2026-03-23"], (1, 1, 1, 1))
    check_stats(table["2026-03-30"], (0.5, 0.5, 0.5, 0.5))


def test_failed_deployment_recovery_time_per_week(data):
    table = by_period(data.rows("fdrt_week"))
    # INC-1: D2 03-04 12:00 -> 03-06 13:00 = 49; INC-11: D6 15:00 -> 17:00 = 2.
    # [2, 49]: 25.5; 2 + 0.75 x 47 = 37.25; 2 + 0.9 x 47 = 44.3; 25.5
    check_stats(table["2026-03-02"], (25.5, 37.25, 44.3, 25.5))
    # INC-5: GD1 03-03 09:00 -> 03-10 11:00 = 170; INC-2: D7 03-11 12:00 -> 03-12 08:30 = 20.5;
    # INC-4 unlinked. [20.5, 170]: 95.25; 20.5 + 0.75 x 149.5 = 132.625; 20.5 + 0.9 x 149.5 = 155.05
    check_stats(table["2026-03-09"], (95.25, 132.625, 155.05, 95.25))
    # INC-3: D2 03-04 12:00 -> 03-17 15:00 = 315; INC-9: D10 10:00 -> 13:00 = 3; INC-6 unlinked.
    # [3, 315]: 159; 3 + 0.75 x 312 = 237; 3 + 0.9 x 312 = 283.8; 159
    check_stats(table["2026-03-16"], (159, 237, 283.8, 159))
    # INC-7: D11 03-22 23:30 -> 03-29 01:30 = 146 (INC-12 unlinked)
    check_stats(table["2026-03-23"], (146, 146, 146, 146))
    # INC-10: D13 12:00 -> 13:30 = 1.5 (INC-8 and INC-13 are open)
    check_stats(table["2026-03-30"], (1.5, 1.5, 1.5, 1.5))


def test_mtta_per_week(data):
    table = by_period(data.rows("mtta_week"))
    value = data.payload("mtta_week")["metric"]["value"]
    # minutes created -> acknowledged; (mean, median)
    expected = {
        "2026-03-02": (22.5, 22.5),  # INC-1 15, INC-11 30
        "2026-03-09": (95 / 3, 30),  # INC-5 45, INC-2 30, INC-4 20
        "2026-03-16": (10 / 3, 3),  # INC-3 5, INC-9 3, INC-6 2
        "2026-03-23": (35, 35),  # INC-12 60, INC-7 10 (01:30+01:00 -> 01:40+01:00)
        "2026-03-30": (None, None),  # INC-8, INC-13, INC-10: none acknowledged
    }
    assert sorted(table) == sorted(expected)
    for week, (mean, median) in expected.items():
        got = (stat(table[week], "mean", value), stat(table[week], "median"))
        assert got == tuple(None if e is None else approx(e) for e in (mean, median)), week


def test_mttr_per_week(data):
    table = by_period(data.rows("mttr_week"))
    value = data.payload("mttr_week")["metric"]["value"]
    # hours created -> resolved, as time_to_restore: (mean, median)
    expected = {
        "2026-03-02": (1.5, 1.5),
        "2026-03-09": (16 / 3, 2),
        "2026-03-16": (22 / 9, 1),
        "2026-03-23": (1, 1),
        "2026-03-30": (0.5, 0.5),
    }
    assert sorted(table) == sorted(expected)
    for week, (mean, median) in expected.items():
        got = (stat(table[week], "mean", value), stat(table[week], "median"))
        assert got == (approx(mean), approx(median)), week


SEVERITY_WORDS = {"critical": 1, "high": 2, "major": 2, "medium": 3, "moderate": 3, "low": 4, "minor": 4}
SEVERITY_WORDS |= {"info": 5, "informational": 5}


def severity_rank(label: Any) -> Any:
    """docs/delivery-inputs.md, "Severity": the rank of a label, else the label itself."""
    if isinstance(label, int):
        return label
    text = str(label).strip().lower()
    if text in SEVERITY_WORDS:
        return SEVERITY_WORDS[text]
    match = re.fullmatch(r"(?:sev|severity|s|p|priority|rank)?[\s_-]*(\d)", text)
    return int(match[1]) if match else label


def severities(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[Any, int]]:
    """(group, period) -> {rank or unranked label: incidents}, zero counts left out."""
    out: dict[tuple[str, str], dict[Any, int]] = {}
    for row in rows:
        rank = row.get("severity_rank")
        key = rank if rank is not None else severity_rank(col(row, "severity", "severity_label"))
        count = col(row, "incidents", "count")
        cell = out.setdefault((row.get("group"), period(row)), {})
        if count:
            cell[key] = cell.get(key, 0) + count
    return out


def test_incidents_by_severity_per_month(data):
    got = {p: c for (_, p), c in severities(data.rows("incidents_month")).items()}
    assert got == {
        # rank 1: INC-1 SEV1, INC-3 critical, INC-6 P1 (no service: counts org-wide), INC-12 SEV-1,
        # INC-7 sev1; rank 2: INC-5 S2, INC-2 P2, INC-8 SEV2; rank 3: INC-11 medium, INC-4
        # Priority 3, INC-13 P3; rank 4: INC-9 low. INC-0 (03-01) is before the window.
        "2026-03-01": {1: 5, 2: 3, 3: 3, 4: 1},
        # INC-10: no rank, counted under its own name
        "2026-04-01": {"customer-impact": 1},
    }


def test_lead_time_rolls_up_to_the_unit_above_the_teams(data):
    groups = by_group(data.rows("lt_unit_month"))
    # eng holds payments and edge (platform deployed nothing in the window)
    assert sorted(groups) == ["edge", "eng", "payments"]
    eng = groups["eng"]
    # March: payments' 10 changes and edge's 2: [3, 23, 28, 37.5, 39, 48, 49, 51, 68, 72, 94, 217]:
    # median (48 + 49) / 2 = 48.5; p75 at 8.25: 68 + 0.25 x 4 = 69; p90 at 9.9: 72 + 0.9 x 22 =
    # 91.8; mean (489.5 + 240) / 12
    assert eng["2026-03-01"]["changes"] == 12
    check_stats(eng["2026-03-01"], (48.5, 69, 91.8, 729.5 / 12))
    check_stats(eng["2026-04-01"], (24, 24, 24, 24))
    # --unit edge: edge's own changes, as one total
    edge = by_period(data.rows("lt_edge_month"))
    assert edge["2026-03-01"]["group"] == "organization" and edge["2026-03-01"]["changes"] == 2
    check_stats(edge["2026-03-01"], (120, 168.5, 197.6, 120))


def test_incidents_by_unit(data):
    got = severities(data.rows("incidents_unit_month"))
    # eng: every incident with a service (all are owned by teams under eng); INC-6 names none
    assert got[("eng", "2026-03-01")] == {1: 4, 2: 3, 3: 3, 4: 1}
    assert got[("eng", "2026-04-01")] == {"customer-impact": 1}
    assert got[("edge", "2026-03-01")] == {1: 1, 3: 1}


def test_dora_performance_of_a_unit_holding_every_service_is_the_organizations(data):
    def keys(rows, group):
        return [(r["key"], r["value"], r["band"]) for r in rows if r["group"] == group]

    units = data.rows("dora_unit_2023")
    assert {r["group"] for r in units} == {"eng", "payments", "platform", "edge"}
    # the 2023 report's recovery counts attributed incidents only, so INC-6 (no service) does
    # not make the organization differ from eng
    assert keys(units, "eng") == keys(data.rows("dora_org_2023"), "organization")
    assert keys(units, "payments") == keys(data.rows("dora_team_2023"), "payments")


def test_incidents_by_team(data):
    got = severities(data.rows("incidents_team_month"))
    assert got[("payments", "2026-03-01")] == {1: 3, 2: 2, 3: 1, 4: 1}  # INC-1, 3, 7 | 2, 8 | 11 | 9
    assert got[("payments", "2026-04-01")] == {"customer-impact": 1}  # INC-10
    assert got[("platform", "2026-03-01")] == {2: 1, 3: 1}  # INC-5, INC-4: gateway before 03-23
    assert got[("edge", "2026-03-01")] == {1: 1, 3: 1}  # INC-12, INC-13: gateway from 03-23
    # INC-6 names no service: it "counts org-wide only", in no team's group: 12 - 1 = 11 in March
    march = {g: c for (g, p), c in got.items() if p == "2026-03-01"}
    assert sum(sum(c.values()) for c in march.values()) == 11, march


def test_open_critical_incidents_at_the_end_of_each_week(data):
    check_table(
        by_period(data.rows("ocb_week")),
        {
            # every SEV1/SEV2 incident before 03-23 was resolved within its week
            "2026-03-02": {"open": 0, "median_age_days": None, "oldest_age_days": None},
            "2026-03-09": {"open": 0, "median_age_days": None, "oldest_age_days": None},
            "2026-03-16": {"open": 0, "median_age_days": None, "oldest_age_days": None},
            # at 03-30 00:00: INC-12 (SEV-1, 03-27 12:00) is 2.5 days old
            "2026-03-23": {"open": 1, "median_age_days": 2.5, "oldest_age_days": 2.5},
            # at the end of the window (04-02 00:00, the week is cut): INC-12 5.5 days, INC-8 (SEV2,
            # 03-30 06:00) 2 days 18 h = 2.75 days; median (2.75 + 5.5) / 2 = 4.125. INC-13 (P3) is
            # not critical.
            "2026-03-30": {"open": 2, "median_age_days": 4.125, "oldest_age_days": 5.5},
        },
    )


# -- dora_performance -----------------------------------------------------------------------------

BANDS = {"elite", "high", "medium", "low", "(no data)"}


def key_of(text: str) -> str | None:
    text = text.lower()
    for key, words in (
        ("recovery", ("recover", "restore")),
        ("lead_time", ("lead",)),
        ("change_failure_rate", ("fail",)),
        ("deployment_frequency", ("deploy", "frequency")),
    ):
        if any(w in text for w in words):
            return key
    return None


def dora(rows: list[dict[str, Any]], group: str | None = None) -> tuple[dict[str, str], list[float]]:
    """The bands of one group's four keys (wide or long rows), and every number shown for it."""
    bands: dict[str, str] = {}
    numbers: list[float] = []
    for row in rows:
        if group is not None and row.get("group") != group:
            continue
        numbers += [v for v in row.values() if isinstance(v, int | float) and not isinstance(v, bool)]
        for column, value in row.items():
            if not (isinstance(value, str) and value.lower() in BANDS):
                continue
            key = key_of(column)
            if key is None:  # one row per key: the key is named in another column
                others = " ".join(v for k, v in row.items() if k not in (column, "group") and isinstance(v, str))
                key = key_of(others)
            if key is not None:
                bands[key] = value.lower()
    return bands, numbers


def check_dora(rows, group, bands: dict[str, str], values: list[float]) -> None:
    got, numbers = dora(rows, group)
    assert got == bands, (group, rows)
    for value in values:
        assert approx(value) in numbers, (group, value, numbers)


DF, LT, CFR, REC = "deployment_frequency", "lead_time", "change_failure_rate", "recovery"


def test_dora_performance_2023_for_the_organization(data):
    check_dora(
        data.rows("dora_org_2023"),
        None,
        {
            # deploy days per week, w03-02..w03-30: 4 (03-02, 03-03, 03-04, 03-06), 2, 3, 1, 1:
            # median 2: >= 1 -> high
            DF: "high",
            # 13 changes [3, 23, 24, 28, 37.5, 39, 48, 49, 51, 68, 72, 94, 217]: median 48 (< 168) -> high
            LT: "high",
            # 13 deployments (D1 and GD1 count), 9 with an incident (GD1, D2, D6, D7, D10, D11,
            # D12, GD2, D13): 9/13 = 69 % (> 15 %) -> low
            CFR: "low",
            # failed deployment recovery: [1.5, 2, 3, 20.5, 49, 146, 170, 315]: median
            # (20.5 + 49) / 2 = 34.75 (< 168) -> medium
            REC: "medium",
        },
        [2, 48, 9 / 13, 34.75],
    )


def test_dora_performance_2023_by_team(data):
    rows = data.rows("dora_team_2023")
    check_dora(
        rows,
        "payments",
        {
            DF: "high",  # weekly deploy days 3, 2, 3, 1, 1: median 2
            LT: "high",  # [3, 24, 28, 37.5, 39, 48, 49, 51, 68, 72, 94]: median 48
            CFR: "low",  # 11 deployments (D1, D2, D5..D13 less D14), 7 failed: 7/11
            REC: "high",  # [1.5, 2, 3, 20.5, 49, 146, 315]: median 20.5 (< 24)
        },
        [48, 7 / 11, 20.5],
    )
    check_dora(
        rows,
        "platform",  # gateway until 03-22: GD1, INC-5, INC-4
        {
            # weekly deploy days 1, 0, 0, 0, 0: median 0; per month March 1, April 0: median
            # 0.5 (< 1) -> low
            DF: "low",
            LT: "(no data)",  # GD1 is a baseline: it shipped no change
            CFR: "low",  # GD1 with INC-5: 1/1
            REC: "low",  # INC-5: GD1 03-03 09:00 -> 03-10 11:00 = 170 (>= 168)
        },
        [1.0, 170],
    )
    check_dora(
        rows,
        "edge",  # gateway from 03-23: GD2, INC-12 (unlinked, open), INC-13 (open)
        {
            DF: "low",  # weekly 0, 0, 0, 1, 0: median 0; monthly 1, 0: median 0.5
            LT: "high",  # [23, 217]: median 120
            CFR: "low",  # GD2 with INC-13: 1/1
            REC: "(no data)",  # INC-13 is not resolved
        },
        [120, 1.0],
    )


def test_dora_performance_2021_by_team(data):
    rows = data.rows("dora_team_2021")
    check_dora(
        rows,
        "payments",
        {
            DF: "high",  # weekly median 2 (< 5); monthly median >= 1 (March 9 days, April 1)
            LT: "high",  # 48: >= 1, < 168
            CFR: "low",  # 7/11 = 64 % > 30 %
            # time to restore: INC-1 2, INC-11 1, INC-2 12.5, INC-3 6, INC-9 1, INC-7 1, INC-10 0.5:
            # [0.5, 1, 1, 1, 2, 6, 12.5]: median 1 (not < 1) -> high
            REC: "high",
        },
        [48, 7 / 11, 1],
    )
    check_dora(
        rows,
        "platform",
        {
            DF: "medium",  # monthly median 0.5 < 1; six-month total 1 deploy day >= 1
            LT: "(no data)",
            CFR: "low",
            REC: "high",  # INC-5 2, INC-4 1.5: median 1.75
        },
        [1.75],
    )
    check_dora(rows, "edge", {DF: "medium", LT: "high", CFR: "low", REC: "(no data)"}, [120])


def test_dora_performance_band_edges_and_missing_data(data):
    rows = data.rows("dora_team_last_week")  # 2026-03-30 .. 2026-04-05
    # payments: D13 on 04-01 (1 deploy day: weekly median 1 -> high); s10 lead time exactly 24 h:
    # not < 24 -> high; D13 failed (INC-10): 1/1 -> low; INC-10 recovered 12:00 -> 13:30 = 1.5 h
    # -> high (INC-8, attributed to D12, is still open)
    check_dora(rows, "payments", {DF: "high", LT: "high", CFR: "low", REC: "high"}, [24, 1.5])
    # edge: INC-13 only (open): no change, no deployment, no recovery. (Its deployment frequency,
    # zero deploy days, is not checked: the spec does not say whether zero is "low" or no data.)
    bands, _ = dora(rows, "edge")
    assert {k: bands.get(k) for k in (LT, CFR, REC)} == {LT: "(no data)", CFR: "(no data)", REC: "(no data)"}


# -- availability and SLOs ---------------------------------------------------------------------------


def test_availability_per_week(data):
    groups = by_group(data.rows("availability_week"), "service")
    week = 7 * 86400  # seconds
    expected = {
        # event counts, 100,000 a day: bad 100 on 03-05, 300 on 03-11, 100 on 03-29
        "checkout": {
            "2026-03-02": ("events", 699900, 700000),
            "2026-03-09": ("events", 699700, 700000),
            "2026-03-16": ("events", 700000, 700000),
            "2026-03-23": ("events", 699900, 700000),
        },
        # probes in seconds: the interval 02-28..03-09 is cut at 03-02 00:00; down 3600 s on
        # 03-10 and 1800 s on 03-20; the interval 03-23..04-06 is cut at 03-30 00:00
        "gateway": {
            "2026-03-02": ("probes", week, week),
            "2026-03-09": ("probes", week - 3600, week),
            "2026-03-16": ("probes", week - 1800, week),
            "2026-03-23": ("probes", week, week),
        },
    }
    assert sorted(groups) == sorted(expected)
    for service, weeks in expected.items():
        check_table(
            groups[service],
            {w: {"kind": k, "good": g, "total": t, "availability": g / t} for w, (k, g, t) in weeks.items()},
        )
    # 1 - 3600/604800 = 1 - 1/168
    assert groups["gateway"]["2026-03-09"]["availability"] == approx(1 - 1 / 168)


def test_availability_per_month(data):
    groups = by_group(data.rows("availability_month"), "service")
    # checkout: 31 days x 100,000; bad 1,000 + 100 + 300 + 100 + 2,000 = 3,500
    check_table(
        groups["checkout"],
        {"2026-03-01": {"good": 3096500, "total": 3100000, "availability": 3096500 / 3100000}},
    )
    # gateway: 31 days = 2,678,400 s (cut at 03-01 and at 04-01); down 5,400 s: 1 - 1/496
    check_table(
        groups["gateway"],
        {"2026-03-01": {"good": 2673000, "total": 2678400, "availability": 495 / 496}},
    )


def slo_row(rows: list[dict[str, Any]], slo: str, period_start: str | None = None) -> dict[str, Any]:
    found = [r for r in rows if slo in r.values() and (period_start is None or period(r) == period_start)]
    assert len(found) == 1, (slo, period_start, rows)
    return found[0]


def test_error_budget_remaining(data):
    rows = data.rows("budget_remaining")
    expected = {
        # 28 rolling days ending 03-29: 03-02..03-29, 2,800,000 events, 500 bad:
        # availability 1 - 1/5600; budget 0.001; consumed (1/5600) / 0.001 = 5/28; remaining 23/28
        "checkout-availability": (1 - 1 / 5600, 0.001, 5 / 28, 23 / 28),
        # the calendar month from 03-01: 29 days = 2,505,600 s, down 5,400 s: 1 - 1/464;
        # budget 0.005 (99.5 given as a percentage); consumed (1/464) / 0.005 = 25/58; remaining 33/58
        "gateway-uptime": (1 - 1 / 464, 0.005, 25 / 58, 33 / 58),
        # one rolling week 03-23..03-29: 700,000 events, 100 bad: 1 - 1/7000
        # strict 99.99 %: budget 0.0001, consumed 10/7, remaining -3/7 (overspent)
        "checkout-tiers/strict": (1 - 1 / 7000, 1 - 0.9999, 10 / 7, -3 / 7),
        # relaxed (targetPercent 99): budget 0.01, consumed 1/70, remaining 69/70
        "checkout-tiers/relaxed": (1 - 1 / 7000, 1 - 0.99, 1 / 70, 69 / 70),
    }
    assert len(rows) == len(expected), rows
    for slo, values in expected.items():
        row = slo_row(rows, slo)
        got = tuple(row[c] for c in ("availability", "error_budget", "budget_consumed", "error_budget_remaining"))
        assert got == tuple(approx(v) for v in values), slo


def test_error_budget_burn_rate_per_week(data):
    rows = data.rows("burn_week")
    # (1 - availability in the week) / (1 - target)
    expected = {
        # bad 100, 300, 0, 100 of 700,000: 100/700,000 / 0.001 = 1/7
        "checkout-availability": (1 / 7, 3 / 7, 0, 1 / 7),
        # down 0, 3600, 1800, 0 s of 604,800: (1/168) / 0.005 = 200/168; (1/336) / 0.005 = 200/336
        "gateway-uptime": (0, 200 / 168, 200 / 336, 0),
        # budget 0.0001: (1/7000) / 0.0001 = 10/7, (3/7000) / 0.0001 = 30/7
        "checkout-tiers/strict": (10 / 7, 30 / 7, 0, 10 / 7),
        # budget 0.01: 1/70, 3/70
        "checkout-tiers/relaxed": (1 / 70, 3 / 70, 0, 1 / 70),
    }
    assert len(rows) == 16, rows
    for slo, values in expected.items():
        for week, value in zip(WEEKS, values, strict=False):
            row = slo_row(rows, slo, week)
            assert stat(row, "burn") == approx(value), (slo, week, row)


# -- CI ------------------------------------------------------------------------------------------


def test_ci_queue_time_per_week(data):
    table = by_period(data.rows("ci_queue_week"))
    # w03-02 (by queue time): C1 2, C2 5, C3 1, C4 10 (cancelled), C6 0.5 (skipped), C7 3
    # (Sunday 23:30Z), C8 4: [0.5, 1, 2, 3, 4, 5, 10]: median 3; p75 at 4.5: 4 + 0.5 x 1 = 4.5;
    # p90 at 5.4: 5 + 0.4 x 5 = 7; mean 25.5/7
    assert table["2026-03-02"]["runs"] == 7
    check_stats(table["2026-03-02"], (3, 4.5, 7, 25.5 / 7))
    # w03-09: C9 6 (C5 has no queue time)
    check_stats(table["2026-03-09"], (6, 6, 6, 6))


def test_ci_run_time_per_week(data):
    table = by_period(data.rows("ci_run_week"))
    # [C4 1, C6 2, C1 10, C7 10, C2 15, C3 30, C8 30]: median 10; p75 at 4.5: 15 + 0.5 x 15 = 22.5;
    # p90 at 5.4: 30; mean 98/7 = 14
    assert table["2026-03-02"]["runs"] == 7
    check_stats(table["2026-03-02"], (10, 22.5, 30, 14))
    # C9 10, C5 20 (no queue time: counted by its start, 03-11): 15; 17.5; 19; 15
    assert table["2026-03-09"]["runs"] == 2
    check_stats(table["2026-03-09"], (15, 17.5, 19, 15))


def failure_counts(row: dict[str, Any]) -> tuple:
    return (
        col(row, "success", "successes", "succeeded", "successful"),
        col(row, "failure", "failures", "failed"),
        col(row, "cancelled", "canceled"),
        col(row, "skipped"),
        stat(row, "rate"),
    )


def test_ci_failure_rate_per_week(data):
    table = by_period(data.rows("ci_failure_week"))
    # success C1 C3 C8, failure C2 C7, cancelled C4, skipped C6: 2 / (3 + 2) = 0.4
    assert failure_counts(table["2026-03-02"]) == (3, 2, 1, 1, approx(0.4))
    # C5 success (by its start), C9 error = failure: 1/2
    assert failure_counts(table["2026-03-09"]) == (1, 1, 0, 0, approx(0.5))


def test_ci_metrics_are_for_the_whole_organization_by_default(data):
    # "Groups (--by org|team|service|repository). `org` (the default) is everything"
    assert data.rows("ci_failure_default") == data.rows("ci_failure_week")


def test_ci_failure_rate_by_team(data):
    groups = by_group(data.rows("ci_failure_team_week"))
    # a group's team is the one owning the service "at the event's date": gateway was platform's
    # until 03-23, so its runs of 03-06 and 03-10 are platform's, not edge's
    assert sorted(groups) == ["payments", "platform"], groups
    # shop is checkout's repository (payments): w03-02 C1 C3 / C2 C7: 2/4; w03-09 C5: 0/1
    assert failure_counts(groups["payments"]["2026-03-02"]) == (2, 2, 1, 1, approx(0.5))
    assert failure_counts(groups["payments"]["2026-03-09"]) == (1, 0, 0, 0, approx(0.0))
    # gateway is gateway's repository (platform until 03-23): C8 success, C9 failure
    assert failure_counts(groups["platform"]["2026-03-02"]) == (1, 0, 0, 0, approx(0.0))
    assert failure_counts(groups["platform"]["2026-03-09"]) == (0, 1, 0, 0, approx(1.0))


# -- merge_to_deploy_time -----------------------------------------------------------------------


def test_merge_to_deploy_time_per_week(data):
    table = by_period(data.rows("m2d_week"))
    # the first-parent line's commits, commit time -> first deployment that shipped them (hours):
    # w03-02: s3 48, s4 28 (D2), s5 39 (D5): [28, 39, 48] as lead time
    check_stats(table["2026-03-02"], (39, 43.5, 46.2, 115 / 3))
    # w03-09 (D7): sq 03-09 09:00 -> 51; r1 and r2 committed by the rebase 03-09 15:00 -> 45 each:
    # [45, 45, 51]: 45; 45 + 0.5 x 6 = 48; 45 + 0.8 x 6 = 49.8; 47
    check_stats(table["2026-03-09"], (45, 48, 49.8, 47))
    # w03-16: D9 s6 72, M 03-15 09:00 -> 25 (m1 and b1 are not on the first-parent line);
    # D10 s7 committed 03-17 08:00 -> 26; D11 s8 37.5: [25, 26, 37.5, 72]: (26 + 37.5) / 2 = 31.75;
    # p75 at 2.25: 37.5 + 0.25 x 34.5 = 46.125; p90 at 2.7: 37.5 + 0.7 x 34.5 = 61.65; 160.5/4
    check_stats(table["2026-03-16"], (31.75, 46.125, 61.65, 40.125))
    # w03-23: s9 3, g2 217, g3 23
    check_stats(table["2026-03-23"], (23, 120, 178.2, 81))
    check_stats(table["2026-03-30"], (24, 24, 24, 24))
    assert [col(table[w], "changes", "commits", "merges") for w in WEEKS] == [3, 3, 4, 3, 1]


# -- data-quality --------------------------------------------------------------------------------


def findings(data: Data) -> dict[str, list[dict[str, Any]]]:
    payload = data.payload("data-quality")
    records = payload if isinstance(payload, list) else [r for v in payload.values() for r in v]
    out: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        out.setdefault(record["check"], []).append(record)
    return out


def mentions(record: dict[str, Any], text: str) -> bool:
    return any(text in str(v) for v in record.values())


def test_data_quality_lists_rejected_rows(data):
    rejected = findings(data)["rejected_rows"]
    got = {(Path(str(r["source"])).name, r["line"]) for r in rejected}
    assert got == {(name, line) for name, lines in BAD_ROWS.items() for line in lines}
    assert len(rejected) == len(got), "each rejected row once, after the re-import too"


def test_data_quality_lists_what_the_metrics_leave_out(data):
    golden_sha = data.golden.sha
    found = findings(data)
    # s7, authored 03-19 12:00, shipped by D10 finished 03-18 10:00: -26 h
    negative = found["negative_lead_times"]
    assert len(negative) == 1 and mentions(negative[0], "D10"), negative
    assert mentions(negative[0], golden_sha["s7"][:7]), negative
    unknown = found["deployment_commits_unknown_to_git"]
    assert len(unknown) == 1 and mentions(unknown[0], "DX"), unknown
    assert mentions(unknown[0], UNKNOWN_SHA[:7]), unknown
    no_service = found["incidents_without_service"]
    assert [r for r in no_service if mentions(r, "INC-6")] == no_service and len(no_service) == 1
    # INC-0: before checkout's first deployment; INC-4: GD1 finished 9 days before; INC-12: 24
    # days; INC-6: no service. INC-5 (exactly 7 days after GD1) and INC-11 (unknown
    # deployment_id, inferred D6) are linked.
    unlinked = found["unlinked_incidents"]
    ids = {i for r in unlinked for i in ("INC-0", "INC-4", "INC-6", "INC-12", "INC-5", "INC-11") if mentions(r, i)}
    assert ids == {"INC-0", "INC-4", "INC-6", "INC-12"} and len(unlinked) == 4, unlinked


# -- corrections and --strict, on a copy of the warehouse ----------------------------------------------


def test_a_corrected_row_replaces_the_stored_one_and_strict_loads_nothing(data, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(data.db, db)
    source = data.golden.files["deployments.csv"].read_text()
    d5 = next(line for line in source.splitlines() if line.startswith("D5,"))
    corrected = tmp_path / "deployments-corrected.csv"
    corrected.write_text(
        source.splitlines()[0] + "\n" + d5.replace("2026-03-06T09:00:00Z", "2026-03-06T10:00:00Z") + "\n"
    )
    incident = tmp_path / "incidents-corrected.ndjson"
    inc9 = {"id": "INC-9", "service": "checkout", "severity": "low", "created_at": "2026-03-18T12:00:00Z",
            "acknowledged_at": "2026-03-18T12:03:00Z", "resolved_at": "2026-03-18T15:00:00Z"}  # fmt: skip
    incident.write_text(json.dumps(inc9) + "\n")
    strict = tmp_path / "deployments-strict.csv"
    strict.write_text(
        "id,service,environment,commit_sha,finished_at,result\n"
        f"DS1,checkout,production,{data.golden.sha['s10']},2026-06-20T10:00:00Z,success\n"
        f"DS2,checkout,production,{data.golden.sha['s10']},2026-06-21T10:00:00Z,maybe\n"
    )
    before = row_counts(db)
    for args, status in (
        (("ingest", "deployments", str(corrected)), 0),
        (("ingest", "incidents", str(incident)), 0),
        (("ingest", "deployments", str(strict), "--strict"), 1),
    ):
        result = run_quarterdeck("--db", str(db), *args)
        assert result.returncode == status, (args, result.stderr)
    counts = row_counts(db)
    assert {t: counts[t] for t in ROW_COUNTS} == {t: before[t] for t in ROW_COUNTS}  # DS1 not loaded

    shown = in_parallel({n: (lambda n=n: show(db, *QUERIES[n])) for n in ("lt_week", "ttr_week", "fdrt_week")})
    rows = {n: by_period(json.loads(r.stdout)["rows"]) for n, r in shown.items()}
    # D5 now finished 03-06 10:00: s5 40 h. [28, 40, 48]: 40; 40 + 0.5 x 8 = 44; 40 + 0.8 x 8 = 46.4; 116/3
    check_stats(rows["lt_week"]["2026-03-02"], (40, 44, 46.4, 116 / 3))
    # INC-9 now resolved 15:00: 3 h. [1/3, 3, 6]: 3; 3 + 0.5 x 3 = 4.5; 3 + 0.8 x 3 = 5.4; (1/3 + 9) / 3 = 28/9
    check_stats(rows["ttr_week"]["2026-03-16"], (3, 4.5, 5.4, 28 / 9))
    # INC-9: D10 10:00 -> 15:00 = 5; with INC-3 315: [5, 315]: 160; 5 + 0.75 x 310 = 237.5; 5 + 0.9 x 310 = 284
    check_stats(rows["fdrt_week"]["2026-03-16"], (160, 237.5, 284, 160))


def test_a_quoted_csv_cell_may_span_lines(data, tmp_path):
    # "CSV: a header row, then one record a line (quoted cells may span lines)"
    db = tmp_path / "copy.duckdb"
    shutil.copy(data.db, db)
    path = tmp_path / "deployments-notes.csv"
    path.write_text(
        "id,service,environment,commit_sha,finished_at,result,notes\n"
        f'DM1,checkout,production,{data.golden.sha["s10"]},2026-06-15T10:00:00Z,success,"two\nlines"\n'
    )
    result = run_quarterdeck("--db", str(db), "ingest", "deployments", str(path))
    assert result.returncode == 0, result.stderr
    assert row_counts(db)["deployments"] == ROW_COUNTS["deployments"] + 1
