"""``--grain window`` for a wait metric, on the wait ledger's golden data (tests/wait_golden.py,
built once by the ``ledger`` fixture of tests/test_wait_ledger.py): every value by hand, as
the explained SQL computes it (the one-author groups here are hidden in what is shown)."""

from __future__ import annotations

import pytest

from tests.test_wait_ledger import computed, ledger

__all__ = ["ledger"]  # the fixture, shared with tests/test_wait_ledger.py

TWO_WEEKS = ("--since", "2026-03-02", "--until", "2026-03-15")


def test_pickup_time_over_the_whole_window_is_over_every_pull_request(ledger):
    weekly = computed(ledger, "pr_pickup_time", *TWO_WEEKS, "--by", "org")
    # week of 03-02: PR 1 picked up after 4 h, PR 2 after 18 h (median 11); week of 03-09: PR 4
    # after 1.5 h (median 1.5)
    assert [(r["period_start"], r["pull_requests"], r["median_hours"]) for r in weekly] == [
        ("2026-03-02", 2, 11.0),
        ("2026-03-09", 1, 1.5),
    ]
    rows = computed(ledger, "pr_pickup_time", *TWO_WEEKS, "--by", "org", "--grain", "window")
    # [1.5, 4, 18]: median 4, not (11 + 1.5) / 2 = 6.25; p75 at 2 x 0.75 = 1.5: 4 + 0.5 x 14 = 11;
    # p90 at 1.8: 4 + 0.8 x 14 = 15.2; mean 23.5 / 3
    assert [(r["group"], r["period_start"], r["pull_requests"]) for r in rows] == [("organization", "2026-03-02", 3)]
    got = (rows[0]["median_hours"], rows[0]["p75_hours"], rows[0]["p90_hours"], rows[0]["mean_hours"])
    assert got == pytest.approx((4.0, 11.0, 15.2, 23.5 / 3), rel=1e-12)
    by_team = computed(ledger, "pr_pickup_time", *TWO_WEEKS, "--by", "team", "--grain", "window")
    # alpha: PR 1 and PR 2 (4 h, 18 h); beta: PR 4 (1.5 h)
    assert [(r["group"], r["pull_requests"], r["median_hours"]) for r in by_team] == [
        ("alpha", 2, 11.0),
        ("beta", 1, 1.5),
    ]
