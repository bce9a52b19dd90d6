"""Backfills already being hired when the data ends, inferred from history when no positions
were imported (docs/plans.md).

On the data's last day, a team that lost people in the last ``RECENT_DAYS`` days and has not
started as many people of their level since is hiring their replacements: each such leaver is
a vacant seat whose requisition is open at the plan's start. Without them a plan starts short
of the organization it describes (the backtest in docs/performance.md). With an export of the
open positions (``quarterdeck ingest positions``), those are the requisitions and nothing is
inferred.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from quarterdeck.planning.history import Period

RECENT_DAYS = 180


def open_backfills(periods: list[Period], ends: date) -> list[Period]:
    """The last period of each recent leaver not yet replaced by a start of their level in
    their team (the latest leavers of a team and level are the ones still open)."""
    after = ends + timedelta(days=1)
    recent = sorted(
        (
            p
            for p in periods
            if p.leaves and p.team and p.valid_to and after - timedelta(days=RECENT_DAYS) < p.valid_to <= after
        ),
        key=lambda p: (p.valid_to, p.person_id),
    )
    first = {}
    for p in recent:
        first.setdefault((p.team, p.level), p.valid_to)
    started = Counter(
        (p.team, p.level)
        for p in periods
        if p.valid_from == p.start_date
        and (p.team, p.level) in first
        and first[(p.team, p.level)] <= p.start_date <= ends
    )
    open_ones: list[Period] = []
    for key in first:
        leavers = [p for p in recent if (p.team, p.level) == key]
        open_ones += leavers[min(started[key], len(leavers)) :]
    return sorted(open_ones, key=lambda p: (p.team or "", p.valid_to or ends, p.person_id))
