"""``quarterdeck plan run`` and ``plan compare`` through the real command line, on the
hand-written organization of tests/plan_history_org.py (data to 2026-12-31)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.plan_history_org import CONFIG, build
from tests.test_plan_build import PLAN

ENV = {"QUARTERDECK_TODAY": "2027-01-15"}
#: No one leaves, no one is hired: the organization of 2026-12-31 stays as it is, so every draw
#: gives the same headcount and cost. Loaded costs (USD): a04-a13 1085000 x 1.5 = 1627500,
#: b01-b03 414000, m1 225000, c01-c03 324720: 2591220 a year, 647805 a quarter; the yearly
#: raise of 5 % comes in April (month 4, learned from the history): 680195.25 from 2027Q2.
STILL = """\
name: Still
horizon: 4
positions: none
assumptions:
  attrition: 0%
  yearly_raise: 5%
  budget: {2027: 2700000}
scenarios:
  - name: Cheaper
    assumptions: {yearly_raise: 0%}
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plan-cli")
    build(folder)
    (folder / "quarterdeck.toml").write_text(CONFIG)
    (folder / "plan.yaml").write_text(PLAN)
    (folder / "still.yaml").write_text(STILL)
    return folder


def plan(folder: Path, *args: str):
    return run_quarterdeck(
        "--db", str(folder / "plan.duckdb"), "--config", str(folder / "quarterdeck.toml"), "plan", *args, env=ENV
    )


def test_a_still_organization_gives_exact_headcount_and_cost(folder: Path) -> None:
    result = plan(folder, "run", str(folder / "still.yaml"), "--draws", "500", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["plan"], data["scenario"], data["start"], data["data_end"]) == (
        "Still",
        "Plan",
        "2027Q1",
        "2026-12-31",
    )
    org = data["groups"][0]
    assert org["group"] == "org" and org["teams"] == ["payments", "search"]
    quarters = org["quarters"]
    assert [q["headcount"] for q in quarters] == [{"p10": 17.0, "p50": 17.0, "p90": 17.0}] * 4
    assert quarters[0]["cost"]["p50"] == pytest.approx(647805.0)
    assert [q["cost"]["p50"] for q in quarters[1:]] == pytest.approx([680195.25] * 3)
    # The year costs 647805 + 3 x 680195.25 = 2688390.75: inside 2700000 in every draw.
    assert data["budgets"] == [
        {"group": "org", "period": "2027", "amount": 2700000.0, "chance": 1.0,
         "cost": {"p10": pytest.approx(2688390.75), "p50": pytest.approx(2688390.75), "p90": pytest.approx(2688390.75)}}
    ]  # fmt: skip
    shown = {(a["name"], a["scope"]): a for a in data["assumptions"]}
    assert shown[("yearly_raise", "")]["origin"] == "plan file line 6"
    assert shown[("raise_month", "")]["value"] == 4 and shown[("raise_month", "")]["origin"].startswith("history")


def test_the_same_seed_gives_the_same_answer_and_the_table_lists_assumptions(folder: Path) -> None:
    args = ("run", str(folder / "plan.yaml"), "--draws", "1000", "--seed", "3", "--by", "team")
    first, second = plan(folder, *args), plan(folder, *args)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    other = plan(folder, "run", str(folder / "plan.yaml"), "--draws", "1000", "--seed", "4", "--by", "team")
    assert other.stdout != first.stdout
    lines = first.stdout.splitlines()
    assert lines[0].startswith("plan: Plan, 2027Q1..2027Q4, data to 2026-12-31, 1,000 draws, seed 3; amounts in USD")
    assumptions = lines.index("Assumptions (value, then where it comes from):")
    assert any(line.split() == ["attrition", "IC2,", "tenure", "0-12", "months", "20.0", "%", "a", "year", "plan",
                                "file", "line", "20"] for line in lines[assumptions:])  # fmt: skip
    assert "Payments (payments)" in lines and "Search (search)" in lines and "ml (ml)" in lines
    assert any("hidden (fewer than 2 people)" in line for line in lines)  # ml has nobody at the start
    assert "Capacity targets:" in lines and "Budgets:" in lines


def test_csv_has_one_row_per_group_quarter_and_measure(folder: Path) -> None:
    result = plan(folder, "run", str(folder / "plan.yaml"), "--draws", "300", "--by", "unit", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["group"] for r in rows} == {"eng", "payments", "search"}
    assert len(rows) == 3 * 4 * 5
    assert {r["measure"] for r in rows} == {"headcount", "capacity", "cost", "hires", "leavers"}
    only = plan(folder, "run", str(folder / "plan.yaml"), "--draws", "300", "--by", "team", "--unit", "Payments",
                "--format", "csv")  # fmt: skip
    assert {r["group"] for r in csv.DictReader(io.StringIO(only.stdout))} == {"payments"}


def test_compare_shows_every_scenario_side_by_side(folder: Path) -> None:
    result = plan(folder, "compare", str(folder / "still.yaml"), "--draws", "300", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [s["scenario"] for s in data["scenarios"]] == ["Plan", "Cheaper"]
    plan_end, cheaper_end = (s["year_ends"][0] for s in data["scenarios"])
    assert plan_end["quarter"] == "2027Q4" and plan_end["cost"]["p50"] == pytest.approx(680195.25)
    assert cheaper_end["cost"]["p50"] == pytest.approx(647805.0)
    table = plan(folder, "compare", str(folder / "plan.yaml"), "--draws", "300")
    assert table.returncode == 0, table.stderr
    assert "Freeze" in table.stdout and "capacity org 2027Q4 >= 20:" in table.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "horizon: 4\nhiring:\n  - team: nowhere\n    level: IC2\n    per_quarter: [1]\n",
            ":3: unknown team 'nowhere'",
        ),
        ("horizon: 4\nstart: 2027Q5\n", ":2: expected a quarter such as 2027Q1"),
    ],
)
def test_a_bad_plan_is_a_clean_error(folder: Path, text: str, expected: str) -> None:
    bad = folder / "bad.yaml"
    bad.write_text(text)
    result = plan(folder, "run", str(bad), "--draws", "100")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].startswith(f"error: {bad}{expected}")
    assert "Traceback" not in result.stderr


def test_an_unknown_scenario_and_the_help(folder: Path) -> None:
    result = plan(folder, "run", str(folder / "plan.yaml"), "--scenario", "Nope", "--draws", "100")
    assert result.returncode != 0 and "no scenario 'Nope'; the plan's scenarios: Freeze" in result.stderr
    assert "Traceback" not in result.stderr
    helped = run_quarterdeck("plan", "run", "--help")
    assert helped.returncode == 0 and "quarterdeck plan run plans/2027.yaml --scenario" in helped.stdout
    assert "Examples:" in run_quarterdeck("plan", "--help").stdout
