"""The due-diligence report as one self-contained HTML page (inline style, no script, no
outside file), which the PDF prints."""

from __future__ import annotations

import json
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from quarterdeck.core.formats import format_number
from quarterdeck.reports.diligence_model import DiligenceReport

_ENV = Environment(
    loader=PackageLoader("quarterdeck.reports", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def whole(value: Any) -> str:
    return "—" if value is None else f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def evidence(values: dict[str, Any]) -> str:
    return ", ".join(f"{k} = {json.dumps(v)}" for k, v in values.items())


_ENV.filters.update(percent=percent, whole=whole, evidence=evidence, metric_value=format_number)


#: The activity chart: one column per quarter, commits as bars, active contributors as dots.
CHART_WIDTH, CHART_HEIGHT, CHART_BASE = 720, 160, 140
TABLE_QUARTERS = 8


def activity_chart(report: DiligenceReport) -> dict[str, Any]:
    """Bars (commits), dots (active contributors) and year labels of the activity chart."""
    quarters = report.quarters
    if not quarters:
        return {"bars": [], "dots": [], "years": []}
    step = CHART_WIDTH / len(quarters)
    commits = max(q.commits for q in quarters) or 1
    people = max(q.active_contributors for q in quarters) or 1
    top = CHART_BASE - 10
    bars, dots, years = [], [], []
    for n, q in enumerate(quarters):
        height = round(q.commits / commits * top, 1)
        bars.append(
            {
                "x": round(n * step, 1),
                "y": round(CHART_BASE - height, 1),
                "w": round(max(step - 1, 1), 1),
                "h": height,
                "title": f"{q.quarter}: {q.commits} commits, {q.active_contributors} people",
            }
        )
        y = round(CHART_BASE - q.active_contributors / people * top, 1)
        dots.append({"x": round(n * step + step / 2, 1), "y": y})
        if q.start.month == 1 or n == 0:
            years.append({"x": round(n * step, 1), "label": str(q.start.year)})
    return {
        "bars": bars,
        "dots": dots,
        "years": years[:: max(1, len(years) // 12)],
        "commits": commits,
        "people": people,
    }


def render_html(report: DiligenceReport) -> str:
    return _ENV.get_template("diligence.html").render(
        report=report,
        chart=activity_chart(report),
        recent=report.quarters[-TABLE_QUARTERS:],
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        base=CHART_BASE,
    )
