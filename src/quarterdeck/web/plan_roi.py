"""The dashboard's initiative ROI page: ``/plans/roi/{file}`` and its JSON,
``/api/v1/plans/roi/{file}``: an initiatives file of the plans folder run as
``quarterdeck decide roi FILE`` runs it (the same draws and seed: the same numbers): each
initiative's cost so far from the investment allocation of its epics, its ROI and payback
month as P10/P50/P90 and the chance its benefits exceed its cost.

Admins only: the cost so far is the whole organization's effort on the initiative's epics,
whoever's unit it falls in (a leader's Money area shows their own unit's allocation).
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.planning.build_vs_buy import DEFAULT_DRAWS
from quarterdeck.planning.initiative_file import read_initiatives
from quarterdeck.planning.initiative_roi import run_roi
from quarterdeck.web.board import sight_for
from quarterdeck.web.pages import render
from quarterdeck.web.plans import frame, plans_file

SEED = 0


def roi_routes() -> list[Route]:
    return [
        Route("/plans/roi/{file}", roi_page, name="roi_page"),
        Route("/api/v1/plans/roi/{file}", roi_json_route, name="api_roi"),
    ]


async def roi_document(request: Request) -> dict[str, Any]:
    sight = await sight_for(request)
    if not sight.everything:
        raise HTTPException(
            403, f"initiative ROI is the whole organization's: for admins; your access covers {sight.covers}"
        )
    path = plans_file(request, request.path_params["file"], "initiatives")
    settings = request.app.state.settings
    try:
        initiatives = read_initiatives(path)
        return await request.app.state.warehouse.run(lambda w: run_roi(w, settings, initiatives, DEFAULT_DRAWS, SEED))
    except QuarterdeckError as exc:
        raise HTTPException(422, str(exc).replace(f"{path.parent}/", "")) from None


async def roi_page(request: Request) -> Response:
    document = await roi_document(request)
    return render("plan_roi.html", document=document, json_href=f"/api/v1/plans/roi/{request.path_params['file']}",
                  **await frame(request))  # fmt: skip


async def roi_json_route(request: Request) -> JSONResponse:
    return JSONResponse(await roi_document(request))
