"""budget_vs_actual and budget_forecast on the small organization of tests/cost_people.py
with a budget and open positions, through the real CLI. Expected values by hand.

The budget (USD unless said; EUR at 1.10 USD in January, 1.20 from February on):
- January: platform 10000 planned, 10500 spent (+5 %: green, the edge); payments 10000,
  11000 (+10 %: amber, the edge).
- February: platform 10000, 8800 (-12 %: red, under plan too); payments people 10000,
  10750 and cloud 1000 EUR, 1000 EUR (1200 USD each): 11200, 11950 (+6.7 %: amber).
- March: platform 10000, nothing spent yet; payments people 10000, 10400 (+4 %) and cloud
  500 EUR (600 USD) not spent yet.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from quarterdeck.metrics import get_metric
from tests.cost_people import cli, cost_warehouse
from tests.money_files import ORG, write

BUDGET = """month,cost_center,category,planned,actual,currency
2026-01,platform,people,10000,10500,USD
2026-01,payments,people,10000,11000,USD
2026-02,platform,people,10000,8800,USD
2026-02,payments,people,10000,10750,USD
2026-02,payments,cloud,1000,1000,EUR
2026-03,platform,people,10000,,USD
2026-03,payments,people,10000,10400,USD
2026-03,payments,cloud,500,,EUR
"""
POSITIONS = """id,team,level,location,start_month,annual_cost,currency,status
R1,platform,L4,Berlin,2026-05,90000,USD,open
R2,payments,L3,London,2026-01,60000,EUR,open
R3,payments,L5,Berlin,2026-03,100000,USD,filled
"""
WINDOW = ("--since", "2026-01-01", "--until", "2026-03-31")
COLUMNS = ("planned", "actual", "variance", "variance_pct", "status", "lines_without_actuals")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("budget")
    db, config = cost_warehouse(folder)
    for source, name, text in (("budget", "budget.csv", BUDGET), ("positions", "positions.csv", POSITIONS)):
        result = cli(db, config, "ingest", source, str(write(folder, name, text)))
        assert result.returncode == 0, result.stderr
    return db, config


def rows(warehouse: tuple[Path, Path], name: str, *args: str) -> list[dict[str, Any]]:
    result = cli(*warehouse, "metrics", "show", name, *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["rows"]


def table(found: list[dict[str, Any]], *columns: str) -> dict[tuple[str, str], tuple[Any, ...]]:
    return {(r["group"], r["period_start"]): tuple(r[c] for c in columns) for r in found}


def test_budget_vs_actual_per_team_with_red_amber_green_and_no_actuals_yet(warehouse) -> None:
    assert table(rows(warehouse, "budget_vs_actual", *WINDOW, "--by", "team"), *COLUMNS) == {
        ("platform", "2026-01-01"): (10000.0, 10500.0, 500.0, 5.0, "green", 0),
        ("payments", "2026-01-01"): (10000.0, 11000.0, 1000.0, 10.0, "amber", 0),
        ("platform", "2026-02-01"): (10000.0, 8800.0, -1200.0, -12.0, "red", 0),
        ("payments", "2026-02-01"): (11200.0, 11950.0, 750.0, round(750 / 11200 * 100, 1), "amber", 0),
        ("platform", "2026-03-01"): (10000.0, None, None, None, "no actuals yet", 1),
        # the variance is over the lines spent (people: 10400 against 10000); the plan is whole
        ("payments", "2026-03-01"): (10600.0, 10400.0, 400.0, 4.0, "green", 1),
    }


def test_budget_vs_actual_for_the_organization_and_per_category(warehouse) -> None:
    assert table(rows(warehouse, "budget_vs_actual", *WINDOW), *COLUMNS) == {
        ("organization", "2026-01-01"): (20000.0, 21500.0, 1500.0, 7.5, "amber", 0),
        ("organization", "2026-02-01"): (21200.0, 20750.0, -450.0, round(-450 / 21200 * 100, 1), "green", 0),
        ("organization", "2026-03-01"): (20600.0, 10400.0, 400.0, 4.0, "green", 2),
    }
    march = ("--since", "2026-03-01", "--until", "2026-03-31", "--by", "category")
    assert table(rows(warehouse, "budget_vs_actual", *march), *COLUMNS) == {
        ("cloud", "2026-03-01"): (600.0, None, None, None, "no actuals yet", 1),
        ("people", "2026-03-01"): (20000.0, 10400.0, 400.0, 4.0, "green", 1),
    }


def test_a_budget_line_in_a_currency_without_a_rate_is_a_clear_error(warehouse, tmp_path: Path) -> None:
    db, config = tmp_path / "w.duckdb", warehouse[1]
    shutil.copy(warehouse[0], db)
    pounds = write(tmp_path, "gbp.csv", "month,cost_center,category,planned,actual,currency\n"
                   "2026-04,platform,travel,100,90,GBP\n")  # fmt: skip
    assert cli(db, config, "ingest", "budget", str(pounds)).returncode == 0
    result = cli(db, config, "metrics", "show", "budget_vs_actual", "--since", "2026-01-01", "--until", "2026-04-30")
    assert result.returncode != 0
    assert "metric budget_vs_actual: no rate from GBP to USD for 2026-04" in result.stderr
    assert "Traceback" not in result.stderr


# The forecast at the end of February: actuals for January and February, ten months ahead.
# Employed on 28 February, at February's monthly cost in USD: alice 15000 and dan 12000
# (payments), erin 7920 (platform), carol (no cost). bob has left.
# - erin's last day is 15 June: half of June (-3960) and July to December (6 x -7920) less;
# - fay starts on 16 April at 48000 x 1.25 / 12 = 5000 EUR = 6000 USD a month: 15 of April's
#   30 days (3000) and May to December (8 x 6000): 51000;
# - R1 (platform, 90000 USD, open) from May: 8 x 7500 = 60000; R2 (payments, 60000 EUR,
#   open, its start month passed) from March: 10 x 5000 EUR x 1.20 = 60000; R3 is filled;
# - payments' February cloud actual (1200 USD) runs on for ten months: 12000.
FORECAST = ("actual", "people_run_rate", "leavers", "joiners", "open_positions", "other_run_rate", "forecast",
            "planned", "variance", "variance_pct", "status", "people")  # fmt: skip


def test_the_forecast_to_year_end_counts_the_run_rate_leavers_joiners_and_open_positions(warehouse) -> None:
    found = rows(warehouse, "budget_forecast", "--until", "2026-02-28", "--by", "team")
    assert {r["group"]: (r["year"], r["actuals_through"]) for r in found} == {
        "payments": (2026, "2026-02"),
        "platform": (2026, "2026-02"),
    }
    by_team = {r["group"]: tuple(r[c] for c in FORECAST) for r in found}
    platform = 19300 + 79200 - 51480 + 60000
    payments = 22950 + 270000 + 51000 + 60000 + 12000
    assert by_team == {
        "platform": (19300.0, 79200.0, -51480.0, 0.0, 60000.0, 0.0, platform, 30000.0, platform - 30000,
                     round((platform - 30000) / 300, 1), "red", 2),
        "payments": (22950.0, 270000.0, 0.0, 51000.0, 60000.0, 12000.0, payments, 31800.0, payments - 31800,
                     round((payments - 31800) / 318, 1), "red", 3),
    }  # fmt: skip
    organization = rows(warehouse, "budget_forecast", "--until", "2026-02-28")
    assert [(r["group"], r["forecast"], r["planned"], r["people"]) for r in organization] == [
        ("organization", float(platform + payments), 61800.0, 5)
    ]


def test_the_tiles_of_budget_vs_actual_and_people_cost_are_in_the_money_area() -> None:
    tiles = {name: get_metric(name).tile for name in ("budget_vs_actual", "people_cost")}
    assert {name: (tile.area, tile.shape, tile.column) for name, tile in tiles.items() if tile} == {
        "budget_vs_actual": ("money", "period", None),
        "people_cost": ("money", "period", None),
    }


def test_a_team_that_joins_the_organization_later_still_counts_its_earlier_lines(warehouse, tmp_path: Path) -> None:
    db, config = tmp_path / "w.duckdb", warehouse[1]
    shutil.copy(warehouse[0], db)
    growth = ORG + "  - id: growth\n    name: Growth\n    parent: eng\n"
    assert cli(db, config, "ingest", "org", str(write(tmp_path, "org-2026-03-01.yaml", growth))).returncode == 0
    january_lines = "".join(line + "\n" for line in BUDGET.splitlines() if line.startswith(("month", "2026-01")))
    # a file is the whole budget of its months: January again, with growth's line
    early = write(tmp_path, "growth.csv", january_lines + "2026-01,growth,travel,1000,1000,USD\n")
    assert cli(db, config, "ingest", "budget", str(early)).returncode == 0
    january = ("--since", "2026-01-01", "--until", "2026-01-31")
    found = cli(db, config, "metrics", "show", "budget_vs_actual", *january, "--by", "unit", "--format", "json")
    assert found.returncode == 0, found.stderr
    # growth had no place in the structure in January: its line counts as its own, not lost
    assert {r["group"]: r["planned"] for r in json.loads(found.stdout)["rows"]} == {
        "eng": 20000.0,
        "growth": 1000.0,
        "payments": 10000.0,
        "platform": 10000.0,
    }
