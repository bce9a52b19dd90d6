"""``quarterdeck plan gaps`` through the real CLI, on the hand-written organization of
tests/plan_history_org.py (data to 2026-12-31, the plan starts 2027Q1) with a skills
inventory. Attrition is set to 0 %, so everyone stays: the supply is a plain count.

At the start payments has a04-a13 and b01-b03 (IC3, Berlin, hire cost 160500 USD: see
tests/test_plan_build.py) and m1 (M1). Kotlin: a04 4, a05 3, a06 5, b01 2 (and c01 4 in
search). Payments wants 3 at Kotlin 4+ from 2027Q2: a04 and a06 hold it, a gap of 1.
- hire 1 IC3: time to fill 30 days (learned: 0.99 months), ready in 2027Q1, 160500 a year;
- train a05 (one step: 6 months, ready 2027Q2, in time): priced at what an IC3 hire costs in
  payments, 160500 a year (never a05's own pay); 20 % of 6 months of it = 16050.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.money_files import write
from tests.plan_history_org import CONFIG, build

SKILLS = "person,skill,level,date\na04,Kotlin,4,2026-10-01\na05,kotlin,intermediate,2026-10-01\n" \
         "a06@example.com,Kotlin,expert,2026-10-01\nb01,Kotlin,2,2026-10-01\nc01,Kotlin,4,2026-10-01\n"  # fmt: skip
PLAN = """name: Gaps plan
horizon: 4
positions: none
assumptions:
  attrition: 0%
needs:
  skills:
    - team: Payments
      skill: Kotlin
      level: 4
      count: 3
      by: 2027Q2
"""
ENV = {"QUARTERDECK_TODAY": "2027-01-15"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plan-gaps")
    db = build(folder)
    write(folder, "quarterdeck.toml", CONFIG)
    done = run_quarterdeck("--db", str(db), "ingest", "skills", str(write(folder, "skills.csv", SKILLS)))
    assert done.returncode == 0, done.stderr
    return folder


def gaps(folder: Path, plan: str, *args: str):
    path = write(folder, "plan.yaml", plan)
    return run_quarterdeck(
        "plan", "gaps", str(path), "--draws", "200", "--config", str(folder / "quarterdeck.toml"),
        "--db", str(folder / "plan.duckdb"), *args, env=ENV,
    )  # fmt: skip


def test_the_gaps_and_options_as_json(folder: Path) -> None:
    done = gaps(folder, PLAN, "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["plan"], data["scenario"], data["start"], data["end"], data["currency"]) == (
        "Gaps plan", "Plan", "2027Q1", "2027Q4", "USD",
    )  # fmt: skip
    (gap,) = data["gaps"]
    assert (gap["kind"], gap["group"], gap["need"], gap["needed_quarter"], gap["largest_gap"]) == (
        "skill", "payments", "3 with Kotlin at level 4 or above", "2027Q2", 1.0,
    )  # fmt: skip
    assert gap["where"] == f"{folder / 'plan.yaml'}:8"
    assert gap["quarters"] == [{"quarter": f"2027Q{q}", "needed": 3.0, "supply": 2.0, "gap": 1.0} for q in (2, 3, 4)]
    hire, train = gap["options"]
    assert hire == {
        "action": "hire", "count": 1, "people": [], "months": 0.99, "cost": 160500.0, "cost_basis": "per year",
        "ready_quarter": "2027Q1", "closes": True, "note": "at IC3: time to fill 30 days",
    }  # fmt: skip
    assert train == {
        "action": "train", "count": 1, "people": ["a05"], "months": 6.0, "cost": 16050.0, "cost_basis": "once",
        "ready_quarter": "2027Q2", "closes": True, "note": "6 months per level step",
    }  # fmt: skip


def test_the_table_names_people_and_says_whether_each_option_is_in_time(folder: Path) -> None:
    done = gaps(folder, PLAN)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Gaps plan: Plan, 2027Q1..2027Q4, 200 draws, seed 0; amounts in USD" in out
    assert f"Skill: payments wants 3 with Kotlin at level 4 or above ({folder / 'plan.yaml'}:8)" in out
    assert "  2027Q2      3.0     2.0  1.0" in out
    assert "first gap in 2027Q2, largest 1.0; options:" in out
    assert "hire 1: ready 2027Q1 (0.99 months), 160,500 per year; closes it in time" in out
    assert "train 1 (A05 (a05)): ready 2027Q2 (6 months), 16,050 once; closes it in time" in out
    assert "readiness will come from the career ladders" in out


def test_csv_has_a_row_per_gap_quarter_then_per_option(folder: Path) -> None:
    done = gaps(folder, PLAN, "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["record"], r["quarter"], r["gap"], r["action"], r["people"], r["cost"]) for r in rows] == [
        ("gap", "2027Q2", "1.0", "", "", ""),
        ("gap", "2027Q3", "1.0", "", "", ""),
        ("gap", "2027Q4", "1.0", "", "", ""),
        ("option", "2027Q2", "", "hire", "", "160500.0"),
        ("option", "2027Q2", "", "train", "a05", "16050.0"),
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    - team: Payments", "    - team: growth", ":8: unknown team 'growth': the plan's teams and groups are"),
        ("      by: 2027Q2", "      by: 2029Q1", ":8: by 2029Q1 is outside the plan's quarters, 2027Q1 to 2027Q4"),
        ("      level: 4", "      level: wizard", ":10: needs.skills[1].level: 'wizard': expected a level from 1"),
        ("needs:", "notes:", ": unknown key"),
    ],
)  # fmt: skip
def test_a_mistake_in_the_needs_is_named_by_line_without_a_traceback(
    folder: Path, old: str, new: str, expected: str
) -> None:
    done = gaps(folder, PLAN.replace(old, new))
    assert done.returncode != 0
    assert f"{folder / 'plan.yaml'}" in done.stderr and expected in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_a_plan_without_needs_says_how_to_write_them(folder: Path) -> None:
    done = gaps(folder, PLAN.split("needs:")[0])
    assert done.returncode != 0
    assert "the plan has no needs: add a 'needs:' section with skills, seniority or managers" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_scenario_is_run_by_its_name_and_an_unknown_one_is_named(folder: Path) -> None:
    plan = PLAN.replace("needs:", "scenarios:\n  - name: Slower hiring\n    time_to_fill_scale: 2\nneeds:")
    done = gaps(folder, plan, "--scenario", "slower hiring", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    hire = data["gaps"][0]["options"][0]
    # the scenario doubles the time to fill: 60 days, 1.97 months
    assert (data["scenario"], hire["months"], hire["note"]) == ("Slower hiring", 1.97, "at IC3: time to fill 60 days")
    done = gaps(folder, plan, "--scenario", "Nope")
    assert done.returncode != 0 and "no scenario 'Nope'" in done.stderr and "Traceback" not in done.stderr
