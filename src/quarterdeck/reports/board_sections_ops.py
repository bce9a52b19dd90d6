"""The board pack's sections on how engineering runs: delivery and reliability (the four DORA
keys and their performance bands, availability against the SLOs, incidents, critical bugs),
and how much engineers wait (the wait ledger)."""

from __future__ import annotations

from typing import Any

from quarterdeck.core.formats import format_number
from quarterdeck.metrics import get_metric
from quarterdeck.metrics.scorecard import tiles
from quarterdeck.reports.board_figures import (
    FigureContext,
    command_of,
    figure_query,
    metric_figure,
    metric_rows,
    present,
)
from quarterdeck.reports.board_model import Figure, Section, Table
from quarterdeck.reports.board_sections import charts_of, quarters_chart, section_of, tables_of

#: The DORA report's keys as dora_performance names them, and the label the pack gives each.
DORA_KEYS = {
    "deployment_frequency": "Deployment frequency",
    "lead_time_for_changes": "Lead time for changes",
    "change_failure_rate": "Change failure rate",
    "failed_deployment_recovery_time": "Failed deployment recovery time",
    "time_to_restore": "Time to restore service",
}
#: An SLO whose error budget remaining is at or below this has burnt its budget.
BURNT = 0.0


def area_figures(ctx: FigureContext, *areas: str) -> tuple[Figure, ...]:
    """The figures of the overview's tiles of ``areas`` (their metrics, read as the tiles read them)."""
    return present(*(metric_figure(ctx, spec.metric) for spec in tiles() if spec.area in areas))


def delivery_section(ctx: FigureContext) -> Section | None:
    figures = [*area_figures(ctx, "delivery", "reliability"), *present(slos_burnt_figure(ctx))]
    bands = dora_bands(ctx)
    slos = slo_table(ctx)
    first = figures[0] if figures else None
    return section_of(
        "delivery",
        "Delivery and reliability",
        figures,
        tables=tables_of(bands, slos),
        charts=charts_of(quarters_chart(first, ctx.windows) if first else None),
    )


def waiting_section(ctx: FigureContext) -> Section | None:
    figures = area_figures(ctx, "waiting")
    hours = next((f for f in figures if f.metric == "engineer_hours_waiting"), figures[0] if figures else None)
    return section_of(
        "waiting",
        "How much engineers wait",
        figures,
        charts=charts_of(quarters_chart(hours, ctx.windows) if hours else None),
    )


def dora_bands(ctx: FigureContext) -> Table | None:
    """The quarter's DORA performance bands (elite, high, medium, low) of the scope, as
    ``quarterdeck metrics show dora_performance --since START --until END`` gives them."""
    metric = get_metric("dora_performance")
    query = figure_query(ctx.base, metric, ctx.windows.current, ctx.unit)
    rows = [r for r in metric_rows(ctx, metric, query) or [] if r.get("band")]
    if not rows:
        return None
    shown = tuple(
        (DORA_KEYS.get(r["key"], r["key"]), _band_value(r), str(r.get("unit") or ""), str(r["band"])) for r in rows
    )
    return Table(
        f"DORA performance bands (DORA {ctx.base.report} report)",
        ("Key", "Value", "Measured as", "Band"),  # the bands' own measure: a median, not the card's mean
        shown,
        note=command_of(metric, query),
    )


def _band_value(row: dict[str, Any]) -> str:
    return format_number(row.get("value"), str(row.get("unit") or ""))


def slo_rows(ctx: FigureContext) -> list[dict[str, Any]]:
    metric = get_metric("error_budget_remaining")
    query = figure_query(ctx.base, metric, ctx.windows.current, ctx.unit)
    return metric_rows(ctx, metric, query) or []


def slos_burnt_figure(ctx: FigureContext) -> Figure | None:
    """SLOs whose error budget is spent at the quarter's end (error_budget_remaining at or below 0)."""
    if not slo_rows(ctx):
        return None
    return metric_figure(
        ctx,
        "error_budget_remaining",
        label="SLOs with their error budget spent",
        unit="SLOs",
        reduce="count_at_most",
        threshold=BURNT,
        good_direction="down",
        key=f"slos_budget_spent@{ctx.scope}",
    )


def slo_table(ctx: FigureContext) -> Table | None:
    """Availability against each SLO at the quarter's end, over the SLO's own window."""
    rows = slo_rows(ctx)
    if not rows:
        return None
    metric = get_metric("error_budget_remaining")
    shown = tuple(
        (
            str(r.get("slo")),
            str(r.get("service")),
            format_number(r.get("target"), "share"),
            format_number(r.get("availability"), "share"),
            format_number(r.get("error_budget_remaining"), "share"),
        )
        for r in rows
    )
    query = figure_query(ctx.base, metric, ctx.windows.current, ctx.unit)
    return Table(
        f"Availability against the SLOs on {ctx.windows.current.end}",
        ("SLO", "Service", "Target", "Availability", "Error budget left"),
        shown,
        note=command_of(metric, query),
    )
