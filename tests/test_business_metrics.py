"""Business metrics (issue 16, item 5; decision 0051): burn, net burn, runway, burn
multiple, CAC, LTV, LTV:CAC, R&D share of revenue and engineering cost per dollar of ARR,
from ``company_finance`` and the budget's actuals, through the real CLI and the Python API
on a real warehouse. Every expected value is worked out by hand from the files below."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from quarterdeck.metrics import MetricQuery, catalog, get_metric, run_metric
from quarterdeck.metrics.scorecard import Scope, Window, compute_tile
from quarterdeck.store import open_warehouse
from tests.conftest import run_quarterdeck
from tests.money_files import warehouse_with_org, write

HEADER = "month,revenue,arr,new_customers,customers,sales_marketing_spend,gross_margin,cash,currency\n"
#: A company burning cash: December is there for January's net burn and start customers.
FINANCE = HEADER + (
    "2025-12,90000,1000000,5,100,40000,75%,2000000,USD\n"
    "2026-01,100000,1050000,10,105,50000,80%,1900000,USD\n"
    "2026-02,110000,1150000,8,110,48000,80%,1850000,USD\n"
    "2026-03,120000,1270000,12,118,60000,75%,1700000,USD\n"
)
#: Engineering's actuals: January 55,000 + 12,000; February has a line without actual (left
#: out); March 66,000.
BUDGET = "month,cost_center,category,planned,actual,currency\n" + (
    "2026-01,platform,people,60000,55000,USD\n"
    "2026-01,payments,cloud,10000,12000,USD\n"
    "2026-02,platform,people,60000,,USD\n"
    "2026-02,payments,cloud,10000,11000,USD\n"
    "2026-03,platform,people,60000,66000,USD\n"
)
#: A company making cash, then losing every customer: the empty cases.
EDGES = HEADER + (
    "2025-12,50000,600000,3,50,10000,70%,500000,USD\n"
    "2026-01,60000,600000,0,50,0,70%,520000,USD\n"  # cash grows; no customer won or lost
    "2026-02,60000,600000,4,52,0,70%,510000,USD\n"  # ARR flat; CAC 0; 2 lost
    "2026-03,0,0,0,0,5000,0%,400000,USD\n"  # no revenue, no ARR, no customers left
)
EDGES_BUDGET = "month,cost_center,category,planned,actual,currency\n2026-03,platform,people,6000,5000,USD\n"
Q1 = ("--since", "2026-01-01", "--until", "2026-03-31")
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


def build(folder: Path, finance: str, budget: str) -> Path:
    db = warehouse_with_org(folder)
    for kind, text in (("finance", finance), ("budget", budget)):
        done = run_quarterdeck("--db", str(db), "ingest", kind, str(write(folder, f"{kind}.csv", text)))
        assert done.returncode == 0, done.stderr
    return db


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("company"), FINANCE, BUDGET)


@pytest.fixture(scope="module")
def edges(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("edges"), EDGES, EDGES_BUDGET)


def show(db: Path, name: str, *args: str) -> list[dict[str, Any]]:
    done = run_quarterdeck("--db", str(db), "metrics", "show", name, *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["rows"]


def column(rows: list[dict[str, Any]], name: str) -> list[Any]:
    return [row[name] for row in rows]


def test_burn_and_net_burn_per_month(company: Path) -> None:
    net = show(company, "net_burn", *Q1, "--grain", "month")
    assert column(net, "period_start") == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert column(net, "net_burn") == [2_000_000 - 1_900_000, 1_900_000 - 1_850_000, 1_850_000 - 1_700_000]
    assert column(net, "cash") == [1_900_000, 1_850_000, 1_700_000]
    burn = show(company, "burn", *Q1, "--grain", "month")
    assert column(burn, "burn") == [100_000 + 100_000, 50_000 + 110_000, 150_000 + 120_000]


def test_runway_averages_the_net_burn_of_the_last_three_months(company: Path) -> None:
    rows = show(company, "runway", *Q1, "--grain", "month")
    # December has no net burn (no November): January averages 1 month, February 2, March 3.
    assert column(rows, "burn_months") == [1, 2, 3]
    assert column(rows, "average_net_burn") == [100_000, (100_000 + 50_000) / 2, (100_000 + 50_000 + 150_000) / 3]
    assert column(rows, "runway_months") == [1_900_000 / 100_000, round(1_850_000 / 75_000, 2), 1_700_000 / 100_000]
    assert column(rows, "status") == ["burning"] * 3


def test_burn_multiple_cac_ltv_and_ltv_to_cac_per_month(company: Path) -> None:
    multiple = show(company, "burn_multiple", *Q1, "--grain", "month")
    assert column(multiple, "net_new_arr") == [50_000, 100_000, 120_000]
    assert column(multiple, "burn_multiple") == [100_000 / 50_000, 50_000 / 100_000, 150_000 / 120_000]
    cac = show(company, "cac", *Q1, "--grain", "month")
    assert column(cac, "cac") == [50_000 / 10, 48_000 / 8, 60_000 / 12]
    ltv = show(company, "ltv", *Q1, "--grain", "month")
    assert column(ltv, "customers_lost") == [100 + 10 - 105, 105 + 8 - 110, 110 + 12 - 118]
    assert column(ltv, "churn_rate") == [0.05, round(3 / 105, 6), round(4 / 110, 6)]
    assert column(ltv, "arpa") == [round(100_000 / 105, 2), 110_000 / 110, round(120_000 / 118, 2)]
    assert column(ltv, "gross_margin") == [0.8, 0.8, 0.75]
    jan, feb, mar = (100_000 / 105 * 0.8 / (5 / 100), 1_000 * 0.8 / (3 / 105), 120_000 / 118 * 0.75 / (4 / 110))
    assert column(ltv, "ltv") == [round(jan, 2), round(feb, 2), round(mar, 2)]
    ratio = show(company, "ltv_to_cac", *Q1, "--grain", "month")
    assert column(ratio, "ltv_to_cac") == [round(jan / 5_000, 4), round(feb / 6_000, 4), round(mar / 5_000, 4)]


def test_engineering_cost_is_the_budget_actuals_and_a_month_without_them_is_left_out(company: Path) -> None:
    share = show(company, "rnd_share_of_revenue", *Q1, "--grain", "month")
    assert column(share, "engineering_cost") == [55_000 + 12_000, None, 66_000]
    assert column(share, "months_without_actuals") == [0, 1, 0]
    assert column(share, "rnd_share_of_revenue") == [67_000 / 100_000, None, 66_000 / 120_000]
    per_arr = show(company, "engineering_cost_per_arr", *Q1, "--grain", "month")
    assert column(per_arr, "annual_engineering_cost") == [67_000 * 12, None, 66_000 * 12]
    assert column(per_arr, "engineering_cost_per_arr") == [
        round(67_000 * 12 / 1_050_000, 6),
        None,
        round(66_000 * 12 / 1_270_000, 6),
    ]


def test_a_quarter_sums_its_flows_and_takes_its_stocks_at_its_end(company: Path) -> None:
    first = {name: show(company, name, *Q1, "--grain", "quarter") for name in QUARTER}
    for name, expected in QUARTER.items():
        assert len(first[name]) == 1, name
        row = first[name][0]
        assert row["period_start"] == "2026-01-01"
        assert {key: row[key] for key in expected} == expected, name


#: Q1 2026 by hand: flows over January..March, stocks at the end of March, customers at the
#: start those of the end of December; engineering cost over January and March only.
Q1_LTV = (100_000 * 0.8 + 110_000 * 0.8 + 120_000 * 0.75) / 118 / ((100 + 30 - 118) / 100)
QUARTER: dict[str, dict[str, Any]] = {
    "net_burn": {"months": 3, "net_burn": 300_000, "monthly_net_burn": 100_000, "cash": 1_700_000},
    "burn": {"revenue": 330_000, "burn": 630_000, "monthly_burn": 210_000},
    "runway": {"last_month": "2026-03-01", "average_net_burn": 100_000, "runway_months": 17.0},
    "burn_multiple": {"net_new_arr": 270_000, "burn_multiple": round(300_000 / 270_000, 4)},
    "cac": {"sales_marketing_spend": 158_000, "new_customers": 30, "cac": round(158_000 / 30, 2)},
    "ltv": {
        "customers_at_start": 100,
        "customers": 118,
        "customers_lost": 12,
        "churn_rate": 0.12,
        "gross_margin": round(258_000 / 330_000, 4),
        "ltv": round(Q1_LTV, 2),
    },
    "ltv_to_cac": {"ltv_to_cac": round(Q1_LTV / (158_000 / 30), 4)},
    "rnd_share_of_revenue": {
        "months": 2,
        "months_without_actuals": 1,
        "engineering_cost": 133_000,
        "revenue": 220_000,
        "rnd_share_of_revenue": round(133_000 / 220_000, 6),
    },
    "engineering_cost_per_arr": {
        "annual_engineering_cost": 133_000 / 2 * 12,
        "arr": 1_270_000,
        "engineering_cost_per_arr": round(133_000 / 2 * 12 / 1_270_000, 6),
    },
}


def test_the_whole_window_counts_the_months_that_start_in_it(company: Path) -> None:
    """--grain window from 15 January: January starts before the window, so February and
    March count; customers at the start are January's end."""
    window = ("--since", "2026-01-15", "--until", "2026-03-31", "--grain", "window")
    [net] = show(company, "net_burn", *window)
    assert (net["period_start"], net["months"], net["net_burn"]) == ("2026-01-15", 2, 50_000 + 150_000)
    [multiple] = show(company, "burn_multiple", *window)
    assert multiple["burn_multiple"] == round(200_000 / (100_000 + 120_000), 4)
    [ltv] = show(company, "ltv", *window)
    expected = (88_000 + 90_000) / 118 / ((105 + 20 - 118) / 105)
    assert (ltv["customers_at_start"], ltv["customers_lost"], ltv["ltv"]) == (105, 7, round(expected, 2))
    [share] = show(company, "rnd_share_of_revenue", *window)
    assert (share["months"], share["months_without_actuals"], share["rnd_share_of_revenue"]) == (1, 1, 0.55)


