"""Storing cloud bills (FOCUS files, docs/sources/cloud-costs.md) with SQL, never as Python
records: a bill has millions of rows (decision 0047).

:func:`store_focus_files` is the ``Bulk`` store function of the cloud-costs source. In the
pipeline's transaction it

1. inserts every file's rows straight into ``cloud_costs`` with DuckDB's own reader
   (``read_csv`` with the FOCUS columns' types, the values it cannot convert kept aside by
   ``store_rejects``; ``read_parquet``), each row with its line (CSV: numbered after the
   insert, by the order it keeps) or its row number (Parquet: the reader's
   ``file_row_number``): no window, which would make the insert run on one thread;
2. checks the rows it inserted where they lie (:mod:`quarterdeck.store.cloud_checks`): any
   problem refuses the import (``SourceError`` naming each file:line), and the transaction
   is rolled back: nothing stored;
3. removes the rows stored before of every (provider, sub-account, month) the files cover
   (when anything was stored before).

One pass over each file: reading it is most of the time, as when DuckDB reads it alone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb

from quarterdeck.core.errors import SourceError
from quarterdeck.store.cloud_checks import (
    CATEGORIES,
    conversion_problems,
    drop_rejects,
    refusal,
    row_problems,
)

#: The FOCUS columns Quarterdeck stores and their types when read.
TYPES = {
    "BilledCost": "DECIMAL(18, 6)",
    "EffectiveCost": "DECIMAL(18, 6)",
    "BillingCurrency": "VARCHAR",
    "ChargePeriodStart": "TIMESTAMPTZ",
    "ChargePeriodEnd": "TIMESTAMPTZ",
    "ChargeCategory": "VARCHAR",
    "ServiceName": "VARCHAR",
    "ProviderName": "VARCHAR",
    "SubAccountName": "VARCHAR",
    "ResourceId": "VARCHAR",
    "Tags": "VARCHAR",
}
#: A charge category as FOCUS writes it when it is one in any case, else as given.
_CATEGORY = (
    f"CASE WHEN s.ChargeCategory IN ({', '.join(repr(c) for c in CATEGORIES)}) THEN s.ChargeCategory "
    "ELSE coalesce(CASE lower(trim(s.ChargeCategory)) WHEN 'usage' THEN 'Usage' WHEN 'purchase' THEN 'Purchase' "
    "WHEN 'tax' THEN 'Tax' WHEN 'credit' THEN 'Credit' WHEN 'adjustment' THEN 'Adjustment' END, s.ChargeCategory) END"
)
#: The UTC month of a charge period's start, by arithmetic on its microseconds (ten times
#: faster than date_trunc on a TIMESTAMPTZ, which goes through the time zone calendar).
_MONTH = "CAST(date_trunc('month', make_timestamp(epoch_us(s.ChargePeriodStart))) AS DATE)"
#: Parquet column types read as they are (no conversion).
_SAME_TYPE = {"VARCHAR": "VARCHAR", "TIMESTAMP WITH TIME ZONE": "TIMESTAMPTZ", "DECIMAL(18,6)": "DECIMAL(18, 6)"}
#: A text without the spaces around it (checking first is faster than trimming every row).
_TRIMMED = "CASE WHEN {c} LIKE ' %' OR {c} LIKE '% ' THEN trim({c}) ELSE {c} END"
#: The rows of this import (its files, source and time: no earlier import has all three).
IMPORTED = "c.source = $source AND c.loaded_at = $loaded_at AND c.file IN (SELECT unnest($files))"


def store_focus_files(
    con: duckdb.DuckDBPyConnection, files: list[dict[str, Any]], source: str, loaded_at: datetime
) -> int:
    """Store ``files`` (each ``{"path", "format": "csv" | "parquet", "columns": {FOCUS
    column: the file's column}, "header": the file's columns in order, "timestamp_format":
    None or a strptime format}``) as one import; the rows stored."""
    imported = {"source": source, "loaded_at": loaded_at, "files": [str(f["path"]) for f in files]}
    try:
        problems, total = conversion_problems(con, files, parquet=True)
        if problems:
            raise SourceError(refusal(files, problems, total))
        stored_before = con.execute("SELECT EXISTS (SELECT 1 FROM cloud_costs)").fetchall()[0][0]
        inserted = sum(_insert(con, order, file, source, loaded_at) for order, file in enumerate(files))
        problems, total = conversion_problems(con, files, parquet=False)
        more, more_total = row_problems(con, files, IMPORTED, imported)
        if problems or more:
            raise SourceError(refusal(files, problems + more, total + more_total))
        if stored_before:
            _replace_periods(con, imported)
        return inserted
    finally:
        drop_rejects(con, len(files))


def _insert(con: duckdb.DuckDBPyConnection, order: int, file: dict[str, Any], source: str, at: datetime) -> int:
    """Insert one file's rows; how many."""
    relation = _parquet(con, file) if file["format"] == "parquet" else _csv(order, file)
    params = [str(file["path"]), source, at, *relation[1]]
    try:
        con.execute(
            "INSERT INTO cloud_costs SELECT "
            f"{_MONTH}, {_TRIMMED.format(c='s.ProviderName')}, coalesce({_TRIMMED.format(c='s.SubAccountName')}, ''), "
            f"s.ChargePeriodStart, s.ChargePeriodEnd, {_CATEGORY}, s.ServiceName, s.ResourceId, s.BilledCost, "
            f"s.EffectiveCost, upper({_TRIMMED.format(c='s.BillingCurrency')}), nullif(s.Tags, ''), ?, s.line, ?, ? "
            f"FROM ({relation[0]}) AS s",
            params,
        )
        inserted = int(con.fetchall()[0][0])
    except duckdb.Error as exc:  # a file DuckDB's reader cannot read as the header said
        first = str(exc).strip().splitlines()[0]
        raise SourceError(f"{file['path']}: refused, nothing of it stored: cannot be read ({first})") from None
    if file["format"] == "csv":
        _number_lines(con, str(file["path"]), source, at)
    return inserted


def _number_lines(con: duckdb.DuckDBPyConnection, path: str, source: str, at: datetime) -> None:
    """Number a CSV file's rows just inserted by their order (the file's: the insert keeps
    it), 2 for the first after the header; a refused line is not counted (cloud_checks.csv_line
    corrects that). Numbering them during the insert (a window) would make it run on one thread."""
    mine = "source = $source AND loaded_at = $loaded_at AND file = $file"
    con.execute(
        f"UPDATE cloud_costs SET line = rowid - (SELECT min(rowid) FROM cloud_costs WHERE {mine}) + 2 WHERE {mine}",
        {"source": source, "loaded_at": at, "file": path},
    )


def _csv(order: int, file: dict[str, Any]) -> tuple[str, list[Any]]:
    """The file's rows with the FOCUS names (their lines are numbered after the insert,
    _number_lines)."""
    values = ", ".join(
        f"{_quoted(file['columns'][name])} AS {name}" if name in file["columns"] else f"NULL::{kind} AS {name}"
        for name, kind in TYPES.items()
    )
    wanted = {column: TYPES[name] for name, column in file["columns"].items()}
    params: list[Any] = [file["path"], {column: wanted.get(column, "VARCHAR") for column in file["header"]}]
    timestamp = ""
    if file.get("timestamp_format"):
        timestamp = ", timestampformat = ?"
        params.append(file["timestamp_format"])
    sql = (
        f"SELECT {values}, 0 AS line FROM read_csv(?, header = true, columns = ?, "
        "auto_detect = false, delim = ',', quote = '\"', escape = '\"', store_rejects = true, "
        f"rejects_table = '_focus_rejects_{order}', rejects_scan = '_focus_scans_{order}'{timestamp})"
    )
    return sql, params


def _parquet(con: duckdb.DuckDBPyConnection, file: dict[str, Any]) -> tuple[str, list[Any]]:
    kinds = parquet_types(con, file["path"])
    values = []
    for name, kind in TYPES.items():
        column = file["columns"].get(name)
        if column is None:
            values.append(f"NULL::{kind} AS {name}")
        elif name == "Tags" and kinds.get(column, "VARCHAR") != "VARCHAR":
            values.append(f"CAST(to_json({_quoted(column)}) AS VARCHAR) AS {name}")
        elif _SAME_TYPE.get(kinds.get(column, "")) == kind:
            values.append(f"{_quoted(column)} AS {name}")
        else:
            values.append(f"TRY_CAST({_quoted(column)} AS {kind}) AS {name}")
    # numbered by the reader (file_row_number, from 0): a window (row_number() OVER ()) would
    # make the insert run on one thread, about 1.6 s more for 5 million rows on a quiet machine
    sql = f"SELECT {', '.join(values)}, file_row_number + 1 AS line FROM read_parquet(?, file_row_number = true)"
    return sql, [file["path"]]


def parquet_types(con: duckdb.DuckDBPyConnection, path: str) -> dict[str, str]:
    found = con.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))", [path])
    return dict(found.fetchall())


def _replace_periods(con: duckdb.DuckDBPyConnection, imported: dict[str, Any]) -> None:
    """Remove the rows stored before of each (provider, sub-account, month) imported now."""
    con.execute(
        "DELETE FROM cloud_costs USING ("
        f"SELECT DISTINCT c.provider, c.sub_account, c.month FROM cloud_costs AS c WHERE {IMPORTED}) AS p "
        "WHERE cloud_costs.provider = p.provider AND cloud_costs.sub_account = p.sub_account "
        "AND cloud_costs.month = p.month AND NOT (cloud_costs.source = $source AND cloud_costs.loaded_at = $loaded_at "
        "AND cloud_costs.file IN (SELECT unnest($files)))",
        imported,
    )


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
