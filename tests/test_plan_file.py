"""The plan file: read into a PlanFile, every mistake a ConfigError naming the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from quarterdeck.core.errors import ConfigError
from quarterdeck.planning.plan_file import looks_like, read_plan
from quarterdeck.planning.plan_values import Quarter

FULL = """\
name: Three-year plan
start: 2027Q1
horizon: 8
history: 6
currency: eur
hiring:
  - team: payments
    level: IC3
    location: Berlin
    per_quarter: [2, 2, 1]
  - team: search
    level: IC2
    role: manager
    quarters: {2027Q2: 3, 2027Q4: 2}
  - team: platform
    growth: 10%
new_teams:
  - id: ml-platform
    parent: platform
positions: none
assumptions:
  attrition: {IC1: 15%, "*": 0.12}
  time_to_fill: {IC5: 120 days, "*": 8 weeks}
  offer_acceptance: 85%
  backfill: 100%
  ramp_up: {IC1: 9 months, "*": 6}
  loaded_cost: {IC3: {Berlin: 140000, "*": 180000}, "*": 150000}
  yearly_raise: 3%
  raise_month: 4
  mentoring_drag: 0.2
  budget: {2027: 30000000, 2028: "36,000,000"}
targets:
  capacity:
    - group: org
      quarter: 2028Q4
      fte: 520
needs:
  skills: [{team: payments, skill: go, count: 2}]
scenarios:
  - name: Hiring freeze
    freeze: {from: 2027Q2, to: 2027Q4}
  - name: Growth +20 %
    hiring_scale: 1.2
  - name: Slower hiring
    time_to_fill_scale: 1.5
  - name: Lisbon hub
    add_hiring: [{team: payments, level: IC2, location: Lisbon, per_quarter: [0, 2, 2, 2]}]
    assumptions: {attrition: 15%}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_plan_is_read_with_every_value(tmp_path: Path) -> None:
    plan = read_plan(write(tmp_path, FULL))
    assert (plan.name, plan.start, plan.horizon, plan.history, plan.currency) == (
        "Three-year plan", Quarter(2027, 1), 8, 6, "EUR",
    )  # fmt: skip
    payments, search, platform = plan.hiring
    assert (payments.team, payments.level, payments.location, payments.per_quarter, payments.line) == (
        "payments", "IC3", "Berlin", (2, 2, 1), 7,
    )  # fmt: skip
    assert search.role == "manager" and search.quarters == {Quarter(2027, 2): 3, Quarter(2027, 4): 2}
    assert platform.growth == pytest.approx(0.10) and platform.level is None
    assert plan.new_teams[0].id == "ml-platform" and plan.new_teams[0].parent == "platform"
    assert plan.positions == "none"
    a = plan.assumptions
    assert a.attrition == {"IC1": pytest.approx(0.15), "*": 0.12}
    assert a.time_to_fill == {"IC5": 120.0, "*": 56.0}
    assert a.offer_acceptance == {"*": pytest.approx(0.85)} and a.backfill == 1.0
    assert a.ramp_up == {"IC1": pytest.approx(9.0), "*": pytest.approx(6.0)}
    assert a.loaded_cost == {"IC3": {"Berlin": 140000.0, "*": 180000.0}, "*": {"*": 150000.0}}
    assert (a.yearly_raise, a.raise_month, a.mentoring_drag) == (pytest.approx(0.03), 4, 0.2)
    assert a.budget == {"2027": 30_000_000.0, "2028": 36_000_000.0}
    assert a.lines["attrition"] == 22 and a.lines["budget"] == 31
    goal = plan.targets[0]
    assert (goal.group, goal.quarter, goal.fte, goal.line) == ("org", Quarter(2028, 4), 520.0, 34)
    assert plan.needs == {"skills": [{"team": "payments", "skill": "go", "count": 2}]}
    freeze, growth, slower, lisbon = plan.scenarios
    assert freeze.freeze == (Quarter(2027, 2), Quarter(2027, 4))
    assert growth.hiring_scale == pytest.approx(1.2) and slower.time_to_fill_scale == 1.5
    assert lisbon.add_hiring[0].per_quarter == (0, 2, 2, 2) and lisbon.add_hiring[0].location == "Lisbon"
    assert lisbon.assumptions.attrition == {"*": pytest.approx(0.15)}
    assert plan.scenario("lisbon HUB") is lisbon and plan.scenario(None) is None


def test_moves_between_teams_are_an_assumption(tmp_path: Path) -> None:
    plan = read_plan(write(tmp_path, "horizon: 4\nassumptions:\n  backfill: 90%\n  mobility: 8%\n"))
    assert plan.assumptions.mobility == pytest.approx(0.08) and plan.assumptions.lines["mobility"] == 4


