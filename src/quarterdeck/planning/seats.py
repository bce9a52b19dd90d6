"""A plan's seats and level assumptions as arrays, one entry per seat (planning engine)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from quarterdeck.planning.draws import cumulative_hazards
from quarterdeck.planning.model import ORGANIZATION, TENURE_BANDS, PlanInput


@dataclass(frozen=True)
class SeatArrays:
    """Per seat (in the order of ``plan.seats``): its team index, what it costs and delivers,
    and its level's assumptions; plus the team x group membership matrix."""

    teams: tuple[str, ...]
    groups: tuple[str, ...]
    membership: np.ndarray  # (teams, groups) 0/1
    team: np.ndarray  # (seats,) index into teams
    capacity: np.ndarray
    hire_cost: np.ndarray
    start_cost: np.ndarray
    tenure: np.ndarray  # months at the start; -1: vacant
    opens: np.ndarray
    earliest: np.ndarray
    hazards: np.ndarray  # (3, seats) per-month cumulative hazards by tenure band
    fill_days: np.ndarray
    fill_spread: np.ndarray
    acceptance: np.ndarray
    ramp: np.ndarray
    window_low: np.ndarray  # a seat is opened in the draws whose growth draw u is in [low, high)
    window_high: np.ndarray
    movable: np.ndarray  # the seats whose people may move between teams: those with capacity
    destination_weights: np.ndarray  # (teams,) where movers go: the teams' taken seats with capacity at the start


def seat_arrays(plan: PlanInput) -> SeatArrays:
    """The arrays of ``plan``; a ValueError names the seat or level that is not usable."""
    _check_plan(plan)
    teams = plan.teams()
    groups = tuple(plan.groups) if ORGANIZATION in plan.groups else (ORGANIZATION, *plan.groups)
    where = {team: i for i, team in enumerate(teams)}
    membership = np.zeros((len(teams), len(groups)))
    for g, group in enumerate(groups):
        members = teams if group == ORGANIZATION else plan.groups[group]
        for team in members:
            if team in where:
                membership[where[team], g] = 1.0
    teams, membership = _nested_order(teams, membership)
    where = {team: i for i, team in enumerate(teams)}
    levels = [plan.levels[seat.level] for seat in plan.seats]

    def column(values: list[float], dtype: type = np.float64) -> np.ndarray:
        return np.array(values, dtype=dtype)

    seats = plan.seats
    return SeatArrays(
        teams=teams,
        groups=groups,
        membership=membership,
        team=column([where[s.team] for s in seats], np.int64),
        capacity=column([s.capacity for s in seats]),
        hire_cost=column([s.hire_cost for s in seats]),
        start_cost=column([s.hire_cost if s.cost is None else s.cost for s in seats]),
        tenure=column([-1 if s.tenure is None else s.tenure for s in seats], np.int64),
        opens=column([s.opens for s in seats], np.int64),
        earliest=column([s.earliest_start for s in seats], np.int64),
        hazards=np.ascontiguousarray(cumulative_hazards(np.array([lv.attrition for lv in levels]).reshape(-1, 3)).T),
        fill_days=column([lv.fill_days for lv in levels]),
        fill_spread=column([lv.fill_spread for lv in levels]),
        acceptance=column([lv.acceptance for lv in levels]),
        ramp=column([lv.ramp_months for lv in levels]),
        window_low=column([s.window[0] if s.window else 0.0 for s in seats]),
        window_high=column([s.window[1] if s.window else 1.0 for s in seats]),
        movable=np.flatnonzero(column([s.capacity for s in seats]) > 0),
        destination_weights=np.bincount(
            column([where[s.team] for s in seats if s.capacity > 0 and s.tenure is not None], np.int64),
            minlength=len(teams),
        ).astype(np.float64),
    )


def _nested_order(teams: tuple[str, ...], membership: np.ndarray) -> tuple[tuple[str, ...], np.ndarray]:
    """Teams ordered by their groups, largest group first, then by name: when groups nest (an
    organization, its units, their teams) every group's teams follow each other, so its sum
    reads a block of rows."""
    by_size = np.argsort(-membership.sum(axis=0), kind="stable")
    order = sorted(range(len(teams)), key=lambda t: (tuple(-membership[t, by_size]), teams[t]))
    return tuple(teams[t] for t in order), membership[order]


def raise_factors(start: date, months: int, yearly_raise: float, raise_month: int) -> np.ndarray:
    """``factor[m]`` = (1 + yearly_raise) ** (the months j in 1..m whose calendar month is raise_month)."""
    calendar = (start.month - 1 + np.arange(months)) % 12 + 1
    passed = np.cumsum((calendar == raise_month) & (np.arange(months) > 0))
    return (1.0 + yearly_raise) ** passed


def _check_plan(plan: PlanInput) -> None:
    if plan.months < 1:
        raise ValueError(f"the plan must run at least one month, not {plan.months}")
    for name in ("backfill", "mentoring_drag"):
        value = getattr(plan, name)
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, not {value}")
    if not 0.0 <= plan.mobility < 1.0:
        raise ValueError(f"mobility must be at least 0 and below 1, not {plan.mobility}")
    if not 1 <= plan.raise_month <= 12:
        raise ValueError(f"raise_month must be a calendar month 1-12, not {plan.raise_month}")
    for name, level in plan.levels.items():
        if len(level.attrition) != len(TENURE_BANDS) + 1:
            raise ValueError(f"level {name}: attrition needs {len(TENURE_BANDS) + 1} rates (one per tenure band)")
        if not all(0.0 <= a < 1.0 for a in level.attrition):
            raise ValueError(f"level {name}: every attrition rate must be at least 0 and below 1")
        if not (
            0.0 < level.acceptance <= 1.0 and level.fill_days >= 0 and level.fill_spread >= 0 and level.ramp_months >= 0
        ):
            raise ValueError(f"level {name}: acceptance must be in (0, 1], fill days, spread and ramp at least 0")
    for i, seat in enumerate(plan.seats):
        if seat.level not in plan.levels:
            raise ValueError(f"seat {i + 1} ({seat.team}, {seat.level}): no assumptions for level {seat.level}")
        window = seat.window
        if window is not None and (seat.tenure is not None or not 0.0 <= window[0] < window[1] <= 1.0):
            raise ValueError(f"seat {i + 1} ({seat.team}, {seat.level}): a window needs 0 <= low < high <= 1, vacant")
        if seat.tenure is not None and seat.tenure < 0:
            raise ValueError(f"seat {i + 1} ({seat.team}, {seat.level}): tenure must be at least 0")
