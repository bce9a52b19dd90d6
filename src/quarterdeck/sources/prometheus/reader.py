"""Reading SLIs from Prometheus incrementally, as availability windows.

- **Windows.** Each SLI is read at ``step`` (5 minutes by default) on a grid aligned to the
  Unix epoch, so windows are the same from one sync to the next: the point at ``t`` becomes
  the window [t, t + step), good and total being the sums over the answer's series (for a
  ratio query: good = the ratios summed, total = the number of series, so a single series
  gives good = ratio, total = 1). A time at which either query has no point is a gap, not
  a window. Only whole windows that ended before the sync started are read.
- **Cursor** per SLI: the end of the last window stored. A first sync starts at ``--since``
  (or the source's ``since``), else ``lookback`` (30 days) before now.
- **Bad values.** A window whose value is NaN or infinite, or whose good count is negative
  or above total, is reported with the service and the time; the others are stored, and the
  cursor stops at the first window not stored, so the next sync asks for it again.
- **Units.** One per SLI, its scope the service. Every chunk of both queries is read
  before anything is stored; the pipeline passes the windows through the same loader as
  availability files, then stores problems and cursor. A reading that fails half-way stores
  nothing of that SLI and leaves its cursor; refused credentials (401) stop the source.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from quarterdeck.core.errors import ConfigError, SourceError
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.prometheus import SOURCE
from quarterdeck.sources.prometheus.api import chunks, prometheus_client, range_query, sums
from quarterdeck.sources.prometheus.durations import seconds
from quarterdeck.sources.reading import (
    Batch,
    Connection,
    Delivery,
    RecordProblem,
    StoredState,
    SyncContext,
    SyncResult,
    Unit,
    cursor_before_problems,
)

RESOURCE = "availability"
SLI_KEYS = {"service", "good", "total", "ratio"}


@dataclass(frozen=True)
class Sli:
    """One service's indicator: PromQL for good and total events, or for their ratio."""

    service: str
    good: str | None = None
    total: str | None = None
    ratio: str | None = None


@dataclass(frozen=True)
class Grid:
    """How an SLI is read: the window length, the first sync's reach, points per request."""

    step: int
    lookback: int
    max_points: int


@dataclass(frozen=True)
class Reading:
    """The windows read for one SLI, and those that could not be made."""

    records: list[dict[str, Any]]
    problems: list[RecordProblem]
    newest_end: datetime | None


@contextmanager
def read_prometheus(connection: Connection) -> Iterator[Iterator[Unit]]:
    """Every configured SLI of one Prometheus connection, one unit each."""
    config = connection.config
    indicators = slis(config.scopes, config.where())
    options = {**SOURCE.defaults(), **config.options}
    grid = Grid(seconds(options["step"]), seconds(options["lookback"]), options["max_points"])
    with prometheus_client(config.base_url or "", config.token(), on_wait=connection.context.on_wait) as client:
        yield (
            Unit(sli.service, (RESOURCE,), partial(read_sli, client, config.name, sli, grid, connection.context))
            for sli in indicators
        )


def slis(entries: tuple[Any, ...], where: str) -> list[Sli]:
    """The ``slis:`` of a source: ``{service, good, total}`` or ``{service, ratio}``."""
    found: list[Sli] = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("service"), str) or not entry["service"].strip():
            raise ConfigError(f"{where}: an SLI must be a mapping with 'service:' and its queries, not {entry!r}")
        service, unknown = entry["service"], sorted(set(entry) - SLI_KEYS)
        queries = {k: entry.get(k) for k in ("good", "total", "ratio")}
        if unknown or any(q is not None and not (isinstance(q, str) and q.strip()) for q in queries.values()):
            raise ConfigError(f"{where}: SLI {service!r}: keys are service, good, total, ratio (PromQL text)")
        if bool(queries["ratio"]) == bool(queries["good"] or queries["total"]) or (
            not queries["ratio"] and not (queries["good"] and queries["total"])
        ):
            raise ConfigError(f"{where}: SLI {service!r} needs 'good' and 'total', or 'ratio' alone")
        if service in {s.service for s in found}:
            raise ConfigError(f"{where}: two SLIs are for service {service!r}; give each service one SLI")
        found.append(Sli(service, queries["good"], queries["total"], queries["ratio"]))
    return found


