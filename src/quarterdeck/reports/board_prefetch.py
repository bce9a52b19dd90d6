"""The pack's metric queries planned and run ahead, into the figures' cache where the section
builders find them: the queries and their results are exactly those the builders would run.

They may run several at a time (``workers``), each on its own cursor of the one read-only
connection. One at a time is the default: measured on the 500-engineer, 3-year simulation
on 2 cores, two at a time took longer (66.7 s against 54.6 s), since one DuckDB query
already keeps both cores busy and two compete for them and for memory.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from quarterdeck.metrics import MetricQuery, get_metric
from quarterdeck.metrics.catalog import Metric
from quarterdeck.reports.board_figures import FigureContext, applies, first_day, has_data, scope_rows, span_query
from quarterdeck.store import Warehouse

#: Queries at once (see above).
WORKERS = 1


def planned_queries(ctx: FigureContext, names: Iterable[str], current_only: Iterable[str] = ()) -> list[Any]:
    """(metric, query) for every query the figures of ``names`` will run (their three quarters,
    or only the pack's own for ``current_only``), less those already done."""
    windows, once = ctx.windows, set(current_only)
    jobs: dict[tuple[str, MetricQuery], Metric] = {}
    for name in dict.fromkeys([*names, *once]):
        metric = get_metric(name)
        if not applies(metric, ctx.unit) or not has_data(ctx, metric):
            continue
        first = first_day(ctx, metric)
        spans = (windows.current,) if name in once else (windows.current, windows.previous, windows.year_ago)
        for span in spans:
            if first is not None and span.end < first:
                continue
            query, _ = span_query(ctx, metric, span)
            if (metric.name, query) not in ctx.cache:
                jobs[(metric.name, query)] = metric
    return [(metric, query) for (_, query), metric in jobs.items()]


def prefetch(ctx: FigureContext, names: Iterable[str], current_only: Iterable[str] = (),
             workers: int | None = None) -> int:  # fmt: skip
    """Run the planned queries ``workers`` (default ``WORKERS``) at a time into ``ctx.cache``;
    how many ran."""
    workers = WORKERS if workers is None else workers
    jobs = planned_queries(ctx, names, current_only)
    local = threading.local()
    cursors: list[Any] = []
    lock = threading.Lock()

    def run(job: tuple[Metric, MetricQuery]) -> None:
        metric, query = job
        if not hasattr(local, "warehouse"):
            cursor = ctx.warehouse.con.cursor()
            with lock:
                cursors.append(cursor)
            local.warehouse = Warehouse(ctx.warehouse.path, cursor, True)
        rows = scope_rows(local.warehouse, ctx.unit, metric, query)
        with lock:
            ctx.cache[(metric.name, query)] = rows

    try:
        with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="board-pack") as pool:
            list(pool.map(run, jobs))
    finally:
        for cursor in cursors:
            cursor.close()
    return len(jobs)
