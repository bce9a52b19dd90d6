"""Server-side SVG charts for the dashboard and the reports: sparklines, line charts, bar charts and fan charts.

Pure functions from numbers to SVG markup (a ``str``), so the pages need no JavaScript and
fetch nothing: they render at once and work offline. Every text that reaches the markup
(team names, period labels, titles, units) may come from git or an API and is treated as
hostile: the characters XML forbids are replaced by U+FFFD, then the text is escaped with
``html.escape(..., quote=True)``, so the result is always well-formed XML. The output is
deterministic (the same input gives the same bytes) and references nothing outside itself:
no links, no web fonts, only the SVG namespace.

Missing values are ``None``; NaN and infinities count as missing too. A sparkline or a
line breaks where a value is missing, a bar shows "—". Numbers are written compactly
(``format_number``): never in exponent notation, at most 3 decimals (3 significant digits
below 1), thousands separated by commas.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["bar_chart", "fan_chart", "format_number", "line_chart", "nice_ceiling", "sparkline"]

_FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"'
_MUTED, _GRID, _SERIES, _TARGET, _NEGATIVE = "#6b7280", "#e5e7eb", "#2563eb", "#dc2626", "#d97706"
_HEADING, _NAME = 'font-size="14" font-weight="bold" fill="#1f2937"', 'font-size="12" fill="#1f2937"'
_NOTE, _SMALL = f'font-size="11" fill="{_MUTED}"', f'font-size="10" fill="{_MUTED}"'
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: Sparkline: pixels kept free on every side, so the line and the last-point circle are not clipped.
SPARK_PAD = 2
#: Line chart: the plot area is the chart minus these margins (title above, labels left and below).
LINE_LEFT, LINE_RIGHT, LINE_TOP, LINE_BOTTOM = 60, 20, 30, 50
#: Line chart: at most this many x labels are written (every k-th one, starting with the first).
MAX_X_LABELS = 8
#: Bar chart: the label column, the value column, the header and the gap between bars.
BAR_LABEL_WIDTH, BAR_VALUE_WIDTH, BAR_TOP, BAR_GAP = 180, 90, 36, 6

#: Fan chart: the P10-P90 band's opacity (the P50 line is drawn over it in the series colour).
FAN_OPACITY = 0.2
FAN_DESCRIPTION = (
    "The shaded band runs from the 10th to the 90th percentile of the simulated outcomes "
    "(8 in 10 fall inside it); the line is the median (P50)."
)

_NICE_MANTISSAS = (1.0, 2.0, 2.5, 5.0)
_INTERVALS = {1.0: 5, 2.0: 4, 2.5: 5, 5.0: 5}  # gridline intervals up to a nice value with that mantissa


def format_number(x: float) -> str:
    """``x`` for a label: "1,234.5", "0.0000123", "-2"; "—" when it is not a finite number."""
    if not math.isfinite(x):
        return "—"
    if x == 0:
        return "0"
    decimals = 3 if abs(x) >= 1 else min(15, 2 - math.floor(math.log10(abs(x))))
    text = f"{x:,.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def nice_ceiling(x: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that is >= ``x`` (to 1e-12 relative); 1 for 0."""
    return _scaled(*_nice_parts(x))


