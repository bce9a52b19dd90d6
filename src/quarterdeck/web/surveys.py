"""The dashboard's survey page: ``/people/surveys`` (``?survey=ID&by=team|unit``) and its JSON
twin ``/api/v1/people/surveys``: a survey's results as ``quarterdeck survey`` prints them,
and each theme beside the metric it speaks of (``quarterdeck survey --beside-metrics``).

Team aggregates for anyone who may see the team (``Sight.allows``): admins see every group,
a leader the units and teams of their unit, a member their team; the organization's row only
for those who see everything. The anonymity rule (docs/surveys.md) is applied over the whole
organization before anything is left out for the reader, so what one reader sees is a part
of what an admin sees: a group suppressed is suppressed for everyone, and shown as such.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from quarterdeck.core.clock import today
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.metrics.survey import choose_survey, survey_ids, survey_report
from quarterdeck.metrics.survey_systems import themes_beside_metrics
from quarterdeck.metrics.survey_view import beside_json, report_json
from quarterdeck.web.access import Sight
from quarterdeck.web.board import sight_for
from quarterdeck.web.pages import render
from quarterdeck.web.results import data_end
from quarterdeck.web.view import read_filters


def survey_routes() -> list[Route]:
    return [
        Route("/people/surveys", surveys_page, name="surveys_page"),
        Route("/api/v1/people/surveys", surveys_json, name="api_people_surveys"),
    ]


def allowed_groups(sight: Sight, report_groups: list[str]) -> set[str] | None:
    """None: every group; else the units and teams the reader may see."""
    if sight.everything:
        return None
    return {g for g in report_groups if sight.allows("team", g)}


async def _document(request: Request) -> dict[str, Any]:
    sight = await sight_for(request)
    by = request.query_params.get("by", "team")
    if by not in ("team", "unit"):
        raise HTTPException(400, f"by={by!r}: expected team or unit")
    asked = request.query_params.get("survey") or None
    minimum = request.app.state.settings.min_group_size

    def work(warehouse: Any) -> tuple[dict[str, Any], list[str]]:
        report = survey_report(warehouse, choose_survey(warehouse, asked), minimum)
        allowed = allowed_groups(sight, [g.group_id for g in report.groups])
        document = report_json(report, by, allowed)
        try:
            document["beside_metrics"] = beside_json(themes_beside_metrics(warehouse, report), allowed)
        except QuarterdeckError as exc:  # a metric that cannot run here: the survey still shows
            document["beside_metrics"], document["beside_problem"] = [], str(exc)
        return document, [s for s, _ in survey_ids(warehouse)]

    try:
        document, surveys = await request.app.state.warehouse.run(work)
    except QuarterdeckError as exc:
        raise HTTPException(404, str(exc)) from None
    return document | {"surveys": surveys}


async def surveys_json(request: Request) -> JSONResponse:
    return JSONResponse(await _document(request))


async def surveys_page(request: Request) -> Response:
    document = await _document(request)
    zone = request.app.state.settings.timezone
    ends = await request.app.state.warehouse.run(lambda w: data_end(w, today(), zone))
    sight = await sight_for(request)
    questions = [q for q in document["questions"] if q["kind"] != "text"]
    scores = {(s["group"], s["question"]): s for s in document["scores"]}
    return render(
        "surveys.html", document=document, questions=questions, scores=scores,
        filters=read_filters(request.query_params), choices=[], show_money=sight.money, window_end=ends,
    )  # fmt: skip
