"""Reading a people export (CSV) from an HR system, with an optional column mapping."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from quarterdeck.sources.csv_text import CsvProblem, csv_rows, read_csv_sql
from quarterdeck.sources.org.records import OrgFile, Problem
from quarterdeck.sources.table_files import ColumnMapping
from quarterdeck.sources.table_files import load_mapping as load_column_mapping

COLUMNS = (
    "id",
    "name",
    "email",
    "emails",
    "title",
    "level",
    "role",
    "manager_id",
    "team",
    "location",
    "employment_type",
    "start_date",
    "end_date",
    "annual_cost",
    "regretted",
    "github",
    "snapshot_date",
)
REQUIRED = ("id", "name")
#: Accepted spellings of yes and no in the ``regretted`` column.
YES = ("yes", "y", "true", "t", "1", "regretted")
NO = ("no", "n", "false", "f", "0", "non-regretted", "not regretted")
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


def load_mapping(path: Path) -> ColumnMapping:
    """A mapping file (YAML or TOML): ``columns`` (export name: Quarterdeck name), ``date_format``."""
    return load_column_mapping(path, COLUMNS, date_example="'%m/%d/%Y'")


def header_columns(text: str, mapping: ColumnMapping) -> list[str]:
    first = next(csv.reader(io.StringIO(text[:65536])), [])  # the header: no need to copy the whole file
    return [mapping.canonical(h) for h in first]


def date_in_name(path: Path) -> date | None:
    """A YYYY-MM-DD date in the file name (people-2026-01-31.csv), if any."""
    match = _DATE_IN_NAME.search(path.name)
    if not match:
        return None
    try:
        return date.fromisoformat(match[1])
    except ValueError:
        return None


def read_people(path: Path, text: str, mapping: ColumnMapping) -> OrgFile:
    """A people CSV as one Arrow table of text columns (``OrgFile.table``), plus ``file``
    and ``line``. Values are checked later, all files together; here only the header is."""
    out = OrgFile(str(path), "people", as_of=date_in_name(path))
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0] + "\n")), None)
    if not header:
        out.problems.append(Problem(out.path, 1, "", "empty file: expected a header row"))
        return out
    if "\x00" in text:
        out.problems.append(Problem(out.path, 0, "", "not a text file: expected a CSV or YAML file"))
        return out
    names = [mapping.canonical(h) for h in header]
    found = ", ".join(h.strip() for h in header)
    for column in mapping.absent(header):
        why = f"the column mapping {mapping.path or ''} names column {column!r}, which the header lacks (has: {found})"
        out.problems.append(Problem(out.path, 1, mapping.columns[column], why.replace("  ", " ")))
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        why = f"not a people CSV: the header lacks column(s) {', '.join(missing)} (has: {found})"
        out.problems.append(Problem(out.path, 1, "", why))
    if out.problems:
        return out
    try:
        out.table = _people_table(path, text, header, names)
    except CsvProblem as problem:
        out.problems.append(Problem(out.path, problem.line, problem.field, problem.message))
        out.unreadable = True
    return out


def _people_table(path: Path, text: str, header: list[str], names: list[str]) -> pa.Table:
    """Parse with DuckDB's CSV reader (fast); line numbers come from the text when every
    record is one line, else (quoted line breaks) the file is read with Python's csv."""
    lines = [i for i, line in enumerate(text.splitlines(), start=1) if line.strip()]
    raw = _duckdb_columns(path, len(header), "utf-8" if _is_utf8(path) else "latin-1")
    if raw is not None and raw.num_rows == len(lines) - 1 and raw.num_columns == len(names):
        columns = {name: raw.column(i) for i, name in enumerate(names) if name in COLUMNS}
        line_numbers = pa.array(lines[1:], pa.int32())
    else:
        columns, line_numbers = _python_columns(text, header, names)
    return _canonical_table(str(path), columns, line_numbers)


@cache
def _csv_reader() -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB for reading CSV files (a connection per file costs more than the read)."""
    return duckdb.connect()


def _duckdb_columns(path: Path, width: int, encoding: str) -> pa.Table | None:
    """Every field as text, columns by position; None when DuckDB cannot read the file
    (ragged rows, stray quotes, a field over the limit): the caller reads it with Python's
    reader, which names the line and field. The dialect is given rather than sniffed:
    sniffing costs ten times the read of a 10,000-row file."""
    try:
        return _csv_reader().sql(read_csv_sql(width, encoding=True), params=[str(path), encoding]).to_arrow_table()
    except duckdb.Error:
        return None


def _python_columns(text: str, header: list[str], names: list[str]) -> tuple[dict[str, pa.Array], pa.Array]:
    rows, lines = [], []
    for line, row in csv_rows(text, header):
        rows.append(row)
        lines.append(line)  # where the record starts (a quoted cell may span lines)
    columns = {
        name: pa.array([r[i] or None for r in rows], pa.string()) for i, name in enumerate(names) if name in COLUMNS
    }
    return columns, pa.array(lines, pa.int32())


def _canonical_table(file: str, columns: dict[str, Any], lines: pa.Array) -> pa.Table:
    n = len(lines)
    data = {"file": pa.array([file] * n, pa.string()), "line": lines}
    for name in COLUMNS:
        data[name] = columns.get(name, pa.nulls(n, pa.string()))
    return pa.table(data)


def _is_utf8(path: Path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
