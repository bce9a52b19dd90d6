"""Reading a skills inventory: one unit per file, refused whole when any line is wrong; a
file replaces the rows it stored before (re-importing it changes nothing)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from quarterdeck.core.errors import SourceError
from quarterdeck.core.skill_levels import skill_level
from quarterdeck.sources.reading import Batch, Connection, StoredState, SyncResult, Unit
from quarterdeck.sources.table_files import (
    Column,
    ColumnMapping,
    TableProblem,
    checked_records,
    day,
    file_units,
    repeated,
    replacing,
    text,
)

COLUMNS = ("person", "skill", "level", "date")
RESOURCE = "skills"


def person(people: dict[str, str]) -> Callable[[str], str]:
    """A person of the organization by id or e-mail (any case): their person id."""

    def check(value: str) -> str:
        found = people.get(value.lower())
        if found is None:
            raise ValueError("a person of the organization: a person id or an e-mail address it knows")
        return found

    return check


def columns(mapping: ColumnMapping, people: dict[str, str]) -> tuple[Column, ...]:
    return (
        Column("person", person(people)),
        Column("skill", lambda value: " ".join(text(value).split())),
        Column("level", skill_level),
        Column("date", day(mapping.date_format)),
    )


@contextmanager
def read_skills(connection: Connection) -> Iterator[Iterator[Unit]]:
    yield file_units(connection, RESOURCE, read_file, COLUMNS, "'%d/%m/%Y'")


def read_file(connection: Connection, path: Path, mapping: ColumnMapping, state: StoredState) -> Batch:
    result = SyncResult(connection.config.name, path.name, RESOURCE)
    people = organization_people(state, path)
    records = checked_records(path, columns(mapping, people), mapping, result, repeated_lines)
    rows = [line_row(str(path), record) for record in records]
    return replacing(connection, result, RESOURCE, "skills", rows, {"file": str(path)})


def organization_people(state: StoredState, path: Path) -> dict[str, str]:
    """The stored people by id and by every e-mail address (lower case): their person id."""
    ids = state.stored("people", "person_id", "person_id")
    if not ids:
        raise SourceError(f"{path}: no people are stored yet: ingest the org's people exports first")
    emails = state.stored("person_emails", "email", "person_id")
    return {str(k).lower(): v for k, v in emails.items()} | {str(k).lower(): str(k) for k in ids}


def repeated_lines(file: str, records: list[dict[str, Any]]) -> list[TableProblem]:
    """A second line for the same person, skill (any case) and date."""
    return repeated(
        file,
        records,
        lambda r: (r["person"], r["skill"].lower(), r["date"]),
        lambda r, first: (
            f"a second line for {r['person']} {r['skill']} on {r['date']} (the first is line {first}): "
            "expected one line each"
        ),
    )


def line_row(file: str, record: dict[str, Any]) -> dict[str, Any]:
    as_of: date = record["date"]
    return {
        "person_id": record["person"],
        "skill": record["skill"],
        "skill_key": record["skill"].lower(),
        "level": record["level"],
        "as_of": as_of,
        "file": file,
        "line": record["line"],
    }
