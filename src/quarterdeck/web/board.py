"""The dashboard's data for one request: the scorecard of a scope, or one metric's view.

Both are computed from the metric queries on the server's warehouse, once per set of
filters (``results.ResultCache``), so pages, their JSON under ``/api/v1/`` and the CLI show
the same numbers. Colours come from the targets file (``config.targets``): a metric without
a target for the scope is grey, never a guessed colour.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException

from quarterdeck.config.targets import Target, Targets, judge
from quarterdeck.core.clock import today
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.metrics import MetricQuery, catalog, get_metric, run_metric
from quarterdeck.metrics.money import is_money
from quarterdeck.metrics.query import explain, settings_query_fields
from quarterdeck.metrics.scorecard import (
    Scope,
    Tile,
    TileSpec,
    Window,
    compute_tile,
    compute_tiles,
    tile_of_rows,
    window_query,
)
from quarterdeck.metrics.tiles import shape_of
from quarterdeck.store import Warehouse
from quarterdeck.web.access import EVERYTHING, Sight, principal_of, require, require_money, sight_of
from quarterdeck.web.breakdowns import Part, breakdown, service_names, team_names, unit_breakdown
from quarterdeck.web.results import data_end, last_whole_month_end
from quarterdeck.web.units import ScopeChoice, org_scopes
from quarterdeck.web.view import Filters, read_filters


@dataclass
class Board:
    """The overview of one scope over one window."""

    scope: Scope
    window: Window
    tiles: list[Tile]
    choices: list[ScopeChoice]  # the scope picker's units and teams
    targets: Targets
    title: str = "The organization"
    above: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, id, name) of the units above
    below: list[tuple[str, str, str]] = field(default_factory=list)  # ... and of those one level below

    def target_for(self, metric: str) -> Target | None:
        return self.targets.for_metric(metric, self.scope.key)

    def status_of(self, tile: Tile) -> str:
        value = tile.value if isinstance(tile.value, (int, float)) else None
        return judge(value, self.target_for(tile.metric))


@dataclass
class MetricView:
    """One metric for one scope: what its page and its JSON show."""

    name: str
    title: str
    description: str
    unit: str
    good_direction: str
    statistic: str
    scope: Scope
    window: Window
    series: list[tuple[date, Any]]
    breakdown: list[Part]  # each team's value in the last month
    services: list[Part]  # each service's
    units: list[Part]  # each unit's one level below the scope (the top units for the organization)
    columns: list[str]
    rows: list[tuple[Any, ...]]
    sql: str
    target: Target | None
    owner: str
    scope_title: str = "The organization"
    choices: list[ScopeChoice] = field(default_factory=list)
    value: Any = None  # the tile's value: the last month of the series, or the snapshot's count or top

    @property
    def last_month(self) -> date:
        return self.window.month_starts[-1]

    @property
    def status(self) -> str:
        return judge(self.value if isinstance(self.value, (int, float)) else None, self.target)


async def board_for(app: Starlette, filters: Filters) -> Board:
    key = ("board", filters)
    return await app.state.warehouse.run(lambda w: app.state.results.get(key, lambda: _board(app, w, filters)))


async def requested_view(request: Any) -> tuple[MetricView, Filters]:
    """The metric a page or a JSON route asks for (``{name}`` in its path), with the request's
    filters, as far as the signed-in person may see it: 404 for no such metric, 403 for a
    scope outside their access, 422 for a metric that cannot be computed on this warehouse."""
    name = request.path_params["name"]
    if name not in catalog():
        raise HTTPException(404, f"no metric named {name!r}")
    filters = read_filters(request.query_params)
    sight = await sight_for(request)
    if is_money(get_metric(name)):
        require_money(sight)
    require(sight, *filters.scope)
    try:
        return visible_view(await metric_view(request.app, name, filters), sight), filters
    except QuarterdeckError as exc:
        raise HTTPException(422, str(exc)) from exc


async def metric_view(app: Starlette, name: str, filters: Filters) -> MetricView:
    key = ("metric", name, filters)
    return await app.state.warehouse.run(lambda w: app.state.results.get(key, lambda: _metric(app, w, name, filters)))


def warm_up(app: Starlette, run: Any) -> None:
    """Compute what first visitors ask for before anyone asks: the overview and the metric
    pages of its tiles with the default filters, then the overviews one click away (the top
    units) and those the people of the access file land on (their unit or team). ``run(work)``
    runs ``work(warehouse)`` alone on the warehouse, one piece at a time, so requests
    meanwhile are served in between."""
    filters = Filters()
    board = run(lambda w: app.state.results.get(("board", filters), lambda: _board(app, w, filters)))
    for tile in board.tiles:
        key = ("metric", tile.metric, filters)
        run(lambda w, name=tile.metric, key=key: app.state.results.get(key, lambda: _metric(app, w, name, filters)))
    for scope in [*(Filters(**{kind: ident}) for kind, ident, _ in board.below), *run(lambda w: _homes(app, w))]:
        run(lambda w, f=scope: app.state.results.get(("board", f), lambda: _board(app, w, f)))


def _homes(app: Starlette, warehouse: Warehouse) -> list[Filters]:
    """The scopes the access file's leaders and members land on, each once."""
    people = app.state.access.people if getattr(app.state, "access", None) else ()
    end = data_end(warehouse, date.today())
    homes = {sight_of(warehouse, person, end).home for person in people if person.role != "admin"}
    return [Filters(**{kind: ident}) for kind, ident in sorted(h for h in homes if h is not None)]


