"""The dashboard's pages about the organization and its data: the org tree, and data quality.

``/org`` (``?at=YYYY-MM-DD``, default the last day of the data, as ``quarterdeck org tree``
takes it, and the page says so) shows the
org tree on a date, each unit with its Team Topologies type, manager, span, direct members
and headcount, each team linking to its scorecard; then the org checks' findings. It reads
the organization exactly as ``quarterdeck org tree`` and ``quarterdeck org check`` do
(``load_org``, ``build_tree``, ``check_org`` with the default thresholds and the settings'
time zone), so page and command line agree. Headcounts describe the organization, not
people: like the command line, the page never hides them (``metrics.org_tree``). With
``?unit=ID`` (or ``?team=ID``) the tree is that unit's, as ``org tree --unit ID`` prints it;
for an admin the findings stay the whole organization's, for a leader or member they are
those of their subtree's units and people only (``OrgView.within``): nobody outside it is
named. Each unit links to its scorecard.

``/data-quality`` shows every check of ``quarterdeck data-quality`` (``run_checks``): what it
looks for, how many records it found, and the first rows of each.

Both are computed once per question on the server's warehouse (``results.ResultCache``)
and rendered with Jinja2, every value escaped, under the same Content-Security-Policy as
the other pages (``web.headers``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from quarterdeck.core.clock import today
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.metrics.data_quality import COLUMNS, run_checks
from quarterdeck.metrics.org_checks import CHECKS, Finding, Thresholds, check_org
from quarterdeck.metrics.org_design import import_dates, load_org
from quarterdeck.metrics.org_tree import NO_TEAM, TreeNode, build_tree
from quarterdeck.store import Warehouse
from quarterdeck.web.access import Sight, principal_of, require
from quarterdeck.web.board import sight_for
from quarterdeck.web.pages import render
from quarterdeck.web.results import data_end
from quarterdeck.web.units import ScopeChoice, org_scopes
from quarterdeck.web.view import read_filters

#: Rows of each data-quality check shown on its page (the command line's JSON has them all).
SHOWN_ROWS = 50


def org_routes() -> list[Route]:
    return [
        Route("/org", org_page, name="org_page"),
        Route("/data-quality", data_quality_page, name="data_quality_page"),
    ]


@dataclass(frozen=True)
class OrgView:
    """The org tree and the org checks on one date: what ``/org`` shows."""

    date: date
    first_import: date
    latest_import: date
    unit: str | None  # the unit whose subtree is shown; None: the whole organization
    roots: list[TreeNode]
    headcount: int
    findings: list[Finding]
    thresholds: Thresholds
    choices: list[ScopeChoice]  # for the scope picker
    people: frozenset[str] = field(default_factory=frozenset)  # ids of the people on the units shown
    within_unit: bool = False  # the findings are those of the unit's subtree, not the organization's

    def within(self) -> OrgView:
        """The view with only the findings about the units shown and their people."""
        units = set(_unit_ids(self.roots))
        kept = [f for f in self.findings if f.subject in units or f.subject in self.people]
        return replace(self, findings=kept, within_unit=True)

    data_ends: date | None = None  # set when no date was asked for: the org on the data's last day

    @property
    def counts(self) -> dict[str, int]:
        return {s: sum(1 for f in self.findings if f.severity == s) for s in ("warning", "info")}

    @property
    def meanings(self) -> list[tuple[str, str]]:
        """(code, what it means) of each code found, in the order found."""
        return [(code, CHECKS[code]) for code in dict.fromkeys(f.code for f in self.findings)]


@dataclass(frozen=True)
class CheckView:
    """One data-quality check: what it looks for, how many records it found, the first ones."""

    name: str
    meaning: str
    count: int
    rows: list[tuple[Any, ...]]  # the first SHOWN_ROWS


@dataclass(frozen=True)
class DataQualityView:
    checks: list[CheckView]
    columns: list[str]
    data_end: date
    choices: list[ScopeChoice]

    @property
    def total(self) -> int:
        return sum(c.count for c in self.checks)


async def org_page(request: Request) -> HTMLResponse:
    filters = read_filters(request.query_params)
    day = read_day(request.query_params.get("at"))
    sight = await sight_for(request)
    unit = _unit_in_sight(request, filters.unit or filters.team, sight)
    view = await org_view(request.app, day, unit, "unit" if filters.unit else "team")
    if not sight.everything:
        view = view.within()
    choices = [c for c in view.choices if sight.allows(c.kind, c.id)]
    return render("org.html", view=view, filters=filters, choices=choices, no_team=NO_TEAM, show_money=sight.money)


def _unit_in_sight(request: Request, unit: str | None, sight: Sight) -> str | None:
    """The unit asked for, if one's access covers it; a leader or member who asks for none
    sees their own unit or team."""
    principal = principal_of(request)
    if sight.everything or principal is None:
        return unit
    own = principal.unit if principal.role == "leader" else principal.team
    if unit is None or unit == own:
        return own
    require(sight, "team", unit)
    return unit


async def data_quality_page(request: Request) -> HTMLResponse:
    if not (await sight_for(request)).everything:
        raise HTTPException(403, "data quality lists records of the whole organization: an admin's page")
    filters = read_filters(request.query_params)
    view = await data_quality_view(request.app)
    return render("data_quality.html", view=view, filters=filters, choices=view.choices, shown_rows=SHOWN_ROWS,
                  show_money=True)  # fmt: skip


def read_day(text: str | None) -> date | None:
    """The ``at`` parameter: a day, or None when not given (400 for anything else)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HTTPException(400, f"at: expected a day as YYYY-MM-DD, got {text!r}") from None


