"""The writes of a git ingest: repositories, refs, commits' reachability and identities,
files at HEAD and CODEOWNERS rules read from git.

Each runs inside the caller's transaction, except :func:`undo_repository_run`, which is
one of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pyarrow as pa

from quarterdeck.store.warehouse import Warehouse


def add_repository(
    warehouse: Warehouse, repository_id: int, name: str, path: str, work_tree: str | None, loaded_at: datetime
) -> None:
    """A repository first seen at the git directory ``path``."""
    warehouse.con.execute(
        "INSERT INTO repositories (repository_id, name, path, work_tree, ref_patterns, "
        "source, loaded_at) VALUES (?, ?, ?, ?, [], ?, ?)",
        [repository_id, name, path, work_tree, "git:" + path, loaded_at],
    )


def move_repository(warehouse: Warehouse, repository_id: int, path: str, work_tree: str | None) -> None:
    """Record that a repository now lives at another path (its folder was moved)."""
    warehouse.con.execute(
        "UPDATE repositories SET path = ?, work_tree = ?, source = ? WHERE repository_id = ?",
        [path, work_tree, "git:" + path, repository_id],
    )


def record_repository_state(
    warehouse: Warehouse,
    repository_id: int,
    *,
    default_branch: str | None,
    head_sha: str | None,
    remote_url: str | None,
    is_shallow: bool,
    is_partial: bool,
    ref_patterns: list[str],
    mailmap_digest: str | None,
    missing_blobs: int,
    ingested_at: datetime,
) -> None:
    """What a repository was like when it was last ingested."""
    warehouse.con.execute(
        "UPDATE repositories SET default_branch = ?, head_sha = ?, remote_url = ?, is_shallow = ?, "
        "is_partial = ?, ref_patterns = ?, mailmap_digest = ?, missing_blobs = ?, "
        "last_ingested_at = ? WHERE repository_id = ?",
        [
            default_branch,
            head_sha,
            remote_url,
            is_shallow,
            is_partial,
            ref_patterns,
            mailmap_digest,
            missing_blobs,
            ingested_at,
            repository_id,
        ],
    )


def set_reachability(warehouse: Warehouse, repository_id: int, shas: list[str], reachable: bool) -> None:
    """Mark stored commits of a repository reachable from its refs, or no longer."""
    if not shas:
        return
    warehouse.con.register("_shas", pa.table({"sha": shas}))
    try:
        warehouse.con.execute(
            "UPDATE commits SET reachable = ? WHERE repository_id = ? AND sha IN (SELECT sha FROM _shas)",
            [reachable, repository_id],
        )
    finally:
        warehouse.con.unregister("_shas")


def replace_refs(
    warehouse: Warehouse, repository_id: int, path: str, refs: dict[str, str], loaded_at: datetime
) -> None:
    """The refs (name -> commit) a repository was ingested at, replacing the stored ones."""
    warehouse.con.execute("DELETE FROM git_refs WHERE repository_id = ?", [repository_id])
    if refs:
        warehouse.insert_arrow(
            "git_refs",
            pa.table({"ref_name": list(refs), "commit_sha": list(refs.values())}),
            {"repository_id": repository_id, "source": "git:" + path, "loaded_at": loaded_at},
        )


_LAST_CHANGES = """
UPDATE repository_files AS t
SET last_commit_sha = x.sha, last_changed_at = x.landed_at
FROM (
    SELECT f.path,
           arg_max(c.sha, (c.committer_time, c.sha)) AS sha,
           max(c.committer_time) AS landed_at
    FROM commit_files AS f
    JOIN _head_history AS h ON h.sha = f.commit_sha
    JOIN commits AS c ON c.repository_id = f.repository_id AND c.sha = f.commit_sha
    WHERE f.repository_id = $repository
    GROUP BY f.path
) AS x
WHERE t.repository_id = $repository AND t.path = x.path
"""


def replace_files(
    warehouse: Warehouse,
    repository_id: int,
    files: pa.Table,
    head_history: pa.Table,
    constants: dict[str, Any],
) -> None:
    """Store the files at HEAD, each dated by when its last change landed in HEAD's history
    (commit time: a rebased or cherry-picked change counts from when it was applied)."""
    con = warehouse.con
    clear_files(warehouse, repository_id)
    warehouse.insert_arrow("repository_files", files, constants)
    con.register("_head_history", head_history)
    try:
        con.execute(_LAST_CHANGES, {"repository": repository_id})
    finally:
        con.unregister("_head_history")


def clear_files(warehouse: Warehouse, repository_id: int) -> None:
    """Forget a repository's files at HEAD (it has none, or they are about to be replaced)."""
    warehouse.con.execute("DELETE FROM repository_files WHERE repository_id = ?", [repository_id])


