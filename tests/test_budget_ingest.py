"""``quarterdeck ingest budget``: budget lines per month, through the real CLI on a real
warehouse with a small organization ingested (teams platform and payments)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.money_files import warehouse_with_org, write
from tests.warehouse_rows import query

BUDGET = """month,cost_center,category,planned,actual,currency
2026-01,platform,cloud,12000.00,12850.50,EUR
2026-01,Payments,people,"80,000.00",79500,EUR
2026-01,pay-team,contractors,5000,,USD
2026-02-15,platform,cloud,12000,,eur
"""

#: The rows BUDGET gives: month, cost center as given, team, category, planned, actual, currency, line.
ROWS = [
    (date(2026, 1, 1), "pay-team", "payments", "contractors", Decimal("5000.00"), None, "USD", 4),
    (date(2026, 1, 1), "Payments", "payments", "people", Decimal("80000.00"), Decimal("79500.00"), "EUR", 3),
    (date(2026, 1, 1), "platform", "platform", "cloud", Decimal("12000.00"), Decimal("12850.50"), "EUR", 2),
    (date(2026, 2, 1), "platform", "platform", "cloud", Decimal("12000.00"), None, "EUR", 5),
]
SQL = (
    "SELECT month, cost_center, team_id, category, planned, actual, currency, line FROM budget_lines "
    "ORDER BY month, team_id, category"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return warehouse_with_org(tmp_path)


def ingest(db: Path, *args: str):
    return run_quarterdeck("ingest", "budget", *args, "--db", str(db))


def test_a_budget_file_is_stored_line_by_line_with_its_currency(db: Path, tmp_path: Path) -> None:
    budget = write(tmp_path, "budget.csv", BUDGET)
    result = ingest(db, str(budget))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS
    assert query(db, "SELECT DISTINCT file, source FROM budget_lines") == [(str(budget), "budget")]


def test_ingest_all_reads_the_budget_files_of_the_project_file(db: Path, tmp_path: Path) -> None:
    (tmp_path / "finance").mkdir()
    write(tmp_path / "finance", "budget.csv", BUDGET)
    project = write(tmp_path, "quarterdeck.yaml", "sources:\n  - type: budget\n    files: [finance/budget.csv]\n")
    result = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS


ADAPTIVE = """Period,Cost Center,Account Group,Budget Amount,Actual Amount,Currency Code
01/2026,platform,cloud,12000.00,12850.50,EUR
01/2026,Payments,people,80000,79500,EUR
01/2026,pay-team,contractors,5000,,USD
02/2026,platform,cloud,12000,,EUR
"""
MAPPING = """columns:
  Period: month
  Cost Center: cost_center
  Account Group: category
  Budget Amount: planned
  Actual Amount: actual
  Currency Code: currency
date_format: "%m/%Y"
"""

ADAPTIVE_TOML = """date_format = "%m/%Y"

