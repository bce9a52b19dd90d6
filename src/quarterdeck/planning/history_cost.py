"""Loaded cost by level and location, and the yearly raise, learned from the people export.

A person's loaded annual cost is their ``annual_cost`` x the loaded-cost multiplier of their
location (``[money] loaded_cost_multipliers``) x the rate from the people export's currency
(``[money] people_cost_currency``) to the plan's currency for the month of the window's last
day, as the ``people_months`` metric fragment prices them (the ``reporting_rates`` fragment).
Costs are sensitive: a figure is the median of at least ``settings.min_group_size`` people,
never one person's; a level and location with fewer people takes the level's median across
locations times the location's cost factor (the median, over the location's people, of their
cost against their level's median across locations; a location of at least
``min_group_size`` people), then the level's median, then the organization's, and says so.

The yearly raise is the median change of the cost of the people employed at both ends of the
last twelve months at an unchanged level; its month, the calendar month in which costs at an
unchanged level most often changed. Both need ``min_group_size`` people, else the defaults.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from itertools import pairwise

from quarterdeck.config.settings import Settings
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.metrics.org_design import with_fragments
from quarterdeck.planning.history import History, Learned, Period
from quarterdeck.planning.plan_values import add_months
from quarterdeck.store import Warehouse

DEFAULT_RAISE = 0.03
DEFAULT_RAISE_WHY = "default (too few people with a year of costs at one level): 3 % a year"
DEFAULT_MONTH_WHY = "default (no cost changes seen): January"

_RATE = (
    "SELECT rate FROM reporting_rates WHERE currency = $people_currency AND month <= $month ORDER BY month DESC LIMIT 1"
)


def learn_costs(warehouse: Warehouse, settings: Settings, history: History, periods: list[Period]) -> None:
    factor = _price(warehouse, settings, history)
    multiplier = multipliers(settings)
    at = history.last
    rows = [
        (p.level, p.location or "", round(p.annual_cost * multiplier(p.location) * factor, 2))
        for p in periods
        if _employed(p, at) and p.level and p.annual_cost is not None
    ]
    set_costs(history, rows, settings.min_group_size)
    _set_raise(history, periods, settings.min_group_size)


def _employed(period: Period, day: date) -> bool:
    return period.valid_from <= day and (period.valid_to is None or day < period.valid_to)


def _price(warehouse: Warehouse, settings: Settings, history: History) -> float:
    """What one unit of the people export's currency is worth in the plan's currency."""
    people_currency = settings.people_cost_currency or settings.reporting_currency
    why = "the people export's costs, setting money.people_cost_currency"
    return rate(warehouse, people_currency, history.currency, history.last, why)


def rate(warehouse: Warehouse, currency: str, into: str, day: date, why: str) -> float:
    """What one unit of ``currency`` is worth in ``into`` in the month of ``day`` (the
    ``reporting_rates`` fragment: imported rates, or the inverse of a rate the other way)."""
    if currency == into:
        return 1.0
    params = {"currency": into, "people_currency": currency, "month": day}
    row = warehouse.con.execute(with_fragments(("reporting_rates",), _RATE), params).fetchone()
    if row is None:
        raise QuarterdeckError(
            f"no rate from {currency} to {into} for {day:%Y-%m} ({why}): import one with quarterdeck ingest rates FILE"
        )
    return float(row[0])


def multipliers(settings: Settings) -> Callable[[str | None], float]:
    """The loaded-cost multiplier of a location (``"*"``: every other one; 1 unless set)."""
    table = {location.lower(): float(factor) for location, factor in settings.loaded_cost_multipliers}
    others = table.pop("*", 1.0)

    def multiplier(location: str | None) -> float:
        return table.get((location or "").lower(), others)

    return multiplier


def set_costs(history: History, rows: list[tuple[str, str, float]], least: int) -> None:
    cells: dict[tuple[str, str], list[float]] = defaultdict(list)
    levels: dict[str, list[float]] = defaultdict(list)
    for level, location, cost in rows:
        cells[(level, location)].append(cost)
        levels[level].append(cost)
    on = f"on {history.last}"
    everyone = [cost for _, _, cost in rows]
    if len(everyone) >= least:
        history.cost_org = Learned(
            round(statistics.median(everyone), 2),
            f"history: median loaded cost of {len(everyone)} people {on} (all levels)",
        )
    for level, costs in levels.items():
        if len(costs) >= least:
            history.cost_level[level] = Learned(
                round(statistics.median(costs), 2),
                f"history: median loaded cost of {len(costs)} {level}s {on}, all locations",
            )
    _set_location_factors(history, rows, least)
    for (level, location), costs in cells.items():
        if len(costs) >= least:
            history.cost[(level, location)] = Learned(
                round(statistics.median(costs), 2),
                f"history: median loaded cost of {len(costs)} {level}s in {location} {on}",
            )


def _set_location_factors(history: History, rows: list[tuple[str, str, float]], least: int) -> None:
    """How much dearer or cheaper each location is than the levels' medians across locations."""
    ratios: dict[str, list[float]] = defaultdict(list)
    for level, location, cost in rows:
        across = history.cost_level.get(level)
        if across is not None and across.value > 0:
            ratios[location].append(cost / across.value)
    for location, found in ratios.items():
        if len(found) >= least:
            history.cost_location[location] = Learned(
                statistics.median(found), f"median of {len(found)} people's cost against their level's median"
            )


def _set_raise(history: History, periods: list[Period], least: int) -> None:
    before = add_months(history.last, -12)
    then = {p.person_id: p for p in periods if _employed(p, before)}
    now = {p.person_id: p for p in periods if _employed(p, history.last)}
    changes = [
        now[person].annual_cost / old.annual_cost - 1
        for person, old in then.items()
        if person in now
        and old.level
        and old.level == now[person].level
        and old.annual_cost
        and now[person].annual_cost
    ]
    if len(changes) >= least:
        history.yearly_raise = Learned(
            statistics.median(changes),
            f"history: median cost change of {len(changes)} people at an unchanged level, {before}..{history.last}",
        )
    else:
        history.yearly_raise = Learned(DEFAULT_RAISE, DEFAULT_RAISE_WHY)
    months = Counter(
        later.valid_from.month
        for earlier, later in pairwise(periods)
        if earlier.person_id == later.person_id
        and earlier.valid_to == later.valid_from
        and earlier.level == later.level
        and earlier.annual_cost != later.annual_cost
        and earlier.annual_cost is not None
        and later.annual_cost is not None
        and history.first <= later.valid_from <= history.last + timedelta(days=1)
    )
    if sum(months.values()) >= least:
        month, seen = max(months.items(), key=lambda item: (item[1], -item[0]))
        history.raise_month = Learned(month, f"history: {seen} of {sum(months.values())} raises were in month {month}")
    else:
        history.raise_month = Learned(1, DEFAULT_MONTH_WHY)
