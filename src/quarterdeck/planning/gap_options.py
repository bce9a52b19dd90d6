"""The options that close a talent gap: hire, train, promote (docs/talent-gaps.md).

Every option is sized on the need's largest gap over its quarters (whole people) and says
whether it closes the gap by the first quarter with one: its people are enough and the last
is ready by that quarter's end, counted from the plan's start.

- **hire**: the time to fill of the level (``PlanInput.levels``: the median days), the
  loaded annual cost of a hire at that level in the team (its seats' ``hire_cost``; the
  plan's other teams when the team has none at that level), per year for all of them.
- **train** (skills): people of the team holding the skill below the level, or not at all,
  the closest first; ``train_months_per_level`` per level step; the cost is the capacity they
  lose while training, ``training_time`` of their time, priced at what a hire of their level
  costs in their seat (``hire_cost``); once.
- **promote** (seniority, managers): people one level below (for managers: engineers at or
  above ``promote_from``) once they have ``promotion_months`` in their level; the cost is the
  raise, per year: what a hire at the new level costs (same location first) minus what a hire
  at theirs costs.

No option is priced at one person's pay: every cost is of the plan's hire costs, which are
medians of groups of at least the minimum group size (``planning.history_cost``), so the
options can be shown to whoever may see the plan.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from quarterdeck.planning.model import PlanInput, Seat
from quarterdeck.planning.needs import ManagerNeed, Needs, SeniorityNeed, SkillNeed, level_rank

MONTH_DAYS = 365.25 / 12
MANAGER_ROLES = frozenset({"manager", "engineering manager", "director"})


@dataclass(frozen=True)
class Inventory:
    """What the gaps know of the people at the plan's start, by person id."""

    skills: Mapping[str, Mapping[str, int]]  # person -> skill key -> level (latest on or before the start)
    months_in_level: Mapping[str, float] = field(default_factory=dict)  # months in their level at the start
    # person -> estimated months until ready for the next level by the career ladder's
    # assessments (0: ready now; None: assessed, not ready, no pace to estimate from); people
    # not assessed are absent and fall back to months in level (docs/ladders.md)
    ready_in: Mapping[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class QuarterGap:
    quarter: int  # from the plan's first quarter (0)
    label: str  # 2027Q3
    needed: float
    supply: float

    @property
    def gap(self) -> float:
        return max(0.0, self.needed - self.supply)


@dataclass(frozen=True)
class Option:
    """One way to close a gap: ``count`` people, the last ready ``months`` after the plan's start."""

    action: str  # hire, train, promote
    count: int  # people it takes
    months: float | None  # until the last of them is ready (None: not known, or nobody to do it)
    cost: float | None  # None: no cost known
    cost_basis: str  # "per year" (salaries, raises) or "once" (training)
    ready_quarter: int | None  # the quarter the last is ready in (None: never)
    closes: bool  # enough people, the last ready by the end of the first quarter with a gap
    people: tuple[str, ...] = ()  # who (train, promote)
    note: str = ""


def skill_options(
    plan: PlanInput, teams: frozenset[str], need: SkillNeed, needs: Needs, inventory: Inventory,
    quarters: Sequence[QuarterGap],
) -> tuple[Option, ...]:  # fmt: skip
    first = needed_quarter(quarters)
    if first is None:
        return ()
    count = people_needed(max(q.gap for q in quarters))
    level = need.hire_level or common_level(plan, teams)
    return hire(plan, teams, level, count, first), train(plan, teams, need, needs, inventory, count, first)


def seniority_options(
    plan: PlanInput, teams: frozenset[str], need: SeniorityNeed, needs: Needs, inventory: Inventory,
    quarters: Sequence[QuarterGap],
) -> tuple[Option, ...]:  # fmt: skip
    """Hires at the level raise the group's total too: n hires close a gap g when
    (A + n) / (T + n) >= share, n = g / (1 - share); a promotion closes one of g."""
    first = needed_quarter(quarters)
    if first is None:
        return ()
    track, step = level_rank(need.level) or ("", 0)
    hires = people_needed(max(q.gap / (1 - need.share) for q in quarters))
    promotions = people_needed(max(q.gap for q in quarters))
    below = f"{track}{step - 1}"
    candidates = [seat for seat in started(plan, teams) if level_rank(seat.level) == (track, step - 1)]

    def raise_cost(seat: Seat) -> float | None:
        return promotion_raise(plan, teams, need.level, seat)

    promote = promotion(candidates, promotions, first, needs, inventory, raise_cost, f"from {below}", True)
    return hire(plan, teams, need.level, hires, first), promote


def manager_options(
    plan: PlanInput, teams: frozenset[str], need: ManagerNeed, needs: Needs, inventory: Inventory,
    quarters: Sequence[QuarterGap],
) -> tuple[Option, ...]:  # fmt: skip
    """A promoted engineer is one engineer fewer: n promotions close a gap g (managers) when
    (E - n) / (M + n) <= r, n = g r / (r + 1)."""
    first = needed_quarter(quarters)
    if first is None:
        return ()
    ratio = need.engineers_per_manager
    hires = people_needed(max(q.gap for q in quarters))
    promotions = people_needed(max(q.gap * ratio / (ratio + 1) for q in quarters))
    track, step = level_rank(need.promote_from) or ("", 0)
    candidates = [
        seat for seat in started(plan, teams)
        if is_engineer(seat) and (level_rank(seat.level) or ("", 0))[0] == track
        and (level_rank(seat.level) or ("", 0))[1] >= step
    ]  # fmt: skip

    def raise_cost(seat: Seat) -> float | None:
        return promotion_raise(plan, teams, need.hire_level, seat)

    promote = promotion(
        candidates, promotions, first, needs, inventory, raise_cost, f"engineers at {need.promote_from}+"
    )
    return hire(plan, teams, need.hire_level, hires, first), promote


# the options -----------------------------------------------------------------------------------


def hire(plan: PlanInput, teams: frozenset[str], level: str | None, count: int, first: int) -> Option:
    if level is None:
        return Option("hire", count, None, None, "per year", None, False, note="no level known to hire at")
    cost = hire_cost(plan, teams, level)
    total = cost * count if cost is not None else None
    assumption = plan.levels.get(level)
    if assumption is None:
        return Option("hire", count, None, total, "per year", None, False, note=f"at {level}: no time to fill known")
    months = assumption.fill_days / MONTH_DAYS
    ready = ready_quarter(months)
    note = f"at {level}: time to fill {assumption.fill_days:g} days" + ("" if cost is not None else ", cost unknown")
    return Option("hire", count, months, total, "per year", ready, ready <= first, note=note)


def train(
    plan: PlanInput, teams: frozenset[str], need: SkillNeed, needs: Needs, inventory: Inventory, count: int,
    first: int,
) -> Option:  # fmt: skip
    candidates = []
    for seat in started(plan, teams):
        held = held_level(inventory, seat, need.skill_key)
        if held < need.level and not is_manager(seat):
            months = (need.level - held) * needs.train_months_per_level
            lost = seat.hire_cost / 12 * months * needs.training_time
            candidates.append((months, seat.person, lost))
    chosen = sorted(candidates)[:count]
    if not chosen:
        return Option("train", count, None, None, "once", None, False, note="nobody in the team to train")
    months = max(c[0] for c in chosen)
    ready = ready_quarter(months)
    enough = len(chosen) >= count
    note = f"{needs.train_months_per_level:g} months per level step" + ("" if enough else f"; only {len(chosen)}")
    people = tuple(c[1] for c in chosen)
    cost = sum(c[2] for c in chosen)
    return Option("train", count, months, cost, "once", ready, enough and ready <= first, people, note)


def promotion(
    candidates: Iterable[Seat], count: int, first: int, needs: Needs, inventory: Inventory, raise_cost, what: str,
    readiness: bool = False,
) -> Option:  # fmt: skip
    """The ``count`` most ready candidates. With ``readiness`` (a promotion to the next level of
    the same track) and assessments, a person's readiness estimate replaces their tenure."""
    by_ladder = readiness and bool(inventory.ready_in)

    def months(seat: Seat) -> float | None:
        if by_ladder and seat.person in inventory.ready_in:
            return inventory.ready_in[seat.person]
        return max(0.0, needs.promotion_months - inventory.months_in_level.get(seat.person, 0.0))

    ranked = sorted(
        (until, seat.person, seat) for seat in candidates if (until := months(seat)) is not None
    )[:count]  # fmt: skip
    if count == 0 or not ranked:
        return Option("promote", count, None, None, "per year", None, False, note=f"nobody to promote ({what})")
    months = ranked[-1][0]
    ready = ready_quarter(months)
    costs = [raise_cost(seat) for _, _, seat in ranked]
    cost = None if any(c is None for c in costs) else sum(costs)
    enough = len(ranked) >= count
    tenure = f"after {needs.promotion_months:g} months in level"
    ladder = f"ready by the career ladder (estimated from the pace of rating gains; not assessed: {tenure})"
    basis = ladder if by_ladder else tenure
    note = f"{what}, {basis}" + ("" if enough else f"; only {len(ranked)}")
    people = tuple(person for _, person, _ in ranked)
    return Option("promote", count, months, cost, "per year", ready, enough and ready <= first, people, note)


# seats, levels and costs -----------------------------------------------------------------------


def started(plan: PlanInput, teams: frozenset[str]) -> list[Seat]:
    """The seats of ``teams`` held by a person at the plan's start."""
    return [seat for seat in plan.seats if seat.team in teams and seat.person and seat.tenure is not None]


def held_level(inventory: Inventory, seat: Seat, skill_key: str) -> int:
    """The level at which the person holding ``seat`` at the start has the skill (0: not at all)."""
    if not seat.person or seat.tenure is None:
        return 0
    return inventory.skills.get(seat.person, {}).get(skill_key, 0)


def is_manager(seat: Seat) -> bool:
    return track_of(seat) == "M" or seat.role.lower() in MANAGER_ROLES


def is_engineer(seat: Seat) -> bool:
    return not is_manager(seat) and "engineer" in seat.role.lower()


def track_of(seat: Seat) -> str:
    rank = level_rank(seat.level)
    return rank[0] if rank else ""


def common_level(plan: PlanInput, teams: frozenset[str]) -> str | None:
    """The most common level of the engineers' seats of ``teams`` (ties: the first in order)."""
    levels = Counter(seat.level for seat in plan.seats if seat.team in teams and is_engineer(seat))
    if not levels:
        return None
    top = max(levels.values())
    return sorted(level for level, n in levels.items() if n == top)[0]


def hire_cost(plan: PlanInput, teams: frozenset[str], level: str) -> float | None:
    """The median hire cost of the seats at ``level`` in ``teams``, else in the whole plan."""
    for scope in (teams, None):
        costs = [seat.hire_cost for seat in plan.seats if seat.level == level and (scope is None or seat.team in scope)]
        if costs:
            return float(np.median(costs))
    return None


def promotion_raise(plan: PlanInput, teams: frozenset[str], level: str, seat: Seat) -> float | None:
    """What promoting the person of ``seat`` to ``level`` adds to the yearly cost: the median
    hire cost of the seats at ``level`` (in ``teams`` at the seat's location, else in ``teams``,
    else in the plan at that location, else in the plan) minus the seat's own hire cost (what
    its level costs there); never below 0 (a promotion does not lower pay). Market figures,
    never the person's pay. None when no seat is at ``level``."""
    held = [s for s in plan.seats if s.level == level]
    for scope in (
        [s for s in held if s.team in teams and s.location == seat.location],
        [s for s in held if s.team in teams],
        [s for s in held if s.location == seat.location],
        held,
    ):
        if scope:
            return max(0.0, float(np.median([s.hire_cost for s in scope])) - seat.hire_cost)
    return None


def needed_quarter(quarters: Sequence[QuarterGap]) -> int | None:
    return next((q.quarter for q in quarters if q.gap > 1e-9), None)


def people_needed(gap: float) -> int:
    """Whole people for a gap (0.2 of a person still takes one)."""
    return max(0, math.ceil(gap - 1e-9))


def ready_quarter(months: float) -> int:
    """The first quarter whose end is at or after ``months`` from the plan's start."""
    return max(0, math.ceil(months / 3 - 1e-9) - 1)
