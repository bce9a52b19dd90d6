"""The organization's own history as plan assumptions (docs/plans.md, decision 0059): what
was learned (``History``, each value ``Learned`` with its origin in words), the people's
periods it is learned from, and the attrition and moves between teams learned from them.

``planning.learn.learn(warehouse, settings, end, months, currency)`` reads the people's
periods over the ``months`` months ending on ``end`` (by default the end of the data) and
returns what a plan assumes when its file does not say otherwise:

- attrition by level and tenure band: leavers / person-years; a cell with less than
  ``MIN_PERSON_YEARS`` of exposure takes its level's rate, then the organization's, then the
  default, and says so;
- time to fill by level: median and log-spread of the days from a departure to the next start
  of the same level in the same team (``planning.history_fill``);
- backfill: the share of leavers followed by a start in the same team within 180 days;
- loaded cost by level and location, yearly raise and its month (``planning.history_cost``);
- time to fill and offer acceptance from the hiring pipeline instead, when one is stored
  (``planning.history_hiring``);
- ramp-up and mentoring drag: defaults, said to be defaults; offer acceptance too, without
  a hiring pipeline.

A window that starts before the first people export starts on its date, as the organization
metrics' windows do (the ``org_dates`` fragment): before it the leavers are unknown.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from quarterdeck.planning.model import TENURE_BANDS
from quarterdeck.planning.plan_values import add_months
from quarterdeck.store import Warehouse

#: Exposure below which a rate is not learned from a cell, in person-years.
MIN_PERSON_YEARS = 10.0
DEFAULT_ATTRITION = 0.13
DEFAULT_ATTRITION_WHY = "default (no history): 13 % a year, the reference's tech attrition (13-15 %)"
DEFAULT_RAMP_MONTHS = 6.0
DEFAULT_RAMP_WHY = "default: 6 months, the middle of the reference's 3-9 months to full productivity"
DEFAULT_DRAG = 0.2
DEFAULT_DRAG_WHY = "an assumption (no data measures it): each ramping hire costs the team 0.2 FTE at first"
DEFAULT_MOBILITY_WHY = "default (too little history): nobody moves between teams"
MANAGER_WORDS = ("head", "vp", "chief", "cto")
ACCEPTANCE_WHY = "1.0: the learned time to fill already includes declined offers"


@dataclass(frozen=True)
class Learned:
    """One assumption's value and where it comes from, in words."""

    value: Any
    origin: str


@dataclass
class History:
    """What the organization's history says, per level (and location for costs)."""

    first: date  # the window's first day
    last: date  # its last day
    currency: str
    attrition: dict[str, tuple[Learned, ...]] = field(default_factory=dict)  # level -> one per tenure band
    attrition_org: Learned = Learned(DEFAULT_ATTRITION, DEFAULT_ATTRITION_WHY)
    fill: dict[str, Learned] = field(default_factory=dict)  # level -> (median days, log spread)
    fill_org: Learned | None = None
    backfill: Learned | None = None
    cost: dict[tuple[str, str], Learned] = field(default_factory=dict)  # (level, location) -> annual cost
    cost_level: dict[str, Learned] = field(default_factory=dict)
    cost_location: dict[str, Learned] = field(default_factory=dict)  # location -> factor on a level's median
    cost_org: Learned | None = None
    yearly_raise: Learned | None = None
    raise_month: Learned | None = None
    ramp: Learned = Learned(DEFAULT_RAMP_MONTHS, DEFAULT_RAMP_WHY)
    mentoring_drag: Learned = Learned(DEFAULT_DRAG, DEFAULT_DRAG_WHY)
    acceptance: Learned = Learned(1.0, ACCEPTANCE_WHY)
    mobility: Learned = Learned(0.0, DEFAULT_MOBILITY_WHY)

    @property
    def span(self) -> str:
        return f"{self.first:%Y-%m}..{self.last:%Y-%m}"

    def attrition_of(self, level: str) -> tuple[Learned, ...]:
        bands = len(TENURE_BANDS) + 1
        if level in self.attrition:
            return self.attrition[level]
        org = self.attrition_org
        return (Learned(org.value, f"{org.origin} (no history for {level})"),) * bands

    def hire_cost(self, level: str, location: str) -> Learned | None:
        """A new hire's loaded annual cost at ``level`` in ``location``, with fallbacks: the
        level's median across locations times the location's cost factor, the level's median,
        the organization's."""
        if (level, location) in self.cost:
            return self.cost[(level, location)]
        across, factor = self.cost_level.get(level), self.cost_location.get(location)
        if across is not None and factor is not None:
            value = round(across.value * factor.value, 2)
            return Learned(value, f"{across.origin} x {location}'s cost factor {factor.value:.3f} ({factor.origin})")
        return across or self.cost_org


def window(end: date, months: int) -> tuple[date, date]:
    """The first and last day of the ``months`` months ending on ``end``."""
    return add_months(end + timedelta(days=1), -months), end


@dataclass(frozen=True)
class Period:
    person_id: str
    valid_from: date
    valid_to: date | None
    team: str | None
    level: str | None
    location: str | None
    role: str | None
    annual_cost: float | None
    start_date: date
    leaves: bool


