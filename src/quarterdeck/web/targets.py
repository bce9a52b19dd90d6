"""The dashboard's Targets page: ``/targets`` and its JSON, ``/api/v1/targets``
(docs/targets.md): every target of the targets file the signed-in person may see (the scope's
unit, team or service within their access; the organization's targets for those who see the
whole organization), its owner, status colour, trend over the last periods and how many
periods it has been missed, from the recorded history (``quarterdeck targets record``), as
``quarterdeck targets status --format json`` gives them."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from quarterdeck.config.targets import Targets
from quarterdeck.core.clock import today
from quarterdeck.metrics.data_end import data_end
from quarterdeck.metrics.target_history import data_months
from quarterdeck.metrics.target_status import target_statuses
from quarterdeck.reports.svg_charts import sparkline
from quarterdeck.store import Warehouse
from quarterdeck.web.access import Sight
from quarterdeck.web.board import sight_for
from quarterdeck.web.pages import render
from quarterdeck.web.view import read_filters


def targets_routes() -> list[Route]:
    return [
        Route("/targets", targets_page, name="targets_page"),
        Route("/api/v1/targets", targets_api, name="api_targets"),
    ]


async def targets_api(request: Request) -> JSONResponse:
    return JSONResponse(await _document(request))


async def targets_page(request: Request) -> Response:
    document = await _document(request)
    for row in document["targets"]:
        values = [p["value"] for p in row["trend"]]
        row["sparkline"] = sparkline(values, label=f"{row['title']} at {row['scope']}, last periods")
    return render(
        "targets.html", data=document, filters=read_filters(request.query_params), choices=[],
        show_money=(await sight_for(request)).money, window_end=document["data_end"],
    )  # fmt: skip


async def _document(request: Request) -> dict[str, Any]:
    sight = await sight_for(request)
    app = request.app
    zone = app.state.settings.timezone
    return await app.state.warehouse.run(lambda w: targets_document(w, app.state.targets, sight, zone))


def targets_document(warehouse: Warehouse, targets: Targets, sight: Sight, zone: str) -> dict[str, Any]:
    """What the page and its JSON show: where the data ends, and each visible target."""
    months = data_months(warehouse, data_end(warehouse, today(), zone), zone)
    visible = [s for s in target_statuses(warehouse, targets) if _sees(sight, s.target.scope)]
    return {
        "data_end": months.ends.isoformat(),
        "last_whole_month": f"{months.last:%Y-%m}" if months.last else None,
        "open_month": f"{months.open_month:%Y-%m}" if months.open_month else None,
        "targets": [s.as_json() for s in visible],
    }


def _sees(sight: Sight, scope: str) -> bool:
    kind, _, ident = scope.partition(":")
    return sight.allows(kind, ident or None)
