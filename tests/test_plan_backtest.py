"""The plan backtest (decision 0065) on small simulated organizations: a plan made from the
first year's data, every assumption learned from it, against the simulator's truth for the
second year (tests/plan_backtest_org.py; the figures for 100 and 500 engineers are in
docs/performance.md, from ``python benchmarks/plan_backtest.py``).

Six organizations of 60 engineers (seeds 1-6), 2,000 draws each (fewer than the benchmark's
10,000 to stay fast: the six runs take about 4 s; at 10,000 draws the same runs score 94.2 %
and 24 of 24, one team-quarter more). Measured when written: 93.8 % of 240 team-quarters
inside their P10-P90 (96.7 %, 91.7 %, 93.3 %, 93.3 % by quarter), the organization inside its
band in 24 of 24 quarters. The floors, 90 % (80 % in every quarter) and 20 of 24, are a
little under that. Seen failing with a worse model: without
moves between teams (`mobility: 0%`) 84.2 % of team-quarters; without attrition 9 of 24
organization-quarters, without backfills 9 of 24 (the last is checked below, so the floors
are known to bite); the model before decision 0065 (growth rounded per quarter, no moves)
66.3 % and 14 of 24.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.plan_backtest_org import Backtest, backtest

SEEDS = range(1, 7)
ENGINEERS = 60
DRAWS = 2_000
TEAM_FLOOR = 0.90  # measured 0.938
ORG_FLOOR = 20  # of 24 organization-quarters; measured 24


def run_all(folder: Path, assumptions: dict[str, str] | None = None) -> list[Backtest]:
    runs = []
    for seed in SEEDS:
        where = folder / f"seed-{seed}"
        where.mkdir()
        runs.append(backtest(ENGINEERS, seed, where, DRAWS, references=0, assumptions=assumptions))
    return runs


def team_coverage(runs: list[Backtest]) -> float:
    cells = [inside for run in runs for inside in run.inside.values()]
    return sum(cells) / len(cells)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> list[Backtest]:
    return run_all(tmp_path_factory.mktemp("backtest"))


def test_the_truth_falls_inside_the_team_bands(runs: list[Backtest]) -> None:
    assert sum(len(run.inside) for run in runs) == 240  # 10 teams x 4 quarters x 6 organizations
    assert team_coverage(runs) >= TEAM_FLOOR, [miss for run in runs for miss in run.misses]
    for quarter in range(4):  # no quarter left behind (growth placed at the wrong time would be)
        cells = [inside for run in runs for (_, q), inside in run.inside.items() if q == quarter]
        assert sum(cells) / len(cells) >= 0.8, quarter


def test_the_organizations_truth_falls_inside_its_band_in_most_quarters(runs: list[Backtest]) -> None:
    inside = sum(run.org_inside() for run in runs)
    assert inside >= ORG_FLOOR, [run.org for run in runs]


def test_the_floors_catch_a_model_without_backfills(tmp_path: Path) -> None:
    worse = run_all(tmp_path, {"backfill": "0%"})
    assert sum(run.org_inside() for run in worse) < ORG_FLOOR
