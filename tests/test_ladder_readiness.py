"""Readiness, time in level, promotions and calibration: golden values computed by hand, on
a real warehouse holding two HR snapshots (2025-06-30, 2026-06-30) and the test ladder.

The people (ladder levels through hr_levels L3: IC2, L4: IC3; EM1 is its own id):
- E1 IC2 since 2024-01-01; Craft 2 (2025-12-31) then 3 (2026-06-30), Delivery 2, Mentoring 2.
- E2 IC2 (L3) in 2025, IC3 (L4) from the 2026-06-30 snapshot: a promotion; rated 4, 4, 3.
- E3 IC3, started 2025-01-01, never assessed.   E4 EM1 (top of the manager track).
- E5 IC2, in the 2025 snapshot only: left (on 2026-06-30, the first snapshot without them).
- E6 IC3, rated 3, 4, 2 on one day.   E7, E8 IC3 in payments, rated 2, 2, 2 and 3, 3, 3.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.ladder_files import LADDER, PEOPLE_HEADER
from tests.money_files import warehouse_with_org, write


def line(n: int, level: str, start: str = "2024-01-01", team: str = "platform") -> str:
    return f"E{n},Person {n},e{n}@example.com,Engineer,{level},engineer,,{team},Berlin,full-time,{start},,100000\n"


COMMON = line(1, "L3") + line(3, "L4", "2025-01-01") + line(4, "EM1") + line(6, "L4")
COMMON += line(7, "L4", team="payments") + line(8, "L4", team="payments")
PEOPLE_2025 = PEOPLE_HEADER + COMMON + line(2, "L3") + line(5, "L3")
PEOPLE_2026 = PEOPLE_HEADER + COMMON + line(2, "L4")
ASSESSMENTS = """person,competency,rating,date,assessor
E1,Craft,2,2025-12-31,Lead
E1,Delivery,2,2025-12-31,Lead
E1,Craft,3,2026-06-30,Lead
E1,Mentoring,2,2026-06-30,Lead
E2,Craft,4,2026-06-30,Lead
E2,Delivery,4,2026-06-30,Lead
E2,Mentoring,3,2026-06-30,Lead
E6,Craft,3,2026-06-30,Lead
E6,Delivery,4,2026-06-30,Lead
E6,Mentoring,2,2026-06-30,Lead
E7,Craft,2,2026-06-30,Lead
E7,Delivery,2,2026-06-30,Lead
E7,Mentoring,2,2026-06-30,Lead
E8,Craft,3,2026-06-30,Lead
E8,Delivery,3,2026-06-30,Lead
E8,Mentoring,3,2026-06-30,Lead
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readiness")
    path = warehouse_with_org(folder)
    for day, people in (("2025-06-30", PEOPLE_2025), ("2026-06-30", PEOPLE_2026)):
        done = run_quarterdeck("--db", str(path), "ingest", "org", str(write(folder, f"people-{day}.csv", people)))
        assert done.returncode == 0, done.stderr
    for command, file, text in (("ladder", "ladder.yaml", LADDER), ("assessments", "a.csv", ASSESSMENTS)):
        done = run_quarterdeck("ingest", command, str(write(folder, file, text)), "--db", str(path))
        assert done.returncode == 0, done.stderr
    return path


