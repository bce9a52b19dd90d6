"""The dashboard's reorg what-if: ``/plans/org/{file}`` and its JSON, ``/api/v1/plans/org/{file}``.

``file`` is a proposed-org file in the plans folder (setting ``plans.folder``,
``Settings.plans_dir``); a name with a slash, a backslash or ``..`` is refused (400), so
nothing outside the folder is read. The page shows what ``quarterdeck org what-if FILE``
prints, from the same function (``planning.reorg_compare.what_if``): the organization
before and after side by side, the units that change, who moves, the findings the
proposal adds and those it resolves. The date is ``?at=YYYY-MM-DD``, else the file's
``at``, else the last day of the data.

Only admins and leaders see it (``access.require_money``: it shows loaded costs). A leader
sees a proposal only when every team it touches is inside their unit (the teams it
changes or dissolves, the parents of the teams it adds or re-parents, the teams people
leave or join), else 403; and then only their unit's rows, people and findings, without
the whole organization's totals. A file that is not a valid proposal is a 422 naming the
line, as the command line says it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from quarterdeck.core.clock import today
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.planning.reorg_compare import WhatIf, changed_units, levels_text, summary_rows, what_if
from quarterdeck.planning.reorg_file import UNSET, read_reorg
from quarterdeck.store import Warehouse
from quarterdeck.web.access import Sight, require_money
from quarterdeck.web.board import sight_for
from quarterdeck.web.org_pages import read_day
from quarterdeck.web.pages import render
from quarterdeck.web.plans import plans_file
from quarterdeck.web.results import data_end
from quarterdeck.web.view import read_filters


def plan_org_routes() -> list[Route]:
    return [
        Route("/plans/org/{file}", plan_org_page, name="plan_org_page"),
        Route("/api/v1/plans/org/{file}", plan_org_json, name="api_plan_org"),
    ]


def touched_teams(result: WhatIf) -> set[str]:
    """The existing teams a proposal touches: those it changes or dissolves, the parents of
    those it adds or re-parents, the teams people leave or join."""
    p = result.proposal
    added = {n.id for n in p.add}
    found = {n.parent for n in p.add} | {c.team for c in p.change} | {d.team for d in p.dissolve}
    found |= {c.parent for c in p.change if c.parent not in (None, UNSET)}
    found |= {t for m in result.moves for t in (m.from_team, m.to_team) if t is not None}
    return {t for t in found if t not in added}


def _allowed(sight: Sight, result: WhatIf) -> None:
    if sight.everything:
        return
    outside = sorted(t for t in touched_teams(result) if not sight.allows("team", t))
    if outside:
        raise HTTPException(403, f"this proposal touches {', '.join(outside)}: your access covers {sight.covers}")


async def _result(request: Request) -> tuple[WhatIf, Sight]:
    sight = await sight_for(request)
    require_money(sight)
    settings = request.app.state.settings
    path = plans_file(request, request.path_params["file"], "proposed-org")
    asked = read_day(request.query_params.get("at"))

    def work(warehouse: Warehouse) -> WhatIf:
        try:
            proposal = read_reorg(path)
            day = asked or proposal.at or data_end(warehouse, today(), settings.timezone)
            return what_if(warehouse, path, day, settings, proposal=proposal)
        except QuarterdeckError as exc:
            raise HTTPException(422, str(exc).replace(str(path.parent) + "/", "")) from exc

    result = await request.app.state.warehouse.run(work)
    _allowed(sight, result)
    return result, sight


def page_view(result: WhatIf, sight: Sight) -> dict[str, Any]:
    """What the page and the JSON show to ``sight``: everything for an admin; a leader's
    unit only (its units, the people moving in or out of it, findings about them)."""
    added = {n.id for n in result.proposal.add}

    def mine(team: str | None) -> bool:
        return sight.everything or (team is not None and (sight.allows("team", team) or team in added))

    units = [(u, b, a) for u, b, a in changed_units(result) if mine(u)]
    moves = [m for m in result.moves if mine(m.from_team) or mine(m.to_team)]
    people = {m.person_id for m in moves}
    for org in (result.org_before, result.org_after):
        people |= {p.person_id for p in org.people.values() if mine(p.team_id)}

    def shown(found: list) -> list:
        return [f for f in found if sight.everything or mine(f.subject) or f.subject in people]

    return {
        "file": result.proposal.path.name,
        "name": result.proposal.name,
        "date": result.date,
        "currency": result.currency,
        "min_group_size": result.min_group_size,
        "summary": summary_rows(result) if sight.everything else None,
        "units": units,
        "moves": moves,
        "new_findings": shown(result.new_findings),
        "resolved_findings": shown(result.resolved_findings),
        "scope": "the whole organization" if sight.everything else sight.covers,
    }


async def plan_org_page(request: Request) -> Response:
    result, sight = await _result(request)
    view = page_view(result, sight)
    filters = read_filters(request.query_params)
    at = request.query_params.get("at")
    json_href = f"/api/v1/plans/org/{view['file']}" + (f"?at={at}" if at else "")
    return render("plan_org.html", view=view, filters=filters, choices=[], show_money=True, json_href=json_href,
                  levels_text=levels_text, window_end=result.date)  # fmt: skip


async def plan_org_json(request: Request) -> Response:
    result, sight = await _result(request)
    view = page_view(result, sight)
    body = {
        **{k: view[k] for k in ("file", "name", "currency", "min_group_size", "scope")},
        "date": view["date"].isoformat(),
        "summary": None if view["summary"] is None else [list(row) for row in view["summary"]],
        "units": [{"unit": u, "before": _plain(b), "after": _plain(a)} for u, b, a in view["units"]],
        "moves": [asdict(m) for m in view["moves"]],
        "new_findings": [asdict(f) for f in view["new_findings"]],
        "resolved_findings": [asdict(f) for f in view["resolved_findings"]],
    }
    return JSONResponse(body)


def _plain(figures: Any) -> dict[str, Any] | None:
    return None if figures is None else asdict(figures)
