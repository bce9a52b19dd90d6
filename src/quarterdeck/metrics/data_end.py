"""How far the warehouse's data goes: the day a window ends on when no end is asked for.

Every window without an explicit end (``metrics show`` without ``--until``, the dashboard
without ``until``, ``/org`` and ``org tree``/``org check`` without a date) ends on the
same day: the latest day of any event in the warehouse, in the organization's time zone,
never after today (docs/decisions/0028-windows-end-at-the-end-of-the-data.md). One day for
every metric, so two numbers read side by side are over the same days.
"""

from __future__ import annotations

from datetime import date

from quarterdeck.store import Warehouse

#: Tables whose latest instant (or day) says how far the data goes.
LATEST = (
    ("commits", "committer_time"),
    ("deployments", "finished_at"),
    ("incidents", "created_at"),
    ("pull_requests", "updated_at"),
    ("ci_runs", "finished_at"),
    ("availability_windows", "window_start"),
    ("people_snapshots", "as_of"),
    ("budget_lines", "month"),  # months with actuals (a plan's future months are not data)
    ("company_finance", "month"),
)


def data_end(warehouse: Warehouse, today: date, timezone: str = "UTC") -> date:
    """The latest day the warehouse has data for (LATEST), not after ``today``; ``today``
    when it has none."""
    tables = {r[0] for r in warehouse.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    parts = [_latest_day(table, column) for table, column in LATEST if table in tables]
    if not parts:
        return today
    latest = warehouse.value(f"SELECT max(d) FROM ({' UNION ALL '.join(parts)})", {"timezone": timezone})
    return min(latest, today) if isinstance(latest, date) else today


def _latest_day(table: str, column: str) -> str:
    if column == "as_of":  # already a day
        return f"SELECT max({column}) AS d FROM {table}"
    if column == "month":  # a month's figures: the data goes to its last day
        spent = " WHERE actual IS NOT NULL" if table == "budget_lines" else ""
        return f"SELECT CAST(max(month) + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS d FROM {table}{spent}"
    return f"SELECT CAST(timezone($timezone, max({column})) AS DATE) AS d FROM {table}"


def data_start(warehouse: Warehouse, timezone: str = "UTC") -> date | None:
    """The first day the warehouse has data for (the tables of LATEST), or None when it has none."""
    tables = {r[0] for r in warehouse.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    parts = []
    for table, column in LATEST:
        if table not in tables:
            continue
        day = column if column in ("as_of", "month") else f"CAST(timezone($timezone, {column}) AS DATE)"
        parts.append(f"SELECT min({day}) AS d FROM {table}")
    if not parts:
        return None
    first = warehouse.value(f"SELECT min(d) FROM ({' UNION ALL '.join(parts)})", {"timezone": timezone})
    return first if isinstance(first, date) else None
