"""Learning a plan's assumptions from the organization's history (docs/plans.md, decision
0059): ``learn`` reads the people's periods and the metrics once and fills a ``History``
(``planning.history``: attrition and moves between teams; ``planning.history_fill``: time to
fill and backfill; ``planning.history_hiring``: time to fill and offer acceptance from the
hiring pipeline when one is stored, in place of the departures' time to fill;
``planning.history_cost``: loaded costs and raises)."""

from __future__ import annotations

from datetime import date

from quarterdeck.config.settings import Settings
from quarterdeck.planning.history import History, learn_attrition, learn_mobility, people_periods, window
from quarterdeck.planning.history_cost import learn_costs
from quarterdeck.planning.history_fill import learn_fills
from quarterdeck.planning.history_hiring import learn_hiring
from quarterdeck.store import Warehouse


def learn(warehouse: Warehouse, settings: Settings, end: date, months: int, currency: str) -> History:
    """The assumptions the organization's history gives over ``months`` months to ``end``."""
    first, last = window(end, months)
    known = warehouse.value("SELECT min(as_of) FROM people_snapshots")
    if isinstance(known, date) and first < known <= last:
        first = known  # before the first export the leavers are unknown (as the org_dates fragment says)
    history = History(first, last, currency)
    periods = people_periods(warehouse)
    learn_attrition(history, periods)
    learn_mobility(history, periods)
    learn_fills(warehouse, history)
    learn_hiring(warehouse, history)
    learn_costs(warehouse, settings, history, periods)
    return history
