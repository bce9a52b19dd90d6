"""Reading an assessments file: one unit per file, refused whole when any line is wrong
(an unknown person or competency, a rating off the ladder's scale); a file replaces the rows
it stored before (re-importing it changes nothing)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from quarterdeck.config.ladder_file import Ladder
from quarterdeck.sources.ladder.reader import stored_ladder
from quarterdeck.sources.reading import Batch, Connection, StoredState, SyncResult, Unit
from quarterdeck.sources.skills.reader import organization_people, person
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

COLUMNS = ("person", "competency", "rating", "date", "assessor")
RESOURCE = "assessments"


def competency(ladder: Ladder) -> Callable[[str], str]:
    """A competency of the ladder, by name in any case: the ladder's name for it."""
    names = {c.name.lower(): c.name for c in ladder.competencies}

    def check(value: str) -> str:
        found = names.get(" ".join(value.split()).lower())
        if found is None:
            raise ValueError(f"a competency of the ladder ({ladder.name}): {', '.join(names.values())}")
        return found

    return check


def columns(mapping: ColumnMapping, people: dict[str, str], ladder: Ladder) -> tuple[Column, ...]:
    return (
        Column("person", person(people)),
        Column("competency", competency(ladder)),
        Column("rating", ladder.rating),
        Column("date", day(mapping.date_format)),
        Column("assessor", lambda value: " ".join(text(value).split())),
    )


@contextmanager
def read_assessments(connection: Connection) -> Iterator[Iterator[Unit]]:
    yield file_units(connection, RESOURCE, read_file, COLUMNS, "'%d/%m/%Y'")


def read_file(connection: Connection, path: Path, mapping: ColumnMapping, state: StoredState) -> Batch:
    result = SyncResult(connection.config.name, path.name, RESOURCE)
    people = organization_people(state, path)
    ladder = stored_ladder(state)
    records = checked_records(path, columns(mapping, people, ladder), mapping, result, repeated_lines)
    rows = [line_row(str(path), record) for record in records]
    return replacing(connection, result, RESOURCE, "assessments", rows, {"file": str(path)})


def repeated_lines(file: str, records: list[dict[str, Any]]) -> list[TableProblem]:
    """A second line for the same person, competency and date."""
    return repeated(
        file,
        records,
        lambda r: (r["person"], r["competency"], r["date"]),
        lambda r, first: (
            f"a second line for {r['person']} {r['competency']} on {r['date']} (the first is line {first}): "
            "expected one line each"
        ),
    )


def line_row(file: str, record: dict[str, Any]) -> dict[str, Any]:
    return {
        "person_id": record["person"],
        "competency": record["competency"],
        "competency_key": record["competency"].lower(),
        "rating": record["rating"],
        "assessed_on": record["date"],
        "assessor": record["assessor"],
        "file": file,
        "line": record["line"],
    }