def sparkline(values: Sequence[float | None], *, width: float = 120, height: float = 28, label: str) -> str:
    """A small line of ``values`` spread evenly over the width, broken where a value is None.

    The y range runs from the lowest to the highest value, ``SPARK_PAD`` px inside the edges
    (a flat series is drawn across the middle); the first value sits at x = SPARK_PAD, the last
    at width - SPARK_PAD (a lone value at the right edge), and the last known point is circled."""
    _check_size("sparkline width", width, 2 * SPARK_PAD)
    _check_size("sparkline height", height, 2 * SPARK_PAD)
    present = [_present(v) for v in values]
    known = [v for v in present if v is not None]
    if not known:
        body = [_text(width / 2, height / 2 + 4, "no data", _SMALL, "middle")]
        return _svg(width, height, f"{label}: no data", body)
    low, high = min(known), max(known)
    xs = _spread(len(present), SPARK_PAD, width - SPARK_PAD)

    def y_of(v: float) -> float:
        if high == low:
            return height / 2
        return SPARK_PAD + (high - v) / (high - low) * (height - 2 * SPARK_PAD)

    points = [None if v is None else (x, y_of(v)) for x, v in zip(xs, present, strict=True)]
    last = next(p for p in reversed(points) if p is not None)
    body = []
    for segment in _segments(points):
        if len(segment) > 1:
            coords = " ".join(f"{_num(x)},{_num(y)}" for x, y in segment)
            body.append(f'<polyline points="{coords}" fill="none" stroke="{_SERIES}" stroke-width="1.5"/>')
        elif segment[0] != last:  # a lone point between gaps is a dot; the last point is circled below
            body.append(_circle(*segment[0], 1, _SERIES))
    body.append(_circle(*last, 2, _SERIES))
    return _svg(width, height, f"{label}: {format_number(known[-1])} (latest)", body)


def line_chart(
    points: Sequence[tuple[str, float | None]],
    *,
    title: str,
    unit: str,
    statistic: str,
    width: float = 720,
    height: float = 260,
    target: float | None = None,
) -> str:
    """One series over ordered categories (period starts), with gridlines, point tooltips and a target.

    The y axis runs from 0 (or below the lowest negative value) to ``nice_ceiling`` of the
    highest value and the target, in 4 or 5 steps; each category gets an equal band of the
    plot width, its point in the middle of the band."""
    _check_size("line chart width", width, LINE_LEFT + LINE_RIGHT)
    _check_size("line chart height", height, LINE_TOP + LINE_BOTTOM)
    labels = [str(label) for label, _ in points]
    values = [_present(v) for _, v in points]
    target = _present(target)
    caption = f"{statistic}, {unit}" if unit else str(statistic)
    left, right, top, bottom = LINE_LEFT, width - LINE_RIGHT, LINE_TOP, height - LINE_BOTTOM
    body = [
        _text(left, 18, title, _HEADING),
        _text(left, height - 8, caption),
    ]
    known = [v for v in values if v is not None]
    if not known:
        body.append(_text(width / 2, (top + bottom) / 2, "no data", _NOTE, "middle"))
        return _svg(width, height, f"{title}: no data", body)
    ticks = _axis_ticks(known + ([] if target is None else [target]))
    low, high = ticks[0], ticks[-1]

    def y_of(v: float) -> float:
        return bottom - (v - low) / (high - low) * (bottom - top)

    for tick in ticks:
        colour = _MUTED if tick == 0 else _GRID
        body.append(_hline(left, right, y_of(tick), colour))
        body.append(_text(left - 6, y_of(tick) + 4, format_number(tick), _SMALL, "end"))
    band = (right - left) / len(points)
    xs = [left + (i + 0.5) * band for i in range(len(points))]
    stride = math.ceil(len(points) / MAX_X_LABELS)
    body += [_text(xs[i], bottom + 16, labels[i], _SMALL, "middle", limit=12) for i in range(0, len(xs), stride)]
    if target is not None:
        body.append(_target_line(left, right, y_of(target), f"target: {_with_unit(target, unit)}"))
    coords = [None if v is None else (x, y_of(v)) for x, v in zip(xs, values, strict=True)]
    path = "".join("M" + "L".join(f"{_num(x)},{_num(y)}" for x, y in seg) for seg in _segments(coords))
    body.append(f'<path d="{path}" fill="none" stroke="{_SERIES}" stroke-width="2"/>')
    for label, value, point in zip(labels, values, coords, strict=True):
        if point is not None:
            body.append(_circle(*point, 3, _SERIES, tooltip=f"{label}: {_with_unit(value, unit)}"))
    return _svg(width, height, f"{title} ({caption})", body)


