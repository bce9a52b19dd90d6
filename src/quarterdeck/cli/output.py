"""Printing result sets as a table for people, or JSON / CSV for scripts."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table

from quarterdeck.core.formats import format_cell


def plain(value: Any) -> Any:
    """A JSON-friendly version of a value from the warehouse."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def cell(value: Any, unit: str | None = None) -> str:
    """A table cell: readable numbers and dates, blank for missing values; a number of a
    column whose ``unit`` is known as ``core.formats`` writes it (99.87 %, 48.5, 12)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if unit is not None and isinstance(value, (int, float, Decimal)):
        return format_cell(value, unit)
    if isinstance(value, (float, Decimal)):
        return f"{value:,.2f}" if abs(value) < 1e15 else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (list, tuple)):
        return ", ".join(cell(v) for v in value)
    return str(value)


def emit(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    output_format: str,
    *,
    title: str | None = None,
    meta: dict[str, Any] | None = None,
    console: Console | None = None,
    units: Sequence[str] | None = None,
    note: str | None = None,
) -> None:
    """Print rows in the chosen format. JSON carries ``meta`` next to the rows; a table
    prints each column's numbers in its ``units`` (when given) and ends with ``note``."""
    if output_format == "json":
        records = [dict(zip(columns, (plain(v) for v in row), strict=True)) for row in rows]
        payload: Any = {**plain(meta), "rows": records} if meta is not None else records
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return
    if output_format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else plain(v) for v in row])
        return
    console = console or Console()
    shown_units = units or [None] * len(columns)
    cells = [[cell(v, u) for v, u in zip(row, shown_units, strict=True)] for row in rows]
    if rows and _natural_width(columns, cells) > console.width:
        _print_records(console, columns, cells, title)
    else:
        _print_table(console, columns, cells, title)
    if note:
        console.print(note, markup=False, highlight=False)


def _print_table(console: Console, columns: Sequence[str], cells: Sequence[Sequence[str]], title: str | None) -> None:
    table = Table(title=title, title_justify="left", header_style="bold")
    for name in columns:
        table.add_column(name, overflow="fold")
    for row in cells:
        table.add_row(*row)
    console.print(table)
    if not cells:
        console.print("[dim](no rows)[/dim]")


def _natural_width(columns: Sequence[str], cells: Sequence[Sequence[str]]) -> int:
    """Characters a table needs to show every header and cell on one line (borders included)."""
    widths = [len(name) for name in columns]
    for row in cells:
        widths = [max(w, len(text)) for w, text in zip(widths, row, strict=True)]
    return sum(widths) + 3 * len(columns) + 1


def _print_records(console: Console, columns: Sequence[str], cells: Sequence[Sequence[str]], title: str | None) -> None:
    """Rows too wide for the terminal, one block per row: a column name and its value per line
    (widen the terminal, or use --format csv/json, for one line per row)."""
    if title:
        console.print(title, markup=False, highlight=False)
    for number, row in enumerate(cells, start=1):
        console.rule(f"row {number} of {len(cells)}", align="left", style="dim")
        block = Table.grid(padding=(0, 2))
        block.add_column(style="bold", no_wrap=True)
        block.add_column(overflow="fold")
        for name, text in zip(columns, row, strict=True):
            block.add_row(name, text)
        console.print(block)
