"""The dashboard's HTML pages: the overview (the org scorecard) and one page per metric.

Pages are rendered on the server with Jinja2 (every value escaped) and charts drawn as SVG
by ``reports.svg_charts``: no script, font or style sheet from anywhere but this server, so the
dashboard works with no internet. Every number links to its metric page, which shows its
definition, its chart over time (the statistic named), the breakdowns by unit, team and
service (each linking into that scope: the drill-down from a division to its teams), the
rows behind it, the SQL, and a CSV download. A page asked for without a scope by someone
who may not see the whole organization shows their own unit or team.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from quarterdeck.core.formats import column_unit, format_cell
from quarterdeck.metrics import catalog, get_metric
from quarterdeck.metrics.money import is_money
from quarterdeck.metrics.scorecard import AREA_TITLES
from quarterdeck.planning.report import band_text
from quarterdeck.reports import svg_charts as charts
from quarterdeck.web.access import require, require_money
from quarterdeck.web.board import Board, MetricView, board_for, requested_view, sight_for, visible_board
from quarterdeck.web.headers import CSP as CSP  # the policy every answer carries (web.headers)
from quarterdeck.web.view import Filters, change_note, format_value, read_filters, scoped_query, unit_note

_TEMPLATES = Environment(
    loader=PackageLoader("quarterdeck.web", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_TEMPLATES.filters["value"] = lambda value, unit: format_value(value, unit)
_TEMPLATES.globals["scoped"] = scoped_query


def row_units(view: MetricView) -> list[str]:
    """The unit of each column of the metric's rows, as the command line's table prints them."""
    metric = get_metric(view.name)
    return [column_unit(c, metric.unit, metric.value) for c in view.columns]


_TEMPLATES.filters["cell"] = lambda value, unit: "" if value is None else format_cell(value, unit)
_TEMPLATES.globals["row_units"] = row_units
_TEMPLATES.filters["band"] = lambda values, unit="": "" if values is None else band_text(values, unit)


def page_routes() -> list[Route]:
    return [
        Route("/", overview, name="overview"),
        Route("/metrics/{name}", metric_page, name="metric_page"),
    ]


async def overview(request: Request) -> Response:
    filters = read_filters(request.query_params)
    sight = await sight_for(request)
    if (home := home_of(request, filters, sight)) is not None:
        return home
    require(sight, *filters.scope)
    board = visible_board(await board_for(request.app, filters), sight)
    tiles = [_tile_view(tile, board, filters) for tile in board.tiles]
    areas = [(AREA_TITLES[a], [t for t in tiles if t["area"] == a]) for a in AREA_TITLES]
    return render(
        "overview.html",
        board=board,
        filters=filters,
        areas=[(title, items) for title, items in areas if items],
        choices=board.choices,
        show_money=sight.money,
    )


async def metric_page(request: Request) -> Response:
    sight = await sight_for(request)
    name = request.path_params["name"]
    if name in catalog() and is_money(get_metric(name)):
        require_money(sight)  # before sending anyone to their own unit's page
    if (home := home_of(request, read_filters(request.query_params), sight)) is not None:
        return home
    view, filters = await requested_view(request)
    return render(
        "metric.html",
        show_money=sight.money,
        in_money=is_money(get_metric(view.name)),
        view=view,
        filters=filters,
        choices=view.choices,
        chart=Markup(_metric_chart(view)),
        by_unit=Markup(_breakdown_chart(view, view.units, "unit")),
        breakdown=Markup(_breakdown_chart(view, view.breakdown, "team")),
        by_service=Markup(_breakdown_chart(view, view.services, "service")),
    )


def home_of(request: Request, filters: Filters, sight: Any) -> RedirectResponse | None:
    """To one's own unit or team, for a page asked for without a scope by someone who may
    not see the whole organization (the Money area's quarter kept)."""
    if filters.scope != ("org", None) or sight.everything or sight.home is None:
        return None
    kept = "".join(f"&quarter={quote(q)}" for q in request.query_params.getlist("quarter")[:1] if q)
    return RedirectResponse(f"{request.url.path}?{scoped_query(filters, *sight.home)}{kept}", status_code=303)


def _tile_view(tile: Any, board: Board, filters: Filters) -> dict[str, Any]:
    target = board.target_for(tile.metric)
    status = board.status_of(tile)
    change, tone = change_note(tile.value, tile.previous, tile.good_direction)
    values = [v if isinstance(v, (int, float)) else None for _, v in tile.series]
    spark = charts.sparkline(values, label=f"{tile.title}, monthly") if tile.series else ""
    return {
        "area": tile.spec.area,
        "metric": tile.metric,
        "title": tile.title,
        "value": format_value(tile.value, tile.unit),
        "unit": unit_note(tile.unit),
        "change": change,
        "tone": tone,
        "status": status,
        "target": format_value(target.target, tile.unit) if target else None,
        "owner": target.owner if target else None,
        "sparkline": Markup(spark),
        "problem": tile.problem,
        "href": f"/metrics/{tile.metric}" + (f"?{query}" if (query := filters.query()) else ""),
    }


def _metric_chart(view: MetricView) -> str:
    points = [(month.isoformat(), v if isinstance(v, (int, float)) else None) for month, v in view.series]
    target = view.target.target if view.target else None
    return charts.line_chart(points, title=view.title, unit=view.unit, statistic=view.statistic, target=target)


def _breakdown_chart(view: MetricView, parts: list, what: str) -> str:
    if not parts:
        return ""
    rows = [(p.name, p.value if isinstance(p.value, (int, float)) else None) for p in parts]
    return charts.bar_chart(rows, title=f"{view.title} by {what}, {view.last_month:%B %Y}", unit=view.unit)


def render(template: str, **context: Any) -> HTMLResponse:
    """A page of the dashboard's templates."""
    html = _TEMPLATES.get_template(template).render(**context, today=date.today())
    return HTMLResponse(html)  # the security headers: web.headers, on every answer
