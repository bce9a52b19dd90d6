"""``quarterdeck report board``: the quarter's board pack (docs/board-pack.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from quarterdeck.cli.context import db_options, open_for_reading, resolve_settings
from quarterdeck.cli.serve import read_targets
from quarterdeck.core.clock import today
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.metrics.data_end import data_end
from quarterdeck.metrics.money import Quarter
from quarterdeck.reports.board_build import build_board_pack
from quarterdeck.reports.board_files import parse_formats, write_pack
from quarterdeck.reports.board_json import explain_text, pack_json
from quarterdeck.reports.board_notes import read_notes
from quarterdeck.reports.theme import DEFAULT_THEME, read_theme

_FILE = click.Path(dir_okay=False, path_type=Path)


@click.command()
@click.option(
    "--quarter",
    metavar="YEARQN",
    help="The quarter, such as 2025Q4 (default: the last whole quarter at the end of the data).",
)
@click.option("--unit", metavar="UNIT", help="A unit's pack (id, name or alias): only that unit and what is under it.")
@click.option(
    "--format",
    "formats",
    default="html,pdf,pptx",
    show_default=True,
    metavar="LIST",
    help="Files to write: any of html, pdf, pptx, comma-separated; or json (the pack as data, to stdout).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder to write the files into (made if missing).",
)
@click.option("--notes", type=_FILE, help="Your own notes (asks, decisions) as Markdown: shown as written.")
@click.option("--theme", type=_FILE, help="Theme file: organization name, logo, colours, font (docs/board-pack.md).")
@click.option(
    "--plan", type=_FILE, help="A plan file: its ranges per quarter (quarterdeck plan run) in a Plans section."
)
@click.option(
    "--targets", type=_FILE, help="Targets file (default: targets.yaml beside the warehouse, when there is one)."
)
@click.option(
    "--explain",
    is_flag=True,
    help="Print every sentence with the figures behind it (metric, scope, window, value, command); write no file.",
)
@db_options
def board(
    quarter: str | None, unit: str | None, formats: str, out: Path, notes: Path | None, theme: Path | None,
    plan: Path | None, targets: Path | None, explain: bool, db: Path | None, config_file: Path | None,
) -> None:  # fmt: skip
    """The quarter's board pack: HTML, PDF and PowerPoint, every number and sentence explained.

    Sections (each only when its data is in the warehouse): executive summary, delivery and
    reliability (DORA keys and bands, availability against SLOs, incidents, critical bugs),
    how much engineers wait, tech debt and entropy, people, money, plans (--plan) and your
    notes (--notes). Every figure is what 'quarterdeck metrics show' gives for the same
    window and scope, with the quarter before and a year before; every sentence is written
    by a named rule from figures (--explain lists them).

    \b
    Examples:
      quarterdeck report board --quarter 2025Q4
      quarterdeck report board --quarter 2025Q4 --unit payments --format pptx --out packs/
      quarterdeck report board --notes asks.md --theme theme.yaml --plan plans/2026.yaml
      quarterdeck report board --quarter 2025Q4 --explain
      quarterdeck report board --format json > pack.json
    """
    chosen = parse_formats(formats)
    settings = resolve_settings(db, config_file)
    if not settings.db.exists():
        raise QuarterdeckError(f"{settings.db}: no warehouse here; ingest data first (quarterdeck ingest ...)")
    look = read_theme(theme) if theme is not None else DEFAULT_THEME
    text = read_notes(notes) if notes is not None else None
    goals = read_targets(targets, settings.db)
    with open_for_reading(settings) as warehouse:
        asked = quarter or str(Quarter.last_full(data_end(warehouse, today(), settings.timezone)))
        click.echo(f"building the board pack of {asked} ...", err=True)
        pack = build_board_pack(warehouse, asked, f"unit:{unit}" if unit else "org", targets=goals,
                                settings=settings, plan=plan, notes=text)  # fmt: skip
    if explain:
        click.echo(explain_text(pack), nl=False)
        return
    if chosen == ("json",):
        sys.stdout.write(json.dumps(pack_json(pack), indent=2) + "\n")
        return
    for path in write_pack(pack, out, chosen, look):
        click.echo(f"wrote {path}")
    if pack.open_window:
        click.echo(f"note: {pack.open_window}")