def people_periods(warehouse: Warehouse) -> list[Period]:
    rows = warehouse.con.execute(
        "SELECT person_id, valid_from, valid_to, team_id, level, location, coalesce(role, title), "
        "CAST(annual_cost AS DOUBLE), start_date, leaves FROM person_periods ORDER BY person_id, valid_from"
    ).fetchall()
    return [Period(*row) for row in rows]


# -- attrition -------------------------------------------------------------------------------


def tenure_band(start: date, day: date) -> int:
    """The tenure band of someone who started on ``start``, on ``day``."""
    band = 0
    for limit in TENURE_BANDS:
        if day >= add_months(start, limit):
            band += 1
    return band


def _exposure(period: Period, first: date, after: date) -> list[int]:
    """Days employed inside [first, after) by tenure band."""
    days = [0] * (len(TENURE_BANDS) + 1)
    low = max(period.valid_from, first)
    high = min(period.valid_to or after, after)
    edges = [add_months(period.start_date, m) for m in TENURE_BANDS]
    for band in range(len(days)):
        band_low = edges[band - 1] if band > 0 else date.min
        band_high = edges[band] if band < len(edges) else date.max
        days[band] = max(0, (min(high, band_high) - max(low, band_low)).days)
    return days


def learn_attrition(history: History, periods: list[Period]) -> None:
    after = history.last + timedelta(days=1)
    bands = len(TENURE_BANDS) + 1
    days: dict[str, list[int]] = defaultdict(lambda: [0] * bands)
    leavers: dict[str, list[int]] = defaultdict(lambda: [0] * bands)
    for period in periods:
        if period.level is None:
            continue
        for band, exposed in enumerate(_exposure(period, history.first, after)):
            days[period.level][band] += exposed
        if period.leaves and period.valid_to is not None and history.first < period.valid_to <= after:
            leavers[period.level][tenure_band(period.start_date, period.valid_to - timedelta(days=1))] += 1
    span = history.span
    org_days = sum(sum(d) for d in days.values())
    org_leavers = sum(sum(n) for n in leavers.values())
    if org_days / 365 >= MIN_PERSON_YEARS:
        history.attrition_org = Learned(
            org_leavers * 365 / org_days, f"history: {_over(org_leavers, org_days)}, {span} (the organization)"
        )
    for level in sorted(days):
        history.attrition[level] = _level_rates(history, level, days[level], leavers[level])


def _level_rates(history: History, level: str, days: list[int], leavers: list[int]) -> tuple[Learned, ...]:
    span, org = history.span, history.attrition_org
    total_days, total = sum(days), sum(leavers)
    if total_days / 365 >= MIN_PERSON_YEARS:
        level_rate = Learned(total * 365 / total_days, f"history: {_over(total, total_days)}, {span} (all of {level})")
    else:
        level_rate = Learned(org.value, f"{org.origin}; {level} has too little history ({_years(total_days)})")
    rates = []
    for band, (exposed, left) in enumerate(zip(days, leavers, strict=True)):
        if exposed / 365 >= MIN_PERSON_YEARS:
            rates.append(Learned(left * 365 / exposed, f"history: {_over(left, exposed)}, {span}"))
        else:
            why = f"{level_rate.origin}; tenure {band_name(band)} has {_years(exposed)}, too few to learn from"
            rates.append(Learned(level_rate.value, why))
    return tuple(rates)


# -- moves between teams ---------------------------------------------------------------------


def is_manager(role: str | None, level: str | None) -> bool:
    """A manager adds no delivery capacity: a role that says manager or director (or head,
    VP, chief, CTO as a word), or a management level (M1, M2, ...)."""
    words = (role or "").lower()
    named = any(w in words for w in ("manager", "director")) or any(w in words.split() for w in MANAGER_WORDS)
    return named or (level is not None and len(level) > 1 and level[0] in "Mm" and level[1:].isdigit())


def learn_mobility(history: History, periods: list[Period]) -> None:
    """Moves of engineers between teams per person-year of engineers: a period of a person
    that starts in the window, the day their previous one ends, in another team, both as an
    engineer (not a manager: a lead's seat filled from inside is a promotion, not a move)."""
    after = history.last + timedelta(days=1)
    days = moves = 0
    previous: Period | None = None
    for period in periods:
        engineer = not is_manager(period.role, period.level)
        if engineer and period.team:
            days += sum(_exposure(period, history.first, after))
        if (
            previous is not None
            and previous.person_id == period.person_id
            and previous.valid_to == period.valid_from
            and previous.team and period.team and previous.team != period.team
            and engineer and not is_manager(previous.role, previous.level)
            and history.first <= period.valid_from < after
        ):  # fmt: skip
            moves += 1
        previous = period
    if days / 365 >= MIN_PERSON_YEARS:
        what = f"{moves} move{'s' if moves != 1 else ''} between teams over {_years(days)} of engineers"
        history.mobility = Learned(moves * 365 / days, f"history: {what}, {history.span}")


def band_name(band: int) -> str:
    edges = (0, *TENURE_BANDS)
    if band == len(TENURE_BANDS):
        return f"{edges[band]}+ months"
    return f"{edges[band]}-{edges[band + 1]} months"


def _over(leavers: int, days: int) -> str:
    return f"{leavers} leaver{'s' if leavers != 1 else ''} over {_years(days)}"


def _years(days: int) -> str:
    years = days / 365
    shown = f"{years:.1f}".rstrip("0").rstrip(".") if not math.isclose(years, round(years)) else str(round(years))
    return f"{shown} person-years"
