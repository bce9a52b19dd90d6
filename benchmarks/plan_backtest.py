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
``--verbose`` lists every missed team-quarter. The backtest itself is tests/plan_backtest_org.py
(tests/test_plan_backtest.py runs it on a small organization).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.plan_backtest_org import Backtest, backtest


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
