"""Build vs buy (planning.build_vs_buy, planning.decide_file) on decision files written here:
with every input a point the Monte Carlo is exact and equals the cash flows worked out by
hand below; a crafted file gives a known tornado order and a known break-even year; bad files
are errors naming the file and line."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from quarterdeck.core.errors import ConfigError
from quarterdeck.planning.build_vs_buy import evaluate
from quarterdeck.planning.decide_file import looks_like, read_decision
from quarterdeck.planning.ranges import Range

POINTS = """title: Feature flags
years: 3
discount_rate: 10%
engineer_month_cost: 10000
shared:
  seats: 200
  seat_growth: 10%
options:
  build:
    engineers: 2
    months: 6
    maintenance_fte: 0.5
    infrastructure: 12000
    other_yearly: 1000
  buy:
    licence_per_seat: 100
    escalator: 5%
    integration: 2
    exit_cost: 20000
    other_yearly: 5000
"""
# build, year 1: 6 months building: 2 x 10000 x 6 = 120000; 6 months running: 0.5 x 10000 x 6 = 30000,
#   infrastructure 12000 x 6 / 12 = 6000, other 1000: 157000. Years 2 and 3: 60000 + 12000 + 1000 = 73000.
BUILD = [157000.0, 73000.0, 73000.0]
# buy, year 1: 100 x 200 + 5000 + 2 x 10000 = 45000; year 2: 100 x 1.05 x 200 x 1.1 + 5000 = 28100;
#   year 3: 100 x 1.05² x 200 x 1.1² + 5000 + 20000 (exit) = 26680.5 + 25000 = 51680.5.
BUY = [45000.0, 28100.0, 51680.5]


def npv(flows: list[float], rate: float) -> float:
    return sum(flow / (1 + rate) ** year for year, flow in enumerate(flows, start=1))


def write(tmp_path: Path, text: str, name: str = "decision.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def outcome(tmp_path: Path, text: str, draws: int = 2000, seed: int = 0):
    decision = read_decision(write(tmp_path, text))
    cost = decision.engineer_month_cost or Range.point(10000)
    return evaluate(decision, cost, "the test", draws=draws, seed=seed)


def test_with_every_input_a_point_tco_and_npv_are_the_hand_worked_cash_flows(tmp_path: Path) -> None:
    found = outcome(tmp_path, POINTS)
    build, buy = found.options
    assert (build.name, build.kind, buy.name, buy.kind) == ("build", "build", "buy", "buy")
    for result, flows in ((build, BUILD), (buy, BUY)):
        assert (result.tco.p10, result.tco.p50, result.tco.p90) == pytest.approx((sum(flows),) * 3)
        assert result.npv.p50 == pytest.approx(npv(flows, 0.10))
        assert [band.p50 for band in result.cumulative] == pytest.approx([sum(flows[:i]) for i in (1, 2, 3)])
    assert build.tco.p50 == pytest.approx(303000) and buy.tco.p50 == pytest.approx(124780.5)
    assert (found.cheaper, found.other) == ("buy", "build")
    assert (buy.chance_cheapest, build.chance_cheapest) == (1.0, 0.0)
    assert found.difference.p50 == pytest.approx(npv(BUILD, 0.1) - npv(BUY, 0.1))
    assert found.base_difference == pytest.approx(npv(BUILD, 0.1) - npv(BUY, 0.1))
    assert found.break_even == 1  # buy's cumulative cost is below build's from the first year on
    assert found.tornado == ()  # nothing uncertain


BREAK_EVEN = """years: 4
discount_rate: 10%
options:
  build: {engineers: 1, months: 12}
  buy: {licence_per_seat: 50000, seats: 1}
