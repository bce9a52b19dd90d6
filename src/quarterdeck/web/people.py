"""The dashboard's People area: ``/people``, the index of the people-program pages (ladder,
readiness, succession, hiring, surveys) and their JSON, ``/api/v1/people``.

Each page lives in its own module and says who may see it; the index lists the pages this
server has and, for the one who asks, whether they may open each: the per-person pages
(ladder readiness, succession, a requisition's candidates) are for admins and leaders (their
unit's people), the surveys' team aggregates for anyone who may see the team.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from quarterdeck.core.clock import today
from quarterdeck.web.board import sight_for
from quarterdeck.web.pages import render
from quarterdeck.web.results import data_end
from quarterdeck.web.view import read_filters

#: (path, title, what it shows, for whom: "leaders" = admins and leaders, "everyone")
PAGES: tuple[tuple[str, str, str, str], ...] = (
    ("/people/ladder", "Career ladder", "the tracks, levels and competencies, and how HR levels map onto them",
     "everyone"),
    ("/people/readiness", "Promotion readiness", "who meets the next level, time in level, the promotion pipeline",
     "leaders"),
    ("/people/succession", "Succession", "key roles without a ready successor, bench strength, single points of "
     "knowledge", "leaders"),
    ("/people/hiring", "Hiring pipeline", "time to fill, time in stage, conversion and offer acceptance",
     "leaders"),
    ("/people/surveys", "Developer-experience surveys", "scores and eNPS by team over time, beside the measured "
     "numbers they speak of", "everyone"),
)  # fmt: skip


def people_routes() -> list[Route]:
    return [Route("/people", people_page, name="people_page"), Route("/api/v1/people", people_json, name="api_people")]


async def _pages(request: Request) -> list[dict[str, Any]]:
    sight = await sight_for(request)
    served = {getattr(route, "path", None) for route in request.app.routes}
    return [
        {"href": path, "title": title, "what": what, "for": who, "allowed": who == "everyone" or sight.money}
        for path, title, what, who in PAGES
        if path in served
    ]


async def people_page(request: Request) -> Response:
    pages = await _pages(request)
    zone = request.app.state.settings.timezone
    ends = await request.app.state.warehouse.run(lambda w: data_end(w, today(), zone))
    sight = await sight_for(request)
    return render("people.html", pages=pages, filters=read_filters(request.query_params), choices=[],
                  show_money=sight.money, window_end=ends)  # fmt: skip


async def people_json(request: Request) -> JSONResponse:
    return JSONResponse({"pages": await _pages(request)})
