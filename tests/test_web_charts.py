"""The server-side SVG charts: coordinates worked out by hand, escaping, thinning, determinism.

Every chart is parsed with ``xml.etree.ElementTree`` (``parse``), which proves it is
well-formed XML and checks what every chart must have: ``role="img"``, an ``aria-label``,
a ``<title>`` first, and no reference to anything outside itself.

Geometry used below (see quarterdeck.reports.svg_charts):
- sparkline: SPARK_PAD = 2 px on every side; x_i = 2 + i * (width - 4) / (n - 1);
  y = 2 + (max - v) / (max - min) * (height - 4); a flat series at height / 2.
- line chart 720 x 260: plot area x 60..700, y 30..210; category i of n centred in its band,
  x_i = 60 + (i + 0.5) * 640 / n; y = 210 - (v - low) / (high - low) * 180.
- bar chart 720 wide: bar area x 180..630 (450 px); row i at y = 36 + i * (bar_height + 6).
- fan chart 720 x 260: the line chart's plot area and axes.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from quarterdeck.reports.svg_charts import (
    FAN_DESCRIPTION,
    bar_chart,
    fan_chart,
    format_number,
    line_chart,
    nice_ceiling,
    sparkline,
)

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = ["<script>alert(1)</script>", '"onload="x', "a'b&c>"]


def parse(svg: str) -> ET.Element:
    """The parsed chart, after checking what every chart must have."""
    assert isinstance(svg, str)
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label")
    assert root[0].tag == f"{NS}title"
    assert "href" not in svg and "url(" not in svg and "@import" not in svg
    assert svg.count("http") == 1  # the SVG namespace, which is never fetched
    for element in root.iter():
        assert not any(name.lower().startswith("on") for name in element.attrib), element.attrib
    return root


def elements(root: ET.Element, tag: str) -> list[ET.Element]:
    return list(root.iter(f"{NS}{tag}"))


def texts(root: ET.Element) -> list[tuple[float, float, str]]:
    return [(float(t.get("x")), float(t.get("y")), t.text) for t in elements(root, "text")]


def circles(root: ET.Element) -> list[tuple[float, float, float]]:
    return [(float(c.get("cx")), float(c.get("cy")), float(c.get("r"))) for c in elements(root, "circle")]


def tooltips(root: ET.Element) -> list[str]:
    return [t.text for t in elements(root, "title")]


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (0.7, 1),
        (1, 1),
        (1.2, 2),
        (2.1, 2.5),
        (3, 5),
        (7, 10),
        (12, 20),
        (0, 1),
        (2, 2),
        (2.5, 2.5),
        (5.01, 10),
        (0.2, 0.2),
        (0.000005, 0.000005),  # 5e-06 / 1e-06 is 5.000000000000001 in floating point: still 5, not 10
        (0.0000025, 0.0000025),
        (0.3, 0.5),
        (0.05, 0.05),
        (0.0012, 0.002),
        (999.9, 1000),
        (1000, 1000),
        (1001, 2000),
        (2_400_000, 2_500_000),
    ],
)
def test_nice_ceiling(x, expected):
    assert nice_ceiling(x) == expected


@pytest.mark.parametrize("x", [-1, math.nan, math.inf])
def test_nice_ceiling_rejects_what_has_no_ceiling(x):
    with pytest.raises(ValueError, match="nice_ceiling expects a finite number >= 0"):
        nice_ceiling(x)


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (0, "0"),
        (-0.0, "0"),
        (12, "12"),
        (-3.0, "-3"),
        (2.5, "2.5"),
        (1234.5678, "1,234.568"),
        (1_000_000, "1,000,000"),
        (0.5, "0.5"),
        (0.1234567, "0.123"),
        (0.00001, "0.00001"),  # not 1e-05
        (0.00001234, "0.0000123"),
        (-0.0004, "-0.0004"),
        (0.9999, "1"),
        (1e-20, "0"),
        (-1e-20, "0"),  # not "-0"
        (math.nan, "—"),
    ],
)
def test_format_number(x, expected):
    assert format_number(x) == expected


# --- sparkline -------------------------------------------------------------------------------


def test_sparkline_coordinates_by_hand():
    root = parse(sparkline([1, 3, 2], label="deploys"))
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("120", "28", "0 0 120 28")
    # x = 2 + i * 116 / 2 -> 2, 60, 118; y = 2 + (3 - v) / 2 * 24 -> 26, 2, 14
    assert [p.get("points") for p in elements(root, "polyline")] == ["2,26 60,2 118,14"]
    assert circles(root) == [(118, 14, 2)]  # the last point
    assert root.get("aria-label") == "deploys: 2 (latest)"
    assert tooltips(root) == ["deploys: 2 (latest)"]


def test_sparkline_breaks_at_missing_values():
    root = parse(sparkline([1, None, 3, 2, None, 5], label="x"))
    # x = 2 + i * 116 / 5 -> 2, 25.2, 48.4, 71.6, 94.8, 118; y = 2 + (5 - v) / 4 * 24 -> 26, 14, 20, 2
    assert [p.get("points") for p in elements(root, "polyline")] == ["48.4,14 71.6,20"]
    # the lone first value is a dot; the lone last one gets the last-point circle only
    assert circles(root) == [(2, 26, 1), (118, 2, 2)]


def test_sparkline_marks_the_last_known_point_and_treats_nan_as_missing():
    root = parse(sparkline([4, 2, math.nan, None], width=100, height=20, label="x"))
    # x = 2 + i * 96 / 3 -> 2, 34; y = 2 + (4 - v) / 2 * 16 -> 2, 18
    assert [p.get("points") for p in elements(root, "polyline")] == ["2,2 34,18"]
    assert circles(root) == [(34, 18, 2)]
    assert root.get("aria-label") == "x: 2 (latest)"


def test_flat_and_single_value_sparklines_sit_in_the_middle():
    flat = parse(sparkline([5, 5, 5], label="x"))
    assert [p.get("points") for p in elements(flat, "polyline")] == ["2,14 60,14 118,14"]
    single = parse(sparkline([7], label="x"))
    assert elements(single, "polyline") == []
    assert circles(single) == [(118, 14, 2)]


@pytest.mark.parametrize("values", [[], [None, None], [math.nan]])
def test_sparkline_without_data(values):
    root = parse(sparkline(values, label="lead time"))
    assert [t for _, _, t in texts(root)] == ["no data"]
    assert elements(root, "polyline") == [] and elements(root, "circle") == []
    assert root.get("aria-label") == "lead time: no data"


# --- line chart ------------------------------------------------------------------------------

WEEKS = [("w1", 1), ("w2", None), ("w3", 3), ("w4", 4)]


def test_line_chart_coordinates_by_hand():
    root = parse(line_chart(WEEKS, title="Lead time", unit="hours", statistic="median"))
    # max 4 -> nice ceiling 5 -> gridlines 0..5 by 1; y = 210 - v * 36; x = 60 + (i + 0.5) * 160
    lines = [(float(g.get("y1")), g.get("stroke-dasharray")) for g in elements(root, "line")]
    assert lines == [(210, None), (174, None), (138, None), (102, None), (66, None), (30, None)]
    shown = texts(root)
    assert [(x, y, t) for x, y, t in shown if x == 54] == [(54, 214 - 36 * v, str(v)) for v in range(6)]
    assert [(x, t) for x, y, t in shown if y == 226] == [(140, "w1"), (300, "w2"), (460, "w3"), (620, "w4")]
    assert (60, 18, "Lead time") in shown and (60, 252, "median, hours") in shown
    assert [p.get("d") for p in elements(root, "path")] == ["M140,174M460,102L620,66"]  # a gap at w2
    assert circles(root) == [(140, 174, 3), (460, 102, 3), (620, 66, 3)]
    assert tooltips(root) == ["Lead time (median, hours)", "w1: 1 hours", "w3: 3 hours", "w4: 4 hours"]


def test_line_chart_target_line():
    root = parse(line_chart(WEEKS, title="Lead time", unit="hours", statistic="median", target=4.5))
    dashed = [g for g in elements(root, "line") if g.get("stroke-dasharray")]
    assert len(dashed) == 1
    target = dashed[0]
    assert [float(target.get(a)) for a in ("x1", "y1", "x2", "y2")] == [60, 48, 700, 48]  # 210 - 4.5 * 36
    assert (700, 44, "target") in texts(root)
    assert "target: 4.5 hours" in tooltips(root)


def test_target_above_the_data_raises_the_axis():
    root = parse(line_chart([("a", 1)], title="t", unit="", statistic="p90", target=7))
    # nice ceiling of 7 is 10, in 5 steps of 2; the lone point is centred: x = 60 + 0.5 * 640
    assert [t for x, _, t in texts(root) if x == 54] == ["0", "2", "4", "6", "8", "10"]
    target = next(g for g in elements(root, "line") if g.get("stroke-dasharray"))
    assert float(target.get("y1")) == 84  # 210 - 7 / 10 * 180
    assert circles(root) == [(380, 192, 3)]  # 210 - 1 / 10 * 180
    assert (60, 252, "p90") in texts(root)  # no unit: the statistic alone
    assert "a: 1" in tooltips(root)


def test_line_chart_thins_x_labels_for_52_weeks():
    weeks = [(f"2026-W{i + 1:02d}", float(i)) for i in range(52)]
    root = parse(line_chart(weeks, title="t", unit="h", statistic="mean"))
    labels = [(x, t) for x, y, t in texts(root) if y == 226]
    # every 7th (ceil(52 / 8)) from the first: 8 labels; x = 60 + (i + 0.5) * 640 / 52
    expected = [(round(60 + (i + 0.5) * 640 / 52, 2), f"2026-W{i + 1:02d}") for i in range(0, 52, 7)]
    assert labels == expected and len(labels) == 8
    assert len(circles(root)) == 52  # every point keeps its circle and tooltip


def test_line_chart_with_negative_values_starts_below_zero():
    root = parse(line_chart([("a", -3), ("b", 12)], title="t", unit="", statistic="change"))
    # top: 12 -> 20 in steps of 5; bottom: 3 -> 5 in steps of 1; the coarser step 5 gives -5..20
    assert [t for x, _, t in texts(root) if x == 54] == ["-5", "0", "5", "10", "15", "20"]
    zero = next(g for g in elements(root, "line") if g.get("stroke") == "#6b7280")
    assert float(zero.get("y1")) == 174  # 210 - 5 / 25 * 180
    # x = 60 + (i + 0.5) * 320; y = 210 - (v + 5) / 25 * 180
    assert circles(root) == [(220, 195.6, 3), (540, 87.6, 3)]


def test_line_chart_spanning_both_signs_coarsens_to_at_most_6_intervals():
    root = parse(line_chart([("a", -12), ("b", 12)], title="t", unit="", statistic="change"))
    # each side: 12 -> 20 in steps of 5, -20..20 would be 8 intervals; the step grows to 10
    assert [t for x, _, t in texts(root) if x == 54] == ["-20", "-10", "0", "10", "20"]
    assert circles(root) == [(220, 174, 3), (540, 66, 3)]  # y = 210 - (v + 20) / 40 * 180


def test_line_chart_of_only_negative_values_ends_at_zero():
    root = parse(line_chart([("a", -3), ("b", -1)], title="t", unit="", statistic="change"))
    assert [t for x, _, t in texts(root) if x == 54] == ["-5", "-4", "-3", "-2", "-1", "0"]


@pytest.mark.parametrize("top", [0.7, 1, 1.2, 2.1, 3, 7, 12, 1234, 0.004])
def test_line_chart_has_4_or_5_gridlines_above_zero_up_to_the_nice_ceiling(top):
    root = parse(line_chart([("a", 0), ("b", top)], title="t", unit="", statistic="s"))
    ticks = [t for x, _, t in texts(root) if x == 54]
    assert len(ticks) - 1 in (4, 5)
    assert ticks[0] == "0" and ticks[-1] == format_number(nice_ceiling(top))


def test_line_chart_of_zeros_spans_zero_to_one():
    root = parse(line_chart([("a", 0), ("b", 0)], title="t", unit="", statistic="s"))
    assert [t for x, _, t in texts(root) if x == 54] == ["0", "0.2", "0.4", "0.6", "0.8", "1"]


@pytest.mark.parametrize("points", [[], [("a", None), ("b", math.nan)]])
def test_line_chart_without_data(points):
    root = parse(line_chart(points, title="Lead time", unit="hours", statistic="median", target=3))
    assert "no data" in [t for _, _, t in texts(root)]
    assert elements(root, "path") == [] and elements(root, "circle") == [] and elements(root, "line") == []
    assert root.get("aria-label") == "Lead time: no data"


# --- bar chart -------------------------------------------------------------------------------


def test_bar_chart_with_negative_and_missing_values():
    root = parse(bar_chart([("a", 10), ("b", -5), ("c", None)], title="Change", unit="hours"))
    assert root.get("height") == "114"  # 36 + 3 * 24 + 6
    # span -5..10 over 450 px: 30 px a unit, zero at 180 + 5 * 30 = 330
    rects = [tuple(float(r.get(a)) for a in ("x", "y", "width", "height")) for r in elements(root, "rect")]
    assert rects == [(330, 36, 300, 18), (180, 60, 150, 18)]  # no bar for c
    zero = elements(root, "line")
    assert len(zero) == 1 and zero[0].get("x1") == zero[0].get("x2") == "330"
    shown = texts(root)
    assert [(x, t) for x, y, t in shown if x == 172] == [(172, "a"), (172, "b"), (172, "c")]
    assert [(y, t) for x, y, t in shown if x == 712] == [(20, "hours"), (49, "10"), (73, "-5"), (97, "—")]
    assert tooltips(root)[1:] == ["a: 10 hours", "b: -5 hours", "c: no data"]


def test_bar_chart_keeps_the_order_and_scales_the_longest_bar_to_the_edge():
    rows = [("platform", 2), ("payments", 4), ("search", 12_345.678)]
    root = parse(bar_chart(rows, title="Deploys", unit="per week", bar_height=10))
    widths = [float(r.get("width")) for r in elements(root, "rect")]
    assert widths == [round(2 / 12_345.678 * 450, 2), round(4 / 12_345.678 * 450, 2), 450]
    assert [float(r.get("y")) for r in elements(root, "rect")] == [36, 52, 68]  # pitch 10 + 6
    assert {float(r.get("x")) for r in elements(root, "rect")} == {180}
    assert [t for x, _, t in texts(root) if x == 172] == ["platform", "payments", "search"]
    assert "12,345.678" in [t for _, _, t in texts(root)]


def test_bar_chart_shortens_long_labels_but_keeps_them_in_the_tooltip():
    name = "the-team-with-a-very-long-name-indeed"
    root = parse(bar_chart([(name, 1)], title="t", unit=""))
    assert (172, 49, name[:21] + "…") in texts(root)  # 22 characters fit the 180 px label column
    assert f"{name}: 1" in tooltips(root)


@pytest.mark.parametrize("rows", [[], [("a", None)]])
def test_bar_chart_without_data(rows):
    root = parse(bar_chart(rows, title="Deploys", unit="per week"))
    assert "no data" in [t for _, _, t in texts(root)]
    assert elements(root, "rect") == []


# --- fan chart -------------------------------------------------------------------------------


def test_fan_chart_band_and_median_by_hand():
    svg = fan_chart(["Q1", "Q2"], np.array([[10.0, 20.0, 30.0], [20.0, 30.0, 40.0]]), title="Headcount", unit="people")
    root = parse(svg)
    # highest P90 40 -> nice ceiling 50, gridlines 0..50 by 10: y = 210 - v * 3.6; x = 60 + (i + 0.5) * 320
    paths = {p.get("class"): p for p in elements(root, "path")}
    band, median = paths["band"], paths["median"]
    # P90 left to right, then P10 right to left: (220, 102) (540, 66) (540, 138) (220, 174)
    assert band.get("d") == "M220,102L540,66L540,138L220,174Z"
    assert float(band.get("fill-opacity")) == 0.2 and band.get("fill") == median.get("stroke")
    assert median.get("d") == "M220,138L540,102" and median.get("fill") == "none"
    assert circles(root) == [(220, 138, 3), (540, 102, 3)]
    assert [(x, t) for x, y, t in texts(root) if y == 226] == [(220, "Q1"), (540, "Q2")]
    assert [t for x, _, t in texts(root) if x == 54] == ["0", "10", "20", "30", "40", "50"]
    assert root[1].tag == f"{NS}desc" and root[1].text == FAN_DESCRIPTION
    assert "10th to the 90th percentile" in FAN_DESCRIPTION and "median (P50)" in FAN_DESCRIPTION
    assert tooltips(root) == [
        "Headcount (people, P10–P90 and P50)",
        "Q1: 20 people (P10 10, P90 30)",
        "Q2: 30 people (P10 20, P90 40)",
    ]
    assert fan_chart(["Q1", "Q2"], [(10, 20, 30), (20, 30, 40)], title="Headcount", unit="people") == svg


def test_fan_chart_breaks_at_a_missing_band_and_checks_the_order():
    root = parse(fan_chart(["a", "b", "c"], [(1, 2, 3), (1, math.nan, 3), (3, 4, 5)], title="t", unit="u"))
    # 5 -> nice ceiling 5 by 1: y = 210 - v * 36; x = 60 + (i + 0.5) * 640 / 3
    bands = [p.get("d") for p in elements(root, "path") if p.get("class") == "band"]
    assert bands == ["M166.67,102L166.67,174Z", "M593.33,30L593.33,102Z"]
    assert len(circles(root)) == 2
    with pytest.raises(ValueError, match="expected P10 <= P50 <= P90"):
        fan_chart(["a"], [(3, 2, 1)], title="t", unit="u")
    with pytest.raises(ValueError, match=r"a band is \(P10, P50, P90\)"):
        fan_chart(["a"], [(1, 2)], title="t", unit="u")


# --- hostile text, determinism, validation ---------------------------------------------------


def all_charts(text: str) -> list[str]:
    """Every chart with ``text`` in every place text can go."""
    return [
        sparkline([1, 2], label=text),
        sparkline([], label=text),
        line_chart([(text, 1), ("b", 2)], title=text, unit=text, statistic=text, target=1.5),
        line_chart([(text, None)], title=text, unit=text, statistic=text),
        bar_chart([(text, 1), ("b", None)], title=text, unit=text),
        bar_chart([], title=text, unit=text),
        fan_chart([text, "b"], [(1, 2, 3), (2, 3, 4)], title=text, unit=text),
        fan_chart([text], [(None, 1, 2)], title=text, unit=text),
    ]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_is_escaped(hostile):
    for svg in all_charts(hostile):
        root = parse(svg)
        assert "<script" not in svg and 'onload="x' not in svg
        assert hostile not in svg  # each contains a character that must be escaped
        seen = [root.get("aria-label"), *tooltips(root), *(t for _, _, t in texts(root))]
        assert any(hostile in s for s in seen if s), seen  # ... and reads back unchanged


def test_characters_xml_forbids_are_replaced():
    for svg in all_charts("a\x00b\x1bc\ud800"):
        root = parse(svg)
        assert "a\ufffdb\ufffdc\ufffd" in root.get("aria-label")


def test_same_input_same_bytes():
    weeks = [(f"2026-{m:02d}-01", m * 1.37 if m % 4 else None) for m in range(1, 13)]
    assert line_chart(weeks, title="t", unit="h", statistic="median", target=9) == line_chart(
        tuple(weeks), title="t", unit="h", statistic="median", target=9
    )
    assert sparkline([3, None, 1.5, 2], label="s") == sparkline((3, None, 1.5, 2), label="s")
    rows = [("a", 1.5), ("b", -2)]
    assert bar_chart(rows, title="t", unit="u") == bar_chart(tuple(rows), title="t", unit="u")


def test_numbers_are_never_in_exponent_notation():
    svg = line_chart([("a", 0.00001), ("b", 0.00003)], title="t", unit="s", statistic="s", height=1e6)
    assert re.search(r"(?<![#\w.])\d+(\.\d+)?[eE][-+]?\d", svg) is None  # colours such as #e5e7eb aside
    # nice ceiling of 0.00003 is 0.00005, in 5 steps; y spans 30..999950 px
    ticks = ["0", "0.00001", "0.00002", "0.00003", "0.00004", "0.00005"]
    assert [t for x, _, t in texts(parse(svg)) if x == 54] == ticks
    assert 'height="1000000"' in svg


@pytest.mark.parametrize(
    ("draw", "message"),
    [
        (lambda: sparkline([1], width=0, label="x"), "sparkline width must be a number above 4"),
        (lambda: line_chart([], title="t", unit="", statistic="s", height=math.nan), "line chart height"),
        (lambda: bar_chart([], title="t", unit="", bar_height=-1), "bar height must be a number above 0"),
    ],
)
def test_impossible_sizes_are_refused(draw, message):
    with pytest.raises(ValueError, match=message):
        draw()
