"""The small-group rule on rows as a metric query returns them (metrics.privacy)."""

from __future__ import annotations

from datetime import date

from quarterdeck.metrics.privacy import mask_small_groups

COLUMNS = ["group", "period_start", "authors", "median_hours"]
MONTH = date(2026, 3, 1)


def test_a_lone_hidden_group_hides_the_next_smallest_of_its_period():
    rows = [("alpha", MONTH, 1, 4.0), ("beta", MONTH, 6, 3.0), ("gamma", MONTH, 9, 2.0)]
    shown = mask_small_groups(COLUMNS, rows, "authors", ("median_hours",), 5)
    # alpha = organization - beta - gamma: beta, the next smallest, is hidden with it
    assert shown == [("alpha", MONTH, 1, "<5"), ("beta", MONTH, 6, "<5"), ("gamma", MONTH, 9, 2.0)]


def test_a_hidden_group_about_nobody_hides_no_other():
    # a team with no pull request that month has nothing to give back by subtraction
    rows = [("alpha", MONTH, 0, None), ("beta", MONTH, 6, 3.0), ("gamma", MONTH, 9, 2.0)]
    shown = mask_small_groups(COLUMNS, rows, "authors", ("median_hours",), 5)
    assert shown == [("alpha", MONTH, 0, "<5"), ("beta", MONTH, 6, 3.0), ("gamma", MONTH, 9, 2.0)]
