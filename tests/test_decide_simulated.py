"""The simulator's example decision (``plans/build-vs-buy.yaml``) read by the real
``quarterdeck decide build-vs-buy`` on a warehouse of the simulated organization's HR and org
files: its seats are the engineers of the last day, and engineering time is priced at the
organization's engineer-month cost, worked out here again from the simulated world's stints
(within 1 %: see the test)."""

from __future__ import annotations

import calendar
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from quarterdeck.cli.demo import plan_lines
from quarterdeck.planning.decide_file import read_decision
from quarterdeck.simulation.model import World
from quarterdeck.simulation.org import build_world
from quarterdeck.simulation.org_files import write_org_files
from quarterdeck.simulation.org_params import OrgParams
from tests.conftest import run_quarterdeck


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(OrgParams(engineers=12, years=1), 5)


@pytest.fixture(scope="module")
def simulated(world: World, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("sim-decide")
    written = write_org_files(world, out)
    db = out / "w.duckdb"
    org = [str(p) for k, p in written.items() if k.startswith(("hr/", "org/"))]
    done = run_quarterdeck("--db", str(db), "ingest", "org", *org)
    assert done.returncode == 0, done.stderr
    return out, db


def engineer_month_cost(world: World, since: date, until: date) -> float:
    """Every engineer stint's cost and FTE in each month of since..until, prorated by day."""
    cost = fte = 0.0
    month = date(since.year, since.month, 1)
    while month <= until:
        days = calendar.monthrange(month.year, month.month)[1]
        first, after = max(month, since), min(month + timedelta(days=days), until + timedelta(days=1))
        for person in world.people:
            for s in person.stints:
                if s.role != "engineer":
                    continue
                overlap = (min(s.end or world.end, after) - max(s.start, first)).days
                if overlap > 0:
                    cost += s.annual_cost / 12 * overlap / days
                    fte += overlap / days
        month = month + timedelta(days=days)
    return cost / fte


def test_the_example_decision_prices_engineering_at_the_simulated_organizations_cost(world, simulated) -> None:
    out, db = simulated
    path = out / "plans" / "build-vs-buy.yaml"
    decision = read_decision(path)
    last = world.end - timedelta(days=1)
    engineers = sum(len(people) for people in world.engineers_by_team(last).values())
    assert decision.inputs["shared.seats"].mode == max(10, -(-engineers // 10) * 10)
    assert [o.kind for o in decision.options] == ["build", "buy"] and decision.engineer_month_cost is None
    done = run_quarterdeck("--db", str(db), "decide", "build-vs-buy", str(path), "--format", "json", "--draws", "2000")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    since = last - timedelta(days=364)
    cost = next(row for row in document["assumptions"] if row["input"] == "engineer_month_cost")
    assert cost["origin"].startswith(f"the organization's: metric engineer_month_cost from {since} to {last}")
    # the warehouse dates a raise, promotion or move at the month-end export that first shows
    # it, the world at its day: up to a month early or late for each change, a fraction of a
    # percent of a year's engineer cost (here 0.56 %); a wrong window or role filter is off by far more
    assert cost["range"]["mode"] == pytest.approx(engineer_month_cost(world, since, last), rel=0.01)
    assert document["answer"]["cheaper"] in ("build", "buy")
    assert len(document["tornado"]["bars"]) == 9  # every range of the file


def test_the_demo_says_where_the_example_decision_is(tmp_path: Path) -> None:
    plans, db = tmp_path / "sim" / "plans", tmp_path / "demo.duckdb"
    lines = plan_lines(plans, db, 8000)
    decision = plans / "build-vs-buy.yaml"
    assert f"demo: plans/build-vs-buy.yaml: quarterdeck decide build-vs-buy {decision} --db {db}" in lines
    page = "http://127.0.0.1:8000/plans/decision/build-vs-buy.yaml"
    assert f"demo: plans/build-vs-buy.yaml on the dashboard: {page}" in lines
    assert f"demo: plans/plan.yaml: quarterdeck plan run {plans / 'plan.yaml'} --db {db}" in lines
    assert not any("dashboard" in line for line in plan_lines(plans, db, None))  # --no-serve
