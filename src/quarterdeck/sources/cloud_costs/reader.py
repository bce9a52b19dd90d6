"""Reading FOCUS bills: each file's columns (CSV header or Parquet schema) matched to the
FOCUS columns, then handed to the store as one bulk import (``store_focus_files``): the
rows are staged, checked and stored with SQL in the warehouse, never as Python records."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from quarterdeck.core.errors import SourceError
from quarterdeck.sources.reading import Batch, Bulk, Connection, StoredState, SyncResult, Unit
from quarterdeck.sources.table_files import ColumnMapping, load_mapping

RESOURCE = "cloud costs"
STORE = "quarterdeck.store.cloud_writes:store_focus_files"
#: The FOCUS columns a bill must have, then those it may lack (stored empty).
REQUIRED = (
    "BilledCost", "EffectiveCost", "BillingCurrency", "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory",
    "ServiceName", "ProviderName",
)  # fmt: skip
OPTIONAL = ("SubAccountName", "ResourceId", "Tags")
COLUMNS = REQUIRED + OPTIONAL
_HEADER_BYTES = 1 << 20


@contextmanager
def read_cloud_costs(connection: Connection) -> Iterator[Iterator[Unit]]:
    path = connection.config.options.get("mapping")
    mapping = load_mapping(path, COLUMNS, "'%Y-%m-%d %H:%M:%S'") if path else ColumnMapping()
    files = [Path(file) for file in connection.config.scopes]
    scope = ", ".join(file.name for file in files)
    yield iter([Unit(scope, (RESOURCE,), partial(read_files, connection, files, mapping))] if files else [])


def read_files(connection: Connection, files: list[Path], mapping: ColumnMapping, state: StoredState) -> Batch:
    """The files as one bulk import (their columns checked now, their rows by the store)."""
    described = [describe(path, mapping) for path in files]
    name = connection.config.name
    result = SyncResult(name, ", ".join(file.name for file in files), RESOURCE)
    arguments = {"files": described, "source": name, "loaded_at": connection.context.loaded_at}
    return Batch([result], bulk=[Bulk(STORE, arguments, result)], problems={RESOURCE: []})


def describe(path: Path, mapping: ColumnMapping) -> dict[str, Any]:
    """What the store needs to read one file: its format, its columns in order, and which of
    them holds each FOCUS column. A file lacking a required column is refused here."""
    try:
        with path.open("rb") as handle:
            start = handle.read(_HEADER_BYTES)
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror})") from None
    parquet = start[:4] == b"PAR1"
    header = parquet_columns(path) if parquet else csv_header(path, start)
    columns = focus_columns(header, mapping)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        via = f" (after the column mapping {mapping.path})" if mapping.path else ""
        where = f"{path}" if parquet else f"{path}:1"
        raise SourceError(
            f"{where}: refused, nothing of it stored: the {'schema' if parquet else 'header'} lacks the FOCUS "
            f"column(s) {', '.join(missing)}{via}; FOCUS requires {', '.join(REQUIRED)} (and Quarterdeck reads "
            f"{', '.join(OPTIONAL)} when present); it has: {shown(header)}"
        )
    return {
        "path": str(path),
        "format": "parquet" if parquet else "csv",
        "header": header,
        "columns": columns,
        "timestamp_format": mapping.date_format,
    }


def shown(header: list[str]) -> str:
    """The columns as a message shows them: printable, at most 300 characters."""
    text = "".join(c if c.isprintable() else "?" for c in ", ".join(header))
    return text if len(text) <= 300 else text[:300] + "..."


def focus_columns(header: list[str], mapping: ColumnMapping) -> dict[str, str]:
    """``{FOCUS column: the file's column}``: through the mapping, else by name in any case."""
    mapped = {k.strip().lower(): v for k, v in mapping.columns.items()}
    by_lower = {name.lower(): name for name in COLUMNS}
    found: dict[str, str] = {}
    for column in header:
        name = mapped.get(column.strip().lower()) or by_lower.get(column.strip().lower())
        if name is not None and name not in found:
            found[name] = column
    return found


def csv_header(path: Path, start: bytes) -> list[str]:
    text = start.decode("utf-8-sig", errors="replace")
    try:
        header = next(csv.reader(io.StringIO(text.splitlines()[0] if text else "")), None)
    except csv.Error as exc:
        raise SourceError(f"{path}:1: refused: not a CSV file with a header row of FOCUS columns ({exc})") from None
    if not header:
        raise SourceError(f"{path}:1: refused: empty file, expected a header row of FOCUS columns")
    return header


def parquet_columns(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    try:
        return list(pq.read_schema(path).names)
    except Exception as exc:  # a damaged Parquet file: pyarrow raises several kinds
        raise SourceError(f"{path}: cannot be read as Parquet ({exc})") from None
