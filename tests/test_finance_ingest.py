"""``quarterdeck ingest finance``: the company's figures per month, through the real CLI on a
real warehouse (no organization needed: the figures are the company's)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.money_files import write
from tests.warehouse_rows import query

HEADER = "month,revenue,arr,new_customers,customers,sales_marketing_spend,gross_margin,cash,currency\n"
FINANCE = HEADER + (
    '2026-01,410000.00,"4,920,000.00",12,340,150000,0.72,2500000,EUR\n'
    "2026-01,35000,420000,2,25,10000,68%,300000.50,usd\n"
    "2026-02-28,425000.50,5100000,9,345,155000.00,71.5 %,2410000,EUR\n"
)

#: The rows FINANCE gives: month, revenue, arr, new customers, customers, S&M spend, margin, cash, currency, line.
JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)
ROWS = [
    (JAN, D("410000.00"), D("4920000.00"), 12, 340, D("150000.00"), D("0.720000"), D("2500000.00"), "EUR", 2),
    (JAN, D("35000.00"), D("420000.00"), 2, 25, D("10000.00"), D("0.680000"), D("300000.50"), "USD", 3),
    (FEB, D("425000.50"), D("5100000.00"), 9, 345, D("155000.00"), D("0.715000"), D("2410000.00"), "EUR", 4),
]
SQL = (
    "SELECT month, revenue, arr, new_customers, customers, sales_marketing_spend, gross_margin, cash, currency, line "
    "FROM company_finance ORDER BY month, currency"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "w.duckdb"


def ingest(db: Path, *args: str):
    return run_quarterdeck("ingest", "finance", *args, "--db", str(db))


def test_a_finance_file_is_stored_month_by_month_in_each_currency(db: Path, tmp_path: Path) -> None:
    finance = write(tmp_path, "finance.csv", FINANCE)
    result = ingest(db, str(finance))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS
    assert query(db, "SELECT DISTINCT file, source FROM company_finance") == [(str(finance), "finance")]


def test_ingest_all_reads_the_finance_files_of_the_project_file(db: Path, tmp_path: Path) -> None:
    (tmp_path / "finance").mkdir()
    write(tmp_path / "finance", "figures.csv", FINANCE)
    project = write(tmp_path, "quarterdeck.yaml", "sources:\n  - type: finance\n    files: [finance/figures.csv]\n")
    result = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS


BOARD_PACK = """Period,Revenue,ARR,New Logos,Customers EOM,S&M Spend,Gross Margin %,Cash EOM,Ccy
01/2026,410000.00,4920000,12,340,150000,72%,2500000,EUR
01/2026,35000,420000,2,25,10000,0.68,300000.50,USD
02/2026,425000.50,5100000,9,345,155000,71.5%,2410000,EUR
"""
MAPPING = """columns:
  Period: month
  New Logos: new_customers
  Customers EOM: customers
  S&M Spend: sales_marketing_spend
  Gross Margin %: gross_margin
  Cash EOM: cash
  Ccy: currency
date_format: "%m/%Y"
"""


def test_a_column_mapping_reads_another_layout_into_the_same_rows(db: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "board-pack.csv", BOARD_PACK)
    mapping = write(tmp_path, "board-pack.yaml", MAPPING)
    result = ingest(db, str(export), "--mapping", str(mapping))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS


def test_importing_the_same_file_again_changes_nothing(db: Path, tmp_path: Path) -> None:
    finance = write(tmp_path, "finance.csv", FINANCE)
    assert ingest(db, str(finance)).returncode == 0
    before = query(db, "SELECT * FROM company_finance ORDER BY ALL")
    again = ingest(db, str(finance))
    assert again.returncode == 0, again.stderr
    assert query(db, "SELECT * EXCLUDE (loaded_at) FROM company_finance ORDER BY ALL") == [row[:-1] for row in before]


def test_a_corrected_export_replaces_its_months_only(db: Path, tmp_path: Path) -> None:
    assert ingest(db, str(write(tmp_path, "finance.csv", FINANCE))).returncode == 0
    # January re-exported: EUR revenue corrected, the USD line gone; February is not in it and stays.
    corrected = write(tmp_path, "jan.csv", HEADER + "2026-01,409000,4920000,12,340,150000,0.72,2500000,EUR\n")
    result = ingest(db, str(corrected))
    assert result.returncode == 0, result.stderr
    january = (date(2026, 1, 1), D("409000.00"), D("4920000.00"), 12, 340, D("150000.00"), D("0.720000"),
               D("2500000.00"), "EUR", 2)  # fmt: skip
    assert query(db, SQL) == [january, ROWS[2]]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2026-13,1,1,1,1,1,0.5,1,EUR", ":3: month: '2026-13': expected a month as YYYY-MM"),
        ("2026-02,-1,1,1,1,1,0.5,1,EUR", ":3: revenue: '-1': expected an amount of 0 or more"),
        ("2026-02,1,1,1,1,1,1.2,1,EUR", ":3: gross_margin: '1.2': expected a ratio from 0 to 1"),
        ("2026-02,1,1,1,1,1,72,1,EUR", ":3: gross_margin: '72': expected a ratio from 0 to 1"),
        ("2026-02,1,1,1,1,1,101%,1,EUR", ":3: gross_margin: '101%': expected a ratio from 0 to 1"),
        ("2026-02,1,1,1.5,1,1,0.5,1,EUR", ":3: new_customers: '1.5': expected a whole number of 0 or more"),
        ("2026-02,1,1,1,-3,1,0.5,1,EUR", ":3: customers: '-3': expected a whole number of 0 or more"),
        ("2026-02,1,1,1,1,1,0.5,-1,EUR", ":3: cash: '-1': expected an amount of 0 or more"),
        ("2026-01,1,1,1,1,1,0.5,1,eur", ":3: a second line for 2026-01 EUR (the first is line 2)"),
    ],
)
def test_a_bad_line_refuses_the_whole_file_naming_its_line(db: Path, tmp_path: Path, line: str, expected: str) -> None:
    finance = write(tmp_path, "finance.csv", HEADER + "2026-01,100,1200,1,10,50,0.6,1000,EUR\n" + line + "\n")
    result = ingest(db, str(finance))
    assert result.returncode == 1
    assert f"{finance}{expected}" in result.stderr
    assert "nothing of it stored" in result.stderr and "Traceback" not in result.stderr
    assert query(db, "SELECT count(*) FROM company_finance") == [(0,)]


def test_a_file_without_a_required_column_is_refused_naming_it(db: Path, tmp_path: Path) -> None:
    finance = write(tmp_path, "finance.csv", "month,revenue,arr,new_customers,sales_marketing_spend,gross_margin,cash,"
                    "currency\n2026-01,1,1,1,1,0.5,1,EUR\n")  # fmt: skip
    result = ingest(db, str(finance))
    assert result.returncode == 1
    assert f"{finance}:1: the header lacks the column(s) customers" in result.stderr
    assert query(db, "SELECT count(*) FROM company_finance") == [(0,)]


def test_a_bad_re_export_leaves_the_stored_months_as_they_were(db: Path, tmp_path: Path) -> None:
    assert ingest(db, str(write(tmp_path, "finance.csv", FINANCE))).returncode == 0
    bad = write(tmp_path, "bad.csv", HEADER + "2026-01,1,1,1,1,1,0.5,1,EUR\n2026-02,x,1,1,1,1,0.5,1,EUR\n")
    result = ingest(db, str(bad))
    assert result.returncode == 1
    assert f"{bad}:3: revenue: 'x': expected an amount" in result.stderr
    assert query(db, SQL) == ROWS