def undo_repository_run(warehouse: Warehouse, repository_id: int, loaded_at: datetime, registered_now: bool) -> None:
    """Remove, in one transaction, what the run of ``loaded_at`` wrote for a repository
    (with ``registered_now``, the repository itself), so it is as before the run."""
    with warehouse.transaction() as con:
        for table in ("commit_files", "git_missing_blobs", "commits"):
            con.execute(f"DELETE FROM {table} WHERE repository_id = ? AND loaded_at = ?", [repository_id, loaded_at])
        if registered_now:
            tables = ("repository_files", "git_refs", "stack_repositories", "stack_languages", "stack_dependencies",
                      "stack_frameworks", "stack_files", "stack_licences", "stack_unreadable", "repositories")
            for table in tables:
                con.execute(f"DELETE FROM {table} WHERE repository_id = ?", [repository_id])


def remap_identities(warehouse: Warehouse, repository_id: int, remap: pa.Table) -> None:
    """New mailmap names and identities of stored commits (``remap``: sha and the four
    author and committer columns)."""
    warehouse.con.register("_remap", remap)
    try:
        warehouse.con.execute(
            "UPDATE commits SET author_mailmap_name = r.author_mailmap_name, "
            "author_identity_id = r.author_identity_id, committer_mailmap_name = r.committer_mailmap_name, "
            "committer_identity_id = r.committer_identity_id FROM _remap r "
            "WHERE commits.repository_id = ? AND commits.sha = r.sha",
            [repository_id],
        )
    finally:
        warehouse.con.unregister("_remap")


_LATEST_NAMES = """
CREATE OR REPLACE TEMP TABLE _identity_names AS
SELECT identity_id, name, seen_at FROM (
    SELECT author_identity_id AS identity_id, author_mailmap_name AS name, author_time AS seen_at
    FROM commits
    UNION ALL
    SELECT committer_identity_id, committer_mailmap_name, committer_time FROM commits
)
QUALIFY row_number() OVER (PARTITION BY identity_id ORDER BY seen_at DESC, name DESC) = 1
"""


def rebuild_git_identities(warehouse: Warehouse, loaded_at: datetime) -> None:
    """Make the git rows of ``identities`` match the commits: one per identity, named after
    its newest commit. Rows that did not change keep their load time; identities no commit
    refers to any more are removed. New rows are not bots (see :func:`flag_bots`)."""
    con = warehouse.con
    con.execute(_LATEST_NAMES)
    con.execute(
        "DELETE FROM identities WHERE kind = 'git' AND identity_id NOT IN (SELECT identity_id FROM _identity_names)"
    )
    con.execute(
        "UPDATE identities SET name = n.name, name_seen_at = n.seen_at FROM _identity_names n "
        "WHERE identities.identity_id = n.identity_id "
        "AND (identities.name <> n.name OR identities.name_seen_at <> n.seen_at)"
    )
    con.execute(
        "INSERT INTO identities SELECT n.identity_id, 'git', "
        "CASE WHEN n.identity_id LIKE 'git:%' THEN substr(n.identity_id, 5) ELSE '' END, "
        "n.name, n.seen_at, false, NULL, 'git', ? FROM _identity_names n "
        "WHERE n.identity_id NOT IN (SELECT identity_id FROM identities)",
        [loaded_at],
    )
    con.execute("DROP TABLE _identity_names")


def flag_bots(warehouse: Warehouse, changed: Sequence[tuple[str, str | None]]) -> None:
    """Set the bot rule of identities (identity id, the rule matching it or None: no bot)."""
    if not changed:
        return
    con = warehouse.con
    con.register(
        "_bots",
        pa.table(
            {
                "identity_id": [k for k, _ in changed],
                "bot_rule": pa.array([r for _, r in changed], pa.string()),
            }
        ),
    )
    try:
        con.execute(
            "UPDATE identities SET is_bot = b.bot_rule IS NOT NULL, bot_rule = b.bot_rule "
            "FROM _bots b WHERE identities.identity_id = b.identity_id"
        )
    finally:
        con.unregister("_bots")


def replace_git_codeowners(
    warehouse: Warehouse, repository_id: int, name: str, found: tuple[str, list[Any]] | None, stamp: dict[str, Any]
) -> None:
    """The CODEOWNERS rules read from a repository's HEAD (``found``: the file's path and
    its rules, each with ``line``, ``pattern`` and ``owners``; None: it has no such file),
    replacing those read from git before. Rules given in org files stay."""
    warehouse.con.execute(
        "DELETE FROM codeowners_rules WHERE repository_id = ? AND source LIKE 'git:%'", [repository_id]
    )
    if found is None:
        return
    path, rules = found
    if rules:
        warehouse.insert_arrow(
            "codeowners_rules",
            pa.table(
                {
                    "line": pa.array([r.line for r in rules], pa.int32()),
                    "pattern": [r.pattern for r in rules],
                    "owners": pa.array([r.owners for r in rules], pa.list_(pa.string())),
                }
            ),
            {"repository_id": repository_id, "repository": name, "file": path, **stamp},
        )
