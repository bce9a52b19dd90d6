"""Promotions from the HR history and calibration of ratings (docs/ladders.md, decision 0067):
promotion rate and time to promotion by level and team over a window, and the rating
distribution per team and level against the organization's at the same level. Groups under
the minimum group size are hidden, and so is a second group when a level would otherwise
have exactly one hidden team (it could be read back from the level's total)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from statistics import mean, median
from typing import Any

from quarterdeck.config.ladder_file import Ladder
from quarterdeck.metrics.ladder import check_hr_levels
from quarterdeck.metrics.readiness import MONTH_DAYS, Period, current_run, latest_ratings, person_periods

ALL = "(all teams)"
PROMOTION_COLUMNS = ("level", "team_id", "people", "person_years", "promotions", "rate_per_year",
                     "median_months_to_promotion")  # fmt: skip
CALIBRATION_COLUMNS = ("level", "team_id", "people", "mean_rating", "org_mean_rating", "drift", "ratings")


@dataclass(frozen=True)
class Promotion:
    person_id: str
    day: date
    from_level: str
    to_level: str
    team_id: str | None
    months_at_level: float


def promotions(ladder: Ladder, periods: dict[str, list[Period]]) -> list[Promotion]:
    """Every move up a track between two contiguous periods, with the run at the level left."""
    found = []
    for person, spells in periods.items():
        for i in range(1, len(spells)):
            before, after = spells[i - 1], spells[i]
            low, high = ladder.level(before.level or ""), ladder.level(after.level or "")
            if before.end != after.start or low is None or high is None:
                continue
            if low.track == high.track and high.rank > low.rank:
                run = current_run(spells, before.start)
                since = run[1] if run else before.start
                months = round((after.start - since).days / MONTH_DAYS, 1)
                found.append(Promotion(person, after.start, low.id, high.id, before.team, months))
    return found


def promotion_rates(warehouse: Any, ladder: Ladder, since: date, until: date, least: int) -> list[tuple[Any, ...]]:
    """Per level and team (and per level over all teams): the people at the level in the
    window, the person-years spent there, promotions out of it, their rate per person-year
    and the median months at the level before promotion."""
    check_hr_levels(warehouse, ladder)
    periods = person_periods(warehouse, ladder)
    years: dict[tuple[str, str], float] = defaultdict(float)
    people: dict[tuple[str, str], set[str]] = defaultdict(set)
    for person, spells in periods.items():
        for p in spells:
            start, end = max(p.start, since), min(p.end or until, until)
            if p.level is None or end <= start:
                continue
            for key in ((p.level, p.team or ""), (p.level, ALL)):
                years[key] += (end - start).days / 365.25
                people[key].add(person)
    moves: dict[tuple[str, str], list[float]] = defaultdict(list)
    for move in promotions(ladder, periods):
        if since <= move.day < until:
            for key in ((move.from_level, move.team_id or ""), (move.from_level, ALL)):
                moves[key].append(move.months_at_level)
    shown = _shown({key: len(names) for key, names in people.items()}, least)
    rows = []
    for key in sorted(years, key=lambda k: (_rank(ladder, k[0]), k[1] != ALL, k[1])):
        made = moves.get(key, [])
        if key not in shown:
            rows.append((*key, None, None, None, None, None))
            continue
        rate = round(len(made) / years[key], 3) if years[key] else None
        rows.append((*key, len(people[key]), round(years[key], 2), len(made), rate,
                     round(median(made), 1) if made else None))  # fmt: skip
    return rows


def calibration(warehouse: Any, ladder: Ladder, at: date, least: int) -> list[tuple[Any, ...]]:
    """Per level and team: the people employed on ``at`` with ratings, the mean of their latest
    ratings, the organization's mean at the same level, the drift (team minus organization)
    and how many ratings of each value."""
    check_hr_levels(warehouse, ladder)
    latest, _ = latest_ratings(warehouse, at)
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    people: dict[tuple[str, str], int] = defaultdict(int)
    for person, spells in person_periods(warehouse, ladder).items():
        run = current_run(spells, at)
        if run is None or run[0].level is None or not latest.get(person):
            continue
        for key in ((run[0].level, run[0].team or ""), (run[0].level, ALL)):
            groups[key] += list(latest[person].values())
            people[key] += 1
    shown = _shown(people, least)
    rows = []
    for key in sorted(groups, key=lambda k: (_rank(ladder, k[0]), k[1] != ALL, k[1])):
        if key not in shown:
            rows.append((*key, None, None, None, None, None))
            continue
        team_mean, org_mean = round(mean(groups[key]), 3), round(mean(groups[(key[0], ALL)]), 3)
        counts = {str(r): groups[key].count(r) for r in sorted(set(groups[key]))}
        rows.append((*key, people[key], team_mean, org_mean, round(team_mean - org_mean, 3), counts))
    return rows


def _rank(ladder: Ladder, level_id: str) -> int:
    return next((i for i, level in enumerate(ladder.levels) if level.id == level_id), len(ladder.levels))


def _shown(people: dict[tuple[str, str], int], least: int) -> set[tuple[str, str]]:
    """The groups of at least ``least`` people; when a level has exactly one team hidden, its
    smallest shown team is hidden too, so no hidden team is the level's total minus the rest."""
    shown = {key for key, n in people.items() if n >= least}
    for level in {key[0] for key in people}:
        teams = [key for key in people if key[0] == level and key[1] != ALL]
        hidden = [key for key in teams if key not in shown]
        visible = sorted((key for key in teams if key in shown), key=lambda k: (people[k], k[1]))
        if len(hidden) == 1 and visible and (level, ALL) in shown:
            shown.discard(visible[0])
    return shown
