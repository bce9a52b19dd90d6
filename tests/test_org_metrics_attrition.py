"""attrition_rate on the small organization of tests/orgmetrics.py, worked out by hand.

--at 2025-06-30 measures the 365 days 2024-07-01 .. 2025-06-30. Leavers (last day in it):

    P30  2024-07-01  the window's first day        web     regretted
    P22  2024-12-30  inferred (absent 2024-12-31)  infra   regret unknown; rehired 2025-03-01
    P32  2025-03-15                                infra   not regretted
    P33  2025-05-20  moved web -> infra 2024-12-31 infra   regret unknown (not exported)
    not: P34, whose last day 2025-07-01 is the day after the window

Days employed in the window (person-days): 365 for each of the 17 people employed
throughout (P01..P06, P10..P15, P17..P20, P34; P15 started on 2024-07-01), and

    P07 122 (from 2025-03-01)   P08 181 (from 2025-01-01)   P09 182 (from 2024-12-31)
    P16 1 (2025-06-30)          P21 289 (from 2024-09-15)   P30 1
    P22 183 (2024-07-01 .. 2024-12-30) + 122 (2025-03-01 .. 2025-06-30) = 305
    P32 258 (.. 2025-03-15)     P33 183 on web + 141 on infra (2024-12-31 .. 2025-05-20) = 324

    17 x 365 = 6,205; + 122 + 181 + 182 + 1 + 289 + 1 + 305 + 258 + 324 = 7,868
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.orgmetrics import AT, HEADER, metric, small_org

COLUMNS = (
    "window_start",
    "days",
    "people",
    "person_days",
    "average_headcount",
    "leavers",
    "regretted_leavers",
    "non_regretted_leavers",
    "unknown_regret_leavers",
    "leavers_end_inferred",
    "attrition_rate",
    "regretted_rate",
    "non_regretted_rate",
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_org(tmp_path_factory)


def attrition(db: Path, **query: object) -> dict[tuple[date, str], tuple[object, ...]]:
    rows = metric(db, "attrition_rate", **query)
    return {(r["date"], r["group"]): tuple(r[c] for c in COLUMNS) for r in rows}


def test_attrition_over_the_year_to_a_date(db: Path) -> None:
    assert attrition(db, at=AT) == {
        (AT, "organization"): (
            date(2024, 7, 1),
            365,
            26,  # everyone employed at some time in the window (P22 once)
            7868,
            21.56,  # 7,868 / 365
            4,
            1,  # P30
            1,  # P32
            2,  # P22, P33
            1,  # P22
            0.1856,  # 4 x 365 / 7,868 = 0.18556
            0.0464,  # 365 / 7,868
            0.0464,
        )
    }


def test_leavers_count_in_the_team_of_their_last_day(db: Path) -> None:
    rows = attrition(db, at=AT, by="team", min_group_size=1)
    # web: P05, P10..P15 365 each (2,555) + P07 122 + P08 181 + P09 182 + P30 1 + P33 183
    # = 3,224 over 12 people; 1 leaver (P30): 365 / 3,224
    assert rows[(AT, "web")] == (date(2024, 7, 1), 365, 12, 3224, 8.83, 1, 1, 0, 0, 0, 0.1132, 0.1132, 0.0)
    # infra: P17..P20, P34 365 each (1,825) + P21 289 + P22 305 + P32 258 + P33 141 = 2,818
    # over 9 people; leavers P22, P32 and P33 (whose last day was on infra): 3 x 365 / 2,818
    assert rows[(AT, "infra")] == (date(2024, 7, 1), 365, 9, 2818, 7.72, 3, 0, 1, 2, 1, 0.3886, 0.0, 0.1295)
    # mobile: P06 365 + P16 1
    assert rows[(AT, "mobile")] == (date(2024, 7, 1), 365, 2, 366, 1.0, 0, 0, 0, 0, 0, 0.0, 0.0, 0.0)


def test_attrition_by_unit_and_within_a_unit(db: Path) -> None:
    units = attrition(db, at=AT, by="unit", unit="plat")
    # platform: P03 365 + infra 2,818 = 3,183 over 10 people; 3 x 365 / 3,183
    assert units == {
        (AT, "infra"): (date(2024, 7, 1), 365, 9, 2818, 7.72, 3, 0, 1, 2, 1, 0.3886, 0.0, 0.1295),
        (AT, "platform"): (date(2024, 7, 1), 365, 10, 3183, 8.72, 3, 0, 1, 2, 1, 0.344, 0.0, 0.1147),
    }
    # --unit web --by team: P33's days on web count, but P33 left from infra
    web = attrition(db, at=AT, by="team", unit="web")
    assert web[(AT, "web")][2:6] == (12, 3224, 8.83, 1)


def test_a_small_group_shows_no_attrition(db: Path) -> None:
    rows = attrition(db, at=AT, by="team")
    assert rows[(AT, "mobile")] == (date(2024, 7, 1), 365, 2, *["<5"] * 10)
    # by a personal attribute the number of people is hidden too: 3 in Lisbon (P16, P17, P18)
    lisbon = attrition(db, at=AT, by="location")[(AT, "Lisbon")]
    assert lisbon == (date(2024, 7, 1), 365, *["<5"] * 11)


def test_the_window_starts_at_the_first_export(db: Path) -> None:
    # --at 2024-12-31 would measure from 2024-01-02; the first export is of 2024-06-30, so
    # the window is 2024-06-30 .. 2024-12-31: 185 days (1 + 31 + 31 + 30 + 31 + 30 + 31)
    # leavers P30 (2024-07-01, regretted) and P22 (2024-12-30, inferred); employed all 185
    # days: P01..P06, P10..P14, P17..P20, P32, P33, P34 (18 x 185 = 3,330); P09 1, P15 184,
    # P21 108 (16 + 31 + 30 + 31), P22 184, P30 2: 3,809 person-days, 23 people
    assert attrition(db, at=date(2024, 12, 31)) == {
        (date(2024, 12, 31), "organization"): (
            date(2024, 6, 30),
            185,
            23,
            3809,
            20.59,  # 3,809 / 185
            2,
            1,
            0,
            1,
            1,
            0.1917,  # 2 x 365 / 3,809
            0.0958,
            0.0,
        )
    }


def test_attrition_per_month(db: Path) -> None:
    rows = attrition(db, since=date(2024, 6, 1), until=date(2024, 7, 31))
    assert rows == {
        # June is measured from the first export, 2024-06-30: one day, 20 people, no leaver
        (date(2024, 6, 30), "organization"): (date(2024, 6, 30), 1, 20, 20, 20.0, 0, 0, 0, 0, 0, 0.0, 0.0, 0.0),
        # July: 21 people on 2024-07-01 (P15 starts, P30's last day), then 20 for 30 days:
        # 21 + 600 = 621; P30 leaves: 365 / 621
        (date(2024, 7, 31), "organization"): (
            date(2024, 7, 1),
            31,
            21,
            621,
            20.03,
            1,
            1,
            0,
            0,
            0,
            0.5878,
            0.5878,
            0.0,
        ),
    }


def test_attrition_in_a_month_cut_by_since(db: Path) -> None:
    rows = attrition(db, since=date(2025, 4, 15), until=date(2025, 5, 31))
    # 2025-04-15 .. 2025-04-30: 16 days; the 22 employed on 2025-06-30 but P16 and P33 -> 23 x 16
    assert rows[(date(2025, 4, 30), "organization")][:6] == (date(2025, 4, 15), 16, 23, 368, 23.0, 0)
    # May: 22 x 31 + P33 20 days (2025-05-01 .. 2025-05-20) = 702; P33 leaves: 365 / 702
    assert rows[(date(2025, 5, 31), "organization")] == (
        date(2025, 5, 1),
        31,
        23,
        702,
        22.65,
        1,
        0,
        0,
        1,
        0,
        0.5199,
        0.0,
        0.0,
    )


def test_a_rehire_who_leaves_twice_counts_twice(tmp_path: Path) -> None:
    # R leaves 2025-02-10, comes back 2025-03-01 and leaves again 2025-04-10; 4 others stay
    stay = "\n".join(f"S{i},S{i},,IC2,,t,,full-time,2020-01-01,,," for i in range(1, 5))
    files = {
        "people-2025-01-31.csv": f"{stay}\nR,R,,IC2,,t,,full-time,2020-01-01,2025-02-10,,yes",
        "people-2025-03-31.csv": f"{stay}\nR,R,,IC2,,t,,full-time,2025-03-01,2025-04-10,,no",
        "people-2025-04-30.csv": stay,
    }
    for name, text in files.items():
        (tmp_path / name).write_text(HEADER + "\n" + text + "\n", encoding="utf-8")
    db = tmp_path / "rehire.duckdb"
    result = run_quarterdeck("--db", str(db), "ingest", "org", *(str(tmp_path / n) for n in files))
    assert result.returncode == 0, result.stderr
    # --at 2025-04-30: the window starts at the first export, 2025-01-31 (90 days); S1..S4
    # 4 x 90 = 360 person-days, R 2025-01-31 .. 2025-02-10 (11) and 2025-03-01 .. 2025-04-10
    # (41): 412; R leaves twice, once regretted and once not: 2 x 365 / 412 = 1.7718
    assert attrition(db, at=date(2025, 4, 30)) == {
        (date(2025, 4, 30), "organization"): (
            date(2025, 1, 31),
            90,
            5,
            412,
            4.58,
            2,
            1,
            1,
            0,
            0,
            1.7718,
            0.8859,
            0.8859,
        )
    }
    rows = attrition(db, since=date(2025, 2, 1), until=date(2025, 4, 30))
    assert [rows[(day, "organization")][5:8] for day in (date(2025, 2, 28), date(2025, 3, 31))] == [
        (1, 1, 0),  # February: R leaves, regretted
        (0, 0, 0),
    ]
    # April: 4 x 30 + R 10 days = 130 person-days; R leaves again, not regretted: 365 / 130
    assert rows[(date(2025, 4, 30), "organization")][3:8] == (130, 4.33, 1, 0, 1)
    assert rows[(date(2025, 4, 30), "organization")][10] == 2.8077
