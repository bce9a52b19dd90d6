"""What the warehouse remembers between git ingests, and the batches of commits it stores
(the other writes are ``store.git_writes``).

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
from quarterdeck.store.git_writes import add_repository, flag_bots, rebuild_git_identities


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
    add_repository(warehouse, rid, name, path, work_tree, loaded_at)
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


def reachable_commits(warehouse: Warehouse, repository_id: int) -> list[str]:
    rows = warehouse.con.execute(
        "SELECT sha FROM commits WHERE repository_id = ? AND reachable", [repository_id]
    ).fetchall()
    return [r[0] for r in rows]


def stored_commits(warehouse: Warehouse, repository_id: int) -> list[str]:
    rows = warehouse.con.execute("SELECT sha FROM commits WHERE repository_id = ?", [repository_id]).fetchall()
    return [r[0] for r in rows]


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


def rebuild_identities(warehouse: Warehouse, bots: BotRules, loaded_at: datetime) -> None:
    """Make ``identities`` match the commits: one row per identity, named after its newest
    commit, flagged by the bot patterns in force. Rows that did not change keep their
    load time; identities no commit refers to any more are removed."""
    with warehouse.transaction():
        rebuild_git_identities(warehouse, loaded_at)
        _apply_bot_rules(warehouse, bots)


def apply_bot_rules(warehouse: Warehouse, bots: BotRules) -> None:
    """Re-flag identities with the bot patterns in force (they may have changed)."""
    with warehouse.transaction():
        _apply_bot_rules(warehouse, bots)


def _apply_bot_rules(warehouse: Warehouse, bots: BotRules) -> None:
    rows = warehouse.con.execute("SELECT identity_id, name, email, bot_rule FROM identities").fetchall()
    changed = [(key, rule) for key, name, email, old in rows if (rule := bots.match(name, email)) != old]
    flag_bots(warehouse, changed)
