"""The plan's hires as seats: one vacant seat per planned hire (docs/plans.md).

A hire counted in quarter q may start from the quarter's first month (``earliest_start``); its
requisition opens the median time to fill earlier (``opens``, in months of 30.4375 days,
rounded, never before the plan's first month). A growth driver ``growth: 10%`` gives the hires
that grow the team's headcount at the plan's start by 10 % a year, compounded by quarter, at
the team's level mix of engineers. A scenario's ``hiring_scale`` scales each hiring line's
cumulative count (rounded), so 1.2 x 2 hires a quarter gives 2, 3, 2, 3, ...
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from quarterdeck.planning.model import Seat
from quarterdeck.planning.plan_file import Hiring
from quarterdeck.planning.plan_values import DAYS_PER_MONTH, Quarter


@dataclass(frozen=True)
class TeamNow:
    """A team at the plan's start: its engineers' levels and its people's locations."""

    levels: Counter[str]
    locations: Counter[str]


def quarter_counts(hiring: Hiring, start: Quarter, horizon: int, now: TeamNow, scale: float) -> list[int]:
    """Hires of the line in each quarter of the plan, scaled (cumulative rounding)."""
    if hiring.growth is not None:
        base = sum(now.levels.values())
        targets = [_round(base * (1 + hiring.growth) ** ((q + 1) / 4)) for q in range(horizon)]
        counts = [max(0, t - p) for t, p in zip(targets, [base, *targets], strict=False)]
    else:
        counts = [0] * horizon
        for q, n in enumerate(hiring.per_quarter):
            counts[q] += n
        for quarter, n in hiring.quarters.items():
            counts[quarter.minus(start)] += n
    scaled, total, given = [], 0.0, 0
    for n in counts:
        total += n * scale
        scaled.append(_round(total) - given)
        given += scaled[-1]
    return scaled


def mix_levels(levels: Counter[str], hires: int) -> list[str]:
    """``hires`` levels in the proportions of ``levels``: each next hire goes to the level
    furthest below its share (ties: the larger level, then the name)."""
    total = sum(levels.values())
    given: Counter[str] = Counter()
    chosen = []
    for k in range(1, hires + 1):
        level = max(sorted(levels), key=lambda name: (levels[name] / total * k - given[name], levels[name]))
        given[level] += 1
        chosen.append(level)
    return chosen


def hire_seats(
    hiring: Hiring,
    team: str,
    start: Quarter,
    horizon: int,
    now: TeamNow,
    scale: float,
    cost: Callable[[str, str], float],
    fill_days: Callable[[str], float],
) -> list[Seat]:
    """One vacant seat per hire of the line (``cost(level, location)``, ``fill_days(level)``)."""
    location = hiring.location or (now.locations.most_common(1)[0][0] if now.locations else "")
    counts = quarter_counts(hiring, start, horizon, now, scale)
    if hiring.level is not None:
        levels = [hiring.level] * sum(counts)
    else:
        levels = mix_levels(now.levels, sum(counts)) if now.levels else []
    seats, k = [], 0
    for q, n in enumerate(counts):
        for _ in range(n):
            if k >= len(levels):
                break
            level = levels[k]
            k += 1
            earliest = 3 * q
            opens = max(0, earliest - round(fill_days(level) / DAYS_PER_MONTH))
            seats.append(
                Seat(
                    team=team,
                    level=level,
                    hire_cost=cost(level, location),
                    opens=opens,
                    earliest_start=earliest,
                    capacity=0.0 if hiring.role == "manager" else 1.0,
                    kind="planned",
                    location=location,
                    role=hiring.role,
                )
            )
    return seats


def _round(value: float) -> int:
    """Halves up (4.5 hires: 5), not to the even number."""
    return math.floor(value + 0.5 + 1e-9)