"""


def test_the_break_even_year_is_the_first_from_which_the_cheaper_stays_below(tmp_path: Path) -> None:
    # build: 120000 in year 1, nothing after: cumulative 120000 each year (NPV 109090.91);
    # buy: 50000 a year: cumulative 50000, 100000, 150000, 200000 (NPV 158493.27): build is the
    # cheaper, and its cumulative cost is below buy's from year 3 on.
    found = outcome(tmp_path, BREAK_EVEN)
    assert (found.cheaper, found.other) == ("build", "buy")
    assert found.options[0].npv.p50 == pytest.approx(120000 / 1.1)
    assert found.options[1].npv.p50 == pytest.approx(npv([50000.0] * 4, 0.1))
    assert found.break_even == 3
    shorter = outcome(tmp_path, BREAK_EVEN.replace("years: 4", "years: 2").replace("months: 12", "months: 8"))
    # years 2: build 80000 (NPV 72727), buy 50000 + 50000 (NPV 86777): build cheaper; cumulative
    # 80000 vs 50000, then 80000 vs 100000: below from year 2
    assert (shorter.cheaper, shorter.break_even) == ("build", 2)


def test_no_break_even_when_the_cheaper_ends_above_in_cumulative_cost(tmp_path: Path) -> None:
    # buy: 30000 a year and an exit cost of 100000 in year 3; build: 110000 in year 1, then nothing.
    # cumulative buy 30000, 60000, 190000; build 110000 each year. NPV at 50%: build 73333,
    # buy 20000 + 13333 + 38519 = 71852: buy is the cheaper, but ends above build: no break-even.
    text = """years: 3
discount_rate: 50%
engineer_month_cost: 10000
options:
  build: {engineers: 1, months: 11}
  buy: {licence_per_seat: 30000, seats: 1, exit_cost: 100000}
"""
    found = outcome(tmp_path, text)
    assert found.cheaper == "buy"
    assert found.options[1].npv.p50 == pytest.approx(30000 / 1.5 + 30000 / 2.25 + 130000 / 3.375)
    assert found.break_even is None


TORNADO = """years: 2
discount_rate: {low: 0%, mode: 0%, high: 10%}
engineer_month_cost: 10000
options:
  build:
    engineers: {low: 1, mode: 2, high: 3}
    months: 12
  buy:
    licence_per_seat: {low: 40000, mode: 50000, high: 90000}
    seats: 1
