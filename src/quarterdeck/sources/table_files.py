"""Tabular files a source reads (budget lines, tool costs, finance exports): shared parts.

- :func:`load_mapping`: a column mapping file (YAML or TOML), the same format as the people
  exports' (``columns:`` export column -> Quarterdeck column, optional ``date_format``), for
  exports whose header names differ from Quarterdeck's.
- :func:`read_table`: a CSV file (read by :mod:`quarterdeck.sources.csv_text`) as records
  of checked, typed values, each with the line it starts on, and every problem found,
  each naming the file, the line, the column and what was expected.
- the column checks: :func:`text`, :func:`month`, :func:`day`, :func:`amount`, :func:`count`,
  :func:`ratio`, :func:`currency`, :func:`choice`, :func:`team`; a check raises
  ``ValueError(what was expected)``.
- :func:`refusal`: the first problems as one message, for a ``SourceError`` refusing a file.
- :func:`repeated`: a problem for each line whose key an earlier line of the file has.
- :func:`file_units`: a file source's units, one per file, with the mapping its option names.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import Any

from quarterdeck.core.documents import DocumentError, load_yaml
from quarterdeck.core.errors import ConfigError, SourceError
from quarterdeck.sources.csv_text import CsvProblem, csv_rows
from quarterdeck.sources.reading import Batch, Connection, Replace, Rows, StoredState, SyncResult, Unit

#: How many problems a refusal lists (the rest are counted).
SHOWN_PROBLEMS = 10


@dataclass(frozen=True)
class Column:
    """A column of a file: its Quarterdeck name, the check turning a value into what is
    stored (raising ``ValueError(expected)``), and whether it may be absent from the header
    (``required``) or empty on a line (``optional``: stored as None)."""

    name: str
    check: Callable[[str], Any]
    required: bool = True
    optional: bool = False


@dataclass(frozen=True)
class TableProblem:
    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        column = f" {self.column}:" if self.column else ""
        return f"{self.file}:{self.line}:{column} {self.message}"


@dataclass(frozen=True)
class ColumnMapping:
    """How an export's columns map onto Quarterdeck's (export names match in any case)."""

    columns: dict[str, str] = field(default_factory=dict)
    date_format: str | None = None
    path: str | None = None

    def canonical(self, header: str) -> str:
        name = header.strip()
        lower = {k.lower(): v for k, v in self.columns.items()}
        return self.columns.get(name) or lower.get(name.lower()) or name.lower().replace(" ", "_")

    def absent(self, header: list[str]) -> list[str]:
        """The export columns the mapping names that ``header`` does not have."""
        present = {h.strip().lower() for h in header}
        return [name for name in self.columns if name.lower() not in present]


def load_mapping(path: Path | str, known: Sequence[str], date_example: str = "'%m/%Y'") -> ColumnMapping:
    """A mapping file (YAML, or TOML when named ``.toml``): ``columns`` (export column:
    Quarterdeck column, one of ``known``) and an optional ``date_format`` (such as
    ``date_example``)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else load_yaml(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, DocumentError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"{path}: cannot read the column mapping: {first}") from None
    if not isinstance(data, dict) or not isinstance(data.get("columns", {}), dict):
        raise ConfigError(f"{path}: expected a 'columns:' table of export column -> Quarterdeck column")
    columns = {str(k).strip(): str(v).strip() for k, v in (data.get("columns") or {}).items()}
    unknown = sorted(v for v in columns.values() if v not in known)
    if unknown:
        raise ConfigError(f"{path}: unknown Quarterdeck column(s) {', '.join(unknown)}; known: {', '.join(known)}")
    date_format = data.get("date_format")
    if date_format is not None and not isinstance(date_format, str):
        raise ConfigError(f"{path}: date_format must be a string such as {date_example}")
    return ColumnMapping(columns, date_format, str(path))


