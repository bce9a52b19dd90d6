"""``--grain window``, windows that end where the data does, and how tables print numbers, on
the golden delivery data of tests/delivery_golden.py (every instant in its docstring, UTC)
through the real command line; every expected value is worked out by hand below.

The golden data ends on 2026-06-10: the latest event of the warehouse is INC-J1, created
2026-06-10 10:00Z (deployments end 06-05 with DX, CI runs and availability on 06-02).
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
from datetime import date
from typing import Any

import pytest

from quarterdeck.metrics import MetricQuery, catalog, run_metric
from quarterdeck.store import open_warehouse
from tests.conftest import run_quarterdeck
from tests.dashboard_server import DashboardServer
from tests.delivery_golden import Golden, build

W = ("--since", "2026-03-04", "--until", "2026-04-01")
#: A "today" long after the data: a window without --until must not end on it.
LATER = {"QUARTERDECK_TODAY": "2026-12-07", "COLUMNS": "220"}


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> Golden:
    built = build(tmp_path_factory.mktemp("window"))
    assert all(done.returncode in (0, 3) for done in built.imports.values())
    return built


def show(golden: Golden, metric: str, *args: str, output: str = "json") -> Any:
    done = run_quarterdeck("--db", str(golden.db), "metrics", "show", metric, *args, "--format", output, env=LATER)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if output == "json" else done.stdout


# Lead times (hours) of the changes deployed in W, by the month of their deployment:
#   March: D2 s3 48, s4 28; D5 s5 39; D7 sq 51, r1 94, r2 68; D9 s6 72, m1 49 (b1 a bot, M a
#   merge); D11 s8 37.5; D12 s9 3; GD2 g2 217, g3 23 (s7 negative: left out)   -> 12 changes
#   April: D13 s10 24                                                            -> 1 change
MARCH = [48, 28, 39, 51, 94, 68, 72, 49, 37.5, 3, 217, 23]
APRIL = [24]


def test_lead_time_over_the_whole_window_is_the_median_of_every_change(golden):
    monthly = show(golden, "lead_time_for_changes", *W, "--grain", "month")["rows"]
    assert [(r["period_start"], r["changes"], r["median_hours"]) for r in monthly] == [
        ("2026-03-01", 12, 48.5),  # sorted 3 23 28 37.5 39 48 | 49 51 68 72 94 217: (48 + 49) / 2
        ("2026-04-01", 1, 24.0),
    ]
    rows = show(golden, "lead_time_for_changes", *W, "--grain", "window")["rows"]
    # 13 changes sorted: 3 23 24 28 37.5 39 [48] 49 51 68 72 94 217: the 7th, 48 - not the
    # median of the monthly medians, (48.5 + 24) / 2 = 36.25. p75 at 12 x 0.75 = 9: 68; p90
    # at 10.8: 72 + 0.8 x (94 - 72) = 89.6; mean 753.5 / 13.
    assert len(rows) == 1
    row = rows[0]
    assert (row["group"], row["period_start"], row["changes"]) == ("organization", "2026-03-04", 13)
    assert (row["median_hours"], row["p75_hours"], row["p90_hours"], row["mean_hours"]) == pytest.approx(
        (48.0, 68.0, 89.6, 753.5 / 13), rel=1e-12
    )
    assert row["median_hours"] == statistics.median(MARCH + APRIL) != statistics.median([48.5, 24.0])


def test_deployments_over_the_whole_window_are_counted_once(golden):
    rows = show(golden, "deployment_frequency", *W, "--grain", "window")["rows"]
    # D2, D5, D6, D7, D8, D9, D10, D11, D12, GD2, D13 = 11 deployments on 9 days (03-04, 03-06,
    # 03-11, 03-12, 03-16, 03-18, 03-22, 03-29, 04-01); the window has 29 days
    assert rows == [
        {
            "group": "organization",
            "period_start": "2026-03-04",
            "deployments": 11,
            "deploy_days": 9,
            "days": 29,
            "deploys_per_week": pytest.approx(11 * 7 / 29, rel=1e-12),
            "deploy_days_per_week": pytest.approx(9 * 7 / 29, rel=1e-12),
        }
    ]


def test_every_metric_reported_per_period_takes_the_whole_window(golden):
    per_period = [m for m in catalog().values() if "grain" in m.parameters]
    assert len(per_period) >= 20
    since, until = date(2026, 3, 4), date(2026, 4, 1)
    with open_warehouse(golden.db, read_only=True, create=False) as warehouse:
        for metric in per_period:
            result = run_metric(warehouse, metric, MetricQuery(since=since, until=until, grain="window"))
            periods = [c for c in result.columns if c in ("period_start", "period")]
            assert periods, (metric.name, result.columns)
            assert {row[result.columns.index(periods[0])] for row in result.rows} <= {since}, metric.name
            keys = [c for c in result.columns if c in ("group", "slo", "service", "kind", "severity", "category")]
            named = [tuple(row[result.columns.index(k)] for k in keys) for row in result.rows]
            assert len(named) == len(set(named)), (metric.name, "one row per group")


def test_metrics_list_says_which_metrics_take_the_whole_window():
    """``metrics list`` shows each metric's grain line: every metric reported per period names
    the window grain there, and no other does."""
    for metric in catalog().values():
        assert ("window" in metric.grain) == ("grain" in metric.parameters), (metric.name, metric.grain)


def test_without_until_the_window_ends_where_the_data_does(golden):
    table = show(golden, "lead_time_for_changes", output="table")
    assert "data ends 2026-06-10" in table
    assert re.search(r"│ 2026-03-16 +│ 1 +│ 37\.5 ", table)  # D11, Sunday 03-22: a row, not zeros
    payload = show(golden, "lead_time_for_changes", "--grain", "window")
    # 84 days up to 2026-06-10: from 2026-03-19. Changes deployed then: D11 s8 37.5, D12 s9 3,
    # GD2 g2 217 and g3 23, D13 s10 24 (DJ1, DJ2 redeploy: nothing new): median 24
    assert payload["window"] == {
        "since": "2026-03-19",
        "until": "2026-06-10",
        "timezone": "UTC",
        "data_ends": "2026-06-10",
    }
    assert [(r["changes"], r["median_hours"]) for r in payload["rows"]] == [(5, 24.0)]
    # an organization metric without --at is measured on that day too
    headcount = show(golden, "headcount")
    assert (headcount["parameters"]["dates"], headcount["window"]["data_ends"]) == (["2026-06-10"], "2026-06-10")
    given = show(golden, "lead_time_for_changes", *W)
    assert given["window"]["data_ends"] is None
    assert "data ends" not in show(golden, "lead_time_for_changes", *W, output="table")


def test_explain_without_until_ends_where_the_data_does(golden):
    sql = show(golden, "deployment_frequency", "--explain", output="table")
    assert "-- window: 2026-03-19 .. 2026-06-10 inclusive" in sql


def test_tables_print_shares_as_percentages_and_counts_as_whole_numbers(golden):
    table = show(golden, "availability", "--since", "2026-03-01", "--until", "2026-03-31", "--grain", "month",
                 output="table")  # fmt: skip
    # checkout 3,096,500 good of 3,100,000 events: 99.887 %; gateway 2,673,000 of 2,678,400
    # seconds up: 495/496 = 99.798 %
    assert "99.89 %" in table and "99.80 %" in table
    assert "3,096,500" in table and "3,100,000" in table and "2,678,400" in table
    assert "1.00" not in table and ".00 " not in table.replace(" %", "")
    lead = show(golden, "lead_time_for_changes", *W, "--grain", "month", output="table")
    # March: 12 changes, mean (753.5 - 24) / 12 = 60.79... hours: one decimal
    assert re.search(r"│ 2026-03-01 +│ 12 +│ 48\.5 ", lead)
    assert "60.8 " in lead and "60.79" not in lead


# -- the dashboard and its JSON, on a copy of the same warehouse ---------------------------------


@pytest.fixture(scope="module")
def server(golden: Golden, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("served")
    db = folder / "served.duckdb"
    shutil.copy(golden.db, db)
    running = DashboardServer(db, folder, env={"QUARTERDECK_TODAY": LATER["QUARTERDECK_TODAY"]})
    yield running
    running.stop()


def test_the_api_gives_the_whole_window_as_the_command_line_does(golden, server):
    answer = server.get("/api/v1/metrics/lead_time_for_changes?until=2026-04-30&months=3&grain=window")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["grain"] == "window"
    assert body["window"] == {"since": "2026-02-01", "until": "2026-04-30", "months": 3, "data_ends": None}
    # February to April holds the same 13 changes as W (D1 and GD1 ship nothing): median 48
    row = dict(zip(body["columns"], body["rows"][0], strict=True))
    assert len(body["rows"]) == 1
    assert (row["group"], row["period_start"], row["changes"], row["median_hours"]) == (
        "organization", "2026-02-01", 13, 48.0,
    )  # fmt: skip
    cli = show(golden, "lead_time_for_changes", "--since", "2026-02-01", "--until", "2026-04-30", "--grain", "window")
    assert [dict(zip(body["columns"], r, strict=True)) for r in body["rows"]] == cli["rows"]
    monthly = server.get("/api/v1/metrics/lead_time_for_changes?until=2026-04-30&months=3").json()
    assert monthly["grain"] == "month" and len(monthly["rows"]) == 3
    wrong = server.get("/api/v1/metrics/lead_time_for_changes?grain=fortnight")
    assert wrong.status_code == 400 and "grain" in wrong.text
    snapshot = server.get("/api/v1/metrics/bus_factor?grain=window")
    assert snapshot.status_code == 400 and "not reported per period" in snapshot.text


def test_the_dashboard_without_until_ends_where_the_data_does_and_says_so(server):
    scorecard = server.get("/api/v1/scorecard").json()
    # the data ends 2026-06-10: the window is the last whole month of it, May 2026
    assert scorecard["window"]["data_ends"] == "2026-06-10"
    assert scorecard["window"]["until"] == "2026-05-31"
    for path in ("/", "/metrics/lead_time_for_changes"):
        page = server.get(path).text
        assert 'data-ends="2026-06-10"' in page and "Data ends 2026-06-10" in page, path
    asked = server.get("/?until=2026-04-30").text
    assert "data-ends" not in asked
    org = server.get("/org").text
    assert 'data-ends="2026-06-10"' in org and 'data-date="2026-06-10"' in org
    assert "data-ends" not in server.get("/org?at=2026-03-01").text


def test_org_commands_without_at_look_at_the_last_day_of_the_data(golden):
    base = ("--db", str(golden.db))
    tree = run_quarterdeck(*base, "org", "tree", env=LATER)
    assert tree.returncode == 0, tree.stderr
    assert "on 2026-06-10" in tree.stdout and "data ends 2026-06-10" in tree.stdout
    check = run_quarterdeck(*base, "org", "check", "--format", "json", env=LATER)
    assert check.returncode == 0, check.stderr
    payload = json.loads(check.stdout)
    assert (payload["date"], payload["data_ends"]) == ("2026-06-10", "2026-06-10")
    dated = run_quarterdeck(*base, "org", "tree", "--at", "2026-03-01", env=LATER)
    assert "on 2026-03-01" in dated.stdout and "data ends" not in dated.stdout


def test_the_metric_page_prints_its_rows_as_the_command_line_does(server):
    page = server.get("/metrics/availability?until=2026-03-31&months=3").text
    rows = page[page.index('id="rows"') :]
    # the organization's row of events in March: checkout's 3,096,500 good of 3,100,000 (99.89 %)
    assert "<td>3,096,500</td><td>3,100,000</td><td>99.89 %</td>" in rows
    assert "0.99887" not in rows and "3096500" not in rows


def test_the_summary_without_until_ends_where_the_data_does(golden):
    done = run_quarterdeck("--db", str(golden.db), "metrics", "summary", "--format", "json", env=LATER)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    # 12 weeks up to 2026-06-10 start on 2026-03-19; 365 days on 2025-06-11
    assert (payload["until"], payload["recent_since"], payload["year_since"]) == (
        "2026-06-10", "2026-03-19", "2025-06-11",
    )  # fmt: skip
