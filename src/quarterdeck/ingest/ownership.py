"""Which team owns which file: CODEOWNERS rules resolved against the files at HEAD.

As on GitHub, the last rule whose pattern matches a path decides its owners. An owner is
``@org/slug`` (a team whose id or alias is the slug), ``@login`` (a person with that GitHub
login: their team on the day of the import) or an e-mail (the same). The first owner that
resolves to a team is the file's owning team.
"""

from __future__ import annotations

from datetime import datetime

import pathspec
import pyarrow as pa

from quarterdeck.store import Warehouse
from quarterdeck.store.org_writes import clear_file_owners


def rebuild_file_owners(warehouse: Warehouse, loaded_at: datetime) -> list[tuple[str, int, str]]:
    """Recompute ``file_owners``; returns the owners no team stands behind, as (CODEOWNERS
    file, line, owner). Rules given for a repository by name (``--repo``) before it was
    ingested apply once it is."""
    con = warehouse.con
    clear_file_owners(warehouse)
    rules_by_repo: dict[int, list[tuple[int, str, list[str]]]] = {}
    teams = _owner_teams(warehouse)
    unknown: list[tuple[str, int, str]] = []
    for repo, file, line, pattern, owners in con.execute(
        "SELECT coalesce(c.repository_id, r.repository_id), c.file, c.line, c.pattern, c.owners "
        "FROM codeowners_rules c LEFT JOIN repositories r ON r.name = c.repository "
        "ORDER BY 1, c.file, c.line"
    ).fetchall():
        unknown += [(file, line, o) for o in owners if owner_team(o, teams) is None]
        if repo is not None:
            rules_by_repo.setdefault(repo, []).append((line, pattern, owners))
    if not rules_by_repo:
        return unknown
    rows: list[tuple[int, str, int, str | None]] = []
    for repo, rules in rules_by_repo.items():
        compiled = [
            (line, pathspec.PathSpec.from_lines("gitwildmatch", [pattern]), owners) for line, pattern, owners in rules
        ]
        paths = [
            r[0] for r in con.execute("SELECT path FROM repository_files WHERE repository_id = ?", [repo]).fetchall()
        ]
        for path in paths:
            match = None
            for line, spec, owners in compiled:
                if spec.match_file(path):
                    match = (line, owners)
            if match is not None:
                team = next((t for t in (owner_team(o, teams) for o in match[1]) if t), None)
                rows.append((repo, path, match[0], team))
    if rows:
        warehouse.insert_arrow(
            "file_owners",
            pa.table(
                {
                    "repository_id": pa.array([r[0] for r in rows], pa.int32()),
                    "path": [r[1] for r in rows],
                    "rule_line": pa.array([r[2] for r in rows], pa.int32()),
                    "team_id": pa.array([r[3] for r in rows], pa.string()),
                }
            ),
            {"source": "CODEOWNERS", "loaded_at": loaded_at},
        )
    return unknown


def _owner_teams(warehouse: Warehouse) -> dict[str, str]:
    """CODEOWNERS owner (lower case) -> team id, for team aliases, GitHub logins and e-mails."""
    con = warehouse.con
    owners: dict[str, str] = {}
    for team, alias in con.execute("SELECT team_id, alias FROM team_aliases ORDER BY 1, 2").fetchall():
        owners.setdefault(f"@{alias}", team)
    current = con.execute(
        "SELECT p.github_login, p.email, pp.team_id FROM people p "
        "JOIN person_periods pp ON pp.person_id = p.person_id AND pp.valid_to IS NULL "
        "WHERE pp.team_id IS NOT NULL ORDER BY p.person_id"
    ).fetchall()
    for login, email, team in current:
        if login:
            owners.setdefault(f"@{login}", team)
        if email:
            owners.setdefault(email, team)
    return owners


def owner_team(owner: str, owners: dict[str, str]) -> str | None:
    """The team behind one CODEOWNERS owner; ``@org/slug`` matches the alias ``slug``."""
    key = owner.lower()
    if key in owners:
        return owners[key]
    if key.startswith("@") and "/" in key:
        return owners.get("@" + key.rsplit("/", 1)[-1])
    return None
