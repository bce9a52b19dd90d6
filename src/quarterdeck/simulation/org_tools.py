"""Software contracts: ``finance/tools.csv``, as ``quarterdeck ingest tools`` reads it
(docs/sources/tools.md), and its truth ``truth/tools.csv``.

The export is procurement's list of contracts on the simulation's last day:

- every team with engineers has its editor (the JetBrains IDE of its first repository's
  language), one seat per member that day; seats are bought in fives, and a quarter of the
  teams (the second of every four, by id) bought about 60% more than they use; the largest
  team uses two seats more than it bought (over its licences before the vendor's true-up);
- the organization's shared tools (source control, CI, ticketing, observability, on-call,
  error tracking) are owned by its first platform team (the root when there is none):
  per-seat ones for everyone employed, rounded up to tens (ticketing bought 30% over);
  observability and error tracking priced by services, without seats.

Prices are list prices per seat (or per service) and year in US dollars (an assumption, 2024
public price pages, rounded). Renewal dates are spread over the year after the last day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from quarterdeck.simulation.model import World
from quarterdeck.simulation.org_text import to_csv
from quarterdeck.simulation.rng import Rng

CURRENCY = "USD"
COLUMNS = ("vendor", "product", "team", "annual_cost", "currency", "seats_bought", "seats_used", "renewal_date")
#: a team's first repository's language -> (vendor, editor, price per seat and year)
EDITORS = {
    "java": ("JetBrains", "IntelliJ IDEA Ultimate", 719),
    "python": ("JetBrains", "PyCharm Professional", 299),
    "go": ("JetBrains", "GoLand", 299),
    "typescript": ("JetBrains", "WebStorm", 199),
}
#: (vendor, product, what it is, price per seat and year, or None: priced per service)
SHARED = (
    ("GitHub", "GitHub Enterprise Cloud", "source control", 252),
    ("CircleCI", "CircleCI Performance", "CI", 180),
    ("Atlassian", "Jira Software", "ticketing", 94),
    ("PagerDuty", "PagerDuty Business", "on-call", 492),
    ("Datadog", "Datadog Pro", "observability", None),
    ("Sentry", "Sentry Business", "error tracking", None),
)
PER_SERVICE_YEAR = {"Datadog": 3_312, "Sentry": 960}  # 4 hosts x 23 x 12; a share of the plan
OVER_BOUGHT_EVERY = 4  # the second team of every four, by id, bought too many seats


@dataclass(frozen=True)
class Contract:
    vendor: str
    product: str
    team_id: str
    annual_cost: Decimal
    seats_bought: int | None
    seats_used: int | None
    renewal_date: date


def tools_csv(world: World) -> str:
    rows = [
        [c.vendor, c.product, c.team_id, c.annual_cost, CURRENCY, _blank(c.seats_bought), _blank(c.seats_used),
         c.renewal_date.isoformat()]
        for c in contracts(world)
    ]  # fmt: skip
    return to_csv(COLUMNS, rows)


def tools_truth_csv(world: World) -> str:
    """``truth/tools.csv``: per owner team, its contracts, their annual cost and seats."""
    totals: dict[str, list] = {}
    for c in contracts(world):
        row = totals.setdefault(c.team_id, [0, Decimal(0), 0, 0])
        row[0] += 1
        row[1] += c.annual_cost
        row[2] += c.seats_bought or 0
        row[3] += c.seats_used or 0
    rows = [[team, *values, CURRENCY] for team, values in sorted(totals.items())]
    return to_csv(("team", "contracts", "annual_cost", "seats_bought", "seats_used", "currency"), rows)


def _blank(value: int | None) -> object:
    return "" if value is None else value


def contracts(world: World) -> list[Contract]:
    """Every contract on the last day, renewals spread over the following year."""
    rng = Rng(world.seed, "org", "tools")
    last = world.end - timedelta(days=1)
    unpriced = editor_seats(world, last) + shared_seats(world, last)
    found = []
    for index, (vendor, product, team, price, bought, used) in enumerate(unpriced):
        offset = int((index + rng.uniform(0, 1)) * 365 / len(unpriced))
        cost = Decimal(price * (bought if bought is not None else 1)).quantize(Decimal("0.01"))
        found.append(Contract(vendor, product, team, cost, bought, used, last + timedelta(days=1 + offset)))
    return found


Unpriced = tuple[str, str, str, int, int | None, int | None]  # vendor, product, team, price, bought, used


def editor_seats(world: World, last: date) -> list[Unpriced]:
    members = {t.team_id: len(world.members_on(last, t.team_id)) for t in world.teams if t.exists_on(last)}
    teams = [t for t in world.teams if t.exists_on(last) and t.type not in ("organization", "division")]
    teams = [t for t in teams if members[t.team_id] > 0]
    largest = max(teams, key=lambda t: (members[t.team_id], t.team_id), default=None)
    found: list[Unpriced] = []
    for position, team in enumerate(sorted(teams, key=lambda t: t.team_id)):
        used = members[team.team_id]
        bought = 5 * math.ceil(used / 5)
        if position % OVER_BOUGHT_EVERY == 1:
            bought = 5 * math.ceil(used * 1.6 / 5)
        if team is largest and used > 2:
            bought = used - 2
        vendor, product, price = EDITORS[language_of(world, team.team_id)]
        found.append((vendor, product, team.team_id, price, bought, used))
    return found


def language_of(world: World, team_id: str) -> str:
    services = [s for s in world.services if s.owner_team_id == team_id]
    names = [r for s in services for r in s.repositories]
    repository = next((r for r in world.repositories if names and r.name == names[0]), None)
    return repository.language if repository is not None else "typescript"


def shared_seats(world: World, last: date) -> list[Unpriced]:
    owner = next((t for t in world.teams if t.type == "platform" and t.exists_on(last)), None)
    owner = owner or next(t for t in world.teams if t.parent_id is None)
    everyone = len(world.members_on(last))
    services = sum(1 for s in world.services if world.team(s.owner_team_id).exists_on(last))
    found: list[Unpriced] = []
    for vendor, product, _, price in SHARED:
        if price is None:
            found.append((vendor, product, owner.team_id, PER_SERVICE_YEAR[vendor] * services, None, None))
            continue
        bought = 10 * math.ceil(everyone * (1.3 if vendor == "Atlassian" else 1.0) / 10)
        found.append((vendor, product, owner.team_id, price, bought, everyone))
    return found
