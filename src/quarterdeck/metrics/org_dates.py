"""The dates an organization metric is evaluated on.

A point-in-time metric is evaluated on one date (``--at``, default today). A series
(``--since``/``--until``) gives one value per month, on each month's last day (the last one
on ``--until`` itself when it falls mid-month). Each date comes with the start of the
window that rates such as attrition are measured over: the 365 days up to a point date,
or the month for a series.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from quarterdeck.core.errors import MetricError


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def evaluation_dates(at: date | None, since: date | None, until: date | None, today: date) -> list[tuple[date, date]]:
    """(date, window start) pairs, oldest first."""
    if at is not None and (since is not None or until is not None):
        raise MetricError("give --at for one date, or --since/--until for a monthly series, not both")
    if since is None and until is None:
        point = at or today
        return [(point, point - timedelta(days=364))]
    end = until or today
    start = since or end.replace(day=1)
    if start > end:
        raise MetricError(f"--since {start} is after --until {end}")
    pairs = []
    current = month_end(start)
    while current < end:
        pairs.append((current, max(current.replace(day=1), start)))
        current = month_end(current + timedelta(days=1))
    pairs.append((end, max(end.replace(day=1), start)))
    return pairs
