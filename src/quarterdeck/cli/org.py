"""``quarterdeck org``: the org tree on a date, and the org-design checks."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from quarterdeck.cli.context import db_options, format_option, open_for_reading, resolve_settings
from quarterdeck.cli.org_what_if import org_what_if
from quarterdeck.cli.output import cell, emit
from quarterdeck.config import Settings
from quarterdeck.core.clock import today
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.metrics.data_end import data_end
from quarterdeck.metrics.org_checks import check_org
from quarterdeck.metrics.org_design import NO_ORGANIZATION, OrgAt, PersonAt, load_org, resolve_unit
from quarterdeck.metrics.org_tree import NO_TEAM, OrgTree, TreeNode, build_tree, walk
from quarterdeck.metrics.org_types import CHECKS, Finding, Thresholds
from quarterdeck.store import Warehouse

_AT = click.option(
    "--at",
    type=click.DateTime(["%Y-%m-%d"]),
    help="The date to look at (default: the last day of the data, which the output names: 'data ends "
    "YYYY-MM-DD'). Before the first organization import is an error.",
)


@click.group()
def org() -> None:
    """The organization on a date: its tree of teams, and org-design findings."""


org.add_command(org_what_if)


def _open(settings: Settings) -> Warehouse:
    if not settings.db.exists():
        raise QuarterdeckError(f"{settings.db}: {NO_ORGANIZATION}")
    return open_for_reading(settings)


def _load(warehouse: Warehouse, at: Any, timezone: str) -> tuple[OrgAt, date | None]:
    """The org on ``--at``, else on the last day of the data (returned too, for the note)."""
    if at is not None:
        return load_org(warehouse, at.date()), None
    ends = data_end(warehouse, today(), timezone)
    return load_org(warehouse, ends), ends


def _ends_note(ends: date | None) -> str:
    return f"data ends {ends} (no --at given: the organization on the latest day of the data)" if ends else ""


@org.command("tree")
@_AT
@click.option("--unit", metavar="ALIAS", help="Only this unit and the units below it (id, name or alias).")
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    help="Show units at most N levels below the top (0: the top alone). Headcounts still count everything below.",
)
@click.option("--people", "with_people", is_flag=True, help="List the people of each unit (name and title).")
@click.option(
    "--include-personal",
    is_flag=True,
    help="With the people, also their level, location and annual cost (personal data: only when you ask).",
)
@db_options
@format_option
def org_tree(
    at: Any,
    unit: str | None,
    depth: int | None,
    with_people: bool,
    include_personal: bool,
    db: Path | None,
    config_file: Path | None,
    output_format: str,
) -> None:
    """Print the org tree: root, divisions, teams.

    For each unit: its Team Topologies type, its manager and their span (direct
    reports), members (people whose own team it is) and headcount (members of the
    unit and of every unit below it), on the date. People without a team are listed
    last. Per-person fields beyond name and title (level, location, annual cost) are
    shown only with --include-personal.

    \b
    Examples:
      quarterdeck org tree
      quarterdeck org tree --at 2025-06-30 --depth 1
      quarterdeck org tree --unit payments --people
      quarterdeck org tree --unit payments --include-personal
      quarterdeck org tree --format csv > org.csv
    """
    settings = resolve_settings(db, config_file)
    with _open(settings) as warehouse:
        org_at, ends = _load(warehouse, at, settings.timezone)
        top = resolve_unit(warehouse, org_at, unit) if unit else None
    with_people = with_people or include_personal
    tree = build_tree(org_at, top, depth, with_people)
    fields = _person_fields(include_personal)
    meta = {
        "date": org_at.date,
        "unit": top,
        "depth": depth,
        "people": with_people,
        "include_personal": include_personal,
        "headcount": tree.headcount,
        "first_import": org_at.first_import,
        "latest_import": org_at.latest_import,
        "data_ends": ends,  # set when no --at was given
    }
    if output_format == "json":
        columns = [*_UNIT_FIELDS, *(["people"] if with_people else []), "children"]
        records = [_nested(root, fields if with_people else ()) for root in tree.roots]
        emit(columns, [[r[c] for c in columns] for r in records], "json", meta=meta)
    elif output_format == "csv":
        columns, rows = _csv_rows(tree, fields)
        emit(columns, rows, "csv")
    else:
        _print_tree(tree, fields)
        if ends:
            Console(highlight=False).print(_ends_note(ends), markup=False)


_UNIT_FIELDS = ("unit", "name", "type", "manager_id", "manager", "manager_employed", "span", "members", "headcount")
_PERSON_FIELDS = ("person_id", "person", "title")
_PERSONAL_FIELDS = ("level", "location", "annual_cost")


def _person_fields(include_personal: bool) -> tuple[str, ...]:
    return (*_PERSON_FIELDS, *_PERSONAL_FIELDS) if include_personal else _PERSON_FIELDS


def _unit_values(node: TreeNode) -> list[Any]:
    return [
        node.unit_id,
        node.name,
        node.type,
        node.manager_id,
        node.manager,
        node.manager_employed,
        node.span,
        node.members,
        node.headcount,
    ]


def _nested(node: TreeNode, fields: tuple[str, ...]) -> dict[str, Any]:
    """A unit as a JSON object: its fields, [its people (``fields`` of each),] its children."""
    record: dict[str, Any] = dict(zip(_UNIT_FIELDS, _unit_values(node), strict=True))
    if fields:
        record["people"] = [dict(zip(fields, _person_values(p, fields), strict=True)) for p in node.people]
    record["children"] = [_nested(child, fields) for child in node.children]
    return record


def _person_values(person: PersonAt, fields: tuple[str, ...]) -> list[Any]:
    values = {"person": person.name, "annual_cost": person.annual_cost}
    return [values[f] if f in values else getattr(person, f) for f in fields]


def _csv_rows(tree: OrgTree, fields: tuple[str, ...]) -> tuple[list[str], list[list[Any]]]:
    fields = fields if tree.with_people else ()
    columns = ["kind", "path", "depth", *_UNIT_FIELDS, *fields]
    rows = []
    for node in walk(tree.roots):
        rows.append(["unit", node.path, node.depth, *_unit_values(node), *([None] * len(fields))])
        for person in node.people:
            blank_unit = [node.unit_id, *([None] * (len(_UNIT_FIELDS) - 1))]
            rows.append(["person", node.path, node.depth, *blank_unit, *_person_values(person, fields)])
    return columns, rows


def _print_tree(tree: OrgTree, fields: tuple[str, ...]) -> None:
    """The tree as people read it: one line per unit, its people (with --people) under it."""
    org_at = tree.org
    where = f" under {tree.unit}" if tree.unit else ""
    console = Console(highlight=False)
    top = Tree(Text(f"Organization{where} on {org_at.date}", style="bold"), guide_style="dim")
    for root in tree.roots:
        _add_node(top, root, fields)
    console.print(top)
    console.print(f"{_plural(tree.headcount, 'person', 'people')} employed{where} on {org_at.date}. {_LEGEND}")
    if org_at.date > org_at.latest_import:
        console.print(f"[dim]The latest organization import is of {org_at.latest_import}; later changes are not known.")


_LEGEND = (
    "headcount: the unit and every unit below it (direct: people whose own team it is); "
    "span: the manager's direct reports."
)


def _add_node(parent: Tree, node: TreeNode, fields: tuple[str, ...]) -> None:
    branch = parent.add(_unit_label(node))
    for person in node.people:
        values = _person_values(person, fields)[2:]  # after id and name
        details = " · ".join(cell(v) for v in values if v is not None and v != "")
        branch.add(Text.assemble(person.name, (f" · {details}" if details else "", "dim")))
    for child in node.children:
        _add_node(branch, child, fields)


def _unit_label(node: TreeNode) -> Text:
    """``id · name · type · manager M (span N) · headcount H (D direct)``."""
    parts = [node.name] if node.name != node.unit_id else []
    if node.type:
        parts.append(node.type)
    if node.unit_id != NO_TEAM:
        if node.manager is None:
            parts.append("no manager")
        elif node.manager_employed:
            parts.append(f"manager {node.manager} (span {node.span})")
        else:
            parts.append(f"manager {node.manager} (not employed)")
    parts.append(f"headcount {node.headcount} ({node.members} direct)")
    return Text.assemble((node.unit_id, "bold"), " · " + " · ".join(parts))


@org.command("check")
@_AT
@click.option(
    "--min-span",
    type=int,
    default=Thresholds.min_span,
    show_default=True,
    help="Flag managers with fewer direct reports (acting as tech leads; norm 6-8).",
)
@click.option(
    "--max-span",
    type=int,
    default=Thresholds.max_span,
    show_default=True,
    help="Flag managers with more direct reports (over-stretched; norm 6-8).",
)
@click.option(
    "--min-team-size", type=int, default=Thresholds.min_team_size, show_default=True, help="Flag smaller teams."
)
@click.option(
    "--max-team-size",
    type=int,
    default=Thresholds.max_team_size,
    show_default=True,
    help="Flag larger teams (Team Topologies: at most about 7-9).",
)
@click.option(
    "--max-layers",
    type=int,
    default=Thresholds.max_layers,
    show_default=True,
    help="Flag people deeper in the management chain (the top is layer 1).",
)
@click.option(
    "--recent-days",
    type=int,
    default=Thresholds.recent_days,
    show_default=True,
    help="Count git identities linked to no person that have commits in this many days up to the date.",
)
@click.option("--strict", is_flag=True, help="Exit with status 1 when there is any warning (for CI).")
@db_options
@format_option
def org_check(
    at: Any,
    min_span: int,
    max_span: int,
    min_team_size: int,
    max_team_size: int,
    max_layers: int,
    recent_days: int,
    strict: bool,
    db: Path | None,
    config_file: Path | None,
    output_format: str,
) -> None:
    """List org-design and data-quality findings on a date.

    Warnings: managers with too few or too many direct reports, teams too small or
    too large, teams without a manager (or whose manager has left), people without a
    team or whose manager has left, management chains too deep, services without an
    owning team, CODEOWNERS rules naming unknown teams or people, repositories no
    team owns. Infos: empty teams, units with a single sub-unit, CODEOWNERS rules
    without owners, files without an owning team, git identities with recent commits
    that are linked to no person.

    \b
    Examples:
      quarterdeck org check
      quarterdeck org check --at 2025-06-30 --max-layers 5
      quarterdeck org check --strict --format json    # in CI: exit 1 on warnings
    Every check, its threshold and the norm behind it: docs/org-commands.md
    """
    thresholds = Thresholds(min_span, max_span, min_team_size, max_team_size, max_layers, recent_days)
    settings = resolve_settings(db, config_file)
    with _open(settings) as warehouse:
        org_at, ends = _load(warehouse, at, settings.timezone)
        findings = check_org(warehouse, org_at, thresholds, settings.timezone)
    _print_findings(org_at, thresholds, findings, output_format, ends)
    if strict and any(f.severity == "warning" for f in findings):
        sys.exit(1)


_FINDING_COLUMNS = ["severity", "code", "subject", "name", "value", "threshold", "message"]


def _print_findings(
    org_at: OrgAt, thresholds: Thresholds, findings: list[Finding], output_format: str, ends: date | None = None
) -> None:
    rows = [[getattr(f, c) for c in _FINDING_COLUMNS] for f in findings]
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("warning", "info")}
    if output_format != "table":
        meta = {
            "date": org_at.date,
            "thresholds": thresholds.as_dict(),
            "counts": counts,
            "latest_import": org_at.latest_import,
            "data_ends": ends,  # set when no --at was given
        }
        emit(_FINDING_COLUMNS, rows, output_format, meta=meta if output_format == "json" else None)
        return
    console = Console()
    shown = ["severity", "code", "subject", "message"]
    emit(
        shown,
        [[r[_FINDING_COLUMNS.index(c)] for c in shown] for r in rows],
        "table",
        title=f"Org checks on {org_at.date}",
        console=console,
        note=_ends_note(ends) or None,
    )
    t = thresholds
    console.print(
        f"{_plural(counts['warning'], 'warning', 'warnings')}, {counts['info']} info. Thresholds: span "
        f"{t.min_span}-{t.max_span} direct reports, team size {t.min_team_size}-{t.max_team_size} people, at most "
        f"{t.max_layers} layers, git identities with commits in the last {t.recent_days} days.",
        highlight=False,
    )
    for code in dict.fromkeys(f.code for f in findings):
        console.print(f"[bold]{code}[/bold]: {CHECKS[code]}", highlight=False)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"
