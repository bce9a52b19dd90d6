"""The organization's history as plan assumptions, on the hand-written organization of
tests/plan_history_org.py (window 2026-01-01..2026-12-31, 365 days). Every expected value is
worked out by hand in the comments."""

from __future__ import annotations

import json
import math
import statistics
from datetime import date, timedelta
from pathlib import Path

import pytest

from quarterdeck.config.settings import Settings
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.planning.history import MIN_PERSON_YEARS, History, Period, learn_mobility, tenure_band, window
from quarterdeck.planning.history_cost import set_costs
from quarterdeck.planning.learn import learn
from quarterdeck.store import open_warehouse
from tests.conftest import run_quarterdeck
from tests.plan_history_org import CONFIG, SETTINGS, build

END = date(2026, 12, 31)
# Days employed in 2026: a04-a13 365 each (3650) + a01 90 (to 03-31) + a02 181 (to 06-30) +
# a03 31 (to 01-31) = 3952, all at 24+ months of tenure; b03 324 + b01 245 + b02 124 = 693 at
# 0-12 months; IC2: c01-c03 365 each + c04 151 (to 05-31) = 1246; M1: 365.
IC3_OLD_DAYS, IC3_NEW_DAYS, IC2_DAYS, M1_DAYS = 3952, 693, 1246, 365
ORG_DAYS = IC3_OLD_DAYS + IC3_NEW_DAYS + IC2_DAYS + M1_DAYS  # 6256


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("plan-history"))


@pytest.fixture(scope="module")
def history(db: Path):
    with open_warehouse(db) as warehouse:
        return learn(warehouse, SETTINGS, END, 12, "USD")


def test_the_window_is_the_months_ending_on_the_date() -> None:
    assert window(END, 12) == (date(2026, 1, 1), END)
    assert window(date(2026, 11, 15), 6) == (date(2026, 5, 16), date(2026, 11, 15))
    assert tenure_band(date(2025, 7, 1), date(2026, 6, 30)) == 0
    assert tenure_band(date(2025, 7, 1), date(2026, 7, 1)) == 1
    assert tenure_band(date(2020, 1, 1), date(2026, 1, 1)) == 2


def test_attrition_by_level_and_tenure_with_fallbacks(history) -> None:
    assert MIN_PERSON_YEARS == 10
    org = 4 * 365 / ORG_DAYS  # 4 leavers over 17.1 person-years
    assert history.attrition_org.value == pytest.approx(org)
    assert (
        history.attrition_org.origin == "history: 4 leavers over 17.1 person-years, 2026-01..2026-12 (the organization)"
    )
    new, middle, old = history.attrition["IC3"]
    level = 3 * 365 / (IC3_OLD_DAYS + IC3_NEW_DAYS)  # 12.7 person-years: the level's own rate
    assert old.value == pytest.approx(3 * 365 / IC3_OLD_DAYS)  # 10.8 person-years: its own
    assert old.origin == "history: 3 leavers over 10.8 person-years, 2026-01..2026-12"
    assert new.value == pytest.approx(level) and middle.value == pytest.approx(level)
    assert new.origin == (
        "history: 3 leavers over 12.7 person-years, 2026-01..2026-12 (all of IC3); "
        "tenure 0-12 months has 1.9 person-years, too few to learn from"
    )
    ic2 = history.attrition["IC2"]  # 3.4 person-years: the organization's rate
    assert [r.value for r in ic2] == pytest.approx([org] * 3)
    assert "IC2 has too little history (3.4 person-years)" in ic2[0].origin
    unknown = history.attrition_of("IC9")
    assert unknown[0].value == pytest.approx(org) and unknown[0].origin.endswith("(no history for IC9)")


