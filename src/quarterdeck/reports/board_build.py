"""The board pack of one quarter, for the organization or one unit, built from the warehouse
(docs/board-pack.md, docs/decisions/0072-board-pack-contents.md).

Sections, each present only when it has data: executive summary (headline figures and the
narrative), delivery and reliability, how much engineers wait, tech debt and entropy, people,
money (when ``money`` is allowed), plans (with a plan file) and the user's notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from quarterdeck.config import Settings
from quarterdeck.config.targets import Targets
from quarterdeck.core.clock import today
from quarterdeck.core.errors import MetricError
from quarterdeck.metrics import MetricQuery
from quarterdeck.metrics.data_end import data_end, data_start
from quarterdeck.metrics.money import Quarter, money_metrics
from quarterdeck.metrics.query import check_unit, settings_query_fields
from quarterdeck.metrics.scorecard import tiles
from quarterdeck.reports.board_figures import FigureContext, Windows
from quarterdeck.reports.board_model import BoardPack, Figure, Section
from quarterdeck.reports.board_narrative import narrative
from quarterdeck.reports.board_notes import note_sentences
from quarterdeck.reports.board_prefetch import prefetch
from quarterdeck.reports.board_sections_money import money_section, plans_section
from quarterdeck.reports.board_sections_ops import delivery_section, waiting_section
from quarterdeck.reports.board_sections_org import entropy_section, people_section
from quarterdeck.store import Warehouse

#: The figures the executive summary leads with, when the pack has them (by metric or key prefix).
HEADLINES = (
    "deployment_frequency", "lead_time_for_changes", "change_failure_rate", "time_to_restore", "availability",
    "engineer_hours_waiting", "headcount", "attrition_rate", "budget_actual",
)  # fmt: skip


#: Metrics read beyond the overview's tiles (the sections' tables and extra figures), and those
#: read over the pack's own quarter only.
EXTRA_METRICS = ("error_budget_remaining", "code_age")
MONEY_METRICS = ("budget_vs_actual", "investment_allocation", "capitalizable_cost")
CURRENT_ONLY = ("dora_performance",)


def pack_metrics(money: bool) -> list[str]:
    """Every catalog metric whose figures the pack computes over its three quarters."""
    names = [spec.metric for spec in tiles()] + list(EXTRA_METRICS)
    if money:
        names += [*MONEY_METRICS, *(m.name for m in money_metrics())]
    return names


class BoardPackError(MetricError):
    """The pack cannot be built as asked: a bad quarter or scope, or no data in the quarter."""


@dataclass(frozen=True)
class Scope:
    unit: str | None  # None: the organization
    name: str


def build_board_pack(
    warehouse: Warehouse,
    quarter: str | Quarter,
    scope: str = "org",
    *,
    targets: Targets | None = None,
    settings: Settings | None = None,
    plan: Path | None = None,
    notes: str | None = None,
    money: bool = True,
    generated: date | None = None,
) -> BoardPack:
    """The pack of ``quarter`` (``2025Q4``) for ``scope`` (``org`` or ``unit:<id, name or
    alias>``); ``money``: whether the money section may be shown (admins and leaders)."""
    return build_with_context(warehouse, quarter, scope, targets=targets, settings=settings, plan=plan,
                              notes=notes, money=money, generated=generated)[0]  # fmt: skip


def build_with_context(
    warehouse: Warehouse,
    quarter: str | Quarter,
    scope: str = "org",
    *,
    targets: Targets | None = None,
    settings: Settings | None = None,
    plan: Path | None = None,
    notes: str | None = None,
    money: bool = True,
    generated: date | None = None,
) -> tuple[BoardPack, FigureContext]:
    """The pack, and the context its figures were computed in (its cache holds every metric
    query run: the benchmark runs them again alone, as its reference)."""
    chosen = quarter if isinstance(quarter, Quarter) else _quarter(quarter)
    base = MetricQuery(**settings_query_fields(settings)) if settings is not None else MetricQuery()
    ends = data_end(warehouse, today(), base.timezone)
    first = check_span(warehouse, chosen, ends, base.timezone)
    where = resolve_scope(warehouse, scope)
    windows = Windows.of(chosen, ends, first)
    ctx = FigureContext(warehouse, base, where.unit, windows, targets or Targets())
    prefetch(ctx, pack_metrics(money), current_only=CURRENT_ONLY)
    body = [
        delivery_section(ctx),
        waiting_section(ctx),
        entropy_section(ctx),
        people_section(ctx),
        money_section(ctx) if money else None,
        plans_section(ctx, settings or Settings(), plan) if plan is not None else None,
    ]
    sections = [s for s in body if s is not None]
    summary = summary_section([f for s in sections for f in s.figures], movers=not windows.open_window)
    notes_section = Section("notes", "Notes", sentences=note_sentences(notes)) if notes and notes.strip() else None
    title = f"Engineering board pack, {chosen}" + (f": {where.name}" if where.unit else "")
    pack = BoardPack(
        title=title,
        quarter=str(chosen),
        start=windows.current.start,
        end=windows.current.end,
        scope=ctx.scope,
        scope_name=where.name,
        generated=generated or today(),
        open_window=windows.open_window,
        sections=tuple(s for s in (summary, *sections, notes_section) if s is not None),
        notes_markdown=notes or "",
        currency=base.currency if money else "",
        sources=_sources(ends, targets, plan),
    )
    return pack, ctx


def _quarter(text: str) -> Quarter:
    try:
        return Quarter.parse(text)
    except MetricError as exc:
        raise BoardPackError(str(exc)) from None



def check_span(warehouse: Warehouse, quarter: Quarter, ends: date, timezone: str) -> date:
    """The data's first day; a quarter wholly before or after the data is an error that says
    where the data is."""
    first = data_start(warehouse, timezone)
    if first is None:
        raise BoardPackError("the warehouse holds no data yet: ingest git, delivery or org data first")
    if quarter.end < first:
        raise BoardPackError(f"quarter {quarter} ({quarter.start} .. {quarter.end}) ends before the data "
                             f"begins on {first}: {_choose(first, ends)}")  # fmt: skip
    if quarter.start > ends:
        raise BoardPackError(f"quarter {quarter} ({quarter.start} .. {quarter.end}) starts after the data "
                             f"ends on {ends}: {_choose(first, ends)}")  # fmt: skip
    return first


def _choose(first: date, ends: date) -> str:
    return f"choose a quarter from {Quarter.of(first)} to {Quarter.of(ends)}"


def resolve_scope(warehouse: Warehouse, scope: str) -> Scope:
    """``org`` or ``unit:<id, name or alias>``: the unit's id and name, or a clear error."""
    text = (scope or "org").strip()
    if text == "org":
        return Scope(None, "The organization")
    kind, _, ident = text.partition(":")
    if kind != "unit" or not ident.strip():
        raise BoardPackError(f"scope: expected org or unit:<id>, got {scope!r}")
    try:
        check_unit(warehouse, ident.strip())
    except MetricError as exc:
        raise BoardPackError(str(exc)) from None
    unit = warehouse.value("SELECT team_id FROM team_aliases WHERE alias = ?", [ident.strip().lower()])
    name = warehouse.value("SELECT name FROM teams WHERE team_id = ?", [unit]) or unit
    return Scope(str(unit), str(name))


def summary_section(figures: list[Figure], movers: bool = True) -> Section | None:
    """The headline figures and every sentence of the narrative."""
    sentences = narrative(figures, movers)
    headlines = [f for name in HEADLINES for f in figures if f.metric == name or f.key.startswith(name + "@")]
    unique = tuple({f.key: f for f in headlines}.values())
    if not unique and not sentences:
        return None
    return Section("summary", "Executive summary", unique, sentences)


def _sources(ends: date, targets: Targets | None, plan: Path | None) -> tuple[str, ...]:
    found = [f"the warehouse, data to {ends}"]
    if targets is not None and targets.path is not None:
        found.append(f"targets: {targets.path.name}")
    if plan is not None:
        found.append(f"plan: {plan.name}")
    return tuple(found)
