"""Turning parsed git history into rows of the canonical tables, as Arrow tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa

from quarterdeck.ingest.identities import identity_id
from quarterdeck.sources.git.extract import HistoryChunk
from quarterdeck.sources.git.log_parser import FileColumns

UTC_SECONDS = pa.timestamp("s", tz="UTC")


@dataclass
class RowBatch:
    """Rows for one write: commits, their files and the blobs found absent, all of one
    repository; ``constants`` are the columns every row shares (repository, source, load time)."""

    commits: pa.Table
    files: pa.Table
    constants: dict[str, Any]
    missing_blobs: pa.Table | None = None

    @property
    def commit_count(self) -> int:
        return self.commits.num_rows

    @staticmethod
    def combine(batches: list[RowBatch]) -> RowBatch:
        """One batch holding the rows of several batches of the same repository."""
        if len(batches) == 1:
            return batches[0]
        missing = [b.missing_blobs for b in batches if b.missing_blobs is not None]
        return RowBatch(
            pa.concat_tables([b.commits for b in batches]),
            pa.concat_tables([b.files for b in batches]),
            batches[0].constants,
            pa.concat_tables(missing) if missing else None,
        )


def history_rows(
    chunk: HistoryChunk,
    repository_id: int,
    source: str,
    loaded_at: datetime,
    shallow: frozenset[str] = frozenset(),
    real_parents: dict[str, list[str]] | None = None,
) -> RowBatch:
    """Rows of the ``commits`` and ``commit_files`` tables for one chunk."""
    c = chunk.commits
    author_ids = [identity_id(n, e) for n, e in zip(c.author_canonical_name, c.author_canonical_email, strict=True)]
    committer_ids = [
        identity_id(n, e) for n, e in zip(c.committer_canonical_name, c.committer_canonical_email, strict=True)
    ]
    boundary = [sha in shallow for sha in c.sha]
    parents = c.parents
    if real_parents:
        parents = [real_parents.get(sha, p) for sha, p in zip(c.sha, c.parents, strict=True)]
    commits = pa.table(
        {
            "sha": c.sha,
            "parents": pa.array(parents, pa.list_(pa.string())),
            "author_name": c.author_name,
            "author_email": c.author_email,
            "author_time": pa.array(c.author_time, UTC_SECONDS),
            "author_utc_offset_minutes": pa.array(c.author_offset, pa.int16()),
            "committer_name": c.committer_name,
            "committer_email": c.committer_email,
            "committer_time": pa.array(c.committer_time, UTC_SECONDS),
            "committer_utc_offset_minutes": pa.array(c.committer_offset, pa.int16()),
            "author_mailmap_name": c.author_canonical_name,
            "author_identity_id": author_ids,
            "committer_mailmap_name": c.committer_canonical_name,
            "committer_identity_id": committer_ids,
            "subject": c.subject,
            "is_merge": [len(p) > 1 for p in parents],
            "is_shallow_boundary": boundary,
        }
    )
    files = file_rows(_without_boundary_files(chunk.files, shallow))
    constants = {"repository_id": repository_id, "source": source, "loaded_at": loaded_at}
    return RowBatch(commits, files, constants)


def _without_boundary_files(files: FileColumns, shallow: frozenset[str]) -> FileColumns:
    """A shallow clone's boundary commits show their whole tree as added: not real changes."""
    if not shallow or not any(sha in shallow for sha in files.commit_sha):
        return files
    kept = FileColumns()
    for i, sha in enumerate(files.commit_sha):
        if sha in shallow:
            continue
        kept.commit_sha.append(sha)
        kept.path.append(files.path[i])
        kept.previous_path.append(files.previous_path[i])
        kept.lines_added.append(files.lines_added[i])
        kept.lines_deleted.append(files.lines_deleted[i])
        kept.is_binary.append(files.is_binary[i])
        kept.blob_missing.append(files.blob_missing[i])
    return kept


def file_rows(files: FileColumns) -> pa.Table:
    return pa.table(
        {
            "commit_sha": files.commit_sha,
            "path": files.path,
            "previous_path": pa.array(files.previous_path, pa.string()),
            "lines_added": pa.array(files.lines_added, pa.int32()),
            "lines_deleted": pa.array(files.lines_deleted, pa.int32()),
            "is_binary": pa.array(files.is_binary, pa.bool_()),
            "blob_missing": pa.array(files.blob_missing, pa.bool_()),
        }
    )
