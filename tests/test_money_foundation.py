"""The money foundation: exchange rates (``quarterdeck ingest rates``), the money settings,
and the people-months every cost figure starts from, on a real warehouse through the real
CLI. Expected values are worked out by hand in the comments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from quarterdeck.config.settings import load_settings
from quarterdeck.core.errors import ConfigError, MetricError
from quarterdeck.metrics import MetricQuery, run_metric
from quarterdeck.metrics.catalog import metric_from
from quarterdeck.store import open_warehouse
from tests.conftest import run_quarterdeck
from tests.money_files import warehouse_with_org, write
from tests.warehouse_rows import query

RATES = "month,from,to,rate\n2026-01,EUR,USD,1.10\n2026-02,usd,eur,0.80\n"

# Alice (Berlin) works on Platform from 2025, moves to Payments on 2026-02-10; Bob (London)
# leaves on 2026-02-14 (his last day); Carol has no cost in the export.
PEOPLE_JAN = """id,name,team,location,start_date,end_date,annual_cost
alice,Alice,platform,Berlin,2025-06-01,,120000
bob,Bob,payments,London,2025-01-01,2026-02-14,60000
carol,Carol,platform,Paris,2025-01-01,,
"""
PEOPLE_FEB = PEOPLE_JAN.replace("alice,Alice,platform", "alice,Alice,payments")

PEOPLE_MONTHS = """-- name: people_months_under_test
-- title: People months
-- description: The people_months fragment, as it is.
-- unit: money
-- grain: month
-- good_direction: neither
-- value: cost
-- parameters: since, until, currency
-- grains: month, quarter, window
-- uses: reporting_rates, people_months
SELECT person_id, team_id, month, days, days_in_month, round(fte, 6) AS fte, round(cost, 6) AS cost
FROM people_months ORDER BY person_id, month, team_id
"""


def ingest_rates(db: Path, path: Path):
    return run_quarterdeck("ingest", "rates", str(path), "--db", str(db))


def test_a_rates_file_is_stored_as_given(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = ingest_rates(db, write(tmp_path, "rates.csv", RATES))
    assert result.returncode == 0, result.stderr
    rows = query(db, "SELECT month, from_currency, to_currency, rate, line FROM currency_rates ORDER BY month")
    assert rows == [
        (date(2026, 1, 1), "EUR", "USD", D("1.10000000"), 2),
        (date(2026, 2, 1), "USD", "EUR", D("0.80000000"), 3),
    ]


def test_a_bad_rates_file_is_refused_whole_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    assert ingest_rates(db, write(tmp_path, "rates.csv", RATES)).returncode == 0
    bad = "month,from,to,rate\n2026-01,EUR,USD,0\n2026-01,USD,USD,1\n2026-02,EUR,US,1.2\n2026-02,EUR,USD,1.1\n"
    bad += "2026-02,USD,EUR,0.9\n"
    result = ingest_rates(db, write(tmp_path, "bad.csv", bad))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for expected in (
        "bad.csv:2", "a rate above 0", "bad.csv:3", "a rate from USD to USD",
        "bad.csv:4", "3-letter ISO 4217", "bad.csv:6", "a second rate for 2026-02 between USD and EUR",
    ):  # fmt: skip
        assert expected in result.stderr, (expected, result.stderr)
    assert query(db, "SELECT count(*), sum(rate) FROM currency_rates") == [(2, D("1.90000000"))]


def test_the_money_settings_come_from_the_config_file_and_are_checked(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        "quarterdeck.toml",
        '[money]\nreporting_currency = "EUR"\npeople_cost_currency = "GBP"\n'
        '[money.loaded_cost_multipliers]\nBerlin = 1.25\n"*" = 1.1\n',
    )
    settings = load_settings(env={}, config_path=config)
    assert (settings.reporting_currency, settings.people_cost_currency) == ("EUR", "GBP")
    assert settings.loaded_cost_multipliers == (("Berlin", 1.25), ("*", 1.1))
    bad = write(tmp_path, "bad.toml", "[money.loaded_cost_multipliers]\nBerlin = -1\n")
    with pytest.raises(ConfigError, match="loaded_cost_multipliers' must be a table of location = multiplier"):
        load_settings(env={}, config_path=bad)
    with pytest.raises(ConfigError, match="3-letter ISO 4217"):
        load_settings(env={"QUARTERDECK_REPORTING_CURRENCY": "dollars"})


@pytest.fixture
def people_db(tmp_path: Path) -> Path:
    db = warehouse_with_org(tmp_path)
    for day, text in (("2026-01-01", PEOPLE_JAN), ("2026-02-10", PEOPLE_FEB)):
        people = write(tmp_path, f"people-{day}.csv", text)
        result = run_quarterdeck("--db", str(db), "ingest", "org", str(people))
        assert result.returncode == 0, result.stderr
    assert ingest_rates(db, write(tmp_path, "rates.csv", RATES)).returncode == 0
    return db


def people_months(db: Path, **fields):
    metric = metric_from(PEOPLE_MONTHS, "people_months_under_test.sql")
    asked = {"since": date(2026, 1, 1), "until": date(2026, 2, 28), **fields}
    with open_warehouse(db, read_only=True) as warehouse:
        return run_metric(warehouse, metric, MetricQuery(**asked)).rows


def test_people_months_prorate_by_days_on_each_team_and_convert(people_db: Path) -> None:
    rows = people_months(
        people_db, currency="USD", people_currency="EUR", cost_multipliers=(("berlin", 1.25), ("*", 1.1))
    )
    jan, feb = date(2026, 1, 1), date(2026, 2, 1)
    # January: EUR is worth 1.10 USD; February: only USD -> EUR 0.80 is given, so 1 EUR = 1.25 USD.
    # Alice: 120000 x 1.25 (Berlin) / 12 = 12500 EUR a month: 13750 USD in January; in February
    # 15625 USD a month, 9 days (1st-9th) on Platform, 19 (10th-28th) on Payments.
    # Bob: 60000 x 1.1 (any other place) / 12 = 5500 EUR a month: 6050 USD in January; his last
    # day is 14 February: 14 of 28 days at 6875 USD.
    # Carol: no cost in the export, her days still count.
    assert rows == [
        ("alice", "platform", jan, 31, 31, 1.0, 13750.0),
        ("alice", "payments", feb, 19, 28, round(19 / 28, 6), round(15625 * 19 / 28, 6)),
        ("alice", "platform", feb, 9, 28, round(9 / 28, 6), round(15625 * 9 / 28, 6)),
        ("bob", "payments", jan, 31, 31, 1.0, 6050.0),
        ("bob", "payments", feb, 14, 28, 0.5, 3437.5),
        ("carol", "platform", jan, 31, 31, 1.0, None),
        ("carol", "platform", feb, 28, 28, 1.0, None),
    ]


def test_a_month_open_at_the_window_end_counts_its_days_so_far(people_db: Path) -> None:
    rows = people_months(people_db, since=date(2026, 1, 16), until=date(2026, 1, 20), currency="EUR")
    # 5 of January's 31 days; the reporting currency is the people export's: no rate needed
    assert rows[0] == ("alice", "platform", date(2026, 1, 1), 5, 31, round(5 / 31, 6), round(10000 * 5 / 31, 6))


def test_a_missing_rate_is_an_error_never_a_silent_sum(people_db: Path) -> None:
    with pytest.raises(MetricError, match=r"no rate from EUR to GBP for 2026-0[12] .*quarterdeck ingest rates"):
        people_months(people_db, currency="GBP", people_currency="EUR")


def test_a_money_metric_refuses_a_grain_it_is_not_reported_in(people_db: Path) -> None:
    with pytest.raises(MetricError, match="reported per month or quarter or window, not per week"):
        people_months(people_db, grain="week")


def test_currency_is_refused_by_a_metric_that_has_no_money(people_db: Path) -> None:
    result = run_quarterdeck("--db", str(people_db), "metrics", "show", "headcount", "--currency", "EUR")
    assert result.returncode != 0
    assert "metric headcount does not take --currency" in result.stderr


def test_the_data_ends_with_the_last_month_of_figures_not_of_plans(tmp_path: Path) -> None:
    from quarterdeck.metrics.data_end import data_end

    db = warehouse_with_org(tmp_path)  # the org file is of 2026-01-01
    budget = "month,cost_center,category,planned,actual,currency\n2026-03,platform,people,100,90,EUR\n"
    budget += "2026-09,platform,people,100,,EUR\n"  # a plan: no actual yet
    assert run_quarterdeck("--db", str(db), "ingest", "budget", str(write(tmp_path, "b.csv", budget))).returncode == 0
    with open_warehouse(db, read_only=True) as warehouse:
        assert data_end(warehouse, date(2026, 12, 7)) == date(2026, 3, 31)
