"""The dashboard's Plans area: ``/plans`` (the files of the plans folder) and a plan's page,
``/plans/plan/{file}``, with their JSON under ``/api/v1/plans``.

A plan's page runs the plan as ``quarterdeck plan run FILE`` does (the same 10,000 draws and
seed 0: the same numbers), for the scenario asked (``?scenario=NAME``; none: the plan as
written) and every other scenario beside it: fan charts of headcount, capacity and cost by
month (P10-P90 shaded, P50 drawn) for one group (``?group=``: the organization, a unit or a
team), the bands by quarter, every group at each year's end, the chances of the capacity
targets and budgets, every assumption with its origin, the scenarios side by side, and the
talent gaps of the plan's needs.

Admins and leaders only (``access.require_money``): a leader sees the groups and teams of
their own unit, never the organization's totals nor another unit's; the talent gaps name
people and price training at their pay, so only admins see them. A group with fewer people
at the start than the minimum group size shows no cost. Runs are cached per file, its
modification time and the warehouse's state (the result cache is cleared on every load).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from quarterdeck.core.clock import today
from quarterdeck.core.errors import ConfigError
from quarterdeck.planning.gaps import talent_gaps
from quarterdeck.planning.gaps_data import load_inventory, team_aliases
from quarterdeck.planning.gaps_report import gap_json
from quarterdeck.planning.model import ORGANIZATION
from quarterdeck.planning.needs import read_needs
from quarterdeck.planning.plan_file import read_plan
from quarterdeck.planning.plan_folder import plan_entries
from quarterdeck.planning.report import (
    Run,
    band,
    hidden_cost,
    quarter_labels,
    run_json,
    run_plan,
    scenario_names,
    year_ends,
)
from quarterdeck.reports import svg_charts as charts
from quarterdeck.store import Warehouse
from quarterdeck.web.access import Sight, require_money
from quarterdeck.web.board import sight_for
from quarterdeck.web.pages import render
from quarterdeck.web.results import data_end
from quarterdeck.web.view import read_filters

#: The draws and seed of every plan on the dashboard: the command line's defaults.
DRAWS, SEED = 10_000, 0
CHARTS = (("headcount", "Headcount at the month's end", "people"), ("capacity", "Effective capacity", "FTE"),
          ("cost", "Loaded cost of the month", ""))  # fmt: skip


def plans_routes() -> list[Route]:
    return [
        Route("/plans", plans_page, name="plans_page"),
        Route("/api/v1/plans", plans_json, name="api_plans"),
        Route("/plans/plan/{file}", plan_page, name="plan_page"),
        Route("/api/v1/plans/plan/{file}", plan_json, name="api_plan"),
    ]


def plans_file(request: Request, name: str, what: str) -> Path:
    """The file ``name`` directly in the plans folder: 400 for a name that could leave it,
    404 when there is no such file."""
    if not name or "/" in name or "\\" in name or ".." in name or name.startswith("."):
        raise HTTPException(400, f"not a file name of the plans folder: {name!r}")
    path = request.app.state.settings.plans_dir() / name
    if not path.is_file():
        raise HTTPException(404, f"no {what} file {name} in the plans folder")
    return path


# -- the folder ------------------------------------------------------------------------------


async def plans_page(request: Request) -> Response:
    sight = await sight_for(request)
    require_money(sight)
    folder = request.app.state.settings.plans_dir()
    return render("plans.html", entries=plan_entries(folder), folder=folder, **await frame(request))


async def plans_json(request: Request) -> JSONResponse:
    require_money(await sight_for(request))
    folder = request.app.state.settings.plans_dir()
    return JSONResponse({"folder": str(folder), "files": [e.as_json() for e in plan_entries(folder)]})


async def frame(request: Request) -> dict[str, Any]:
    """What every page of the base template needs."""
    zone = request.app.state.settings.timezone
    ends = await request.app.state.warehouse.run(lambda w: data_end(w, today(), zone))
    return {"filters": read_filters(request.query_params), "choices": [], "show_money": True, "window_end": ends}


# -- one plan --------------------------------------------------------------------------------


async def plan_page(request: Request) -> Response:
    view = await _plan_view(request)
    document = view["document"]
    charts_ = {}
    for measure, title, unit in CHARTS:
        bands = view["monthly"].get(measure)
        if bands is not None:
            shown_unit = unit or document["currency"]
            svg = charts.fan_chart(view["months"], bands, title=f"{title}, {view['focus_name']}", unit=shown_unit)
            charts_[measure] = Markup(svg)
    query = {k: v for k, v in request.query_params.items() if k in ("scenario", "group")}
    json_href = f"/api/v1/plans/plan/{view['file']}" + (f"?{urlencode(query)}" if query else "")
    return render("plan.html", view=view, document=document, charts=charts_, json_href=json_href,
                  **await frame(request))  # fmt: skip


async def plan_json(request: Request) -> JSONResponse:
    view = await _plan_view(request)
    return JSONResponse({**view["document"], "focus": view["focus"], "scenarios": view["scenarios"],
                         "gaps": view["gaps"]})  # fmt: skip


async def _plan_view(request: Request) -> dict[str, Any]:
    sight = await sight_for(request)
    require_money(sight)
    name = request.path_params["file"]
    path = plans_file(request, name, "plan")
    app = request.app
    key = ("plan", name, path.stat().st_mtime_ns)
    try:
        names, runs, gaps = await app.state.warehouse.run(
            lambda w: app.state.results.get(key, lambda: _compute(w, app.state.settings, path))
        )
    except ConfigError as exc:
        raise HTTPException(422, str(exc).replace(f"{path.parent}/", "")) from None
    asked = request.query_params.get("scenario") or None
    if asked not in names:
        known = ", ".join(repr(n) for n in names[1:]) or "none"
        raise HTTPException(404, f"no scenario {asked!r} in {name}: its scenarios are {known}")
    run = runs[names.index(asked)]
    least = app.state.settings.min_group_size
    groups = visible_groups(run, sight)
    if not groups:
        raise HTTPException(403, f"no team of this plan is in your unit: your access covers {sight.covers}")
    focus = request.query_params.get("group") or (groups[0] if sight.everything else _home(sight, groups))
    if focus not in groups:
        status = 403 if focus in run.projection.quarterly else 404
        raise HTTPException(status, f"group {focus!r}: not a group of this plan you may see")
    return {
        "file": name,
        "document": run_json(run, groups, least),
        "focus": focus,
        "focus_name": run_json(run, [focus], least)["groups"][0]["name"],
        "groups": groups,
        "months": month_labels(run),
        "monthly": _monthly(run, focus, least),
        "year_rows": _year_rows(run, groups, least),
        "scenarios": _scenarios(names, runs, focus, least),
        "scenario_names": names,
        "asked": asked,
        "gaps": gaps if sight.everything else None,
    }


def _compute(warehouse: Warehouse, settings: Any, path: Path) -> tuple[list[str | None], list[Run], list | None]:
    """Every scenario of the plan (None: the plan as written) and its run, and the talent gaps
    of the plan as written when it has needs."""
    plan_file = read_plan(path)
    names = scenario_names(plan_file)
    runs = [run_plan(warehouse, settings, plan_file, name, DRAWS, SEED) for name in names]
    needs = read_needs(plan_file.needs, str(plan_file.path), plan_file.lines.get("needs", 0))
    if not needs:
        return names, runs, None
    first = runs[0]
    inventory = load_inventory(warehouse, first.built.plan.start)
    found = talent_gaps(first.built.plan, first.projection, needs, inventory, team_aliases(warehouse))
    gaps = [gap_json(gap, first.built.plan.start) for gap in found.gaps]
    return names, runs, [{**g, "where": g["where"].replace(f"{path.parent}/", "")} for g in gaps]


def visible_groups(run: Run, sight: Sight) -> list[str]:
    """The organization (for those who see everything), then the units, then the teams."""
    plan = run.built.plan
    units = [g for g in plan.groups if g != ORGANIZATION and g not in plan.teams()]
    named = [*([ORGANIZATION] if sight.everything else []), *units, *plan.teams()]
    return [g for g in dict.fromkeys(named) if g == ORGANIZATION or sight.allows("unit", g) or sight.allows("team", g)]


def _home(sight: Sight, groups: list[str]) -> str:
    home = sight.home[1] if sight.home else None
    return home if home in groups else groups[0]


def month_labels(run: Run) -> list[str]:
    start = run.built.plan.start
    return [f"{start.year + (start.month - 1 + m) // 12}-{(start.month - 1 + m) % 12 + 1:02d}"
            for m in range(run.built.plan.months)]  # fmt: skip


def _monthly(run: Run, group: str, least: int) -> dict[str, Any]:
    monthly = run.projection.monthly.get(group) or _quarters_as_months(run, group)
    return {m: None if m == "cost" and hidden_cost(run.built, group, least) else monthly[m] for m, _, _ in CHARTS}


def _quarters_as_months(run: Run, group: str) -> dict[str, Any]:
    """A team's bands: the engine keeps monthly bands for groups only, so a team's chart
    repeats each quarter's band over its three months."""
    quarterly = run.projection.quarterly[group]
    return {m: [quarterly[m][month // 3] for month in range(run.built.plan.months)] for m, _, _ in CHARTS}


def _year_rows(run: Run, groups: list[str], least: int) -> list[dict[str, Any]]:
    labels = quarter_labels(run.built)
    rows = []
    for name in groups:
        quarterly, hide = run.projection.quarterly[name], hidden_cost(run.built, name, least)
        for q in year_ends(run.built):
            rows.append({"group": name, "quarter": labels[q], "headcount": band(quarterly["headcount"][q]),
                         "capacity": band(quarterly["capacity"][q]),
                         "cost": None if hide else band(quarterly["cost"][q])})  # fmt: skip
    return rows


def _scenarios(names: list[str | None], runs: list[Run], group: str, least: int) -> list[dict[str, Any]]:
    """Each scenario's bands for ``group`` at each year's end, and its chances."""
    found = []
    for name, run in zip(names, runs, strict=True):
        labels, quarterly = quarter_labels(run.built), run.projection.quarterly[group]
        hide = hidden_cost(run.built, group, least)
        found.append({
            "scenario": name,
            "year_ends": [{"quarter": labels[q], "headcount": band(quarterly["headcount"][q]),
                           "capacity": band(quarterly["capacity"][q]),
                           "cost": None if hide else band(quarterly["cost"][q])} for q in year_ends(run.built)],
            "targets": [{"group": t.target.group, "quarter": labels[t.target.quarter], "chance": t.chance}
                        for t in run.projection.targets if t.target.group == group],
            "budgets": [{"group": b.budget.group, "period": b.budget.label, "chance": b.chance}
                        for b in run.projection.budgets if b.budget.group == group],
        })  # fmt: skip
    return found


__all__ = ["DRAWS", "SEED", "plans_file", "plans_routes"]