def bar_chart(
    rows: Sequence[tuple[str, float | None]],
    *,
    title: str,
    unit: str,
    width: float = 720,
    bar_height: float = 18,
    colour: str | None = None,
) -> str:
    """Horizontal bars, one per row in the order given: label left, value right, the unit above.

    The bars share one scale: the bar area (between the label and value columns) spans from
    the lowest value below zero (or zero) to the highest value above zero (or zero), so the
    longest bar reaches the edge and negative values are drawn left of the zero line. A None
    value shows "—" and no bar. The height follows the number of rows."""
    _check_size("bar chart width", width, BAR_LABEL_WIDTH + BAR_VALUE_WIDTH)
    _check_size("bar height", bar_height, 0)
    labels = [str(label) for label, _ in rows]
    values = [_present(v) for _, v in rows]
    pitch = bar_height + BAR_GAP
    height = BAR_TOP + max(len(rows), 1) * pitch + BAR_GAP
    body = [_text(8, 20, title, _HEADING), _text(width - 8, 20, unit, _NOTE, "end")]
    known = [v for v in values if v is not None]
    if not known:
        body.append(_text(width / 2, BAR_TOP + pitch / 2 + 4, "no data", _NOTE, "middle"))
        return _svg(width, height, f"{title}: no data", body)
    left, right = BAR_LABEL_WIDTH, width - BAR_VALUE_WIDTH
    most, least = max(0.0, *known), min(0.0, *known)
    scale = (right - left) / ((most - least) or 1.0)
    zero = left - least * scale
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = BAR_TOP + i * pitch
        middle = y + bar_height / 2 + 4
        row = [f"<g><title>{_escape(label)}: {_escape(_with_unit(value, unit))}</title>"]
        row.append(_text(left - 8, middle, label, _NAME, "end", limit=22))
        if value is not None:
            fill = _NEGATIVE if value < 0 else _colour(colour)
            x = zero + min(value, 0.0) * scale
            row.append(
                f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(abs(value) * scale)}" height="{_num(bar_height)}" '
                f'fill="{fill}"/>'
            )
        row.append(_text(width - 8, middle, "—" if value is None else format_number(value), _NOTE, "end"))
        body.append("".join([*row, "</g>"]))
    body.append(
        f'<line x1="{_num(zero)}" y1="{_num(BAR_TOP - 2)}" x2="{_num(zero)}" y2="{_num(height - BAR_GAP + 2)}" '
        f'stroke="{_MUTED}" stroke-width="1"/>'
    )
    return _svg(width, height, f"{title} ({unit})" if unit else str(title), body)