def window_of(app: Starlette, warehouse: Warehouse, filters: Filters) -> Window:
    """The ``months`` whole months up to ``until``; without it, up to the last whole month of
    the data (``metrics.data_end``, as the command line's windows end), which the pages name."""
    if filters.until:
        return Window(filters.until, filters.months)
    ends = data_end(warehouse, today(), app.state.settings.timezone)
    return Window(last_whole_month_end(ends), filters.months, ends)


def base_query(app: Starlette) -> MetricQuery:
    return MetricQuery(**settings_query_fields(app.state.settings))


def _board(app: Starlette, warehouse: Warehouse, filters: Filters) -> Board:
    scope, window = scope_of(warehouse, filters), window_of(app, warehouse, filters)
    tiles = compute_tiles(warehouse, scope, window, base_query(app))
    scopes = org_scopes(warehouse, window.end)
    above = scopes.above(scope.id) if scope.kind in ("unit", "team") and scope.id else []
    below = scopes.below(scope.unit) if scope.kind in ("org", "unit") else []
    title = scope_title(warehouse, scope)
    return Board(scope, window, tiles, scopes.choices(), app.state.targets, title, above, below)


_KNOWN = {
    "unit": ("SELECT count(*) FROM teams WHERE team_id = ?", "no unit with the id"),
    "team": ("SELECT count(*) FROM teams WHERE team_id = ?", "no team with the id"),
    "service": ("SELECT count(*) FROM services WHERE service_id = ?", "no service with the id"),
    "repository": ("SELECT count(*) FROM repositories WHERE name = ?", "no repository named"),
}


def scope_of(warehouse: Warehouse, filters: Filters) -> Scope:
    """The scope the filters name (404 for a unit, team, service or repository not known)."""
    kind, ident = filters.scope
    if ident is not None:
        sql, missing = _KNOWN[kind]
        if not warehouse.value(sql, [ident]):
            raise HTTPException(404, f"{kind}: {missing} {ident!r}")
    return Scope(kind, ident)


def spec_for(name: str) -> TileSpec:
    """The reading of a metric its tile declares, or the plain one its parameters suggest."""
    metric = get_metric(name)
    if metric.tile is not None:
        return metric.tile
    shape = shape_of(metric.parameters)
    return TileSpec(name, "other", shape, reduce="value" if shape != "snapshot" else "max")


def _metric(app: Starlette, warehouse: Warehouse, name: str, filters: Filters) -> MetricView:
    metric, spec = get_metric(name), spec_for(name)
    scope, window, base = scope_of(warehouse, filters), window_of(app, warehouse, filters), base_query(app)
    query = window_query(base, spec, window, metric, scope)
    result = run_metric(warehouse, metric, query)
    if spec.trailing:  # each month end over its own year: other queries than the rows shown
        tile = compute_tile(warehouse, spec, scope, window, base)
        if tile.problem and tile.problem != "no data in this window":
            raise QuarterdeckError(tile.problem)
    else:  # the tile's own query: read once
        tile = tile_of_rows([dict(zip(result.columns, row, strict=True)) for row in result.rows], spec, scope, window)
    rows = _rows_of_scope(list(result.columns), list(result.rows), scope)
    target = app.state.targets.for_metric(name, scope.key)
    scopes = org_scopes(warehouse, window.end)
    return MetricView(
        name=name,
        title=tile.title,
        description=metric.description,
        unit=tile.unit,
        good_direction=metric.good_direction,
        statistic=statistic_of(spec.column or metric.value, spec),
        scope=scope,
        window=window,
        series=tile.series,
        value=tile.value,
        breakdown=breakdown(warehouse, spec, window, base, "team", scope.unit),
        services=breakdown(warehouse, spec, window, base, "service", scope.unit),
        units=unit_breakdown(warehouse, spec, window, base, scope, scopes),
        scope_title=scope_title(warehouse, scope),
        columns=list(result.columns),
        rows=rows,
        sql=explain(metric, query),
        target=target,
        owner=target.owner if target else metric.owner,
        choices=scopes.choices(),
    )