def test_the_python_api_gives_what_the_command_line_prints(company: Path) -> None:
    query = MetricQuery(since=JAN, until=date(2026, 3, 31), grain="quarter")
    with open_warehouse(company, read_only=True, create=False) as warehouse:
        result = run_metric(warehouse, get_metric("runway"), query)
    row = dict(zip(result.columns, result.rows[0], strict=True))
    assert (row["period_start"], row["cash"], row["runway_months"]) == (JAN, 1_700_000, 17.0)


def test_a_company_making_cash_is_not_burning_and_gets_no_runway(edges: Path) -> None:
    net = show(edges, "net_burn", *Q1, "--grain", "month")
    assert column(net, "net_burn") == [500_000 - 520_000, 520_000 - 510_000, 510_000 - 400_000]
    runway = show(edges, "runway", *Q1, "--grain", "month")
    assert column(runway, "average_net_burn") == [-20_000, (-20_000 + 10_000) / 2, round(100_000 / 3, 2)]
    assert column(runway, "runway_months") == [None, None, round(400_000 / (100_000 / 3), 2)]
    assert column(runway, "status") == ["not burning", "not burning", "burning"]
    multiple = show(edges, "burn_multiple", *Q1, "--grain", "month")
    assert column(multiple, "burn_multiple") == [None, None, None]
    assert column(multiple, "status") == ["not burning", "ARR did not grow", "ARR did not grow"]