[columns]
"Period" = "month"
"cost center" = "cost_center"
"Account Group" = "category"
"Budget Amount" = "planned"
"Actual Amount" = "actual"
"Currency Code" = "currency"
"""


def test_a_column_mapping_reads_another_layout_into_the_same_lines(db: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "adaptive.csv", ADAPTIVE)
    mapping = write(tmp_path, "adaptive.yaml", MAPPING)
    result = ingest(db, str(export), "--mapping", str(mapping))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS
    # in the project file, the mapping is read relative to the project file's folder
    project = write(tmp_path, "quarterdeck.yaml", "sources:\n  - type: budget\n    files: [adaptive.csv]\n"
                    "    mapping: adaptive.yaml\n")  # fmt: skip
    again = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", str(db), cwd=db.parent.parent)
    assert again.returncode == 0, again.stderr
    assert query(db, SQL) == ROWS


def test_a_mapping_in_toml_reads_the_same_and_one_naming_an_unknown_column_is_refused(db: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "adaptive.csv", ADAPTIVE)
    mapping = write(tmp_path, "adaptive.toml", ADAPTIVE_TOML)
    result = ingest(db, str(export), "--mapping", str(mapping))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS
    wrong = write(tmp_path, "wrong.yaml", "columns:\n  Budget Amount: budget\n")
    refused = ingest(db, str(export), "--mapping", str(wrong))
    assert refused.returncode == 2
    assert f"{wrong}: unknown Quarterdeck column(s) budget; known: month, cost_center" in refused.stderr


def test_importing_the_same_file_again_changes_nothing(db: Path, tmp_path: Path) -> None:
    budget = write(tmp_path, "budget.csv", BUDGET)
    assert ingest(db, str(budget)).returncode == 0
    before = query(db, "SELECT * FROM budget_lines ORDER BY ALL")
    again = ingest(db, str(budget))
    assert again.returncode == 0, again.stderr
    assert query(db, "SELECT * EXCLUDE (loaded_at) FROM budget_lines ORDER BY ALL") == [row[:-1] for row in before]


def test_a_corrected_export_replaces_the_lines_of_its_months(db: Path, tmp_path: Path) -> None:
    budget = write(tmp_path, "budget.csv", BUDGET)
    assert ingest(db, str(budget)).returncode == 0
    # January re-exported: platform's cloud actual corrected, the contractors line deleted;
    # February is not in the file, so its line stays.
    corrected = write(
        tmp_path,
        "budget-jan.csv",
        "month,cost_center,category,planned,actual,currency\n"
        "2026-01,platform,cloud,12000.00,12800.00,EUR\n"
        "2026-01,Payments,people,80000.00,79500,EUR\n",
    )
    result = ingest(db, str(corrected))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == [
        (date(2026, 1, 1), "Payments", "payments", "people", Decimal("80000.00"), Decimal("79500.00"), "EUR", 3),
        (date(2026, 1, 1), "platform", "platform", "cloud", Decimal("12000.00"), Decimal("12800.00"), "EUR", 2),
        ROWS[3],
    ]


HEADER = "month,cost_center,category,planned,actual,currency\n"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2026-01,growth,cloud,10,,EUR", ":3: cost_center: 'growth': expected a team of the organization"),
        ("2026-01,platform,snacks,10,,EUR", ":3: category: 'snacks': expected one of people, contractors, cloud"),
        ("2026-01,platform,cloud,10,,EURO", ":3: currency: 'EURO': expected a 3-letter ISO 4217 currency code"),
        ("2026-01,platform,cloud,-10,,EUR", ":3: planned: '-10': expected an amount of 0 or more"),
        ("2026-01,platform,cloud,,,EUR", ":3: planned: missing: expected an amount of 0 or more"),
        ("2026-13,platform,cloud,10,,EUR", ":3: month: '2026-13': expected a month as YYYY-MM"),
        ("2026-01,platform,cloud,10,,EUR\n2026-01,platform,cloud,11,,EUR", ":4: a second line for 2026-01 platform"),
    ],
)
def test_a_bad_line_refuses_the_whole_file_naming_its_line(db: Path, tmp_path: Path, line: str, expected: str) -> None:
    budget = write(tmp_path, "budget.csv", HEADER + "2026-01,payments,people,100,,EUR\n" + line + "\n")
    result = ingest(db, str(budget))
    assert result.returncode == 1
    assert f"{budget}{expected}" in result.stderr
    assert "nothing of it stored" in result.stderr and "Traceback" not in result.stderr
    assert query(db, "SELECT count(*) FROM budget_lines") == [(0,)]


def test_a_file_without_a_required_column_is_refused_naming_it(db: Path, tmp_path: Path) -> None:
    budget = write(tmp_path, "budget.csv", "month,cost_center,category,actual,currency\n2026-01,platform,cloud,1,EUR\n")
    result = ingest(db, str(budget))
    assert result.returncode == 1
    assert f"{budget}:1: the header lacks the column(s) planned" in result.stderr
    assert query(db, "SELECT count(*) FROM budget_lines") == [(0,)]


def test_a_bad_re_export_leaves_the_stored_lines_as_they_were(db: Path, tmp_path: Path) -> None:
    budget = write(tmp_path, "budget.csv", BUDGET)
    assert ingest(db, str(budget)).returncode == 0
    bad = write(tmp_path, "bad.csv", HEADER + "2026-01,platform,cloud,1,,EUR\n2026-01,platform,cloud,x,,EUR\n")
    assert ingest(db, str(bad)).returncode == 1
    assert query(db, SQL) == ROWS


def test_a_budget_before_any_organization_asks_to_ingest_the_org_first(tmp_path: Path) -> None:
    budget = write(tmp_path, "budget.csv", BUDGET)
    result = ingest(tmp_path / "w.duckdb", str(budget))
    assert result.returncode == 1
    assert "no organization is stored yet: ingest the org first" in result.stderr


def test_every_problem_of_a_line_is_named_the_team_too(db: Path, tmp_path: Path) -> None:
    budget = write(tmp_path, "budget.csv", HEADER + "2026-01,growth,cloud,-5,,EUR\n2026-01,Pay-Team,cloud,1,,EUR\n"
                   "2026-01,payments,cloud,2,,EUR\n")  # fmt: skip
    result = ingest(db, str(budget))
    assert result.returncode == 1
    for problem in (
        ":2: cost_center: 'growth': expected a team of the organization",
        ":2: planned: '-5': expected an amount of 0 or more",
        ":4: a second line for 2026-01 payments cloud EUR (the first is line 3)",  # an alias is the same team
    ):
        assert f"{budget}{problem}" in result.stderr


def test_a_refused_file_does_not_stop_the_others_of_the_project_file(db: Path, tmp_path: Path) -> None:
    write(tmp_path, "bad.csv", HEADER + "2026-03,platform,cloud,x,,EUR\n")
    write(tmp_path, "good.csv", BUDGET)
    project = write(tmp_path, "quarterdeck.yaml", "sources:\n  - type: budget\n    files: [bad.csv, good.csv]\n")
    result = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", str(db))
    assert result.returncode == 1
    assert f"{tmp_path / 'bad.csv'}:2: planned: 'x': expected an amount" in result.stderr
    assert query(db, SQL) == ROWS
