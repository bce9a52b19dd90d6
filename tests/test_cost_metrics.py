"""The cost metrics (people_cost, cost_per_team, cost_per_engineer, the tool metrics) on
the small organization of tests/cost_people.py, through the real CLI. Every expected value
is worked out by hand below from the people exports, the rates and the multipliers.

Monthly loaded cost (annual_cost x multiplier / 12, in EUR; x 1.10 in January, x 1.20 in
February for USD):
- alice 120000 x 1.25 (Berlin) / 12 = 12500 EUR: 13750 USD in January, 15000 in February;
- bob 60000 x 1.1 (London: "*") / 12 = 5500 EUR: 6050 USD, 6600 USD;
- dan 96000 x 1.25 / 12 = 10000 EUR: 11000 USD, 12000 USD;
- erin 72000 x 1.1 / 12 = 6600 EUR: 7260 USD, 7920 USD; carol has no cost.
Days: dan joins on 20 January (12 of 31 days); alice is on platform 1-9 February (9 of 28
days) and on payments 10-28 February (19 days); bob's last day is 14 February (14 of 28).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.cost_people import cli, cost_warehouse

JAN, FEB = "2026-01-01", "2026-02-01"
WINDOW = ("--since", "2026-01-01", "--until", "2026-02-28")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return cost_warehouse(tmp_path_factory.mktemp("costs"))


def rows(warehouse: tuple[Path, Path], name: str, *args: str) -> list[dict[str, Any]]:
    result = cli(*warehouse, "metrics", "show", name, *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["rows"]


def table(found: list[dict[str, Any]], *columns: str) -> dict[tuple[str, str], tuple[Any, ...]]:
    return {(r["group"], r["period_start"]): tuple(r[c] for c in columns) for r in found}


def test_people_cost_prorates_joiners_leavers_and_moves_by_days_per_team(warehouse) -> None:
    found = rows(warehouse, "people_cost", *WINDOW, "--by", "team")
    assert table(found, "people", "fte", "people_cost", "people_without_cost", "currency") == {
        # bob all month, dan 12 of 31 days: 6050 + 11000 x 12 / 31
        ("payments", JAN): (2, round(1 + 12 / 31, 2), round(6050 + 11000 * 12 / 31, 2), 0, "USD"),
        # alice, carol (no cost) and erin all month
        ("platform", JAN): (3, 3.0, 21010.0, 1, "USD"),
        # alice 19 of 28 days, bob 14 of 28, dan all month: 15000 x 19 / 28 + 3300 + 12000
        ("payments", FEB): (3, round(19 / 28 + 0.5 + 1, 2), round(15000 * 19 / 28 + 3300 + 12000, 2), 0, "USD"),
        # alice 9 of 28 days, carol and erin all month: 15000 x 9 / 28 + 7920
        ("platform", FEB): (3, round(9 / 28 + 2, 2), round(15000 * 9 / 28 + 7920, 2), 1, "USD"),
    }
    organization = table(rows(warehouse, "people_cost", *WINDOW), "people", "people_cost")
    assert organization == {
        ("organization", JAN): (5, round(6050 + 11000 * 12 / 31 + 21010, 2)),
        ("organization", FEB): (5, 38220.0),  # alice counted once though on two teams; 25478.57 + 12741.43
    }


def test_people_cost_by_unit_and_quarter_adds_the_months_up(warehouse) -> None:
    found = rows(warehouse, "people_cost", *WINDOW, "--by", "unit", "--grain", "quarter")
    january_and_february = 6050 + 11000 * 12 / 31 + 21010 + 38220
    assert table(found, "people", "people_cost") == {
        ("eng", JAN): (5, round(january_and_february, 2)),
        ("payments", JAN): (3, round(6050 + 11000 * 12 / 31 + 15000 * 19 / 28 + 3300 + 12000, 2)),
        ("platform", JAN): (3, round(21010 + 15000 * 9 / 28 + 7920, 2)),
    }


def test_the_loaded_multiplier_is_the_locations_and_small_groups_are_hidden(warehouse) -> None:
    found = rows(warehouse, "people_cost", *WINDOW, "--by", "location")
    assert table(found, "people", "people_cost") == {
        # bob alone in London: hidden, and so is the next-smallest group of the month (Berlin:
        # alice and dan), which would give his cost back from the organization's total
        ("Berlin", JAN): ("<2", "<2"),
        ("London", JAN): ("<2", "<2"),
        ("Paris", JAN): (2, 7260.0),  # erin at "*" = 1.1 (carol has no cost)
        ("Berlin", FEB): ("<2", "<2"),
        ("London", FEB): ("<2", "<2"),
        ("Paris", FEB): (2, 7920.0),
    }
    # Berlin at 2 and every other place at 1 (the environment over the config file): alice
    # 20000 EUR a month, dan 16000, bob 5000, erin 6000; x 1.10 in January
    doubled = cli(*warehouse, "metrics", "show", "people_cost", *WINDOW, "--format", "json",
                  env={"QUARTERDECK_LOADED_COST_MULTIPLIERS": "Berlin=2"})  # fmt: skip
    assert doubled.returncode == 0, doubled.stderr
    january = json.loads(doubled.stdout)["rows"][0]
    assert january["people_cost"] == round((20000 + 16000 * 12 / 31 + 5000 + 6000) * 1.1, 2)


def test_another_reporting_currency_without_a_rate_is_a_clear_error(warehouse) -> None:
    result = cli(*warehouse, "metrics", "show", "people_cost", *WINDOW, "--currency", "GBP")
    assert result.returncode != 0
    assert "metric people_cost: no rate from EUR to GBP for 2026-0" in result.stderr
    assert "quarterdeck ingest rates FILE" in result.stderr and "Traceback" not in result.stderr
    # in EUR (the people export's currency), no rate is needed: 12500 + 10000 x 12 / 31 + ...
    found = table(rows(warehouse, "people_cost", *WINDOW, "--currency", "EUR"), "people_cost", "currency")
    assert found[("organization", JAN)] == (round(12500 + 5500 + 10000 * 12 / 31 + 6600, 2), "EUR")


def test_cost_per_team_adds_a_twelfth_of_each_tool_to_the_people(warehouse) -> None:
    found = rows(warehouse, "cost_per_team", *WINDOW)
    # platform's tools: Jira 12000 + Figma 600 USD a year = 1050 a month; payments': Slack
    # 2400 + Zoom 1000 EUR = 283.33 EUR a month: 311.67 USD in January, 340 USD in February
    payments_tools = {JAN: 3400 / 12 * 1.1, FEB: 3400 / 12 * 1.2}
    assert table(found, "people", "people_cost", "tool_cost", "cloud_cost", "total_cost") == {
        ("payments", JAN): (2, round(6050 + 11000 * 12 / 31, 2), round(payments_tools[JAN], 2), None,
                            round(6050 + 11000 * 12 / 31 + payments_tools[JAN], 2)),
        ("platform", JAN): (3, 21010.0, 1050.0, None, 22060.0),
        ("payments", FEB): (3, round(15000 * 19 / 28 + 15300, 2), round(payments_tools[FEB], 2), None,
                            round(15000 * 19 / 28 + 15300 + payments_tools[FEB], 2)),
        ("platform", FEB): (3, round(15000 * 9 / 28 + 7920, 2), 1050.0, None, round(15000 * 9 / 28 + 7920 + 1050, 2)),
    }  # fmt: skip


def test_cost_per_engineer_divides_by_the_engineers_fte(warehouse) -> None:
    # engineers: alice, bob, dan, erin (carol is an Engineering Manager)
    found = rows(warehouse, "cost_per_engineer", *WINDOW, "--by", "team")
    payments_jan = 6050 + 11000 * 12 / 31 + 3400 / 12 * 1.1
    assert table(found, "engineers", "engineer_fte", "cost_per_engineer") == {
        ("payments", JAN): (2, round(1 + 12 / 31, 2), round(payments_jan / (1 + 12 / 31), 2)),
        ("platform", JAN): (2, 2.0, round(22060 / 2, 2)),  # alice and erin; carol's cost counts, not her FTE
        ("payments", FEB): (3, round(19 / 28 + 1.5, 2), round((15000 * 19 / 28 + 15300 + 340) / (19 / 28 + 1.5), 2)),
        ("platform", FEB): (2, round(9 / 28 + 1, 2), round((15000 * 9 / 28 + 8970) / (9 / 28 + 1), 2)),
    }
    tools = rows(warehouse, "tool_cost_per_engineer", *WINDOW, "--by", "team")
    assert table(tools, "tool_cost", "tool_cost_per_engineer") == {
        ("payments", JAN): (round(3400 / 12 * 1.1, 2), round(3400 / 12 * 1.1 / (1 + 12 / 31), 2)),
        ("platform", JAN): (1050.0, 525.0),
        ("payments", FEB): (340.0, round(340 / (19 / 28 + 1.5), 2)),
        ("platform", FEB): (1050.0, round(1050 / (9 / 28 + 1), 2)),
    }


def test_seat_utilization_shows_over_use_per_tool_and_team(warehouse) -> None:
    found = rows(warehouse, "tool_seat_utilization", "--until", "2026-02-28", "--by", "unit")
    assert [(r["group"], r["product"], r["utilization"], r["over_use"], r["status"]) for r in found] == [
        ("eng", "Jira", 1.2, 2, "over"),  # 12 used of 10 bought
        ("eng", "Org", 1.0, 0, "ok"),
        ("eng", "Pro", 0.5, 0, "unused seats"),
        ("eng", "Rooms", None, None, None),  # the export gives no seats: nothing to say
        ("payments", "Pro", 0.5, 0, "unused seats"),
        ("payments", "Rooms", None, None, None),
        ("platform", "Jira", 1.2, 2, "over"),
        ("platform", "Org", 1.0, 0, "ok"),
    ]


def test_renewals_are_those_of_the_90_days_from_the_end_of_the_data(warehouse) -> None:
    found = rows(warehouse, "tool_renewals", "--until", "2026-02-28")
    # 28 February + 90 days = 29 May: Zoom is in, Figma (30 May) and Slack (August) are not;
    # Zoom's 1000 EUR a year at February's 1.20
    assert [(r["group"], r["product"], r["renewal_date"], r["days_left"], r["annual_cost"]) for r in found] == [
        ("platform", "Jira", "2026-03-15", 15, 12000.0),
        ("payments", "Rooms", "2026-05-29", 90, 1200.0),
    ]


def test_unit_keeps_the_teams_of_that_units_subtree(warehouse) -> None:
    found = rows(warehouse, "people_cost", *WINDOW, "--by", "unit", "--unit", "pay-team")
    assert table(found, "people", "people_cost") == {
        ("payments", JAN): (2, round(6050 + 11000 * 12 / 31, 2)),
        ("payments", FEB): (3, round(15000 * 19 / 28 + 15300, 2)),
    }


def test_explain_prints_the_sql_that_gives_the_rows_shown(warehouse) -> None:
    db, _ = warehouse
    explained = cli(*warehouse, "metrics", "show", "cost_per_team", *WINDOW, "--explain")
    assert explained.returncode == 0, explained.stderr
    assert "people_months AS" in explained.stdout and "$currency = 'USD'" in explained.stdout
    con = duckdb.connect(str(db), read_only=True)
    try:
        ran = con.execute(explained.stdout).fetchall()
    finally:
        con.close()
    shown = rows(warehouse, "cost_per_team", *WINDOW)
    assert [(str(r[1]), r[0], r[6]) for r in ran] == [(r["period_start"], r["group"], r["total_cost"]) for r in shown]


FOCUS = (
    "BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,"
    "ServiceName,ProviderName,SubAccountName,ResourceId,Tags\n"
    '100,100,USD,2026-01-01,2026-02-01,Usage,Amazon EC2,AWS,prod,i-1,"{""team"": ""platform""}"\n'
    '50,50,EUR,2026-01-01,2026-02-01,Usage,Azure VM,Microsoft,,vm-1,"{""cost-center"": ""pay-team""}"\n'
    "20,20,USD,2026-01-01,2026-02-01,Usage,Amazon VPC,AWS,shared,nat-1,{}\n"
    '60,60,USD,2026-02-01,2026-03-01,Usage,Amazon RDS,AWS,prod,db-1,"{""team"": ""Payments""}"\n'
)


def test_cost_per_team_adds_the_cloud_spend_the_rules_place_on_the_team(warehouse, tmp_path: Path) -> None:
    db, config = tmp_path / "w.duckdb", warehouse[1]
    shutil.copy(warehouse[0], db)
    bill = tmp_path / "focus.csv"
    bill.write_text(FOCUS)
    assert cli(db, config, "ingest", "cloud-costs", str(bill)).returncode == 0
    # January: 100 USD tagged platform; 50 EUR for pay-team (payments' alias) x 1.10 = 55 USD;
    # 20 USD untagged: no team's, the organization's only. February: 60 USD for Payments.
    by_team = rows((db, config), "cost_per_team", *WINDOW)
    assert table(by_team, "cloud_cost") == {
        ("payments", JAN): (55.0,), ("platform", JAN): (100.0,), ("payments", FEB): (60.0,), ("platform", FEB): (None,),
    }  # fmt: skip
    for row in by_team:
        assert row["total_cost"] == round(row["people_cost"] + row["tool_cost"] + (row["cloud_cost"] or 0), 2)
    org = rows((db, config), "cost_per_team", *WINDOW, "--by", "org")
    assert table(org, "cloud_cost") == {("organization", JAN): (175.0,), ("organization", FEB): (60.0,)}
