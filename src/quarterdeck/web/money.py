"""The dashboard's Money area: ``/money`` and its JSON, ``/api/v1/money``.

One tile per money metric (each definition whose header says ``-- tile: money``,
``metrics.money``): its value over one quarter (``?quarter=2026Q3``; default the last whole
quarter at the end of the data, or the one ending on or before ``until``), the same number
``quarterdeck money`` prints (both call ``metrics.money.quarter_line``), and a sparkline of
its months over the ``months`` before. Each tile links to the metric's page (its chart, the
breakdown by unit and team, the rows, the SQL, CSV downloads) over the window ending with
the quarter; a metric without its inputs says which ``quarterdeck ingest`` would give them.

Only admins and leaders see money: a member gets 403 (``access.require_money``), a leader
their unit's figures only (the scope rules of every page), and the overview never shows a
money tile (``scorecard.tiles``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from quarterdeck.core.clock import today
from quarterdeck.core.errors import MetricError
from quarterdeck.metrics import get_metric
from quarterdeck.metrics.catalog import catalog
from quarterdeck.metrics.money import MoneyLine, Quarter, is_money, money_metrics, summary
from quarterdeck.metrics.scorecard import Scope, Window, compute_tile
from quarterdeck.reports import svg_charts as charts
from quarterdeck.store import Warehouse
from quarterdeck.web.access import require, require_money, sight_of
from quarterdeck.web.board import base_query, scope_of, scope_title, sight_for
from quarterdeck.web.pages import home_of, render
from quarterdeck.web.results import data_end
from quarterdeck.web.units import ScopeChoice, org_scopes
from quarterdeck.web.view import Filters, format_value, read_filters, unit_note


def money_routes() -> list[Route]:
    return [Route("/money", money_page, name="money_page"), Route("/api/v1/money", money_json, name="api_money")]


@dataclass
class MoneyTile:
    line: MoneyLine
    series: list[tuple[date, Any]] = field(default_factory=list)  # monthly, over the months up to the quarter's end


@dataclass
class MoneyBoard:
    quarter: Quarter
    scope: Scope
    title: str
    window: Window  # the months of the sparklines and of the metric pages linked, ending with the quarter
    tiles: list[MoneyTile]
    choices: list[ScopeChoice]
    data_ends: date | None = None  # set when no quarter or until was asked for


async def money_page(request: Request) -> Response:
    filters = read_filters(request.query_params)
    sight = await sight_for(request)
    require_money(sight)
    if (home := home_of(request, filters, sight)) is not None:
        return home
    board = await _money_board(request, filters, sight)
    tiles = [_tile_view(tile, board, filters) for tile in board.tiles]
    pages = _other_pages(board, filters)
    quarter = request.query_params.get("quarter") or ""
    asked = [filters.query(), urlencode({"quarter": quarter}) if quarter else ""]
    json_href = "/api/v1/money?" + "&".join(q for q in asked if q)
    return render("money.html", board=board, tiles=tiles, pages=pages, filters=filters, quarter=quarter,
                  show_money=True, json_href=json_href,
                  choices=[c for c in board.choices if sight.allows(c.kind, c.id)])  # fmt: skip


async def money_json(request: Request) -> JSONResponse:
    filters = read_filters(request.query_params)
    board = await _money_board(request, filters, await sight_for(request))
    return JSONResponse(
        {
            "quarter": str(board.quarter),
            "since": board.quarter.start.isoformat(),
            "until": board.quarter.end.isoformat(),
            "scope": board.scope.key,
            "data_ends": board.data_ends.isoformat() if board.data_ends else None,
            "metrics": [
                {**t.line.as_json(), "series": [{"month": m.isoformat(), "value": v} for m, v in t.series]}
                for t in board.tiles
            ],
        }
    )


async def _money_board(request: Request, filters: Filters, sight: Any) -> MoneyBoard:
    require_money(sight)
    require(sight, *filters.scope)
    if filters.scope[0] in ("service", "repository"):
        raise HTTPException(400, f"{filters.scope[0]}: the Money area is by unit or team")
    try:
        asked = Quarter.parse(request.query_params["quarter"]) if request.query_params.get("quarter") else None
    except MetricError as exc:
        raise HTTPException(400, str(exc)) from None
    app: Starlette = request.app
    key = ("money", asked, filters)
    return await app.state.warehouse.run(lambda w: app.state.results.get(key, lambda: _board(app, w, filters, asked)))


def warm_money(app: Starlette, run: Any) -> None:
    """Compute the Money area before anyone asks: the organization's, then the unit of each
    leader of the access file (``run(work)`` as for ``board.warm_up``)."""
    if not money_metrics():
        return
    people = app.state.access.people if getattr(app.state, "access", None) else ()
    leaders = [p for p in people if p.role == "leader"]
    homes = run(lambda w: sorted({h for p in leaders if (h := sight_of(w, p, data_end(w, today())).home)}))
    for filters in [Filters(), *(Filters(**{kind: ident}) for kind, ident in homes)]:
        key = ("money", None, filters)
        run(lambda w, f=filters, key=key: app.state.results.get(key, lambda: _board(app, w, f, None)))


def _board(app: Starlette, warehouse: Warehouse, filters: Filters, asked: Quarter | None) -> MoneyBoard:
    scope = scope_of(warehouse, filters)
    ends = None if asked or filters.until else data_end(warehouse, today(), app.state.settings.timezone)
    quarter = asked or Quarter.last_full(filters.until or ends or today())
    base = base_query(app)
    window = Window(quarter.end, filters.months)
    tiles = []
    for line in summary(warehouse, base, quarter, scope.kind, scope.id):
        spec = get_metric(line.metric).tile
        series = [] if line.problem or spec is None else compute_tile(warehouse, spec, scope, window, base).series
        tiles.append(MoneyTile(line, series))
    choices = org_scopes(warehouse, quarter.end).choices()
    return MoneyBoard(quarter, scope, scope_title(warehouse, scope), window, tiles, choices, ends)


def _other_pages(board: MoneyBoard, filters: Filters) -> list[dict[str, str]]:
    """The money metrics without a tile (the allocation of effort, capitalization and its
    audit trail, the forecast, the tools...): a link to each one's page over the quarter."""
    shown = {tile.line.metric for tile in board.tiles}
    others = sorted((m for m in catalog().values() if is_money(m) and m.name not in shown), key=lambda m: m.title)
    query = filters.query(until=board.quarter.end)
    return [{"metric": m.name, "title": m.title, "href": f"/metrics/{m.name}?{query}"} for m in others]


def _tile_view(tile: MoneyTile, board: MoneyBoard, filters: Filters) -> dict[str, Any]:
    line = tile.line
    values = [v if isinstance(v, (int, float)) else None for _, v in tile.series]
    spark = charts.sparkline(values, label=f"{line.title}, monthly") if any(v is not None for v in values) else ""
    return {
        "metric": line.metric,
        "title": line.title,
        "raw": "" if line.value is None else line.value,
        "value": format_value(line.value, line.unit),
        "unit": unit_note(line.unit),
        "problem": line.problem,
        "inputs": line.inputs,
        "explain": line.explain,
        "sparkline": Markup(spark),
        "href": f"/metrics/{line.metric}?" + filters.query(until=board.quarter.end),
    }
