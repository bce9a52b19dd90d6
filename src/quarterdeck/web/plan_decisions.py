"""The dashboard's decision page: ``/plans/decision/{file}`` and its JSON,
``/api/v1/plans/decision/{file}``: a build-vs-buy decision file of the plans folder
(``settings.plans_dir()``), run as ``quarterdeck decide build-vs-buy FILE`` runs it (the same
draws and seed: the same numbers), with the options' NPV bands and the tornado as SVG.

Admins and leaders only (``require_money``); a leader's engineering time is priced at their
own unit's engineer-month cost when the file does not give one. A name with a slash, a
backslash or ``..`` is refused (400): only files directly in the plans folder are read."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from quarterdeck.core.errors import ConfigError
from quarterdeck.planning.build_vs_buy import DEFAULT_DRAWS
from quarterdeck.planning.decide_file import read_decision
from quarterdeck.planning.decide_report import needs_warehouse, outcome_json, run_decision
from quarterdeck.planning.engineer_cost import currency_of
from quarterdeck.web import decision_charts
from quarterdeck.web.access import Sight, require_money
from quarterdeck.web.board import sight_for
from quarterdeck.web.pages import render
from quarterdeck.web.plans import plans_file
from quarterdeck.web.results import data_end
from quarterdeck.web.view import read_filters


def decision_routes() -> list[Route]:
    return [
        Route("/plans/decision/{file}", decision_page, name="decision_page"),
        Route("/api/v1/plans/decision/{file}", decision_json, name="api_decision"),
    ]


def unit_of(sight: Sight) -> str | None:
    """A leader's unit (their home scope), whose engineers price engineering time."""
    if sight.everything or sight.home is None:
        return None
    return sight.home[1]


async def decision_document(request: Request) -> dict[str, Any]:
    sight = await sight_for(request)
    require_money(sight)
    path = plans_file(request, request.path_params["file"], "decision")
    settings = request.app.state.settings
    try:
        decision = read_decision(path)
        if not needs_warehouse(decision):
            outcome = run_decision(decision, settings, None, DEFAULT_DRAWS, 0)
        else:
            unit = unit_of(sight)
            outcome = await request.app.state.warehouse.run(
                lambda w: run_decision(decision, settings, w, DEFAULT_DRAWS, 0, unit)
            )
    except ConfigError as exc:
        raise HTTPException(422, str(exc).replace(str(path.parent) + "/", "")) from None
    return outcome_json(outcome, currency_of(decision, settings))


async def decision_page(request: Request) -> Response:
    document = await decision_document(request)
    charts = {
        "bands": decision_charts.npv_bands(document["options"], document["currency"]),
        "tornado": decision_charts.tornado(
            document["tornado"]["bars"], document["tornado"]["at_modes"], document["tornado"]["difference"]
        ),
    }
    zone = request.app.state.settings.timezone
    ends = await request.app.state.warehouse.run(lambda w: data_end(w, date.today(), zone))
    return render(
        "plan_decision.html",
        document=document,
        charts=charts,
        filters=read_filters(request.query_params),
        choices=[],
        show_money=True,
        json_href=f"/api/v1/plans/decision/{request.path_params['file']}",
        window_end=ends,
    )


async def decision_json(request: Request) -> JSONResponse:
    return JSONResponse(await decision_document(request))
