"""The checks of a FOCUS import (:mod:`quarterdeck.store.cloud_writes`), in SQL.

- conversion problems: a value that is not an amount or a date and time (CSV: the lines
  DuckDB's reader refused, kept by ``store_rejects``; Parquet: values ``TRY_CAST`` cannot
  convert), and CSV lines that do not have one value per column of the header;
- row problems, on the rows inserted (in the import's transaction, rolled back when there is
  any): missing values, a currency that is not 3 letters, an unknown charge category,
  a negative amount on a row that is not a credit or an adjustment, a charge period
  ending before it starts, tags that are not a JSON object.

Each problem is ``(file order, line, FOCUS column, message)``; the line is the CSV file's
line (1 = the header) or the Parquet row number (1 = the first row).
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

import duckdb

#: How many problems a refusal lists (the rest are counted).
SHOWN = 10
CATEGORIES = ("Usage", "Purchase", "Tax", "Credit", "Adjustment")
AMOUNT = "an amount such as 12.50"
MOMENT = "a date and time such as 2026-01-01T00:00:00Z"
_EXPECTED = {"BilledCost": AMOUNT, "EffectiveCost": AMOUNT, "ChargePeriodStart": MOMENT, "ChargePeriodEnd": MOMENT}
_COUNT = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")

Problem = tuple[int, int, str, str]


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quoted_value(column: str) -> str:
    return "'''' || CAST(c." + column + " AS VARCHAR) || ''''"


def _negative(column: str, name: str) -> tuple[str, str, str]:
    return (
        f"c.{column} < 0 AND coalesce(c.charge_category NOT IN ('Credit', 'Adjustment'), true)",
        name,
        f"CAST(c.{column} AS VARCHAR) || ' is negative: only a Credit or Adjustment row may be (ChargeCategory is ' "
        "|| coalesce(c.charge_category, 'empty') || ')'",
    )


#: (condition on a stored row ``c``, FOCUS column, SQL of the message).
ROW_CHECKS: tuple[tuple[str, str, str], ...] = (
    ("c.billed_cost IS NULL", "BilledCost", _sql_text(f"missing: expected {AMOUNT}")),
    ("c.effective_cost IS NULL", "EffectiveCost", _sql_text(f"missing: expected {AMOUNT}")),
    (
        "c.currency IS NULL OR NOT regexp_full_match(c.currency, '[A-Z]{3}')",
        "BillingCurrency",
        f"coalesce({_quoted_value('currency')} || ': expected', 'missing: expected') "
        "|| ' a 3-letter ISO 4217 currency code, such as USD'",
    ),
    ("c.charge_period_start IS NULL", "ChargePeriodStart", _sql_text(f"missing: expected {MOMENT}")),
    ("c.charge_period_end IS NULL", "ChargePeriodEnd", _sql_text(f"missing: expected {MOMENT}")),
    (
        "c.charge_period_end < c.charge_period_start",
        "ChargePeriodEnd",
        "strftime(c.charge_period_end, '%Y-%m-%dT%H:%M:%SZ') || ' is before ChargePeriodStart ' "
        "|| strftime(c.charge_period_start, '%Y-%m-%dT%H:%M:%SZ') || ': expected an end at or after the start'",
    ),
    (
        f"c.charge_category IS NULL OR c.charge_category NOT IN ({', '.join(_sql_text(c) for c in CATEGORIES)})",
        "ChargeCategory",
        f"coalesce({_quoted_value('charge_category')} || ': expected', 'missing: expected') "
        f"|| ' one of {', '.join(CATEGORIES)}'",
    ),
    _negative("billed_cost", "BilledCost"),
    _negative("effective_cost", "EffectiveCost"),
    ("c.provider IS NULL OR c.provider = ''", "ProviderName", _sql_text("missing: expected the provider's name")),
    (
        "c.tags IS NOT NULL AND NOT (CASE WHEN json_valid(c.tags) THEN json_type(c.tags) = 'OBJECT' ELSE false END)",
        "Tags",
        f"{_quoted_value('tags')} || ': expected a JSON object of tag -> value, such as {{\"team\": \"payments\"}}'",
    ),
)  # fmt: skip


def row_problems(
    con: duckdb.DuckDBPyConnection, files: Sequence[dict[str, Any]], imported: str, params: dict[str, Any]
) -> tuple[list[Problem], int]:
    """The first problems of the rows just inserted (``imported``: the condition naming
    them) by file and line, and how many there are."""
    bad = " OR ".join(f"coalesce({condition}, false)" for condition, _, _ in ROW_CHECKS)
    listed = ", ".join(
        f"CASE WHEN coalesce({condition}, false) THEN {{'column': {_sql_text(column)}, 'message': {message}}} END"
        for condition, column, message in ROW_CHECKS
    )
    rows = f"FROM cloud_costs AS c WHERE {imported} AND ({bad})"
    total = con.execute(
        f"SELECT coalesce(sum(len(list_filter([{listed}], lambda p: p IS NOT NULL))), 0) {rows}", params
    ).fetchall()[0][0]
    if not total:
        return [], 0
    found = con.execute(
        f"SELECT c.file, c.line, list_filter([{listed}], lambda p: p IS NOT NULL) {rows} ORDER BY c.file, c.line "
        f"LIMIT {SHOWN}",
        params,
    ).fetchall()
    order = {str(file["path"]): i for i, file in enumerate(files)}
    problems = []
    for path, line, listed_problems in found:
        index = order[path]
        if files[index]["format"] == "csv":
            line = csv_line(line - 2, _rejected_lines(con, index))
        problems += [(index, line, p["column"], p["message"]) for p in listed_problems]
    return problems, int(total)


def csv_line(index: int, rejected: Sequence[int]) -> int:
    """The file line of the ``index``-th (from 0) row the reader kept, the lines it
    refused (``rejected``, sorted) not counted."""
    line = index + 2
    while True:
        moved = index + 2 + bisect_right(rejected, line)
        if moved == line:
            return line
        line = moved


def conversion_problems(
    con: duckdb.DuckDBPyConnection, files: Sequence[dict[str, Any]], parquet: bool
) -> tuple[list[Problem], int]:
    """Values that are not what their column holds: in the Parquet files (read now) or in
    the CSV files (the lines their staging refused)."""
    problems: list[Problem] = []
    total = 0
    for order, file in enumerate(files):
        if (file["format"] == "parquet") != parquet:
            continue
        found, count = _parquet_conversions(con, order, file) if parquet else _csv_rejects(con, order, file)
        problems += found
        total += count
    return problems, total


def _csv_rejects(con: duckdb.DuckDBPyConnection, order: int, file: dict[str, Any]) -> tuple[list[Problem], int]:
    table = f"_focus_rejects_{order}"
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [table]).fetchall()[0][0]:
        return [], 0
    total = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    rows = con.execute(
        f"SELECT line, column_idx, column_name, error_type, csv_line, error_message FROM {table} "
        f"ORDER BY line LIMIT {SHOWN}"
    ).fetchall()
    focus = {column: name for name, column in file["columns"].items()}
    return [_reject(order, focus, file, *row) for row in rows], int(total)


def _reject(
    order: int, focus: dict[str, str], file: dict[str, Any], line: int, index: int, column: str | None,
    kind: str, text: str, message: str,
) -> Problem:  # fmt: skip
    if kind == "CAST" and column is not None:
        name = focus.get(column, column)
        values = next(csv.reader([text]), [])
        value = values[index - 1] if 0 < index <= len(values) else ""
        expected = _EXPECTED.get(name, "a value")
        if name in ("ChargePeriodStart", "ChargePeriodEnd") and file.get("timestamp_format"):
            expected = f"a date and time as {file['timestamp_format']}"
        return order, line, name, f"{value!r}: expected {expected}"
    counted = _COUNT.search(message)
    if counted:
        return order, line, "", f"{counted[2]} values: expected {counted[1]}, one per column of the header"
    return order, line, "", f"cannot be read as CSV: {message}"


def _parquet_conversions(con: duckdb.DuckDBPyConnection, order: int, file: dict[str, Any]) -> tuple[list[Problem], int]:
    kinds = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))",
                             [file["path"]]).fetchall())  # fmt: skip
    checked = [
        (name, file["columns"][name]) for name in _EXPECTED
        if name in file["columns"] and kinds.get(file["columns"][name]) == "VARCHAR"
    ]  # fmt: skip
    types = {"BilledCost": "DECIMAL(18, 6)", "EffectiveCost": "DECIMAL(18, 6)"}
    fails = [
        (name, f'"{column}" IS NOT NULL AND TRY_CAST("{column}" AS {types.get(name, "TIMESTAMPTZ")}) IS NULL', column)
        for name, column in checked
    ]
    if not fails:
        return [], 0
    listed = ", ".join(
        f"CASE WHEN {fail} THEN {{'column': {_sql_text(name)}, 'value': CAST(\"{column}\" AS VARCHAR)}} END"
        for name, fail, column in fails
    )
    relation = f"(SELECT file_row_number + 1 AS row_number, list_filter([{listed}], lambda p: p IS NOT NULL) AS found "
    relation += "FROM read_parquet(?, file_row_number = true)) WHERE len(found) > 0"
    total = con.execute(f"SELECT coalesce(sum(len(found)), 0) FROM {relation}", [file["path"]]).fetchall()[0][0]
    rows = con.execute(f"SELECT row_number, found FROM {relation} ORDER BY row_number LIMIT {SHOWN}",
                       [file["path"]]).fetchall()  # fmt: skip
    problems = [(order, row, p["column"], f"{p['value']!r}: expected {_EXPECTED[p['column']]}")
                for row, found in rows for p in found]  # fmt: skip
    return problems, int(total)


def _rejected_lines(con: duckdb.DuckDBPyConnection, order: int) -> list[int]:
    table = f"_focus_rejects_{order}"
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [table]).fetchall()[0][0]:
        return []
    return [int(r[0]) for r in con.execute(f"SELECT DISTINCT line FROM {table} ORDER BY line").fetchall()]


def drop_rejects(con: duckdb.DuckDBPyConnection, count: int) -> None:
    """Drop the tables of refused CSV lines (an aborted transaction's rollback drops them)."""
    try:
        for order in range(count):
            con.execute(f"DROP TABLE IF EXISTS _focus_rejects_{order}")
            con.execute(f"DROP TABLE IF EXISTS _focus_scans_{order}")
    except duckdb.TransactionException:
        pass


def refusal(files: Sequence[dict[str, Any]], problems: list[Problem], total: int) -> str:
    """The files refused, with their first problems (file:line: column: message each)."""
    problems = sorted(problems, key=lambda p: (p[0], p[1]))
    shown = "\n".join(
        f"  {files[order]['path']}:{line}:{f' {column}:' if column else ''} {message}"
        for order, line, column, message in problems[:SHOWN]
    )
    rest = f"\n  ... and {total - min(len(problems), SHOWN)} more" if total > min(len(problems), SHOWN) else ""
    what = (
        str(files[0]["path"]) if len(files) == 1 else f"{len(files)} files ({', '.join(str(f['path']) for f in files)})"
    )
    return f"{what} refused, nothing of it stored ({total} problem(s)):\n{shown}{rest}"
