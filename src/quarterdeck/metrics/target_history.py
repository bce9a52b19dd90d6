"""Each target's value and status per whole month, as the dashboard's tile shows it.

``months_of_target`` computes a target's metric at its scope for every whole month from the
first month of data to the last whole month at the end of the data (``data_end``): the same
reading of the metric's rows as the dashboard tile (``metrics.scorecard``), so a month's
value here is the tile's value with the window ending that month. The status is the target's
colour (``config.targets.judge``) against the target in force when the month is recorded.
A month past the end of the data is still open: it is never computed, nor recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from quarterdeck.config.targets import Target, Targets, judge
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.metrics import MetricQuery, catalog, get_metric
from quarterdeck.metrics.data_end import data_start
from quarterdeck.metrics.scorecard import Scope, TileSpec, Window, compute_tile
from quarterdeck.metrics.tiles import shape_of
from quarterdeck.store import Warehouse
from quarterdeck.store.target_history import MonthRecord, Recorded, record_months, stored_keys


@dataclass(frozen=True)
class DataMonths:
    """The whole months the data covers: from ``first`` to ``last`` (first days), and the
    data's last day (``ends``); ``last`` is None when no month is whole yet."""

    first: date
    last: date | None
    ends: date

    def starts(self) -> list[date]:
        if self.last is None:
            return []
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = next_month(month)
        return months

    @property
    def open_month(self) -> date | None:
        """The month the data ends in when it does not end on its last day (still open)."""
        start = self.ends.replace(day=1)
        return None if self.last == start else start


def next_month(month: date) -> date:
    return (month.replace(day=1) + timedelta(days=32)).replace(day=1)


def month_end(month: date) -> date:
    return next_month(month) - timedelta(days=1)


def last_whole_month(ends: date) -> date | None:
    """The first day of the last month that ``ends`` closes (its own month when it is the
    month's last day, else the month before)."""
    return ends.replace(day=1) if month_end(ends) == ends else (ends.replace(day=1) - timedelta(days=1)).replace(day=1)


def data_months(warehouse: Warehouse, ends: date, timezone: str = "UTC") -> DataMonths:
    """The whole months of the warehouse's data, ending where ``ends`` (``data_end``) says."""
    start = data_start(warehouse, timezone) or ends
    last = last_whole_month(ends)
    first = min(start, ends).replace(day=1)
    return DataMonths(first, last if last is not None and last >= first else None, ends)



def spec_of(name: str) -> TileSpec:
    """How a metric's rows become one number a month: its tile's reading, or the plain one
    its parameters suggest (as the dashboard's metric pages read it)."""
    metric = get_metric(name)
    if metric.tile is not None:
        return metric.tile
    shape = shape_of(metric.parameters)
    return TileSpec(name, "other", shape, reduce="value" if shape != "snapshot" else "max")


def scope_of(target: Target) -> Scope:
    kind, _, ident = target.scope.partition(":")
    return Scope(kind, ident) if ident else Scope()


def monthly_values(
    warehouse: Warehouse, target: Target, months: DataMonths, base: MetricQuery
) -> list[tuple[date, float | str | None]]:
    """The metric's value at the target's scope in each whole month of ``months``."""
    starts = months.starts()
    if not starts or target.metric not in catalog():
        return [(m, None) for m in starts]
    spec, scope = spec_of(target.metric), scope_of(target)
    if spec.shape == "snapshot" or spec.trailing:  # each month's end on its own (a snapshot, or
        # a trailing metric: a month before the data starts must not blank the others)
        return [(m, _value(warehouse, spec, scope, Window(month_end(m), 1), base)) for m in starts]
    window = Window(month_end(starts[-1]), len(starts))
    try:
        tile = compute_tile(warehouse, spec, scope, window, base)
    except QuarterdeckError:  # a metric that cannot be computed here: no value, grey
        return [(m, None) for m in starts]
    found = dict(tile.series)  # empty when the metric has no data of its kind
    return [(m, found.get(m)) for m in starts]


def _value(
    warehouse: Warehouse, spec: TileSpec, scope: Scope, window: Window, base: MetricQuery
) -> float | str | None:
    tile = compute_tile(warehouse, spec, scope, window, base)
    return tile.value if isinstance(tile.value, (int, float, str)) else None


def month_record(target: Target, month: date, value: float | str | None, ends: date) -> MonthRecord:
    number = float(value) if isinstance(value, (int, float)) else None
    hidden = value if isinstance(value, str) else None
    return MonthRecord(
        target.metric, target.scope, month, number, hidden, target.target, target.amber_edge(),
        target.direction, target.owner, target.review, judge(number, target), ends,
    )  # fmt: skip


def record_targets(
    warehouse: Warehouse, targets: Targets, months: DataMonths, base: MetricQuery, at: datetime,
    recompute: bool = False, progress: object = None,
) -> Recorded:  # fmt: skip
    """Compute every target's whole months and store them (a month stored before is kept,
    unless ``recompute``). ``progress(target)``, when given, is called before each target."""
    records, untouched = [], 0
    stored = set() if recompute else stored_keys(warehouse)
    for target in targets:
        if all((target.metric, target.scope, m) in stored for m in months.starts()):
            untouched += len(months.starts())  # every month kept as recorded: nothing to compute
            continue
        if callable(progress):
            progress(target)
        values = monthly_values(warehouse, target, months, base)
        records.extend(month_record(target, month, value, months.ends) for month, value in values)
    done = record_months(warehouse, records, at, recompute)
    return Recorded(done.added, done.kept + untouched, done.replaced)
