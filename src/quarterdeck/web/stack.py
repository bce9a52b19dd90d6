"""The dashboard's tech-stack page: ``/stack`` and its JSON, ``/api/v1/stack``
(docs/tech-stack.md): languages and frameworks per team (or repository, or the whole
organization: ``?by=``), version sprawl, the dependency licence mix with copyleft flagged,
the repositories off the standard stack (the standards file next to the warehouse) and the
manifests that could not be read: the same metrics ``quarterdeck stack`` runs.

Everyone signed in may open it, and sees the repositories they may see: all of them for an
admin, those the teams of their unit own for a leader, those their team owns for a member
(ownership: services and CODEOWNERS, as the metrics' ``--unit``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from quarterdeck.config.standards import default_standards_path, load_standards
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.metrics.query import MetricQuery, settings_query_fields
from quarterdeck.metrics.stack import run_view, summary, unreadable
from quarterdeck.store import Warehouse
from quarterdeck.web.access import Sight
from quarterdeck.web.board import sight_for
from quarterdeck.web.pages import render
from quarterdeck.web.view import read_filters

GROUPINGS = ("team", "repository", "org")


def stack_routes() -> list[Route]:
    return [
        Route("/stack", stack_page, name="stack_page"),
        Route("/api/v1/stack", stack_api, name="api_stack"),
    ]


async def stack_api(request: Request) -> JSONResponse:
    return JSONResponse(await _document(request))


async def stack_page(request: Request) -> Response:
    document = await _document(request)
    json_href = "/api/v1/stack" + (f"?by={document['by']}" if request.query_params.get("by") else "")
    return render(
        "stack.html", data=document, json_href=json_href, filters=read_filters({}), choices=[],
        show_money=False, window_end=document["as_of"], groupings=GROUPINGS,
    )  # fmt: skip


async def _document(request: Request) -> dict[str, Any]:
    by = request.query_params.get("by") or "team"
    if by not in GROUPINGS:
        raise HTTPException(400, f"by={by!r}: expected one of {', '.join(GROUPINGS)}")
    sight = await sight_for(request)
    settings = request.app.state.settings
    try:
        return await request.app.state.warehouse.run(lambda w: _compute(w, sight, by, settings))
    except QuarterdeckError as exc:
        raise HTTPException(400, str(exc)) from None


def _records(result: Any) -> list[dict[str, Any]]:
    return [dict(zip(result.columns, (_plain(v) for v in row), strict=True)) for row in result.rows]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _compute(warehouse: Warehouse, sight: Sight, by: str, settings: Any) -> dict[str, Any]:
    fields = settings_query_fields(settings)
    scope: dict[str, Any] = {}
    if not sight.everything:
        if sight.home is None:  # a leader of a unit not in the organization (yet): no repository
            raise HTTPException(403, f"your access covers {sight.covers}, which owns no repository")
        scope["owner_unit"] = sight.home[1]  # a leader's unit, a member's team: the repositories its teams own
    standards_path: Path = default_standards_path(settings.db)
    standards = load_standards(standards_path) if standards_path.exists() else None
    query = MetricQuery(by=by, **fields, **scope)
    grouped = {view: run_view(warehouse, view, query) for view in ("languages", "frameworks", "licences")}
    sprawl = run_view(warehouse, "sprawl", query)
    at = sprawl.columns.index("versions")
    sprawl.rows = [r for r in sprawl.rows if r[at] > 1]
    listed = run_view(warehouse, "languages", MetricQuery(by="repository", **fields, **scope))
    visible = sorted({row[0] for row in listed.rows})
    findings: list[dict[str, Any]] = []
    if standards is not None:
        checked = run_view(warehouse, "standards", MetricQuery(**fields, **scope, standards=standards))
        findings = _records(checked)
    head = summary(warehouse, MetricQuery(**fields, **scope))
    return {
        "as_of": _plain(sprawl.window.until),
        "by": by,
        "scope": "organization" if sight.everything else sight.covers,
        "summary": {**head.__dict__, "line": head.line()},
        "languages": _records(grouped["languages"]),
        "frameworks": _records(grouped["frameworks"]),
        "sprawl": _records(sprawl),
        "licences": _records(grouped["licences"]),
        "standards": {
            "file": str(standards_path) if standards is not None else None,
            "findings": findings,
            "repositories_off": sorted({f["repository"] for f in findings}),
        },
        "unreadable": [
            {"repository": r, "path": p, "reason": why}
            for r, p, why in unreadable(warehouse, None if sight.everything else visible)
        ],
    }
