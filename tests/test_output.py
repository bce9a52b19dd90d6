"""Table output: one line per row when it fits the terminal, one block per row when it does not."""

from __future__ import annotations

import io

from rich.console import Console

from quarterdeck.cli.output import emit

COLUMNS = ("date", "group", "leavers", "attrition_rate")
ROWS = [("2025-12-31", "payments", 3, 0.2345), ("2025-12-31", "search", None, 0.0)]


def render(width: int) -> list[str]:
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None)
    emit(COLUMNS, ROWS, "table", title="Attrition rate", console=console)
    return [line.rstrip() for line in out.getvalue().splitlines()]


def test_a_table_that_fits_has_one_line_per_row():
    lines = render(80)
    assert lines[0] == "Attrition rate"
    # title, top border, header, separator, two rows, bottom border
    assert len(lines) == 7
    assert lines[4].split("│")[1:-1] == [" 2025-12-31 ", " payments ", " 3       ", " 0.23           "]
    assert lines[5].split("│")[1:-1] == [" 2025-12-31 ", " search   ", "         ", " 0.00           "]


def test_a_table_wider_than_the_terminal_prints_a_block_per_row():
    lines = render(40)
    assert lines == [
        "Attrition rate",
        "row 1 of 2 ─────────────────────────────",
        "date            2025-12-31",
        "group           payments",
        "leavers         3",
        "attrition_rate  0.23",
        "row 2 of 2 ─────────────────────────────",
        "date            2025-12-31",
        "group           search",
        "leavers",
        "attrition_rate  0.00",
    ]
