"""headcount, seniority_mix, tenure, new_hire_share and cost on the small organization of
tests/orgmetrics.py, every value worked out by hand below (attrition_rate has its own file).

Levels on 2025-06-30 (23 people): IC1 P07 P08 P21 (3); IC2 P09 P10 P11 P16 P17 P22 (6);
IC3 P04 P12 P13 P18 P19 P34 (6); IC4 P14 P20 (2); M1 P05 P06; M2 P03; M3 P02; M4 P01;
no level P15.

Complete months of employment on 2025-06-30 (start + n months on or before the date):

    P16   0 (started that day)     P07, P22  3 (2025-03-01)   P08   5 (2025-01-01)
    P09   6 (2024-12-31 + 6 months is 2025-06-30)             P21   9    P15 11
    P10  12    P11 23    P06 24    P34 27    P17 29    P18 34    P12 41    P04 47
    P03  48    P20 56    P13 64 (2020-02-29)  P05 77    P02 85    P14 93    P19 110   P01 123
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from quarterdeck.core.errors import MetricError
from tests.orgmetrics import AT, by_group, metric, small_org

TENURE = ("headcount", "median_tenure_months", "under_6_months", "months_6_to_12", "years_1_to_2", "years_2_to_4")
COST = ("people_with_cost", "people_without_cost", "annual_cost", "average_annual_cost")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_org(tmp_path_factory)


def test_headcount_by_org_team_and_unit(db: Path) -> None:
    assert by_group(metric(db, "headcount", at=AT), "headcount") == {"organization": 23}
    assert by_group(metric(db, "headcount", at=AT, by="team"), "headcount") == {
        "(no team)": 1,
        "eng": 1,
        "infra": 7,  # P17..P22, P34 (P34 leaves the next day; P33 has left)
        "mobile": 2,  # P06, P16 (started that day)
        "platform": 1,
        "product": 1,
        "web": 10,  # P05, P07..P15
    }
    assert by_group(metric(db, "headcount", at=AT, by="unit"), "headcount") == {
        "(no team)": 1,
        "eng": 22,  # everyone with a team
        "infra": 7,
        "mobile": 2,
        "platform": 8,
        "product": 13,
        "web": 10,
    }
    assert by_group(metric(db, "headcount", at=AT, by="unit", unit="plat"), "headcount") == {
        "infra": 7,
        "platform": 8,
    }


def test_headcount_by_level_hides_small_groups(db: Path) -> None:
    # a level is personal: groups of fewer than 5 show "<5"
    assert by_group(metric(db, "headcount", at=AT, by="level"), "headcount") == {
        "(no level)": "<5",
        "IC1": "<5",
        "IC2": 6,
        "IC3": 6,
        "IC4": "<5",
        "M1": "<5",
        "M2": "<5",
        "M3": "<5",
        "M4": "<5",
    }
    assert by_group(metric(db, "headcount", at=AT, by="level", min_group_size=1), "headcount") == {
        "(no level)": 1,
        "IC1": 3,
        "IC2": 6,
        "IC3": 6,
        "IC4": 2,
        "M1": 2,
        "M2": 1,
        "M3": 1,
        "M4": 1,
    }


def test_headcount_monthly(db: Path) -> None:
    rows = metric(db, "headcount", since=date(2024, 11, 1), until=date(2025, 2, 15))
    assert [(r["date"], r["headcount"]) for r in rows] == [
        # the 20 of the first export but P30 (left 2024-07-01), P09 (not yet) ... :
        # P01..P06, P10..P15, P17..P22, P32, P33, P34
        (date(2024, 11, 30), 21),
        (date(2024, 12, 31), 21),  # P22's last day was 2024-12-30; P09 starts 2024-12-31
        (date(2025, 1, 31), 22),  # P08 started 2025-01-01
        (date(2025, 2, 15), 22),  # --until mid-month is the last date
    ]


def test_dates_before_the_first_export_are_not_measured(db: Path) -> None:
    with pytest.raises(MetricError, match=r"no organization data on 2024-06-29: the first people export .* 2024-06-30"):
        metric(db, "headcount", at=date(2024, 6, 29))
    rows = metric(db, "headcount", since=date(2024, 5, 1), until=date(2024, 7, 31))
    # 2024-05-31 is before the first export (2024-06-30) and has no row; on 2024-07-31
    # P30 has left (2024-07-01) and P15 has started (2024-07-01)
    assert [(r["date"], r["headcount"]) for r in rows] == [(date(2024, 6, 30), 20), (date(2024, 7, 31), 20)]


def test_seniority_mix(db: Path) -> None:
    rows = metric(db, "seniority_mix", at=AT)
    assert [(r["level"], r["people"], r["share"]) for r in rows] == [
        ("IC1", 3, 0.1304),  # 3 / 23
        ("IC2", 6, 0.2609),  # 6 / 23
        ("IC3", 6, 0.2609),
        ("IC4", 2, 0.087),  # 2 / 23
        ("M1", 2, 0.087),
        ("M2", 1, 0.0435),  # 1 / 23
        ("M3", 1, 0.0435),
        ("M4", 1, 0.0435),
        ("(no level)", 1, 0.0435),
    ]
    assert {r["headcount"] for r in rows} == {23}


def test_seniority_mix_lists_every_level_in_every_group(db: Path) -> None:
    rows = metric(db, "seniority_mix", at=AT, by="team", unit="product")
    web = [(r["level"], r["people"], r["share"]) for r in rows if r["group"] == "web"]
    # web (10): P07 P08 IC1, P09 P10 P11 IC2, P12 P13 IC3, P14 IC4, P05 M1, P15 no level
    assert web == [
        ("IC1", 2, 0.2),
        ("IC2", 3, 0.3),
        ("IC3", 2, 0.2),
        ("IC4", 1, 0.1),
        ("M1", 1, 0.1),
        ("M2", 0, 0.0),
        ("M3", 0, 0.0),
        ("M4", 0, 0.0),
        ("(no level)", 1, 0.1),
    ]
    # a group of fewer than 5 has a row for every level too, and shows none of its counts
    mobile = [(r["headcount"], r["level"], r["people"], r["share"]) for r in rows if r["group"] == "mobile"]
    assert mobile == [(2, level, "<5", "<5") for level, *_ in web]
    assert [r["people"] for r in rows if r["group"] == "product"] == ["<5"] * 9


def test_tenure(db: Path) -> None:
    # 23 values: the 12th is 29 (P17); bands under 6: P16 P07 P22 P08; 6-12: P09 P21 P15;
    # 1-2 years: P10 P11; 2-4 years: P06 P34 P17 P18 P12 P04; 4+: the other 8
    rows = metric(db, "tenure", at=AT)
    assert by_group(rows, *TENURE, "years_4_plus") == {"organization": (23, 29.0, 4, 3, 2, 6, 8)}
    # web (10): 3 5 6 11 12 23 41 64 77 93: median (12 + 23) / 2 = 17.5
    assert by_group(metric(db, "tenure", at=AT, by="team", unit="web"), *TENURE, "years_4_plus") == {
        "web": (10, 17.5, 2, 2, 2, 1, 3)
    }


def test_tenure_of_a_small_group_is_hidden(db: Path) -> None:
    # infra (7): P21 9, P22 3 (rehired: counted from its new start), P34 27, P17 29, P18 34,
    # P20 56, P19 110 -> median 29; platform (1) is hidden
    rows = by_group(metric(db, "tenure", at=AT, by="team", unit="plat"), *TENURE, "years_4_plus")
    # infra is the only other group of the unit: its values would give platform's back from
    # the unit's, so they are hidden too (with any minimum: platform is one person)
    assert rows == {"infra": (7, *["<5"] * 6), "platform": (1, *["<5"] * 6)}
    shown = metric(db, "tenure", at=AT, by="team", min_group_size=2)
    assert by_group(shown, *TENURE, "years_4_plus")["infra"] == (7, 29.0, 1, 1, 0, 3, 2)


def test_new_hire_share(db: Path) -> None:
    # started less than 6 complete months before 2025-06-30: P16, P07, P22, P08 -> 4 / 23;
    # P09 (2024-12-31) has exactly 6 months and is no new hire
    assert by_group(metric(db, "new_hire_share", at=AT), "headcount", "new_hires", "new_hire_share") == {
        "organization": (23, 4, 0.1739)
    }
    teams = by_group(metric(db, "new_hire_share", at=AT, by="team"), "headcount", "new_hires", "new_hire_share")
    assert teams["web"] == (10, 2, 0.2)  # P07, P08
    assert teams["infra"] == (7, 1, 0.1429)  # P22, 1 / 7
    assert teams["mobile"] == (2, "<5", "<5")


def test_new_hires_a_day_apart(db: Path) -> None:
    # on 2025-06-30 P09 (2024-12-31) has 6 months; a day earlier, 2025-06-29, it has 5 (and
    # P16 has not started): P07, P08, P09, P22 -> 4 / 22
    assert by_group(metric(db, "new_hire_share", at=date(2025, 6, 29)), "headcount", "new_hires") == {
        "organization": (22, 4)
    }


def test_cost(db: Path) -> None:
    # 250 + 200 + 170 + 2 x 150 + 2 x 140 + 5 x 120 (IC3 but P04) + 6 x 100 + 3 x 80 + 90
    # = 2,730 thousand over 22 people (P04 has no cost): 124,090.91
    assert by_group(metric(db, "cost", at=AT), *COST) == {"organization": (22, 1, Decimal("2730000.00"), 124090.91)}
    units = by_group(metric(db, "cost", at=AT, by="unit"), *COST)
    # web: 150 + 80 + 80 + 3 x 100 + 2 x 120 + 140 + 90 = 1,080 thousand / 10
    assert units["web"] == (10, 0, Decimal("1080000.00"), 108000.0)
    # platform: P03 170 + infra (100 + 120 + 120 + 140 + 80 + 100 + 120 = 780) = 950 / 8
    assert units["platform"] == (8, 0, Decimal("950000.00"), 118750.0)
    # mobile: 2 people with a cost: hidden; (no team): P04 without cost, nobody with one
    assert units["mobile"] == (2, "<5", "<5", "<5")
    assert units["(no team)"] == (0, "<5", "<5", "<5")


def test_cost_on_an_earlier_date(db: Path) -> None:
    # 2024-12-31: eng 250, product 200, platform 170, web 150 + P09..P14 (100 x 3 + 120 x 2
    # + 140) + P15 90, mobile 150, infra 100 + 120 + 120 + 140 + 80 + 3 x 120 = 920
    # -> 250 + 200 + 170 + 920 + 150 + 920 = 2,610 thousand / 20
    assert by_group(metric(db, "cost", at=date(2024, 12, 31)), *COST) == {
        "organization": (20, 1, Decimal("2610000.00"), 130500.0)
    }
