"""The tech-stack inventory's tables (docs/tech-stack.md, migration 0023) as due-diligence
facts: languages by lines, CI files, the repository's licence, its dependencies, their
licences and whether a lock file pins them. A repository the inventory has not read keeps
what the HEAD scan found (``diligence.add_scan``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from quarterdeck.metrics import MetricQuery, get_metric, run_metric
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


def add_inventory(warehouse: Warehouse, repositories: list[RepositoryFacts], base: MetricQuery) -> None:
    """Files, licence and dependencies of each repository the inventory has read; the licence
    mix is ``metrics show stack_licence_mix --by repository``."""
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
    declared = defaultdict(dict)
    for rid, manifest, entries in warehouse.con.execute(
        "SELECT repository_id, manifest, count(*) FROM stack_dependencies GROUP BY ALL ORDER BY manifest"
    ).fetchall():
        declared[rid][manifest] = entries
    dependencies = defaultdict(list)
    for row in warehouse.con.execute(_DISTINCT_DEPENDENCIES).fetchall():
        dependencies[row[0]].append(row[1:])
    mix = licence_mix(warehouse, base)
    frameworks = defaultdict(list)
    for rid, framework, version in warehouse.con.execute(
        "SELECT DISTINCT repository_id, framework, version FROM stack_frameworks ORDER BY ALL"
    ).fetchall():
        frameworks[rid].append(f"{framework} {version}" if version else framework)
    for repo in repositories:
        rid = ids.get(repo.name)
        if rid is None:
            continue
        repo.inventory = True
        repo.ci_files = files[(rid, "ci")]
        repo.lock_files = files[(rid, "lock")]
        repo.licence_file, repo.licence = own_licence(licences[rid])
        repo.manifests = {path: declared[rid].get(path, 0) for path in files[(rid, "manifest")]}
        repo.manifests.update({path: n for path, n in declared[rid].items() if path not in repo.manifests})
        add_dependencies(repo, dependencies[rid])
        repo.dependency_licences = mix.get(repo.name, {})
        repo.frameworks = frameworks[rid]


def own_licence(found: list[tuple[str, str, str]]) -> tuple[str | None, str | None]:
    """The licence file at the root (else any licence file, else a manifest's licence)."""
    files = [f for f in found if f[2] == "file"]
    root = [f for f in files if "/" not in f[0]]
    for path, licence, _ in root or files or [f for f in found if f[2] == "manifest"]:
        return path, licence
    return None, None


#: Each dependency once per repository (as stack_licence_mix counts them): runtime when any
#: manifest uses it at runtime, pinned when any lock file resolves it.
_DISTINCT_DEPENDENCIES = """
    SELECT repository_id, ecosystem, name, bool_or(scope = 'runtime'), bool_or(resolved IS NOT NULL),
           min(coalesce(licence, 'unknown'))
    FROM stack_dependencies GROUP BY ALL ORDER BY ALL
"""


def licence_mix(warehouse: Warehouse, base: MetricQuery) -> dict[str, dict[str, int]]:
    """Per repository name, dependencies by licence: ``stack_licence_mix --by repository``."""
    result = run_metric(warehouse, get_metric("stack_licence_mix"), replace(base, since=None, by="repository"))
    mix: dict[str, dict[str, int]] = defaultdict(dict)
    for row in result.rows:
        values = dict(zip(result.columns, row, strict=True))
        mix[values["group"]][values["licence"]] = int(values["dependencies"])
    return mix


def add_dependencies(repo: RepositoryFacts, rows: list[tuple]) -> None:  # type: ignore[type-arg]
    repo.copyleft_dependencies = []
    for _ecosystem, name, runtime, locked, licence in rows:
        repo.dependencies += 1
        repo.runtime_dependencies += bool(runtime)
        repo.locked_dependencies += bool(locked)
        if copyleft(licence) == "strong":
            repo.copyleft_dependencies.append(f"{name} ({licence}, {'runtime' if runtime else 'dev'})")
