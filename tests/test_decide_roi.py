"""``quarterdeck decide roi`` through the real command line on the organization of
tests/allocation_golden.py, whose investment allocation for March 2026 is known by hand:
the work on epic ENG-1 (objective grow) cost 8,875 (Alice's half month, 5,000, and Carol's
halves on her two teams, 1,250 + 2,625; tests/test_investment_allocation.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.test_investment_allocation import build

SPENT = 5000 + 1250 + 2625
FILE = """title: Checkout
horizon: 2
discount_rate: 10%
until: 2026-03-31
initiatives:
  - name: New checkout
    epics: [eng-1]
    since: 2026-03-01
    remaining_cost: 1125
    benefits:
      revenue: 12000
  - name: Grow
    objective: grow
    remaining_cost: 3125
    benefits:
      revenue: [6000, 12000]
  - name: Too dear
    epics: [ENG-1]
    remaining_cost: {low: 90000, mode: 100000, high: 110000}
    benefits:
      savings: {low: 1000, mode: 2000, high: 3000}
"""


@pytest.fixture(scope="module")
def org(tmp_path_factory) -> dict:
    return build(tmp_path_factory.mktemp("roi"))


def roi(org: dict, path: Path, *args: str):
    return run_quarterdeck("decide", "roi", str(path), *org["base"], *args)


def test_cost_so_far_comes_from_the_allocation_and_roi_and_payback_are_hand_worked(org, tmp_path: Path) -> None:
    path = tmp_path / "initiatives.yaml"
    path.write_text(FILE)
    done = roi(org, path, "--format", "json", "--draws", "1000")
    assert done.returncode == 0, done.stderr
    found = {item["name"]: item for item in json.loads(done.stdout)["initiatives"]}
    checkout = found["New checkout"]
    assert checkout["spent_so_far"]["cost"] == SPENT
    assert checkout["spent_so_far"]["since"] == "2026-03-01"
    assert checkout["spent_so_far"]["origin"] == "metric investment_allocation_items (the investment allocation)"
    # cost 8875 + 1125 = 10000; benefits 12000 a year: present value 12000/1.1 + 12000/1.21
    benefits = 12000 / 1.1 + 12000 / 1.21
    assert checkout["cost"] == {"p10": 10000, "p50": 10000, "p90": 10000}
    assert checkout["benefits"]["p50"] == pytest.approx(benefits, abs=0.01)
    assert checkout["roi"]["p50"] == pytest.approx((benefits - 10000) / 10000, abs=1e-4)
    assert checkout["payback_month"] == {"p10": 10, "p50": 10, "p90": 10}  # 1000 a month reaches 10000 in month 10
    assert checkout["chance_positive"] == 1.0
    grow = found["Grow"]  # by objective, over the metric's 12 months: the same work
    assert grow["spent_so_far"]["cost"] == SPENT and grow["objective"] == "grow"
    # cost 12000; 500 a month in year 1 (6000), then 1000 a month: 12000 is reached in month 18
    assert grow["payback_month"]["p50"] == 18
    assert grow["roi"]["p50"] == pytest.approx((6000 / 1.1 + 12000 / 1.21 - 12000) / 12000, abs=1e-4)
    dear = found["Too dear"]
    assert dear["payback_month"] == {"p10": None, "p50": None, "p90": None}
    assert dear["chance_positive"] == 0.0
    assert dear["cost"]["p10"] < SPENT + 100000 < dear["cost"]["p90"]


def test_the_table_names_the_roi_payback_and_where_the_cost_comes_from(org, tmp_path: Path) -> None:
    path = tmp_path / "initiatives.yaml"
    path.write_text(FILE)
    done = roi(org, path, "--draws", "1000")
    assert done.returncode == 0, done.stderr
    assert "New checkout:\n  ROI P50 108% (P10 108%, P90 108%)" in done.stdout
    assert "payback: P50 month 10" in done.stdout
    assert "payback: P50 beyond the horizon" in done.stdout
    assert "spent so far: 8,875 (" in done.stdout and "epics eng-1" in done.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (FILE.replace("    objective: grow\n", ""), ":12: initiative 'Grow': give its epics or its objective"),
        (
            FILE.replace("revenue: [6000, 12000]", "revenue: [6000]"),
            ":16: initiative 'Grow': benefits.revenue: expected one amount per year of the horizon (2), got 1",
        ),
        (FILE.replace("since: 2026-03-01", "since: March"), ":8: initiative 'New checkout': since: expected a date"),
        (
            FILE.replace("remaining_cost: 1125", "remaining_cost: {low: 2, mode: 1, high: 3}"),
            ":9: initiative 'New checkout': remaining_cost: low (2) is above mode (1)",
        ),
    ],
)
def test_a_bad_initiatives_file_is_one_line_naming_file_and_line(org, tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "initiatives.yaml"
    path.write_text(text)
    done = roi(org, path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"error: {path}{message}"), done.stderr