async def org_view(app: Starlette, day: date | None, unit: str | None = None, asked_as: str = "unit") -> OrgView:
    """The org on ``day`` (default: the last day of the data, as the command line's), under
    ``unit`` if given (asked for as the query parameter ``asked_as``, which an error names)."""
    key = ("org", day, unit)
    return await app.state.warehouse.run(
        lambda w: app.state.results.get(key, lambda: _org(app, w, day, unit, asked_as))
    )


async def data_quality_view(app: Starlette) -> DataQualityView:
    key = ("data-quality",)
    return await app.state.warehouse.run(lambda w: app.state.results.get(key, lambda: _data_quality(w)))


def _org(app: Starlette, warehouse: Warehouse, day: date | None, unit: str | None, asked_as: str) -> OrgView:
    ends = None if day else data_end(warehouse, today(), app.state.settings.timezone)
    at = day or ends
    try:
        first, latest = import_dates(warehouse)
    except QuarterdeckError as exc:
        raise HTTPException(422, str(exc)) from exc
    if at < first:
        raise HTTPException(
            400,
            f"at: no organization data on {at}: the first organization import is of {first} "
            f"(the latest of {latest}); choose a day from {first}",
        )
    org = load_org(warehouse, at)
    if unit is not None and unit not in org.units:
        raise HTTPException(404, f"{asked_as}: no unit with the id {unit!r} on {at}")
    tree = build_tree(org, unit)
    thresholds = Thresholds()
    findings = check_org(warehouse, org, thresholds, app.state.settings.timezone)
    choices = org_scopes(warehouse, at, org).choices()
    units = set(org.subtree(unit)) if unit is not None else set(org.units)
    people = frozenset(p.person_id for p in org.people.values() if p.team_id in units)
    return OrgView(
        at, first, latest, unit, tree.roots, tree.headcount, findings, thresholds, choices, people, data_ends=ends
    )


def _unit_ids(nodes: list[TreeNode]) -> list[str]:
    return [i for node in nodes for i in (node.unit_id, *_unit_ids(node.children))]


def _data_quality(warehouse: Warehouse) -> DataQualityView:
    checks = [CheckView(c.name, c.meaning, len(rows), rows[:SHOWN_ROWS]) for c, rows in run_checks(warehouse)]
    end = data_end(warehouse, date.today())
    return DataQualityView(checks, list(COLUMNS[1:]), end, org_scopes(warehouse, end).choices())
