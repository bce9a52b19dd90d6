"""Budget lines by team and month: ``finance/budget.csv``, as ``quarterdeck ingest budget``
reads it (docs/sources/budget.md), and its truth ``truth/budget.csv``.

Columns: ``month`` (YYYY-MM), ``cost_center`` (team id), ``category`` (people, contractors,
software, cloud, travel), ``planned`` and ``actual`` (US dollars with cents), ``currency``
(USD). A row is written when either amount is above zero. How the amounts are made
(docs/simulation.md, "Budget"):

- people / contractors, actual: each employee's (contractor's) fully loaded yearly cost
  / 12 x the share of the month they were on the team (§1.2 F2, prorated monthly cost);
- software, actual: about 2,400 a year per person on the team, +-10% a month;
- cloud, actual: each service's monthly bill by tier, growing 1.5% a month, +-8% a month;
- travel, actual: one team offsite a year (in the team's own month), 1,500 a head, +-20%;
- planned: each year's plan is made on its first day (or the simulation's): the team's
  cost rate and headcount that day, grown by a planned 10% over the year; cloud at the
  year's first bill plus 10% headroom. A team formed during the year has no plan until the next.
- the quarter after the simulation: next year's plan (made on the last day), no actual yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from quarterdeck.simulation.model import World
from quarterdeck.simulation.org_state import next_month
from quarterdeck.simulation.org_text import to_csv
from quarterdeck.simulation.rng import Rng

SOFTWARE_PER_PERSON_YEAR = 2_400
TRAVEL_PER_HEAD = 1_500
#: A service's monthly cloud bill at the start, by tier (1 = customer-facing and critical).
CLOUD_BY_TIER = {1: 8_000, 2: 3_500, 3: 1_200}
CLOUD_GROWTH_PER_MONTH = 0.015
PLANNED_GROWTH = 0.10
FUTURE_MONTHS = 3
CURRENCY = "USD"
COLUMNS = ("month", "cost_center", "category", "planned", "actual", "currency")

Key = tuple[str, str, str]  # (YYYY-MM, team, category)
#: (month, team, category) -> (planned, actual or None for a month not spent yet), in cents
Lines = dict[Key, tuple[Decimal, Decimal | None]]


def budget_csv(world: World) -> str:
    rows = [[*key, planned, "" if actual is None else actual, CURRENCY] for key, (planned, actual) in
            budget_lines(world).items()]  # fmt: skip
    return to_csv(COLUMNS, rows)


def budget_truth_csv(world: World) -> str:
    """``truth/budget.csv``: per month and category, the planned and actual totals of every
    team (actual empty for the months not spent yet)."""
    totals: dict[tuple[str, str], tuple[Decimal, Decimal | None]] = {}
    for (month, _, category), (planned, actual) in budget_lines(world).items():
        old_plan, old_actual = totals.get((month, category), (Decimal(0), None))
        spent = old_actual if actual is None else (old_actual or Decimal(0)) + actual
        totals[(month, category)] = (old_plan + planned, spent)
    rows = [[*key, plan, "" if spent is None else spent, CURRENCY] for key, (plan, spent) in sorted(totals.items())]
    return to_csv(("month", "category", "planned", "actual", "currency"), rows)


def budget_lines(world: World) -> Lines:
    """Every line of the budget, in order of month, team and category."""
    rng = Rng(world.seed, "org", "budget")
    months = month_starts(world.start, world.end)
    actual, heads = people_actuals(world)
    add_software(heads, rng.child("software"), actual)
    planned = people_plans(world, months)
    add_cloud(world, rng.child("cloud"), months, actual, planned)
    add_travel(rng.child("travel"), heads, actual, planned)
    future = future_plans(world, rng.child("travel"))
    lines: Lines = {}
    for key in sorted(actual.keys() | planned.keys()):
        plan, spent = cents(planned.get(key, 0.0)), cents(actual.get(key, 0.0))
        if plan > 0 or spent > 0:
            lines[key] = (plan, spent)
    lines.update((key, (cents(amount), None)) for key, amount in sorted(future.items()) if cents(amount) > 0)
    return lines


def cents(amount: float) -> Decimal:
    return Decimal(str(round(amount, 2))).quantize(Decimal("0.01"))


def month_starts(start: date, end: date) -> list[date]:
    found, day = [], date(start.year, start.month, 1)
    while day < end:
        found.append(day)
        day = next_month(day)
    return found


def category_of(employment_type: str) -> str:
    return "contractors" if employment_type == "contractor" else "people"


def people_actuals(world: World) -> tuple[dict[Key, float], dict[tuple[str, str], float]]:
    """Prorated costs per month, team and category, and head-months per month and team."""
    actual: dict[Key, float] = {}
    heads: dict[tuple[str, str], float] = {}
    for person in world.people:
        for stint in person.stints:
            for month, share in month_shares(world, stint.start, stint.end or world.end):
                key = (month, stint.team_id, category_of(person.employment_type))
                actual[key] = actual.get(key, 0.0) + stint.annual_cost / 12 * share
                heads[(month, stint.team_id)] = heads.get((month, stint.team_id), 0.0) + share
    return actual, heads


def add_software(heads: dict[tuple[str, str], float], rng: Rng, actual: dict[Key, float]) -> None:
    for (month, team), count in sorted(heads.items()):
        actual[(month, team, "software")] = count * SOFTWARE_PER_PERSON_YEAR / 12 * rng.uniform(0.9, 1.1)


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
    """People, contractors and software as planned on each year's first day."""
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
    """Per team: monthly people and contractor costs and software seats on ``day``."""
    rates: dict[tuple[str, str], float] = {}
    for person in world.people:
        stint = person.stint_on(day)
        if stint is not None:
            for key, amount in (
                ((stint.team_id, category_of(person.employment_type)), stint.annual_cost / 12),
                ((stint.team_id, "software"), SOFTWARE_PER_PERSON_YEAR / 12),
            ):
                rates[key] = rates.get(key, 0.0) + amount
    return rates


