"""Reading delivery files (CSV, JSON, NDJSON) as text columns, fast.

A file is never parsed row by row in Python when DuckDB can read it: for CSV and NDJSON
the reader hands back a DuckDB ``read_csv``/``read_json`` call (``FileScan``) that the
import runs inside the warehouse, so millions of rows stream straight into a staging
table. Every value arrives as text with its record number (1 = the first record); the
import checks and converts them. JSON arrays, and events pushed over HTTP, become an Arrow
table of the same shape. Line numbers are worked out only for the records that have a
problem (``record_lines``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from quarterdeck.core.documents import DocumentError, load_json
from quarterdeck.sources.csv_text import CsvProblem, first_problem, read_csv_sql

FORMATS = ("csv", "json", "ndjson")
_SUFFIXES = {".csv": "csv", ".json": "json", ".ndjson": "ndjson", ".jsonl": "ndjson"}


class UnreadableFile(Exception):
    """A file that cannot be read at all; the message says why, ``line`` and ``field``
    where, when known."""

    def __init__(self, message: str, line: int | None = None, field: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.field = field


@dataclass(frozen=True)
class FileScan:
    """A DuckDB table expression yielding ``record`` plus the file's known columns as text."""

    path: Path
    file_format: str
    columns: tuple[str, ...]  # canonical names present in the file
    sql: str
    params: tuple[Any, ...]


def file_format(path: Path, given: str | None) -> str:
    if given:
        return given
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise UnreadableFile(
            "cannot tell the format from the name; expected .csv, .json, .ndjson or .jsonl (or give --input-format)"
        )
    return found


def csv_scan(path: Path, known: Sequence[str]) -> FileScan:
    """A CSV file: the header's columns matched to ``known`` names in any case."""
    header = _csv_header(path)
    names = [h.strip().lower().replace(" ", "_") for h in header]
    picks = [f"nullif(trim(c{i}), '') AS {name}" for i, name in enumerate(names) if name in known]
    if len(set(names) & set(known)) != len([n for n in names if n in known]):
        raise UnreadableFile("the header names a column twice", 1)
    sql = f"SELECT row_number() OVER () AS record, {', '.join(picks)} FROM ({read_csv_sql(len(header))})"
    return FileScan(path, "csv", tuple(n for n in names if n in known), sql, (str(path),))


def csv_problem(path: Path) -> CsvProblem | None:
    """Why DuckDB could not read a CSV file: its first record that does not fit the header."""
    try:
        return first_problem(path, _csv_header(path))
    except UnreadableFile:
        return None


def ndjson_scan(path: Path, known: Sequence[str]) -> FileScan:
    """An NDJSON file: one object a line; keys other than ``known`` are ignored."""
    present = _ndjson_keys(path, known)
    types = "{" + ", ".join(f"'{name}': 'VARCHAR'" for name in present) + "}"
    picks = [f"nullif(trim({name}), '') AS {name}" for name in present]
    sql = (
        "SELECT row_number() OVER () AS record, " + ", ".join(picks) + " FROM read_json(?, "
        f"format = 'newline_delimited', columns = {types})"
    )
    return FileScan(path, "ndjson", tuple(present), sql, (str(path),))


def json_records(path: Path, kind: str) -> list[dict[str, Any]]:
    """A JSON file: an array of objects, or an object holding one under the kind's name.
    An array holding anything but objects is refused, naming the first such record."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = load_json(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableFile(f"cannot read file: {exc}") from None
    except DocumentError as exc:
        raise UnreadableFile(exc.problem, exc.line) from None
    key = None
    if isinstance(data, dict):
        key = kind if kind in data else kind.replace("_", "-")
        data = data.get(key)
    if not isinstance(data, list):
        raise UnreadableFile(f"expected a JSON array of records, or an object with a '{kind}' array")
    for number, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            line = array_item_line(text, key, number)
            raise UnreadableFile(
                f"record {number}: expected a JSON object (a record with named fields), not {_json_kind(record)}", line
            )
    return data


_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},:]', re.S)


def array_item_line(text: str, key: str | None, number: int) -> int:
    """The line item ``number`` (1 = the first) of the records array starts on: the array
    at the top of ``text``, or the one under ``key`` in the top object."""
    depth, previous, count = 0, "", 0
    target = 1 if key is None else 2
    opened = False
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            opened = opened or (token == "[" and depth == target and (key is None or previous == f'"{key}"'))
        elif token in "]}":
            depth -= 1
        if opened and depth == target and token in "[,":
            count += 1
            if count == number:
                start = match.end() + len(text[match.end() :]) - len(text[match.end() :].lstrip())
                return text.count("\n", 0, start) + 1
        previous = token if token != ":" else previous
    return 1


def _json_kind(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "a string"
    return "an array"


def records_table(records: Iterable[Any], known: Sequence[str]) -> tuple[pa.Table, list[int]]:
    """Records (dicts) as an Arrow table of ``record`` plus text columns; the numbers of the
    records that are not objects come back apart."""
    columns: dict[str, list[str | None]] = {name: [] for name in known}
    numbers: list[int] = []
    not_objects: list[int] = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            not_objects.append(number)
            continue
        numbers.append(number)
        lowered = {str(k).strip().lower(): v for k, v in record.items()}
        for name in known:
            columns[name].append(_text(lowered.get(name)))
    data = {"record": pa.array(numbers, pa.int64())}
    data.update({name: pa.array(values, pa.string()) for name, values in columns.items()})
    return pa.table(data), not_objects


def record_lines(path: Path, file_format: str, records: set[int]) -> dict[int, int]:
    """The line each of ``records`` starts on (CSV: quoted cells may span lines; blank
    lines are skipped, as the reader does)."""
    found: dict[int, int] = {}
    if not records or file_format == "json":
        return {r: r for r in records}
    last = max(records)
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        if file_format == "csv":
            reader = csv.reader(handle)
            next(reader, None)
            start, number = reader.line_num + 1, 0
            for row in reader:
                if any(cell.strip() for cell in row):
                    number += 1
                    if number in records:
                        found[number] = start
                    if number >= last:
                        break
                start = reader.line_num + 1
        else:
            number = 0
            for line_number, line in enumerate(handle, start=1):
                if line.strip():
                    number += 1
                    if number in records:
                        found[number] = line_number
                    if number >= last:
                        break
    return found


def _csv_header(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(io.StringIO(handle.readline())), None)
    except UnicodeDecodeError:
        raise UnreadableFile("not UTF-8 text: expected a CSV file") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read file: {exc.strerror}") from None
    if not header or not any(h.strip() for h in header):
        raise UnreadableFile("empty file: expected a header row")
    if any("\x00" in h for h in header):
        raise UnreadableFile("not a text file: expected CSV")
    return header


def _ndjson_keys(path: Path, known: Sequence[str]) -> list[str]:
    """The known keys used by the first records (up to 1,000)."""
    seen: set[str] = set()
    try:
        with path.open(encoding="utf-8-sig") as handle:
            for count, line in enumerate(handle):
                if count >= 1000:
                    break
                if not line.strip():
                    continue
                try:
                    record = load_json(line)
                except DocumentError as exc:
                    raise UnreadableFile(exc.problem, count + 1) from None
                if isinstance(record, dict):
                    seen.update(str(k).strip().lower() for k in record)
    except OSError as exc:
        raise UnreadableFile(f"cannot read file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UnreadableFile("not UTF-8 text: expected NDJSON") from None
    return [name for name in known if name in seen]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value)
    text = str(value).strip()
    return text or None
