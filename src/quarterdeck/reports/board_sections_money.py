"""The board pack's money and plans: budget against actual, the money metrics of ``quarterdeck
money``, the investment allocation of effort, capitalizable cost; and, from a plan file, the
ranges (P10 / P50 / P90) of headcount, capacity and cost for the quarters ahead
(``quarterdeck plan run PLAN --format json``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quarterdeck.config import Settings
from quarterdeck.metrics.money import money_metrics
from quarterdeck.planning.model import ORGANIZATION
from quarterdeck.planning.plan_file import read_plan
from quarterdeck.planning.report import band_text, run_json, run_plan, shown_groups
from quarterdeck.reports.board_figures import FigureContext, metric_figure, present
from quarterdeck.reports.board_model import Chart, Figure, Section, Series, Table
from quarterdeck.reports.board_sections import charts_of, section_of

#: The investment allocation's categories, in the order the metric defines them.
CATEGORIES = (
    ("new_capability", "New capability"),
    ("keep_the_lights_on", "Keep the lights on"),
    ("tech_debt", "Tech debt"),
    ("bugs", "Bugs"),
    ("incidents_and_support", "Incidents and support"),
    ("uncategorized", "Uncategorized"),
    ("no_recorded_work", "No recorded work"),
)
#: The plan's measures shown, with their unit for band_text.
PLAN_MEASURES = (("headcount", "people", ""), ("capacity", "FTE", "fte"), ("cost", "cost", ""))
PLAN_DRAWS = 2000
PLAN_SEED = 7


def money_section(ctx: FigureContext) -> Section | None:
    """Budget planned and actual, every money metric, effort by investment category and what
    of it can be capitalized; each for admins and leaders only (the caller decides)."""
    budget = present(
        metric_figure(ctx, "budget_vs_actual", label="Budget planned", unit="reporting currency", column="planned",
                      key=f"budget_planned@{ctx.scope}"),
        metric_figure(ctx, "budget_vs_actual", label="Budget spent", unit="reporting currency", column="actual",
                      key=f"budget_actual@{ctx.scope}"),
    )  # fmt: skip
    lines = present(*(metric_figure(ctx, m.name) for m in money_metrics()))
    allocation = present(*(
        metric_figure(ctx, "investment_allocation", label=title, unit="share of effort", column="share",
                      reduce="sum", only=("category", category), key=f"investment:{category}@{ctx.scope}")
        for category, title in CATEGORIES
    ))  # fmt: skip
    capital = present(
        metric_figure(ctx, "capitalizable_cost", label="Capitalizable cost", unit="reporting currency",
                      column="amount", reduce="sum", key=f"capitalizable@{ctx.scope}"),
    )  # fmt: skip
    figures = [*budget, *lines, *allocation, *capital]
    return section_of("money", "Money", figures, charts=charts_of(allocation_chart(allocation), budget_chart(budget)))


def allocation_chart(figures: tuple[Figure, ...]) -> Chart | None:
    if not figures:
        return None
    return Chart(
        "Effort by investment category, share of FTE",
        "bar",
        tuple(f.label for f in figures),
        (Series("This quarter", tuple(f.value for f in figures)),
         Series("Quarter before", tuple(f.previous for f in figures))),
        "share of effort",
    )  # fmt: skip


def budget_chart(figures: tuple[Figure, ...]) -> Chart | None:
    if len(figures) != 2:
        return None
    planned, actual = figures
    return Chart(
        "Budget planned and spent",
        "column",
        ("Quarter before", "This quarter"),
        (Series("Planned", (planned.previous, planned.value)), Series("Spent", (actual.previous, actual.value))),
        "reporting currency",
    )


def plans_section(ctx: FigureContext, settings: Settings, plan: Path | None) -> Section | None:
    """The plan's ranges per quarter for the scope (the organization, or the unit's group)."""
    if plan is None:
        return None
    plan_file = read_plan(plan)
    run = run_plan(ctx.warehouse, settings, plan_file, None, PLAN_DRAWS, PLAN_SEED)
    groups = shown_groups(run.built, "org", ctx.unit)
    data = run_json(run, groups, settings.min_group_size)
    group = data["groups"][0]
    rows = tuple(_plan_row(q) for q in group["quarters"])
    command = f"quarterdeck plan run {plan} --draws {PLAN_DRAWS} --seed {PLAN_SEED}"
    if ctx.unit:
        command += f" --unit {ctx.unit}"
    name = "the organization" if group["group"] == ORGANIZATION else group["name"]
    table = Table(
        f"{data['plan'] or plan.name}: {name}, P10 / P50 / P90 per quarter",
        ("Quarter", "Headcount", "Capacity (FTE)", f"Cost ({data['currency']})"),
        rows,
        note=f"{command} --format json",
    )
    chart = Chart(
        "Planned headcount, P10 / P50 / P90",
        "line",
        tuple(q["quarter"] for q in group["quarters"]),
        tuple(Series(label, tuple(q["headcount"][p] for q in group["quarters"]))
              for label, p in (("P10", "p10"), ("P50", "p50"), ("P90", "p90"))),
        "people",
    )  # fmt: skip
    section = section_of("plans", "Plans", (), tables=(table,), charts=(chart,))
    return section


def _plan_row(quarter: dict[str, Any]) -> tuple[str, ...]:
    cells = [quarter["quarter"]]
    for measure, _, unit in PLAN_MEASURES:
        bands = quarter.get(measure)
        cells.append("hidden" if bands is None else band_text(bands, unit))
    return tuple(cells)
