"""Reading rates files: one unit per file, refused whole when any line is wrong."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from quarterdeck.sources.reading import Batch, Connection, StoredState, SyncResult, Unit
from quarterdeck.sources.table_files import (
    Column,
    ColumnMapping,
    TableProblem,
    checked_records,
    currency,
    file_units,
    month,
    repeated,
    replacing,
)

COLUMNS = ("month", "from", "to", "rate")
RESOURCE = "exchange rates"


def rate(value: str) -> Decimal:
    """A rate above 0 (``1.0842``)."""
    expected = "a rate above 0, such as 1.0842"
    if not re.fullmatch(r"\+?\d+(\.\d+)?|\+?\.\d+", value):
        raise ValueError(expected)
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(expected) from None
    if number == 0:
        raise ValueError(expected + " (not 0)")
    return number


def columns(mapping: ColumnMapping) -> tuple[Column, ...]:
    return (
        Column("month", month(mapping.date_format)),
        Column("from", currency),
        Column("to", currency),
        Column("rate", rate),
    )


@contextmanager
def read_rates(connection: Connection) -> Iterator[Iterator[Unit]]:
    yield file_units(connection, RESOURCE, read_file, COLUMNS)


def read_file(connection: Connection, path: Path, mapping: ColumnMapping, state: StoredState) -> Batch:
    result = SyncResult(connection.config.name, path.name, RESOURCE)
    records = checked_records(path, columns(mapping), mapping, result, same_currency, repeated_rates)
    rows = [rate_row(str(path), record) for record in records]
    months = sorted({record["month"] for record in records})
    return replacing(connection, result, RESOURCE, "currency_rates", rows, {"month": months} if months else None)


def same_currency(file: str, records: list[dict[str, Any]]) -> list[TableProblem]:
    return [
        TableProblem(file, r["line"], "to", f"a rate from {r['from']} to {r['from']}: expected two currencies")
        for r in records
        if r["from"] == r["to"]
    ]


def repeated_rates(file: str, records: list[dict[str, Any]]) -> list[TableProblem]:
    """A second rate for the same month and pair, either way round (the first is named)."""
    return repeated(
        file,
        [r for r in records if r["from"] != r["to"]],
        lambda r: (r["month"], *sorted((r["from"], r["to"]))),
        lambda r, first: (
            f"a second rate for {r['month']:%Y-%m} between {r['from']} and {r['to']} (the first is line "
            f"{first}): expected one rate per month and pair of currencies"
        ),
    )


def rate_row(file: str, record: dict[str, Any]) -> dict[str, Any]:
    return {
        "month": record["month"],
        "from_currency": record["from"],
        "to_currency": record["to"],
        "rate": record["rate"],
        "file": file,
        "line": record["line"],
    }
