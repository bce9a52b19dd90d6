"""Benchmark: the planning engine on a 500-engineer organization, 10,000 draws x 36 months.

Usage:
    python benchmarks/plan_engine.py [--draws 10000] [--reps 3] [--seed 0] [--no-convergence]

1. The plan: ``tests/plan_org.py`` (75 teams of 6-7 engineers, IC1-IC6, with M1-M3
   managers, 10 units and 3 divisions: 758 seats with 20 open positions and 150 planned
   hires over 12 quarters; attrition 17 % in the first year, 13 % in the second, 11 % after).
2. In one process, ``--reps`` times each, median seconds (wall and CPU of this process):
   - the reference: what NumPy takes just to draw one uniform per month, draw and seat
     (36 x 10,000 x 758, float32, month by month from one ``default_rng``): the random
     numbers a dense per-month engine would need for attrition alone;
   - ``planning.engine.simulate(plan, draws, seed)``: the whole projection (bands for 89
     teams and groups, monthly bands for the 14 groups, seat shares).
3. Convergence: P50 of the organization's headcount, capacity and cost in every quarter
   at 10,000 and at 40,000 draws (other seed); the largest relative difference, against 0.5 %.
Target (issue 17): 10,000 draws x 36 months for a 500-engineer organization under 2 s on
2 cores. It prints seconds, the ratio to the reference and PASS/FAIL; the exit status is 0.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.machine import cpu_model
from tests.plan_org import five_hundred_engineers

from quarterdeck.planning.engine import simulate
from quarterdeck.planning.model import ORGANIZATION

TARGET_S = 2.0
CONVERGENCE = 0.005


def timed(step: Callable[[], object], reps: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``step`` over ``reps`` runs."""
    walls, cpus = [], []
    for _ in range(reps):
        wall, cpu = time.perf_counter(), time.process_time()
        step()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def uniforms(months: int, draws: int, seats: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(months):
        rng.random((draws, seats), dtype=np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-convergence", action="store_true")
    parser.add_argument(
        "--mobility",
        type=float,
        default=0.0,
        help="moves between teams per engineer-year (a plan learned from history has some: 0.09)",
    )
    args = parser.parse_args()
    plan = replace(five_hundred_engineers(), mobility=args.mobility)
    engineers = sum(1 for s in plan.seats if s.tenure is not None and s.capacity > 0)
    print(f"{platform.machine()}, {os.cpu_count()} cores ({cpu_model()}), Python {platform.python_version()}, "
          f"NumPy {np.__version__}; load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(f"plan: {engineers} engineers, {len(plan.seats)} seats, {len(plan.teams())} teams, "
          f"{len(plan.groups)} groups, {plan.months} months, moves between teams {plan.mobility:.0%} a year; "
          f"{args.draws:,} draws")  # fmt: skip
    simulate(plan, 500, args.seed)  # warm-up: imports, allocator
    reference = timed(lambda: uniforms(plan.months, args.draws, len(plan.seats), args.seed), args.reps)
    engine = timed(lambda: simulate(plan, args.draws, args.seed), args.reps)
    print(f"\nmedians of {args.reps} runs in one process")
    print(f"{'step':<58} {'wall s':>7} {'cpu s':>7} {'ratio':>6}")
    print(f"{'reference: uniforms months x draws x seats (float32)':<58} {reference[0]:7.3f} {reference[1]:7.3f}")
    print(f"{'simulate(plan, draws, seed)':<58} {engine[0]:7.3f} {engine[1]:7.3f} {engine[0] / reference[0]:6.2f}")
    verdict = "PASS" if engine[0] < TARGET_S else "FAIL"
    print(f"\ntarget: {args.draws:,} draws x {plan.months} months under {TARGET_S:.0f} s: {engine[0]:.2f} s, {verdict}")
    if not args.no_convergence:
        converge(plan, args.seed)


def converge(plan, seed: int) -> None:
    small, large = simulate(plan, 10_000, seed), simulate(plan, 40_000, seed + 1)
    worst = {}
    for measure in ("headcount", "capacity", "cost"):
        a = small.quarterly[ORGANIZATION][measure][:, 1]
        b = large.quarterly[ORGANIZATION][measure][:, 1]
        worst[measure] = float(np.max(np.abs(a - b) / b))
    text = ", ".join(f"{m} {100 * w:.3f} %" for m, w in worst.items())
    verdict = "PASS" if max(worst.values()) <= CONVERGENCE else "FAIL"
    print(f"convergence: P50 by quarter, 10,000 vs 40,000 draws, largest difference: {text}; "
          f"within {100 * CONVERGENCE:.1f} %: {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
