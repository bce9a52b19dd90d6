"""Reading a succession file (CSV, or YAML with a ``successors:`` list): one unit per file,
refused whole when any line is wrong; a file replaces the rows it stored before
(re-importing it changes nothing)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from quarterdeck.core.errors import SourceError
from quarterdeck.core.readiness import readiness
from quarterdeck.sources.reading import Batch, Connection, StoredState, SyncResult, Unit
from quarterdeck.sources.succession.yaml_file import is_yaml, yaml_records
from quarterdeck.sources.table_files import (
    Column,
    ColumnMapping,
    TableProblem,
    checked_records,
    day,
    file_units,
    refusal,
    repeated,
    replacing,
)

COLUMNS = ("role", "successor", "readiness", "date")
RESOURCE = "succession"


@dataclass(frozen=True)
class Directory:
    """What a succession file's names resolve against: people (by id, e-mail, unique name,
    lower case), services (by id and name, lower case), and when people left."""

    people: dict[str, str]
    services: dict[str, str]
    left: dict[str, date]  # person -> the first day they were no longer employed (their last spell's end)

    def person(self, value: str) -> str:
        found = self.people.get(value.lower())
        if found is None:
            raise ValueError("a person of the organization: a person id, an e-mail address or a unique name")
        return found

    def role(self, value: str) -> tuple[str, str, str]:
        """(kind, id, as written): a person's seat, or a service."""
        person, service = self.people.get(value.lower()), self.services.get(value.lower())
        if person and service:
            raise ValueError(f"one role, but it names both the person {person} and the service {service}")
        if person:
            return "seat", person, value
        if service:
            return "service", service, value
        raise ValueError(
            "a role: the seat of a person of the organization (id, e-mail or name) or a service (id or name)"
        )


def columns(mapping: ColumnMapping, directory: Directory) -> tuple[Column, ...]:
    return (
        Column("role", directory.role),
        Column("successor", directory.person),
        Column("readiness", readiness),
        Column("date", day(mapping.date_format)),
    )


@contextmanager
def read_succession(connection: Connection) -> Iterator[Iterator[Unit]]:
    yield file_units(connection, RESOURCE, read_file, COLUMNS, "'%d/%m/%Y'")


def read_file(connection: Connection, path: Path, mapping: ColumnMapping, state: StoredState) -> Batch:
    result = SyncResult(connection.config.name, path.name, RESOURCE)
    directory = organization_directory(state, path)
    checks = (repeated_lines, own_successor, successor_left(directory))
    if is_yaml(path):
        records, problems = yaml_records(path, columns(mapping, directory))
        result.read = len(records)
        problems += [p for check in checks for p in check(str(path), records)]
        if problems:
            raise SourceError(refusal(sorted(problems, key=lambda p: p.line), str(path)))
    else:
        records = checked_records(path, columns(mapping, directory), mapping, result, *checks)
    rows = [line_row(str(path), record) for record in records]
    return replacing(connection, result, RESOURCE, "successors", rows, {"file": str(path)})


def organization_directory(state: StoredState, path: Path) -> Directory:
    names = state.stored("people", "person_id", "name")
    if not names:
        raise SourceError(f"{path}: no people are stored yet: ingest the org's people exports first")
    by_name: dict[str, list[str]] = {}
    for person, name in names.items():
        by_name.setdefault(str(name).lower(), []).append(person)
    people = {name: ids[0] for name, ids in by_name.items() if len(ids) == 1}
    people |= {str(k).lower(): v for k, v in state.stored("person_emails", "email", "person_id").items()}
    people |= {str(k).lower(): str(k) for k in names}
    services = {str(v).lower(): k for k, v in state.stored("services", "service_id", "name").items()}
    services |= {str(k).lower(): k for k in state.stored("services", "service_id", "service_id")}
    last_end = state.stored("person_periods", "person_id", "valid_to", leaves=True)
    last_start = state.stored("person_periods", "person_id", "valid_from")
    left = {p: end for p, end in last_end.items() if end is not None and last_start.get(p, end) < end}
    return Directory(people, services, left)


def repeated_lines(file: str, records: list[dict[str, Any]]) -> list[TableProblem]:
    """A second line for the same role, successor and date."""
    return repeated(
        file,
        records,
        lambda r: (r["role"][:2], r["successor"], r["date"]),
        lambda r, first: (
            f"a second line for {r['role'][2]} and {r['successor']} on {r['date']} (the first is line {first}): "
            "expected one line each"
        ),
    )


def own_successor(file: str, records: list[dict[str, Any]]) -> list[TableProblem]:
    """A person named as the successor to their own seat."""
    return [
        TableProblem(
            file, r["line"], "successor", f"{r['successor']} is named as their own successor: expected someone else"
        )
        for r in records
        if r["role"][0] == "seat" and r["role"][1] == r["successor"]
    ]


def successor_left(directory: Directory) -> Callable[[str, list[dict[str, Any]]], list[TableProblem]]:
    """A successor who had left the organization by the line's date."""

    def check(file: str, records: list[dict[str, Any]]) -> list[TableProblem]:
        return [
            TableProblem(file, r["line"], "successor", _gone(r["successor"], directory.left[r["successor"]], r["date"]))
            for r in records
            if r["successor"] in directory.left and directory.left[r["successor"]] <= r["date"]
        ]

    return check


def _gone(person: str, since: date, named: date) -> str:
    return f"{person} is no longer employed from {since} (on or before {named}): expected someone employed then"


def line_row(file: str, record: dict[str, Any]) -> dict[str, Any]:
    kind, role_id, written = record["role"]
    return {
        "role_kind": kind,
        "role_id": role_id,
        "role": written,
        "successor_id": record["successor"],
        "readiness": record["readiness"],
        "as_of": record["date"],
        "file": file,
        "line": record["line"],
    }