def fan_chart(
    labels: Sequence[str],
    bands: np.ndarray | Sequence[tuple[float, float, float]],
    *,
    title: str,
    unit: str,
    width: float = 720,
    height: float = 260,
    colour: str | None = None,
) -> str:
    """A range over ordered categories: the P10-P90 band shaded, the P50 line over it.

    ``bands`` has one (P10, P50, P90) row per label, each row ordered (a ValueError otherwise);
    a row with a missing value breaks the band and the line there. The axes are the line
    chart's: 0 (or below the lowest value) to ``nice_ceiling`` of the highest P90, each
    category in the middle of an equal band of the plot width. The band is one closed path
    (P90 left to right, then P10 right to left), the median a path, each point a circle
    whose tooltip gives the three values; ``<desc>`` says what the band is."""
    _check_size("fan chart width", width, LINE_LEFT + LINE_RIGHT)
    _check_size("fan chart height", height, LINE_TOP + LINE_BOTTOM)
    labels = [str(label) for label in labels]
    rows = [_fan_row(row, label) for row, label in zip(bands, labels, strict=True)]
    left, right, top, bottom = LINE_LEFT, width - LINE_RIGHT, LINE_TOP, height - LINE_BOTTOM
    body = [f"<desc>{_escape(FAN_DESCRIPTION)}</desc>", _text(left, 18, title, _HEADING), _text(left, height - 8, unit)]
    known = [v for row in rows if row is not None for v in row]
    if not known:
        body.append(_text(width / 2, (top + bottom) / 2, "no data", _NOTE, "middle"))
        return _svg(width, height, f"{title}: no data", body)
    ticks = _axis_ticks(known)
    low, high = ticks[0], ticks[-1]

    def y_of(v: float) -> float:
        return bottom - (v - low) / (high - low) * (bottom - top)

    for tick in ticks:
        body.append(_hline(left, right, y_of(tick), _MUTED if tick == 0 else _GRID))
        body.append(_text(left - 6, y_of(tick) + 4, format_number(tick), _SMALL, "end"))
    pitch = (right - left) / len(rows)
    xs = [left + (i + 0.5) * pitch for i in range(len(rows))]
    stride = math.ceil(len(rows) / MAX_X_LABELS)
    body += [_text(xs[i], bottom + 16, labels[i], _SMALL, "middle", limit=12) for i in range(0, len(xs), stride)]
    body.append(_text(right, 18, "P10–P90 shaded, P50 line", _NOTE, "end"))
    points = [None if row is None else (x, row) for x, row in zip(xs, rows, strict=True)]
    for run in _segments(points):  # type: ignore[arg-type]
        upper = "L".join(f"{_num(x)},{_num(y_of(row[2]))}" for x, row in run)
        lower = "L".join(f"{_num(x)},{_num(y_of(row[0]))}" for x, row in reversed(run))
        body.append(f'<path class="band" d="M{upper}L{lower}Z" fill="{_colour(colour)}" fill-opacity="{FAN_OPACITY}"/>')
        median = "L".join(f"{_num(x)},{_num(y_of(row[1]))}" for x, row in run)
        body.append(f'<path class="median" d="M{median}" fill="none" stroke="{_colour(colour)}" stroke-width="2"/>')
    for label, point in zip(labels, points, strict=True):
        if point is not None:
            x, (p10, p50, p90) = point
            tip = f"{label}: {_with_unit(p50, unit)} (P10 {format_number(p10)}, P90 {format_number(p90)})"
            body.append(_circle(x, y_of(p50), 3, _colour(colour), tooltip=tip))
    return _svg(width, height, f"{title} ({unit}, P10–P90 and P50)" if unit else f"{title} (P10–P90 and P50)", body)


def _fan_row(row: Sequence[float], label: str) -> tuple[float, float, float] | None:
    values = [_present(v) for v in row]
    if len(values) != 3:
        raise ValueError(f"fan chart {label!r}: a band is (P10, P50, P90), got {len(values)} values")
    if any(v is None for v in values):
        return None
    p10, p50, p90 = values
    if not p10 <= p50 <= p90:  # type: ignore[operator]
        raise ValueError(f"fan chart {label!r}: expected P10 <= P50 <= P90, got {p10}, {p50}, {p90}")
    return p10, p50, p90  # type: ignore[return-value]


# --- axis arithmetic -------------------------------------------------------------------------


def _nice_parts(x: float) -> tuple[float, int]:
    """(mantissa, exponent) of ``nice_ceiling(x)``: mantissa in 1, 2, 2.5, 5."""
    if not (isinstance(x, int | float) and math.isfinite(x)) or x < 0:
        raise ValueError(f"nice_ceiling expects a finite number >= 0, got {x!r}")
    if x == 0:
        return 1.0, 0
    exponent = math.floor(math.log10(x))
    if _scaled(1.0, exponent) > x:  # log10 rounded up just below a power of ten
        exponent -= 1
    elif _scaled(1.0, exponent + 1) <= x:
        exponent += 1
    mantissa = x / _scaled(1.0, exponent)
    for nice in _NICE_MANTISSAS:
        if mantissa <= nice * (1 + 1e-12):  # rounding: 5e-06 / 1e-06 is 5.000000000000001, still 5
            return nice, exponent
    return 1.0, exponent + 1


def _scaled(mantissa: float, exponent: int) -> float:
    """mantissa * 10**exponent, read from decimal text so 5e-2 is exactly the double nearest 0.05."""
    return float(f"{mantissa}e{exponent}")


