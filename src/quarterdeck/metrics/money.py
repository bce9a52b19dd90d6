"""Money: the metrics of the dashboard's Money area and of ``quarterdeck money``, and the
value of each over one quarter.

The money metrics are those whose definition declares a tile in the ``money`` area
(``-- tile: money``, ``metrics.tiles``): a new definition file joins the Money area and the
command's summary with no Python change, in the order of its ``tile_order``. A metric is
*about money* (only admins and leaders may see it) when it is a money metric or reads a
table of money: budget lines, tool spend, company figures, currency rates, cloud costs,
investment rules (``INPUTS``, ``PREFIXES``).

A quarter's value is what ``quarterdeck metrics show NAME --since START --until END --grain
window`` gives for the scope (each statistic over the whole quarter: the quarter's spend,
not a month's), read as the tile says (``tile_reduce``). The command line, the Money
area's tiles and ``/api/v1/money`` all call ``quarter_line``, so they show the same number.
A metric that cannot be computed says why and which ``quarterdeck ingest`` command would
give it its inputs, never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

import duckdb

from quarterdeck.core.errors import MetricError, QuarterdeckError
from quarterdeck.metrics.catalog import Metric, catalog
from quarterdeck.metrics.query import MetricQuery, run_metric
from quarterdeck.store import Warehouse

AREA = "money"
#: The import (``quarterdeck ingest NAME``) that fills each table a money metric may read;
#: ``tests/test_money_cli.py`` checks it against the sources' own declarations.
INPUTS = {
    "budget_lines": "budget",
    "tool_spend": "tools",
    "company_finance": "finance",
    "currency_rates": "rates",
    "positions": "positions",
    "person_periods": "org",
    "people_snapshots": "org",
    "team_periods": "org",
}
#: Tables named by their prefix: the cloud bills and the investment rules, whatever their tables.
PREFIXES = {"cloud_": "cloud-costs", "investment_": "investment-rules", "capitalization_": "capitalization-policy"}
#: The imports whose tables hold money.
MONEY_SOURCES = (
    "budget", "tools", "finance", "cloud-costs", "rates", "investment-rules", "positions", "capitalization-policy",
)  # fmt: skip
_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[qQ]([1-4])\s*$")  # years 1000 to 9998: a quarter after it exists
_TABLE = re.compile(r"\b(" + "|".join([*INPUTS, *(p + r"[a-z_]+" for p in PREFIXES)]) + r")\b")


def money_metrics() -> list[Metric]:
    """The metrics of the Money area, by ``tile_order``, then name."""
    found = [m for m in catalog().values() if m.tile is not None and m.tile.area == AREA]
    return sorted(found, key=lambda m: (m.tile.order if m.tile else 0, m.name))


def source_of(table: str) -> str:
    """The import that fills ``table`` (INPUTS, PREFIXES)."""
    if table in INPUTS:
        return INPUTS[table]
    return next(source for prefix, source in PREFIXES.items() if table.startswith(prefix))


def tables_read(metric: Metric) -> list[str]:
    """The tables of INPUTS and PREFIXES that the metric's SQL names."""
    sql = metric.compiled_sql() + "\n" + metric.compiled_sql(grouped=True)
    return sorted(set(_TABLE.findall(sql)))


@cache
def is_money(metric: Metric) -> bool:
    """A money metric, or one reading a money table: shown to admins and leaders only."""
    if metric.tile is not None and metric.tile.area == AREA:
        return True
    return any(source_of(table) in MONEY_SOURCES for table in tables_read(metric))


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """``2026Q3`` (or ``2026-Q3``, ``2026q3``)."""
        found = _QUARTER.match(text or "")
        if not found or not 1000 <= int(found[1]) <= 9998:
            raise MetricError(f"quarter: expected YEARQN such as 2026Q3, got {text!r}")
        return cls(int(found[1]), int(found[2]))

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def last_full(cls, day: date) -> Quarter:
        """The last quarter that ended on or before ``day``."""
        quarter = cls.of(day)
        return quarter if quarter.end == day else quarter.previous

    @property
    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        following = Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        return following.start - timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


@dataclass(frozen=True)
class MoneyLine:
    """One money metric over one quarter, for one scope."""

    metric: str
    title: str
    unit: str
    good_direction: str
    value: float | str | None  # a string: hidden for privacy ("<5")
    problem: str | None = None  # why there is no value
    inputs: tuple[str, ...] = ()  # the ingest commands that would give it its missing inputs

    @property
    def explain(self) -> str:
        return f"quarterdeck metrics show {self.metric} --explain"

    def as_json(self) -> dict[str, Any]:
        """The line as ``quarterdeck money --format json`` and ``/api/v1/money`` give it."""
        return {
            "metric": self.metric,
            "title": self.title,
            "unit": self.unit,
            "value": self.value,
            "problem": self.problem,
            "inputs": list(self.inputs),
            "explain": self.explain,
        }