def cloud_bills(world: World, rng: Rng, months: list[date]) -> Iterable[tuple[int, str, float]]:
    """(month index, owner team, bill) of each service in each month its owner team exists
    on the month's last day (the ±8% of a month drawn after the bill)."""
    for service in world.services:
        team = world.team(service.owner_team_id)
        base = CLOUD_BY_TIER[service.tier] * rng.child(service.service_id).lognormal(1.0, 0.5)
        for index, month in enumerate(months):
            if team.exists_on(min(next_month(month), world.end) - timedelta(days=1)):
                yield index, service.owner_team_id, base * (1 + CLOUD_GROWTH_PER_MONTH) ** index


def add_cloud(world: World, rng: Rng, months: list[date], actual: dict[Key, float], planned: dict[Key, float]) -> None:
    """Each service's bill, planned at its year's first bill + 10%."""
    year_plans: dict[tuple[str, int], float] = {}  # (team, year) -> its services' plans
    for index, team_id, bill in cloud_bills(world, rng, months):
        month = months[index]
        key = (month.strftime("%Y-%m"), team_id, "cloud")
        actual[key] = actual.get(key, 0.0) + bill * rng.lognormal(1.0, 0.08)
        if index == 0 or month.month == 1:
            year_plans[(team_id, month.year)] = year_plans.get((team_id, month.year), 0.0) + bill * 1.10
    for month, team_id, category in list(actual):
        if category == "cloud" and (team_id, int(month[:4])) in year_plans:
            planned[(month, team_id, "cloud")] = year_plans[(team_id, int(month[:4]))]


def offsite_month(rng: Rng, team_id: str) -> int:
    """The month of the year (1..12) a team holds its offsite."""
    return rng.child(team_id).integer(1, 12)


def add_travel(
    rng: Rng, heads: dict[tuple[str, str], float], actual: dict[Key, float], planned: dict[Key, float]
) -> None:
    """One offsite a year per team: planned at the plan's headcount, spent at the month's."""
    for (month, team), count in sorted(heads.items()):
        if int(month[5:]) != offsite_month(rng, team):
            continue
        actual[(month, team, "travel")] = count * TRAVEL_PER_HEAD * rng.uniform(0.8, 1.2)
        plan_heads = planned.get((month, team, "software"), 0.0) / (SOFTWARE_PER_PERSON_YEAR / 12)
        if plan_heads > 0:
            planned[(month, team, "travel")] = round(plan_heads) * TRAVEL_PER_HEAD


def future_plans(world: World, rng: Rng) -> dict[Key, float]:
    """The plan of the quarter after the simulation, made on its last day (no actual yet)."""
    last = world.end - timedelta(days=1)
    rates = year_start_rates(world, last)
    cloud = {}
    months = month_starts(world.start, world.end)
    bills = list(cloud_bills(world, Rng(world.seed, "org", "budget").child("cloud"), months))
    for index, team_id, bill in bills:
        if index == len(months) - 1:
            cloud[team_id] = cloud.get(team_id, 0.0) + bill * 1.10
    planned: dict[Key, float] = {}
    first = next_month(date(last.year, last.month, 1))
    for month in month_starts(first, first + timedelta(days=28 * FUTURE_MONTHS)):
        label, factor = month.strftime("%Y-%m"), 1 + PLANNED_GROWTH * (month.month - first.month + 0.5) / 12
        for (team, category), rate in sorted(rates.items()):
            planned[(label, team, category)] = rate * factor
        for team, bill in cloud.items():
            planned[(label, team, "cloud")] = bill
        for (team, category), rate in sorted(rates.items()):
            if category == "software" and month.month == offsite_month(rng, team):
                planned[(label, team, "travel")] = round(rate / (SOFTWARE_PER_PERSON_YEAR / 12)) * TRAVEL_PER_HEAD
    return planned