def test_defaults_of_a_minimal_plan(tmp_path: Path) -> None:
    plan = read_plan(write(tmp_path, "hiring:\n  - {team: web, level: IC2, per_quarter: [1]}\n"))
    assert (plan.name, plan.start, plan.horizon, plan.history, plan.currency, plan.positions) == (
        "plan", None, 12, 12, None, "stored",
    )  # fmt: skip
    assert plan.hiring[0].role == "engineer" and plan.hiring[0].location is None
    assert plan.scenarios == () and plan.targets == ()


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("horizon: 4\nbudgets: 3\n", 2, "unknown key 'budgets'"),
        ("start: 2027Q5\n", 1, "expected a quarter such as 2027Q1"),
        ("hiring:\n  - team: a\n    level: IC2\n    per_quarter: [1, -2]\n", 4, "whole number, 0 or more"),
        ("hiring:\n  - team: a\n    level: IC2\n    per_quarter: 1\n    color: red\n", 5, "unknown key 'color'"),
        ("hiring:\n  - team: a\n    level: IC2\n", 2, "exactly one of per_quarter, quarters or growth"),
        ("hiring:\n  - team: a\n    per_quarter: [1]\n", 2, "needs 'level'"),
        ("hiring:\n  - {team: a, level: IC2, per_quarter: [1], role: intern}\n", 2, "engineer or manager"),
        ("horizon: 2\nhiring:\n  - team: a\n    level: IC2\n    per_quarter: [1, 1, 1]\n", 5, "horizon is 2"),
        (
            "start: 2027Q1\nhorizon: 4\nhiring:\n  - team: a\n    level: IC2\n    quarters:\n      2027Q2: 1\n"
            "      2028Q1: 2\n",
            8,
            "2028Q1 is outside the plan (2027Q1 to 2027Q4)",
        ),
        ("horizon: 4\nassumptions:\n  attrition: {IC1: 15%, '*': 1.5}\n", 3, "percentage such as 12%"),
        ("horizon: 4\nassumptions:\n  attrition: twelve\n", 3, "percentage such as 12%"),
        ("horizon: 4\nassumptions:\n  time_to_fill:\n    IC5: 2 fortnights\n", 4, "duration such as 60 days"),
        ("horizon: 4\nassumptions:\n  ramp_up: -3 months\n", 3, "duration"),
        ("horizon: 4\nassumptions:\n  raise_month: 13\n", 3, "from 1 to 12"),
        ("horizon: 4\nassumptions:\n  loaded_cost: {IC3: {Berlin: -5}}\n", 3, "loaded cost of IC3 in Berlin"),
        ("horizon: 4\nassumptions:\n  budget:\n    2027: 5\n    next: 3\n", 5, "per calendar year"),
        ("horizon: 4\nassumptions:\n  budget: {2027: 5, total: 9}\n", 3, "not both"),
        ("horizon: 4\nassumptions:\n  speed: 3\n", 3, "unknown key 'speed' in 'assumptions'"),
        ("scenarios:\n  - name: A\n  - name: a\n", 3, "two scenarios are called 'a'"),
        ("scenarios:\n  - name: A\n    frezee: {from: 2027Q1}\n", 3, "unknown key 'frezee' in a scenario"),
        ("scenarios:\n  - name: A\n    freeze: {from: 2027Q3, to: 2027Q1}\n", 3, "ends (2027Q1) before"),
        ("scenarios:\n  - name: A\n    hiring_scale: -1\n", 3, "hiring_scale must be a number, 0 or more"),
        ("scenarios:\n  - name: A\n    time_to_fill_scale: 0\n", 3, "more than 0"),
        (
            "scenarios:\n  - name: A\n    add_hiring:\n      - {team: a, level: IC2, per_quarter: [x]}\n",
            4,
            "whole number",
        ),
        ("scenarios:\n  - name: A\n    assumptions: {backfill: 120%}\n", 3, "backfill must be a percentage"),
        (
            "horizon: 4\nassumptions:\n  mobility: 100%\n",
            3,
            "mobility must be a percentage such as 12% or 0.12 (0 up to 99%",
        ),
        ("horizon: 0\n", 1, "from 1 to 40"),
        ("horizon: 4\ntargets:\n  capacity:\n    - {group: org, quarter: 2028Q1}\n", 4, "'fte' is missing"),
        ("horizon: 4\ncurrency: dollars\n", 2, "three-letter code"),
        ("horizon: 4\npositions: some\n", 2, "stored"),
        ("horizon: 4\nhorizon: 5\n", 1, "'horizon' is given twice"),
        ("- just a list\n", 1, "a plan file is a mapping"),
    ],
)
def test_each_mistake_names_the_file_and_line(tmp_path: Path, text: str, line: int, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        read_plan(path)
    assert str(caught.value).startswith(f"{path}:{line}: "), str(caught.value)
    assert expected in str(caught.value)


def test_a_missing_file_and_bad_yaml_are_clean_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="plan file not found"):
        read_plan(tmp_path / "nope.yaml")
    path = write(tmp_path, "hiring: [\n")
    with pytest.raises(ConfigError, match=rf"^{path}:\d+: "):
        read_plan(path)


def test_an_unknown_scenario_lists_the_known_ones(tmp_path: Path) -> None:
    plan = read_plan(write(tmp_path, FULL))
    with pytest.raises(ConfigError, match="no scenario 'Boom'; the plan's scenarios: Hiring freeze, Growth"):
        plan.scenario("Boom")


def test_looks_like_tells_a_plan_from_the_other_files() -> None:
    assert looks_like({"hiring": []}) and looks_like({"horizon": 8}) and looks_like({"scenarios": []})
    assert not looks_like({"options": {"build": {}, "buy": {}}})
    assert not looks_like({"moves": []}) and not looks_like({"initiatives": []})
