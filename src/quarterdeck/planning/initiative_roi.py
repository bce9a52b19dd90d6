"""Initiative ROI: an initiative's cost so far from the investment allocation (the effort on
its epics, or its objective), plus its remaining cost, against benefit ranges; ROI and
payback as P10/P50/P90 (docs/decisions-build-vs-buy.md, decision 0061).

- cost so far: the cost of the rows of the metric ``investment_allocation_items`` (one per
  month, work item and person) whose epic is one of the initiative's (or whose objective is
  its objective), from ``since`` (default: the metric's 12 months) to ``until`` (default:
  the end of the data);
- cost = cost so far + remaining_cost (spent now);
- benefits: year y's amounts (revenue, savings...) summed, discounted by (1 + rate)^y;
- ROI = (benefits - cost) / cost;
- payback month: the first month from now by whose end the (undiscounted) benefits, a
  twelfth of the year's in each month, reach the cost; none within the horizon: ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np

from quarterdeck.config import Settings
from quarterdeck.core.errors import ConfigError, MetricError
from quarterdeck.metrics.catalog import get_metric
from quarterdeck.metrics.query import MetricQuery, run_metric, settings_query_fields
from quarterdeck.planning.build_vs_buy import DEFAULT_DRAWS, PERCENTILES, Band
from quarterdeck.planning.initiative_file import Initiative, InitiativeFile
from quarterdeck.store import Warehouse

METRIC = "investment_allocation_items"


@dataclass(frozen=True)
class SpentSoFar:
    cost: float
    fte_months: float
    since: date
    until: date
    rows: int  # effort rows (month, item, person) behind it


@dataclass(frozen=True)
class InitiativeResult:
    initiative: Initiative
    spent: SpentSoFar
    cost: Band
    benefits: Band  # discounted
    roi: Band | None  # None when the cost is 0
    payback: tuple[int | None, int | None, int | None]  # P10 / P50 / P90 month; None: beyond the horizon
    chance_positive: float  # share of draws with benefits above the cost


def spent_so_far(warehouse: Warehouse, settings: Settings, roi: InitiativeFile) -> dict[str, SpentSoFar]:
    """Each initiative's cost so far, read through the metrics layer."""
    currency = roi.currency or settings.reporting_currency
    base = replace(
        MetricQuery(**settings_query_fields(settings)), by="org", grain="month", currency=currency, until=roi.until
    )
    found: dict[str, SpentSoFar] = {}
    for since in {i.since for i in roi.initiatives}:
        try:
            result = run_metric(warehouse, get_metric(METRIC), replace(base, since=since))
        except MetricError as exc:
            raise ConfigError(f"{roi.path}: cannot read the initiatives' cost: {exc}") from None
        rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        for initiative in (i for i in roi.initiatives if i.since == since):
            found[initiative.name] = _sum(initiative, rows, result.window.since, result.window.until, roi)
    return found


def _sum(
    initiative: Initiative, rows: list[dict[str, Any]], since: date, until: date, roi: InitiativeFile
) -> SpentSoFar:
    epics = {e.lower() for e in initiative.epics}
    if epics:
        mine = [r for r in rows if (r["epic"] or "").lower() in epics or (r["item"] or "").lower() in epics]
    else:
        mine = [r for r in rows if r["objective"] == initiative.objective]
    if any(not isinstance(r["cost"], int | float) for r in mine):
        raise ConfigError(
            f"{roi.path}:{initiative.line}: initiative {initiative.name!r}: its cost is hidden (groups of fewer "
            "people than the minimum group size, [privacy] min_group_size)"
        )
    return SpentSoFar(float(sum(r["cost"] for r in mine)), float(sum(r["fte"] for r in mine)), since, until, len(mine))


def evaluate(
    roi: InitiativeFile, spent: dict[str, SpentSoFar], draws: int = DEFAULT_DRAWS, seed: int = 0
) -> tuple[InitiativeResult, ...]:
    rng = np.random.default_rng(seed)
    rate = roi.discount_rate.draw(rng, draws)
    years = np.arange(1, roi.horizon + 1, dtype=float)[None, :]
    discount = (1 + rate[:, None]) ** -years
    results = []
    for initiative in roi.initiatives:
        so_far = spent[initiative.name]
        cost = so_far.cost + initiative.remaining_cost.draw(rng, draws)
        yearly = np.zeros((draws, roi.horizon))
        for ranges in initiative.benefits.values():
            yearly += np.column_stack([r.draw(rng, draws) for r in ranges])
        benefits = (yearly * discount).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            roi_draws = (benefits - cost) / cost
        results.append(
            InitiativeResult(
                initiative,
                so_far,
                Band.of(cost),
                Band.of(benefits),
                Band.of(roi_draws) if np.all(cost > 0) else None,
                payback_months(yearly, cost),
                float(np.mean(benefits > cost)),
            )
        )
    return tuple(results)


def payback_months(yearly: np.ndarray, cost: np.ndarray) -> tuple[int | None, int | None, int | None]:
    """P10/P50/P90 of the first month whose cumulative benefits reach the cost (each a
    draw's month: the inverted empirical distribution); None beyond the horizon."""
    monthly = np.repeat(yearly / 12, 12, axis=1)
    reached = np.cumsum(monthly, axis=1) >= cost[:, None] - 1e-9
    month = np.where(reached.any(axis=1), reached.argmax(axis=1) + 1, np.inf)
    quantiles = np.percentile(month, PERCENTILES, method="inverted_cdf")
    return tuple(None if np.isinf(q) else int(q) for q in quantiles)  # type: ignore[return-value]


def roi_json(roi: InitiativeFile, results: tuple[InitiativeResult, ...], currency: str, draws: int, seed: int) -> dict:
    return {
        "title": roi.title,
        "file": roi.path.name,
        "horizon_years": roi.horizon,
        "discount_rate": roi.discount_rate.as_json(),
        "currency": currency,
        "draws": draws,
        "seed": seed,
        "initiatives": [
            {
                "name": r.initiative.name,
                "epics": list(r.initiative.epics),
                "objective": r.initiative.objective,
                "spent_so_far": {
                    "cost": round(r.spent.cost, 2),
                    "fte_months": round(r.spent.fte_months, 4),
                    "since": r.spent.since.isoformat(),
                    "until": r.spent.until.isoformat(),
                    "effort_rows": r.spent.rows,
                    "origin": f"metric {METRIC} (the investment allocation)",
                },
                "remaining_cost": r.initiative.remaining_cost.as_json(),
                "cost": r.cost.as_json(),
                "benefits": r.benefits.as_json(),
                "roi": None
                if r.roi is None
                else {"p10": round(r.roi.p10, 4), "p50": round(r.roi.p50, 4), "p90": round(r.roi.p90, 4)},
                "payback_month": dict(zip(("p10", "p50", "p90"), r.payback, strict=True)),
                "chance_positive": round(r.chance_positive, 4),
            }
            for r in results
        ],
    }


def run_roi(warehouse: Warehouse, settings: Settings, roi: InitiativeFile, draws: int, seed: int) -> dict:
    """The initiatives file as ``quarterdeck decide roi FILE --format json`` gives it."""
    currency = roi.currency or settings.reporting_currency
    return roi_json(roi, evaluate(roi, spent_so_far(warehouse, settings, roi), draws, seed), currency, draws, seed)
