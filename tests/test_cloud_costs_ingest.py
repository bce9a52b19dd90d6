"""``quarterdeck ingest cloud-costs``: FOCUS bills (CSV and Parquet) through the real CLI on
a real warehouse: stored row by row, a bad file refused whole naming file:line, a re-import
replacing the (provider, sub-account, month) it covers."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_quarterdeck
from tests.money_files import write
from tests.warehouse_rows import query

HEADER = (
    "BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,"
    "ServiceName,ProviderName,SubAccountName,ResourceId,Tags\n"
)
BILL = HEADER + (
    "120.50,100.25,USD,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z,Usage,Amazon EC2,AWS,prod,i-1,"
    '"{""team"": ""payments""}"\n'
    "30,30,usd,2026-01-31T23:00:00Z,2026-02-01T00:00:00Z,usage,Amazon S3,AWS,prod,bucket-1,\n"
    "-15.5,-15.5,USD,2026-01-01T00:00:00Z,2026-02-01T00:00:00Z,Credit,AWS Support,AWS,prod,,{}\n"
    "9.99,9.99,EUR,2026-02-01T00:00:00Z,2026-02-02T00:00:00Z,Usage,CDN,Cloudflare,,zone-1,"
    '"{""service"": ""checkout""}"\n'
)
#: What BILL stores: month, provider, sub-account, category, service, resource, billed,
#: effective, currency, tags, line.
ROWS = [
    (date(2026, 1, 1), "AWS", "prod", "Usage", "Amazon EC2", "i-1", Decimal("120.5"), Decimal("100.25"), "USD",
     '{"team": "payments"}', 2),
    (date(2026, 1, 1), "AWS", "prod", "Usage", "Amazon S3", "bucket-1", Decimal("30"), Decimal("30"), "USD", None, 3),
    (date(2026, 1, 1), "AWS", "prod", "Credit", "AWS Support", None, Decimal("-15.5"), Decimal("-15.5"), "USD",
     "{}", 4),
    (date(2026, 2, 1), "Cloudflare", "", "Usage", "CDN", "zone-1", Decimal("9.99"), Decimal("9.99"), "EUR",
     '{"service": "checkout"}', 5),
]  # fmt: skip
SQL = (
    "SELECT month, provider, sub_account, charge_category, service_name, resource_id, billed_cost, effective_cost, "
    "currency, tags, line FROM cloud_costs ORDER BY line"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "w.duckdb"


def ingest(db: Path, *args: str):
    return run_quarterdeck("ingest", "cloud-costs", *args, "--db", str(db))


def stored(db: Path) -> int:
    return query(db, "SELECT count(*) FROM cloud_costs")[0][0]


def test_a_focus_csv_is_stored_row_by_row_with_its_currency_and_tags(db: Path, tmp_path: Path) -> None:
    bill = write(tmp_path, "focus.csv", BILL)
    result = ingest(db, str(bill))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS
    assert query(db, "SELECT DISTINCT file, source FROM cloud_costs") == [(str(bill), "cloud-costs")]
    start, end = query(db, "SELECT charge_period_start, charge_period_end FROM cloud_costs WHERE line = 3")[0]
    assert (start, end) == (datetime(2026, 1, 31, 23, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC))


def parquet_of(csv_file: Path, parquet: Path, types: str = "") -> Path:
    """The CSV bill as a Parquet file, its amounts DOUBLE and charge periods timestamps (as
    exports write them), or with ``types`` the columns' types as the CSV reader guesses."""
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        select = (
            f"SELECT * FROM read_csv('{csv_file}', all_varchar = true)" if types == "text" else
            f"SELECT * REPLACE (CAST(BilledCost AS DOUBLE) AS BilledCost, CAST(EffectiveCost AS DOUBLE) AS "
            f"EffectiveCost, CAST(ChargePeriodStart AS TIMESTAMPTZ) AS ChargePeriodStart, CAST(ChargePeriodEnd AS "
            f"TIMESTAMPTZ) AS ChargePeriodEnd) FROM read_csv('{csv_file}', all_varchar = true)"
        )  # fmt: skip
        con.execute(f"COPY ({select}) TO '{parquet}' (FORMAT parquet)")
    return parquet


