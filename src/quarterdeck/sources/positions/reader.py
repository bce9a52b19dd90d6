"""Reading a positions export: one unit for its one file, refused whole when any line is
wrong; the export replaces every stored position of the source."""

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
    choice,
    currency,
    day,
    file_units,
    month,
    organization_teams,
    repeated,
    replacing,
    team,
    text,
)

STATUSES = ("open", "on_hold", "filled", "cancelled")
COLUMNS = ("id", "team", "level", "location", "start_month", "annual_cost", "currency", "status", "opened", "role")
RESOURCE = "positions"


def columns(mapping: ColumnMapping, teams: dict[str, str]) -> tuple[Column, ...]:
    return (
        Column("id", text),
        Column("team", team(teams)),
        Column("level", text, required=False, optional=True),
        Column("location", text, required=False, optional=True),
        Column("start_month", month(mapping.date_format)),
        Column("annual_cost", amount),
        Column("currency", currency),
        Column("status", choice(*STATUSES)),
        Column("opened", day(mapping.date_format), required=False, optional=True),
        Column("role", text, required=False, optional=True),
    )


@contextmanager
def read_positions(connection: Connection) -> Iterator[Iterator[Unit]]:
    config = connection.config
    if len(config.scopes) > 1:
        raise ConfigError(
            f"{config.where()}: a positions export is the whole list of positions, and each replaces the "
            f"stored one: give one file, not {len(config.scopes)}"
        )
    yield file_units(connection, RESOURCE, read_file, COLUMNS)


def read_file(connection: Connection, path: Path, mapping: ColumnMapping, state: StoredState) -> Batch:
    name = connection.config.name
    result = SyncResult(name, path.name, RESOURCE)
    teams = organization_teams(state, path)
    records = checked_records(path, columns(mapping, teams), mapping, result, repeated_lines)
    rows = [line_row(str(path), record) for record in records]
    return replacing(connection, result, RESOURCE, "positions", rows, {"source": name})


def repeated_lines(file: str, records: list[dict[str, Any]]) -> list[TableProblem]:
    """A second line for the same position id."""
    return repeated(
        file,
        records,
        lambda r: (r["id"],),
        lambda r, first: f"a second line for position {r['id']} (the first is line {first}): expected one line each",
    )


def line_row(file: str, record: dict[str, Any]) -> dict[str, Any]:
    return {
        "position_id": record["id"],
        "team": record["team"][0],
        "team_id": record["team"][1],
        "level": record["level"],
        "location": record["location"],
        "start_month": record["start_month"],
        "annual_cost": record["annual_cost"],
        "currency": record["currency"],
        "status": record["status"],
        "opened": record["opened"],
        "role": record["role"],
        "file": file,
        "line": record["line"],
    }
