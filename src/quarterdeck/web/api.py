"""The dashboard's JSON and CSV under ``/api/v1/``: everything a page shows, for scripts.

The same filters as the pages (``until``, ``months``, and one scope of ``unit``, ``team``,
``service``, ``repository``), the same computation
(``web.board``), so a number read here equals the one on the page and in ``quarterdeck
metrics show``. ``/api/v1/openapi.json`` describes every route (``web.openapi``).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date, datetime
from functools import partial
from typing import Any
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from quarterdeck.metrics import catalog
from quarterdeck.metrics.money import is_money
from quarterdeck.web.access import require
from quarterdeck.web.board import Board, MetricView, board_for, requested_view, sight_for, whole_window_rows
from quarterdeck.web.openapi import openapi_document
from quarterdeck.web.view import read_filters

PREFIX = "/api/v1"


def api_routes() -> list[Route]:
    return [
        Route(f"{PREFIX}/openapi.json", openapi, name="openapi"),
        Route(f"{PREFIX}/scorecard", scorecard, name="api_scorecard"),
        Route(f"{PREFIX}/metrics", metric_list, name="api_metrics"),
        Route(f"{PREFIX}/metrics/{{name}}", metric_detail, name="api_metric"),
        Route(f"{PREFIX}/metrics/{{name}}/series.csv", series_csv, name="api_metric_series_csv"),
        Route(f"{PREFIX}/metrics/{{name}}/rows.csv", rows_csv, name="api_metric_rows_csv"),
        Route(f"{PREFIX}/metrics/{{name}}/by-unit.csv", partial(breakdown_csv, kind="unit"), name="api_by_unit_csv"),
        Route(f"{PREFIX}/metrics/{{name}}/by-team.csv", partial(breakdown_csv, kind="team"), name="api_by_team_csv"),
        Route(
            f"{PREFIX}/metrics/{{name}}/by-service.csv",
            partial(breakdown_csv, kind="service"),
            name="api_by_service_csv",
        ),
        Route(f"{PREFIX}/scorecard.csv", scorecard_csv, name="api_scorecard_csv"),
    ]


async def openapi(request: Request) -> JSONResponse:
    return JSONResponse(openapi_document())


async def scorecard(request: Request) -> JSONResponse:
    filters = read_filters(request.query_params)
    require(await sight_for(request), *filters.scope)
    board = await board_for(request.app, filters)
    return JSONResponse(board_json(board))


async def metric_list(request: Request) -> JSONResponse:
    """Every metric, but those about money for someone who may not see money."""
    money = (await sight_for(request)).money
    metrics = [
        {
            "name": m.name,
            "title": m.title,
            "unit": m.unit,
            "good_direction": m.good_direction,
            "description": m.description,
            "groupings": list(m.groupings),
        }
        for m in catalog().values()
        if money or not is_money(m)
    ]
    return JSONResponse({"metrics": metrics})


async def metric_detail(request: Request) -> JSONResponse:
    """The metric's view; ``grain=window``: its rows are one per group for the whole window
    (each statistic over all of the window's events), as ``metrics show --grain window``."""
    grain = request.query_params.get("grain") or "month"
    if grain not in ("month", "window"):
        raise HTTPException(400, f"grain: expected month (the default) or window, got {grain!r}")
    view, filters = await requested_view(request)
    body = {**view_json(view), "grain": "month"}
    if grain == "window":
        columns, rows, sql = await whole_window_rows(request.app, view.name, filters)
        body.update(grain="window", columns=columns, rows=[[_plain(v) for v in row] for row in rows], sql=sql)
    return JSONResponse(body)


async def series_csv(request: Request) -> Response:
    view = await _view(request)
    rows = [[month.isoformat(), _plain(value)] for month, value in view.series]
    return _csv(_csv_name(view.name, view.scope.key, "series"), ["month", f"{view.statistic} ({view.unit})"], rows)


async def rows_csv(request: Request) -> Response:
    view = await _view(request)
    name = _csv_name(view.name, view.scope.key, "rows")
    return _csv(name, view.columns, [[_plain(v) for v in row] for row in view.rows])


async def breakdown_csv(request: Request, kind: str) -> Response:
    """Each unit's (team's, service's) value in the window's last month, as the page's bars show."""
    view = await _view(request)
    parts = {"unit": view.units, "team": view.breakdown, "service": view.services}[kind]
    header = [kind, "name", f"{view.statistic} ({view.unit}), {view.last_month:%Y-%m}"]
    if kind == "unit":
        header.insert(1, "kind")
        rows = [[p.id, p.kind, p.name, _plain(p.value)] for p in parts]
    else:
        rows = [[p.id, p.name, _plain(p.value)] for p in parts]
    return _csv(_csv_name(view.name, view.scope.key, f"by-{kind}"), header, rows)


async def scorecard_csv(request: Request) -> Response:
    """The overview's tiles, one row each: the value of the last month and the one before."""
    filters = read_filters(request.query_params)
    require(await sight_for(request), *filters.scope)
    board = await board_for(request.app, filters)
    body = board_json(board)
    header = ["area", "metric", "title", "unit", "value", "previous", "status", "target", "owner"]
    rows = [[t["area"], t["metric"], t["title"], t["unit"], t["value"], t["previous"], t["status"], t["target"],
             t["owner"]] for t in body["tiles"]]  # fmt: skip
    return _csv(_csv_name("scorecard", board.scope.key), header, rows)


async def _view(request: Request) -> MetricView:
    view, _ = await requested_view(request)
    return view


def board_json(board: Board) -> dict[str, Any]:
    tiles = []
    for tile in board.tiles:
        target = board.target_for(tile.metric)
        tiles.append(
            {
                "metric": tile.metric,
                "area": tile.spec.area,
                "title": tile.title,
                "unit": tile.unit,
                "good_direction": tile.good_direction,
                "value": _plain(tile.value),
                "previous": _plain(tile.previous),
                "status": board.status_of(tile),
                "target": target.target if target else None,
                "owner": target.owner if target else None,
                "series": [{"month": m.isoformat(), "value": _plain(v)} for m, v in tile.series],
                "problem": tile.problem,
            }
        )
    return {"scope": board.scope.key, "window": _window(board.window), "tiles": tiles}


def view_json(view: MetricView) -> dict[str, Any]:
    return {
        "metric": view.name,
        "title": view.title,
        "description": view.description,
        "unit": view.unit,
        "good_direction": view.good_direction,
        "statistic": view.statistic,
        "scope": view.scope.key,
        "window": _window(view.window),
        "value": _plain(view.value),
        "status": view.status,
        "target": view.target.target if view.target else None,
        "owner": view.owner,
        "series": [{"month": m.isoformat(), "value": _plain(v)} for m, v in view.series],
        "units": [{"unit": p.id, "kind": p.kind, "name": p.name, "value": _plain(p.value)} for p in view.units],
        "breakdown": [{"team": p.id, "name": p.name, "value": _plain(p.value)} for p in view.breakdown],
        "services": [{"service": p.id, "name": p.name, "value": _plain(p.value)} for p in view.services],
        "columns": view.columns,
        "rows": [[_plain(v) for v in row] for row in view.rows],
        "sql": view.sql,
    }


def _window(window: Any) -> dict[str, Any]:
    ends = window.data_ends.isoformat() if window.data_ends else None  # no until asked for: the data's last day
    return {"since": window.since.isoformat(), "until": window.end.isoformat(), "months": window.months,
            "data_ends": ends}  # fmt: skip


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _csv_name(what: str, scope: str, part: str | None = None) -> str:
    """``NAME[-KIND-ID][-PART].csv``: the scope in the name, so downloads of several scopes
    do not overwrite each other (the organization's names carry none but the scorecard's)."""
    scoped = [scope.replace(":", "-")] if scope != "org" or what == "scorecard" else []
    return "-".join([what, *scoped, *([part] if part else [])]) + ".csv"


def content_disposition(filename: str) -> str:
    """An attachment named ``filename`` (RFC 6266): a plain ASCII ``filename`` for old
    clients, and when the name is more than that, ``filename*`` with its UTF-8 bytes
    percent-encoded (RFC 5987), which browsers prefer: a team id like "équipe-ü" keeps its
    letters, and no character of an id can break the header."""
    folded = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    fallback = "".join(c if c.isalnum() or c in "._-" else "_" for c in folded)
    if fallback == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _csv(filename: str, header: list[str], rows: list[list[Any]]) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition(filename)},
    )


def _cell(value: Any) -> Any:
    """A cell that a spreadsheet will not run as a formula (=, +, -, @ at the start)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