def test_a_parquet_bill_is_stored_as_its_csv_is_its_rows_numbered_from_one(db: Path, tmp_path: Path) -> None:
    bill = parquet_of(write(tmp_path, "focus.csv", BILL), tmp_path / "focus.parquet")
    result = ingest(db, str(bill))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == [(*row[:-1], row[-1] - 1) for row in ROWS]


def test_a_parquet_bill_of_texts_is_converted_and_a_bad_value_named_by_its_row(db: Path, tmp_path: Path) -> None:
    good = parquet_of(write(tmp_path, "focus.csv", BILL), tmp_path / "text.parquet", "text")
    assert ingest(db, str(good)).returncode == 0
    assert query(db, SQL) == [(*row[:-1], row[-1] - 1) for row in ROWS]
    wrong = write(tmp_path, "wrong.csv", BILL.replace("9.99,9.99,EUR", "9.99,nine,EUR"))
    bad = parquet_of(wrong, tmp_path / "bad.parquet", "text")
    result = ingest(db, str(bad))
    assert result.returncode == 1
    assert f"{bad}:4: EffectiveCost: 'nine': expected an amount such as 12.50" in result.stderr
    assert query(db, SQL) == [(*row[:-1], row[-1] - 1) for row in ROWS]


GOOD = '5,5,USD,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z,Usage,Amazon EC2,AWS,prod,i-1,"{""team"": ""a""}"'


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (GOOD.replace("5,5,", "five,5,", 1), ":3: BilledCost: 'five': expected an amount such as 12.50"),
        (GOOD.replace("5,5,", "5,,", 1), ":3: EffectiveCost: missing: expected an amount such as 12.50"),
        (GOOD.replace("2026-01-01T00:00:00Z", "2026-13-01", 1),
         ":3: ChargePeriodStart: '2026-13-01': expected a date and time such as 2026-01-01T00:00:00Z"),
        (GOOD.replace("2026-01-02T00:00:00Z", "2025-12-31T00:00:00Z", 1),
         ":3: ChargePeriodEnd: 2025-12-31T00:00:00Z is before ChargePeriodStart 2026-01-01T00:00:00Z"),
        (GOOD.replace(",USD,", ",US,", 1),
         ":3: BillingCurrency: 'US': expected a 3-letter ISO 4217 currency code, such as USD"),
        (GOOD.replace("5,5,", "-5,5,", 1),
         ":3: BilledCost: -5.000000 is negative: only a Credit or Adjustment row may be (ChargeCategory is Usage)"),
        (GOOD.replace(",Usage,", ",Refund,", 1),
         ":3: ChargeCategory: 'Refund': expected one of Usage, Purchase, Tax, Credit, Adjustment"),
        (GOOD.replace(",AWS,", ",,", 1), ":3: ProviderName: missing: expected the provider's name"),
        (GOOD.replace('"{""team"": ""a""}"', "team=a", 1), ":3: Tags: 'team=a': expected a JSON object of tag"),
        (GOOD.replace(",i-1,", ",", 1), ":3: 10 values: expected 11, one per column of the header"),
    ],
)  # fmt: skip
def test_a_bad_row_refuses_the_whole_file_naming_its_line(db: Path, tmp_path: Path, line: str, expected: str) -> None:
    bill = write(tmp_path, "focus.csv", HEADER + GOOD + "\n" + line + "\n" + GOOD + "\n")
    result = ingest(db, str(bill))
    assert result.returncode == 1
    assert f"{bill}{expected}" in result.stderr
    assert "nothing of it stored" in result.stderr and "Traceback" not in result.stderr
    assert stored(db) == 0


