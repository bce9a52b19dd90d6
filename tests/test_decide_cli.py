"""``quarterdeck decide build-vs-buy`` through the real command line, on the warehouse of
tests/decide_site.py: engineering time priced at the organization's own engineer-month cost
(8200, worked out there) unless the file gives one, the answer first, errors without a
traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.decide_site import ENGINEER_MONTH, cli, decide_warehouse
from tests.money_files import write

POINTS = """title: Feature flags
years: 2
discount_rate: 10%
options:
  build:
    engineers: 2
    months: 6
    maintenance_fte: 0.5
  buy:
    licence_per_seat: 100
    seats: 200
    integration: 1
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return decide_warehouse(tmp_path_factory.mktemp("decide"))


def decide_json(site: tuple[Path, Path], path: Path, *args: str) -> dict:
    done = cli(*site, "decide", "build-vs-buy", str(path), "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_engineer_month_cost_metric_is_the_engineers_cost_over_their_fte_months(site) -> None:
    done = cli(*site, "metrics", "show", "engineer_month_cost", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["rows"]
    assert [(r["group"], r["engineers"], r["engineer_fte_months"], r["engineer_cost"]) for r in rows] == [
        ("organization", 3, 30.0, 246000.0)
    ]
    assert rows[0]["engineer_month_cost"] == ENGINEER_MONTH


def test_engineering_time_is_priced_at_the_organizations_cost_and_says_so(site, tmp_path: Path) -> None:
    document = decide_json(site, write(tmp_path, "d.yaml", POINTS))
    c = ENGINEER_MONTH
    # build: year 1: 2 x c x 6 + 0.5 x c x 6; year 2: 0.5 x c x 12. buy: 20000 + 1 x c, then 20000.
    build, buy = [15 * c, 6 * c], [20000 + c, 20000.0]
    options = {o["name"]: o for o in document["options"]}
    assert options["build"]["tco"]["p50"] == pytest.approx(sum(build), abs=0.01)
    assert options["buy"]["npv"]["p50"] == pytest.approx(buy[0] / 1.1 + buy[1] / 1.21, abs=0.01)
    cost = next(row for row in document["assumptions"] if row["input"] == "engineer_month_cost")
    assert cost["value"] == "8,200"
    assert cost["origin"] == (
        "the organization's: metric engineer_month_cost from 2025-07-01 to 2026-06-30 (3 engineers, 30 FTE-months)"
    )
    assert document["answer"] == {
        "cheaper": "buy",
        "other": "build",
        "npv_difference": pytest.approx(
            {
                k: round(15 * c / 1.1 + 6 * c / 1.21 - 20000 / 1.1 - c / 1.1 - 20000 / 1.21, 2)
                for k in ("p10", "p50", "p90")
            },
            abs=0.02,
        ),
        "chance_cheaper": 1.0,
        "break_even_year": 1,
    }


def test_the_file_may_price_engineering_time_itself(site, tmp_path: Path) -> None:
    path = write(tmp_path, "d.yaml", POINTS.replace("options:", "engineer_month_cost: 10000\noptions:"))
    document = decide_json(site, path)
    cost = next(row for row in document["assumptions"] if row["input"] == "engineer_month_cost")
    assert (cost["value"], cost["origin"]) == ("10,000", "the decision file (d.yaml, line 4)")
    assert document["options"][0]["tco"]["p50"] == pytest.approx(15 * 10000 + 6 * 10000)


def test_the_table_gives_the_answer_first_then_bands_tornado_and_assumptions(site, tmp_path: Path) -> None:
    ranged = POINTS.replace("months: 6", "months: {low: 4, mode: 6, high: 12}").replace(
        "seats: 200", "seats: {low: 100, mode: 200, high: 400}"
    )
    done = cli(*site, "decide", "build-vs-buy", str(write(tmp_path, "d.yaml", ranged)), "--draws", "2000")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    lines = text.splitlines()
    assert lines[0] == "Feature flags: 2 years, amounts in USD, 2,000 draws (seed 0)"
    assert lines[2].startswith("Answer: buy is cheaper than build by ")
    order = [
        "Answer:",
        "Break-even:",
        "Cost per option",
        "Cumulative cost by year",
        "What moves the answer most",
        "Assumptions",
    ]
    assert [text.index(head) for head in order] == sorted(text.index(head) for head in order)
    tornado = text[text.index("What moves") : text.index("Assumptions")].splitlines()[1:3]
    # months swings build's cost by 8 months x 2.5 engineers x c ~ 164000 at most; seats buy's
    # licence by 300 seats x 100 x 2 years ~ 52000
    assert tornado[0].lstrip().startswith("build.months")
    assert tornado[1].lstrip().startswith("buy.seats")
    same = cli(*site, "decide", "build-vs-buy", str(tmp_path / "d.yaml"), "--draws", "2000")
    assert same.stdout == text  # same seed, same answer
    other = cli(*site, "decide", "build-vs-buy", str(tmp_path / "d.yaml"), "--draws", "2000", "--seed", "9")
    assert other.stdout != text


def test_a_bad_file_is_one_line_naming_file_and_line(site, tmp_path: Path) -> None:
    path = write(tmp_path, "d.yaml", POINTS.replace("months: 6", "months: {low: 7, mode: 6, high: 9}"))
    done = cli(*site, "decide", "build-vs-buy", str(path))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {path}:7: build.months: low (7) is above mode (6)"
    assert "Traceback" not in done.stdout + done.stderr
    missing = cli(*site, "decide", "build-vs-buy", str(tmp_path / "none.yaml"))
    assert (
        missing.returncode == 2
        and missing.stderr.strip() == f"error: {tmp_path / 'none.yaml'}: decision file not found"
    )


def test_a_warehouse_without_people_costs_asks_for_the_cost_in_the_file(tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    config = write(tmp_path, "quarterdeck.toml", "")
    path = write(tmp_path, "d.yaml", POINTS)
    assert (
        cli(db, config, "ingest", "org", str(write(tmp_path, "org-2026-01-01.yaml", "teams:\n  - id: a\n"))).returncode
        == 0
    )
    done = cli(db, config, "decide", "build-vs-buy", str(path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(
        f"error: {path}: the warehouse gives no engineer-month cost (no engineers with a cost"
    )
    assert "give engineer_month_cost in the decision file" in done.stderr


def test_help_shows_examples(site) -> None:
    done = cli(*site, "decide", "build-vs-buy", "--help")
    assert done.returncode == 0
    assert "quarterdeck decide build-vs-buy plans/build-vs-buy.yaml" in done.stdout
    assert "--draws" in done.stdout and "--seed" in done.stdout
