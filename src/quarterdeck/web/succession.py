"""The dashboard's succession page: ``/people/succession`` and its JSON,
``/api/v1/people/succession`` (docs/succession.md): the key roles on a date (``?at=``;
default the end of the data), their successors, the roles with no successor ready now, bench
strength per unit, key people who are a service's only holder and over-committed
successors, as ``quarterdeck succession --format json`` gives them.

Per-person data: admins see every unit (``?unit=`` narrows to one); a leader sees the roles
of their own unit only (``?unit=`` may name a unit inside it, any other is 403), and people
outside their unit named on those roles (a successor, a service's holder) are shown as
"someone outside the unit"; members get 403.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from quarterdeck.core.clock import today
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.metrics.org_design import OrgAt, load_org, resolve_unit
from quarterdeck.planning.succession import succession, succession_json
from quarterdeck.store import Warehouse
from quarterdeck.web.access import Sight
from quarterdeck.web.board import sight_for
from quarterdeck.web.pages import render
from quarterdeck.web.results import data_end
from quarterdeck.web.view import read_filters

REFUSED = (
    "succession names people: it is for admins and for leaders, of their own unit (the access file, docs/dashboard.md)"
)
OUTSIDE = "someone outside the unit"


def succession_routes() -> list[Route]:
    return [
        Route("/people/succession", succession_page, name="succession_page"),
        Route("/api/v1/people/succession", succession_api, name="api_succession"),
    ]


async def succession_api(request: Request) -> JSONResponse:
    return JSONResponse(await _document(request))


async def succession_page(request: Request) -> Response:
    document = await _document(request)
    asked = {k: v for k, v in request.query_params.items() if k in ("at", "unit")}
    json_href = "/api/v1/people/succession" + (f"?{urlencode(asked)}" if asked else "")
    return render(
        "succession.html", data=document, json_href=json_href, filters=read_filters(request.query_params),
        choices=[], show_money=True, window_end=document["at"],
    )  # fmt: skip


async def _document(request: Request) -> dict[str, Any]:
    sight = await sight_for(request)
    if not sight.money or (not sight.everything and not sight.home):
        raise HTTPException(403, f"{REFUSED}; your access covers {sight.covers}")
    at = _day(request.query_params.get("at"))
    unit = request.query_params.get("unit") or None
    zone = request.app.state.settings.timezone
    try:
        return await request.app.state.warehouse.run(lambda w: _compute(w, sight, at, unit, zone))
    except QuarterdeckError as exc:
        raise HTTPException(400, str(exc)) from None


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HTTPException(400, f"at={text!r}: expected a date as YYYY-MM-DD") from None


def _compute(warehouse: Warehouse, sight: Sight, at: date | None, unit: str | None, zone: str) -> dict[str, Any]:
    org = load_org(warehouse, at or data_end(warehouse, today(), zone))
    top = resolve_unit(warehouse, org, unit) if unit else None
    if not sight.everything:
        top = top or (sight.home[1] if sight.home else None)
        if top is None or top not in sight.teams:
            raise HTTPException(403, f"your access covers {sight.covers}, not the unit {unit}")
    document = succession_json(succession(warehouse, org, top, zone))
    return document if sight.everything else _within(document, org, top)


def _within(document: dict[str, Any], org: OrgAt, top: str | None) -> dict[str, Any]:
    """The document with the people outside the unit ``top`` left unnamed."""
    units = set(org.subtree(top)) if top else set()
    inside = {p.person_id for p in org.people.values() if p.team_id in units}
    for role in document["roles"]:
        if role["holder"] is not None and role["holder"] not in inside:
            role["holder"], role["holder_name"] = None, OUTSIDE
        for successor in role["successors"]:
            if successor["person"] not in inside:
                successor["person"], successor["name"] = None, OUTSIDE
    document["over_committed"] = [o for o in document["over_committed"] if o["person"] in inside]
    return document
