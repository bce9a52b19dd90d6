"""``quarterdeck simulate``: generate a realistic engineering organization as input files."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from quarterdeck.cli.output import emit
from quarterdeck.core.errors import ConfigError
from quarterdeck.simulation.org_params import OrgParams
from quarterdeck.simulation.run import SimulationParams, simulate


@click.command("simulate")
@click.option("--engineers", type=click.IntRange(5, 20_000), default=60, show_default=True,
              help="Engineers at the start (the organization grows and churns from there).")  # fmt: skip
@click.option("--years", type=click.IntRange(1, 10), default=2, show_default=True, help="Years simulated.")
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed gives byte-identical output.")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), help="First day (default 2024-01-01).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write into; it must be empty or not exist.")  # fmt: skip
@click.option("--workers", type=click.IntRange(1, 64), help="Processes writing git repositories (default: cores).")
@click.option("--git-compression", type=click.IntRange(0, 9), default=1, show_default=True,
              help="zlib level of the git objects: 0 writes and reads about a fifth faster, in packs "
                   "about 1.7 times larger.")  # fmt: skip
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="table for people, json or csv for scripts.")  # fmt: skip
def simulate_command(
    engineers: int,
    years: int,
    seed: int,
    start: Any,
    out: Path,
    workers: int | None,
    git_compression: int,
    output_format: str,
) -> None:
    """Generate a simulated engineering organization: the files a real one gives Quarterdeck.

    Writes HR exports (one per month end), org files, CODEOWNERS, the budget, software
    contracts, company figures and investment rules (finance/), survey answers, and one git
    repository per service repository, with the pull requests and commits of the
    organization's engineers; beside them, truth/ holds what the simulator knows (headcount
    per team and month, attrition, every pull request's waits, the money figures and
    business metrics, each person-month's mix of work), to check Quarterdeck's numbers
    against. Parameters and their sources: docs/simulation.md.

    \b
    Examples:
      quarterdeck simulate --out sim                       # 60 engineers, 2 years
      quarterdeck simulate --engineers 500 --years 3 --seed 7 --out big
      quarterdeck ingest org sim/hr sim/org && quarterdeck ingest git sim/git
    """
    if out.exists() and any(out.iterdir()):
        raise ConfigError(f"{out}: the folder is not empty; give a new or empty folder to --out")
    org = OrgParams(engineers=engineers, years=years)
    if start is not None:
        org = replace(org, start=start.date())
    err = Console(stderr=True, highlight=False)
    began, last = time.perf_counter(), [time.perf_counter()]

    def step(name: str) -> None:
        now = time.perf_counter()
        err.print(f"simulating: {name} ({now - began:.1f} s)")
        last[0] = now

    summary = simulate(
        SimulationParams(org=org),
        seed,
        out,
        workers=workers or os.cpu_count() or 1,
        step=step,
        compression=git_compression,
    )
    columns = ["out", "seed", "people", "teams", "repositories", "pull_requests", "commits", "seconds"]
    row = [str(out), seed, summary.people, summary.teams, summary.repositories, summary.pull_requests,
           summary.commits, round(time.perf_counter() - began, 1)]  # fmt: skip
    emit(columns, [row], output_format, title="Simulated organization")
