"""The plan's hires as seats: one vacant seat per planned hire (docs/plans.md).

A hire counted in quarter q may start from the quarter's first month (``earliest_start``); its
requisition opens the median time to fill earlier (``opens``, in months of 30.4375 days,
rounded, never before the plan's first month). A growth driver ``growth: 10%`` wants the
fractional hires that grow the team's engineers at the plan's start by 10 % a year, compounded
by quarter (0.7 a year for a team of 7), at the team's level mix: ``growth_windows`` lays every
growth line's wanted hires of every quarter end to end on one line, quarter after quarter, and
a hire is made where k + u falls (k = 0, 1, ...; u one uniform per draw, shared by all growth
lines): each team gets its fractional hires in the right share of draws, and the plan's growth
hires up to each quarter are their sum to within one (decision 0065). A scenario's
``hiring_scale`` scales each line of counts' cumulative count (rounded), so 1.2 x 2 hires a
quarter gives 2, 3, 2, 3, ..., and a growth line's wanted hires.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from quarterdeck.planning.model import Seat
from quarterdeck.planning.plan_file import Hiring
from quarterdeck.planning.plan_values import DAYS_PER_MONTH, Quarter


@dataclass(frozen=True)
class TeamNow:
    """A team at the plan's start: its engineers' levels and its people's locations."""

    levels: Counter[str]
    locations: Counter[str]


#: A window narrower than this is no hire; one this close to [0, 1) is a certain hire.
EPSILON = 1e-9
#: Where a growth driver's hire is made: its quarter and its window of the growth draw (None: always).
Slot = tuple[int, "tuple[float, float] | None"]


def growth_increments(growth: float, horizon: int, now: TeamNow, scale: float) -> list[float]:
    """The fractional hires a growth line wants in each quarter: the growth of the team's
    engineers at the start, ``base x (1 + growth)^(q / 4)``, quarter on quarter, scaled."""
    base = sum(now.levels.values())
    grown = [base * (1 + growth) ** (q / 4) for q in range(horizon + 1)]
    return [max(0.0, (after - before) * scale) for before, after in pairwise(grown)]


def growth_windows(increments: list[list[float]]) -> list[list[Slot]]:
    """Per growth line, the slots of its hires: every line's wanted hires of quarter 0, then of
    quarter 1, ..., laid end to end on one line from 0; a hire is made where k + u falls
    (k = 0, 1, ...): the part of a line's stretch inside [k, k + 1) is one slot whose window
    is that part moved to [0, 1)."""
    slots: list[list[Slot]] = [[] for _ in increments]
    quarters = max((len(line) for line in increments), default=0)
    position = 0.0
    for quarter in range(quarters):
        for line, wanted in enumerate(increments):
            low, high = position, position + (wanted[quarter] if quarter < len(wanted) else 0.0)
            position = high
            k = math.floor(low + EPSILON)
            while k < high - EPSILON:
                a, b = max(low, k) - k, min(high, k + 1) - k
                if b - a > EPSILON:
                    certain = a < EPSILON and b > 1 - EPSILON
                    slots[line].append((quarter, None if certain else (round(a, 12), round(b, 12))))
                k += 1
    return slots


def quarter_counts(hiring: Hiring, start: Quarter, horizon: int, scale: float) -> list[int]:
    """Hires of a line of counts in each quarter of the plan, scaled (cumulative rounding)."""
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
    slots: list[Slot] | None = None,
) -> list[Seat]:
    """One vacant seat per hire of the line (``cost(level, location)``, ``fill_days(level)``);
    a growth line's hires are its ``slots`` (``growth_windows``)."""
    location = hiring.location or (now.locations.most_common(1)[0][0] if now.locations else "")
    if slots is None:
        slots = [(q, None) for q, n in enumerate(quarter_counts(hiring, start, horizon, scale)) for _ in range(n)]
    if hiring.level is not None:
        levels = [hiring.level] * len(slots)
    else:
        levels = mix_levels(now.levels, len(slots)) if now.levels else []
    seats = []
    for (q, window), level in zip(slots, levels, strict=False):
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
                window=window,
            )
        )
    return seats


def _round(value: float) -> int:
    """Halves up (4.5 hires: 5), not to the even number."""
    return math.floor(value + 0.5 + 1e-9)
