"""Durations as Prometheus writes them (30s, 5m, 1h30m, 7d), and its limit of points per
series: what the options ``step``, ``lookback`` and ``max_points`` are checked against."""

from __future__ import annotations

import re
from typing import Any

#: Prometheus refuses range queries of more points than this per series.
MAX_POINTS = 11_000
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"^(?:[0-9]+[smhdw])+$")


def seconds(duration: str) -> int:
    """A Prometheus-style duration (30s, 5m, 1h30m, 7d) in seconds; ValueError when it is none."""
    text = str(duration).strip()
    if not _DURATION.match(text):
        raise ValueError(f"expected a duration such as 30s, 5m, 1h or 1d, not {duration!r}")
    total = sum(int(n) * _UNITS[unit] for n, unit in re.findall(r"([0-9]+)([smhdw])", text))
    if total <= 0:
        raise ValueError(f"a duration must be longer than zero, not {duration!r}")
    return total


def is_duration(value: Any) -> bool:
    """A check: a duration longer than zero, such as 5m."""
    try:
        seconds(value)
    except ValueError:
        return False
    return True
