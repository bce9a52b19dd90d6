"""``quarterdeck plan``: run a plan file as ranges, and compare its scenarios (docs/plans.md)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.context import db_options, open_for_reading, resolve_settings
from quarterdeck.cli.plan_gaps import gaps
from quarterdeck.core.errors import ConfigError
from quarterdeck.metrics.org_design import load_org
from quarterdeck.planning.model import ORGANIZATION
from quarterdeck.planning.plan_file import read_plan
from quarterdeck.planning.report import (
    BY,
    Run,
    band_text,
    compare_json,
    csv_rows,
    hidden_cost,
    quarter_labels,
    run_json,
    run_plan,
    scenario_names,
    shown_groups,
    year_ends,
)

FORMATS = ("table", "json", "csv")
_PLAN_ARG = click.argument("plan_path", metavar="PLAN.yaml", type=click.Path(dir_okay=False, path_type=Path))
_DRAWS = click.option(
    "--draws", type=click.IntRange(100, 1_000_000), default=10_000, show_default=True,
    help="Simulated futures; more draws give steadier bands and take longer.",
)  # fmt: skip
_SEED = click.option("--seed", type=int, default=0, show_default=True, help="The same seed gives the same answer.")
_FORMAT = click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="table", show_default=True,
    help="table for people, json (everything) or csv (one row per group, quarter and measure) for scripts.",
)  # fmt: skip


@click.group()
def plan() -> None:
    """Headcount, capacity and cost plans as ranges (P10/P50/P90), from a plan file.

    A plan file (YAML) says the horizon, the hires per team, level and quarter, new teams, the
    assumptions it wants to set and named scenarios; every assumption it does not set is
    learned from the organization's own history (or a stated default). See docs/plans.md.

    \b
    Examples:
      quarterdeck plan run plans/2027.yaml
      quarterdeck plan run plans/2027.yaml --scenario "Hiring freeze" --by team
      quarterdeck plan run plans/2027.yaml --draws 40000 --seed 7 --format json
      quarterdeck plan compare plans/2027.yaml
      quarterdeck plan gaps plans/2027.yaml
    """


@plan.command("run")
@_PLAN_ARG
@click.option("--scenario", metavar="NAME", help="A scenario of the plan file (default: the plan as written).")
@_DRAWS
@_SEED
@click.option(
    "--by", type=click.Choice(BY), default="org", show_default=True,
    help="Show the organization, every unit of the org tree, or every team.",
)  # fmt: skip
@click.option("--unit", metavar="NAME", help="Only this unit (id, name or alias) and what is under it.")
@_FORMAT
@db_options
def run(
    plan_path: Path, scenario: str | None, draws: int, seed: int, by: str, unit: str | None,
    output_format: str, db: Path | None, config_file: Path | None,
) -> None:  # fmt: skip
    """Run a plan: headcount, capacity and cost per quarter as P10/P50/P90.

    First every assumption the plan uses and where it comes from (the plan file's line, the
    organization's history over the plan's 'history' months, or a default), then per group
    and quarter: headcount at the quarter's end, effective capacity (FTE, ramp-up and
    mentoring drag counted), loaded cost, hires and leavers; then the chance of reaching each
    capacity target and of staying inside each budget.

    \b
    Examples:
      quarterdeck plan run plans/2027.yaml
      quarterdeck plan run plans/2027.yaml --scenario "Slower hiring" --by unit
      quarterdeck plan run plans/2027.yaml --by team --unit payments --format csv
    """
    settings = resolve_settings(db, config_file)
    plan_file = read_plan(plan_path)
    with open_for_reading(settings) as warehouse:
        _progress(output_format, f"running {scenario or 'the plan'} ({draws:,} draws)")
        result = run_plan(warehouse, settings, plan_file, scenario, draws, seed)
        ident = _unit_id(warehouse, result, unit)
    groups = shown_groups(result.built, by, ident)
    least = settings.min_group_size
    if output_format == "json":
        sys.stdout.write(json.dumps(run_json(result, groups, least), indent=2) + "\n")
    elif output_format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["scenario", "group", "quarter", "measure", "p10", "p50", "p90"])
        writer.writerows(csv_rows(result, groups, least))
    else:
        _print_run(result, groups, least)


@plan.command("compare")
@_PLAN_ARG
@_DRAWS
@_SEED
@_FORMAT
@db_options
def compare(
    plan_path: Path, draws: int, seed: int, output_format: str, db: Path | None, config_file: Path | None
) -> None:
    """Compare the plan and each of its scenarios side by side.

    For the whole organization at the end of each calendar year of the plan (and its last
    quarter): headcount, capacity and the quarter's loaded cost as P10/P50/P90, and each
    scenario's chance of reaching the capacity targets and of staying inside the budgets.
    Every scenario runs with the same draws and seed.

    \b
    Examples:
      quarterdeck plan compare plans/2027.yaml
      quarterdeck plan compare plans/2027.yaml --draws 2000 --format json
    """
    settings = resolve_settings(db, config_file)
    plan_file = read_plan(plan_path)
    runs = []
    with open_for_reading(settings) as warehouse:
        for name in scenario_names(plan_file):
            _progress(output_format, f"running {name or 'the plan'} ({draws:,} draws)")
            runs.append(run_plan(warehouse, settings, plan_file, name, draws, seed))
    least = settings.min_group_size
    data = compare_json(runs, least)
    if output_format == "json":
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    elif output_format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["scenario", "quarter", "measure", "p10", "p50", "p90"])
        for scenario in data["scenarios"]:
            for end in scenario["year_ends"]:
                for measure in ("headcount", "capacity", "cost"):
                    values = end[measure] or {"p10": "", "p50": "", "p90": ""}
                    writer.writerow([scenario["scenario"], end["quarter"], measure, *values.values()])
    else:
        _print_compare(runs, data, least)


def _progress(output_format: str, message: str) -> None:
    if sys.stderr.isatty() or output_format == "table":
        click.echo(message + " ...", err=True)


def _unit_id(warehouse: Any, result: Run, unit: str | None) -> str | None:
    if not unit:
        return None
    if unit in result.built.plan.groups or unit in result.built.plan.teams():
        return unit
    from quarterdeck.metrics.org_design import resolve_unit

    try:
        return resolve_unit(warehouse, load_org(warehouse, result.built.data_end), unit)
    except Exception as exc:  # a MetricError naming the known units
        raise ConfigError(f"--unit: {exc}") from None


# -- tables ----------------------------------------------------------------------------------


def _band(values: Any, unit: str = "") -> str:
    return band_text(values, unit)


def _print_assumptions(result: Run) -> None:
    built = result.built
    click.echo("Assumptions (value, then where it comes from):")
    rows = [(f"{a.name} {a.scope}".strip(), a.shown(), a.origin) for a in built.assumptions]
    width = max((len(r[0]) for r in rows), default=0)
    value_width = max((len(r[1]) for r in rows), default=0)
    for name, value, origin in rows:
        click.echo(f"  {name:<{width}}  {value:>{value_width}}  {origin}")


def _print_run(result: Run, groups: list[str], least: int) -> None:
    built, projection = result.built, result.projection
    labels = quarter_labels(built)
    click.echo(
        f"{built.plan_name}: {built.scenario}, {labels[0]}..{labels[-1]}, data to {built.data_end}, "
        f"{projection.draws:,} draws, seed {projection.seed}; amounts in {built.currency}, P10 / P50 / P90"
    )
    click.echo("")
    _print_assumptions(result)
    for name in groups:
        title = "Organization" if name == ORGANIZATION else f"{built.team_names.get(name, name)} ({name})"
        hide = hidden_cost(built, name, least)
        click.echo("")
        click.echo(title)
        head = ("quarter", "headcount", "capacity (FTE)", "cost", "hires", "leavers")
        rows = []
        for q, label in enumerate(labels):
            band = projection.quarterly[name]
            cost = f"hidden (fewer than {least} people)" if hide else _band(band["cost"][q])
            rows.append((label, _band(band["headcount"][q]), _band(band["capacity"][q], "fte"), cost,
                         _band(band["hires"][q]), _band(band["leavers"][q])))  # fmt: skip
        _table(head, rows)
    _print_chances(result, labels)


def _print_chances(result: Run, labels: list[str]) -> None:
    projection = result.projection
    if projection.targets:
        click.echo("")
        click.echo("Capacity targets:")
        for t in projection.targets:
            click.echo(
                f"  {t.target.group} {labels[t.target.quarter]} at least {t.target.fte:g} FTE: "
                f"{t.chance:.0%} chance (capacity {_band(t.band, 'fte')})"
            )
    if projection.budgets:
        click.echo("")
        click.echo("Budgets:")
        for b in projection.budgets:
            click.echo(
                f"  {b.budget.group} {b.budget.label} within {b.budget.amount:,.0f}: "
                f"{b.chance:.0%} chance (cost {_band(b.band)})"
            )
    for note in projection.notes:
        click.echo(f"note: {note}")


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    click.echo(
        "  "
        + "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(head, widths, strict=True)))
    )
    for row in rows:
        click.echo(
            "  "
            + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        )


def _print_compare(runs: list[Run], data: dict[str, Any], least: int) -> None:
    first = runs[0].built
    click.echo(
        f"{first.plan_name}: the plan and its scenarios, the whole organization at each year's end; "
        f"{data['draws']:,} draws, seed {data['seed']}; amounts in {first.currency}, P10 / P50 / P90"
    )
    head = ("scenario", "quarter", "headcount", "capacity (FTE)", "cost (quarter)")
    rows = []
    for run in runs:
        band = run.projection.quarterly[ORGANIZATION]
        cost = "hidden" if hidden_cost(run.built, ORGANIZATION, least) else None
        for q in year_ends(run.built):
            rows.append((run.built.scenario, str(run.built.start.plus(q)), _band(band["headcount"][q]),
                         _band(band["capacity"][q], "fte"), cost or _band(band["cost"][q])))  # fmt: skip
    click.echo("")
    _table(head, rows)
    labels = quarter_labels(first)
    for run in runs:
        if run.projection.targets or run.projection.budgets:
            click.echo("")
            click.echo(f"{run.built.scenario}:")
            for t in run.projection.targets:
                click.echo(
                    f"  capacity {t.target.group} {labels[t.target.quarter]} >= {t.target.fte:g}: {t.chance:.0%}"
                )
            for b in run.projection.budgets:
                click.echo(f"  budget {b.budget.group} {b.budget.label} <= {b.budget.amount:,.0f}: {b.chance:.0%}")
    click.echo("")
    click.echo("Each scenario's assumptions and their origins: quarterdeck plan run PLAN.yaml --scenario NAME")


plan.add_command(gaps)  # quarterdeck plan gaps: cli/plan_gaps.py
