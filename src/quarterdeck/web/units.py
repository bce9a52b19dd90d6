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


@dataclass(frozen=True)
class OrgScopes:
    """The org tree of one day as the dashboard's scopes (read once per page computed)."""

    org: OrgAt | None  # None: no organization imported
    known: frozenset[str]  # the teams the warehouse has (org ids the metrics can be asked about)

    def kind_of(self, unit_id: str) -> str:
        return "unit" if self.org is not None and self.org.children(unit_id) else "team"

    def choices(self) -> list[ScopeChoice]:
        """Every unit and team of the tree, parents before their children, siblings by name."""
        found: list[ScopeChoice] = []

        def visit(unit_id: str, depth: int) -> None:
            if unit_id in self.known:
                found.append(ScopeChoice(self.kind_of(unit_id), unit_id, self._name(unit_id), depth))
            for child in self._by_name(self.org.children(unit_id)):
                visit(child, depth + 1)

        for root in self._by_name(self.org.roots()) if self.org else []:
            visit(root, 0)
        return found

    def below(self, unit: str | None) -> list[tuple[str, str, str]]:
        """(kind, id, name) of the units one level below ``unit``; below the organization, the
        top units (the children of the top unit, when there is only one)."""
        if self.org is None:
            return []
        if unit is None:
            roots = self.org.roots()
            units = self.org.children(roots[0]) if len(roots) == 1 else roots
        else:
            units = self.org.children(unit) if unit in self.org.units else []
        return [(self.kind_of(u), u, self._name(u)) for u in self._by_name(units)]

    def above(self, unit: str) -> list[tuple[str, str, str]]:
        """(kind, id, name) of the units above ``unit``, from the top down (empty for a unit not
        in the tree that day)."""
        if self.org is None or unit not in self.org.units:
            return []
        chain: list[str] = []
        parent = self.org.units[unit].parent_id
        while parent in self.org.units and parent not in chain:
            chain.insert(0, parent)
            parent = self.org.units[parent].parent_id
        return [(self.kind_of(u), u, self._name(u)) for u in chain]

    def _name(self, unit_id: str) -> str:
        return self.org.units[unit_id].name if self.org else unit_id

    def _by_name(self, units: list[str]) -> list[str]:
        return sorted(units, key=lambda u: self._name(u).lower())


def org_scopes(warehouse: Warehouse, day: date, org: OrgAt | None = None) -> OrgScopes:
    """The scopes of the tree on ``day`` (``org``, when it is already loaded for that day)."""
    known = frozenset(r[0] for r in warehouse.con.execute("SELECT team_id FROM teams").fetchall())
    return OrgScopes(org if org is not None else org_on(warehouse, day), known)
