"""Uncertain inputs (planning.ranges): draws against the closed-form mean, spread and
quantiles of the triangular and PERT distributions, and reading ranges from YAML with
file:line errors.

Tolerances: the mean of n independent draws has a standard error sigma / sqrt(n) (sigma in
closed form); we accept 4 standard errors, which an unbiased sampler misses with a chance
of about 6 in 100,000 (the draws are seeded, so the test is deterministic). A sample
p-quantile has a standard error sqrt(p (1 - p) / n) / f(q), f the density at the quantile;
again 4 of them."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from quarterdeck.config.yaml_files import LineLoader, read_yaml
from quarterdeck.core.errors import ConfigError
from quarterdeck.planning.ranges import Range, parse_number, parse_range

N = 200_000


def triangular_quantile(p: float, low: float, mode: float, high: float) -> float:
    cut = (mode - low) / (high - low)
    if p < cut:
        return low + math.sqrt(p * (high - low) * (mode - low))
    return high - math.sqrt((1 - p) * (high - low) * (high - mode))


def triangular_density(x: float, low: float, mode: float, high: float) -> float:
    if x < mode:
        return 2 * (x - low) / ((high - low) * (mode - low))
    return 2 * (high - x) / ((high - low) * (high - mode))


def test_triangular_draws_have_the_closed_form_mean_spread_and_quantiles() -> None:
    low, mode, high = 2.0, 3.0, 6.0
    spread = Range(low, mode, high)
    assert spread.mean() == pytest.approx((2 + 3 + 6) / 3)
    # variance (l² + m² + h² - lm - lh - mh) / 18 = (4 + 9 + 36 - 6 - 12 - 18) / 18 = 13 / 18
    assert spread.std() == pytest.approx(math.sqrt(13 / 18))
    draws = spread.draw(np.random.default_rng(7), N)
    assert draws.min() >= low and draws.max() <= high
    assert abs(draws.mean() - 11 / 3) < 4 * math.sqrt(13 / 18) / math.sqrt(N)
    assert abs(draws.std() - math.sqrt(13 / 18)) < 0.01  # s.e. of a s.d. ~ sigma / sqrt(2n) = 0.0013
    for p in (0.1, 0.5, 0.9):
        q = triangular_quantile(p, low, mode, high)
        tolerance = 4 * math.sqrt(p * (1 - p) / N) / triangular_density(q, low, mode, high)
        assert abs(np.quantile(draws, p) - q) < tolerance, p


def test_pert_draws_have_the_closed_form_mean_and_spread_closer_to_the_mode() -> None:
    spread = Range(2.0, 3.0, 6.0, "pert")
    assert spread.mean() == pytest.approx((2 + 4 * 3 + 6) / 6)
    # alpha = 1 + 4 x 1 / 4 = 2, beta = 1 + 4 x 3 / 4 = 4: variance (h-l)² a b / ((a+b)² (a+b+1)) = 16 x 8 / 252
    assert spread.pert_parameters() == (2.0, 4.0)
    assert spread.std() == pytest.approx(math.sqrt(16 * 8 / 252))
    draws = spread.draw(np.random.default_rng(11), N)
    assert draws.min() >= 2 and draws.max() <= 6
    assert abs(draws.mean() - 20 / 6) < 4 * spread.std() / math.sqrt(N)
    assert abs(draws.std() - spread.std()) < 0.01
    assert spread.std() < Range(2.0, 3.0, 6.0).std()


def test_a_point_draws_itself_and_the_same_seed_draws_the_same_numbers() -> None:
    assert list(Range.point(120).draw(np.random.default_rng(1), 3)) == [120.0, 120.0, 120.0]
    a = Range(1, 2, 5, "pert").draw(np.random.default_rng(3), 10)
    b = Range(1, 2, 5, "pert").draw(np.random.default_rng(3), 10)
    assert list(a) == list(b)


def read(tmp_path: Path, text: str):
    path = tmp_path / "d.yaml"
    path.write_text(text)
    return read_yaml(path, "decision file", LineLoader), str(path)


def test_ranges_are_read_from_yaml_values(tmp_path: Path) -> None:
    data, path = read(
        tmp_path,
        "a: 120\nb: {low: 2, mode: 3, high: 6}\nc: 5%\nd: {low: 3%, mode: 5%, high: 8%}\n"
        "e: {low: 1, mode: 2, high: 4, distribution: pert}\nf: {low: 1, mode: 2, high: 4, shape: pert}\n"
        "g: 0.05\nh: {low: 7, mode: 7, high: 7}\n",
    )
    where = f"{path}:1"
    assert parse_range(data["a"], where, "a") == Range.point(120)
    assert parse_range(data["b"], where, "b") == Range(2, 3, 6, "triangular")
    assert parse_range(data["c"], where, "c", percent=True) == Range.point(0.05)
    found = parse_range(data["d"], where, "d", percent=True)
    assert (found.low, found.mode, found.high) == pytest.approx((0.03, 0.05, 0.08))
    assert parse_range(data["e"], where, "e") == Range(1, 2, 4, "pert")
    assert parse_range(data["f"], where, "f") == Range(1, 2, 4, "pert")
    assert parse_range(data["g"], where, "g", percent=True) == Range.point(0.05)
    assert parse_range(data["h"], where, "h") == Range.point(7)


@pytest.mark.parametrize(
    ("text", "percent", "message"),
    [
        ("x:\n  low: 4\n  mode: 3\n  high: 6\n", False, ":3: x: low (4) is above mode (3)"),
        ("x:\n  low: 1\n  mode: 3\n  high: 2\n", False, ":4: x: mode (3) is above high (2)"),
        (
            "x:\n  low: 1\n  mode: 3\n  top: 6\n",
            False,
            ":4: x: unknown key 'top' in a range (expected low, mode, high and optionally distribution: "
            "triangular or pert)",
        ),
        ("x:\n  low: 1\n  mode: 3\n", False, ":1: x: a range needs low, mode and high; high is missing"),
        ("x:\n  low: 1\n  mode: lots\n  high: 6\n", False, ":3: x.mode: expected a number, got 'lots'"),
        ("x: 5%\n", False, ":1: x: expected a number, got '5%'"),
        ("x: yes\n", True, ":1: x: expected a number or a percentage such as 5%, got True"),
        (
            "x:\n  low: 1\n  mode: 2\n  high: 3\n  distribution: normal\n",
            False,
            ":5: x: distribution must be triangular or pert, got 'normal'",
        ),
    ],
)
def test_a_bad_range_is_an_error_naming_the_file_and_line(
    tmp_path: Path, text: str, percent: bool, message: str
) -> None:
    data, path = read(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        parse_range(data["x"], f"{path}:1", "x", percent=percent)
    assert str(raised.value) == path + message


def test_a_number_may_not_be_infinite_or_missing() -> None:
    with pytest.raises(ConfigError, match=r"f\.yaml:2: n: expected a finite number"):
        parse_number(float("inf"), "f.yaml:2", "n")
    with pytest.raises(ConfigError, match=r"f\.yaml:2: n: expected a number, got None"):
        parse_number(None, "f.yaml:2", "n")
