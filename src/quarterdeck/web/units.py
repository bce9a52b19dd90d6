"""The org tree as the dashboard's scopes: the scope picker's entries and a unit's children.

The tree is the one of the day the data reaches (clamped to the org imports' span), read
as ``quarterdeck org tree`` reads it. A unit with units under it is a ``unit`` scope (it and
everything under it: ``--by unit --unit ID``); a unit with none is a ``team`` scope. The
metrics themselves count every event in the tree of the event's own day (decision 0019),
so a unit's numbers of a past month hold the teams it had then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.metrics.org_design import OrgAt, import_dates, load_org
from quarterdeck.store import Warehouse


@dataclass(frozen=True)
class ScopeChoice:
    """One entry of the scope picker: a unit or a team, at its depth in the tree."""

    kind: str  # unit | team
    id: str
    name: str
    depth: int

    @property
    def indent(self) -> str:
        """Em spaces before the name in the picker, one per level below the top."""
        return "\u2003" * self.depth

    @property
    def value(self) -> str:
        """What the picker sends (``scope=KIND:ID``)."""
        return f"{self.kind}:{self.id}"


def org_on(warehouse: Warehouse, day: date) -> OrgAt | None:
    """The organization on ``day`` (or on its first or last import, outside them); None
    before any organization was imported."""
    try:
        first, latest = import_dates(warehouse)
    except QuarterdeckError:
        return None
    return load_org(warehouse, min(max(day, first), latest))


def kind_of(org: OrgAt, unit_id: str) -> str:
    return "unit" if org.children(unit_id) else "team"


def scope_choices(warehouse: Warehouse, day: date) -> list[ScopeChoice]:
    """Every unit and team of the tree, parents before their children, siblings by name."""
    org = org_on(warehouse, day)
    if org is None:
        return []
    known = {r[0] for r in warehouse.con.execute("SELECT team_id FROM teams").fetchall()}
    choices: list[ScopeChoice] = []

    def visit(unit_id: str, depth: int) -> None:
        if unit_id in known:
            choices.append(ScopeChoice(kind_of(org, unit_id), unit_id, org.units[unit_id].name, depth))
        for child in sorted(org.children(unit_id), key=lambda u: org.units[u].name.lower()):
            visit(child, depth + 1)

    for root in sorted(org.roots(), key=lambda u: org.units[u].name.lower()):
        visit(root, 0)
    return choices


def units_below(warehouse: Warehouse, day: date, unit: str | None) -> list[tuple[str, str, str]]:
    """(kind, id, name) of the units one level below ``unit``; below the organization, the
    top units (the children of the top unit, when there is only one)."""
    org = org_on(warehouse, day)
    if org is None:
        return []
    if unit is None:
        roots = org.roots()
        below = org.children(roots[0]) if len(roots) == 1 else roots
    else:
        below = org.children(unit) if unit in org.units else []
    return [(kind_of(org, u), u, org.units[u].name) for u in sorted(below, key=lambda u: org.units[u].name.lower())]


def units_above(warehouse: Warehouse, day: date, unit: str) -> list[tuple[str, str, str]]:
    """(kind, id, name) of the units above ``unit``, from the top down (empty for a unit not in
    the tree that day)."""
    org = org_on(warehouse, day)
    if org is None or unit not in org.units:
        return []
    chain: list[str] = []
    parent = org.units[unit].parent_id
    while parent in org.units and parent not in chain:
        chain.insert(0, parent)
        parent = org.units[parent].parent_id
    return [(kind_of(org, u), u, org.units[u].name) for u in chain]
