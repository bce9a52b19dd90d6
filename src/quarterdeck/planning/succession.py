"""Succession findings on a date (docs/succession.md, decision 0068), from the key roles
(``metrics.key_roles``) and the succession file (table ``successors``):

- **each role's bench**: its successors, the latest line of each role and successor on or
  before the date; a successor no longer employed on the date is left out (and noted).
- **no ready successor**: key roles without any successor ready now.
- **bench strength per unit**: for each unit, the key roles of its subtree, how many have a
  successor ready now (covered, and the share covered), and the ready-now successors per key
  role (a role with two ready-now successors counts two).
- **single points**: people holding a leadership seat who are also the only holder of a
  service's knowledge.
- **over-committed**: people named successor (at any readiness) for OVER_COMMITTED or more
  of the key roles in view: they cannot take them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from quarterdeck.core.readiness import READINESS, READY_NOW
from quarterdeck.metrics.key_roles import KeyRole, key_roles
from quarterdeck.metrics.org_design import OrgAt
from quarterdeck.store import Warehouse

#: Named successor for this many key roles or more: over-committed.
OVER_COMMITTED = 3

_LINES = """
SELECT role_kind, role_id, successor_id, readiness
FROM successors
WHERE as_of <= ?
QUALIFY row_number() OVER (PARTITION BY role_kind, role_id, successor_id ORDER BY as_of DESC, line DESC) = 1
ORDER BY role_kind, role_id, successor_id
"""


@dataclass(frozen=True)
class Successor:
    person: str
    name: str
    readiness: str


@dataclass
class RoleBench:
    role: KeyRole
    successors: list[Successor] = field(default_factory=list)

    @property
    def ready_now(self) -> int:
        return sum(1 for s in self.successors if s.readiness == READY_NOW)


@dataclass
class Succession:
    at: date
    unit: str | None
    roles: list[RoleBench]
    bench: list[dict[str, Any]]
    single_points: list[dict[str, Any]]
    over_committed: list[dict[str, Any]]
    notes: list[str]

    @property
    def no_ready_successor(self) -> list[RoleBench]:
        return [r for r in self.roles if r.ready_now == 0]


def succession(warehouse: Warehouse, org: OrgAt, unit: str | None = None, timezone: str = "UTC") -> Succession:
    """The findings on the org's date, for the whole organization or one unit's subtree."""
    roles = key_roles(warehouse, org, timezone)
    in_view = set(org.subtree(unit)) if unit else None
    benches = {(_kind(r), r.role_id): RoleBench(r) for r in roles if in_view is None or r.unit_id in in_view}
    notes = _attach(warehouse, org, benches, whole=unit is None)
    shown = list(benches.values())
    units = org.subtree(unit) if unit else [u for root in org.roots() for u in org.subtree(root)]
    return Succession(
        org.date, unit, shown, bench_strength(org, shown, units), single_points(shown),
        over_committed(shown), notes,
    )  # fmt: skip


def _kind(role: KeyRole) -> str:
    return "seat" if role.leadership else "service"


def _attach(warehouse: Warehouse, org: OrgAt, benches: dict[tuple[str, str], RoleBench], whole: bool) -> list[str]:
    """Each line's successor onto its role's bench; what could not be attached, as notes (lines
    for roles out of view only for the whole organization: a unit's view names only its own)."""
    notes = []
    for kind, role_id, person, readiness in warehouse.con.execute(_LINES, [org.date]).fetchall():
        bench = benches.get((kind, role_id))
        if bench is None:
            if whole:
                what = f"{org.name_of(role_id)} ({role_id})" if kind == "seat" else f"service {role_id}"
                notes.append(f"{what} is named in the succession file but is not a key role in view on {org.date}")
            continue
        if person not in org.people:
            notes.append(
                f"{org.name_of(person)} ({person}), named successor for {role_id}, is not employed on {org.date}: "
                "left out"
            )
            continue
        if person == bench.role.holder:
            notes.append(
                f"{org.name_of(person)} ({person}) is named successor for {role_id}, which they hold: left out"
            )
            continue
        bench.successors.append(Successor(person, org.name_of(person) or person, readiness))
    for bench in benches.values():
        bench.successors.sort(key=lambda s: (READINESS.index(s.readiness), s.person))
    return notes


def bench_strength(org: OrgAt, roles: list[RoleBench], units: list[str]) -> list[dict[str, Any]]:
    """Per unit (in tree order), the key roles of its subtree and how well they are covered."""
    rows = []
    for unit in units:
        subtree = set(org.subtree(unit))
        mine = [r for r in roles if r.role.unit_id in subtree]
        if not mine:
            continue
        covered = sum(1 for r in mine if r.ready_now)
        ready = sum(r.ready_now for r in mine)
        rows.append({
            "unit": unit, "name": org.units[unit].name, "path": org.path(unit), "key_roles": len(mine),
            "covered": covered, "share_covered": round(covered / len(mine), 4),
            "ready_now_successors": ready, "ready_now_per_role": round(ready / len(mine), 4),
        })  # fmt: skip
    return rows


def single_points(roles: list[RoleBench]) -> list[dict[str, Any]]:
    """Seat holders who are also the only holder of a service's knowledge."""
    seats = {r.role.holder: r.role for r in roles if r.role.leadership}
    held: dict[str, list[str]] = {}
    for r in roles:
        if not r.role.leadership and r.role.holder in seats:
            held.setdefault(r.role.holder, []).append(r.role.role_id)
    return [
        {"person": p, "name": seats[p].holder_name, "seat": seats[p].kind, "unit": seats[p].unit_id, "services": s}
        for p, s in sorted(held.items())
    ]


def over_committed(roles: list[RoleBench]) -> list[dict[str, Any]]:
    """People named successor for OVER_COMMITTED or more key roles."""
    named: dict[str, list[tuple[str, Successor]]] = {}
    for r in roles:
        for s in r.successors:
            named.setdefault(s.person, []).append((r.role.role_id, s))
    return [
        {
            "person": p, "name": found[0][1].name, "roles": [role for role, _ in found],
            "ready_now": sum(1 for _, s in found if s.readiness == READY_NOW),
        }
        for p, found in sorted(named.items())
        if len(found) >= OVER_COMMITTED
    ]  # fmt: skip


def role_json(bench: RoleBench) -> dict[str, Any]:
    role = bench.role
    return {
        "kind": role.kind, "role": role.role_id, "name": role.name, "unit": role.unit_id,
        "holder": role.holder, "holder_name": role.holder_name, "holder_share": role.share,
        "ready_now": bench.ready_now,
        "successors": [{"person": s.person, "name": s.name, "readiness": s.readiness} for s in bench.successors],
    }  # fmt: skip


def succession_json(found: Succession) -> dict[str, Any]:
    return {
        "at": found.at.isoformat(),
        "unit": found.unit,
        "key_roles": len(found.roles),
        "covered": sum(1 for r in found.roles if r.ready_now),
        "roles": [role_json(r) for r in found.roles],
        "no_ready_successor": [r.role.role_id for r in found.no_ready_successor],
        "bench": found.bench,
        "single_points": found.single_points,
        "over_committed": found.over_committed,
        "over_committed_from": OVER_COMMITTED,
        "notes": found.notes,
    }


CSV_HEADER = ("kind", "role", "name", "unit", "holder", "ready_now", "1-2 years", "3+ years", "successors")


def succession_csv_rows(found: Succession) -> list[tuple[Any, ...]]:
    """One row per key role: its counts by readiness and its successors (person:readiness)."""
    rows = []
    for r in found.roles:
        counts = [sum(1 for s in r.successors if s.readiness == step) for step in READINESS]
        names = ";".join(f"{s.person}:{s.readiness}" for s in r.successors)
        rows.append((r.role.kind, r.role.role_id, r.role.name, r.role.unit_id, r.role.holder, *counts, names))
    return rows
