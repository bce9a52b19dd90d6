"""Writing and reading ``target_history``: each target's value and status per month.

A month once recorded keeps its row (the bar that was in force then) unless the caller asks
to recompute it; the writes of one recording land together or not at all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from quarterdeck.store.warehouse import Warehouse

COLUMNS = (
    "metric", "scope", "month", "value", "hidden", "target", "amber_edge", "direction", "owner", "review",
    "status", "data_end", "recorded_at",
)  # fmt: skip


@dataclass(frozen=True)
class MonthRecord:
    """One target's month: the value, and the bar and status in force when it was recorded."""

    metric: str
    scope: str
    month: date
    value: float | None
    hidden: str | None
    target: float
    amber_edge: float
    direction: str
    owner: str
    review: str
    status: str
    data_end: date
    recorded_at: datetime | None = None


@dataclass(frozen=True)
class Recorded:
    """What one recording did: months written for the first time, kept as they were, rewritten."""

    added: int = 0
    kept: int = 0
    replaced: int = 0


def record_months(warehouse: Warehouse, records: Sequence[MonthRecord], at: datetime, recompute: bool) -> Recorded:
    """Store ``records``: a month already stored is kept, or replaced with ``recompute``."""
    stored = stored_keys(warehouse)
    fresh = [r for r in records if (r.metric, r.scope, r.month) not in stored]
    again = [r for r in records if (r.metric, r.scope, r.month) in stored] if recompute else []
    marks = ", ".join("?" for _ in COLUMNS)
    with warehouse.transaction() as con:
        for record in again:
            con.execute(
                "DELETE FROM target_history WHERE metric = ? AND scope = ? AND month = ?",
                [record.metric, record.scope, record.month],
            )
        rows = [_row(r, at) for r in [*again, *fresh]]
        if rows:
            con.executemany(f"INSERT INTO target_history ({', '.join(COLUMNS)}) VALUES ({marks})", rows)
    return Recorded(len(fresh), len(records) - len(fresh) - len(again), len(again))


def _row(record: MonthRecord, at: datetime) -> list[object]:
    return [
        record.metric, record.scope, record.month, record.value, record.hidden, record.target, record.amber_edge,
        record.direction, record.owner, record.review, record.status, record.data_end, at,
    ]  # fmt: skip


def stored_keys(warehouse: Warehouse) -> set[tuple[str, str, date]]:
    rows = warehouse.con.execute("SELECT metric, scope, month FROM target_history").fetchall()
    return {(r[0], r[1], r[2]) for r in rows}


def read_history(warehouse: Warehouse, metric: str | None = None, scope: str | None = None) -> list[MonthRecord]:
    """The stored months (of one metric, and scope, when given), by metric, scope and month."""
    where, params = [], []
    for column, value in (("metric", metric), ("scope", scope)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    sql = f"SELECT {', '.join(COLUMNS)} FROM target_history"
    sql += f" WHERE {' AND '.join(where)}" if where else ""
    rows = warehouse.con.execute(sql + " ORDER BY metric, scope, month", params).fetchall()
    return [MonthRecord(*row) for row in rows]
