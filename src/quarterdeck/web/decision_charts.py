"""The decision page's SVG charts (``reports.svg_charts`` style: pure functions, escaped text, no
JavaScript): each option's NPV band (P10 to P90, the P50 marked) and the tornado (each
input's low-to-high swing of the NPV difference around its value at the modes)."""

from __future__ import annotations

from collections.abc import Sequence

from quarterdeck.reports.svg_charts import (
    _GRID,
    _NAME,
    _NOTE,
    _SERIES,
    _escape,
    _hline,
    _num,
    _svg,
    _text,
    format_number,
)

WIDTH, LABEL, ROW, TOP = 640, 190, 28, 30
_LOW, _HIGH = "#2563eb", "#d97706"


def _scale(values: Sequence[float]) -> tuple[float, float]:
    low, high = min(0.0, *values), max(0.0, *values)
    return low, (high if high > low else low + 1)


def _x(value: float, low: float, high: float) -> float:
    return LABEL + (WIDTH - LABEL - 20) * (value - low) / (high - low)


def npv_bands(options: Sequence[dict], currency: str) -> str:
    """One bar per option from its NPV P10 to its P90, a line at its P50."""
    low, high = _scale([o["npv"][k] for o in options for k in ("p10", "p90")])
    height = TOP + ROW * len(options) + 24
    body = [_text(LABEL, 18, f"NPV of each option's costs, P10 to P90 ({currency})", _NOTE)]
    for i, option in enumerate(options):
        y = TOP + ROW * i
        band = option["npv"]
        left, right, mid = (_x(band[k], low, high) for k in ("p10", "p90", "p50"))
        shown = ", ".join(f"{k.upper()} {format_number(band[k])}" for k in ("p10", "p50", "p90"))
        tip = f"{option['name']}: {shown}"
        body.append(_text(LABEL - 8, y + 15, option["name"], _NAME, "end", limit=26))
        body.append(
            f'<g class="npv-band" data-option="{_escape(option["name"])}"><title>{_escape(tip)}</title>'
            f'<rect x="{_num(left)}" y="{_num(y + 4)}" width="{_num(max(right - left, 1))}" height="16" '
            f'fill="{_SERIES}" fill-opacity="0.35"/>'
            f'<rect x="{_num(mid - 1)}" y="{_num(y + 2)}" width="2" height="20" fill="{_SERIES}"/></g>'
        )
    body.append(_hline(LABEL, WIDTH - 20, height - 20, _GRID))
    body.append(_text(LABEL, height - 6, format_number(low), _NOTE))
    body.append(_text(WIDTH - 20, height - 6, format_number(high), _NOTE, "end"))
    return _svg(WIDTH, height, "NPV bands of the options", body)


def tornado(bars: Sequence[dict], at_modes: float, difference: str) -> str:
    """One bar per uncertain input, from the difference at its low to that at its high."""
    if not bars:
        return ""
    low, high = _scale([b[k] for b in bars for k in ("at_low", "at_high")] + [at_modes])
    height = TOP + ROW * len(bars) + 24
    centre = _x(at_modes, low, high)
    body = [_text(LABEL, 18, f"{difference}: each input at its low (blue) and high (orange)", _NOTE)]
    for i, bar in enumerate(bars):
        y = TOP + ROW * i
        body.append(_text(LABEL - 8, y + 15, bar["input"], _NAME, "end", limit=26))
        for key, colour in (("at_low", _LOW), ("at_high", _HIGH)):
            end = _x(bar[key], low, high)
            left, width = min(end, centre), max(abs(end - centre), 1)
            tip = f"{bar['input']} {key.replace('_', ' ')}: {format_number(bar[key])}"
            body.append(
                f'<rect class="tornado-bar" x="{_num(left)}" y="{_num(y + 4)}" width="{_num(width)}" height="16" '
                f'fill="{colour}"><title>{_escape(tip)}</title></rect>'
            )
    body.append(
        f'<line x1="{_num(centre)}" y1="{TOP - 4}" x2="{_num(centre)}" y2="{_num(height - 20)}" stroke="#1f2937"/>'
    )
    body.append(_text(centre, height - 6, f"at the modes {format_number(at_modes)}", _NOTE, "middle"))
    return _svg(WIDTH, height, "Tornado: which input moves the answer most", body)
