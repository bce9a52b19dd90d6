"""The org scorecard: the tiles of the dashboard's overview, computed with the metric queries.

The tiles are the metrics whose definition header declares one (``-- tile: AREA`` and the
``tile_*`` keys, ``metrics.tiles``): a metric joins the overview with no Python change.
Each tile is one metric of one area (delivery, reliability, waiting, entropy, people), for
one scope (the organization, or one unit, team, service or repository), over a window of
whole months ending on the ``until`` day: its value in the last month of the window, the
month before, a monthly series for the sparkline, and the colour its target gives it. The metrics are the same
queries ``quarterdeck metrics show`` runs; a tile only says how to read their rows:

- ``period``: one row per group and ``period_start`` (``--grain month``), the metric's value
  column read as it is, or summed over rows of the same month (incidents by severity), or
  good over total (availability of several kinds);
- ``date``: organization metrics evaluated at each month end (``date``);
- ``snapshot``: metrics of repositories or files, no series: the count of rows at or below a
  threshold (repositories whose bus factor is 1), or the largest value (the top hotspot).

A metric that cannot be computed (no data of its kind yet) gives a tile with no value and a
reason, never an error page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from quarterdeck.core.errors import MetricError, QuarterdeckError
from quarterdeck.metrics import MetricQuery, catalog, get_metric, run_metric
from quarterdeck.metrics.money import number
from quarterdeck.metrics.tiles import AREAS, TileSpec

__all__ = ["AREAS", "AREA_TITLES", "Scope", "Tile", "TileSpec", "Window", "compute_tile", "compute_tiles", "tiles"]
from quarterdeck.store import Warehouse

AREA_TITLES = {
    "delivery": "Delivery",
    "reliability": "Reliability",
    "waiting": "Waiting",
    "entropy": "Entropy",
    "people": "People",
    "money": "Money",
}


def tiles() -> tuple[TileSpec, ...]:
    """The overview's tiles: each metric whose definition declares one (``-- tile: AREA``),
    by area (in the order of ``AREAS``), then by ``tile_order``, then by name. Not the money
    area's: money figures are for admins and leaders (issue 16), not the overview."""
    declared = [m.tile for m in catalog().values() if m.tile is not None and m.tile.area != "money"]
    return tuple(sorted(declared, key=lambda t: (AREAS.index(t.area), t.order, t.metric)))


SCOPE_KINDS = ("unit", "team", "service", "repository")


@dataclass(frozen=True)
class Scope:
    """What a tile is about: the organization, or one unit (it and everything under it), team,
    service or repository (``kind`` and its ``id``: a unit, team or service id, a repository
    name). A unit's numbers are the metric's ``--by unit --unit ID`` row of that unit."""

    kind: str = "org"
    id: str | None = None

    @property
    def by(self) -> str:
        return self.kind

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}" if self.id else "org"

    @property
    def team(self) -> str | None:
        return self.id if self.kind == "team" else None

    @property
    def unit(self) -> str | None:
        """The ``--unit`` a unit scope's queries take: only its subtree is computed."""
        return self.id if self.kind == "unit" else None

    def wants(self, group: Any) -> bool:
        return group == self.id if self.id else True


@dataclass(frozen=True)
class Window:
    """Whole months: ``months`` of them, the last one holding ``until``."""

    until: date
    months: int = 12
    data_ends: date | None = None  # set when no ``until`` was asked for: the window follows the data

    @property
    def month_starts(self) -> list[date]:
        first = self.until.replace(day=1)
        starts = [first]
        for _ in range(self.months - 1):
            starts.insert(0, (starts[0] - timedelta(days=1)).replace(day=1))
        return starts

    @property
    def month_ends(self) -> list[date]:
        return [*(start - timedelta(days=1) for start in self.month_starts[1:]), self.end]

    @property
    def since(self) -> date:
        return self.month_starts[0]

    @property
    def end(self) -> date:
        """The last day of the window's last month."""
        start = self.until.replace(day=1)
        return (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)


@dataclass
class Tile:
    spec: TileSpec
    title: str
    unit: str
    good_direction: str
    description: str
    value: float | str | None = None  # a string: hidden for privacy ("<5")
    previous: float | str | None = None
    series: list[tuple[date, float | str | None]] = field(default_factory=list)
    problem: str | None = None  # why there is no value

    @property
    def metric(self) -> str:
        return self.spec.metric


def compute_tiles(
    warehouse: Warehouse, scope: Scope, window: Window, base: MetricQuery, specs: Sequence[TileSpec] | None = None
) -> list[Tile]:
    """Every tile of ``specs`` (default: the overview's, ``tiles()``) for ``scope`` over
    ``window`` (``base`` carries the settings)."""
    chosen = tiles() if specs is None else specs
    return [compute_tile(warehouse, spec, scope, window, base) for spec in chosen if _applies(spec, scope)]


def _applies(spec: TileSpec, scope: Scope) -> bool:
    metric = get_metric(spec.metric)
    if spec.shape == "snapshot":
        return scope.id is None  # repositories and files: organization-wide only
    return scope.by in _groupings(metric)


def _groupings(metric: Any) -> tuple[str, ...]:
    return tuple(getattr(metric, "groupings", ()) or ())


def compute_tile(warehouse: Warehouse, spec: TileSpec, scope: Scope, window: Window, base: MetricQuery) -> Tile:
    try:
        rows = _rows(warehouse, spec, scope, window, base)
    except QuarterdeckError as exc:
        tile = _empty_tile(spec)
        tile.problem = str(exc)
        return tile
    return tile_of_rows(rows, spec, scope, window)


