"""Reading a tools export: one unit for its one file, refused whole when any line is wrong;
the export replaces every stored tool line of the source."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from quarterdeck.core.errors import ConfigError
from quarterdeck.sources.reading import Batch, Connection, StoredState, SyncResult, Unit
from quarterdeck.sources.table_files import (
    Column,
    ColumnMapping,
    TableProblem,
    amount,
    checked_records,
    count,
    currency,
    day,
    file_units,
    organization_teams,
    repeated,
    replacing,
    team,
    text,
)

COLUMNS = ("vendor", "product", "team", "annual_cost", "currency", "seats_bought", "seats_used", "renewal_date")
RESOURCE = "tool lines"


def columns(mapping: ColumnMapping, teams: dict[str, str]) -> tuple[Column, ...]:
    return (
        Column("vendor", text),
        Column("product", text),
        Column("team", team(teams)),
        Column("annual_cost", amount),
        Column("currency", currency),
        Column("seats_bought", count, required=False, optional=True),
        Column("seats_used", count, required=False, optional=True),
        Column("renewal_date", day(mapping.date_format), required=False, optional=True),
    )


@contextmanager
def read_tools(connection: Connection) -> Iterator[Iterator[Unit]]:
    config = connection.config
    if len(config.scopes) > 1:
        raise ConfigError(
            f"{config.where()}: a tools export is the whole list of contracts, and each replaces the "
            f"stored one: give one file, not {len(config.scopes)}"
        )
    yield file_units(connection, RESOURCE, read_file, COLUMNS, "'%d/%m/%Y'")


def read_file(connection: Connection, path: Path, mapping: ColumnMapping, state: StoredState) -> Batch:
    name = connection.config.name
    result = SyncResult(name, path.name, RESOURCE)
    teams = organization_teams(state, path)
    records = checked_records(path, columns(mapping, teams), mapping, result, repeated_lines)
    rows = [line_row(str(path), record) for record in records]
    return replacing(connection, result, RESOURCE, "tool_spend", rows, {"source": name})


def repeated_lines(file: str, records: list[dict[str, Any]]) -> list[TableProblem]:
    """A second line for the same vendor, product (in any case) and team."""
    return repeated(
        file,
        records,
        lambda r: (r["vendor"].lower(), r["product"].lower(), r["team"][1]),
        lambda r, first: (
            f"a second line for {r['vendor']} {r['product']} of team {r['team'][1]} "
            f"(the first is line {first}): expected one line per contract"
        ),
    )


def line_row(file: str, record: dict[str, Any]) -> dict[str, Any]:
    return {
        "vendor": record["vendor"],
        "product": record["product"],
        "team_id": record["team"][1],
        "annual_cost": record["annual_cost"],
        "currency": record["currency"],
        "seats_bought": record["seats_bought"],
        "seats_used": record["seats_used"],
        "renewal_date": record["renewal_date"],
        "file": file,
        "line": record["line"],
    }