def read_text(path: Path) -> str:
    """A text file as exported: UTF-8 (with or without BOM), else Windows-1252."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def read_table(
    path: Path, columns: Sequence[Column], mapping: ColumnMapping | None = None
) -> tuple[list[dict[str, Any]], list[TableProblem]]:
    """The records of the CSV file at ``path`` (``{column: value, "line": n}``, only the
    lines without a problem) and the problems of every line. A header lacking a required
    column, or a file that is not CSV, is one problem and no records."""
    mapping, file = mapping or ColumnMapping(), str(path)
    try:
        text = read_text(path)
    except OSError as exc:
        return [], [TableProblem(file, 0, "", f"cannot be read ({exc.strerror})")]
    header = next(csv.reader(io.StringIO(text)), None)
    if not header:
        return [], [TableProblem(file, 1, "", "empty file: expected a header row")]
    names = [mapping.canonical(h) for h in header]
    missing = [c.name for c in columns if c.required and c.name not in names]
    if missing:
        found = ", ".join(h.strip() for h in header)
        via = f" (after the column mapping {mapping.path})" if mapping.path else ""
        why = f"the header lacks the column(s) {', '.join(missing)}{via}; it has: {found}"
        return [], [TableProblem(file, 1, "", why)]
    position = {name: i for i, name in enumerate(names)}
    records, problems = [], []
    try:
        for line, row in csv_rows(text, header):
            record, wrong = _record(file, line, row, columns, position)
            problems += wrong
            if not wrong:
                records.append(record)
    except CsvProblem as problem:
        problems.append(TableProblem(file, problem.line, problem.field, problem.message))
    return records, problems


def _record(
    file: str, line: int, row: list[str], columns: Sequence[Column], position: dict[str, int]
) -> tuple[dict[str, Any], list[TableProblem]]:
    record: dict[str, Any] = {"line": line}
    problems = []
    for column in columns:
        value = row[position[column.name]].strip() if column.name in position else ""
        if not value:
            if column.optional:
                record[column.name] = None
                continue
            problems.append(TableProblem(file, line, column.name, f"missing: expected {_expected(column)}"))
            continue
        try:
            record[column.name] = column.check(value)
        except ValueError as exc:
            problems.append(TableProblem(file, line, column.name, f"{value!r}: expected {exc}"))
    return record, problems


def _expected(column: Column) -> str:
    try:
        column.check("")
    except ValueError as exc:
        return str(exc)
    return "a value"


def refusal(problems: Sequence[TableProblem], what: str = "the file") -> str:
    """``what`` refused, with the first problems (file:line each) and how many more."""
    shown = "\n".join(f"  {p}" for p in problems[:SHOWN_PROBLEMS])
    more = len(problems) - SHOWN_PROBLEMS
    rest = f"\n  ... and {more} more" if more > 0 else ""
    return f"{what} refused, nothing of it stored ({len(problems)} problem(s)):\n{shown}{rest}"


# the checks ----------------------------------------------------------------------------------


def text(value: str) -> str:
    if not value:
        raise ValueError("a text")
    return value


def month(date_format: str | None = None) -> Callable[[str], date]:
    """A month as ``YYYY-MM`` or a date (``YYYY-MM-DD``, or ``date_format``): its first day."""
    shown = "a month as YYYY-MM or a date as YYYY-MM-DD" + (f" or {date_format}" if date_format else "")

    def check(value: str) -> date:
        if re.fullmatch(r"\d{4}-\d{2}", value):
            value += "-01"
        parsers = [date.fromisoformat] + ([lambda v: datetime.strptime(v, date_format).date()] if date_format else [])
        for parse in parsers:
            try:
                return parse(value).replace(day=1)
            except (ValueError, TypeError):
                continue
        raise ValueError(shown)

    return check


def day(date_format: str | None = None) -> Callable[[str], date]:
    """A date as ``YYYY-MM-DD`` (or ``date_format``)."""
    shown = "a date as YYYY-MM-DD" + (f" or {date_format}" if date_format else "")

    def check(value: str) -> date:
        parsers = [date.fromisoformat] + ([lambda v: datetime.strptime(v, date_format).date()] if date_format else [])
        for parse in parsers:
            try:
                return parse(value)
            except (ValueError, TypeError):
                continue
        raise ValueError(shown)

    return check


def count(value: str) -> int:
    """A whole number of 0 or more (``40``, ``1,200``)."""
    cleaned = value.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", value) else value
    if not re.fullmatch(r"\+?\d+", cleaned):
        raise ValueError("a whole number of 0 or more, such as 40")
    return int(cleaned)


_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")


def amount(value: str) -> Decimal:
    """A decimal amount of 0 or more (``1250``, ``1250.50``, ``1,250.50``)."""
    expected = "an amount of 0 or more, such as 1250.00"
    cleaned = value.replace(",", "") if _THOUSANDS.fullmatch(value) else value
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?|[+-]?\.\d+", cleaned):
        raise ValueError(expected)
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(expected) from None
    if number < 0:
        raise ValueError(expected + " (not negative)")
    return number


def ratio(value: str) -> Decimal:
    """A share from 0 to 1: a ratio (``0.72``) or a percentage with its sign (``72%``,
    ``72.5 %``), stored as the ratio. A bare number above 1 is refused, not read as a
    percentage: ``72`` may be a typo of ``0.72`` or ``72%``."""
    expected = "a ratio from 0 to 1 (such as 0.72) or a percentage from 0% to 100% (such as 72%)"
    percent = value.endswith("%")
    number_text = value[:-1].strip() if percent else value
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?|[+-]?\.\d+", number_text):
        raise ValueError(expected)
    number = Decimal(number_text) / (100 if percent else 1)
    if not 0 <= number <= 1:
        raise ValueError(expected)
    return number


def currency(value: str) -> str:
    """A 3-letter ISO 4217 currency code (``EUR``; ``eur`` is read as ``EUR``)."""
    if not re.fullmatch(r"[A-Za-z]{3}", value):
        raise ValueError("a 3-letter ISO 4217 currency code, such as EUR or USD")
    return value.upper()


def choice(*choices: str) -> Callable[[str], str]:
    """One of ``choices`` (in any case), stored as written in ``choices``."""
    by_lower = {c.lower(): c for c in choices}

    def check(value: str) -> str:
        if value.lower() not in by_lower:
            raise ValueError(f"one of {', '.join(choices)}")
        return by_lower[value.lower()]

    return check


def team(teams: dict[str, str]) -> Callable[[str], tuple[str, str]]:
    """A team of the organization, by id, name or alias in any case: (as written, its id)."""

    def check(value: str) -> tuple[str, str]:
        if value.lower() not in teams:
            raise ValueError("a team of the organization (its id, name or alias)")
        return value, teams[value.lower()]

    return check


def repeated(
    file: str,
    records: Sequence[dict[str, Any]],
    key: Callable[[dict[str, Any]], tuple[Any, ...]],
    second: Callable[[dict[str, Any], int], str],
) -> list[TableProblem]:
    """A problem for each record whose ``key`` an earlier record of the file has;
    ``second(record, first_line)`` says what is wrong (naming the first line)."""
    first: dict[tuple[Any, ...], int] = {}
    problems = []
    for record in records:
        found = key(record)
        if found in first:
            problems.append(TableProblem(file, record["line"], "", second(record, first[found])))
        first.setdefault(found, record["line"])
    return problems


ReadFile = Callable[[Connection, Path, ColumnMapping, StoredState], Batch]


def file_units(
    connection: Connection, resource: str, read_file: ReadFile, known: Sequence[str], date_example: str = "'%m/%Y'"
) -> Iterator[Unit]:
    """One unit per file of a file source, each ``read_file(connection, path, mapping,
    state)``; the column mapping is the file its ``mapping`` option names (read now, so a
    bad mapping stops the source before any file is read)."""
    path = connection.config.options.get("mapping")
    mapping = load_mapping(path, known, date_example) if path else ColumnMapping()
    files = [Path(file) for file in connection.config.scopes]
    return (Unit(file.name, (resource,), partial(read_file, connection, file, mapping)) for file in files)


Check = Callable[[str, list[dict[str, Any]]], list[TableProblem]]


def organization_teams(state: StoredState, path: Path) -> dict[str, str]:
    """The stored teams by id, name and alias (lower case): what a file's team column names."""
    teams = state.stored("team_aliases", "alias", "team_id")
    if not teams:
        raise SourceError(f"{path}: no organization is stored yet: ingest the org first (quarterdeck ingest org ...)")
    return teams


def checked_records(
    path: Path, columns: Sequence[Column], mapping: ColumnMapping, result: SyncResult, *checks: Check
) -> list[dict[str, Any]]:
    """The file's records, each column checked, then the whole file by ``checks``; any
    problem refuses the whole file, naming each file:line."""
    records, problems = read_table(path, columns, mapping)
    result.read = len(records)
    for check in checks:
        problems += check(str(path), records)
    if problems:
        problems.sort(key=lambda p: p.line)
        raise SourceError(refusal(problems, str(path)))
    return records


def replacing(
    connection: Connection,
    result: SyncResult,
    resource: str,
    table: str,
    rows: list[dict[str, Any]],
    where: dict[str, Any] | None,
) -> Batch:
    """The batch storing a file's rows into ``table`` after removing what ``where`` names
    (the months it covers, or every row of the source), in one transaction."""
    stamp = {"source": connection.config.name, "loaded_at": connection.context.loaded_at}
    return Batch(
        [result],
        rows=[Rows(table, rows, stamp, counts=result)],
        replace=[Replace(table, where)] if where else [],
        problems={resource: []},
    )  # fmt: skip
