"""A plan file + the organization's history + the warehouse -> the engine's input, on the
hand-written organization of tests/plan_history_org.py (data to 2026-12-31: the plan starts in
2027Q1). Learned values used here (tests/test_plan_history.py works them out): IC3 time to
fill 30 days, other levels 30 days (all levels); hire cost IC3 in Berlin 160500 USD, IC2
anywhere 108240, other levels 159000 (the organization's median)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from quarterdeck.core.errors import ConfigError
from quarterdeck.metrics.data_end import data_end
from quarterdeck.planning.model import BudgetEnvelope, CapacityTarget, Seat
from quarterdeck.planning.plan import build_plan, is_manager
from quarterdeck.planning.plan_file import read_plan
from quarterdeck.store import open_warehouse
from tests.conftest import run_quarterdeck
from tests.plan_history_org import SETTINGS, build

PLAN = """\
horizon: 4
hiring:
  - team: Payments
    level: IC3
    per_quarter: [2, 0, 1]
  - team: pay-team
    level: IC2
    location: Lisbon
    quarters: {2027Q4: 1}
  - team: ml
    level: IC4
    role: manager
    per_quarter: [0, 1]
  - team: search
    growth: 100%
new_teams:
  - id: ml
    parent: Engineering
assumptions:
  attrition: {IC2: 20%}
  budget: {2027: 5000000}
targets:
  capacity:
    - {group: org, quarter: 2027Q4, fte: 20}
    - {group: Search, quarter: 2027Q2, fte: 3}
scenarios:
  - name: Freeze
    freeze: {from: 2027Q2, to: 2027Q3}
    hiring_scale: 1.5
    time_to_fill_scale: 2
    assumptions: {backfill: 50%}
