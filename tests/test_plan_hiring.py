"""A plan's time to fill and offer acceptance learned from the hiring pipeline, on the
hand-written organization of tests/plan_history_org.py (window 2026-01-01..2026-12-31) with
positions and an applicant tracking export of its own. Every value is worked out by hand."""

from __future__ import annotations

import json
import math
import statistics
from datetime import date
from pathlib import Path

import pytest

from quarterdeck.planning.learn import learn
from quarterdeck.store import open_warehouse
from tests.conftest import run_quarterdeck
from tests.money_files import write
from tests.plan_history_org import CONFIG, SETTINGS, build

END = date(2026, 12, 31)
POSITIONS = """id,team,level,start_month,annual_cost,currency,status,opened
P0,payments,IC3,2026-01,100000,EUR,filled,2025-10-01
P1,payments,IC3,2026-04,100000,EUR,filled,2026-02-01
P2,payments,IC3,2026-07,100000,EUR,filled,2026-05-01
P3,search,IC2,2026-08,80000,EUR,filled,2026-06-01
P4,payments,IC3,2027-03,100000,EUR,open,2026-11-01
"""
# P0 answered in 2025: outside the window. P1: k1's offer, declined on 03-01, 28 days after the
# opening (02-01); k2 hired 03-15, 14 days after k1's answer. P2: k3 hired 06-10, 40 days after
# 05-01. P3 (IC2): k4 hired 07-21, 50 days after 06-01. P4: k5 has no offer yet.
HIRING = """requisition,candidate,stage,date,outcome,source
P0,k0,applied,2025-10-05,,inbound
P0,k0,offer,2025-12-01,,
P0,k0,hired,2025-12-20,hired,
P1,k1,applied,2026-02-05,,referral
P1,k1,offer,2026-03-01,offer declined,
P1,k2,applied,2026-02-10,,inbound
P1,k2,offer,2026-03-05,,
P1,k2,hired,2026-03-15,hired,
P2,k3,applied,2026-05-03,,agency
P2,k3,offer,2026-06-01,,
P2,k3,hired,2026-06-10,hired,
P3,k4,applied,2026-06-02,,inbound
P3,k4,offer,2026-07-01,,
P3,k4,hired,2026-07-21,hired,
P4,k5,applied,2026-11-05,,inbound
"""
HOW = "median days from the requisition's opening (or its previous answered offer) to an offer's answer"


def hiring_db(folder: Path, hiring: str) -> Path:
    db = build(folder)
    for kind, name, text in (("positions", "hiring-positions.csv", POSITIONS), ("hiring", "hiring.csv", hiring)):
        done = run_quarterdeck("--db", str(db), "ingest", kind, str(write(folder, name, text)))
        assert done.returncode == 0, done.stderr
    return db


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hiring_db(tmp_path_factory.mktemp("plan-hiring"), HIRING)


def test_time_to_fill_and_acceptance_come_from_the_answered_offers(db: Path) -> None:
    with open_warehouse(db) as warehouse:
        history = learn(warehouse, SETTINGS, END, 12, "USD")
    # All levels: 28, 14, 40, 50 days: median 34; 3 hires of 4 answered offers.
    assert history.fill_org.value == (34.0, pytest.approx(statistics.pstdev([math.log(d) for d in (28, 14, 40, 50)])))
    assert (
        history.fill_org.origin
        == f"history: hiring pipeline, 3 hires of 4 answered offers: {HOW}, 2026-01..2026-12 (all levels)"
    )
    assert history.acceptance.value == 0.75
    assert history.acceptance.origin == "history: hiring pipeline, 3 hires of 4 answered offers, 2026-01..2026-12"
    # IC3: 28, 14, 40: median 28; IC2 has one answered offer: the organization's figure.
    median, spread = history.fill["IC3"].value
    assert median == 28.0 and spread == pytest.approx(statistics.pstdev([math.log(d) for d in (28, 14, 40)]))
    assert (
        history.fill["IC3"].origin
        == f"history: hiring pipeline, 2 hires of 3 answered offers of IC3: {HOW}, 2026-01..2026-12"
    )
    assert set(history.fill) == {"IC3"}


def test_too_few_answered_offers_keep_the_departures_rule(tmp_path: Path) -> None:
    few = "\n".join(line for line in HIRING.splitlines() if not line.startswith(("P2", "P3"))) + "\n"
    with open_warehouse(hiring_db(tmp_path, few)) as warehouse:
        history = learn(warehouse, SETTINGS, END, 12, "USD")
    # Two answered offers in the window: the departures' median of 10, 30, 60 days (test_plan_history).
    assert history.fill_org.value[0] == 30 and "departures to the next start" in history.fill_org.origin
    assert history.acceptance.value == 1.0 and "already includes declined offers" in history.acceptance.origin


def test_the_plan_lists_the_hiring_pipeline_as_the_origin(db: Path) -> None:
    config = write(db.parent, "quarterdeck.toml", CONFIG)
    plan = write(db.parent, "grow.yaml", "name: Grow\nhorizon: 4\n")  # the open position P4 (IC3) is a seat to fill
    done = run_quarterdeck("--db", str(db), "--config", str(config), "plan", "run", str(plan), "--draws", "200",
                           "--format", "json", env={"QUARTERDECK_TODAY": "2027-01-15"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    shown = {(a["name"], a["scope"]): a for a in json.loads(done.stdout)["assumptions"]}
    assert shown[("time_to_fill", "IC3")]["origin"].startswith("history: hiring pipeline, 2 hires of 3 answered")
    assert shown[("offer_acceptance", "IC3")]["value"] == 0.75
    assert shown[("offer_acceptance", "IC3")]["origin"].startswith("history: hiring pipeline, 3 hires of 4")
