"""Words every format of the board pack prints the same way: a figure's change on the quarter
and on the year, its status in words, its window, and the evidence behind a sentence."""

from __future__ import annotations

import math

from quarterdeck.reports.board_model import Figure, Sentence

#: A status in words, so the colour is never the only sign (printing in grey, colour blindness).
STATUS_WORDS = {"green": "on target", "amber": "near target", "red": "off target", "grey": "no target"}


def change_text(value: float | None, before: float | None) -> str:
    """The change from ``before`` to ``value`` in per cent, such as "+25%", "-3%", "0%";
    "from 0" when ``before`` is 0 and ``value`` is not; "" when either is missing."""
    if value is None or before is None:
        return ""
    if before == 0:
        return "0%" if value == 0 else "from 0"
    percent = (value - before) / abs(before) * 100
    rounded = int(math.copysign(math.floor(abs(percent) + 0.5), percent))  # halves away from 0
    if rounded == 0:
        return "0%"
    return f"{rounded:+d}%"


def changes_line(figure: Figure) -> str:
    """ "QoQ +25% · YoY +113%", with only the parts there are ("" when none)."""
    parts = []
    for label, before in (("QoQ", figure.previous), ("YoY", figure.year_ago)):
        change = change_text(figure.value, before)
        if change:
            parts.append(f"{label} {change}")
    return " · ".join(parts)


def number(value: float | None) -> str:
    """A raw value (previous quarter, target) as plain text: up to 4 significant decimals."""
    if value is None:
        return "none"
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.4g}"


def window_text(figure: Figure) -> str:
    if figure.start and figure.end:
        return f"{figure.start.isoformat()} to {figure.end.isoformat()}"
    if figure.end:
        return f"up to {figure.end.isoformat()}"
    return "window not stated"


def figure_evidence(figure: Figure) -> str:
    """Where one figure comes from, in one line: metric, scope, window, value, the command."""
    value = f"{figure.text} {figure.unit}".strip()
    parts = [f"{figure.label} = {value}", f"metric {figure.metric or 'none'}", f"scope {figure.scope}"]
    parts.append(window_text(figure))
    if figure.previous is not None:
        parts.append(f"previous quarter {number(figure.previous)}")
    if figure.year_ago is not None:
        parts.append(f"a year before {number(figure.year_ago)}")
    if figure.target is not None:
        parts.append(f"target {number(figure.target)} ({STATUS_WORDS.get(figure.status, figure.status)})")
    line = "; ".join(parts)
    return f"{line}. Same number: {figure.command}" if figure.command else line


def sentence_evidence(sentence: Sentence, figures: dict[str, Figure]) -> list[str]:
    """The sentence, the rule that wrote it and the figure(s) behind it, one per line."""
    lines = [f"“{sentence.text}”", f"  rule: {sentence.rule}"]
    if sentence.rule == "note":
        lines.append("  the user's own note, as written")
    for key in sentence.evidence:
        figure = figures.get(key)
        lines.append(f"  - {figure_evidence(figure)}" if figure else f"  - {key}: not in this pack")
    return lines