Rows = tuple[list[str], list[tuple[Any, ...]], str]  # columns, rows, the SQL that computed them


async def whole_window_rows(app: Starlette, name: str, filters: Filters) -> Rows:
    """(columns, rows, SQL) of a metric reported per period over the view's whole window as
    one period (``--grain window``: each statistic over all the window's events), the
    scope's own rows; the same query as ``metrics show NAME --grain window``."""
    key = ("whole-window", name, filters)
    return await app.state.warehouse.run(
        lambda w: app.state.results.get(key, lambda: _whole_window(app, w, name, filters))
    )


def _whole_window(app: Starlette, warehouse: Warehouse, name: str, filters: Filters) -> Rows:
    metric, spec = get_metric(name), spec_for(name)
    if "grain" not in metric.parameters:
        raise HTTPException(400, f"grain: metric {name} is not reported per period; grain=window is for those that are")
    scope, window = scope_of(warehouse, filters), window_of(app, warehouse, filters)
    period = replace(spec, shape="period")
    query = replace(window_query(base_query(app), period, window, metric, scope), grain="window")
    result = run_metric(warehouse, metric, query)
    rows = _rows_of_scope(list(result.columns), list(result.rows), scope)
    return list(result.columns), rows, explain(metric, query)


def _rows_of_scope(columns: list[str], rows: list[tuple[Any, ...]], scope: Scope) -> list[tuple[Any, ...]]:
    """The rows of the scope's own group (a query by team returns every team's)."""
    if scope.id is None or "group" not in columns:
        return rows
    at = columns.index("group")
    return [row for row in rows if row[at] == scope.id]


async def sight_for(request: Any) -> Sight:
    """What the signed-in person may see (everything without an access file)."""
    principal = principal_of(request)
    if principal is None:
        return EVERYTHING
    app = request.app
    key = ("sight", principal.name, principal.role, principal.unit, principal.team)
    return await app.state.warehouse.run(
        lambda w: app.state.results.get(key, lambda: sight_of(w, principal, data_end(w, date.today())))
    )


def visible_view(view: MetricView, sight: Sight) -> MetricView:
    """The view with only the units, teams and services ``sight`` covers in its breakdowns."""
    if sight.everything:
        return view
    return replace(
        view,
        breakdown=[p for p in view.breakdown if sight.allows(p.kind, p.id)],
        services=[p for p in view.services if sight.allows(p.kind, p.id)],
        units=[p for p in view.units if sight.allows(p.kind, p.id)],
        choices=[c for c in view.choices if sight.allows(c.kind, c.id)],
    )


def visible_board(board: Board, sight: Sight) -> Board:
    if sight.everything:
        return board
    return replace(
        board,
        choices=[c for c in board.choices if sight.allows(c.kind, c.id)],
        below=[b for b in board.below if sight.allows(b[0], b[1])],
        above=[(kind if sight.allows(kind, i) else "", i, name) for kind, i, name in board.above],  # "": no link
    )


def scope_title(warehouse: Warehouse, scope: Scope) -> str:
    """The scope in words: "The organization", "Team Payments", "Service Checkout API"..."""
    if scope.id is None:
        return "The organization"
    names = dict(team_names(warehouse) if scope.kind in ("unit", "team") else service_names(warehouse))
    return f"{scope.kind.capitalize()} {names.get(scope.id, scope.id)}"


def statistic_of(column: str, spec: TileSpec) -> str:
    """What a value column holds, in words: median, mean, total, share..."""
    if spec.reduce == "sum":
        return "total"
    if spec.reduce == "count_at_most":
        return "count"
    if spec.reduce == "max":
        return "max"
    for word in ("median", "mean", "p90", "p75", "max"):
        if column.startswith(word):
            return word
    return "value"