def test_lines_after_an_unreadable_line_keep_their_numbers_and_every_problem_is_counted(
    db: Path, tmp_path: Path
) -> None:
    rows = [GOOD, GOOD.replace("5,5,", "x,5,", 1), GOOD, GOOD.replace(",USD,", ",dollars,", 1), GOOD]
    bill = write(tmp_path, "focus.csv", HEADER + "\n".join(rows) + "\n")
    result = ingest(db, str(bill))
    assert result.returncode == 1
    assert "(2 problem(s))" in result.stderr
    assert f"{bill}:3: BilledCost: 'x'" in result.stderr
    assert f"{bill}:5: BillingCurrency: 'DOLLARS'" in result.stderr
    assert stored(db) == 0


def test_a_file_without_a_required_column_is_refused_naming_it_and_what_focus_requires(
    db: Path, tmp_path: Path
) -> None:
    bill = write(tmp_path, "focus.csv", BILL.replace("EffectiveCost,", "Cost,", 1))
    result = ingest(db, str(bill))
    assert result.returncode == 1
    assert (
        f"{bill}:1: refused, nothing of it stored: the header lacks the FOCUS column(s) EffectiveCost;" in result.stderr
    )
    assert "FOCUS requires BilledCost, EffectiveCost, BillingCurrency, ChargePeriodStart" in result.stderr
    assert "Traceback" not in result.stderr
    assert stored(db) == 0


def test_a_re_import_replaces_the_provider_sub_account_months_it_covers_only(db: Path, tmp_path: Path) -> None:
    bill = write(tmp_path, "focus.csv", BILL)
    assert ingest(db, str(bill)).returncode == 0
    assert ingest(db, str(bill)).returncode == 0
    assert query(db, SQL) == ROWS
    correction = write(tmp_path, "correction.csv", HEADER + GOOD.replace("5,5,", "7,6,", 1) + "\n")
    assert ingest(db, str(correction)).returncode == 0
    # AWS prod January is the correction's one row; Cloudflare February is as it was.
    assert query(db, "SELECT provider, sub_account, month, billed_cost, file FROM cloud_costs ORDER BY provider") == [
        ("AWS", "prod", date(2026, 1, 1), Decimal("7"), str(correction)),
        ("Cloudflare", "", date(2026, 2, 1), Decimal("9.99"), str(bill)),
    ]


def test_a_bad_re_import_leaves_the_stored_rows_as_they_were(db: Path, tmp_path: Path) -> None:
    bill = write(tmp_path, "focus.csv", BILL)
    assert ingest(db, str(bill)).returncode == 0
    bad = write(tmp_path, "bad.csv", HEADER + GOOD + "\n" + GOOD.replace(",USD,", ",,", 1) + "\n")
    result = ingest(db, str(bad))
    assert result.returncode == 1 and f"{bad}:3: BillingCurrency: missing" in result.stderr
    assert query(db, SQL) == ROWS


def test_the_files_of_one_command_are_one_import_the_parts_of_a_split_month_kept_together(
    db: Path, tmp_path: Path
) -> None:
    first = write(tmp_path, "part-1.csv", HEADER + GOOD + "\n")
    second = write(tmp_path, "part-2.csv", HEADER + GOOD.replace("5,5,", "2,2,", 1) + "\n")
    assert ingest(db, str(first), str(second)).returncode == 0
    assert query(db, "SELECT sum(billed_cost), count(DISTINCT file) FROM cloud_costs") == [(Decimal("7"), 2)]
    bad = write(tmp_path, "part-3.csv", HEADER + GOOD.replace(",Usage,", ",Nope,", 1) + "\n")
    result = ingest(db, str(first), str(bad))
    assert result.returncode == 1 and f"{bad}:2: ChargeCategory: 'Nope'" in result.stderr
    assert query(db, "SELECT sum(billed_cost), count(DISTINCT file) FROM cloud_costs") == [(Decimal("7"), 2)]


