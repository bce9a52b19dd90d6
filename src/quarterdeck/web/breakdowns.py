"""A metric's breakdowns on its page: each unit, team or service's value in the window's
last month, from the same metric query grouped ``--by unit``, ``--by team`` or ``--by
service`` (within the scope's unit, for a unit scope).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from quarterdeck.metrics import MetricQuery, get_metric, run_metric
from quarterdeck.metrics.scorecard import Scope, TileSpec, Window, monthly_series
from quarterdeck.store import Warehouse
from quarterdeck.web.units import OrgScopes


def team_names(warehouse: Warehouse) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in warehouse.con.execute("SELECT team_id, name FROM teams ORDER BY name").fetchall()]


@dataclass(frozen=True)
class Part:
    """One group of a breakdown: a unit, team or service, and its value in the last month."""

    kind: str  # unit | team | service: the scope its link opens
    id: str
    name: str
    value: Any


def breakdown(
    warehouse: Warehouse, spec: TileSpec, window: Window, base: MetricQuery, kind: str, unit: str | None
) -> list[Part]:
    """Each team's (or service's) value in the window's last month, within ``unit`` when it
    is given (those with none left out)."""
    rows = _last_month_rows(warehouse, spec, window, base, kind, unit)
    names = dict(team_names(warehouse) if kind == "team" else service_names(warehouse))
    ids = sorted({r["group"] for r in rows if r.get("group") is not None})
    parts = [Part(kind, i, names.get(i, i), _last_month_value(rows, spec, window, i)) for i in ids]
    return [part for part in parts if part.value is not None]


def unit_breakdown(
    warehouse: Warehouse, spec: TileSpec, window: Window, base: MetricQuery, scope: Scope, scopes: OrgScopes
) -> list[Part]:
    """Each unit's value one level below the scope's unit (below the organization: its top
    units), from ``--by unit``: a division's teams, a group's divisions."""
    if scope.kind not in ("org", "unit"):
        return []
    below = scopes.below(scope.unit)
    rows = _last_month_rows(warehouse, spec, window, base, "unit", scope.unit) if below else []
    parts = [Part(kind, i, name, _last_month_value(rows, spec, window, i)) for kind, i, name in below]
    return [part for part in parts if part.value is not None]


def _last_month_rows(
    warehouse: Warehouse, spec: TileSpec, window: Window, base: MetricQuery, by: str, unit: str | None
) -> list[dict]:
    metric = get_metric(spec.metric)
    if spec.shape == "snapshot" or by not in metric.groupings:
        return []
    month = Window(window.until, 1)
    if spec.trailing:
        query = replace(base, at=month.end, by=by, unit=unit)
    else:
        query = replace(base, since=month.since, until=month.end, grain="month", by=by, unit=unit)
    result = run_metric(warehouse, metric, query)
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def _last_month_value(rows: list[dict], spec: TileSpec, window: Window, group: str) -> Any:
    metric = get_metric(spec.metric)
    month = Window(window.until, 1)
    return monthly_series(rows, spec, spec.column or metric.value, Scope("team", group), month)[-1][1]


def service_names(warehouse: Warehouse) -> list[tuple[str, str]]:
    return [
        (r[0], r[1]) for r in warehouse.con.execute("SELECT service_id, name FROM services ORDER BY name").fetchall()
    ]
