"""The board pack's sections on the code and the people: tech debt and entropy (hotspots,
code age, bus factor, knowledge held by one person, key roles without a successor) and
people (headcount, attrition, span of control, hiring)."""

from __future__ import annotations

from datetime import date
from typing import Any

from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.core.formats import format_number
from quarterdeck.metrics.hiring import hiring_report
from quarterdeck.metrics.org_design import load_org
from quarterdeck.planning.succession import succession
from quarterdeck.reports.board_figures import FigureContext, Span, computed_figure, present
from quarterdeck.reports.board_model import Figure, Section
from quarterdeck.reports.board_sections import charts_of, quarters_chart, section_of
from quarterdeck.reports.board_sections_ops import area_figures

#: Code age bands that are more than a year old (the code_age metric's age_band).
OLD_BANDS = ("1-2 years", "2-4 years", "4 years or more")


def old_code_share(rows: list[dict[str, Any]]) -> float | None:
    """Share of the lines at the quarter's end whose file last changed more than a year before."""
    lines = sum(float(r.get("lines") or 0) for r in rows)
    old = sum(float(r.get("lines") or 0) for r in rows if r.get("age_band") in OLD_BANDS)
    return old / lines if lines else None


def entropy_section(ctx: FigureContext) -> Section | None:
    figures = [
        *area_figures(ctx, "entropy"),
        *present(
            computed_figure(
                ctx,
                "code_age",
                old_code_share,
                label="Code last changed more than a year ago",
                unit="share of lines",
                key=f"old_code@{ctx.scope}",
            ),
            knowledge_figure(ctx),
            successor_figure(ctx),
        ),
    ]
    return section_of("entropy", "Tech debt and entropy", figures)


def people_section(ctx: FigureContext) -> Section | None:
    figures = [*area_figures(ctx, "people"), *hiring_figures(ctx)]
    headcount = next((f for f in figures if f.metric == "headcount"), None)
    return section_of(
        "people", "People", figures, charts=charts_of(quarters_chart(headcount, ctx.windows) if headcount else None)
    )


def _key_roles(ctx: FigureContext, day: date) -> Any:
    """The succession findings on ``day`` for the scope (``quarterdeck succession --at DAY``)."""
    key = ("succession", day, ctx.unit)
    if key not in ctx.cache:
        try:
            org = load_org(ctx.warehouse, day)
            ctx.cache[key] = succession(ctx.warehouse, org, ctx.unit, ctx.base.timezone)
        except QuarterdeckError:
            ctx.cache[key] = None
    return ctx.cache[key]


def _succession_command(ctx: FigureContext) -> str:
    unit = f" --unit {ctx.unit}" if ctx.unit else ""
    return f"quarterdeck succession --at {ctx.windows.current.end}{unit} --format json"


def _role_figure(ctx: FigureContext, key: str, label: str, count: Any) -> Figure | None:
    """A count over the key roles at each window's end (None when there is no organization)."""
    values = []
    for span in (ctx.windows.current, ctx.windows.previous, ctx.windows.year_ago):
        found = _key_roles(ctx, span.end)
        values.append(None if found is None else count(found))
    if values[0] is None:
        return None
    return computed_figure_of_roles(ctx, key, label, values)


def computed_figure_of_roles(ctx: FigureContext, key: str, label: str, values: list[float | None]) -> Figure:
    windows = ctx.windows
    return Figure(
        key=f"{key}@{ctx.scope}", label=label, value=values[0], text=format_number(values[0], "roles"), unit="roles",
        metric="succession", scope=ctx.scope, start=windows.current.start, end=windows.current.end,
        previous=values[1], year_ago=values[2], command=_succession_command(ctx), good_direction="down",
    )  # fmt: skip


def knowledge_figure(ctx: FigureContext) -> Figure | None:
    """Services whose code one person wrote most of (bus factor 1): knowledge at risk."""
    return _role_figure(ctx, "knowledge_at_risk", "Services whose knowledge one person holds",
                        lambda s: float(sum(1 for r in s.roles if not r.role.leadership)))  # fmt: skip


def successor_figure(ctx: FigureContext) -> Figure | None:
    """Key roles with no successor ready now, when a succession file was imported."""
    if not ctx.warehouse.value("SELECT count(*) FROM successors"):
        return None
    return _role_figure(ctx, "no_ready_successor", "Key roles with no successor ready now",
                        lambda s: float(len(s.no_ready_successor)))  # fmt: skip


def hiring_figures(ctx: FigureContext) -> tuple[Figure, ...]:
    """Hires and median time to fill over the quarter, open requisitions at its end
    (``quarterdeck hiring --since START --until END``); the organization's only."""
    if ctx.unit is not None or not ctx.warehouse.value("SELECT count(*) FROM hiring_stages"):
        return ()
    by_span = {name: _hiring(ctx, span) for name, span in _spans(ctx)}
    current = by_span["current"]
    if current is None:
        return ()
    end = ctx.windows.current
    command = f"quarterdeck hiring --since {end.start} --until {end.end} --format json"
    made = []
    for key, label, unit, pick in (
        ("hires", "Requisitions filled", "hires", lambda h: h["filled"]),
        ("time_to_fill", "Median time to fill", "days", lambda h: h["median_days"]),
        ("open_requisitions", "Open requisitions at the quarter's end", "requisitions", lambda h: h["open"]),
    ):
        value = pick(current)
        if value is None:
            continue
        previous, year_ago = (pick(by_span[n]) if by_span[n] else None for n in ("previous", "year_ago"))
        made.append(Figure(
            key=f"{key}@org", label=label, value=value, text=format_number(value, unit), unit=unit,
            metric=f"hiring:{key}", scope="org", start=end.start, end=end.end, previous=previous, year_ago=year_ago,
            command=command, good_direction={"hires": "up", "time_to_fill": "down"}.get(key, "neither"),
        ))  # fmt: skip
    return tuple(made)


def _spans(ctx: FigureContext) -> list[tuple[str, Span]]:
    w = ctx.windows
    return [("current", w.current), ("previous", w.previous), ("year_ago", w.year_ago)]


def _hiring(ctx: FigureContext, span: Span) -> dict[str, float | None] | None:
    try:
        sections = {s.name: s for s in hiring_report(ctx.warehouse, span.start, span.end, "org",
                                                      ("time_to_fill", "requisitions"))}  # fmt: skip
    except QuarterdeckError:
        return None
    fill = sections["time_to_fill"].rows
    row = fill[0] if fill else {}
    return {
        "filled": float(row["filled"]) if row.get("filled") is not None else 0.0,
        "median_days": float(row["median_days"]) if row.get("median_days") is not None else None,
        "open": float(len(sections["requisitions"].rows)),
    }
