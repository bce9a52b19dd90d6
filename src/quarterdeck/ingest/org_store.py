"""Handing checked organization files to the store as snapshots (a date imported again
replaces it): their teams, services, catalog users, CODEOWNERS rules and identity mappings."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from quarterdeck.ingest.org_teams import TeamBook
from quarterdeck.sources.org.records import OrgFile
from quarterdeck.store import Warehouse, first_row
from quarterdeck.store.org_writes import clear_codeowners_file, clear_identity_mappings


def store_teams(warehouse: Warehouse, file: OrgFile, book: TeamBook, stamp: dict[str, Any]) -> int:
    """A file's teams, with the parents their snapshot gives (children lists of any of its files)."""
    if not file.teams:
        return 0
    assert file.as_of is not None
    parents = {t: d.parent_id for t, d in book.snapshots.get((file.as_of, file.kind), {}).items()}
    teams = file.teams
    warehouse.insert_arrow(
        "team_snapshots",
        pa.table(
            {
                "team_id": [t.team_id for t in teams],
                "name": [t.name for t in teams],
                "parent_id": pa.array([t.parent or parents.get(t.team_id) for t in teams], pa.string()),
                "type": pa.array([t.type for t in teams], pa.string()),
                "manager_id": pa.array([t.manager for t in teams], pa.string()),
                "aliases": pa.array([t.aliases for t in teams], pa.list_(pa.string())),
                "members": pa.array([t.members for t in teams], pa.list_(pa.string())),
            }
        ),
        {"as_of": file.as_of, "kind": file.kind, **stamp},
    )
    return len(teams)


def store_services(warehouse: Warehouse, file: OrgFile, book: TeamBook, stamp: dict[str, Any]) -> int:
    if not file.services:
        return 0
    assert file.as_of is not None
    resolve = book.resolver(file.as_of)
    services = file.services
    warehouse.insert_arrow(
        "service_snapshots",
        pa.table(
            {
                "service_id": [s.service_id for s in services],
                "name": [s.name for s in services],
                "service_kind": [s.kind for s in services],
                "owner": pa.array([s.owner for s in services], pa.string()),
                "owner_team_id": pa.array([resolve.get((s.owner or "").lower()) for s in services], pa.string()),
                "repositories": pa.array([s.repositories for s in services], pa.list_(pa.string())),
            }
        ),
        {"as_of": file.as_of, "kind": file.kind, **stamp},
    )
    return len(services)


def store_catalog_users(warehouse: Warehouse, file: OrgFile, stamp: dict[str, Any]) -> int:
    if file.kind != "backstage" or not file.users:
        return 0
    users = file.users
    warehouse.insert_arrow(
        "catalog_users",
        pa.table(
            {
                "user_id": [u.user_id for u in users],
                "name": pa.array([u.name for u in users], pa.string()),
                "email": pa.array([u.email for u in users], pa.string()),
                "member_of": pa.array([u.member_of for u in users], pa.list_(pa.string())),
            }
        ),
        {"as_of": file.as_of, **stamp},
    )
    return len(users)


def store_codeowners(warehouse: Warehouse, file: OrgFile, repository: str | None, stamp: dict[str, Any]) -> int:
    name = repository or "(unknown repository)"
    row = first_row(warehouse.con.execute("SELECT repository_id FROM repositories WHERE name = ?", [name]))
    clear_codeowners_file(warehouse, name, file.path)
    rules = file.rules
    if not rules:
        return 0
    warehouse.insert_arrow(
        "codeowners_rules",
        pa.table(
            {
                "line": pa.array([r.line for r in rules], pa.int32()),
                "pattern": [r.pattern for r in rules],
                "owners": pa.array([r.owners for r in rules], pa.list_(pa.string())),
            }
        ),
        {"repository_id": row[0] if row else None, "repository": name, "file": file.path, **stamp},
    )
    return len(rules)


def store_mappings(warehouse: Warehouse, file: OrgFile, skipped: set[tuple[str, int]], stamp: dict[str, Any]) -> int:
    clear_identity_mappings(warehouse, file.path)
    mappings = [m for m in file.mappings if (m.file, m.line) not in skipped]
    if not mappings:
        return 0
    warehouse.insert_arrow(
        "identity_mappings",
        pa.table(
            {
                "identity": [m.identity for m in mappings],
                "person_id": [m.person_id for m in mappings],
                "line": pa.array([m.line for m in mappings], pa.int32()),
            }
        ),
        {"file": file.path, **stamp},
    )
    return len(mappings)
