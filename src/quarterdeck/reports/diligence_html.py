"""The due-diligence report as one self-contained HTML page (inline style, no script, no
outside file), which the PDF prints."""

from __future__ import annotations

import json
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

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


_ENV.filters.update(percent=percent, whole=whole, evidence=evidence)


def render_html(report: DiligenceReport) -> str:
    peak = max((q.commits for q in report.quarters), default=0) or 1
    return _ENV.get_template("diligence.html").render(report=report, peak=peak, flags=report.flags_by_grade())
