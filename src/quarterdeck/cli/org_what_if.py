"""``quarterdeck org what-if PROPOSED.yaml``: a proposed org applied to the people of a date,
before and after side by side (``planning.reorg_compare``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from quarterdeck.cli.context import db_options, open_for_reading, resolve_settings
from quarterdeck.cli.output import emit, plain
from quarterdeck.core.clock import today
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.metrics.data_end import data_end
from quarterdeck.metrics.org_design import NO_ORGANIZATION
from quarterdeck.metrics.org_types import Finding
from quarterdeck.planning.reorg_compare import WhatIf, changed_units, levels_text, summary_rows, what_if
from quarterdeck.planning.reorg_file import read_reorg


@click.command("what-if")
@click.argument("proposed", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--at",
    type=click.DateTime(["%Y-%m-%d"]),
    help="The date whose people the proposal applies to (default: the file's 'at', else the last day of the data).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="text for people, json for scripts.",
)
@db_options
def org_what_if(proposed: Path, at: Any, output_format: str, db: Path | None, config_file: Path | None) -> None:
    """Test a reorg: a proposed org applied to the people of a date, before and after.

    The file adds, changes (parent, manager, name, type) and dissolves teams and moves
    people. Side by side: spans of control, layers, team sizes, ICs per manager, and per
    unit the headcount, seniority mix and loaded cost (hidden for groups under the
    minimum group size); then who moves (team and manager, from and to), and the org
    checks' findings the proposal adds and those it resolves.

    \b
    Examples:
      quarterdeck org what-if plans/proposed-org.yaml
      quarterdeck org what-if split-checkout.yaml --at 2025-06-30
      quarterdeck org what-if split-checkout.yaml --format json
    The file's format and how managers are reassigned: docs/org-what-if.md
    """
    settings = resolve_settings(db, config_file)
    proposal = read_reorg(proposed)
    if not settings.db.exists():
        raise QuarterdeckError(f"{settings.db}: {NO_ORGANIZATION}")
    with open_for_reading(settings) as warehouse:
        day = at.date() if at is not None else proposal.at or data_end(warehouse, today(), settings.timezone)
        result = what_if(warehouse, proposed, day, settings, proposal=proposal)
    if output_format == "json":
        sys.stdout.write(json.dumps(plain(result.as_json()), indent=2, ensure_ascii=False) + "\n")
        return
    print_what_if(result, Console())


def print_what_if(result: WhatIf, console: Console) -> None:
    title = result.proposal.name or result.proposal.path.name
    rows = [[measure, before, after, _change(before, after)] for measure, before, after in summary_rows(result)]
    emit(["measure", "before", "after", "change"], rows, "table", title=f"{title}: the organization on "
         f"{result.date}, before and after", console=console)  # fmt: skip
    units = [
        [
            unit,
            _pair(_unit(before, "headcount"), _unit(after, "headcount")),
            _pair(_unit(before, "ics_per_manager"), _unit(after, "ics_per_manager")),
            _pair(_money(before), _money(after)),
            levels_text(after.levels) if after else "dissolved",
        ]
        for unit, before, after in changed_units(result)
    ]
    columns = ["unit", "people", "ICs per manager", f"loaded cost ({result.currency}/year)", "levels after"]
    emit(columns, units, "table", title="Units that change (before -> after)", console=console)
    moves = [[m.person_id, m.name, m.from_team, m.to_team, m.from_manager, m.to_manager] for m in result.moves]
    emit(["person", "name", "from team", "to team", "from manager", "to manager"], moves, "table",
         title=f"Who moves ({len(moves)})", console=console)  # fmt: skip
    for label, found in (("New findings", result.new_findings), ("Resolved findings", result.resolved_findings)):
        emit(["code", "subject", "message"], [_finding(f) for f in found], "table",
             title=f"{label} ({len(found)})", console=console)  # fmt: skip
    console.print(
        f"Costs and seniority of groups under {result.min_group_size} people are hidden. Findings: span "
        f"{result.thresholds.min_span}-{result.thresholds.max_span}, team size {result.thresholds.min_team_size}-"
        f"{result.thresholds.max_team_size}, at most {result.thresholds.max_layers} layers (quarterdeck org check).",
        highlight=False,
    )


def _change(before: Any, after: Any) -> Any:
    if isinstance(before, int | float) and isinstance(after, int | float):
        delta = round(after - before, 2)
        return f"{delta:+,}" if delta else ""
    return "" if before == after else "changed"


def _pair(before: Any, after: Any) -> str:
    show = [f"{v:,.2f}" if isinstance(v, float) else str(v) for v in (before, after)]
    return show[0] if before == after else f"{show[0]} -> {show[1]}"


def _unit(figures: Any, name: str) -> Any:
    return "-" if figures is None else getattr(figures, name)


def _money(figures: Any) -> str:
    if figures is None:
        return "-"
    return "hidden" if figures.cost is None else f"{figures.cost:,.0f}"


def _finding(f: Finding) -> list[Any]:
    return [f.code, f.subject, f.message]
