"""Budget lines by team and month: ``finance/budget.csv``.

Columns: ``month`` (YYYY-MM), ``team`` (team id), ``category`` (salaries, contractors,
tools, cloud), ``planned`` and ``actual`` (whole US dollars). A row is written when either
amount is above zero. How the amounts are made (docs/simulation.md, "Budget"):

- salaries / contractors, actual: each employee's (contractor's) fully loaded yearly cost
  / 12 x the share of the month they were on the team (§1.2 F2, prorated monthly cost);
- tools, actual: a seat cost of about 2,400 a year per person on the team, +-10% a month;
- cloud, actual: each service's monthly bill by tier, growing 1.5% a month, +-8% a month;
- planned: each year's plan is made on its first day (or the simulation's): the team's
  cost rate and headcount that day, grown by a planned 10% over the year; cloud at the
  year's first bill plus 10% headroom. A team formed during the year has no plan until the next.
"""

from __future__ import annotations

from datetime import date, timedelta

from quarterdeck.simulation.model import World
from quarterdeck.simulation.org_state import next_month
from quarterdeck.simulation.org_text import to_csv
from quarterdeck.simulation.rng import Rng

TOOLS_PER_PERSON_YEAR = 2_400
#: A service's monthly cloud bill at the start, by tier (1 = customer-facing and critical).
CLOUD_BY_TIER = {1: 8_000, 2: 3_500, 3: 1_200}
CLOUD_GROWTH_PER_MONTH = 0.015
PLANNED_GROWTH = 0.10

Key = tuple[str, str, str]  # (YYYY-MM, team, category)


def budget_csv(world: World) -> str:
    rng = Rng(world.seed, "org", "budget")
    months = month_starts(world)
    actual = people_actuals(world, rng.child("tools"))
    planned = people_plans(world, months)
    add_cloud(world, rng.child("cloud"), months, actual, planned)
    rows = []
    for key in sorted(actual.keys() | planned.keys()):
        plan, spent = round(planned.get(key, 0.0)), round(actual.get(key, 0.0))
        if plan > 0 or spent > 0:
            rows.append([*key, plan, spent])
    return to_csv(("month", "team", "category", "planned", "actual"), rows)


def month_starts(world: World) -> list[date]:
    found, day = [], world.start
    while day < world.end:
        found.append(day)
        day = next_month(day)
    return found


def people_actuals(world: World, rng: Rng) -> dict[Key, float]:
    """Prorated costs and head-months per month and team, from every stint."""
    actual: dict[Key, float] = {}
    heads: dict[tuple[str, str], float] = {}
    for person in world.people:
        category = "contractors" if person.employment_type == "contractor" else "salaries"
        for stint in person.stints:
            for month, share in month_shares(world, stint.start, stint.end or world.end):
                key = (month, stint.team_id, category)
                actual[key] = actual.get(key, 0.0) + stint.annual_cost / 12 * share
                heads[(month, stint.team_id)] = heads.get((month, stint.team_id), 0.0) + share
    for (month, team), count in sorted(heads.items()):
        actual[(month, team, "tools")] = count * TOOLS_PER_PERSON_YEAR / 12 * rng.uniform(0.9, 1.1)
    return actual


def month_shares(world: World, start: date, end: date) -> list[tuple[str, float]]:
    """The months a span [start, end) covers within the simulation, with the share of each."""
    start, end = max(start, world.start), min(end, world.end)
    found, day = [], date(start.year, start.month, 1)
    while day < end:
        following = next_month(day)
        days = (min(end, following) - max(start, day)).days
        if days > 0:
            found.append((day.strftime("%Y-%m"), days / (following - day).days))
        day = following
    return found


def people_plans(world: World, months: list[date]) -> dict[Key, float]:
    """Salaries, contractors and tools as planned on each year's first day."""
    planned: dict[Key, float] = {}
    rates: dict[tuple[str, str], float] = {}
    first_month = months[0].month if months else 1
    for index, month in enumerate(months):
        if index == 0 or month.month == 1:
            rates, first_month = year_start_rates(world, month), month.month
        factor = 1 + PLANNED_GROWTH * (month.month - first_month + 0.5) / 12
        for (team, category), rate in sorted(rates.items()):
            planned[(month.strftime("%Y-%m"), team, category)] = rate * factor
    return planned


def year_start_rates(world: World, day: date) -> dict[tuple[str, str], float]:
    """Per team: monthly salaries, contractor costs and tool seats on ``day``."""
    rates: dict[tuple[str, str], float] = {}
    for person in world.people:
        stint = person.stint_on(day)
        if stint is not None:
            category = "contractors" if person.employment_type == "contractor" else "salaries"
            for key, amount in (
                ((stint.team_id, category), stint.annual_cost / 12),
                ((stint.team_id, "tools"), TOOLS_PER_PERSON_YEAR / 12),
            ):
                rates[key] = rates.get(key, 0.0) + amount
    return rates


def add_cloud(world: World, rng: Rng, months: list[date], actual: dict[Key, float], planned: dict[Key, float]) -> None:
    """Each service's bill, from the month its owner team exists on the month's last day."""
    for service in world.services:
        team = world.team(service.owner_team_id)
        base = CLOUD_BY_TIER[service.tier] * rng.lognormal(1.0, 0.5)
        year_plan = 0.0
        for index, month in enumerate(months):
            if not team.exists_on(min(next_month(month), world.end) - timedelta(days=1)):
                continue
            bill = base * (1 + CLOUD_GROWTH_PER_MONTH) ** index
            if index == 0 or month.month == 1:
                year_plan = bill * 1.10
            key = (month.strftime("%Y-%m"), service.owner_team_id, "cloud")
            actual[key] = actual.get(key, 0.0) + bill * rng.lognormal(1.0, 0.08)
            planned[key] = planned.get(key, 0.0) + year_plan
