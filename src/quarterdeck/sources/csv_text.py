"""The one way Quarterdeck reads CSV files (delivery files, people exports, identity maps).

Files are read fast by DuckDB (``read_csv_sql``) and, where Python reads them, with
``csv_rows``; both hold every field to ``MAX_FIELD_CHARS``. When DuckDB refuses a file its
own message only says "CSV Error on Line: 2", so ``first_problem`` reads the file again
with Python's reader and names the file's line, the field and what was expected: a row
with more fields than the header, one with fewer, a field over the limit, a NUL byte.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

MAX_FIELD_CHARS = 128 * 1024
#: Python's reader stops on a field this long, so a huge field never fills the memory;
#: fields between MAX_FIELD_CHARS and this are read, then refused with their name.
_READER_LIMIT = 16 * 1024 * 1024
csv.field_size_limit(max(csv.field_size_limit(), _READER_LIMIT))


@dataclass
class CsvProblem(Exception):
    """A CSV file's structure is wrong at ``line`` (1-based), in ``field`` (a column name,
    or the field's position when the header has no column for it)."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: field {self.field}" if self.field else f"line {self.line}"
        return f"{where}: {self.message}"


def read_csv_sql(width: int, *, encoding: bool = False) -> str:
    """A DuckDB query of a CSV file (parameter 1: its path; 2: its encoding when
    ``encoding``) giving its header's ``width`` columns as text ``c0``..: comma-separated,
    double-quoted, no sniffing. A field over MAX_FIELD_CHARS stops the query with an error."""
    types = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    guarded = ", ".join(
        f"CASE WHEN length(c{i}) > {MAX_FIELD_CHARS} THEN error('a field over {MAX_FIELD_CHARS} characters') "
        f"ELSE c{i} END AS c{i}"
        for i in range(width)
    )
    options = "header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"'"
    if encoding:
        options += ", encoding = ?"
    return f"SELECT {guarded} FROM read_csv(?, {options}, columns = {types})"


def csv_rows(text: io.TextIOBase | io.StringIO | str, header: Sequence[str]) -> Iterator[tuple[int, list[str]]]:
    """The records after the header, each with the line it starts on; blank lines are
    skipped. Raises CsvProblem at the first record that does not fit ``header`` (more or
    fewer fields) or has a field over MAX_FIELD_CHARS."""
    handle = io.StringIO(text) if isinstance(text, str) else text
    reader = csv.reader(handle)
    start = 1
    try:
        next(reader, None)  # the header
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                check_row(start, row, header)
                yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise CsvProblem(start, "", f"not valid CSV ({exc})") from None


def check_row(line: int, row: Sequence[str], header: Sequence[str]) -> None:
    """Raise CsvProblem when ``row`` (starting on ``line``) does not fit ``header``."""
    for index, cell in enumerate(row):
        if len(cell) > MAX_FIELD_CHARS:
            raise CsvProblem(
                line,
                _name(header, index),
                f"{len(cell):,} characters, over the limit of {MAX_FIELD_CHARS:,} (128 KiB) for one field",
            )
        if "\x00" in cell:
            raise CsvProblem(line, _name(header, index), "a NUL byte: not a text file")
    width = len(header)
    if len(row) > width:
        extra = row[width]
        shown = extra if len(extra) <= 40 else extra[:40] + "..."
        raise CsvProblem(
            line,
            str(width + 1),
            f"an extra field {shown!r}: the header has {width} columns ({_columns(header)}); "
            "quote a value that holds a comma",
        )
    if len(row) < width:
        missing = ", ".join(h.strip() for h in header[len(row) :])
        raise CsvProblem(
            line, _name(header, len(row)), f"the row has {len(row)} fields, the header {width} (missing: {missing})"
        )


def first_problem(path: Path, header: Sequence[str], encoding: str = "utf-8-sig") -> CsvProblem | None:
    """The first record of the CSV file at ``path`` that does not fit its header, or None."""
    try:
        with path.open(encoding=encoding, errors="replace", newline="") as handle:
            for _ in csv_rows(handle, header):
                pass
    except CsvProblem as problem:
        return problem
    return None


def _name(header: Sequence[str], index: int) -> str:
    return header[index].strip() if index < len(header) and header[index].strip() else str(index + 1)


def _columns(header: Sequence[str]) -> str:
    names = [h.strip() for h in header]
    return ", ".join(names) if len(names) <= 8 else ", ".join([*names[:3], "...", *names[-3:]])
