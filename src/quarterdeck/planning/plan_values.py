"""The small values of a plan file: quarters, percentages, durations, counts, amounts, and
maps by level with a ``"*"`` for every other level (docs/plans.md).

Every reader takes ``where`` ("FILE:LINE") and raises ``ConfigError(f"{where}: ...")`` with
what was expected, so the plan file reader can name the line of each mistake.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from quarterdeck.config.yaml_files import LineMapping
from quarterdeck.core.errors import ConfigError

T = TypeVar("T")

#: Days in a month on average (365.25 / 12): durations in months become days with it.
DAYS_PER_MONTH = 30.4375
ANY_LEVEL = "*"

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*Q([0-9]+)\s*$", re.IGNORECASE)
_DURATION = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(day|days|d|week|weeks|w|month|months|mo)\s*$", re.IGNORECASE)
_UNIT_DAYS = {"day": 1.0, "days": 1.0, "d": 1.0, "week": 7.0, "weeks": 7.0, "w": 7.0}


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter, written 2027Q1."""

    year: int
    number: int  # 1-4

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    def plus(self, quarters: int) -> Quarter:
        index = self.year * 4 + self.number - 1 + quarters
        return Quarter(index // 4, index % 4 + 1)

    def minus(self, other: Quarter) -> int:
        """Quarters from ``other`` to this one."""
        return (self.year - other.year) * 4 + self.number - other.number

    @staticmethod
    def of(day: date) -> Quarter:
        return Quarter(day.year, (day.month - 1) // 3 + 1)


def quarter(value: Any, where: str) -> Quarter:
    """``2027Q1`` (also ``2027-Q1``, ``2027q1``)."""
    match = _QUARTER.match(str(value)) if isinstance(value, str) else None
    if match is None or not 1 <= int(match.group(2)) <= 4:
        raise ConfigError(f"{where}: expected a quarter such as 2027Q1 (quarters 1 to 4), not {value!r}")
    return Quarter(int(match.group(1)), int(match.group(2)))


def share(value: Any, where: str, what: str, most: float | None = 1.0) -> float:
    """A percentage: ``12%`` or ``0.12``; between 0 and ``most`` (None: no upper bound)."""
    number: float | None = None
    if isinstance(value, str) and value.strip().endswith("%"):
        number = _float(value.strip()[:-1])
        number = None if number is None else number / 100
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    if number is None or not math.isfinite(number) or number < 0 or (most is not None and number > most):
        bound = "" if most is None else f" up to {most:.0%}"
        raise ConfigError(f"{where}: {what} must be a percentage such as 12% or 0.12 (0{bound}), not {value!r}")
    return number


def days(value: Any, where: str, what: str) -> float:
    """A duration in days: ``60 days``, ``8 weeks``, ``6 months`` (a month: 30.4375 days) or a
    number of days."""
    number: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and (match := _DURATION.match(value)):
        unit = match.group(2).lower()
        number = float(match.group(1)) * _UNIT_DAYS.get(unit, DAYS_PER_MONTH)
    if number is None or not math.isfinite(number) or number < 0:
        raise ConfigError(f"{where}: {what} must be a duration such as 60 days, 8 weeks or 6 months, not {value!r}")
    return number


def months(value: Any, where: str, what: str) -> float:
    """A duration in months (``6 months``, ``90 days``; a bare number is months)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return days(float(value) * DAYS_PER_MONTH, where, what) / DAYS_PER_MONTH
    return days(value, where, what) / DAYS_PER_MONTH


def count(value: Any, where: str, what: str) -> int:
    """A whole number of people, 0 or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{where}: {what} must be a whole number, 0 or more, not {value!r}")
    return value


def amount(value: Any, where: str, what: str) -> float:
    """An amount of money or FTE, 0 or more (``1_000_000`` and ``1,000,000`` are read)."""
    number = _float(value.replace(",", "").replace("_", "")) if isinstance(value, str) else value
    if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number) or number < 0:
        raise ConfigError(f"{where}: {what} must be a number, 0 or more, not {value!r}")
    return float(number)


def positive(value: Any, where: str, what: str) -> float:
    number = amount(value, where, what)
    if number <= 0:
        raise ConfigError(f"{where}: {what} must be more than 0, not {value!r}")
    return number


def by_level(value: Any, where: str, file: str, what: str, read: Callable[[Any, str, str], T]) -> dict[str, T]:
    """One value for every level (``{"*": v}``) or a map by level, ``"*"`` for the others."""
    if not isinstance(value, Mapping):
        return {ANY_LEVEL: read(value, where, what)}
    if not value:
        raise ConfigError(f"{where}: {what} by level is empty; expected e.g. {{IC1: ..., '*': ...}}")
    return {
        str(level): read(item, key_where(value, level, file, where), f"{what} of {level}")
        for level, item in value.items()
    }


def key_where(mapping: Any, key: Any, file: str, fallback: str) -> str:
    """FILE:LINE of ``key`` in ``mapping`` (keys like 2027 are looked up as written)."""
    if isinstance(mapping, LineMapping):
        line = mapping.key_lines.get(key, mapping.key_lines.get(str(key)))
        if line is not None:
            return f"{file}:{line}"
        return f"{file}:{mapping.line}"
    return fallback


def level_value(values: Mapping[str, T] | None, level: str) -> T | None:
    """The value for ``level`` in a by-level map: its own, else ``"*"``, else None."""
    if not values:
        return None
    return values.get(level, values.get(ANY_LEVEL))


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months (the 31st becomes the month's last day when it has none)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(day.day, (following - date(year, month, 1)).days))