def ladder_json(db: Path, *args: str, least: str = "2") -> dict:
    env = {"QUARTERDECK_MIN_GROUP_SIZE": least}
    result = run_quarterdeck("ladder", *args, "--format", "json", "--db", str(db), env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_readiness_time_in_level_and_the_pipeline_by_hand(db: Path) -> None:
    rows = ladder_json(db, "readiness", "--at", "2026-09-30")["rows"]
    got = {r["person_id"]: tuple(r.values())[1:] for r in rows}
    assert set(got) == {"E1", "E2", "E3", "E4", "E6", "E7", "E8"}  # E5 left
    # E1: 2024-01-01 .. 2026-09-30 = 1003 days = 32.95 months of 30.4375 days. Next IC3
    # expects Craft 3, Delivery 3, Mentoring 2: Craft 3 and Mentoring 2 meet, Delivery 2 does
    # not (gap 1). Pace: Craft gained 1 in 181 days (5.95 months): 0.168 a month; the gap of
    # 1 closes in 5.95 months: within 6 months.
    assert got["E1"] == ("platform", "IC2", "IC3", "2024-01-01", 33.0, 2, 3, 0.6667, "within 6 months", 5.9)
    # E2: IC3 since the snapshot of 2026-06-30 (the run at IC2 before it does not count):
    # 92 days = 3.02 months; IC4 expects 4, 4, 3: all met.
    assert got["E2"] == ("platform", "IC3", "IC4", "2026-06-30", 3.0, 3, 3, 1.0, "ready now", 0.0)
    # E3: 2025-01-01 .. 2026-09-30 = 637 days = 20.93 months; no assessment.
    assert got["E3"] == ("platform", "IC3", "IC4", "2025-01-01", 20.9, 0, 3, None, "not assessed", None)
    assert got["E4"] == ("platform", "EM1", None, "2024-01-01", 33.0, 0, 0, None, "top of track", None)
    # E6: 3, 4, 2 against 4, 4, 3: only Delivery meets; rated on one day: no pace, no estimate.
    assert got["E6"] == ("platform", "IC3", "IC4", "2024-01-01", 33.0, 1, 3, 0.3333, "unknown", None)
    assert got["E7"][5:9] == (0, 3, 0.0, "unknown") and got["E8"][5:9] == (1, 3, 0.3333, "unknown")


def test_readiness_on_a_day_before_the_promotion_counts_the_run_at_the_level_before(db: Path) -> None:
    rows = ladder_json(db, "readiness", "--at", "2026-03-31")["rows"]
    e2 = next(r for r in rows if r["person_id"] == "E2")
    # IC2 from 2024-01-01 to 2026-03-31: 820 days = 26.94 months; no rating yet on that day.
    assert (e2["level"], e2["in_level_since"], e2["months_in_level"], e2["pipeline"]) == (
        "IC2", "2024-01-01", 26.9, "not assessed")  # fmt: skip
    assert "E5" in {r["person_id"] for r in rows}  # still employed then


def test_promotion_rates_and_time_to_promotion_by_level_and_team(db: Path) -> None:
    shown = ladder_json(db, "promotions", "--at", "2026-09-30", "--since", "2025-09-30")
    rows = {(r["level"], r["team_id"]): tuple(r.values())[2:] for r in shown["rows"]}
    # The window 2025-09-30 .. 2026-09-30 (366 days). IC2: E1 366 days, E2 273 (to its
    # promotion on 2026-06-30), E5 273 (to leaving): 912 days = 2.497 person-years; one
    # promotion (E2, after 911 days = 29.9 months at IC2): 0.4 a person-year.
    assert rows[("IC2", "platform")] == (3, 2.5, 1, 0.4, 29.9)
    assert rows[("IC2", "(all teams)")] == (3, 2.5, 1, 0.4, 29.9)
    # IC3 platform: E2 93 days, E3 366, E6 366 = 825 days = 2.26 years; payments: E7, E8 732
    # days = 2.0 years; no promotion out of IC3.
    assert rows[("IC3", "platform")] == (3, 2.26, 0, 0.0, None)
    assert rows[("IC3", "payments")] == (2, 2.0, 0, 0.0, None)
    assert rows[("IC3", "(all teams)")] == (5, 4.26, 0, 0.0, None)
    # EM1: one person, under the minimum group size of 2: hidden, for the team and the level.
    assert rows[("EM1", "platform")] == (None,) * 5 and rows[("EM1", "(all teams)")] == (None,) * 5


def test_a_team_under_the_minimum_hides_another_so_it_cannot_be_read_by_difference(db: Path) -> None:
    shown = ladder_json(db, "promotions", "--at", "2026-09-30", "--since", "2025-09-30", least="3")
    rows = {(r["level"], r["team_id"]): r["people"] for r in shown["rows"]}
    # payments (2 people) is under 3; platform (3) alone would give payments as all minus it.
    assert rows[("IC3", "payments")] is None and rows[("IC3", "platform")] is None
    assert rows[("IC3", "(all teams)")] == 5 and rows[("IC2", "platform")] == 3


def test_calibration_drift_is_a_teams_mean_against_the_organizations_at_the_level(db: Path) -> None:
    shown = ladder_json(db, "promotions", "--view", "calibration", "--at", "2026-09-30")
    rows = {(r["level"], r["team_id"]): tuple(r.values())[2:] for r in shown["rows"]}
    # IC3 platform: E2 4,4,3 and E6 3,4,2 = 20/6 = 3.333; payments: E7 2,2,2, E8 3,3,3 =
    # 15/6 = 2.5; the organization at IC3: 35/12 = 2.917.
    assert rows[("IC3", "platform")] == (2, 3.333, 2.917, 0.416, {"2": 1, "3": 2, "4": 3})
    assert rows[("IC3", "payments")] == (2, 2.5, 2.917, -0.417, {"2": 3, "3": 3})
    assert rows[("IC2", "platform")] == (None,) * 5  # E1 alone


def test_an_hr_level_the_ladder_lacks_stops_readiness_naming_who_and_since(tmp_path: Path) -> None:
    path = warehouse_with_org(tmp_path)
    done = run_quarterdeck("--db", str(path), "ingest", "org", str(write(tmp_path, "people-2026-06-30.csv",
                           PEOPLE_HEADER + line(1, "L3") + line(2, "Senior"))))  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = run_quarterdeck("ladder", "readiness", "--db", str(path))
    assert result.returncode == 2
    expected = (
        "HR level(s) the ladder (default engineering ladder (built in)) lacks: "
        "L3 (person_periods: E1 from 2024-01-01); Senior (person_periods: E2 from 2024-01-01)"
    )
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_the_run_at_a_level_survives_a_team_change_but_not_a_gap_in_employment() -> None:
    from datetime import date

    from quarterdeck.metrics.readiness import Period, current_run

    d = date
    # IC3 in team a, then IC3 in team b (contiguous): one run from 2024-01-01.
    moved = [Period(d(2024, 1, 1), d(2025, 1, 1), "a", "IC3"), Period(d(2025, 1, 1), None, "b", "IC3")]
    assert current_run(moved, d(2026, 1, 1)) == (moved[1], d(2024, 1, 1))
    # left on 2025-01-01, rehired on 2025-03-01 at the same level: the run starts again.
    rehired = [Period(d(2024, 1, 1), d(2025, 1, 1), "a", "IC3"), Period(d(2025, 3, 1), None, "a", "IC3")]
    assert current_run(rehired, d(2026, 1, 1)) == (rehired[1], d(2025, 3, 1))
    # IC2 then IC3: the run at IC3 starts with the promotion; before it, the run at IC2.
    promoted = [Period(d(2024, 1, 1), d(2025, 6, 30), "a", "IC2"), Period(d(2025, 6, 30), None, "a", "IC3")]
    assert current_run(promoted, d(2026, 1, 1)) == (promoted[1], d(2025, 6, 30))
    assert current_run(promoted, d(2025, 6, 29)) == (promoted[0], d(2024, 1, 1))
    assert current_run(rehired, d(2025, 2, 1)) is None  # not employed that day
