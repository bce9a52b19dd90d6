"""Time to fill and offer acceptance learned from the hiring pipeline (docs/hiring.md,
decision 0069), when one is stored: the ``offer_answers`` figure of the hiring metrics over
the history's window. The engine draws a search, then an answer (a declined offer searches
again), so the search is measured the same way: from the requisition's opening, or its
previous answered offer, to each offer's answer; acceptance = hires / answered offers.

At least ``MIN_OFFERS`` answered offers for the organization, else nothing is learned here
(the plan keeps the departures' rule, ``planning.history_fill``); a level with fewer takes
the organization's figure."""

from __future__ import annotations

from quarterdeck.metrics.hiring import has_hiring, section
from quarterdeck.planning.history import History, Learned
from quarterdeck.store import Warehouse

MIN_OFFERS = 3
HOW = "median days from the requisition's opening (or its previous answered offer) to an offer's answer"


def learn_hiring(warehouse: Warehouse, history: History) -> bool:
    """Fill ``history``'s time to fill (by level and for the organization) and offer
    acceptance from the hiring pipeline; False (nothing changed) without enough of it."""
    if not has_hiring(warehouse):
        return False
    org = section(warehouse, "offer_answers", history.first, history.last, "org").rows
    if not org or org[0]["offers"] < MIN_OFFERS:
        return False
    row, span = org[0], history.span
    history.fill_org = Learned(
        (float(row["median_days"]), float(row["log_spread"])),
        f"history: hiring pipeline, {counted(row)}: {HOW}, {span} (all levels)",
    )
    history.acceptance = Learned(row["accepted"] / row["offers"], f"history: hiring pipeline, {counted(row)}, {span}")
    history.fill.clear()
    for level in section(warehouse, "offer_answers", history.first, history.last, "level").rows:
        if level["offers"] >= MIN_OFFERS and not level["group"].startswith("("):
            history.fill[level["group"]] = Learned(
                (float(level["median_days"]), float(level["log_spread"])),
                f"history: hiring pipeline, {counted(level)} of {level['group']}: {HOW}, {span}",
            )
    return True


def counted(row: dict) -> str:
    return f"{row['accepted']} hires of {row['offers']} answered offers"
