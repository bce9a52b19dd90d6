"""How a metric's numbers read, the same in the command line's tables and on the dashboard.

The unit decides: a share (availability, failure rates, attrition...) is a percentage with
two decimals (0.99874 reads 99.87 %), hours and minutes have one decimal, a count reads as a
whole number (3, not 3.00), anything else two decimals below 100 and none above. The
number itself is never rounded where scripts read it (JSON, CSV): only its printing is.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

#: Columns holding a share (0..1) whatever the metric's unit.
SHARE_COLUMNS = frozenset(
    {"availability", "share", "error_budget", "error_budget_remaining", "budget_consumed", "new_hire_share"}
)


def is_share(unit: str) -> bool:
    return unit.startswith("share") or unit.startswith("leavers per")


def column_unit(column: str, metric_unit: str, value_column: str) -> str:
    """The unit of one column of a metric's rows: the metric's own for its value column,
    "share" for a rate or share, "hours"/"minutes" by the column's name, else ""."""
    if column == value_column:
        return metric_unit
    if column in SHARE_COLUMNS or (column.endswith("_rate") and column != "burn_rate"):
        return "share"
    if column.endswith("hours"):
        return "hours"
    if column.endswith("minutes"):
        return "minutes"
    return ""


def format_number(value: Any, unit: str) -> str:
    """A value as a person reads it: 99.87 %, 3.6 h, 1,204; "—" for none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, str):
        return value  # hidden for privacy: "<5"
    if isinstance(value, Decimal):
        value = float(value)
    if is_share(unit):
        return f"{value * 100:.2f} %"
    if unit == "hours":
        return f"{value:,.1f} h" if abs(value) < 1000 else f"{value:,.0f} h"
    if unit == "minutes":
        return f"{value:,.1f} min"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"


def format_cell(value: Any, unit: str) -> str:
    """A table cell of a column in ``unit``: as ``format_number``, blank for none, and the
    unit left to the column's header for hours and minutes (a column of "48.5")."""
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return "" if value is None else str(value)
    if isinstance(value, float) and math.isnan(value):
        return ""
    text = format_number(value, unit)
    return text.removesuffix(" h").removesuffix(" min")
