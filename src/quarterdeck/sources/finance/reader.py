"""Reading finance files: one unit per file, refused whole when any line is wrong."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from quarterdeck.sources.reading import Batch, Connection, StoredState, SyncResult, Unit
from quarterdeck.sources.table_files import (
    Column,
    ColumnMapping,
    TableProblem,
    amount,
    checked_records,
    count,
    currency,
    file_units,
    month,
    ratio,
    repeated,
    replacing,
)

COLUMNS = (
    "month", "revenue", "arr", "new_customers", "customers",
    "sales_marketing_spend", "gross_margin", "cash", "currency",
)  # fmt: skip
RESOURCE = "monthly figures"


def columns(mapping: ColumnMapping) -> tuple[Column, ...]:
    return (
        Column("month", month(mapping.date_format)),
        Column("revenue", amount),
        Column("arr", amount),
        Column("new_customers", count),
        Column("customers", count),
        Column("sales_marketing_spend", amount),
        Column("gross_margin", ratio),
        Column("cash", amount),
        Column("currency", currency),
    )


@contextmanager
def read_finance(connection: Connection) -> Iterator[Iterator[Unit]]:
    yield file_units(connection, RESOURCE, read_file, COLUMNS)


def read_file(connection: Connection, path: Path, mapping: ColumnMapping, state: StoredState) -> Batch:
    result = SyncResult(connection.config.name, path.name, RESOURCE)
    records = checked_records(path, columns(mapping), mapping, result, repeated_months)
    rows = [figures_row(str(path), record) for record in records]
    months = sorted({record["month"] for record in records})
    return replacing(connection, result, RESOURCE, "company_finance", rows, {"month": months} if months else None)


def repeated_months(file: str, records: list[dict[str, Any]]) -> list[TableProblem]:
    """A second line for the same month and currency (the first is named)."""
    return repeated(
        file,
        records,
        lambda r: (r["month"], r["currency"]),
        lambda r, first: (
            f"a second line for {r['month']:%Y-%m} {r['currency']} (the first is line {first}): "
            "expected one line per month and currency"
        ),
    )


def figures_row(file: str, record: dict[str, Any]) -> dict[str, Any]:
    return {**{name: record[name] for name in COLUMNS}, "file": file, "line": record["line"]}
