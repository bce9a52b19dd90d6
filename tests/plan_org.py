"""A made-up 500-engineer organization with a three-year hiring plan, as a ``PlanInput``
(the planning engine's convergence test and benchmarks/plan_engine.py).

75 teams of 6-7 engineers (IC1-IC6) and a manager (M1), in 10 units (an M2 each) and 3
divisions (an M3 each); 20 open positions; 150 planned hires over 12 quarters; attrition
13 % a year on average (higher in the first year); costs by level and location. Seeded: the
same ``seed`` gives the same plan.
"""

from __future__ import annotations

import random
from datetime import date

from quarterdeck.planning.draws import DAYS_PER_MONTH
from quarterdeck.planning.model import ORGANIZATION, LevelAssumptions, PlanInput, Seat

ENGINEER_LEVELS = ("IC1", "IC2", "IC3", "IC4", "IC5", "IC6")
LEVEL_MIX = (0.08, 0.22, 0.32, 0.22, 0.12, 0.04)
HIRE_MIX = (0.15, 0.30, 0.30, 0.17, 0.08, 0.0)
COST = {"IC1": 105_000, "IC2": 130_000, "IC3": 165_000, "IC4": 200_000, "IC5": 240_000, "IC6": 290_000,
        "M1": 230_000, "M2": 290_000, "M3": 360_000}  # fmt: skip
LOCATIONS = {"New York": 1.25, "Berlin": 0.85, "Lisbon": 0.65, "Bangalore": 0.4, "Remote": 0.9}
FILL_DAYS = {"IC1": 45, "IC2": 50, "IC3": 60, "IC4": 75, "IC5": 100, "IC6": 130, "M1": 90, "M2": 120, "M3": 150}
RAMP = {"IC1": 9, "IC2": 6, "IC3": 5, "IC4": 4, "IC5": 4, "IC6": 3, "M1": 3, "M2": 3, "M3": 3}


def levels() -> dict[str, LevelAssumptions]:
    return {
        level: LevelAssumptions(
            attrition=(0.17, 0.13, 0.11),
            fill_days=FILL_DAYS[level],
            fill_spread=0.45,
            acceptance=0.85 if level.startswith("IC") else 0.75,
            ramp_months=RAMP[level],
        )
        for level in FILL_DAYS
    }


def five_hundred_engineers(seed: int = 17, months: int = 36, hires: int = 150) -> PlanInput:
    rnd = random.Random(seed)
    seats: list[Seat] = []
    teams_of_unit: dict[str, list[str]] = {}
    for t in range(75):
        team, unit = f"team-{t:02d}", f"unit-{t % 10}"
        teams_of_unit.setdefault(unit, []).append(team)
        location = rnd.choice(list(LOCATIONS))
        size = 6 if t % 3 == 0 else 7  # 25 teams of 6 and 50 of 7: 500 engineers
        seats.append(_person(rnd, team, "M1", location, capacity=0.0))
        seats += [_person(rnd, team, rnd.choices(ENGINEER_LEVELS, LEVEL_MIX)[0], location) for _ in range(size)]
    for u, unit in enumerate(teams_of_unit):
        seats.append(_person(rnd, teams_of_unit[unit][0], "M2", "New York", capacity=0.0))
        if u < 3:
            seats.append(_person(rnd, teams_of_unit[unit][0], "M3", "New York", capacity=0.0))
    all_teams = [team for unit in teams_of_unit.values() for team in unit]
    for _ in range(20):
        level = rnd.choices(ENGINEER_LEVELS, HIRE_MIX)[0]
        start = rnd.randrange(0, 4)
        seats.append(_vacant(rnd, rnd.choice(all_teams), level, "position", opens=0, start=start))
    for i in range(hires):
        level = rnd.choices(ENGINEER_LEVELS, HIRE_MIX)[0]
        start = 3 * (i * 12 // hires) + rnd.randrange(3)
        lead = round(FILL_DAYS[level] / DAYS_PER_MONTH)
        seats.append(_vacant(rnd, rnd.choice(all_teams), level, "planned", opens=max(start - lead, 0), start=start))
    groups = {ORGANIZATION: tuple(sorted(all_teams)), **{u: tuple(t) for u, t in teams_of_unit.items()}}
    for d in range(3):
        groups[f"division-{d}"] = tuple(t for u, ts in teams_of_unit.items() if int(u[-1]) % 3 == d for t in ts)
    return PlanInput(
        start=date(2027, 1, 1), months=months, levels=levels(), seats=tuple(seats), groups=groups,
        backfill=0.9, mentoring_drag=0.2, yearly_raise=0.03, raise_month=4,
    )  # fmt: skip


def _cost(rnd: random.Random, level: str, location: str) -> float:
    return round(COST[level] * LOCATIONS[location] * rnd.uniform(0.92, 1.08), -2)


def _person(rnd: random.Random, team: str, level: str, location: str, capacity: float = 1.0) -> Seat:
    tenure = int(rnd.expovariate(1 / 30))
    return Seat(
        team=team, level=level, hire_cost=_cost(rnd, level, location), cost=_cost(rnd, level, location),
        tenure=tenure, capacity=capacity, location=location, role="manager" if capacity == 0 else "engineer",
    )  # fmt: skip


def _vacant(rnd: random.Random, team: str, level: str, kind: str, *, opens: int, start: int) -> Seat:
    location = rnd.choice(list(LOCATIONS))
    return Seat(
        team=team, level=level, hire_cost=_cost(rnd, level, location), opens=opens, earliest_start=start,
        kind=kind, location=location,
    )  # fmt: skip
