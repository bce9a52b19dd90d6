"""Promotion readiness on a day (docs/ladders.md, decision 0067): for each person employed
then, their ladder level (the HR level mapped), the unbroken run at it (time in level), the
share of the next level's competencies their latest ratings meet, and an estimate of when
they will meet them all, from the pace of their rating gains."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from quarterdeck.config.ladder_file import Ladder
from quarterdeck.metrics.ladder import check_hr_levels

#: Days in an average month, for months in level and the pace of rating gains.
MONTH_DAYS = 365.25 / 12

COLUMNS = (
    "person_id", "team_id", "level", "next_level", "in_level_since", "months_in_level",
    "competencies_met", "competencies_next", "readiness", "pipeline", "months_to_ready",
)  # fmt: skip

_PERIODS = """
SELECT person_id, valid_from, valid_to, team_id, level, leaves
FROM person_periods ORDER BY person_id, valid_from
"""
_RATINGS = """
SELECT person_id, competency, assessed_on, rating
FROM assessments WHERE assessed_on <= $at ORDER BY person_id, competency, assessed_on
"""


@dataclass(frozen=True)
class Period:
    start: date
    end: date | None  # exclusive
    team: str | None
    level: str | None  # the ladder level (None: no HR level)


@dataclass(frozen=True)
class Readiness:
    person_id: str
    team_id: str | None
    level: str
    next_level: str | None
    in_level_since: date
    months_in_level: float
    met: int
    expected: int
    readiness: float | None  # None: no next level
    pipeline: str  # ready now, within 6 / 12 months, later, unknown, not assessed, top of track
    months_to_ready: float | None  # the estimate; None when it cannot be made

    def row(self) -> tuple[Any, ...]:
        return (self.person_id, self.team_id, self.level, self.next_level, self.in_level_since,
                self.months_in_level, self.met, self.expected, self.readiness, self.pipeline,
                self.months_to_ready)  # fmt: skip


def person_periods(warehouse: Any, ladder: Ladder) -> dict[str, list[Period]]:
    """Each person's periods in order, their HR level mapped onto the ladder."""
    found: dict[str, list[Period]] = defaultdict(list)
    for person, start, end, team, level, _ in warehouse.con.execute(_PERIODS).fetchall():
        found[person].append(Period(start, end, team, ladder.ladder_level(level) if level else None))
    return found


def current_run(periods: list[Period], at: date) -> tuple[Period, date] | None:
    """The period holding on ``at`` and the first day of the unbroken run of contiguous
    periods at its level (a gap, such as a rehire, breaks the run); None when not employed."""
    index = next((i for i, p in enumerate(periods) if p.start <= at and (p.end is None or at < p.end)), None)
    if index is None:
        return None
    start = periods[index].start
    for before in reversed(periods[:index]):
        if before.end != start or before.level != periods[index].level:
            break
        start = before.start
    return periods[index], start


def latest_ratings(warehouse: Any, at: date) -> tuple[dict[str, dict[str, int]], dict[str, float | None]]:
    """Each person's latest rating per competency on or before ``at``, and their pace: the mean,
    over the competencies rated on two days or more, of the rating gained per month between
    the first and the latest rating (None without such a competency)."""
    history: dict[str, dict[str, list[tuple[date, int]]]] = defaultdict(lambda: defaultdict(list))
    for person, competency, day, rating in warehouse.con.execute(_RATINGS, {"at": at}).fetchall():
        history[person][competency].append((day, rating))
    latest = {p: {c: ratings[-1][1] for c, ratings in by_c.items()} for p, by_c in history.items()}
    return latest, {p: _pace(by_c) for p, by_c in history.items()}


def _pace(by_competency: dict[str, list[tuple[date, int]]]) -> float | None:
    gains = [(r[-1][1] - r[0][1]) / ((r[-1][0] - r[0][0]).days / MONTH_DAYS)
             for r in by_competency.values() if len(r) > 1 and r[-1][0] > r[0][0]]  # fmt: skip
    return sum(gains) / len(gains) if gains else None


def estimate(gaps: list[int], pace: float | None) -> tuple[str, float | None]:
    """The pipeline bucket and the months until every gap closes at ``pace`` (an estimate)."""
    if not gaps:
        return "ready now", 0.0
    if pace is None or pace <= 0:
        return "unknown", None
    months = round(max(gaps) / pace, 1)
    bucket = "within 6 months" if months <= 6 else "within 12 months" if months <= 12 else "later"
    return bucket, months


def readiness(warehouse: Any, ladder: Ladder, at: date) -> list[Readiness]:
    """Every person employed on ``at`` with an HR level, in person order."""
    check_hr_levels(warehouse, ladder)
    latest, pace = latest_ratings(warehouse, at)
    found = []
    for person, periods in sorted(person_periods(warehouse, ladder).items()):
        run = current_run(periods, at)
        if run is None or run[0].level is None:
            continue
        period, since = run
        found.append(_one(ladder, person, period, since, at, latest.get(person, {}), pace.get(person)))
    return found


def _one(ladder: Ladder, person: str, period: Period, since: date, at: date,
         ratings: dict[str, int], pace: float | None) -> Readiness:  # fmt: skip
    level = str(period.level)
    months = round((at - since).days / MONTH_DAYS, 1)
    after = ladder.next_level(level)
    if after is None:
        return Readiness(person, period.team, level, None, since, months, 0, 0, None, "top of track", None)
    expected = ladder.expected_at(after.id)
    gaps = [need - ratings.get(name, 0) for name, need in expected.items() if ratings.get(name, 0) < need]
    met = len(expected) - len(gaps)
    if not ratings:
        unrated = "not assessed"
        return Readiness(person, period.team, level, after.id, since, months, 0, len(expected), None, unrated, None)
    share = round(met / len(expected), 4) if expected else None
    bucket, months_to = estimate(gaps, pace)
    return Readiness(person, period.team, level, after.id, since, months, met, len(expected), share, bucket, months_to)
