"""The metric summary: the first screen a leader reads, built only from catalog metrics."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from quarterdeck.core.clock import today
from quarterdeck.metrics.catalog import get_metric
from quarterdeck.metrics.data_end import data_end
from quarterdeck.metrics.query import MetricQuery, MetricResult, run_metric
from quarterdeck.store import Warehouse

RECENT_WEEKS = 12
OLD_CODE_BANDS = ("1-2 years", "2-4 years", "4 years or more")


@dataclass
class RepositorySummary:
    repository: str
    commits: int = 0
    churn: int = 0
    bus_factor: int | None = None
    lines: int = 0
    old_code_share: float | None = None


@dataclass
class Summary:
    until: date
    recent_since: date
    year_since: date
    weekly_contributors: list[tuple[date, int]]
    repositories: list[RepositorySummary]
    hotspots: MetricResult
    sources: dict[str, str] = field(default_factory=dict)


def summarize(warehouse: Warehouse, base: MetricQuery, hotspot_count: int = 5) -> Summary:
    """Recent activity, knowledge risk and code age per repository, plus the top hotspots."""
    until = base.until or data_end(warehouse, today(), base.timezone)  # without --until: where the data ends
    recent_since = until - timedelta(weeks=RECENT_WEEKS) + timedelta(days=1)
    year_since = until - timedelta(days=364)
    recent = _with(base, since=recent_since, until=until)
    year = _with(base, since=year_since, until=until)
    contributors = run_metric(warehouse, get_metric("active_contributors"), recent)
    repos: dict[str, RepositorySummary] = {}
    for row in _records(run_metric(warehouse, get_metric("commits"), recent)):
        _repo(repos, row).commits += row["commits"]
    for row in _records(run_metric(warehouse, get_metric("churn"), recent)):
        _repo(repos, row).churn += row["churn"]
    for row in _records(run_metric(warehouse, get_metric("bus_factor"), year)):
        _repo(repos, row).bus_factor = row["bus_factor"]
    old: dict[str, int] = {}
    for row in _records(run_metric(warehouse, get_metric("code_age"), _with(base, until=until))):
        summary = _repo(repos, row)
        summary.lines += row["lines"]
        if row["age_band"] in OLD_CODE_BANDS:
            old[summary.repository] = old.get(summary.repository, 0) + row["lines"]
    for summary in repos.values():
        if summary.lines:
            summary.old_code_share = old.get(summary.repository, 0) / summary.lines
    hotspots = run_metric(warehouse, get_metric("hotspots"), _with(year, limit=hotspot_count))
    return Summary(
        until=until,
        recent_since=recent_since,
        year_since=year_since,
        weekly_contributors=[(r[0], r[1]) for r in contributors.rows],
        repositories=sorted(repos.values(), key=lambda s: s.repository),
        hotspots=hotspots,
    )


def _with(base: MetricQuery, **changes: Any) -> MetricQuery:
    values = {**base.__dict__, **changes}
    return MetricQuery(**values)


def _records(result: MetricResult) -> list[dict[str, Any]]:
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def _repo(repos: dict[str, RepositorySummary], row: dict[str, Any]) -> RepositorySummary:
    name = row["repository"]
    if name not in repos:
        repos[name] = RepositorySummary(name)
    return repos[name]
