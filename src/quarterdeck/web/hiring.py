"""The dashboard's hiring page: ``/people/hiring`` and its JSON, ``/api/v1/people/hiring``
(docs/hiring.md): time to fill, time in stage, stage conversion, offer acceptance, the
pipeline per open position and the open requisitions, the numbers ``quarterdeck hiring``
prints (both call ``metrics.hiring.hiring_report``), over ``?since=``/``?until=`` (default:
the 365 days to the end of the data), grouped ``?by=org|team|level|source``.

Admins and leaders only (``access.require_money``: a candidate's stages are per-person
data, issue 18 item 6): a leader sees the requisitions of their own unit's teams only,
every figure computed over those alone; a member gets 403.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from quarterdeck.core.clock import today
from quarterdeck.core.errors import MetricError
from quarterdeck.metrics.hiring import GROUPINGS, has_hiring, hiring_report
from quarterdeck.web.access import Sight, require_money
from quarterdeck.web.board import sight_for
from quarterdeck.web.pages import render
from quarterdeck.web.results import data_end
from quarterdeck.web.view import read_filters


def hiring_routes() -> list[Route]:
    return [
        Route("/people/hiring", hiring_page, name="hiring_page"),
        Route("/api/v1/people/hiring", hiring_json, name="api_people_hiring"),
    ]


async def hiring_page(request: Request) -> Response:
    view = await _view(request)
    zone = request.app.state.settings.timezone
    ends = await request.app.state.warehouse.run(lambda w: data_end(w, today(), zone))
    links = {by: f"?since={view['since']}&until={view['until']}&by={by}" for by in GROUPINGS}
    return render("people_hiring.html", view=view, links=links, filters=read_filters(request.query_params),
                  choices=[], show_money=True, window_end=ends)  # fmt: skip


async def hiring_json(request: Request) -> JSONResponse:
    view = await _view(request)
    return JSONResponse({k: view[k] for k in ("since", "until", "by", "teams")} | {
        s["name"]: s["rows"] for s in view["sections"]})  # fmt: skip


async def _view(request: Request) -> dict[str, Any]:
    sight = await sight_for(request)
    require_money(sight)
    params = request.query_params
    by = params.get("by") or "org"
    if by not in GROUPINGS:
        raise HTTPException(400, f"by: {by!r}: expected one of {', '.join(GROUPINGS)}")
    zone = request.app.state.settings.timezone
    until = _day(params.get("until"), "until") or await request.app.state.warehouse.run(
        lambda w: data_end(w, today(), zone)
    )
    since = _day(params.get("since"), "since") or until - timedelta(days=365)
    teams = None if sight.everything else frozenset(sight.teams)

    def compute(warehouse: Any) -> tuple[bool, list[Any]]:
        return has_hiring(warehouse), hiring_report(warehouse, since, until, by, teams=teams)

    try:
        stored, sections = await request.app.state.warehouse.run(compute)
    except MetricError as exc:
        raise HTTPException(400, str(exc)) from None
    return {
        "since": since.isoformat(), "until": until.isoformat(), "by": by, "stored": stored,
        "teams": None if teams is None else sorted(teams), "scope": _scope(sight),
        "sections": [_section(s) for s in sections],
    }  # fmt: skip


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, f"{name}: {value!r}: expected a date as YYYY-MM-DD") from None


def _scope(sight: Sight) -> str:
    return "the whole organization" if sight.everything else f"the requisitions of {sight.covers}"


def _section(section: Any) -> dict[str, Any]:
    rows = [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()} for row in section.rows]
    return {"name": section.name, "title": section.title, "description": section.description,
            "columns": list(section.columns), "rows": rows}  # fmt: skip
