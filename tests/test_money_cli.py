"""``quarterdeck money``: the quarter's money summary through the real command line, on a
warehouse of a small organization and its budget (``tests/money_site.py``), with the
test-only money metrics added to the catalog (``tests/money_catalog.py``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from quarterdeck.metrics.catalog import metric_from
from quarterdeck.metrics.money import INPUTS, PREFIXES, Quarter, applies, money_metrics, quarter_query
from quarterdeck.metrics.query import MetricQuery
from quarterdeck.sources import declared
from tests.conftest import run_quarterdeck
from tests.money_catalog import run_with_test_metrics, with_money_metrics
from tests.money_files import write
from tests.money_site import BUDGET, ORG, Q3, money_warehouse


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return money_warehouse(tmp_path_factory.mktemp("money-cli"))


def summary(db: Path, *args: str, env: dict[str, str] | None = None) -> dict:
    done = run_with_test_metrics("--db", str(db), "money", *args, "--format", "json", env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def lines(document: dict) -> dict[str, dict]:
    return {line["metric"]: line for line in document["metrics"]}


def test_each_money_metric_is_a_line_with_its_quarter_value_and_how_to_explain_it(db: Path) -> None:
    document = summary(db, "--quarter", "2026Q3")
    assert (document["quarter"], document["since"], document["until"]) == ("2026Q3", "2026-07-01", "2026-09-30")
    with with_money_metrics():
        catalog = [m.name for m in money_metrics()]  # the test metrics, and any money metric of the catalog
    assert list(lines(document)) == catalog
    assert catalog.index("budget_spent") < catalog.index("company_revenue")  # by tile_order: 10, then 20
    spent = lines(document)["budget_spent"]
    assert spent["value"] == Q3["org"] and spent["problem"] is None
    assert (spent["title"], spent["unit"]) == ("Budget spent", "currency")
    assert spent["explain"] == "quarterdeck metrics show budget_spent --explain"


def test_a_metric_without_its_inputs_names_the_import_that_gives_them(db: Path) -> None:
    revenue = lines(summary(db, "--quarter", "2026Q3"))["company_revenue"]
    assert revenue["value"] is None
    assert revenue["problem"] == "no value for 2026Q3"
    assert revenue["inputs"] == ["quarterdeck ingest finance FILE"]  # not the rates: nothing lacked one
    text = run_with_test_metrics("--db", str(db), "money", "--quarter", "2026Q3")
    assert text.returncode == 0, text.stderr
    assert "quarterdeck ingest finance FILE" in text.stdout
    assert "quarterdeck metrics show budget_spent --explain" in text.stdout
    assert "13,651" in text.stdout and "Traceback" not in text.stdout + text.stderr


def test_a_unit_is_summed_over_its_subtree_and_a_company_figure_says_it_has_no_unit(db: Path) -> None:
    assert lines(summary(db, "--quarter", "2026Q3", "--unit", "eng"))["budget_spent"]["value"] == Q3["eng"]
    by_alias = summary(db, "--quarter", "2026q3", "--unit", "pay-team")
    assert by_alias["unit"] == "payments" and lines(by_alias)["budget_spent"]["value"] == Q3["payments"]
    revenue = lines(by_alias)["company_revenue"]
    assert (
        revenue["value"] is None and revenue["problem"] == "not reported per unit: a figure of the whole organization"
    )


def test_the_default_quarter_is_the_last_whole_one_at_the_end_of_the_data(db: Path) -> None:
    # no dated events in this warehouse: the data ends today (QUARTERDECK_TODAY)
    assert summary(db, env={"QUARTERDECK_TODAY": "2026-09-30"})["quarter"] == "2026Q3"
    assert summary(db, env={"QUARTERDECK_TODAY": "2026-12-31"})["quarter"] == "2026Q4"
    q2 = summary(db, env={"QUARTERDECK_TODAY": "2026-09-29"})
    assert q2["quarter"] == "2026Q2" and lines(q2)["budget_spent"]["value"] == 999.0


def test_an_amount_without_a_rate_is_a_line_naming_the_rates_import_never_a_traceback(tmp_path: Path) -> None:
    db = money_warehouse(tmp_path)
    euros = write(tmp_path, "euros.csv", BUDGET.splitlines()[0] + "\n2026-08,platform,travel,10,12,EUR\n")
    assert run_quarterdeck("--db", str(db), "ingest", "budget", str(euros)).returncode == 0
    spent = lines(summary(db, "--quarter", "2026Q3"))["budget_spent"]
    assert spent["value"] is None
    assert spent["problem"] == (
        "metric budget_spent: no rate from EUR to USD for 2026-08: import one with quarterdeck ingest rates FILE"
    )
    assert spent["inputs"] == ["quarterdeck ingest rates FILE"]
    done = run_with_test_metrics("--db", str(db), "money", "--quarter", "2026Q3")
    assert done.returncode == 0 and "Traceback" not in done.stdout + done.stderr
    assert re.search(r"\n +import: quarterdeck ingest rates FILE\n", done.stdout)  # on its own line, under the metric


def test_another_currency_converts_each_amount_at_its_months_rate(tmp_path: Path) -> None:
    db = money_warehouse(tmp_path)
    before = summary(db, "--quarter", "2026Q3", "--currency", "eur")
    assert before["currency"] == "EUR"
    problem = lines(before)["budget_spent"]["problem"]  # the month of the first line without a rate
    assert re.fullmatch(r"metric budget_spent: no rate from USD to EUR for 2026-0[789]: import one with .*", problem)
    rates = write(tmp_path, "rates.csv", "month,from,to,rate\n2026-01,USD,EUR,0.5\n2026-09,USD,EUR,0.25\n")
    assert run_quarterdeck("--db", str(db), "ingest", "rates", str(rates)).returncode == 0
    after = lines(summary(db, "--quarter", "2026Q3", "--currency", "EUR"))["budget_spent"]
    # July and August at 0.5, September at 0.25: (1100.25 + 4800) x 0.5 + (7300.50 + 450.50) x 0.25
    assert after["value"] == 2950.125 + 1937.75
    assert lines(summary(db, "--quarter", "2026Q3"))["budget_spent"]["value"] == Q3["org"]  # USD: as stored


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--quarter", "2026Q5"), "Invalid value for --quarter: expected YEARQN such as 2026Q3, got '2026Q5'"),
        (("--unit", "nowhere"), "unknown unit 'nowhere'"),
        (("--currency", "EURO"), "expected a 3-letter ISO 4217 code such as EUR, got 'EURO'"),
    ],
)
def test_a_bad_option_is_a_clear_error(db: Path, args: tuple[str, ...], expected: str) -> None:
    done = run_with_test_metrics("--db", str(db), "money", *args)
    assert done.returncode != 0 and expected in done.stderr and "Traceback" not in done.stderr


def test_the_lines_are_the_catalogs_money_tiles(db: Path) -> None:
    """Without the test metrics' files, the lines are the catalog's own money tiles (or, while
    it has none, a sentence saying how one is added instead of an empty table)."""
    done = run_quarterdeck("--db", str(db), "money", "--quarter", "2026Q3", "--format", "json")
    assert done.returncode == 0, done.stderr
    listed = [line["metric"] for line in json.loads(done.stdout)["metrics"]]
    assert listed == [m.name for m in money_metrics()] and "budget_spent" not in listed
    text = run_quarterdeck("--db", str(db), "money", "--quarter", "2026Q3").stdout
    if listed:
        assert all(f"quarterdeck metrics show {name} --explain" in text for name in listed)
    else:
        assert "No money metrics in the catalog yet (a metric file whose header says '-- tile: money')" in text


def test_help_teaches_the_imports_and_the_examples() -> None:
    done = run_quarterdeck("money", "--help")
    assert done.returncode == 0
    for text in ("quarterdeck ingest budget FILE", "quarterdeck ingest cloud-costs FILE", "quarterdeck ingest rates",
                 "quarterdeck ingest investment-rules", "--quarter 2026Q3", "--grain", "/api/v1/money"):  # fmt: skip
        assert text in done.stdout, text


def test_the_quarters() -> None:
    assert Quarter.parse("2026Q3") == Quarter.parse(" 2026-q3 ") == Quarter(2026, 3)
    assert (Quarter(2026, 4).start.isoformat(), Quarter(2026, 4).end.isoformat()) == ("2026-10-01", "2026-12-31")
    assert str(Quarter(2026, 1).previous) == "2025Q4"


def test_the_inputs_named_are_the_sources_that_fill_those_tables() -> None:
    sources = declared().sources
    derived = {"person_periods": "people_snapshots", "team_periods": "team_snapshots"}  # built from the org's
    for table, name in INPUTS.items():
        if name in sources:  # rates: from the money foundation on
            assert derived.get(table, table) in {r.table for r in sources[name].resources}, (table, name)
    for prefix, name in PREFIXES.items():
        if name in sources:
            assert all(r.table.startswith(prefix) for r in sources[name].resources), (prefix, name)


def test_a_scope_a_metric_is_not_grouped_by_has_no_figure() -> None:
    header = (
        "-- name: x\n-- title: X\n-- description: d\n-- unit: u\n-- grain: g\n-- good_direction: up\n"
        "-- value: v\n-- parameters: since, until, grain, by, unit\n-- tile: money\n"
    )
    by_team = metric_from(header + "-- groupings: team, unit\nSELECT 1", "x.sql")
    company = metric_from(header + "SELECT 1", "x.sql")
    assert [applies(by_team, kind) for kind in ("org", "unit", "team")] == [False, True, True]
    assert [applies(company, kind) for kind in ("org", "unit", "team")] == [True, False, False]


def test_a_metric_without_the_window_grain_is_read_per_calendar_quarter() -> None:
    header = (
        "-- name: x\n-- title: X\n-- description: d\n-- unit: u\n-- grain: g\n-- good_direction: up\n"
        "-- value: v\n-- parameters: since, until, grain\n-- tile: money\nSELECT 1"
    )
    quarterly = metric_from(header.replace("-- tile", "-- grains: month, quarter\n-- tile"), "x.sql")
    anyhow = metric_from(header, "x.sql")
    q3 = Quarter(2026, 3)
    assert quarter_query(MetricQuery(), quarterly, q3, "org", None).grain == "quarter"
    window = quarter_query(MetricQuery(), anyhow, q3, "org", None)
    assert (window.grain, window.since.isoformat(), window.until.isoformat()) == ("window", "2026-07-01", "2026-09-30")


def test_no_budget_names_the_budget_import_and_not_the_rates(tmp_path: Path) -> None:
    """budget_spent reads the rates too, but amounts in the reporting currency need none: only a
    missing rate names them (test_an_amount_without_a_rate_...)."""
    db = tmp_path / "org-only.duckdb"
    org = write(tmp_path, "org-2026-01-01.yaml", ORG)
    assert run_quarterdeck("--db", str(db), "ingest", "org", str(org)).returncode == 0
    spent = lines(summary(db, "--quarter", "2026Q3"))["budget_spent"]
    assert (spent["value"], spent["problem"]) == (None, "no value for 2026Q3")
    assert spent["inputs"] == ["quarterdeck ingest budget FILE"]



def test_every_money_input_s_tables_are_money_for_admins_and_leaders_only() -> None:
    """A metric reading any table of a money import (positions and the capitalization policy
    included) is a money metric, and ``quarterdeck money`` names that import when it is empty."""
    from quarterdeck.metrics.money import MONEY_SOURCES, source_of

    inputs = ("budget", "tools", "finance", "rates", "cloud-costs", "cloud-allocation", "investment-rules",
              "positions", "capitalization-policy")  # fmt: skip
    sources = declared().sources
    tables = {resource.table: name for name in inputs for resource in sources[name].resources}
    wrong = {}
    for table, name in tables.items():
        try:
            found = source_of(table)
        except StopIteration:
            found = None
        if found not in MONEY_SOURCES:
            wrong[table] = (name, found)
    assert wrong == {}
