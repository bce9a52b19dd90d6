"""A projection as plain data for people and scripts: the groups a reader asked for, the
bands per quarter, the chances of targets and budgets, and every assumption with its origin
(the command line's table, JSON and CSV; the dashboard's Plan pages).

Costs are sensitive: the cost of a team or group with fewer people at the plan's start than
``min_group_size`` is hidden (it would come close to one person's pay).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quarterdeck.config.settings import Settings
from quarterdeck.core.errors import ConfigError
from quarterdeck.planning.engine import simulate
from quarterdeck.planning.model import MEASURES, ORGANIZATION, Projection
from quarterdeck.planning.plan import BuiltPlan, build_plan
from quarterdeck.planning.plan_file import PlanFile
from quarterdeck.planning.plan_values import Quarter
from quarterdeck.store import Warehouse

BY = ("org", "unit", "team")


@dataclass(frozen=True)
class Run:
    """One scenario's plan and projection."""

    built: BuiltPlan
    projection: Projection


def run_plan(
    warehouse: Warehouse, settings: Settings, plan_file: PlanFile, scenario: str | None, draws: int, seed: int
) -> Run:
    """Build the plan of ``scenario`` (None: the plan as written) and simulate it."""
    built = build_plan(warehouse, settings, plan_file, scenario)
    try:
        projection = simulate(built.plan, draws, seed)
    except ValueError as exc:  # the engine refuses an input it cannot run
        raise ConfigError(f"{plan_file.path}: {exc}") from None
    return Run(built, projection)


def scenario_names(plan_file: PlanFile) -> list[str | None]:
    """The plan as written (None), then every scenario, in the file's order."""
    return [None, *(s.name for s in plan_file.scenarios)]


def quarter_labels(built: BuiltPlan) -> list[str]:
    return [str(built.start.plus(q)) for q in range(built.plan.quarters)]


def shown_groups(built: BuiltPlan, by: str, unit: str | None = None) -> list[str]:
    """The groups and teams to show: the organization, every unit, or every team (of ``unit``)."""
    groups, teams = built.plan.groups, built.plan.teams()
    inside = set(groups.get(unit, ())) | {unit} if unit else None
    if unit and unit not in groups and unit not in teams:
        raise ConfigError(f"--unit {unit}: no team of the plan is in that unit")
    if by == "org":
        return [unit] if unit else [ORGANIZATION]
    if by == "team":
        return [t for t in teams if inside is None or t in inside]
    return [g for g in groups if g != ORGANIZATION and (inside is None or g in inside or g == unit)]


def hidden_cost(built: BuiltPlan, name: str, least: int) -> bool:
    teams = set(built.plan.groups.get(name, (name,)))
    people = sum(1 for s in built.plan.seats if s.kind == "person" and s.team in teams)
    return people < least


def band_text(values: Any, unit: str = "") -> str:
    """``P10 / P50 / P90`` as people read it: FTE to one decimal, people and money whole;
    ``values`` a (P10, P50, P90) sequence or a ``band`` mapping."""
    if isinstance(values, dict):
        values = (values["p10"], values["p50"], values["p90"])
    shown = [f"{v:,.1f}" if unit == "fte" else f"{v:,.0f}" for v in values]
    return " / ".join(shown)


def band(values: Any) -> dict[str, float]:
    return {"p10": float(values[0]), "p50": float(values[1]), "p90": float(values[2])}


def run_json(run: Run, groups: list[str], least: int) -> dict[str, Any]:
    built, projection = run.built, run.projection
    labels = quarter_labels(built)
    return {
        "plan": built.plan_name,
        "scenario": built.scenario,
        "start": str(built.start),
        "quarters": labels,
        "data_end": built.data_end.isoformat(),
        "currency": built.currency,
        "draws": projection.draws,
        "seed": projection.seed,
        "assumptions": [
            {"name": a.name, "scope": a.scope, "value": a.value, "unit": a.unit, "shown": a.shown(), "origin": a.origin}
            for a in built.assumptions
        ],
        "groups": [group_json(run, name, labels, least) for name in groups],
        "targets": [
            {
                "group": t.target.group,
                "quarter": labels[t.target.quarter],
                "fte": t.target.fte,
                "chance": t.chance,
                "capacity": band(t.band),
            }
            for t in projection.targets
        ],
        "budgets": [
            {
                "group": b.budget.group,
                "period": b.budget.label,
                "amount": b.budget.amount,
                "chance": b.chance,
                "cost": band(b.band),
            }
            for b in projection.budgets
        ],
        "notes": list(projection.notes),
    }


def group_json(run: Run, name: str, labels: list[str], least: int) -> dict[str, Any]:
    built = run.built
    hide = hidden_cost(built, name, least)
    quarterly = run.projection.quarterly[name]
    return {
        "group": name,
        "name": "Organization" if name == ORGANIZATION else built.team_names.get(name, name),
        "teams": list(built.plan.groups.get(name, (name,))),
        "cost_hidden": hide,
        "quarters": [
            {"quarter": label, **{m: None if hide and m == "cost" else band(quarterly[m][q]) for m in MEASURES}}
            for q, label in enumerate(labels)
        ],
    }


def csv_rows(run: Run, groups: list[str], least: int) -> list[list[Any]]:
    """One row per group, quarter and measure (a hidden cost has empty bands)."""
    rows = []
    labels = quarter_labels(run.built)
    for name in groups:
        hide = hidden_cost(run.built, name, least)
        for q, label in enumerate(labels):
            for measure in MEASURES:
                values = run.projection.quarterly[name][measure][q]
                shown = ["", "", ""] if hide and measure == "cost" else [_csv_number(v) for v in values]
                rows.append([run.built.scenario, name, label, measure, *shown])
    return rows


def _csv_number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def year_ends(built: BuiltPlan) -> list[int]:
    """Quarters of the plan that end a calendar year, and its last quarter."""
    ends = [q for q in range(built.plan.quarters) if built.start.plus(q).number == 4]
    last = built.plan.quarters - 1
    return ends if ends and ends[-1] == last else [*ends, last]


def compare_json(runs: list[Run], least: int) -> dict[str, Any]:
    first = runs[0].built
    return {
        "plan": first.plan_name,
        "currency": first.currency,
        "start": str(first.start),
        "draws": runs[0].projection.draws,
        "seed": runs[0].projection.seed,
        "scenarios": [
            {
                "scenario": run.built.scenario,
                "year_ends": [
                    {
                        "quarter": str(run.built.start.plus(q)),
                        **{
                            m: None
                            if m == "cost" and hidden_cost(run.built, ORGANIZATION, least)
                            else band(run.projection.quarterly[ORGANIZATION][m][q])
                            for m in ("headcount", "capacity", "cost")
                        },
                    }
                    for q in year_ends(run.built)
                ],
                "targets": run_json(run, [], least)["targets"],
                "budgets": run_json(run, [], least)["budgets"],
                "assumptions": run_json(run, [], least)["assumptions"],
            }
            for run in runs
        ],
    }


__all__ = ["BY", "Quarter", "Run"]