EXPORT = """Cost,Amortized Cost,Currency,Usage Start,Usage End,Type,Product,Cloud,Account
120.50,100.25,USD,2026-01-01 00:00:00,2026-01-02 00:00:00,Usage,Amazon EC2,AWS,prod
"""
MAPPING = """columns:
  Cost: BilledCost
  Amortized Cost: EffectiveCost
  Currency: BillingCurrency
  Usage Start: ChargePeriodStart
  Usage End: ChargePeriodEnd
  Type: ChargeCategory
  Product: ServiceName
  Cloud: ProviderName
  Account: SubAccountName
"""


def test_a_mapping_reads_another_layout_and_one_naming_an_unknown_column_is_refused(db: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "export.csv", EXPORT)
    mapping = write(tmp_path, "mapping.yaml", MAPPING)
    result = ingest(db, str(export), "--mapping", str(mapping))
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT month, provider, sub_account, billed_cost, effective_cost, tags FROM cloud_costs") == [
        (date(2026, 1, 1), "AWS", "prod", Decimal("120.5"), Decimal("100.25"), None)
    ]
    wrong = write(tmp_path, "wrong.yaml", MAPPING.replace("BilledCost", "Billed"))
    refused = ingest(db, str(export), "--mapping", str(wrong))
    assert refused.returncode == 2
    assert f"{wrong}: unknown Quarterdeck column(s) Billed; known: BilledCost, EffectiveCost" in refused.stderr


def test_ingest_all_reads_the_bills_of_the_project_file(db: Path, tmp_path: Path) -> None:
    (tmp_path / "bills").mkdir()
    write(tmp_path / "bills", "focus.csv", BILL)
    project = write(tmp_path, "quarterdeck.yaml", "sources:\n  - type: cloud-costs\n    files: [bills/focus.csv]\n")
    result = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS


def test_a_missing_an_empty_or_a_binary_file_is_refused_with_a_clear_error(db: Path, tmp_path: Path) -> None:
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00\r\x00\x03\x00" * 200)  # the start of a program
    damaged = tmp_path / "damaged.parquet"
    damaged.write_bytes(b"PAR1 not really")
    for path, expected in (
        (tmp_path / "absent.csv", ": cannot be read (No such file or directory)"),
        (write(tmp_path, "empty.csv", ""), ":1: refused: empty file, expected a header row of FOCUS columns"),
        (binary, ":1: refused, nothing of it stored: the header lacks the FOCUS column(s) BilledCost"),
        (damaged, ": cannot be read as Parquet"),
    ):
        result = ingest(db, str(path))
        assert result.returncode == 1, result.stderr
        assert f"{path}{expected}" in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert stored(db) == 0


def test_a_bill_with_a_header_and_no_rows_stores_nothing_and_succeeds(db: Path, tmp_path: Path) -> None:
    result = ingest(db, str(write(tmp_path, "focus.csv", HEADER)))
    assert result.returncode == 0, result.stderr
    assert stored(db) == 0


def test_parquet_tags_written_as_a_map_are_stored_as_their_json_object(db: Path, tmp_path: Path) -> None:
    bill = tmp_path / "map.parquet"
    with duckdb.connect() as con:
        con.execute(
            "COPY (SELECT 5.0 AS BilledCost, 4.0 AS EffectiveCost, 'USD' AS BillingCurrency, "
            "TIMESTAMPTZ '2026-01-01 00:00:00+00' AS ChargePeriodStart, "
            "TIMESTAMPTZ '2026-01-02 00:00:00+00' AS ChargePeriodEnd, 'Usage' AS ChargeCategory, "
            "'Amazon EC2' AS ServiceName, 'AWS' AS ProviderName, MAP {'team': 'payments'} AS Tags) "
            f"TO '{bill}' (FORMAT parquet)"
        )
    result = ingest(db, str(bill))
    assert result.returncode == 0, result.stderr
    rows = query(db, "SELECT tags, sub_account, line FROM cloud_costs")
    assert [(json.loads(tags), account, line) for tags, account, line in rows] == [({"team": "payments"}, "", 1)]
