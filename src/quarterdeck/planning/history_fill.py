"""Time to fill and backfill, learned from departures and the starts that followed them.

A departure is the end of a spell of employment inside the history window (its day: the
first day without the person). Each departure is matched, in the order of the departures, to
the earliest start of the same team not matched yet, on or after that day:

- time to fill by level: the days to the next start of the *same level* in the same team,
  within ``FILL_LIMIT_DAYS``; the median and the log-spread (standard deviation of the log of
  the days) of a level with at least ``MIN_FILLS`` of them, else of all levels, else the default;
- backfill: the share of departures followed by a start in the same team (any level) within
  ``BACKFILL_DAYS``, counting only departures at least that long before the data's end (a
  later one could still be backfilled).
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from datetime import date, timedelta

from quarterdeck.planning.history import History, Learned, Period

FILL_LIMIT_DAYS = 365
BACKFILL_DAYS = 180
MIN_FILLS = 3
DEFAULT_FILL_DAYS = 60.0
DEFAULT_FILL_SPREAD = 0.5
DEFAULT_FILL_WHY = (
    "default (no history): 60 days, the reference's tech time to hire (29-43 days) plus notice; spread 0.5"
)
DEFAULT_BACKFILL_WHY = "default (too few leavers to learn from): every leaver is replaced"


def learn_fills(history: History, periods: list[Period]) -> None:
    after = history.last + timedelta(days=1)
    departures = sorted(
        (p.valid_to, p.team, p.level)
        for p in periods
        if p.leaves and p.valid_to is not None and history.first < p.valid_to <= after and p.team
    )
    starts = sorted({(p.start_date, p.person_id, p.team, p.level) for p in periods if p.valid_from == p.start_date})
    by_level: dict[str, list[int]] = defaultdict(list)
    for (_, level), waited in _matches(departures, starts, same_level=True, limit=FILL_LIMIT_DAYS):
        by_level[level].append(waited)
    _set_fills(history, by_level)
    _set_backfill(history, departures, starts)


def _matches(
    departures: list[tuple[date, str, str | None]],
    starts: list[tuple[date, str, str | None, str | None]],
    same_level: bool,
    limit: int,
) -> list[tuple[tuple[str, str], int]]:
    """(team, level) and days waited for each departure matched to a later start."""
    used: set[str] = set()
    found = []
    for day, team, level in departures:
        for start, person, start_team, start_level in starts:
            if person in used or start_team != team or start < day or (same_level and start_level != level):
                continue
            if (start - day).days <= limit:
                used.add(person)
                found.append(((team, level or ""), (start - day).days))
            break
    return found


def _spread(days: list[int]) -> float:
    logs = [math.log(max(d, 1)) for d in days]
    return statistics.pstdev(logs) if len(logs) > 1 else 0.0


def _set_fills(history: History, by_level: dict[str, list[int]]) -> None:
    span = history.span
    pooled = [d for days in by_level.values() for d in days]
    if len(pooled) >= MIN_FILLS:
        history.fill_org = Learned(
            (float(statistics.median(pooled)), _spread(pooled)),
            f"history: median of {len(pooled)} departures to the next start of the same level, {span} (all levels)",
        )
    else:
        history.fill_org = Learned((DEFAULT_FILL_DAYS, DEFAULT_FILL_SPREAD), DEFAULT_FILL_WHY)
    for level, days in sorted(by_level.items()):
        if level and len(days) >= MIN_FILLS:
            history.fill[level] = Learned(
                (float(statistics.median(days)), _spread(days)),
                f"history: median of {len(days)} departures to the next start of a {level} in the team, {span}",
            )


def _set_backfill(
    history: History,
    departures: list[tuple[date, str, str | None]],
    starts: list[tuple[date, str, str | None, str | None]],
) -> None:
    settled = [d for d in departures if d[0] + timedelta(days=BACKFILL_DAYS) <= history.last + timedelta(days=1)]
    if len(settled) < MIN_FILLS:
        history.backfill = Learned(1.0, DEFAULT_BACKFILL_WHY)
        return
    refilled = len(_matches(settled, starts, same_level=False, limit=BACKFILL_DAYS))
    history.backfill = Learned(
        refilled / len(settled),
        f"history: {refilled} of {len(settled)} leavers followed by a start in their team within "
        f"{BACKFILL_DAYS} days, {history.span}",
    )
