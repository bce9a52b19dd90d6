"""The board pack as plain data (``quarterdeck report board --format json`` and
``/api/v1/reports/board``), and ``--explain``: every sentence with the figures behind it."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from quarterdeck.reports.board_model import BoardPack, Figure


def pack_json(pack: BoardPack) -> dict[str, Any]:
    """Every field of the pack, dates as ISO text, and each sentence's evidence spelled out."""
    data = _plain(dataclasses.asdict(pack))
    data["explain"] = explain_json(pack)
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def figure_json(figure: Figure) -> dict[str, Any]:
    return {
        "key": figure.key,
        "metric": figure.metric,
        "scope": figure.scope,
        "since": figure.start.isoformat() if figure.start else None,
        "until": figure.end.isoformat() if figure.end else None,
        "value": figure.value,
        "text": figure.text,
        "unit": figure.unit,
        "previous": figure.previous,
        "year_ago": figure.year_ago,
        "target": figure.target,
        "status": figure.status,
        "command": figure.command,
    }


def explain_json(pack: BoardPack) -> list[dict[str, Any]]:
    """Each sentence of the narrative (not the user's notes) with its rule and figures."""
    figures = pack.figures()
    return [
        {
            "sentence": s.text,
            "rule": s.rule,
            "figures": [figure_json(figures[key]) for key in s.evidence if key in figures],
        }
        for s in pack.sentences()
        if s.rule != "note"
    ]


def explain_text(pack: BoardPack) -> str:
    """``--explain``: every sentence, its rule, and for each figure behind it the metric,
    scope, window, value and the command that gives the same value; then every figure."""
    lines = [f"{pack.title} ({pack.scope}, {pack.start} .. {pack.end})"]
    if pack.open_window:
        lines.append(pack.open_window)
    lines.append("")
    said = explain_json(pack)
    if not said:
        lines.append("No sentence: no figure moved, met or missed a target, or showed a risk.")
    for number, item in enumerate(said, start=1):
        lines.append(f"{number}. {item['sentence']}")
        lines.append(f"   rule: {item['rule']}")
        for f in item["figures"]:
            lines.append(f"   - {f['key']}: {f['text']} ({f['unit']}); metric {f['metric']}, scope {f['scope']}, "
                         f"window {f['since']} .. {f['until']}, value {f['value']}, "
                         f"quarter before {f['previous']}, a year before {f['year_ago']}")  # fmt: skip
            lines.append(f"     {f['command']}")
    lines += ["", "Every figure of the pack:"]
    for figure in pack.figures().values():
        lines.append(f"  {figure.key}: {figure.text} {figure.unit}  {figure.command}")
    return "\n".join(lines) + "\n"