"""
TODAY = date(2027, 1, 15)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("plan-build"))


def built(db: Path, tmp_path: Path, text: str = PLAN, scenario: str | None = None):
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    with open_warehouse(db) as warehouse:
        return build_plan(warehouse, SETTINGS, read_plan(path), scenario, today=TODAY)


def ic3(cost: float, tenure: int) -> Seat:
    return Seat("payments", "IC3", 160500.0, cost, tenure, location="Berlin")


def test_seats_of_people_positions_and_hires(db: Path, tmp_path: Path) -> None:
    result = built(db, tmp_path)
    plan = result.plan
    assert (plan.start, plan.months, result.start.__str__(), result.data_end) == (
        date(2027, 1, 1), 12, "2027Q1", date(2026, 12, 31),
    )  # fmt: skip
    people = [s for s in plan.seats if s.kind == "person"]
    # a04-a13: 104000-113000 EUR x 1.25 (Berlin) x 1.2 (EUR -> USD), 84 months since 2020-01-01.
    assert people[:10] == [ic3((104000 + 1000 * i) * 1.5, 84) for i in range(10)]
    # b01 (2026-05-01: 8 months), b02 (2026-08-30: 4), b03 (2026-02-11: 10).
    assert people[10:13] == [ic3(135000.0, 8), ic3(138000.0, 4), ic3(141000.0, 10)]
    assert people[13] == Seat("payments", "M1", 159000.0, 225000.0, 96, capacity=0.0, location="Berlin", role="manager")
    assert people[14:] == [
        Seat("search", "IC2", 108240.0, c, 18, location="New York") for c in (105600.0, 108240.0, 110880.0)
    ]
    positions = [s for s in plan.seats if s.kind == "position"]  # R3 is filled: not a seat
    assert positions == [
        Seat("payments", "IC3", 120000.0, earliest_start=2, kind="position", location="Berlin"),
        Seat("payments", "IC2", 72000.0, earliest_start=0, kind="position", location="Lisbon"),
    ]
    hires = [(s.team, s.level, s.location, s.opens, s.earliest_start, s.hire_cost, s.capacity)
             for s in plan.seats if s.kind == "planned" and s.window is None]  # fmt: skip
    assert hires == [
        # Payments IC3 [2, 0, 1]: 30 days to fill = 1 month ahead (0 at the plan's start).
        ("payments", "IC3", "Berlin", 0, 0, 160500.0, 1.0),
        ("payments", "IC3", "Berlin", 0, 0, 160500.0, 1.0),
        ("payments", "IC3", "Berlin", 5, 6, 160500.0, 1.0),
        ("payments", "IC2", "Lisbon", 8, 9, 108240.0, 1.0),  # pay-team: the alias of payments
        ("ml", "IC4", "Berlin", 2, 3, 159000.0, 0.0),  # a new team: its parent's most common location
    ]
    # search doubles a year from 3 IC2: it wants 3 x (2^(q/4) - 2^((q-1)/4)) hires in quarter q:
    # 0.5676, 0.6750, 0.8027, 0.9546, laid end to end from 0 (the plan's only growth line): [0,
    # 0.5676) [0.5676, 1.2426) [1.2426, 2.0453) [2.0453, 3): a hire where k + u falls, one slot
    # per piece inside [k, k + 1), its window that piece moved to [0, 1); 1 month to fill.
    growth = [(s.team, s.level, s.opens, s.earliest_start) for s in plan.seats if s.window is not None]
    windows = [(0, 0.0, 0.5676), (3, 0.5676, 1.0), (3, 0.0, 0.2426), (6, 0.2426, 1.0), (6, 0.0, 0.0453),
               (9, 0.0453, 1.0)]  # fmt: skip
    assert growth == [("search", "IC2", max(0, e - 1), e) for e, _, _ in windows]
    found = [s.window for s in plan.seats if s.window is not None]
    assert found == [pytest.approx((low, high), abs=1e-4) for _, low, high in windows]


def test_groups_targets_budgets_and_assumptions(db: Path, tmp_path: Path) -> None:
    result = built(db, tmp_path)
    plan = result.plan
    assert dict(plan.groups) == {
        "org": ("ml", "payments", "search"),
        "eng": ("ml", "payments", "search"),
        "payments": ("payments",),
        "search": ("search",),
    }
    assert plan.capacity_targets == (CapacityTarget("org", 3, 20.0), CapacityTarget("search", 1, 3.0))
    assert plan.budgets == (BudgetEnvelope("org", 0, 12, 5_000_000.0, "2027"),)
    assert plan.levels["IC2"].attrition == (0.2, 0.2, 0.2)
    assert plan.levels["IC3"].fill_days == 30 and plan.levels["IC3"].acceptance == 1.0
    assert plan.levels["IC3"].ramp_months == 6.0
    assert (plan.backfill, plan.mentoring_drag, plan.raise_month, plan.frozen) == (0.75, 0.2, 4, frozenset())
    assert plan.yearly_raise == pytest.approx(0.03, abs=1e-6)
    shown = {(a.name, a.scope): a for a in result.assumptions}
    assert shown[("attrition", "IC2, tenure 0-12 months")].origin == "plan file line 20"
    assert shown[("attrition", "IC3, tenure 24+ months")].origin.startswith("history: 3 leavers over 10.8")
    assert shown[("backfill", "")].origin.startswith("history: 3 of 4 leavers")
    assert shown[("loaded_cost", "IC2 in Lisbon")].value == 108240.0
    assert result.team_names["payments"] == "Payments" and result.team_names["ml"] == "ml"


def test_a_scenario_freezes_scales_and_overrides(db: Path, tmp_path: Path) -> None:
    result = built(db, tmp_path, scenario="freeze")
    plan = result.plan
    assert result.scenario == "Freeze"
    assert plan.frozen == frozenset(range(3, 9))  # 2027Q2 and 2027Q3: months 3-8
    assert plan.backfill == 0.5
    assert {(a.name, a.scope): a.origin for a in result.assumptions}[("backfill", "")] == (
        "scenario 'Freeze', plan file line 31"
    )
    assert plan.levels["IC3"].fill_days == 60  # 30 days x 2
    payments = [(s.opens, s.earliest_start) for s in plan.seats if s.kind == "planned" and s.level == "IC3"]
    # [2, 0, 1] x 1.5, cumulative 3, 3, 4.5 -> 3, 0, 2 hires; 60 days = 2 months ahead.
    assert payments == [(0, 0), (0, 0), (0, 0), (4, 6), (4, 6)]


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("horizon: 4\nhiring:\n  - team: nowhere\n    level: IC2\n    per_quarter: [1]\n", 3, "unknown team 'nowhere'"),
        (
            "horizon: 4\nhiring:\n  - team: search\n    level: IC2\n    quarters: {2028Q1: 1}\n",
            3,
            "2028Q1 is outside the plan (2027Q1 to 2027Q4)",
        ),
        ("horizon: 4\nnew_teams:\n  - {id: x, parent: nowhere}\n", 3, "unknown team 'nowhere'"),
        ("horizon: 4\nhiring:\n  - {team: eng, growth: 10%}\n", 3, "'eng' has no engineers on 2026-12-31 to grow from"),
        (
            "horizon: 4\nassumptions:\n  budget: {2027: 1, 2028: 2}\n",
            3,
            "the budget for 2028 is outside the plan (2027Q1 to 2027Q4)",
        ),
        ("horizon: 4\ntargets:\n  capacity:\n    - {group: nope, quarter: 2027Q2, fte: 3}\n", 4, "unknown team 'nope'"),
    ],
)
def test_unknown_teams_and_quarters_name_the_line(
    db: Path, tmp_path: Path, text: str, line: int, expected: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        built(db, tmp_path, text)
    assert str(caught.value).startswith(f"{tmp_path / 'plan.yaml'}:{line}: ") and expected in str(caught.value)


def test_without_positions_recent_leavers_not_yet_replaced_are_open_seats(tmp_path: Path) -> None:
    db = build(tmp_path, positions=False)
    path = tmp_path / "plan.yaml"
    path.write_text("horizon: 4\n")
    with open_warehouse(db) as warehouse:  # the data ends on 2026-10-15: leavers since 2026-04-19
        result = build_plan(warehouse, SETTINGS, read_plan(path), today=date(2026, 10, 15))
    # a02 (IC3, payments, gone from 2026-07-01) was replaced by b02 (2026-08-30); c04 (IC2,
    # search, gone from 2026-06-01) was not: her seat is open from the plan's start, at the
    # IC2 hire cost 82000 x 1.1 x 1.1 (EUR -> USD in 2026-10) = 99220.
    assert [s for s in result.plan.seats if s.kind == "position"] == [
        Seat("search", "IC2", 99220.0, kind="position", location="New York")
    ]
    shown = {(a.name, a.scope): a for a in result.assumptions}[("open_backfills", "")]
    assert shown.value == 1 and shown.origin.startswith(
        "history: leavers from 2026-04-19 to 2026-10-15 not yet replaced"
    )
    with_positions = built_at(tmp_path, "horizon: 4\npositions: none\n", db)
    assert [s for s in with_positions.plan.seats if s.kind == "position"] == []


def built_at(tmp_path: Path, text: str, db: Path):
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    with open_warehouse(db) as warehouse:
        return build_plan(warehouse, SETTINGS, read_plan(path), today=date(2026, 10, 15))


def test_who_counts_as_a_manager() -> None:
    assert (
        is_manager("Engineering Manager", "IC5")
        and is_manager("director", None)
        and is_manager("VP of Engineering", "")
    )
    assert is_manager(None, "M2") and is_manager("engineer", "m1")
    assert not is_manager("engineer", "IC3") and not is_manager("Staff Engineer (overhead work)", "IC6")
    assert not is_manager("DevOps engineer", "MX")


def test_data_past_the_last_people_export_does_not_move_the_organizations_day(tmp_path: Path) -> None:
    # Company figures run to 2027-02, two months past the last people export (2026-12-31): the
    # plan still knows the organization on 2026-12-31 and starts the quarter after it.
    db = build(tmp_path)
    finance = tmp_path / "company.csv"
    finance.write_text("month,revenue,arr,new_customers,customers,sales_marketing_spend,gross_margin,cash,currency\n"
                       "2027-02,90000,1100000,9,90,48000,0.7,2200000,USD\n")  # fmt: skip
    done = run_quarterdeck("--db", str(db), "ingest", "finance", str(finance))
    assert done.returncode == 0, done.stderr
    path = tmp_path / "plan.yaml"
    path.write_text("horizon: 4\n")
    with open_warehouse(db) as warehouse:
        assert data_end(warehouse, date(2027, 3, 15)) == date(2027, 2, 28)
        result = build_plan(warehouse, SETTINGS, read_plan(path), today=date(2027, 3, 15))
    assert (result.data_end, str(result.start)) == (date(2026, 12, 31), "2027Q1")
