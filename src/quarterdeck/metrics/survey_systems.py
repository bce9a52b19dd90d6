"""Survey themes beside the system metrics they speak of (docs/surveys.md): per team shown,
a theme's favourable share next to the metric measured over the survey's period, and the
correlation across teams with its n, stated as an association, never as a cause."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from quarterdeck.metrics.catalog import get_metric
from quarterdeck.metrics.query import MetricQuery, run_metric
from quarterdeck.metrics.survey import SurveyReport, theme_scores
from quarterdeck.store.warehouse import Warehouse

#: theme -> the metric that measures what it speaks of (its value column is the metric's own)
THEME_METRICS = {
    "build speed": "pr_ci_wait",
    "review": "pr_pickup_time",
    "on-call": "incidents",
    "deployment": "deployment_frequency",
}
#: Fewer teams than this give no correlation (one line through two points says nothing).
MIN_TEAMS = 3


@dataclass(frozen=True)
class ThemeBeside:
    theme: str
    metric: str
    unit: str
    teams: list[tuple[str, float, float]]  # team, favourable share, metric value
    correlation: float | None

    @property
    def statement(self) -> str:
        n = len(self.teams)
        if self.correlation is None:
            return f"{n} team(s) with both a shown score and a measured {self.metric}: too few for an association"
        direction = "higher" if self.correlation > 0 else "lower"
        return (
            f"across {n} teams, a higher {self.metric} goes with a {direction} favourable share on "
            f"{self.theme} (r = {self.correlation:+.2f}); an association, not a cause"
        )


def themes_beside_metrics(
    warehouse: Warehouse, report: SurveyReport, theme_metrics: dict[str, str] | None = None
) -> list[ThemeBeside]:
    scores = theme_scores(report)
    teams = {g.group_id for g in report.groups if g.kind == "team"}
    found = []
    for theme, name in sorted((theme_metrics or THEME_METRICS).items()):
        shares = {g: v for (g, t), v in scores.items() if t == theme and g in teams}
        if not shares:
            continue
        metric = get_metric(name)
        values = measured(warehouse, name, report)
        pairs = [(team, shares[team], values[team]) for team in sorted(shares) if team in values]
        found.append(ThemeBeside(theme, name, metric.unit or "", pairs, pearson([(a, b) for _, a, b in pairs])))
    return found


def measured(warehouse: Warehouse, name: str, report: SurveyReport) -> dict[str, float]:
    """The metric per team over the survey's period (values hidden for privacy left out)."""
    metric = get_metric(name)
    start, end = report.period
    query = MetricQuery(since=start, until=end, grain="window", by="team", min_group_size=report.minimum)
    result = run_metric(warehouse, metric, query)
    group, value = result.columns.index("group"), result.columns.index(metric.value)
    found: dict[str, float] = {}
    for row in result.rows:  # a count split by severity (incidents) is summed per team
        if _number(row[value]):
            found[row[group]] = found.get(row[group], 0.0) + float(row[value])
    return found


def _number(value: Any) -> bool:
    return isinstance(value, int | float) or (value is not None and type(value).__name__ == "Decimal")


def pearson(pairs: list[tuple[float, float]]) -> float | None:
    """Pearson's r; None under MIN_TEAMS pairs or when either side does not vary."""
    if len(pairs) < MIN_TEAMS:
        return None
    n = len(pairs)
    mean_x, mean_y = sum(x for x, _ in pairs) / n, sum(y for _, y in pairs) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in pairs)
    sxx, syy = sum((x - mean_x) ** 2 for x, _ in pairs), sum((y - mean_y) ** 2 for _, y in pairs)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)
