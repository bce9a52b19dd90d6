"""What the warehouse remembers between git ingests, and the writes that change it.

Rows of one batch (a chunk of commits with their files and identities) land in one
transaction, so a commit is stored with all of its files or not at all. The refs a
repository was ingested at are only updated once all of its batches have landed; a run
killed before that is completed by the next run, which skips the commits already stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import Any

import pyarrow as pa

from quarterdeck.ingest.git_rows import RowBatch
from quarterdeck.ingest.identities import BotRules
from quarterdeck.store import Warehouse, first_row


@dataclass
class StoredRepository:
    """A repository as the warehouse knows it."""

    repository_id: int
    name: str
    path: str
    refs: dict[str, str] = field(default_factory=dict)
    head_sha: str | None = None
    mailmap_digest: str | None = None
    ref_patterns: tuple[str, ...] = ()
    file_count: int = 0


def stored_repositories(warehouse: Warehouse) -> dict[str, StoredRepository]:
    """Every known repository, by canonical git-dir path."""
    con = warehouse.con
    repos: dict[str, StoredRepository] = {}
    by_id: dict[int, StoredRepository] = {}
    rows = con.execute(
        "SELECT repository_id, name, path, head_sha, mailmap_digest, ref_patterns, "
        "(SELECT count(*) FROM repository_files f WHERE f.repository_id = r.repository_id) "
        "FROM repositories r"
    ).fetchall()
    for rid, name, path, head, digest, patterns, files in rows:
        repo = StoredRepository(rid, name, path, {}, head, digest, tuple(patterns or ()), files)
        repos[path] = by_id[rid] = repo
    for rid, ref, sha in con.execute("SELECT repository_id, ref_name, commit_sha FROM git_refs").fetchall():
        by_id[rid].refs[ref] = sha
    return repos


def register_repository(
    warehouse: Warehouse, path: str, work_tree: str | None, loaded_at: datetime
) -> StoredRepository:
    """Add a repository to the warehouse with a unique short name."""
    con = warehouse.con
    taken = {r[0] for r in con.execute("SELECT name FROM repositories").fetchall()}
    name = unique_name(path, work_tree, taken)
    row = first_row(con.execute("SELECT coalesce(max(repository_id), 0) + 1 FROM repositories"))
    rid = int(row[0]) if row else 1
    con.execute(
        "INSERT INTO repositories (repository_id, name, path, work_tree, ref_patterns, "
        "source, loaded_at) VALUES (?, ?, ?, ?, [], ?, ?)",
        [rid, name, path, work_tree, "git:" + path, loaded_at],
    )
    return StoredRepository(rid, name, path)


def unique_name(path: str, work_tree: str | None, taken: set[str]) -> str:
    """A short name for display: the folder's name (without ``.git``), widened with parent
    folders until no other repository has it."""
    parts = list(PurePath(work_tree or path).parts)
    if parts and parts[-1] == ".git":
        parts.pop()
    if parts and parts[-1].endswith(".git"):
        parts[-1] = parts[-1][: -len(".git")]
    for width in range(1, len(parts) + 1):
        candidate = "/".join(p for p in parts[-width:] if p != "/")
        if candidate and candidate not in taken:
            return candidate
    base = "/".join(parts[-1:]) or "repository"
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def split_known_commits(warehouse: Warehouse, repository_id: int, candidates: list[str]) -> tuple[list[str], list[str]]:
    """(commits not stored yet, in the given order; stored commits marked unreachable)."""
    if not candidates:
        return [], []
    table = pa.table({"sha": candidates})
    warehouse.con.register("_candidates", table)
    try:
        rows = warehouse.con.execute(
            "SELECT c.sha, c.reachable FROM commits c JOIN _candidates k ON c.sha = k.sha WHERE c.repository_id = ?",
            [repository_id],
        ).fetchall()
    finally:
        warehouse.con.unregister("_candidates")
    if not rows:
        return candidates, []
    stored = {sha for sha, _ in rows}
    revived = [sha for sha, reachable in rows if not reachable]
    return [sha for sha in candidates if sha not in stored], revived


def write_batch(warehouse: Warehouse, batch: RowBatch) -> None:
    """Store one batch: commits, their files and absent blobs, in one transaction."""
    with warehouse.transaction():
        warehouse.insert_arrow("commits", batch.commits, batch.constants)
        warehouse.insert_arrow("commit_files", batch.files, batch.constants)
        if batch.missing_blobs is not None:
            warehouse.insert_arrow("git_missing_blobs", batch.missing_blobs, batch.constants)


def set_reachability(warehouse: Warehouse, repository_id: int, shas: list[str], reachable: bool) -> None:
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


def reachable_commits(warehouse: Warehouse, repository_id: int) -> list[str]:
    rows = warehouse.con.execute(
        "SELECT sha FROM commits WHERE repository_id = ? AND reachable", [repository_id]
    ).fetchall()
    return [r[0] for r in rows]


def stored_commits(warehouse: Warehouse, repository_id: int) -> list[str]:
    rows = warehouse.con.execute("SELECT sha FROM commits WHERE repository_id = ?", [repository_id]).fetchall()
    return [r[0] for r in rows]


def move_repository(warehouse: Warehouse, repository_id: int, path: str, work_tree: str | None) -> None:
    """Record that a repository now lives at another path (its folder was moved)."""
    warehouse.con.execute(
        "UPDATE repositories SET path = ?, work_tree = ?, source = ? WHERE repository_id = ?",
        [path, work_tree, "git:" + path, repository_id],
    )


def replace_refs(warehouse: Warehouse, repo: StoredRepository, refs: dict[str, str], loaded_at: datetime) -> None:
    con = warehouse.con
    con.execute("DELETE FROM git_refs WHERE repository_id = ?", [repo.repository_id])
    if refs:
        warehouse.insert_arrow(
            "git_refs",
            pa.table({"ref_name": list(refs), "commit_sha": list(refs.values())}),
            {"repository_id": repo.repository_id, "source": "git:" + repo.path, "loaded_at": loaded_at},
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
    con.execute("DELETE FROM repository_files WHERE repository_id = ?", [repository_id])
    warehouse.insert_arrow("repository_files", files, constants)
    con.register("_head_history", head_history)
    try:
        con.execute(_LAST_CHANGES, {"repository": repository_id})
    finally:
        con.unregister("_head_history")


def known_blob_sizes(con: Any, repository_id: int) -> list[tuple[str, int | None, int | None, bool, bool]]:
    """Sizes of the blobs at HEAD already measured (``con``: a connection or a cursor)."""
    return con.execute(
        "SELECT DISTINCT blob_sha, size_bytes, lines, is_binary, blob_missing FROM repository_files "
        "WHERE repository_id = ? AND NOT blob_missing",
        [repository_id],
    ).fetchall()


def absent_blob_count(warehouse: Warehouse, repository_id: int) -> int:
    """Blobs of a partial clone found absent: in the changes of its reachable commits and
    among the files at HEAD (with a blob filter, every absent blob of the history)."""
    row = warehouse.con.execute(
        "SELECT count(DISTINCT blob_sha) FROM ("
        " SELECT m.blob_sha FROM git_missing_blobs m JOIN commits c"
        " ON c.repository_id = m.repository_id AND c.sha = m.commit_sha"
        " WHERE m.repository_id = $rid AND c.reachable"
        " UNION ALL SELECT blob_sha FROM repository_files WHERE repository_id = $rid AND blob_missing)",
        {"rid": repository_id},
    ).fetchone()
    return int(row[0]) if row else 0


def undo_run(warehouse: Warehouse, repository_id: int, loaded_at: datetime, registered_now: bool) -> None:
    """Remove what this run wrote for a repository that failed, so it is as before the run."""
    with warehouse.transaction() as con:
        for table in ("commit_files", "git_missing_blobs", "commits"):
            con.execute(f"DELETE FROM {table} WHERE repository_id = ? AND loaded_at = ?", [repository_id, loaded_at])
        if registered_now:
            for table in ("repository_files", "git_refs", "repositories"):
                con.execute(f"DELETE FROM {table} WHERE repository_id = ?", [repository_id])


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


def rebuild_identities(warehouse: Warehouse, bots: BotRules, loaded_at: datetime) -> None:
    """Make ``identities`` match the commits: one row per identity, named after its newest
    commit, flagged by the bot patterns in force. Rows that did not change keep their
    load time; identities no commit refers to any more are removed."""
    con = warehouse.con
    with warehouse.transaction():
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
        _apply_bot_rules(con, bots)


def apply_bot_rules(warehouse: Warehouse, bots: BotRules) -> None:
    """Re-flag identities with the bot patterns in force (they may have changed)."""
    with warehouse.transaction() as con:
        _apply_bot_rules(con, bots)


def _apply_bot_rules(con, bots: BotRules) -> None:  # type: ignore[no-untyped-def]
    rows = con.execute("SELECT identity_id, name, email, bot_rule FROM identities").fetchall()
    changed = [(key, rule) for key, name, email, old in rows if (rule := bots.match(name, email)) != old]
    if not changed:
        return
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


def apply_remap(warehouse: Warehouse, repository_id: int, remap: pa.Table) -> None:
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


def replace_codeowners(
    warehouse: Warehouse, repository_id: int, name: str, found: tuple[str, list[Any]] | None, stamp: dict[str, Any]
) -> None:
    """The CODEOWNERS rules read from the repository's HEAD (none if it has no such file)."""
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
