"""The price of an engineer-month in a decision: the file's, or the organization's own
(the metric ``engineer_month_cost`` over the last 12 months of data), saying which."""

from __future__ import annotations

from dataclasses import replace

from quarterdeck.config import Settings
from quarterdeck.core.errors import ConfigError, MetricError
from quarterdeck.metrics.catalog import get_metric
from quarterdeck.metrics.query import MetricQuery, run_metric, settings_query_fields
from quarterdeck.planning.decide_file import Decision
from quarterdeck.planning.ranges import Range
from quarterdeck.store import Warehouse

METRIC = "engineer_month_cost"


def currency_of(decision: Decision, settings: Settings) -> str:
    return decision.currency or settings.reporting_currency


def file_cost(decision: Decision) -> tuple[Range, str] | None:
    """The file's engineer_month_cost and its origin, if it gives one."""
    if decision.engineer_month_cost is None:
        return None
    line = decision.lines.get("engineer_month_cost", 0)
    return decision.engineer_month_cost, f"the decision file ({decision.path.name}, line {line})"


def organization_cost(
    warehouse: Warehouse, settings: Settings, currency: str, path: str, unit: str | None = None
) -> tuple[Range, str]:
    """The organization's loaded cost per engineer FTE-month over the last 12 months of data
    (of one unit's engineers when ``unit`` is given: a leader's view on the dashboard)."""
    fields = settings_query_fields(settings)
    query = replace(MetricQuery(**fields), by="org", grain="window", currency=currency, unit=unit)
    try:
        result = run_metric(warehouse, get_metric(METRIC), query)
    except MetricError as exc:
        raise ConfigError(f"{path}: cannot price engineering time from the warehouse: {exc}") from None
    rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    value = rows[0]["engineer_month_cost"] if rows else None
    if value is None:
        why = "fewer engineers than the minimum group size" if rows else "no engineers with a cost"
        raise ConfigError(
            f"{path}: the warehouse gives no engineer-month cost ({why} from {result.window.since} to "
            f"{result.window.until}): give engineer_month_cost in the decision file, or ingest the people "
            "export with annual_cost (quarterdeck ingest org)"
        )
    whose = f"unit {unit}'s" if unit else "the organization's"
    origin = (
        f"{whose}: metric {METRIC} from {result.window.since} to {result.window.until} "
        f"({rows[0]['engineers']} engineers, {rows[0]['engineer_fte_months']:g} FTE-months)"
    )
    return Range.point(float(value)), origin
