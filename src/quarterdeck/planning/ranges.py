"""Uncertain inputs of a decision: a point, a triangular range or a PERT range (docs/decisions-build-vs-buy.md).

A decision file gives each number as a point (``120``, ``5%``) or as a range
``{low: 2, mode: 3, high: 6}``: triangular unless it says ``distribution: pert`` (``shape:
pert`` is the same). PERT is a beta distribution on [low, high] with the mode given and
lambda 4: alpha = 1 + 4 (mode - low) / (high - low), beta = 1 + 4 (high - mode) / (high - low);
its mean is (low + 4 mode + high) / 6, closer to the mode than the triangular's
(low + mode + high) / 3. Draws come from a seeded NumPy ``Generator``: the same seed, the
same draws.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from quarterdeck.core.errors import ConfigError

SHAPES = ("point", "triangular", "pert")
PERT_LAMBDA = 4.0
_KEYS = ("low", "mode", "high", "distribution", "shape")
_PERCENT = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*%\s*$")


@dataclass(frozen=True)
class Range:
    """An uncertain number: low <= mode <= high; a point has all three equal."""

    low: float
    mode: float
    high: float
    shape: str = "triangular"

    @classmethod
    def point(cls, value: float) -> Range:
        return cls(value, value, value, "point")

    @property
    def uncertain(self) -> bool:
        return self.high > self.low

    def mean(self) -> float:
        """The distribution's mean, in closed form."""
        if not self.uncertain:
            return self.mode
        if self.shape == "pert":
            return (self.low + PERT_LAMBDA * self.mode + self.high) / (PERT_LAMBDA + 2)
        return (self.low + self.mode + self.high) / 3

    def std(self) -> float:
        """The distribution's standard deviation, in closed form."""
        low, mode, high = self.low, self.mode, self.high
        if not self.uncertain:
            return 0.0
        if self.shape == "pert":
            alpha, beta = self.pert_parameters()
            variance = alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1))
            return (high - low) * math.sqrt(variance)
        variance = (low * low + mode * mode + high * high - low * mode - low * high - mode * high) / 18
        return math.sqrt(variance)

    def pert_parameters(self) -> tuple[float, float]:
        width = self.high - self.low
        alpha = 1 + PERT_LAMBDA * (self.mode - self.low) / width
        beta = 1 + PERT_LAMBDA * (self.high - self.mode) / width
        return alpha, beta

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws (a point: ``n`` copies, and nothing taken from ``rng``)."""
        if not self.uncertain:
            return np.full(n, float(self.mode))
        if self.shape == "pert":
            alpha, beta = self.pert_parameters()
            return self.low + (self.high - self.low) * rng.beta(alpha, beta, n)
        return rng.triangular(self.low, self.mode, self.high, n)

    def describe(self, percent: bool = False) -> str:
        """``120``, ``5%``, ``2 / 3 / 6 (triangular)``."""

        def number(value: float) -> str:
            if percent:
                return f"{value * 100:g}%"
            return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"

        if not self.uncertain:
            return number(self.mode)
        return f"{number(self.low)} / {number(self.mode)} / {number(self.high)} ({self.shape})"

    def as_json(self) -> dict[str, Any]:
        return {"low": self.low, "mode": self.mode, "high": self.high, "distribution": self.shape}


def parse_range(value: Any, where: str, what: str, percent: bool = False) -> Range:
    """The range ``value`` of a YAML file says; ``where`` is ``FILE:LINE`` for errors.

    ``percent``: the number may be written ``5%`` (0.05) as well as 0.05; a ``%`` anywhere
    else is an error, as is a mapping with keys other than low, mode, high, distribution
    (or shape), a missing bound, a non-number or low > mode > high out of order."""
    if isinstance(value, Mapping):
        return _parse_mapping(value, where, what, percent)
    return Range.point(parse_number(value, where, what, percent))


def parse_number(value: Any, where: str, what: str, percent: bool = False) -> float:
    """A plain number (int or float, not a boolean) or, when ``percent``, ``N%``."""
    if isinstance(value, bool) or value is None:
        raise ConfigError(f"{where}: {what}: expected {_expected(percent)}, got {value!r}")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ConfigError(f"{where}: {what}: expected a finite number, got {value!r}")
        return float(value)
    if isinstance(value, str) and percent:
        found = _PERCENT.match(value)
        if found:
            return float(found.group(1)) / 100
    raise ConfigError(f"{where}: {what}: expected {_expected(percent)}, got {value!r}")


def _expected(percent: bool) -> str:
    return "a number or a percentage such as 5%" if percent else "a number"


def _parse_mapping(value: Mapping, where: str, what: str, percent: bool) -> Range:
    lines = getattr(value, "key_lines", {})
    file = where.rsplit(":", 1)[0]

    def at(key: str) -> str:
        return f"{file}:{lines[key]}" if key in lines else where

    unknown = [key for key in value if key not in _KEYS]
    if unknown:
        raise ConfigError(
            f"{at(unknown[0])}: {what}: unknown key {unknown[0]!r} in a range "
            "(expected low, mode, high and optionally distribution: triangular or pert)"
        )
    missing = [key for key in ("low", "mode", "high") if key not in value]
    if missing:
        raise ConfigError(f"{where}: {what}: a range needs low, mode and high; {missing[0]} is missing")
    shape = _shape(value, at, what)
    low, mode, high = (parse_number(value[key], at(key), f"{what}.{key}", percent) for key in ("low", "mode", "high"))
    if low > mode:
        raise ConfigError(f"{at('mode')}: {what}: low ({value['low']}) is above mode ({value['mode']})")
    if mode > high:
        raise ConfigError(f"{at('high')}: {what}: mode ({value['mode']}) is above high ({value['high']})")
    return Range(low, mode, high, shape if high > low else "point")


def _shape(value: Mapping, at: Any, what: str) -> str:
    given = [key for key in ("distribution", "shape") if key in value]
    if len(given) == 2:
        raise ConfigError(f"{at('shape')}: {what}: give distribution or shape, not both")
    if not given:
        return "triangular"
    shape = value[given[0]]
    if shape not in ("triangular", "pert"):
        raise ConfigError(f"{at(given[0])}: {what}: {given[0]} must be triangular or pert, got {shape!r}")
    return str(shape)
