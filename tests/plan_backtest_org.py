"""The plan backtest on the simulator (decision 0065): a plan made from the simulated
organization's first year, against the simulator's truth for its second.

``backtest(engineers, seed, folder, draws)``: the organization alone (``build_world``, no git),
its first year's HR exports and org files into a fresh warehouse, a year-2 plan file (every
team with engineers ``growth: 10%``, the simulator's own growth target), ``build_plan`` and
``simulate``, and per team existing at the plan's start and quarter whether the truth at the
quarter's last month end is inside [P10, P90]; the organization's total likewise. Used by
``benchmarks/plan_backtest.py`` (the figures in docs/performance.md) and
``tests/test_plan_backtest.py``.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from quarterdeck.config import Settings
from quarterdeck.core.clock import now
from quarterdeck.ingest.org_ingest import OrgImportOptions, ingest_org
from quarterdeck.metrics.org_design import load_org
from quarterdeck.planning.engine import simulate
from quarterdeck.planning.model import ORGANIZATION
from quarterdeck.planning.plan import build_plan, is_manager
from quarterdeck.planning.plan_file import read_plan
from quarterdeck.planning.plan_values import add_months
from quarterdeck.simulation.org import build_world
from quarterdeck.simulation.org_files import write_org_files, write_org_truth
from quarterdeck.simulation.org_params import OrgParams
from quarterdeck.store import open_warehouse


@dataclass
class Backtest:
    """One backtest: per (team, quarter) whether the truth fell inside [P10, P90], and how."""

    engineers: int
    seed: int
    teams: int = 0
    inside: dict[tuple[str, int], bool] = field(default_factory=dict)
    above: Counter[int] = field(default_factory=Counter)  # misses with the truth above P90, by quarter
    below: Counter[int] = field(default_factory=Counter)
    org: list[tuple[int, float, float, float]] = field(default_factory=list)  # per quarter: truth, P10, P50, P90
    # the same coverage of single draws of the model itself (another seed): what a model whose
    # every assumption were right would score, given whole-number headcounts and inclusive bands
    reference: float = float("nan")
    assumptions: dict[str, str] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def coverage(self, quarter: int | None = None) -> float:
        cells = [v for (_, q), v in self.inside.items() if quarter is None or q == quarter]
        return sum(cells) / len(cells) if cells else float("nan")

    def org_inside(self) -> int:
        return sum(p10 <= truth <= p90 for truth, p10, _, p90 in self.org)


def backtest(
    engineers: int,
    seed: int,
    folder: Path,
    draws: int = 10_000,
    growth: float | None = None,
    references: int = 20,
    assumptions: dict[str, str] | None = None,
) -> Backtest:
    """The backtest of one simulated organization, its files and warehouse under ``folder``."""
    result = Backtest(engineers, seed)
    began = time.perf_counter()
    params = OrgParams(engineers=engineers, years=2)
    world = build_world(params, seed)
    sim = folder / "sim"
    write_org_files(world, sim)
    write_org_truth(world, sim)
    year_end = date(params.start.year + 1, 1, 1) - timedelta(days=1)
    result.seconds["simulate"] = time.perf_counter() - began

    began = time.perf_counter()
    db = folder / "backtest.duckdb"
    first_year = [
        path
        for path in sorted((sim / "hr").glob("*.csv")) + sorted((sim / "org").glob("*.yaml"))
        if date.fromisoformat(path.stem.split("-", 1)[1]) <= year_end
    ]
    settings = Settings(db=db)
    with open_warehouse(db) as warehouse:
        ingest_org(warehouse, first_year, OrgImportOptions(as_of=None, today=year_end), now())
    result.seconds["ingest"] = time.perf_counter() - began

    with open_warehouse(db, read_only=True) as warehouse:
        org = load_org(warehouse, year_end)
        grown = sorted({p.team_id for p in org.people.values() if p.team_id and not is_manager(p.title, p.level)})
        plan_path = folder / "plan.yaml"
        yearly = params.growth if growth is None else growth
        plan_path.write_text(plan_yaml(year_end, grown, yearly, assumptions), "utf-8")
        began = time.perf_counter()
        built = build_plan(warehouse, settings, read_plan(plan_path), today=year_end)
        result.seconds["build_plan"] = time.perf_counter() - began
    began = time.perf_counter()
    projection = simulate(built.plan, draws, 0)
    result.seconds["engine"] = time.perf_counter() - began
    compare(result, projection, truth_of(sim / "truth" / "headcount.csv"), built.start.first_day)
    result.reference = self_coverage(projection, references)
    result.assumptions = {a.name: a.shown() for a in built.assumptions if not a.scope}
    return result


def self_coverage(projection, draws: int) -> float:
    """The share of team-quarters in which one draw of the model (seeds 1..draws) falls inside
    the bands: the coverage the backtest would show if the truth behaved as the model does."""
    plan = projection.plan
    teams = leaf_teams(plan)
    inside = total = 0
    for seed in range(1, draws + 1):
        one = simulate(plan, 1, seed)
        for team in teams:
            bands, value = projection.quarterly[team]["headcount"], one.quarterly[team]["headcount"][:, 1]
            inside += int(((bands[:, 0] <= value) & (value <= bands[:, 2])).sum())
            total += len(value)
    return inside / total if total else float("nan")


def leaf_teams(plan) -> list[str]:
    """The plan's teams that are not units with teams under them: a unit is a group of the
    projection, whose band (its subtree's) wins over its own seats'."""
    return [team for team in plan.teams() if plan.groups.get(team, (team,)) == (team,)]


def plan_yaml(year_end: date, teams: list[str], growth: float, assumptions: dict[str, str] | None = None) -> str:
    """The year-2 plan: every team with engineers grows ``growth`` a year; ``assumptions``
    (plan file values, such as {"mobility": "0%"}) set instead of learned."""
    start = f"{year_end.year + 1}Q1"
    lines = [
        "name: Backtest of year 2",
        f"start: {start}",
        "horizon: 4",
        "history: 12",
        "hiring:",
    ]
    for team in teams:
        lines += [f"  - team: {team}", f"    growth: {growth:.4f}"]
    if assumptions:
        lines += ["assumptions:", *(f"  {key}: {value}" for key, value in assumptions.items())]
    return "\n".join(lines) + "\n"


def truth_of(path: Path) -> dict[date, dict[str, int]]:
    """Headcount per month end and team, from the simulator's truth."""
    truth: dict[date, dict[str, int]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            truth.setdefault(date.fromisoformat(row["month_end"]), {})[row["team_id"]] = int(row["headcount"])
    return truth


def quarter_end(first_day: date, quarter: int) -> date:
    """The last day of the plan's ``quarter`` (0: the first)."""
    return add_months(first_day, 3 * quarter + 3) - timedelta(days=1)


def compare(result: Backtest, projection, truth: dict[date, dict[str, int]], first_day: date) -> None:
    plan = projection.plan
    teams = leaf_teams(plan)
    result.teams = len(teams)
    for quarter in range(plan.quarters):
        day = quarter_end(first_day, quarter)
        counts = truth[day]
        for team in teams:
            p10, p50, p90 = projection.quarterly[team]["headcount"][quarter]
            real = counts.get(team, 0)
            inside = p10 <= real <= p90
            result.inside[(team, quarter)] = inside
            if not inside:
                (result.above if real > p90 else result.below)[quarter] += 1
                result.misses.append(f"Q{quarter + 1} {team}: truth {real}, band {p10:g} / {p50:g} / {p90:g}")
        p10, p50, p90 = projection.quarterly[ORGANIZATION]["headcount"][quarter]
        result.org.append((sum(counts.values()), p10, p50, p90))