def applies(metric: Metric, kind: str) -> bool:
    """Whether the metric has figures for a scope of this kind (org, unit or team): one of its
    groupings; a metric without groupings is the whole organization's."""
    return kind in metric.groupings if metric.groupings else kind == "org"


def not_reported(kind: str) -> str:
    if kind == "org":
        return "not reported for the whole organization: choose a unit or a team"
    return f"not reported per {kind}: a figure of the whole organization"


def quarter_query(base: MetricQuery, metric: Metric, quarter: Quarter, kind: str, ident: str | None) -> MetricQuery:
    """The query of the metric over ``quarter`` for the scope: the whole quarter as one period
    (``--grain window``), measured on its last day (``--at``), or as of it (a snapshot)."""
    by = kind if metric.groupings else None
    scoped = replace(base, by=by, unit=ident if kind == "unit" else None)
    if "grain" in metric.parameters:  # the quarter as one period: the window, or a calendar quarter
        grain = (
            "quarter" if metric.grains and "window" not in metric.grains and "quarter" in metric.grains else "window"
        )
        return replace(scoped, since=quarter.start, until=quarter.end, grain=grain, at=None)
    if "at" in metric.parameters:
        return replace(scoped, since=None, until=None, at=quarter.end)
    return replace(scoped, since=None, until=quarter.end)


def quarter_line(
    warehouse: Warehouse,
    metric: Metric,
    base: MetricQuery,
    quarter: Quarter,
    kind: str = "org",
    ident: str | None = None,
) -> MoneyLine:
    """The metric's value over ``quarter`` for the scope, or why it has none."""
    spec = metric.tile
    line = MoneyLine(metric.name, (spec.title if spec else None) or metric.title,
                     (spec.unit if spec else None) or metric.unit, metric.good_direction, None)  # fmt: skip
    if not applies(metric, kind):
        return replace(line, problem=not_reported(kind))
    try:
        result = run_metric(warehouse, metric, quarter_query(base, metric, quarter, kind, ident))
    except (QuarterdeckError, duckdb.Error) as exc:  # a definition's error() too: a line, never a traceback
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return replace(line, problem=problem, inputs=missing_inputs(warehouse, metric, rates="ingest rates" in problem))
    rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    if ident is not None and "group" in result.columns:
        rows = [r for r in rows if r["group"] == ident]
    value = reduce_rows(rows, spec.reduce if spec else "value", (spec.column if spec else None) or metric.value,
                        spec.threshold if spec else None)  # fmt: skip
    if value is None:
        return replace(line, problem=f"no value for {quarter}", inputs=missing_inputs(warehouse, metric))
    return replace(line, value=value)


def summary(
    warehouse: Warehouse, base: MetricQuery, quarter: Quarter, kind: str = "org", ident: str | None = None
) -> list[MoneyLine]:
    """Every money metric's line over ``quarter`` for the scope."""
    return [quarter_line(warehouse, metric, base, quarter, kind, ident) for metric in money_metrics()]


def number(value: Any) -> float | None:
    """A value as a float (DECIMAL sums come back as Decimal), None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    return None


def reduce_rows(rows: list[dict], reduce: str, column: str, threshold: float | None = None) -> float | str | None:
    """One value of the rows, as the tile reads them (``metrics.tiles``); a value hidden for
    privacy ("<5") stays the label it is."""
    hidden = [r[column] for r in rows if isinstance(r.get(column), str)]
    if hidden:
        return hidden[0]
    numbers = [n for r in rows if (n := number(r.get(column))) is not None]
    if reduce == "sum":
        return float(sum(numbers)) if numbers else None
    if reduce == "ratio":
        good = sum(number(r.get("good")) or 0.0 for r in rows)
        total = sum(number(r.get("total")) or 0.0 for r in rows)
        return good / total if total else None
    if reduce == "max":
        return max(numbers) if numbers else None
    if reduce == "count_at_most":
        return float(sum(1 for n in numbers if threshold is not None and n <= threshold)) if numbers else None
    return numbers[-1] if numbers else None


def missing_inputs(warehouse: Warehouse, metric: Metric, rates: bool = False) -> tuple[str, ...]:
    """``quarterdeck ingest SOURCE FILE`` for each table the metric reads that holds nothing;
    the rates only when an amount lacked one (``rates``): amounts all in the reporting
    currency need none."""
    present = {r[0] for r in warehouse.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    commands = []
    for table in tables_read(metric):
        if source_of(table) == "rates" and not rates:
            continue
        if table not in present or not warehouse.value(f'SELECT count(*) FROM "{table}"'):
            command = f"quarterdeck ingest {source_of(table)} FILE"
            if command not in commands:
                commands.append(command)
    return tuple(commands)