def test_time_to_fill_and_backfill(history) -> None:
    # payments IC3: a03 leaves (first day without her 02-01) -> b03 starts 02-11: 10 days;
    # a01 04-01 -> b01 05-01: 30 days; a02 07-01 -> b02 08-30: 60 days.
    median, spread = history.fill["IC3"].value
    assert median == 30
    assert spread == pytest.approx(statistics.pstdev([math.log(10), math.log(30), math.log(60)]), abs=5e-5)  # 4 places
    assert history.fill["IC3"].origin.startswith("history: median of 3 departures to the next start of a IC3")
    assert "IC2" not in history.fill  # c04 was never replaced: the organization's figure
    assert history.fill_org.value == (median, spread)
    # Four leavers at least 180 days before the end; three were followed by a start in their team.
    assert history.backfill.value == pytest.approx(0.75)
    assert history.backfill.origin.startswith(
        "history: 3 of 4 leavers followed by a start in their team within 180 days"
    )


def test_loaded_cost_by_level_and_location_never_one_person(history) -> None:
    # IC3 Berlin on 2026-12-31: a04-a13 (104000-113000) and b01-b03 (90000, 92000, 94000):
    # the 7th of 13 is 107000 EUR x 1.25 (Berlin) x 1.20 (EUR -> USD in 2026-12) = 160500.
    assert history.hire_cost("IC3", "Berlin").value == pytest.approx(160500)
    assert history.cost[("IC3", "Berlin")].origin == "history: median loaded cost of 13 IC3s in Berlin on 2026-12-31"
    # IC2 New York: c01-c03, median 82000 x 1.1 x 1.2 = 108240; in Lisbon: none, the level's.
    assert history.hire_cost("IC2", "Lisbon").value == pytest.approx(108240)
    assert history.hire_cost("IC2", "Lisbon").origin.endswith("all locations")
    # M1: one person (fewer than min_group_size 2): the organization's median of 17 people, the
    # 9th: IC2 105600, 108240, 110880; IC3 135000, 138000, 141000, 156000, 157500, 159000 ...
    assert ("M1", "Berlin") not in history.cost and "M1" not in history.cost_level
    assert history.hire_cost("M1", "Berlin").value == pytest.approx(159000)
    assert history.hire_cost("M1", "Berlin").origin.endswith("(all levels)")


def test_yearly_raise_and_its_month(history) -> None:
    # 14 people employed on 2025-12-31 and 2026-12-31 at one level: a04-a08 +5 %, a09-a13 +3 %,
    # c01-c03 and m1 0: the median (7th and 8th of 14) is 3 %; the ten raises came in April.
    assert history.yearly_raise.value == pytest.approx(0.03, abs=1e-6)
    assert history.raise_month.value == 4
    assert history.raise_month.origin == "history: 10 of 10 raises were in month 4"


def test_defaults_say_they_are_defaults(history) -> None:
    assert history.ramp.value == 6 and "default" in history.ramp.origin and "3-9 months" in history.ramp.origin
    assert history.mentoring_drag.value == 0.2 and "assumption" in history.mentoring_drag.origin
    assert history.acceptance.value == 1.0 and "already includes declined offers" in history.acceptance.origin


def test_an_organization_without_history_gets_the_defaults(db: Path) -> None:
    with open_warehouse(db) as warehouse:  # a window before any data
        empty = learn(warehouse, Settings(min_group_size=2), date(2019, 6, 30), 6, "USD")
        with pytest.raises(QuarterdeckError, match=r"^no rate from EUR to GBP for 2026-12 .*ingest rates"):
            learn(warehouse, SETTINGS, END, 12, "GBP")
    assert empty.attrition_org.value == 0.13 and empty.attrition_org.origin.startswith("default (no history)")
    assert empty.fill_org.value == (60.0, 0.5) and "60 days" in empty.fill_org.origin
    assert empty.backfill.value == 1.0 and empty.yearly_raise.value == 0.03 and empty.raise_month.value == 1


def test_a_window_starts_no_earlier_than_the_first_people_export(db: Path) -> None:
    with open_warehouse(db) as warehouse:  # 2025-12-02..2026-12-01, the first export is of 2025-12-31
        early = learn(warehouse, SETTINGS, date(2026, 12, 1), 12, "USD")
    assert (early.first, early.last) == (date(2025, 12, 31), date(2026, 12, 1))
    # 2025-12-31 adds one day per person employed then (18); 2026-12-02..31 takes 30 days from
    # the 17 employed then: 6256 + 18 - 510 = 5764 days, the same 4 leavers.
    assert early.attrition_org.value == pytest.approx(4 * 365 / 5764)
    assert early.attrition_org.origin.endswith(", 2025-12..2026-12 (the organization)")