"""


def test_the_tornado_orders_inputs_by_the_swing_of_the_difference(tmp_path: Path) -> None:
    # at the modes: build 2 x 10000 x 12 = 240000 in year 1, buy 50000 a year: buy is cheaper,
    # difference (build - buy) 240000 - 100000 = 140000 (rate 0).
    found = outcome(tmp_path, TORNADO)
    assert (found.cheaper, found.other) == ("buy", "build")
    assert found.base_difference == pytest.approx(140000)
    bars = [(bar.input, bar.at_low, bar.at_high) for bar in found.tornado]
    rate_high = 240000 / 1.1 - (50000 / 1.1 + 50000 / 1.21)
    assert bars == [
        ("build.engineers", pytest.approx(120000 - 100000), pytest.approx(360000 - 100000)),  # swing 240000
        ("buy.licence_per_seat", pytest.approx(240000 - 80000), pytest.approx(240000 - 180000)),  # 100000
        ("discount_rate", pytest.approx(140000), pytest.approx(rate_high)),  # 8595
    ]
    assert [round(bar.swing) for bar in found.tornado] == [240000, 100000, round(140000 - rate_high)]


def test_draws_are_seeded_and_the_chances_add_up(tmp_path: Path) -> None:
    text = TORNADO.replace("high: 3}", "high: 12}")  # build is sometimes the cheaper
    first, again = outcome(tmp_path, text, seed=5), outcome(tmp_path, text, seed=5)
    assert first.options == again.options
    other = outcome(tmp_path, text, seed=6)
    assert other.options != first.options
    chances = [result.chance_cheapest for result in first.options]
    assert math.isclose(sum(chances), 1.0) and 0 < chances[0] < 1
    # the build's TCO is 10000 x 12 x engineers: its P50 is that of the triangular (1, 2, 12):
    # the median 12 - sqrt(0.5 x 11 x 10) = 4.58; 2000 draws: s.e. of the median ~ 0.1 engineers
    median = 12 - math.sqrt(0.5 * 11 * 10)
    assert abs(first.options[0].tco.p50 / 120000 - median) < 0.4


def test_a_file_with_build_and_buy_options_looks_like_a_decision() -> None:
    assert looks_like({"options": {"build": {}, "buy": {}}})
    assert looks_like({"options": {"ours": {"kind": "build"}, "vendor": {"kind": "buy"}}})
    assert not looks_like({"options": {"build": {}}})
    assert not looks_like({"hiring": []})
    assert not looks_like(["options"])


def test_several_options_and_shared_inputs(tmp_path: Path) -> None:
    text = POINTS + "  vendor-b:\n    kind: buy\n    licence_per_seat: 90\n    seats: 100\n"
    decision = read_decision(write(tmp_path, text))
    names = [(o.name, o.kind, o.uses["seats"] if o.kind == "buy" else "") for o in decision.options]
    assert names == [("build", "build", ""), ("buy", "buy", "shared.seats"), ("vendor-b", "buy", "vendor-b.seats")]
    found = evaluate(decision, Range.point(10000), "test", draws=100)
    # vendor-b: 90 x 100 x 1.1^(y-1) (no escalator): 9000, 9900, 10890
    assert found.options[2].tco.p50 == pytest.approx(9000 + 9900 + 10890)
    assert found.cheaper == "vendor-b" and found.other == "buy"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("years: 3\ndiscount_rate: 5%\n", ":1: a decision file needs options (a build and a buy)"),
        (
            "years: 3\noptions:\n  build: {engineers: 1, months: 2}\n  buy: {licence_per_seat: 1, seats: 1}\n",
            ":1: discount_rate is missing",
        ),
        (POINTS.replace("years: 3", "years: 0"), ":2: years: expected a whole number from 1 to 30"),
        (
            POINTS.replace("    months: 6\n", "    months: {low: 8, mode: 6, high: 9}\n"),
            ":11: build.months: low (8) is above mode (6)",
        ),
        (
            POINTS.replace("    other_yearly: 1000\n", "    other_yearly: 1000\n    staff: 3\n"),
            ":15: option build (build): unknown key 'staff' (expected engineers, months, maintenance_fte, "
            "infrastructure, other_yearly)",
        ),
        (
            POINTS.replace("    licence_per_seat: 100\n", ""),
            ":15: option buy: licence_per_seat is missing (in the option or in shared)",
        ),
        (POINTS.replace("  buy:\n", "  rent:\n"), ":15: option rent: kind must be build or buy, got 'rent'"),
        (
            POINTS.replace("escalator: 5%", "escalator: lots"),
            ":17: buy.escalator: expected a number or a percentage such as 5%, got 'lots'",
        ),
        (POINTS.replace("integration: 2", "integration: -2"), ":18: buy.integration: must not be negative"),
        (POINTS.replace("title:", "titel:"), ":1: a decision file: unknown key 'titel'"),
        ("- 1\n", ": a decision file is a mapping"),
    ],
)
def test_a_bad_decision_file_is_an_error_naming_the_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        read_decision(path)
    assert str(raised.value).startswith(str(path) + message), str(raised.value)


def test_the_us_spelling_of_licence_is_read_too(tmp_path: Path) -> None:
    decision = read_decision(write(tmp_path, POINTS.replace("licence_per_seat", "license_per_seat")))
    assert decision.options[1].uses["licence_per_seat"] == "buy.licence_per_seat"


def test_the_p50_npv_is_stable_within_half_a_percent_between_10000_and_40000_draws(tmp_path: Path) -> None:
    text = POINTS.replace("months: 6", "months: {low: 4, mode: 6, high: 12, distribution: pert}").replace(
        "seats: 200", "seats: {low: 100, mode: 200, high: 400}"
    )
    few, many = outcome(tmp_path, text, draws=10_000, seed=1), outcome(tmp_path, text, draws=40_000, seed=2)
    for a, b in zip(few.options, many.options, strict=True):
        assert abs(a.npv.p50 - b.npv.p50) / b.npv.p50 < 0.005, (a.name, a.npv.p50, b.npv.p50)


def test_an_initiatives_file_is_told_apart_from_a_decision() -> None:
    from quarterdeck.planning import initiative_file

    assert initiative_file.looks_like({"initiatives": []})
    assert not initiative_file.looks_like({"options": {"build": {}, "buy": {}}})
    assert not looks_like({"initiatives": []})