def read_sli(client: HttpClient, source: str, sli: Sli, grid: Grid, context: SyncContext, state: StoredState) -> Batch:
    """The whole windows of one SLI since its cursor."""
    result = SyncResult(source, sli.service, RESOURCE)
    before = state.cursor(RESOURCE)
    first = _aligned(_start(before, context, grid), grid.step)
    last = math.floor(context.loaded_at.timestamp() / grid.step) * grid.step - grid.step
    result.cursor = before
    if first > last:
        return Batch([result])
    reading = read_windows(client, source, sli, first, last, grid)
    result.read = len(reading.records) + len(reading.problems)
    result.requests = client.requests
    context.progress(f"Prometheus {sli.service} windows", result.read)

    def after_delivery(batch: Batch) -> None:
        held = bool(result.problems)  # the loader refused a window (it does not say which): keep the cursor
        result.problems = reading.problems + result.problems
        newest = None if held else cursor_before_problems(reading.newest_end, reading.problems)
        batch.problems[RESOURCE] = list(result.problems)
        if newest is not None and (before is None or newest > datetime.fromisoformat(before)):
            result.cursor = batch.cursors[RESOURCE] = newest.isoformat()

    return Batch([result], delivery=[Delivery(RESOURCE, reading.records, result)], after_delivery=after_delivery)


def read_windows(client: HttpClient, source: str, sli: Sli, first: int, last: int, grid: Grid) -> Reading:
    """The windows starting at ``first`` ... ``last``, from every chunk of the SLI's queries."""
    names = ("ratio",) if sli.ratio else ("good", "total")
    series: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for start, end in chunks(first, last, grid.step, grid.max_points):
        for name in names:
            query = getattr(sli, name)
            try:
                series[name] += range_query(client, query, start, end, grid.step)
            except SourceError as exc:
                raise type(exc)(f"{exc} (SLI of service {sli.service}, {name} query)") from None
    if sli.ratio:
        ratios, count, bad = sums(series["ratio"])
        units = {at: float(n) for at, n in count.items()}  # each series counts as one
        return _windows(source, sli.service, grid.step, (ratios, bad, "ratio"), (units, bad, "ratio"))
    good, _, bad_good = sums(series["good"])
    total, _, bad_total = sums(series["total"])
    return _windows(source, sli.service, grid.step, (good, bad_good, "good"), (total, bad_total, "total"))


def _windows(
    source: str,
    service: str,
    step: int,
    good: tuple[dict[int, float], dict[int, str], str],
    total: tuple[dict[int, float], dict[int, str], str],
) -> Reading:
    """Windows where both good and total have a point; a time with a bad value is a problem."""
    (good_at, good_bad, good_name), (total_at, total_bad, total_name) = good, total
    times = (set(good_at) | set(good_bad)) & (set(total_at) | set(total_bad))
    records, problems, newest = [], [], None
    for at in sorted(times):
        start = datetime.fromtimestamp(at, UTC)
        why = _problem(at, good_at, good_bad, good_name, total_at, total_bad, total_name)
        if why:
            problems.append(RecordProblem(source, service, RESOURCE, start.isoformat(), why, start))
            continue
        end = start + timedelta(seconds=step)
        records.append(
            {
                "service": service,
                "window_start": start.isoformat(),
                "window_end": end.isoformat(),
                "good": repr(good_at[at]),
                "total": repr(total_at[at]),
            }
        )
        newest = end
    return Reading(records, problems, newest)


def _problem(
    at: int,
    good_at: dict[int, float],
    good_bad: dict[int, str],
    good_name: str,
    total_at: dict[int, float],
    total_bad: dict[int, str],
    total_name: str,
) -> str | None:
    """What is wrong with the window at ``at``, or None."""
    for name, bad in ((good_name, good_bad), (total_name, total_bad)):
        if at in bad:
            return f"the {name} query gave {bad[at]!r}, not a finite number"
    if good_at[at] < 0 or total_at[at] < 0:
        return f"a count is negative (good {good_at[at]:g}, total {total_at[at]:g})"
    if good_at[at] > total_at[at]:
        return f"good {good_at[at]:g} is above total {total_at[at]:g}"
    return None


def _start(before: str | None, context: SyncContext, grid: Grid) -> float:
    if before:
        return datetime.fromisoformat(before).timestamp()
    if context.since is not None:
        return context.since.timestamp()
    return context.loaded_at.timestamp() - grid.lookback


def _aligned(moment: float, step: int) -> int:
    """The first time on the step's grid at or after ``moment``."""
    return math.ceil(moment / step) * step
