"""Talent gaps (planning.gaps): a hand-built plan and projection (their arrays set by hand:
test data), with every gap and option worked out by hand below; and the inventory read from
a real warehouse.

The plan starts 2027-01-01 for four quarters. Seats (team, level, person, cost, hire cost):

    0 payments IC3 A  100000 110000     4 payments IC3 (planned)  110000
    1 payments IC3 B   90000 110000     5 search   IC5 E  200000 210000
    2 payments IC4 C  150000 160000     6 search   IC4 F  140000 150000
    3 payments M1  D  170000 180000     7 search   IC3 G  100000 120000
      (manager)

Time to fill: IC3 91.3125 days (3.0 months of 30.4375 days), IC4 182.625 (6.0), M1 121.75 (4.0).
Skills: A kotlin 4, B kotlin 3, C kotlin 2 and go 5, E kotlin 5. Months in level: A 14, B 5,
C 30, E 20, F 13, G 2.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from quarterdeck.core.errors import ConfigError
from quarterdeck.planning.gap_options import Inventory, Option, QuarterGap
from quarterdeck.planning.gaps import talent_gaps
from quarterdeck.planning.gaps_data import load_inventory
from quarterdeck.planning.model import LevelAssumptions, PlanInput, Projection, Seat
from quarterdeck.planning.needs import ManagerNeed, Needs, SeniorityNeed, SkillNeed, Where
from quarterdeck.store import open_warehouse
from tests.conftest import run_quarterdeck
from tests.money_files import warehouse_with_org, write

FILE = "plan.yaml"
ATTRITION = (0.1, 0.1, 0.1)
LEVELS = {
    "IC3": LevelAssumptions(ATTRITION, fill_days=91.3125),
    "IC4": LevelAssumptions(ATTRITION, fill_days=182.625),
    "IC5": LevelAssumptions(ATTRITION, fill_days=182.625),
    "M1": LevelAssumptions(ATTRITION, fill_days=121.75),
}
SEATS = (
    Seat("payments", "IC3", 110000, 100000, tenure=20, person="A"),
    Seat("payments", "IC3", 110000, 90000, tenure=30, person="B"),
    Seat("payments", "IC4", 160000, 150000, tenure=40, person="C"),
    Seat("payments", "M1", 180000, 170000, tenure=50, person="D", role="manager", capacity=0),
    Seat("payments", "IC3", 110000, kind="planned"),
    Seat("search", "IC5", 210000, 200000, tenure=60, person="E"),
    Seat("search", "IC4", 150000, 140000, tenure=15, person="F"),
    Seat("search", "IC3", 120000, 100000, tenure=8, person="G"),
)
PLAN = PlanInput(
    start=date(2027, 1, 1),
    months=12,
    levels=LEVELS,
    seats=SEATS,
    groups={"org": ("payments", "search"), "product": ("payments", "search")},
)
#: occupied[q, seat] and staying[q, seat], by hand (a projection's shares of draws).
OCCUPIED = np.array([
    [1.0, 1, 1, 1, 0.0, 1, 0.5, 1],
    [0.9, 1, 1, 1, 0.5, 1, 0.5, 1],
    [0.8, 1, 1, 1, 1.0, 1, 0.5, 1],
    [0.7, 1, 1, 1, 1.0, 1, 0.5, 1],
])  # fmt: skip
STAYING = np.where(np.arange(8) == 4, 0.0, OCCUPIED)  # the planned seat had nobody at the start
INVENTORY = Inventory(
    skills={"A": {"kotlin": 4}, "B": {"kotlin": 3}, "C": {"kotlin": 2, "go": 5}, "E": {"kotlin": 5}},
    months_in_level={"A": 14, "B": 5, "C": 30, "E": 20, "F": 13, "G": 2},
)


def projection() -> Projection:
    return Projection(PLAN, 1000, 7, {}, {}, OCCUPIED, STAYING)


def gaps_of(needs: Needs, aliases=None):
    return talent_gaps(PLAN, projection(), needs, INVENTORY, aliases or {}).gaps


def test_a_skill_gap_counts_the_holders_times_their_chance_of_staying_with_hire_and_train() -> None:
    # payments holds Kotlin at 4+: A only (E is in search); A stays 0.9, 0.8, 0.7 from 2027Q2.
    need = SkillNeed("payments", "Kotlin", 4, 2, (2027, 2), Where(FILE, 7))
    (gap,) = gaps_of(Needs(skills=(need,)))
    assert (gap.kind, gap.group, gap.what) == ("skill", "payments", "2 with Kotlin at level 4 or above")
    assert gap.quarters == (
        QuarterGap(1, "2027Q2", 2.0, 0.9),
        QuarterGap(2, "2027Q3", 2.0, 0.8),
        QuarterGap(3, "2027Q4", 2.0, 0.7),
    )
    assert [q.gap for q in gap.quarters] == pytest.approx([1.1, 1.2, 1.3])
    assert gap.needed_quarter == 1
    hire, train = gap.options
    # two hires (the largest gap, 1.3) at payments' most common engineer level, IC3: 3 months
    # to fill, ready in the first quarter; 2 x 110000 a year.
    assert hire == Option("hire", 2, pytest.approx(3.0), 220000, "per year", 0, True,
                          note="at IC3: time to fill 91.3125 days")  # fmt: skip
    # B (kotlin 3: one step, 6 months, at an IC3 hire's 110000 (not B's own 90000): 110000 / 12
    # x 6 x 20 % = 11000) and C (kotlin 2: two steps, 12 months, at an IC4 hire's 160000:
    # 160000 / 12 x 12 x 20 % = 32000); D is a manager: ready in 2027Q4, too late.
    assert train == Option("train", 2, 12.0, pytest.approx(43000), "once", 3, False, ("B", "C"),
                           "6 months per level step")  # fmt: skip


def test_a_skill_held_by_enough_people_who_stay_is_no_gap_and_needs_no_option() -> None:
    (gap,) = gaps_of(Needs(skills=(SkillNeed("Payments", "Go", 5, 1, None, Where(FILE, 3)),)))
    assert [(q.label, q.needed, q.supply, q.gap) for q in gap.quarters] == [
        ("2027Q1", 1.0, 1.0, 0.0), ("2027Q2", 1.0, 1.0, 0.0), ("2027Q3", 1.0, 1.0, 0.0), ("2027Q4", 1.0, 1.0, 0.0)
    ]  # fmt: skip
    assert gap.options == () and gap.needed_quarter is None and gap.largest == 0


def test_a_seniority_gap_sizes_hires_and_promotions_differently() -> None:
    # IC people of the org (seats 0,1,2,4,5,6,7): 5.5, 5.9, 6.3, 6.2; at IC4+ (2,5,6): 2.5 each.
    (gap,) = gaps_of(Needs(seniority=(SeniorityNeed("org", "IC4", 0.5, None, Where(FILE, 9)),)))
    assert [q.needed for q in gap.quarters] == pytest.approx([2.75, 2.95, 3.15, 3.1])
    assert [q.supply for q in gap.quarters] == [2.5, 2.5, 2.5, 2.5]
    assert gap.what == "50% of the IC people at IC4 or above" and gap.needed_quarter == 0
    hire, promote = gap.options
    # hires at IC4 raise the total too: 0.65 / (1 - 0.5) = 1.3 -> 2, at the median IC4 hire
    # cost of the org (160000, 150000: 155000), 6 months to fill: ready in 2027Q2, too late.
    assert hire == Option("hire", 2, pytest.approx(6.0), 310000, "per year", 1, False,
                          note="at IC4: time to fill 182.625 days")  # fmt: skip
    # one promotion (0.65 -> 1) from IC3: A has 14 months in level (ready now), B 5, G 2; the
    # raise is 155000 - 110000 (the median IC3 hire cost of 110000 x 3 and 120000).
    assert promote == Option("promote", 1, 0.0, 45000, "per year", 0, True, ("A",),
                             "from IC3, after 12 months in level")  # fmt: skip


def test_a_manager_ratio_gap_offers_a_manager_hire_and_a_promotion_of_a_senior_engineer() -> None:
    # payments' engineers (seats 0,1,2,4) in 2027Q3: 3.8, 2027Q4: 3.7; at most 2 per manager:
    # 1.9 and 1.85 managers wanted, one (D) there.
    need = ManagerNeed("payments", 2, (2027, 3), Where(FILE, 11), promote_from="IC4")
    (gap,) = gaps_of(Needs(managers=(need,)))
    assert [q.label for q in gap.quarters] == ["2027Q3", "2027Q4"]
    assert [q.needed for q in gap.quarters] == pytest.approx([1.9, 1.85])
    assert [q.supply for q in gap.quarters] == [1.0, 1.0]
    hire, promote = gap.options
    assert hire == Option("hire", 1, pytest.approx(4.0), 180000, "per year", 1, True,
                          note="at M1: time to fill 121.75 days")  # fmt: skip
    # a promoted engineer is one fewer: 0.9 x 2 / 3 = 0.6 -> 1; C (IC4, 30 months); raise 180000 - 160000.
    assert promote == Option("promote", 1, 0.0, 20000, "per year", 0, True, ("C",),
                             "engineers at IC4+, after 12 months in level")  # fmt: skip


def test_too_few_people_to_train_or_promote_does_not_close_the_gap() -> None:
    # search needs 4 at Kotlin 5: E holds it (stays 1.0); 3 short; F and G can train (5 steps
    # each, 30 months), one person missing.
    (gap,) = gaps_of(Needs(skills=(SkillNeed("search", "Kotlin", 5, 4, None, Where(FILE, 3)),)))
    train = gap.options[1]
    assert (train.count, train.people, train.months, train.closes) == (3, ("F", "G"), 30.0, False)
    assert train.note == "6 months per level step; only 2"


def test_a_team_is_found_by_an_alias_and_an_unknown_one_or_a_quarter_outside_the_plan_is_named() -> None:
    need = SkillNeed("pay-team", "Go", 5, 1, None, Where(FILE, 3))
    assert gaps_of(Needs(skills=(need,)), {"pay-team": "payments"})[0].group == "payments"
    with pytest.raises(ConfigError, match=r"^plan.yaml:3: unknown team 'growth': the plan's teams and groups are"):
        gaps_of(Needs(skills=(SkillNeed("growth", "Go", 5, 1, None, Where(FILE, 3)),)))
    with pytest.raises(ConfigError, match=r"^plan.yaml:4: by 2028Q1 is outside the plan's quarters, 2027Q1 to 2027Q4"):
        gaps_of(Needs(seniority=(SeniorityNeed("org", "IC4", 0.5, (2028, 1), Where(FILE, 4)),)))


PEOPLE_HEADER = (
    "id,name,email,title,level,role,manager_id,team,location,employment_type,start_date,end_date,annual_cost\n"
)


def people(level_e1: str, end_e3: str = "") -> str:
    return PEOPLE_HEADER + (
        f"E1,One,e1@example.com,Engineer,{level_e1},engineer,,platform,Berlin,full-time,2024-01-01,,100000\n"
        "E2,Two,e2@example.com,Engineer,IC3,engineer,,platform,Berlin,full-time,2024-01-01,,100000\n"
        f"E3,Three,e3@example.com,Engineer,IC3,engineer,,platform,Berlin,full-time,2024-01-01,{end_e3},100000\n"
    )


def test_the_inventory_is_the_latest_line_on_or_before_the_start_and_months_in_level_come_from_the_periods(
    tmp_path: Path,
) -> None:
    db = warehouse_with_org(tmp_path)
    files = [
        write(tmp_path, "people-2026-06-30.csv", people("IC3")),
        write(tmp_path, "people-2026-09-30.csv", people("IC4", end_e3="2026-09-15")),
    ]
    skills = write(tmp_path, "skills.csv", "person,skill,level,date\nE1,Go,2,2026-01-01\nE1,go,4,2026-12-31\n"
                   "E1,Go,5,2027-01-02\nE2,Rust,expert,2026-06-01\n")  # fmt: skip
    for args in (("ingest", "org", *map(str, files)), ("ingest", "skills", str(skills))):
        done = run_quarterdeck("--db", str(db), *args)
        assert done.returncode == 0, done.stderr
    with open_warehouse(db, read_only=True) as warehouse:
        inventory = load_inventory(warehouse, date(2027, 1, 1))
    assert inventory.skills == {"E1": {"go": 4}, "E2": {"rust": 5}}
    # E1 is IC4 since the 2026-09-30 export (93 days); E2 IC3 in every export, so since their
    # start on 2024-01-01 (1096 days); E3 left before the start.
    assert inventory.months_in_level == pytest.approx({"E1": 93 / 30.4375, "E2": 1096 / 30.4375})


def test_a_promotion_costs_what_a_hire_at_the_new_level_costs_where_the_person_works_never_their_pay() -> None:
    # 90 % of 5 at IC4+ is 4.5 against 3: two promotions. Priced at the seats' hire costs (group
    # medians), never at one person's pay: U in Bangalore, IC4 70750 - IC3 58700 = 12050; P in
    # Remote, where the learned IC4 hire (126550) costs less than the IC3 one (165400): no raise
    # below 0, so 0. Their own pay (60000, 170000) and their IC4 colleagues' does not count.
    seats = (
        Seat("t", "IC3", 165400, 170000, tenure=30, location="Remote", person="P"),
        Seat("t", "IC4", 126550, 217200, tenure=30, location="Remote", person="Q"),
        Seat("t", "IC4", 126550, 192300, tenure=30, location="Remote", person="R"),
        Seat("t", "IC4", 70750, 70400, tenure=30, location="Bangalore", person="S"),
        Seat("t", "IC3", 58700, 60000, tenure=30, location="Bangalore", person="U"),
    )
    plan = PlanInput(date(2027, 1, 1), 3, LEVELS, seats, {"org": ("t",)})
    ones = np.ones((1, 5))
    inventory = Inventory({}, {"P": 24, "U": 24})
    need = SeniorityNeed("t", "IC4", 0.9, None, Where(FILE, 2))
    (gap,) = talent_gaps(plan, Projection(plan, 100, 1, {}, {}, ones, ones), Needs(seniority=(need,)), inventory).gaps
    promote = gap.options[1]
    assert (promote.count, promote.people, promote.cost, promote.closes) == (2, ("P", "U"), 12050.0, True)