def test_a_division_by_zero_is_empty_never_infinite(edges: Path) -> None:
    cac = show(edges, "cac", *Q1, "--grain", "month")
    assert column(cac, "cac") == [None, 0, None]  # January and March: no customer won
    ltv = show(edges, "ltv", *Q1, "--grain", "month")
    assert column(ltv, "churn_rate") == [0, round(2 / 50, 6), 1]
    # January: nobody lost (churn 0); March: nobody left to earn from.
    assert column(ltv, "ltv") == [None, round(60_000 * 0.7 / 52 / (2 / 50), 2), None]
    ratio = show(edges, "ltv_to_cac", *Q1, "--grain", "month")
    assert column(ratio, "ltv_to_cac") == [None, None, None]  # February: CAC 0
    share = show(edges, "rnd_share_of_revenue", *Q1, "--grain", "month")
    assert column(share, "engineering_cost") == [None, None, 5_000]
    assert column(share, "rnd_share_of_revenue") == [None, None, None]  # March: revenue 0
    per_arr = show(edges, "engineering_cost_per_arr", *Q1, "--grain", "month")
    assert column(per_arr, "engineering_cost_per_arr") == [None, None, None]  # March: ARR 0


def test_a_second_currency_without_a_rate_is_an_error_never_a_sum(tmp_path: Path) -> None:
    db = build(tmp_path, FINANCE + "2026-03,1000,12000,1,1,0,70%,5000,EUR\n", BUDGET)
    for name in ("net_burn", "cac"):
        done = run_quarterdeck("--db", str(db), "metrics", "show", name, *Q1, "--grain", "month")
        assert done.returncode != 0
        assert "no rate from EUR to USD for 2026-03" in done.stderr
        assert "Traceback" not in done.stderr
    budget = BUDGET + "2026-03,payments,contractors,3000,2500,EUR\n"
    (tmp_path / "budget").mkdir()
    db = build(tmp_path / "budget", FINANCE, budget)
    done = run_quarterdeck("--db", str(db), "metrics", "show", "rnd_share_of_revenue", *Q1)
    assert "no rate from EUR to USD for 2026-03" in done.stderr and "Traceback" not in done.stderr


