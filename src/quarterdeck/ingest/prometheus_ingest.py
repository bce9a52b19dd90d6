"""Ingesting SLIs from Prometheus incrementally into the availability windows.

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
- **Order of writes.** Every chunk of both queries is read before anything is written; the
  windows go through the same loader as availability files, then problems and cursor are
  written. A sync that fails half-way stores nothing of that SLI and leaves its cursor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from quarterdeck.config import Settings
from quarterdeck.config.sources import SourceConfig
from quarterdeck.connectors.prometheus import MAX_POINTS, chunks, prometheus_client, range_query, seconds, sums
from quarterdeck.core.errors import ConfigError, SourceError
from quarterdeck.ingest.source_sync import (
    RecordProblem,
    SyncContext,
    SyncResult,
    cursor_before_problems,
    load_delivery_records,
    store_problems,
    stored_cursor,
    write_cursor,
)
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.store import Warehouse

RESOURCE = "availability"
OPTIONS = {"step", "lookback", "max_points"}
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


def sync_prometheus(
    warehouse: Warehouse, settings: Settings, source: SourceConfig, context: SyncContext
) -> list[SyncResult]:
    """Every configured SLI of one Prometheus connection."""
    indicators = slis(source)
    grid = _grid(source)
    with prometheus_client(source.base_url or "", source.token(), on_wait=context.on_wait) as client:
        return [sync_sli(warehouse, settings, client, source.name, sli, grid, context) for sli in indicators]


def slis(source: SourceConfig) -> list[Sli]:
    """The ``slis:`` of a source: ``{service, good, total}`` or ``{service, ratio}``."""
    found: list[Sli] = []
    for entry in source.scopes:
        if not isinstance(entry, dict) or not isinstance(entry.get("service"), str) or not entry["service"].strip():
            raise ConfigError(
                f"{source.where()}: an SLI must be a mapping with 'service:' and its queries, not {entry!r}"
            )
        service, unknown = entry["service"], sorted(set(entry) - SLI_KEYS)
        queries = {k: entry.get(k) for k in ("good", "total", "ratio")}
        if unknown or any(q is not None and not (isinstance(q, str) and q.strip()) for q in queries.values()):
            raise ConfigError(f"{source.where()}: SLI {service!r}: keys are service, good, total, ratio (PromQL text)")
        if bool(queries["ratio"]) == bool(queries["good"] or queries["total"]) or (
            not queries["ratio"] and not (queries["good"] and queries["total"])
        ):
            raise ConfigError(f"{source.where()}: SLI {service!r} needs 'good' and 'total', or 'ratio' alone")
        if service in {s.service for s in found}:
            raise ConfigError(f"{source.where()}: two SLIs are for service {service!r}; give each service one SLI")
        found.append(Sli(service, queries["good"], queries["total"], queries["ratio"]))
    return found


def sync_sli(
    warehouse: Warehouse,
    settings: Settings,
    client: HttpClient,
    source: str,
    sli: Sli,
    grid: Grid,
    context: SyncContext,
) -> SyncResult:
    """Sync the whole windows of one SLI since its cursor."""
    result = SyncResult(source, sli.service, RESOURCE)
    before = stored_cursor(warehouse, source, sli.service, RESOURCE)
    first = _aligned(_start(before, context, grid), grid.step)
    last = math.floor(context.loaded_at.timestamp() / grid.step) * grid.step - grid.step
    result.cursor = before
    if first > last:
        return result
    reading = read_windows(client, source, sli, first, last, grid)
    result.read = len(reading.records) + len(reading.problems)
    result.requests = client.requests
    context.progress(f"Prometheus {sli.service} windows", result.read)
    load_delivery_records(warehouse, settings, "availability", reading.records, result)
    held = bool(result.problems)  # the loader refused a window (it does not say which): keep the cursor
    result.problems = reading.problems + result.problems
    newest = None if held else cursor_before_problems(reading.newest_end, reading.problems)
    with warehouse.transaction():
        store_problems(warehouse, source, sli.service, RESOURCE, result.problems, context.loaded_at)
        if newest is not None and (before is None or newest > datetime.fromisoformat(before)):
            result.cursor = newest.isoformat()
            write_cursor(warehouse, source, sli.service, RESOURCE, result.cursor, context.loaded_at)
    return result


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
                raise SourceError(f"{exc} (SLI of service {sli.service}, {name} query)") from None
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


def _grid(source: SourceConfig) -> Grid:
    unknown = sorted(set(source.options) - OPTIONS)
    if unknown:
        raise ConfigError(
            f"{source.where()}: unknown option(s) {', '.join(unknown)} (known: {', '.join(sorted(OPTIONS))})"
        )
    try:
        step = seconds(source.options.get("step", "5m"))
        lookback = seconds(source.options.get("lookback", "30d"))
    except ValueError as exc:
        raise ConfigError(f"{source.where()}: 'step' and 'lookback': {exc}") from None
    max_points = source.options.get("max_points", MAX_POINTS)
    if not isinstance(max_points, int) or isinstance(max_points, bool) or not 2 <= max_points <= MAX_POINTS:
        raise ConfigError(f"{source.where()}: 'max_points' must be a whole number from 2 to {MAX_POINTS}")
    return Grid(step, lookback, max_points)