def _empty_tile(spec: TileSpec) -> Tile:
    metric = get_metric(spec.metric)
    return Tile(spec, spec.title or metric.title, spec.unit or metric.unit, metric.good_direction, metric.description)


def tile_of_rows(rows: list[dict], spec: TileSpec, scope: Scope, window: Window) -> Tile:
    """The tile the metric's rows (as ``_rows`` asks for them) give."""
    tile = _empty_tile(spec)
    column = spec.column or get_metric(spec.metric).value
    if spec.shape == "snapshot":
        tile.value = _snapshot(rows, spec, column)
        return tile
    tile.series = monthly_series(rows, spec, column, scope, window)
    values = [v for _, v in tile.series]
    tile.value = values[-1] if values else None
    tile.previous = values[-2] if len(values) > 1 else None
    if all(v is None for v in values):
        tile.problem = "no data in this window"
    return tile


def _rows(warehouse: Warehouse, spec: TileSpec, scope: Scope, window: Window, base: MetricQuery) -> list[dict]:
    metric = get_metric(spec.metric)
    if spec.trailing:  # one evaluation per month end, each over the year before it
        query = scope_query(base, metric, scope)
        return [row for end in window.month_ends for row in _run(warehouse, metric, _with(query, at=end))]
    return _run(warehouse, metric, window_query(base, spec, window, metric, scope))


def window_query(base: MetricQuery, spec: TileSpec, window: Window, metric: Any, scope: Scope) -> MetricQuery:
    """The query of a tile or a metric page: the window (a snapshot: its end) and the scope."""
    if spec.shape == "snapshot":
        return scope_query(_with(base, since=None, until=window.end), metric, scope)
    return scope_query(_with(base, since=window.since, until=window.end, grain="month"), metric, scope)


#: How a metric of repositories or SLOs is narrowed to a scope: the query's field, and the
#: parameter its SQL must read for it.
_NARROWED_BY = {
    "unit": ("owner_unit", "$owner_unit"),
    "team": ("owner_unit", "$owner_unit"),
    "service": ("services", "$services"),
    "repository": ("repositories", "$repositories"),
}


def scope_query(query: MetricQuery, metric: Any, scope: Scope) -> MetricQuery:
    """``query`` narrowed to ``scope``, the one way every metric's rows are cut to a scope
    (tiles, metric pages, their JSON and CSV): a metric about groups is grouped by the
    scope's kind (within its unit); a metric of repositories or SLOs (no groupings, or rows
    per repository: churn, commits) keeps those the scope's teams own (a unit's or team's
    subtree, a service's own, the repository itself: ``scoped_repositories``,
    ``scoped_slos``). A metric that cannot be narrowed to the scope is an error, never the
    whole organization's rows."""
    if not _of_owned_things(metric):
        return replace(query, by=scope.by, unit=scope.unit)
    if scope.id is None:
        return replace(query, by=None, unit=None)
    field, parameter = _NARROWED_BY[scope.kind]
    if parameter not in metric.compiled_sql():
        raise MetricError(f"metric {metric.name} cannot be narrowed to a {scope.kind}")
    return replace(query, by=None, unit=None, **{field: scope.id if field == "owner_unit" else (scope.id,)})


def _of_owned_things(metric: Any) -> bool:
    """Rows about repositories (or files) or SLOs, which teams own, rather than about groups."""
    return not _groupings(metric) or metric.grain.startswith("repository")


def _run(warehouse: Warehouse, metric: Any, query: MetricQuery) -> list[dict]:
    result = run_metric(warehouse, metric, query)
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def _with(base: MetricQuery, **changes: Any) -> MetricQuery:
    return replace(base, **changes)


def monthly_series(
    rows: list[dict], spec: TileSpec, column: str, scope: Scope, window: Window
) -> list[tuple[date, float | str | None]]:
    """One value per month of the window (None where the metric has none)."""
    by_month: dict[date, list[dict]] = defaultdict(list)
    for row in rows:
        if not scope.wants(row.get("group")):
            continue
        when = row.get("period_start") if spec.shape == "period" else row.get("date")
        if isinstance(when, date):
            by_month[when.replace(day=1)].append(row)
    return [(month, _reduce(by_month.get(month, []), spec, column)) for month in window.month_starts]


def _reduce(rows: list[dict], spec: TileSpec, column: str) -> float | str | None:
    """The month's value; a value hidden for privacy ("<5") stays the label it is."""
    hidden = [r[column] for r in rows if isinstance(r.get(column), str)]
    if hidden:
        return hidden[0]
    numbers = [n for r in rows if (n := number(r.get(column))) is not None]  # DECIMAL sums: Decimal
    if spec.reduce == "sum":
        return float(sum(numbers)) if rows else None
    if spec.reduce == "ratio":
        good = sum(number(r.get("good")) or 0.0 for r in rows)
        total = sum(number(r.get("total")) or 0.0 for r in rows)
        return good / total if total else None
    return float(numbers[-1]) if numbers else None


def _snapshot(rows: list[dict], spec: TileSpec, column: str) -> float | None:
    numbers = [n for r in rows if (n := number(r.get(column))) is not None]
    if spec.reduce == "count_at_most":
        return float(sum(1 for n in numbers if spec.threshold is not None and n <= spec.threshold))
    return float(max(numbers)) if numbers else None


def by_area(tiles: Sequence[Tile]) -> list[tuple[str, list[Tile]]]:
    """The tiles grouped by area, in the order of ``AREAS``."""
    grouped: dict[str, list[Tile]] = {area: [] for area in AREAS}
    for tile in tiles:
        grouped[tile.spec.area].append(tile)
    return [(area, grouped[area]) for area in AREAS if grouped[area]]


Computer = Callable[[Warehouse, Scope, Window, MetricQuery], list[Tile]]
