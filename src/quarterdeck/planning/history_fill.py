"""Time to fill and backfill, learned from departures and the starts that followed them,
through the ``time_to_backfill`` metric (so ``quarterdeck metrics show time_to_backfill --at
DATE --by level`` gives the same figures for a 12-month history).

- time to fill by level: the median and log-spread of the days from a departure to the next
  start of the *same level* in the same team (within 365 days), for a level with at least
  ``MIN_FILLS`` of them, else of all levels, else the default;
- backfill: the share of departures followed by a start in the same team within 180 days,
  counting only departures at least that long before the window's end (a later one could
  still be backfilled); at least ``MIN_FILLS`` of them, else every leaver is replaced.
"""

from __future__ import annotations

import re
from typing import Any

from quarterdeck.metrics.catalog import catalog
from quarterdeck.planning.history import History, Learned
from quarterdeck.store import Warehouse

METRIC = "time_to_backfill"
MIN_FILLS = 3
DEFAULT_FILL_DAYS = 60.0
DEFAULT_FILL_SPREAD = 0.5
DEFAULT_FILL_WHY = (
    "default (no history): 60 days, the reference's tech time to hire (29-43 days) plus notice; spread 0.5"
)
DEFAULT_BACKFILL_WHY = "default (too few leavers to learn from): every leaver is replaced"
_PARAMETER = re.compile(r"\$([a-z_]+)\b")


def metric_rows(warehouse: Warehouse, history: History, by: str) -> list[dict[str, Any]]:
    """The metric's rows over the history window, grouped ``by`` (org or level), unmasked:
    the plan uses them only through the fallbacks of MIN_FILLS."""
    sql = catalog()[METRIC].compiled_sql()
    given = {"dates": [history.last], "window_starts": [history.first], "by": by, "unit": ""}
    used = set(_PARAMETER.findall(sql))
    cursor = warehouse.con.execute(sql, {k: v for k, v in given.items() if k in used})
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def learn_fills(warehouse: Warehouse, history: History) -> None:
    span = f"{history.span}, metric {METRIC}"
    org = next(iter(metric_rows(warehouse, history, "org")), None)
    if org is not None and org["filled"] >= MIN_FILLS:
        history.fill_org = Learned(
            (float(org["median_days_to_fill"]), float(org["log_spread"])),
            f"history: median of {org['filled']} departures to the next start of the same level, {span} (all levels)",
        )
    else:
        history.fill_org = Learned((DEFAULT_FILL_DAYS, DEFAULT_FILL_SPREAD), DEFAULT_FILL_WHY)
    for row in metric_rows(warehouse, history, "level"):
        if row["filled"] >= MIN_FILLS and not row["group"].startswith("("):
            history.fill[row["group"]] = Learned(
                (float(row["median_days_to_fill"]), float(row["log_spread"])),
                f"history: median of {row['filled']} departures to the next start of a {row['group']} in the team, "
                f"{span}",
            )
    if org is not None and org["settled_leavers"] >= MIN_FILLS:
        history.backfill = Learned(
            float(org["backfill_share"]),
            f"history: {org['backfilled']} of {org['settled_leavers']} leavers followed by a start in their team "
            f"within 180 days, {span}",
        )
    else:
        history.backfill = Learned(1.0, DEFAULT_BACKFILL_WHY)
