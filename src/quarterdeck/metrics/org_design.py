"""The organization on one date, as the org tree and the org-design checks read it.

``load_org`` reads who was employed on the date (with their team, manager, title, level,
number of direct reports and management layer) and which units existed (with their parent,
Team Topologies type and manager), using the same SQL fragments as the organization
metrics (``people_at``, ``teams_at``, ``org_reports``, ``org_positions``, ``org_layers``),
so that the tree, the checks and ``quarterdeck metrics show span_of_control`` / ``layers``
agree. A manager who has left but is still named by their reports (until the next export
names someone else) keeps their place in the chain as a vacancy, as ``org_positions`` says.

A unit with sub-units on the date is a unit (the root, a division); a unit without any is a
team. People whose team is a unit with sub-units are that unit's leadership.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from quarterdeck.core.errors import MetricError, QuarterdeckError
from quarterdeck.metrics.catalog import fragments, recursive_fragments
from quarterdeck.store import Warehouse, first_row

NO_ORGANIZATION = (
    "no organization imported yet: run quarterdeck ingest org PEOPLE.csv ORG.yaml "
    "(people export and team definitions; see docs/org-inputs.md)"
)


@dataclass(frozen=True)
class PersonAt:
    """A person employed on the date."""

    person_id: str
    name: str
    title: str | None
    level: str | None
    team_id: str | None
    manager_id: str | None
    direct_reports: int
    layer: int | None  # 1 for a top of the organization; None inside a manager cycle
    location: str | None = None
    annual_cost: Any = None  # personal: printed only when the user asks (--include-personal)


@dataclass(frozen=True)
class UnitAt:
    """A unit of the org tree (root, division or team) that exists on the date."""

    unit_id: str
    name: str
    parent_id: str | None
    type: str | None
    manager_id: str | None


@dataclass
class OrgAt:
    """The organization on ``date``: people employed then, units that existed then."""

    date: date
    first_import: date
    latest_import: date
    people: dict[str, PersonAt]
    units: dict[str, UnitAt]
    names: dict[str, str]  # every person ever imported: id -> latest name
    vacancies: dict[str, str | None] = field(default_factory=dict)  # departed manager still named -> their manager
    teams_defined: bool = True  # False: no org file or catalog, the teams are the people files' own
    _children: dict[str | None, list[str]] = field(default_factory=dict, repr=False)
    _members: dict[str | None, list[PersonAt]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for unit in sorted(self.units.values(), key=lambda u: u.unit_id):
            parent = unit.parent_id if unit.parent_id in self.units else None
            self._children.setdefault(parent, []).append(unit.unit_id)
        for person in sorted(self.people.values(), key=lambda p: (p.name, p.person_id)):
            team = person.team_id if person.team_id in self.units else None
            self._members.setdefault(team, []).append(person)

    def roots(self) -> list[str]:
        """Units without a parent on the date (or whose parent does not exist then)."""
        return list(self._children.get(None, []))

    def children(self, unit_id: str) -> list[str]:
        return list(self._children.get(unit_id, []))

    def members(self, unit_id: str) -> list[PersonAt]:
        """People whose own team is this unit, by name."""
        return list(self._members.get(unit_id, []))

    def without_team(self) -> list[PersonAt]:
        """People with no team, or with a team that does not exist on the date, by name."""
        return list(self._members.get(None, []))

    def subtree(self, unit_id: str) -> list[str]:
        """The unit and every unit below it."""
        found = [unit_id]
        for child in self.children(unit_id):
            found.extend(self.subtree(child))
        return found

    def path(self, unit_id: str) -> str:
        """Unit ids from the top of the tree down to the unit, joined by "/"."""
        parent = self.units[unit_id].parent_id
        return unit_id if parent not in self.units else f"{self.path(parent)}/{unit_id}"

    def headcount(self, unit_id: str) -> int:
        return sum(len(self.members(u)) for u in self.subtree(unit_id))

    def name_of(self, person_id: str | None) -> str | None:
        """A person's name (also for people not employed on the date)."""
        if person_id is None:
            return None
        return self.names.get(person_id, person_id)

    def manager_of(self, person_id: str) -> str | None:
        """The manager above someone employed on the date, or above a departed manager who
        is still named as manager (a vacancy keeps its place in the chain)."""
        if person_id in self.people:
            return self.people[person_id].manager_id
        return self.vacancies.get(person_id)

    def chain(self, person_id: str) -> list[str]:
        """The management chain from the top of the organization down to the person; a
        departed manager still named by their reports is part of it (as in org_layers)."""
        chain = [person_id]
        above = self.manager_of(person_id)
        while above is not None and above not in chain and (above in self.people or above in self.vacancies):
            chain.append(above)
            above = self.manager_of(above)
        return chain[::-1]


