"""The dashboard's career ladder and promotion readiness (docs/ladders.md):

- ``/people/ladder`` and ``/api/v1/people/ladder``: the ladder (imported, else built in), its
  levels and what each expects; organization-wide, for everyone signed in.
- ``/people/readiness`` and ``/api/v1/people/readiness``: per-person readiness on a day
  (``?at=YYYY-MM-DD``, default the latest organization import). Per-person data: admins see
  everyone; a leader the people of the teams of their unit (``Sight.teams``: the person's
  leader chain); a member gets 403.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from quarterdeck.core.clock import today
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.metrics.ladder import SHOW_COLUMNS, current_ladder, expectation_rows, ladder_summary
from quarterdeck.metrics.org_design import import_dates
from quarterdeck.metrics.readiness import COLUMNS, Readiness, readiness
from quarterdeck.web.access import Sight, principal_of
from quarterdeck.web.board import sight_for
from quarterdeck.web.pages import render
from quarterdeck.web.results import data_end
from quarterdeck.web.view import read_filters

PER_PERSON = "readiness is per person: admins, and leaders for the people of their unit"
PIPELINE = ("ready now", "within 6 months", "within 12 months", "later", "unknown", "not assessed", "top of track")


def people_ladder_routes() -> list[Route]:
    return [
        Route("/people/ladder", ladder_page, name="people_ladder"),
        Route("/api/v1/people/ladder", ladder_json, name="api_people_ladder"),
        Route("/people/readiness", readiness_page, name="people_readiness"),
        Route("/api/v1/people/readiness", readiness_json, name="api_people_readiness"),
    ]


async def ladder_page(request: Request) -> Response:
    summary, rows = await _ladder(request)
    return render("people_ladder.html", summary=summary, columns=SHOW_COLUMNS, rows=rows, **await _frame(request))


async def ladder_json(request: Request) -> JSONResponse:
    summary, rows = await _ladder(request)
    return JSONResponse({**summary, "rows": [dict(zip(SHOW_COLUMNS, row, strict=True)) for row in rows]})


async def _ladder(request: Request) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    def work(warehouse: Any) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
        found = current_ladder(warehouse)
        return ladder_summary(found), expectation_rows(found)

    return await request.app.state.warehouse.run(work)


async def readiness_page(request: Request) -> Response:
    day, rows = await _readiness(request)
    counts = Counter(r.pipeline for r in rows)
    pipeline = [(bucket, counts.get(bucket, 0)) for bucket in PIPELINE]
    json_href = f"/api/v1/people/readiness?at={day}"
    return render("people_readiness.html", at=day, rows=rows, pipeline=pipeline, json_href=json_href,
                  **await _frame(request))  # fmt: skip


async def readiness_json(request: Request) -> JSONResponse:
    day, rows = await _readiness(request)
    records = [{k: _plain(v) for k, v in zip(COLUMNS, r.row(), strict=True)} for r in rows]
    note = "months_to_ready is an estimate from each person's pace of rating gains (docs/ladders.md)"
    return JSONResponse({"at": day.isoformat(), "note": note, "rows": records})


async def _readiness(request: Request) -> tuple[date, list[Readiness]]:
    sight = await sight_for(request)
    principal = principal_of(request)
    if principal is not None and principal.role == "member":
        raise HTTPException(403, f"{PER_PERSON}; your access covers {sight.covers}")
    asked = request.query_params.get("at")
    try:
        at = date.fromisoformat(asked) if asked else None
    except ValueError:
        raise HTTPException(400, f"at: {asked!r}: expected a date as YYYY-MM-DD") from None

    def work(warehouse: Any) -> tuple[date, list[Readiness]]:
        try:
            day = at or import_dates(warehouse)[1]
            return day, readiness(warehouse, current_ladder(warehouse), day)
        except QuarterdeckError as exc:
            raise HTTPException(400, exc.message) from None

    day, rows = await request.app.state.warehouse.run(work)
    return day, [r for r in rows if _sees(sight, r)]


def _sees(sight: Sight, row: Readiness) -> bool:
    return sight.everything or (row.team_id is not None and row.team_id in sight.teams)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


async def _frame(request: Request) -> dict[str, Any]:
    zone = request.app.state.settings.timezone
    ends = await request.app.state.warehouse.run(lambda w: data_end(w, today(), zone))
    sight = await sight_for(request)
    return {"filters": read_filters(request.query_params), "choices": [], "show_money": sight.money,
            "window_end": ends}  # fmt: skip
