"""A build-vs-buy decision priced and run, as plain data for the CLI, the JSON and the
dashboard: the answer first, then the options' bands, the tornado and the assumptions with
where each comes from."""

from __future__ import annotations

from typing import Any

from quarterdeck.config import Settings
from quarterdeck.planning.build_vs_buy import DEFAULT_DRAWS, Outcome, evaluate
from quarterdeck.planning.decide_file import PERCENT_FIELDS, Decision
from quarterdeck.planning.engineer_cost import currency_of, file_cost, organization_cost
from quarterdeck.planning.ranges import Range
from quarterdeck.store import Warehouse

DISCOUNTING = "yearly cash flows discounted at the end of each year (year 1 by 1 + rate)"


def needs_warehouse(decision: Decision) -> bool:
    """The file does not price engineering time itself: the organization's cost is read."""
    return file_cost(decision) is None


def run_decision(
    decision: Decision,
    settings: Settings,
    warehouse: Warehouse | None,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    unit: str | None = None,
) -> Outcome:
    """Price engineering time (the file's, else the organization's, or ``unit``'s) and run
    the Monte Carlo."""
    given = file_cost(decision)
    if given is None:
        assert warehouse is not None, "needs_warehouse() says when to open one"
        currency = currency_of(decision, settings)
        given = organization_cost(warehouse, settings, currency, str(decision.path), unit)
    return evaluate(decision, given[0], given[1], draws=draws, seed=seed)


def outcome_json(outcome: Outcome, currency: str) -> dict[str, Any]:
    decision = outcome.decision
    results = {result.name: result for result in outcome.options}
    cheaper = results[outcome.cheaper]
    return {
        "title": decision.title,
        "file": decision.path.name,
        "years": decision.years,
        "currency": currency,
        "draws": outcome.draws,
        "seed": outcome.seed,
        "discounting": DISCOUNTING,
        "answer": {
            "cheaper": outcome.cheaper,
            "other": outcome.other,
            "npv_difference": outcome.difference.as_json(),
            "chance_cheaper": round(cheaper.chance_cheapest, 4),
            "break_even_year": outcome.break_even,
        },
        "options": [
            {
                "name": result.name,
                "kind": result.kind,
                "tco": result.tco.as_json(),
                "npv": result.npv.as_json(),
                "chance_cheapest": round(result.chance_cheapest, 4),
                "cumulative": [{"year": i, **band.as_json()} for i, band in enumerate(result.cumulative, start=1)],
            }
            for result in outcome.options
        ],
        "tornado": {
            "difference": f"NPV of {outcome.other} - NPV of {outcome.cheaper}",
            "at_modes": round(outcome.base_difference, 2),
            "bars": [
                {
                    "input": bar.input,
                    "low": bar.low,
                    "high": bar.high,
                    "shown": [shown(bar.input, bar.low), shown(bar.input, bar.high)],
                    "at_low": round(bar.at_low, 2),
                    "at_high": round(bar.at_high, 2),
                    "swing": round(bar.swing, 2),
                }
                for bar in outcome.tornado
            ],
        },
        "assumptions": assumptions(outcome),
    }


def shown(key: str, value: float) -> str:
    """An input's value as the file writes it: 5% for a rate, 12,000 for an amount."""
    return Range.point(value).describe(key.rsplit(".", 1)[-1] in PERCENT_FIELDS)


def assumptions(outcome: Outcome) -> list[dict[str, Any]]:
    """Every input the options use, its value and where it comes from."""
    decision = outcome.decision
    used = {"discount_rate", "engineer_month_cost"} | {key for o in decision.options for key in o.uses.values()}
    rows = []
    for key, value in {**decision.inputs, "engineer_month_cost": outcome.engineer_month_cost}.items():
        if key not in used:
            continue
        if key == "engineer_month_cost":
            origin = outcome.cost_origin
        elif key.startswith("default."):
            origin = "default"
        else:
            origin = f"{decision.path.name}, line {decision.lines.get(key, 0)}"
        percent = key.rsplit(".", 1)[-1] in PERCENT_FIELDS
        rows.append({"input": key, "value": value.describe(percent), "range": value.as_json(), "origin": origin})
    return rows
