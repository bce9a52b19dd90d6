"""Reading budget files: one unit per file, refused whole when any line is wrong."""

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
    choice,
    currency,
    file_units,
    month,
    organization_teams,
    repeated,
    replacing,
    team,
)

CATEGORIES = ("people", "contractors", "cloud", "software", "travel", "other")
COLUMNS = ("month", "cost_center", "category", "planned", "actual", "currency")
RESOURCE = "budget lines"


def columns(mapping: ColumnMapping, teams: dict[str, str]) -> tuple[Column, ...]:
    return (
        Column("month", month(mapping.date_format)),
        Column("cost_center", team(teams)),
        Column("category", choice(*CATEGORIES)),
        Column("planned", amount),
        Column("actual", amount, optional=True),
        Column("currency", currency),
    )


@contextmanager
def read_budget(connection: Connection) -> Iterator[Iterator[Unit]]:
    yield file_units(connection, RESOURCE, read_file, COLUMNS)


def read_file(connection: Connection, path: Path, mapping: ColumnMapping, state: StoredState) -> Batch:
    result = SyncResult(connection.config.name, path.name, RESOURCE)
    teams = organization_teams(state, path)
    records = checked_records(path, columns(mapping, teams), mapping, result, repeated_lines)
    rows = [line_row(str(path), record) for record in records]
    months = sorted({record["month"] for record in records})
    return replacing(connection, result, RESOURCE, "budget_lines", rows, {"month": months} if months else None)


def repeated_lines(file: str, records: list[dict[str, Any]]) -> list[TableProblem]:
    """A second line for the same month, team, category and currency (the first is named)."""
    return repeated(
        file,
        records,
        lambda r: (r["month"], r["cost_center"][1], r["category"], r["currency"]),
        lambda r, first: (
            f"a second line for {r['month']:%Y-%m} {r['cost_center'][0]} {r['category']} {r['currency']} "
            f"(the first is line {first}): expected one line each"
        ),
    )


def line_row(file: str, record: dict[str, Any]) -> dict[str, Any]:
    return {
        "month": record["month"],
        "cost_center": record["cost_center"][0],
        "team_id": record["cost_center"][1],
        "category": record["category"],
        "planned": record["planned"],
        "actual": record["actual"],
        "currency": record["currency"],
        "file": file,
        "line": record["line"],
    }