#: The headline metrics the dashboard's Money area shows, and their March 2026 value.
HEADLINE = {
    "burn": 270_000,
    "net_burn": 150_000,
    "runway": 17.0,
    "burn_multiple": 1.25,
    "ltv_to_cac": round(120_000 / 118 * 0.75 / (4 / 110) / 5_000, 4),
    "cac": 5_000,
    "rnd_share_of_revenue": 0.55,
    "engineering_cost_per_arr": round(66_000 * 12 / 1_270_000, 6),
}


def test_the_headline_metrics_are_tiles_of_the_money_area(company: Path) -> None:
    money = [m.tile for m in catalog().values() if m.tile is not None and m.tile.area == "money"]
    assert set(HEADLINE) <= {spec.metric for spec in money}
    window = Window(until=date(2026, 3, 31), months=3)
    with open_warehouse(company, read_only=True, create=False) as warehouse:
        shown = {spec.metric: compute_tile(warehouse, spec, Scope(), window, MetricQuery()) for spec in money}
    for name, value in HEADLINE.items():
        assert shown[name].problem is None, (name, shown[name].problem)
        assert shown[name].value == value, name
        assert [month for month, _ in shown[name].series] == [JAN, FEB, MAR]
    assert shown["rnd_share_of_revenue"].previous is None  # February: no actuals, not 0


#: A second entity reporting in EUR; 1 EUR = 1.10 USD from December, 1.20 from March.
EUR_LINES = (
    "2025-12,10000,100000,1,10,5000,50%,200000,EUR\n"
    "2026-01,10000,110000,2,11,5000,50%,190000,EUR\n"
    "2026-02,20000,120000,1,12,5000,60%,185000,EUR\n"
    "2026-03,20000,130000,3,14,10000,60%,160000,EUR\n"
)
RATES = "month,from,to,rate\n2025-12,EUR,USD,1.10\n2026-03,EUR,USD,1.20\n"


def test_two_currencies_are_converted_at_each_month_s_rate_and_added_up(tmp_path: Path) -> None:
    db = build(tmp_path, FINANCE + EUR_LINES, BUDGET)
    done = run_quarterdeck("--db", str(db), "ingest", "rates", str(write(tmp_path, "rates.csv", RATES)))
    assert done.returncode == 0, done.stderr
    net = show(db, "net_burn", *Q1)  # monthly unless asked otherwise
    # Each currency's cash change at this month's rate: March's EUR change is at 1.20, so
    # the rate's move from 1.10 is not burn.
    assert column(net, "net_burn") == [
        pytest.approx(100_000 + 10_000 * 1.1),
        pytest.approx(50_000 + 5_000 * 1.1),
        pytest.approx(150_000 + 25_000 * 1.2),
    ]
    assert column(net, "cash")[-1] == pytest.approx(1_700_000 + 160_000 * 1.2)
    cac = show(db, "cac", *Q1)
    assert column(cac, "cac") == [
        pytest.approx((50_000 + 5_000 * 1.1) / 12),
        pytest.approx(round((48_000 + 5_000 * 1.1) / 9, 2)),
        pytest.approx((60_000 + 10_000 * 1.2) / 15),
    ]
    [march] = [row for row in show(db, "ltv", *Q1) if row["period_start"] == "2026-03-01"]
    profit = 120_000 * 0.75 + 20_000 * 0.6 * 1.2
    assert march["gross_margin"] == pytest.approx(profit / (120_000 + 20_000 * 1.2))
    assert (march["customers_at_start"], march["customers"], march["customers_lost"]) == (122, 132, 5)
    assert march["ltv"] == pytest.approx(round(profit / 132 / (5 / 122), 2))
    in_euros = show(db, "net_burn", *Q1, "--currency", "EUR")
    assert column(in_euros, "net_burn")[-1] == pytest.approx(150_000 / 1.2 + 25_000)


def test_money_metrics_are_monthly_and_refuse_weeks(company: Path) -> None:
    done = run_quarterdeck("--db", str(company), "metrics", "show", "runway", *Q1, "--grain", "week")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "runway is reported per month or quarter or window, not per week" in done.stderr


def test_explain_prints_sql_that_gives_the_same_rows(company: Path) -> None:
    done = run_quarterdeck(
        "--db", str(company), "metrics", "show", "ltv_to_cac", *Q1, "--grain", "quarter", "--explain"
    )
    assert done.returncode == 0, done.stderr
    assert "reporting_rates AS" in done.stdout and "'USD'" in done.stdout
    con = duckdb.connect(str(company), read_only=True)
    try:
        [row] = con.execute(done.stdout).fetchall()
    finally:
        con.close()
    assert row[-1] == show(company, "ltv_to_cac", *Q1, "--grain", "quarter")[0]["ltv_to_cac"]
