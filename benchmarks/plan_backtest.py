"""Backtest of the plan engine on the simulator: are the P10-P90 bands right about 80 % of the time?

Usage:
    python benchmarks/plan_backtest.py [--engineers 100 500] [--seeds 1 2 3] [--draws 10000] [--verbose]

For each size and seed:

1. The simulator's organization alone (``simulation.org.build_world(OrgParams(engineers=N,
   years=2), seed)``, no git), its HR exports, org files and ``truth/headcount.csv``.
2. Only the FIRST year's files (HR exports and org files dated up to the end of year 1) are
   ingested into a fresh warehouse: the plan knows nothing of year 2.
3. A plan file for year 2 (start: year 2's Q1, horizon 4 quarters, history 12 months, every
   assumption learned from the first year) whose hiring is the organization's own plan: the
   simulator grows its engineers ``OrgParams.growth`` (10 %) a year, so every team with
   engineers gets ``growth: 10%`` (the plan does not know into which teams the simulator will
   place its hires, so it spreads the growth over the teams it has, in proportion to their size).
4. ``build_plan`` + ``engine.simulate`` (``--draws``, seed 0), compared with the truth at each
   quarter's last month end: for every team that has people at the plan's start, is its truth
   inside [P10, P90] of its headcount band? A team dissolved during year 2 has truth 0 (it
   counts, as a miss unless its band reaches 0). Teams formed during year 2 cannot be in the
   plan: they are not team-quarters of the backtest, but their people count in the
   organization's truth, which is compared with the plan's ``org`` band likewise.

Prints, per run, coverage overall, per quarter, the organization's truth against its band,
how the misses split (truth above P90 / below P10) and the time taken; then the totals.
``--verbose`` lists every missed team-quarter. ``backtest(...)`` is what
tests/test_plan_backtest.py runs on a small organization.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
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


def report(result: Backtest, verbose: bool) -> None:
    quarters = len(result.org)
    per_quarter = "  ".join(f"Q{q + 1} {result.coverage(q):.0%}" for q in range(quarters))
    above, below = sum(result.above.values()), sum(result.below.values())
    print(f"{result.engineers} engineers, seed {result.seed}: {result.teams} teams, "
          f"team-quarters inside P10-P90 {result.coverage():.1%} ({per_quarter}); "
          f"misses: {above} above P90, {below} below P10; the model's own draws: {result.reference:.1%}")  # fmt: skip
    for q, (truth, p10, p50, p90) in enumerate(result.org):
        mark = "inside" if p10 <= truth <= p90 else "OUTSIDE"
        print(f"    org Q{q + 1}: truth {truth} against {p10:g} / {p50:g} / {p90:g}  {mark}")
    print("    assumptions: " + ", ".join(f"{k} {v}" for k, v in result.assumptions.items()))
    times = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.seconds.items())
    print(f"    time: {times}", flush=True)
    if verbose:
        for miss in result.misses:
            print(f"      {miss}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engineers", type=int, nargs="+", default=[100, 500])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument(
        "--assume", action="append", default=[], metavar="KEY=VALUE",
        help="An assumption of the plan file instead of the learned one, e.g. mobility=0%%",
    )  # fmt: skip
    args = parser.parse_args()
    assumed = dict(item.split("=", 1) for item in args.assume)
    results = []
    for engineers in args.engineers:
        for seed in args.seeds:
            with tempfile.TemporaryDirectory(prefix="quarterdeck-backtest-") as scratch:
                result = backtest(engineers, seed, Path(scratch), args.draws, assumptions=assumed)
            report(result, args.verbose)
            results.append(result)
    cells = [v for r in results for v in r.inside.values()]
    org = sum(r.org_inside() for r in results)
    org_cells = sum(len(r.org) for r in results)
    above = sum(sum(r.above.values()) for r in results)
    below = sum(sum(r.below.values()) for r in results)
    reference = sum(r.reference for r in results) / len(results)
    print(f"all runs: team-quarters inside P10-P90 {sum(cells) / len(cells):.1%} of {len(cells)} "
          f"({above} above P90, {below} below P10; the model's own draws: {reference:.1%}); "
          f"organization inside in {org} of {org_cells} quarters")  # fmt: skip
    sys.stdout.flush()


if __name__ == "__main__":
    main()
