"""The tech-stack inventory's tables (docs/tech-stack.md, migration 0023) as due-diligence
facts: languages by lines, CI files, the repository's licence, its dependencies, their
licences and whether a lock file pins them. A repository the inventory has not read keeps
what the HEAD scan found (``diligence.add_scan``)."""

from __future__ import annotations

from collections import defaultdict

from quarterdeck.reports.diligence_model import RepositoryFacts
from quarterdeck.store import Warehouse

#: Strong copyleft (a combined work must use the same licence) and weak copyleft, by the
#: SPDX id's start; the same rule as the inventory's (decision 0079).
STRONG = ("GPL-", "AGPL-", "SSPL-", "EUPL-", "OSL-")
WEAK = ("LGPL-", "MPL-", "EPL-", "CDDL-", "CPL-", "MS-RL")
_RANK = ["none", "weak", "strong"]


def copyleft(spdx: str | None) -> str:
    """'strong', 'weak' or 'none'; a choice ('MIT OR GPL-3.0') is as copyleft as its least
    copyleft alternative, a combination ('MIT AND GPL-3.0') as its most."""
    if not spdx or spdx == "unknown":
        return "none"
    if " OR " in spdx:
        return min((copyleft(p.strip("() ")) for p in spdx.split(" OR ")), key=_RANK.index)
    if " AND " in spdx:
        return max((copyleft(p.strip("() ")) for p in spdx.split(" AND ")), key=_RANK.index)
    upper = spdx.upper()
    if upper.startswith(WEAK):
        return "weak"
    return "strong" if upper.startswith(STRONG) else "none"


def inventory_languages(warehouse: Warehouse) -> list[tuple[str, int, float]] | None:
    """Lines by language over every repository, from the inventory; None when it is empty."""
    rows = warehouse.con.execute(
        "SELECT language, sum(lines) FROM stack_languages GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    total = sum(int(r[1]) for r in rows)
    if not total:
        return None
    return [(language, int(lines), round(int(lines) / total, 4)) for language, lines in rows]


def add_inventory(warehouse: Warehouse, repositories: list[RepositoryFacts]) -> None:
    """Files, licence and dependencies of each repository the inventory has read."""
    ids = dict(
        warehouse.con.execute(
            "SELECT r.name, r.repository_id FROM repositories r JOIN stack_repositories USING (repository_id)"
        ).fetchall()
    )
    files = defaultdict(list)
    for rid, path, kind in warehouse.con.execute(
        "SELECT repository_id, path, kind FROM stack_files ORDER BY path"
    ).fetchall():
        files[(rid, kind)].append(path)
    licences = defaultdict(list)
    for rid, path, licence, origin in warehouse.con.execute(
        "SELECT repository_id, path, licence, origin FROM stack_licences ORDER BY origin, path"
    ).fetchall():
        licences[rid].append((path, licence, origin))
    dependencies = defaultdict(list)
    for row in warehouse.con.execute(
        "SELECT repository_id, manifest, name, scope, resolved IS NOT NULL, coalesce(licence, 'unknown') "
        "FROM stack_dependencies ORDER BY manifest, name"
    ).fetchall():
        dependencies[row[0]].append(row[1:])
    for repo in repositories:
        rid = ids.get(repo.name)
        if rid is None:
            continue
        repo.inventory = True
        repo.ci_files = files[(rid, "ci")]
        repo.lock_files = files[(rid, "lock")]
        repo.licence_file, repo.licence = own_licence(licences[rid])
        add_dependencies(repo, files[(rid, "manifest")], dependencies[rid])


def own_licence(found: list[tuple[str, str, str]]) -> tuple[str | None, str | None]:
    """The licence file at the root (else any licence file, else a manifest's licence)."""
    files = [f for f in found if f[2] == "file"]
    root = [f for f in files if "/" not in f[0]]
    for path, licence, _ in root or files or [f for f in found if f[2] == "manifest"]:
        return path, licence
    return None, None


def add_dependencies(repo: RepositoryFacts, manifests: list[str], rows: list[tuple]) -> None:  # type: ignore[type-arg]
    repo.manifests = {path: 0 for path in manifests}
    repo.dependency_licences = {}
    repo.copyleft_dependencies = []
    for manifest, name, scope, locked, licence in rows:
        repo.manifests[manifest] = repo.manifests.get(manifest, 0) + 1
        repo.dependencies += 1
        repo.runtime_dependencies += scope == "runtime"
        repo.locked_dependencies += bool(locked)
        repo.dependency_licences[licence] = repo.dependency_licences.get(licence, 0) + 1
        if copyleft(licence) == "strong":
            repo.copyleft_dependencies.append(f"{name} ({licence}, {scope})")
