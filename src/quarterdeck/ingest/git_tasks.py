"""The units of work a git ingest runs in parallel: each reads git, none opens the warehouse."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

from quarterdeck.core.errors import RepositoryError
from quarterdeck.ingest.chunks import ChunkQueue, worker_index
from quarterdeck.ingest.git_rows import RowBatch, history_rows
from quarterdeck.ingest.identities import identity_id
from quarterdeck.ingest.stack_read import read_inventory
from quarterdeck.sources.git.command import GitRepository, run_git
from quarterdeck.sources.git.extract import HistoryChunk, ReaderPool, read_history
from quarterdeck.sources.git.log_parser import FileColumns
from quarterdeck.sources.git.partial import (
    RawCommit,
    absent_objects,
    affected_commits,
    files_without_missing_blobs,
    raw_changes,
)
from quarterdeck.sources.git.refs import existing_commits, head_commit, is_partial_clone
from quarterdeck.sources.git.tree import BlobSize, TreeFiles, head_files, history_of
from quarterdeck.sources.org.codeowners import CODEOWNERS_PATHS, parse_codeowners
from quarterdeck.sources.org.records import OwnerRule
from quarterdeck.sources.stack.model import Inventory


@dataclass(frozen=True)
class Destination:
    """Where rows of a repository go and how they are labelled."""

    repository_id: int
    source: str
    loaded_at: datetime


def read_commit_chunk(
    readers: ReaderPool, queue: ChunkQueue, dest: Destination, shallow: frozenset[str], partial: bool = False
) -> RowBatch:
    """The next batch of commits for this worker, with their per-file line counts."""
    shas = queue.claim(worker_index())
    try:
        chunk = readers.read(shas)
    except RepositoryError as error:
        if not partial:
            raise
        return read_around_absent_blobs(readers, shas, dest, shallow, error)
    return _rows(readers.repo, chunk, shas, dest, shallow)


def _rows(
    repo: GitRepository, chunk: HistoryChunk, shas: list[str], dest: Destination, shallow: frozenset[str]
) -> RowBatch:
    boundary = [sha for sha in shas if sha in shallow]
    parents = real_parents(repo, boundary) if boundary else None
    return history_rows(chunk, dest.repository_id, dest.source, dest.loaded_at, shallow, parents)


def read_around_absent_blobs(
    readers: ReaderPool, shas: list[str], dest: Destination, shallow: frozenset[str], error: RepositoryError
) -> RowBatch:
    """A batch of a partial clone whose read stopped: the commits that touch an absent blob
    are read file by file, the others again as usual (see ``sources/git/partial.py``)."""
    repo = readers.repo
    changes = raw_changes(repo, shas)
    missing = absent_objects(repo, shas)
    affected = affected_commits(changes, missing)
    if not affected:
        raise error  # the read failed for another reason
    normal = [sha for sha in shas if sha not in affected]
    batches = [read_commits_with_missing_blobs(repo, affected, missing, dest)]
    if normal:
        batches.append(_rows(repo, readers.read(normal), normal, dest, shallow))
    return RowBatch.combine(batches)


def read_commits_with_missing_blobs(
    repo: GitRepository, affected: dict[str, RawCommit], missing: frozenset[str], dest: Destination
) -> RowBatch:
    """Commits that touch absent blobs: metadata from git log, files from ``--raw``."""
    shas = list(affected)
    chunk = read_history(repo, shas, line_counts=False)
    files = FileColumns()
    absent: list[tuple[str, str, str]] = []
    for sha in shas:
        for path, oid in files_without_missing_blobs(repo, affected[sha], missing, files):
            absent.append((sha, path, oid))
    chunk.files = files
    batch = history_rows(chunk, dest.repository_id, dest.source, dest.loaded_at)
    batch.missing_blobs = pa.table(
        {
            "commit_sha": [a[0] for a in absent],
            "path": [a[1] for a in absent],
            "blob_sha": [a[2] for a in absent],
        }
    )
    return batch


def real_parents(repo: GitRepository, shas: list[str]) -> dict[str, list[str]]:
    """Parents as written in the commit objects (a shallow clone hides them from git log)."""
    out = run_git(repo, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in shas).encode())
    parents: dict[str, list[str]] = {}
    pos = 0
    for sha in shas:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        size = int(header[2]) if len(header) == 3 else 0
        body = out[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1
        head = body.split(b"\n\n", 1)[0]
        parents[sha] = [ln[7:].decode("ascii") for ln in head.split(b"\n") if ln.startswith(b"parent ")]
    return parents


@dataclass
class TreeRows:
    """The files at ``head`` (rows of ``repository_files``) and the commits reachable from
    it, newest first; both None when nothing needs storing (the files at ``head`` are)."""

    head: str | None
    files: pa.Table | None = None
    head_history: pa.Table | None = None
    codeowners: tuple[str, list[OwnerRule]] | None = None  # (path, rules) of the CODEOWNERS file
    stack: Inventory | None = None  # the tech-stack inventory at ``head``, when it was read


def read_tree_early(
    repo: GitRepository,
    stored_head: str | None,
    known: Callable[[], dict[str, BlobSize]],
    inventory: bool = False,
    inventory_head: str | None = None,
) -> TreeRows | None:
    """The files at HEAD, read while the repository is still being planned, so that this
    work fills the time a core would otherwise wait. In a partial clone, absent blobs are
    found as they are read (``cat-file --batch`` reports them, fetches nothing).
    With ``inventory``, the tech-stack inventory too, unless it was read at this HEAD
    (``inventory_head``)."""
    head = head_commit(repo)
    if head is None or head == stored_head:
        rows = TreeRows(head)  # nothing to read (the usual case of an unchanged repository)
        if inventory and head is not None and head != inventory_head:
            partial = is_partial_clone(repo)
            missing = absent_objects(repo, [head], parents=False) if partial else frozenset()
            rows.stack = read_inventory(repo, head, head_files(repo, head, known(), missing))
        return rows
    return read_tree_files(repo, head, known, is_partial_clone(repo), inventory)


def read_tree_files(
    repo: GitRepository, head: str, known: Callable[[], dict[str, BlobSize]], partial: bool, inventory: bool = False
) -> TreeRows:
    """Files at the tip of the default branch, and its history (to date each file's last change)."""
    missing = absent_objects(repo, [head], parents=False) if partial else frozenset()
    files = head_files(repo, head, known(), missing)
    stack = read_inventory(repo, head, files) if inventory else None
    history = history_of(repo, head)
    table = pa.table(
        {
            "path": files.path,
            "blob_sha": files.blob_sha,
            "size_bytes": pa.array(files.size_bytes, pa.int64()),
            "lines": pa.array(files.lines, pa.int32()),
            "is_binary": files.is_binary,
            "blob_missing": files.blob_missing,
        }
    )
    positions = pa.array(range(len(history)), pa.int32())
    head_history = pa.table({"sha": history, "position": positions})
    return TreeRows(head, table, head_history, _codeowners(repo, files), stack)


def _codeowners(repo: GitRepository, files: TreeFiles) -> tuple[str, list[OwnerRule]] | None:
    """The CODEOWNERS file at HEAD, where code hosts look for it (first found wins)."""
    present = {path: i for i, path in enumerate(files.path)}
    for path in CODEOWNERS_PATHS:
        i = present.get(path)
        if i is not None and not files.blob_missing[i]:
            text = run_git(repo, "cat-file", "blob", files.blob_sha[i]).decode("utf-8", "replace")
            return path, parse_codeowners(text)
    return None


def read_mailmap_identities(repo: GitRepository, shas: list[str]) -> pa.Table:
    """Each stored commit's author and committer after the current .mailmap (for re-mapping).
    Commits no longer in the object store (pruned after a force-push) keep what they had."""
    c = read_history(repo, existing_commits(repo, shas), line_counts=False).commits
    return pa.table(
        {
            "sha": c.sha,
            "author_mailmap_name": c.author_canonical_name,
            "author_identity_id": [
                identity_id(n, e) for n, e in zip(c.author_canonical_name, c.author_canonical_email, strict=True)
            ],
            "committer_mailmap_name": c.committer_canonical_name,
            "committer_identity_id": [
                identity_id(n, e) for n, e in zip(c.committer_canonical_name, c.committer_canonical_email, strict=True)
            ],
        }
    )