def _tick_step(nice: float) -> float:
    """The gridline spacing up to the nice value ``nice`` (0 for 0): 4 or 5 intervals."""
    if nice == 0:
        return 0.0
    mantissa, exponent = _nice_parts(nice)
    return _scaled(mantissa / _INTERVALS[mantissa], exponent)


def _axis_ticks(values: list[float]) -> list[float]:
    """The gridline values covering ``values`` and 0, lowest first.

    Only positive values: 0 to nice_ceiling(max) in 4-5 steps. With negative values the
    coarser of the two sides' steps is used and both ends are rounded out to it (coarsened
    further while there would be more than 6 intervals), so a gridline always sits at 0."""
    highest, lowest = max(0.0, *values), min(0.0, *values)
    upper = nice_ceiling(highest) if highest > 0 or lowest == 0 else 0.0
    lower = nice_ceiling(-lowest) if lowest < 0 else 0.0
    step = max(_tick_step(upper), _tick_step(lower))
    while True:
        first, last = -math.ceil(lower / step - 1e-9), math.ceil(upper / step - 1e-9)
        if last - first <= 6:
            return [float(f"{i * step:.12g}") for i in range(first, last + 1)]
        step = nice_ceiling(step * 1.001)


# --- markup helpers --------------------------------------------------------------------------


def _svg(width: float, height: float, label: str, body: list[str]) -> str:
    """The chart element: ``label`` is both its accessible name and its tooltip."""
    size = f'width="{_num(width)}" height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}"'
    head = f'<svg xmlns="http://www.w3.org/2000/svg" {size} role="img" aria-label="{_escape(label)}" {_FONT}>'
    return "".join([head, f"<title>{_escape(label)}</title>", *body, "</svg>"])


def _text(x: float, y: float, text: str, style: str = _NOTE, anchor: str = "start", limit: int | None = None) -> str:
    """A text element; ``text`` is shortened to ``limit`` characters (with "…") and escaped."""
    shown = str(text)
    if limit is not None and len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" {style}>{_escape(shown)}</text>'


def _circle(x: float, y: float, r: float, fill: str, tooltip: str | None = None) -> str:
    attrs = f'cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" fill="{fill}"'
    return f"<circle {attrs}/>" if tooltip is None else f"<circle {attrs}><title>{_escape(tooltip)}</title></circle>"


def _hline(left: float, right: float, y: float, colour: str) -> str:
    return (
        f'<line x1="{_num(left)}" y1="{_num(y)}" x2="{_num(right)}" y2="{_num(y)}" stroke="{colour}" stroke-width="1"/>'
    )


def _target_line(left: float, right: float, y: float, tooltip: str) -> str:
    line = _hline(left, right, y, _TARGET).replace("/>", ' stroke-dasharray="6 4"/>')
    caption = _text(right, y - 4, "target", _NOTE.replace(_MUTED, _TARGET), "end")
    return f"<g><title>{_escape(tooltip)}</title>{line}{caption}</g>"


_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _colour(colour: str | None) -> str:
    """A series colour given as ``#rrggbb`` (a theme's), else the charts' own blue."""
    if colour is None:
        return _SERIES
    if not _HEX_COLOUR.fullmatch(colour):
        raise ValueError(f"a chart colour is #rrggbb, not {colour!r}")
    return colour


def _escape(text: str) -> str:
    return html.escape(_NOT_XML.sub("\ufffd", str(text)), quote=True)


def _num(x: float) -> str:
    """A coordinate: at most 2 decimals, no exponent, no "-0"."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _with_unit(value: float | None, unit: str) -> str:
    shown = "no data" if value is None else format_number(value)
    return f"{shown} {unit}" if unit and value is not None else shown


def _present(value: float | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _spread(count: int, start: float, end: float) -> list[float]:
    """``count`` x positions evenly from start to end (a single one at the end)."""
    if count == 1:
        return [end]
    return [start + i * (end - start) / (count - 1) for i in range(count)]


def _segments(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """The runs of consecutive points between the missing ones (None)."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def _check_size(name: str, value: float, above: float) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and value > above):
        raise ValueError(f"{name} must be a number above {above}, got {value!r}")
