"""``quarterdeck plan gaps``: a plan's talent gaps per quarter, with the options that close
each (docs/talent-gaps.md)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from quarterdeck.cli.context import db_options, open_for_reading, resolve_settings
from quarterdeck.planning.gaps_report import CSV_HEADER, GapsRun, gaps_csv_rows, gaps_json, plan_gaps
from quarterdeck.planning.plan_file import read_plan

FORMATS = ("table", "json", "csv")


@click.command("gaps")
@click.argument("plan_path", metavar="PLAN.yaml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--scenario", metavar="NAME", help="A scenario of the plan file (default: the plan as written).")
@click.option(
    "--draws", type=click.IntRange(100, 1_000_000), default=10_000, show_default=True,
    help="Simulated futures: who stays, which seats are filled.",
)  # fmt: skip
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed gives the same answer.")
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="table", show_default=True,
    help="table for people, json (everything) or csv (a row per gap and quarter, then per option).",
)  # fmt: skip
@db_options
def gaps(
    plan_path: Path, scenario: str | None, draws: int, seed: int, output_format: str, db: Path | None,
    config_file: Path | None,
) -> None:  # fmt: skip
    """Talent gaps of a plan: skills per team, seniority mix and managers, per quarter.

    The plan file's 'needs:' section says what is wanted (docs/talent-gaps.md); the skills
    inventory (quarterdeck ingest skills) says who holds what; the plan's engine says the
    chance each person is still there and each seat is filled, quarter by quarter. Each gap
    gets its options: hire (time to fill and loaded cost of the level), train (time to
    proficiency, the capacity lost while training) and promote (people one level below with
    enough months in their level), and whether each closes the gap in time.

    \b
    Examples:
      quarterdeck plan gaps plans/2027.yaml
      quarterdeck plan gaps plans/2027.yaml --scenario "Hiring freeze" --format json
      quarterdeck plan gaps plans/2027.yaml --draws 2000 --seed 7 --format csv
    """
    settings = resolve_settings(db, config_file)
    plan_file = read_plan(plan_path)
    with open_for_reading(settings) as warehouse:
        if output_format == "table":
            click.echo(f"running {scenario or 'the plan'} ({draws:,} draws) ...", err=True)
        run = plan_gaps(warehouse, settings, plan_file, scenario, draws, seed)
    if output_format == "json":
        sys.stdout.write(json.dumps(gaps_json(run), indent=2) + "\n")
    elif output_format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        writer.writerows(gaps_csv_rows(run))
    else:
        print_gaps(run)


def print_gaps(run: GapsRun) -> None:
    data = gaps_json(run)
    click.echo(
        f"{data['plan']}: {data['scenario']}, {data['start']}..{data['end']}, {data['draws']:,} draws, "
        f"seed {data['seed']}; amounts in {data['currency']}"
    )
    for gap in data["gaps"]:
        click.echo("")
        click.echo(f"{gap['kind'].capitalize()}: {gap['group']} wants {gap['need']} ({gap['where']})")
        rows = [(q["quarter"], f"{q['needed']:.1f}", f"{q['supply']:.1f}", f"{q['gap']:.1f}") for q in gap["quarters"]]
        _table(("quarter", "needed", "supply", "gap"), rows)
        if gap["needed_quarter"] is None:
            click.echo("  no gap: nothing to do")
            continue
        click.echo(f"  first gap in {gap['needed_quarter']}, largest {gap['largest_gap']:.1f}; options:")
        for option in gap["options"]:
            click.echo(f"    {_option(option, run)}")
    click.echo("")
    for note in data["notes"]:
        click.echo(f"note: {note}")


def _option(option: dict, run: GapsRun) -> str:
    people = ", ".join(f"{run.names.get(p, p)} ({p})" for p in option["people"])
    who = f" ({people})" if people else ""
    ready = (
        f"ready {option['ready_quarter']} ({option['months']:g} months)" if option["months"] is not None else "never"
    )
    cost = f"{option['cost']:,.0f} {option['cost_basis']}" if option["cost"] is not None else "cost unknown"
    closes = "closes it in time" if option["closes"] else "does not close it in time"
    return f"{option['action']} {option['count']}{who}: {ready}, {cost}; {closes} [{option['note']}]"


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    for row in (head, *rows):
        cells = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        click.echo("  " + "  ".join(cells))
