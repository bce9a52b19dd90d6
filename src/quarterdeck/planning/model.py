"""What the planning engine is given and what it answers, as plain data (docs/plans.md).

A plan is a set of **seats**: every person employed at the plan's start, every open position
and every planned hire is one seat of a team, at a level. Month by month the engine draws, for
each seat and each of many draws, whether its person leaves (attrition by level and tenure),
whether the seat is refilled (backfill), when a vacant seat's hire starts (time to fill, offer
acceptance, hiring freezes) and how productive its person is (ramp-up), and sums headcount,
effective capacity and loaded cost per team and per group of teams. ``planning.engine.simulate``
turns a ``PlanInput`` into a ``Projection`` of P10/P50/P90 bands; the same seed always gives
the same projection.

Months are counted from the plan's first month (0). Quarters are consecutive blocks of three
months from it; the plan starts on the first month of a calendar quarter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np

#: Tenure bands of the attrition assumption, in months: [0, 12), [12, 24), [24, ...).
TENURE_BANDS: tuple[int, ...] = (12, 24)
#: What the engine measures, per team and group, per month and quarter.
MEASURES: tuple[str, ...] = ("headcount", "capacity", "cost", "hires", "leavers")
#: The percentiles of every band.
PERCENTILES: tuple[int, ...] = (10, 50, 90)
#: The group every plan reports on: all its teams.
ORGANIZATION = "org"


@dataclass(frozen=True)
class LevelAssumptions:
    """What the engine assumes for the people and requisitions of one level."""

    attrition: tuple[float, ...]  # leavers per person-year, one rate per tenure band (TENURE_BANDS + 1)
    fill_days: float  # median days from a requisition opening to the hire's first day
    fill_spread: float = 0.0  # log-normal sigma of those days (0: always the median)
    acceptance: float = 1.0  # chance an offer is accepted; a declined offer starts the search again
    ramp_months: float = 0.0  # months from the first day to full productivity, linear from 0 (0: at once)


@dataclass(frozen=True)
class Seat:
    """One seat of a team: taken at the start (``tenure`` months employed), or vacant."""

    team: str
    level: str
    hire_cost: float  # loaded annual cost of a new hire into the seat, at the plan's start prices
    cost: float | None = None  # the annual cost of the person in it at the start (None: hire_cost)
    tenure: int | None = None  # months the person had been employed at the start; None: vacant at the start
    opens: int = 0  # a vacant seat: the month its requisition opens
    earliest_start: int = 0  # a vacant seat: no hire starts before this month (a position's target start)
    capacity: float = 1.0  # FTE of delivery capacity when fully productive (0 for managers)
    kind: str = "person"  # person (employed at the start), position (open requisition), planned (a plan's hire)
    location: str = ""
    role: str = "engineer"
    # a growth driver's hire that is made in some draws only: in those whose growth draw u
    # (one uniform per draw, shared by every such seat) falls in [low, high). None: every draw.
    window: tuple[float, float] | None = None
    # the person id of who holds it at the start ("" for a vacant seat): talent gaps read their
    # skills. Not compared: two seats alike but for their holder are equal seats.
    person: str = field(default="", compare=False)


@dataclass(frozen=True)
class CapacityTarget:
    """The plan wants at least ``fte`` of effective capacity in ``group`` in ``quarter``
    (the quarter's average)."""

    group: str
    quarter: int
    fte: float


@dataclass(frozen=True)
class BudgetEnvelope:
    """The loaded cost of ``group`` over months [first_month, first_month + months) should
    stay within ``amount``."""

    group: str
    first_month: int
    months: int
    amount: float
    label: str = ""  # "2027", "horizon"


@dataclass(frozen=True)
class PlanInput:
    """Everything the engine needs; built from a plan file by ``planning.plan``."""

    start: date  # the first day of the plan's first month (the first month of a quarter)
    months: int
    levels: Mapping[str, LevelAssumptions]
    seats: tuple[Seat, ...]
    groups: Mapping[str, tuple[str, ...]]  # group name -> its teams; always has ORGANIZATION
    backfill: float = 1.0  # chance a leaver's seat is refilled
    mentoring_drag: float = 0.0  # capacity a team loses per ramping hire, times (1 - their productivity)
    yearly_raise: float = 0.0  # every cost rises by this share once a year, in raise_month
    raise_month: int = 1  # calendar month (1-12) of the yearly raise
    # moves of an engineer (a seat with capacity) to another team, per person-year: the seat
    # goes with them (docs/plans-engine.md, "Moves between teams"); 0: nobody moves
    mobility: float = 0.0
    frozen: frozenset[int] = frozenset()  # months in which no hire starts: starts wait for the first month after
    capacity_targets: tuple[CapacityTarget, ...] = ()
    budgets: tuple[BudgetEnvelope, ...] = ()

    @property
    def quarters(self) -> int:
        return -(-self.months // 3)

    def teams(self) -> tuple[str, ...]:
        """Every team with a seat, sorted."""
        return tuple(sorted({seat.team for seat in self.seats}))


@dataclass(frozen=True)
class TargetChance:
    target: CapacityTarget
    chance: float  # share of draws whose quarter's capacity is at least the target
    band: tuple[float, float, float]  # that quarter's capacity, P10/P50/P90


@dataclass(frozen=True)
class BudgetChance:
    budget: BudgetEnvelope
    chance: float  # share of draws whose cost over the months stays within the amount
    band: tuple[float, float, float]  # that cost, P10/P50/P90


@dataclass
class Projection:
    """The engine's answer.

    ``quarterly[name][measure]``: an array (quarters, 3) of P10/P50/P90 for every team and
    every group: headcount at the quarter's end, capacity as the average of its months,
    cost, hires and leavers summed over its months. ``monthly[name][measure]``: (months, 3),
    for the groups only (headcount at the month's end, capacity and cost of the month, hires
    and leavers in it). ``occupied[q, s]``: the share of draws in which seat ``s`` (in the order
    of ``plan.seats``) is taken at the end of quarter ``q``; ``staying[q, s]``: the share in
    which the person who held it at the start still does.
    """

    plan: PlanInput
    draws: int
    seed: int
    quarterly: dict[str, dict[str, np.ndarray]]
    monthly: dict[str, dict[str, np.ndarray]]
    occupied: np.ndarray
    staying: np.ndarray
    targets: tuple[TargetChance, ...] = ()
    budgets: tuple[BudgetChance, ...] = ()
    notes: list[str] = field(default_factory=list)
