"""``quarterdeck decide``: settle a build-vs-buy question, or an initiative's return, as ranges."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.context import db_options, open_for_reading, resolve_settings
from quarterdeck.planning.build_vs_buy import DEFAULT_DRAWS
from quarterdeck.planning.decide_file import read_decision
from quarterdeck.planning.decide_report import needs_warehouse, outcome_json, run_decision
from quarterdeck.planning.engineer_cost import currency_of
from quarterdeck.planning.initiative_file import read_initiatives
from quarterdeck.planning.initiative_roi import run_roi

MAX_DRAWS = 1_000_000


@click.group()
def decide() -> None:
    """Settle a build-vs-buy question or an initiative's return on investment, as ranges.

    Each number of the file may be a range; a seeded Monte Carlo gives P10/P50/P90
    (docs/decisions-build-vs-buy.md).

    \b
    Examples:
      quarterdeck decide build-vs-buy plans/build-vs-buy.yaml
      quarterdeck decide build-vs-buy plans/build-vs-buy.yaml --draws 40000 --seed 7 --format json
      quarterdeck decide roi plans/initiatives.yaml
    """


def simulation_options(fn: Any) -> Any:
    fn = click.option(
        "--seed", type=int, default=0, show_default=True, help="Seed of the draws: same seed, same answer."
    )(fn)
    fn = click.option(
        "--draws",
        type=click.IntRange(100, MAX_DRAWS),
        default=DEFAULT_DRAWS,
        show_default=True,
        help="Monte Carlo draws.",
    )(fn)
    return fn


@decide.command("build-vs-buy")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@simulation_options
@click.option(
    "--format", "output_format", type=click.Choice(("table", "json")), default="table", show_default=True,
    help="table for people, json for scripts.",
)  # fmt: skip
@db_options
def build_vs_buy(
    file: Path, draws: int, seed: int, output_format: str, db: Path | None, config_file: Path | None
) -> None:
    """Which option costs less over the horizon, by how much and with what chance.

    FILE is a decision file (YAML): the horizon in years, a discount rate, and options
    (build: engineers x months, maintenance FTE, infrastructure; buy: licence per seat and
    its escalator, seats, integration effort, exit cost), each number a point or a range
    {low: .., mode: .., high: ..} (triangular; distribution: pert for PERT). Engineering
    time is priced at the organization's own loaded cost per engineer-month (metric
    engineer_month_cost over the last 12 months of data) unless the file sets
    engineer_month_cost.

    Prints the answer first (the cheaper option, by how much in present value, and the
    share of draws in which it is the cheaper), the break-even year, each option's TCO and
    NPV (P10/P50/P90) and cumulative cost by year, the tornado (which input moves the
    answer most) and every assumption with where it comes from.

    \b
    Examples:
      quarterdeck decide build-vs-buy plans/build-vs-buy.yaml
      quarterdeck decide build-vs-buy decision.yaml --draws 40000 --seed 3
      quarterdeck decide build-vs-buy decision.yaml --format json
      quarterdeck metrics show engineer_month_cost      the price of engineering time
    """
    settings = resolve_settings(db, config_file)
    decision = read_decision(file)
    currency = currency_of(decision, settings)
    if needs_warehouse(decision):
        with open_for_reading(settings) as warehouse:
            outcome = run_decision(decision, settings, warehouse, draws, seed)
    else:
        outcome = run_decision(decision, settings, None, draws, seed)
    document = outcome_json(outcome, currency)
    if output_format == "json":
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return
    print_decision(document)


def money(value: float) -> str:
    return f"{value:,.0f}"


def band(values: dict[str, float]) -> str:
    return f"{money(values['p10'])} / {money(values['p50'])} / {money(values['p90'])}"


def print_decision(document: dict[str, Any]) -> None:
    answer, currency = document["answer"], document["currency"]
    click.echo(
        f"{document['title']}: {document['years']} years, amounts in {currency}, "
        f"{document['draws']:,} draws (seed {document['seed']})"
    )
    click.echo("")
    by = answer["npv_difference"]
    click.echo(
        f"Answer: {answer['cheaper']} is cheaper than {answer['other']} by {money(by['p50'])} {currency} "
        f"in present value (P50; P10 {money(by['p10'])}, P90 {money(by['p90'])}), "
        f"the cheaper in {answer['chance_cheaper']:.0%} of draws."
    )
    year = answer["break_even_year"]
    click.echo(
        f"Break-even: year {year} ({answer['cheaper']}'s cumulative cost stays below {answer['other']}'s "
        "from then on, at P50)."
        if year
        else f"Break-even: none ({answer['cheaper']}'s cumulative cost does not stay below {answer['other']}'s)."
    )
    click.echo("")
    print_options(document)
    print_tornado(document)
    print_assumptions(document)


def print_options(document: dict[str, Any]) -> None:
    options = document["options"]
    width = max(len(o["name"]) for o in options)
    click.echo(f"Cost per option, P10 / P50 / P90 (NPV: {document['discounting']}):")
    for o in options:
        click.echo(
            f"  {o['name']:<{width}}  {o['kind']:<5}  NPV {band(o['npv'])}   TCO {band(o['tco'])}   "
            f"cheapest in {o['chance_cheapest']:.0%}"
        )
    click.echo("")
    click.echo("Cumulative cost by year, P10 / P50 / P90:")
    for o in options:
        cells = "   ".join(f"y{c['year']} {band(c)}" for c in o["cumulative"])
        click.echo(f"  {o['name']:<{width}}  {cells}")
    click.echo("")


def print_tornado(document: dict[str, Any]) -> None:
    tornado = document["tornado"]
    click.echo(
        f"What moves the answer most ({tornado['difference']}; every input at its mode: {money(tornado['at_modes'])}):"
    )
    if not tornado["bars"]:
        click.echo("  nothing: every input is a point")
    width = max((len(bar["input"]) for bar in tornado["bars"]), default=0)
    for bar in tornado["bars"]:
        click.echo(
            f"  {bar['input']:<{width}}  at its low ({bar['shown'][0]}) {money(bar['at_low'])}, "
            f"at its high ({bar['shown'][1]}) {money(bar['at_high'])}: swing {money(bar['swing'])}"
        )
    click.echo("")


def print_assumptions(document: dict[str, Any]) -> None:
    click.echo("Assumptions (low / mode / high for a range):")
    rows = document["assumptions"]
    width = max(len(row["input"]) for row in rows)
    values = max(len(row["value"]) for row in rows)
    for row in rows:
        click.echo(f"  {row['input']:<{width}}  {row['value']:<{values}}  {row['origin']}")


@decide.command("roi")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@simulation_options
@click.option(
    "--format", "output_format", type=click.Choice(("table", "json")), default="table", show_default=True,
    help="table for people, json for scripts.",
)  # fmt: skip
@db_options
def roi(file: Path, draws: int, seed: int, output_format: str, db: Path | None, config_file: Path | None) -> None:
    """Each initiative's return: ROI and payback month as P10/P50/P90.

    FILE lists initiatives (YAML): each names its epics (or an objective), its remaining
    cost and its benefits a year (revenue, savings: points or ranges), over a horizon in
    years with an optional discount rate. Its cost so far is the cost of the effort on
    those epics in the investment allocation (metric investment_allocation_items: needs
    the org exports with costs, the trackers and the investment rules ingested).
    ROI = (benefits - cost) / cost; payback: the first month from now by whose end the
    benefits reach the cost.

    \b
    Examples:
      quarterdeck decide roi plans/initiatives.yaml
      quarterdeck decide roi initiatives.yaml --draws 40000 --format json
      quarterdeck metrics show investment_allocation_items --by objective
    """
    settings = resolve_settings(db, config_file)
    initiatives = read_initiatives(file)
    with open_for_reading(settings) as warehouse:
        document = run_roi(warehouse, settings, initiatives, draws, seed)
    if output_format == "json":
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return
    print_roi(document)


def month(value: int | None) -> str:
    return "beyond the horizon" if value is None else f"month {value}"


def print_roi(document: dict[str, Any]) -> None:
    currency = document["currency"]
    click.echo(
        f"{document['title']}: benefits over {document['horizon_years']} years, amounts in {currency}, "
        f"{document['draws']:,} draws (seed {document['seed']})"
    )
    for item in document["initiatives"]:
        spent, roi_band, payback = item["spent_so_far"], item["roi"], item["payback_month"]
        click.echo("")
        click.echo(f"{item['name']}:")
        if roi_band is None:
            click.echo("  ROI: none (no cost)")
        else:
            click.echo(
                f"  ROI P50 {roi_band['p50']:.0%} (P10 {roi_band['p10']:.0%}, P90 {roi_band['p90']:.0%}); "
                f"benefits above the cost in {item['chance_positive']:.0%} of draws"
            )
        click.echo(f"  payback: P50 {month(payback['p50'])} (P10 {month(payback['p10'])}, P90 {month(payback['p90'])})")
        click.echo(f"  cost {band(item['cost'])}, benefits (present value) {band(item['benefits'])}")
        scope = f"epics {', '.join(item['epics'])}" if item["epics"] else f"objective {item['objective']}"
        click.echo(
            f"  spent so far: {money(spent['cost'])} ({spent['fte_months']:g} FTE-months on {scope}, "
            f"{spent['since']} to {spent['until']}; {spent['origin']})"
        )
