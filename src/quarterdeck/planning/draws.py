"""The planning engine's random times: when a person leaves, when a requisition is filled,
and the percentiles of the draws (docs/plans-engine.md).

Every function is vectorized over the events it is given; the caller owns the one seeded
``numpy.random.Generator``, so the order of its calls fixes every number drawn.
"""

from __future__ import annotations

import numpy as np

from quarterdeck.planning.model import TENURE_BANDS

#: Days of an average month (365.25 / 12): a fill time in days becomes months by dividing by it.
DAYS_PER_MONTH = 30.4375
#: A month no event reaches: a person who never leaves, a seat that is never refilled.
NEVER = np.iinfo(np.int32).max


def cumulative_hazards(attrition: np.ndarray) -> np.ndarray:
    """Per-month cumulative hazard -ln(1 - h) of yearly attrition rates ``a`` (any shape),
    where h = 1 - (1 - a)^(1/12) is the monthly chance of leaving: -ln(1 - a) / 12."""
    attrition = np.asarray(attrition, dtype=np.float64)
    return -np.log1p(-attrition) / 12.0


def cumulative_hazard(tenure: np.ndarray, hazards: np.ndarray) -> np.ndarray:
    """C(t): the sum of the per-month cumulative hazards of the tenure months before ``tenure``."""
    first, second = TENURE_BANDS
    return (
        hazards[0] * np.minimum(tenure, first)
        + hazards[1] * np.clip(tenure - first, 0, second - first)
        + hazards[2] * np.maximum(tenure - second, 0)
    )


def months_until_leaving(exponential: np.ndarray, tenure: np.ndarray, hazards: np.ndarray) -> np.ndarray:
    """Months from now until the month a person leaves in (0: during this month; inf: never).

    ``exponential``: one standard exponential draw E per person; ``tenure``: their months of
    tenure at the start of this month; ``hazards``: (3, ...) per-month cumulative hazards of
    their tenure bands (``cumulative_hazards``), broadcast against the two. The person leaves
    in the tenure month k >= tenure for which C(k) <= C(tenure) + E < C(k + 1), where
    C(t) = sum over the months before tenure t of their hazards: the inversion of the
    discrete survival function prod (1 - h_k), so that the chance of leaving in a month one
    has reached is exactly h of that month's tenure band."""
    first, second = TENURE_BANDS
    c0, c1, c2 = hazards[0], hazards[1], hazards[2]
    b1 = first * c0
    b2 = b1 + (second - first) * c1
    target = cumulative_hazard(tenure, hazards) + exponential
    with np.errstate(divide="ignore", invalid="ignore"):  # a band without attrition is never reached
        leaving = np.where(
            target < b1,
            target / c0,
            np.where(target < b2, first + (target - b1) / c1, np.fmax(second + (target - b2) / c2, second)),
        )
    leaving = np.floor(leaving, out=leaving)
    leaving -= tenure
    return np.maximum(leaving, 0.0, out=leaving)


def fill_months(rng: np.random.Generator, median_days: np.ndarray, spread: np.ndarray) -> np.ndarray:
    """Months a search takes: round(days / DAYS_PER_MONTH) (half to even), days log-normal
    with the given median and sigma (one standard normal draw per search)."""
    days = median_days * np.exp(spread * rng.standard_normal(len(median_days)))
    return np.rint(days / DAYS_PER_MONTH).astype(np.int64)


def first_open_months(months: int, frozen: frozenset[int]) -> np.ndarray:
    """``open[m]``: the first month >= m outside the freeze (``months`` and beyond: never);
    defined for m in 0..months, callers clip to ``months``."""
    opened = np.arange(months + 1, dtype=np.int64)
    for month in range(months - 1, -1, -1):
        if month in frozen:
            opened[month] = opened[month + 1]
    return opened


def percentile_bands(values: np.ndarray, percentiles: tuple[int, ...]) -> np.ndarray:
    """``np.percentile(values, percentiles, axis=1).T`` bit for bit (numpy's default, linear
    method) of ``values`` shaped (rows, draws), computed by sorting each row once:
    (rows, len(percentiles))."""
    draws = values.shape[1]
    ordered = np.sort(values, axis=1)
    out = np.empty((ordered.shape[0], len(percentiles)), dtype=np.float64)
    for i, percent in enumerate(percentiles):
        virtual = (draws - 1) * np.true_divide(percent, 100)
        below = int(np.floor(virtual))
        above = min(below + 1, draws - 1)
        gamma = virtual - below
        a = ordered[:, below].astype(np.float64)
        b = ordered[:, above].astype(np.float64)
        diff = b - a
        out[:, i] = b - diff * (1 - gamma) if gamma >= 0.5 else a + diff * gamma
    return out