def test_metrics_show_time_to_backfill_agrees_with_the_plan(db: Path, history) -> None:
    config = db.parent / "quarterdeck.toml"
    config.write_text(CONFIG)
    result = run_quarterdeck(
        "--db", str(db), "--config", str(config), "metrics", "show", "time_to_backfill", "--at", "2026-12-31",
        "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)["rows"]
    assert (row["group"], row["leavers"], row["filled"], row["settled_leavers"], row["backfilled"]) == (
        "organization", 4, 3, 4, 3,
    )  # fmt: skip
    assert (row["median_days_to_fill"], row["log_spread"]) == history.fill_org.value == (30, 0.7377)
    assert row["backfill_share"] == history.backfill.value == 0.75


def test_a_level_missing_in_a_location_is_priced_with_the_locations_cost_factor() -> None:
    # least 2. Levels across locations: IC3 median(100, 110, 200, 220) = 155; IC4 median(150,
    # 300, 320) = 300. Berlin's people against their level: 100/155, 110/155, 150/300: median
    # 100/155. IC4 in Berlin has one person (too few): 300 x 100/155 = 193.55, not that
    # person's 150 nor the level's 300. Lisbon has nobody: the level's median.
    history = History(date(2026, 1, 1), date(2026, 12, 31), "USD")
    rows = [("IC3", "Berlin", 100.0), ("IC3", "Berlin", 110.0), ("IC3", "New York", 200.0),
            ("IC3", "New York", 220.0), ("IC4", "Berlin", 150.0), ("IC4", "New York", 300.0),
            ("IC4", "New York", 320.0)]  # fmt: skip
    set_costs(history, rows, 2)
    assert history.cost_location["Berlin"].value == pytest.approx(100 / 155)
    assert history.cost_location["New York"].value == pytest.approx((320 / 300 + 200 / 155) / 2)
    priced = history.hire_cost("IC4", "Berlin")
    assert priced.value == pytest.approx(193.55)
    assert "all locations x Berlin's cost factor 0.645" in priced.origin
    assert history.hire_cost("IC4", "New York").value == 310.0  # its own two people
    assert history.hire_cost("IC4", "Lisbon").value == 300.0


def test_moves_between_teams_per_person_year_of_engineers() -> None:
    """2026: ten IC3 in alpha all year and e01, who moves from alpha to beta on 2026-07-01:
    11 engineer person-years (4,015 days), one move: 365 / 4,015 = 0.0909 a year. Not moves:
    a manager changing team, a rehire into another team after a gap, a move before the window."""

    def period(person, start, end, team, level="IC3", role="engineer", first=date(2020, 1, 1)):
        return Period(person, start, end, team, level, "Berlin", role, 100000.0, first, False)

    year, half, after = date(2026, 1, 1), date(2026, 7, 1), date(2027, 1, 1)
    periods = [period(f"a{i:02}", date(2020, 1, 1), None, "alpha") for i in range(10)]
    periods += [period("e01", year, half, "alpha"), period("e01", half, None, "beta")]
    periods += [
        period("m01", date(2025, 1, 1), half, "alpha", "M1", "manager"),
        period("m01", half, None, "beta", "M1", "manager"),
        period("r01", date(2025, 1, 1), date(2025, 12, 1), "alpha"),
        period("r01", date(2025, 12, 20), date(2025, 12, 31), "beta"),
        period("x01", date(2025, 1, 1), date(2025, 6, 1), "alpha"),
        period("x01", date(2025, 6, 1), date(2025, 12, 31), "beta"),
    ]
    history = History(year, after - timedelta(days=1), "USD")
    learn_mobility(history, sorted(periods, key=lambda p: (p.person_id, p.valid_from)))
    assert history.mobility.value == pytest.approx(365 / 4015)
    assert history.mobility.origin == (
        "history: 1 move between teams over 11 person-years of engineers, 2026-01..2026-12"
    )
    assert History(year, after, "USD").mobility.value == 0.0  # too little history: nobody moves, and it says so
    assert "nobody moves" in History(year, after, "USD").mobility.origin