def with_fragments(uses: tuple[str, ...], body: str) -> str:
    """``body`` preceded by the named metric fragments, and the fragments they read, as
    common table expressions (each after those it reads)."""
    ordered: list[str] = []
    seen: set[str] = set()

    def add(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        for other in fragments():
            if other != name and re.search(rf"\b(?:FROM|JOIN)\s+{other}\b", fragments()[name]):
                add(other)
        ordered.append(name)

    for name in uses:
        add(name)
    ctes = ",\n".join(f"{name} AS (\n{fragments()[name]}\n)" for name in ordered)
    recursive = any(name in recursive_fragments() for name in ordered)
    return ("WITH RECURSIVE " if recursive else "WITH ") + ctes + "\n" + body


_PEOPLE = (
    ("people_at", "org_reports", "org_layers"),
    """SELECT
    p.person_id,
    coalesce(n.name, p.person_id) AS name,
    p.title,
    p.level,
    p.team_id,
    p.manager_id,
    r.direct_reports,
    l.layer,
    p.location,
    p.annual_cost
FROM people_at AS p
LEFT JOIN people AS n ON n.person_id = p.person_id
JOIN org_reports AS r ON r.date = p.date AND r.person_id = p.person_id
LEFT JOIN org_layers AS l ON l.date = p.date AND l.person_id = p.person_id
ORDER BY p.person_id""",
)

_UNITS = (("teams_at",), "SELECT team_id, name, parent_id, type, manager_id FROM teams_at ORDER BY team_id")
_VACANCIES = (("org_positions",), "SELECT person_id, manager_id FROM org_positions WHERE vacancy ORDER BY person_id")

# The organization is known from its first people export (or, without any, its first
# catalog), as the org_dates fragment says.
_IMPORT_DATES_SQL = """
SELECT
    coalesce((SELECT min(as_of) FROM people_snapshots), (SELECT min(as_of) FROM catalog_users)),
    (SELECT max(as_of) FROM (
        SELECT as_of FROM people_snapshots
        UNION ALL SELECT as_of FROM team_snapshots
        UNION ALL SELECT as_of FROM catalog_users
    ))
"""


def import_dates(warehouse: Warehouse) -> tuple[date, date]:
    """The dates of the first and the latest organization snapshot."""
    row = first_row(warehouse.con.execute(_IMPORT_DATES_SQL))
    if row is None or row[0] is None:
        raise QuarterdeckError(NO_ORGANIZATION)
    return row[0], row[1]


def load_org(warehouse: Warehouse, at: date) -> OrgAt:
    """The organization on ``at``; an error for a date before the first import."""
    first, latest = import_dates(warehouse)
    if at < first:
        raise MetricError(
            f"no organization data on {at}: the first organization import is of {first} "
            f"(the latest of {latest}); choose --at {first} or later"
        )
    params = {"dates": [at], "window_starts": [at]}

    def run(query: tuple[tuple[str, ...], str]) -> list[tuple]:
        return warehouse.con.execute(with_fragments(*query), params).fetchall()

    people = {row[0]: PersonAt(*row[:6], int(row[6]), row[7], row[8], row[9]) for row in run(_PEOPLE)}
    units = {row[0]: UnitAt(*row) for row in run(_UNITS)}
    vacancies = dict(run(_VACANCIES))
    names = dict(warehouse.con.execute("SELECT person_id, name FROM people").fetchall())
    defined = bool(warehouse.value("SELECT count(*) FROM team_snapshots"))
    return OrgAt(at, first, latest, people, units, names, vacancies, teams_defined=defined)


def resolve_unit(warehouse: Warehouse, org: OrgAt, alias: str) -> str:
    """The unit a user named by id, name or alias, as it exists on the org's date."""
    rows = warehouse.con.execute(
        "SELECT DISTINCT team_id FROM team_aliases WHERE alias = ? ORDER BY 1", [alias.lower()]
    ).fetchall()
    if not rows:
        known = sorted(org.units)
        listing = ", ".join(known[:12]) + (f", ... ({len(known)} in all)" if len(known) > 12 else "")
        raise MetricError(
            f"unknown unit {alias!r}: no unit has that id, name or alias; units on {org.date}: {listing or 'none'}"
        )
    existing = [r[0] for r in rows if r[0] in org.units]
    if not existing:
        team = rows[0][0]
        raise MetricError(
            f"unit {alias!r} ({team}) does not exist on {org.date}; it exists {_lifetime(warehouse, team)}"
        )
    return existing[0]


def _lifetime(warehouse: Warehouse, team: str) -> str:
    """When a team exists, in words: "until 2025-01-30", "from 2026-02-28", "from .. until .."."""
    row = warehouse.con.execute(
        "SELECT bool_or(valid_from IS NULL), min(valid_from), bool_or(valid_to IS NULL), max(valid_to) "
        "FROM team_periods WHERE team_id = ?",
        [team],
    ).fetchall()[0]
    since = row[1] if not row[0] else None
    until = row[3] - timedelta(days=1) if row[3] is not None and not row[2] else None
    parts = [f"from {since}" if since else "", f"until {until}" if until else ""]
    return " ".join(p for p in parts if p) or "on other dates"
