"""Ingesting git repositories into the warehouse: planning, parallel reads, batched writes.

All git work (planning, commit chunks, file sizes) runs on a pool of ``jobs`` threads,
each driving one git process, so a large repository uses every core and many
repositories run side by side. Only this module's main thread touches the warehouse.
A repository that fails is reported, what this run wrote for it is removed, and the
other repositories go on.
"""

from __future__ import annotations

import math
import queue
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from quarterdeck.core.clock import now
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.ingest import git_state as state
from quarterdeck.ingest.chunks import ChunkQueue
from quarterdeck.ingest.delivery_links import rebuild_links
from quarterdeck.ingest.git_plan import GitPlan, moved_here, plan_repository, repository_key
from quarterdeck.ingest.git_report import GitIngestOptions, IngestReport, RepositoryOutcome
from quarterdeck.ingest.git_rows import RowBatch
from quarterdeck.ingest.git_tasks import (
    Destination,
    TreeRows,
    read_commit_chunk,
    read_mailmap_identities,
    read_tree_early,
    read_tree_files,
)
from quarterdeck.ingest.identities import BotRules
from quarterdeck.ingest.identity_links import rebuild_identity_links
from quarterdeck.ingest.ownership import rebuild_file_owners
from quarterdeck.ingest.progress import NoProgress, ProgressSink
from quarterdeck.ingest.runs import finish_run
from quarterdeck.sources.git.command import GitRepository
from quarterdeck.sources.git.discovery import Discovery
from quarterdeck.sources.git.extract import ReaderPool
from quarterdeck.sources.git.tree import BlobSize
from quarterdeck.store import Warehouse, git_writes, stack_writes
from quarterdeck.store.run_log import forget_run, start_run

MIN_CHUNK = 100
MAX_CHUNK = 500


@dataclass
class _RepoRun:
    """A repository's progress through this run."""

    repo: GitRepository
    stored: state.StoredRepository | None
    started: float
    plan: GitPlan | None = None
    record: state.StoredRepository | None = None
    registered_now: bool = False
    outstanding: int = 0
    failed: bool = False
    revived: list[str] = field(default_factory=list)
    unwritten: list[RowBatch] = field(default_factory=list)
    commits_added: int = 0
    files_added: int = 0
    commits_with_missing_blobs: int = 0
    tree: TreeRows | None = None
    remap: pa.Table | None = None
    readers: ReaderPool | None = None
    moved_from: str | None = None  # the path a moved repository was known under
    outcome: RepositoryOutcome | None = None
    futures: set[Future[Any]] = field(default_factory=set)


class GitIngestion:
    """One run of ``quarterdeck ingest git``."""

    def __init__(self, warehouse: Warehouse, options: GitIngestOptions, progress: ProgressSink | None = None):
        self.wh = warehouse
        self.options = options
        self.progress = progress or NoProgress()
        self.bots = BotRules(options.bot_patterns)
        self.loaded_at = now()
        self._pending: dict[Future[Any], tuple[str, _RepoRun]] = {}
        self._finished: queue.SimpleQueue[Future[Any]] = queue.SimpleQueue()
        self._dirty = False
        self._owners_changed = False

    def run(self, found: Discovery) -> IngestReport:
        """Ingest the repositories ``found`` by :func:`discover`."""
        started = time.perf_counter()
        self.progress.repositories_found(len(found.repositories))
        run_id, interrupted = start_run(self.wh, "git", self.loaded_at)
        self._dirty = interrupted
        stored = state.stored_repositories(self.wh)
        self._inventory_heads = stack_writes.stored_inventory_heads(self.wh)
        runs = [_RepoRun(repo, stored.get(repository_key(repo)), time.perf_counter()) for repo in found.repositories]
        self._register_new(runs, stored)
        with ThreadPoolExecutor(max_workers=self.options.jobs, thread_name_prefix="git") as pool:
            self._pool = pool
            for run in runs:
                self._submit("plan", run, plan_repository, run.repo, run.stored, self.options.refs)
                head, sizes = self._stored_head(run), self._sizes_of(run)
                inventory = self.options.stack_inventory, self._inventory_head(run)
                self._submit("tree", run, read_tree_early, run.repo, head, sizes, *inventory)
            try:
                self._drain()
            finally:
                for run in runs:
                    if run.readers is not None:
                        run.readers.close()
        self._store_unchanged_inventories(runs)
        if self._dirty:
            state.rebuild_identities(self.wh, self.bots, self.loaded_at)
        else:
            state.apply_bot_rules(self.wh, self.bots)
        if self._dirty or self._owners_changed:
            with self.wh.transaction():
                rebuild_identity_links(self.wh, self.loaded_at, self.options.link_by_name)
                rebuild_file_owners(self.wh, self.loaded_at)
                if self._dirty:
                    options = self.options
                    rebuild_links(self.wh, options.production_environments, options.incident_window_days)
        outcomes = [r.outcome for r in runs if r.outcome is not None]
        report = IngestReport(run_id, outcomes, found.problems, 0.0, "")
        if outcomes and all(o.status == "failed" for o in outcomes):
            forget_run(self.wh, run_id)  # nothing was stored: the warehouse stays as it was
            report.status = "failed"
            report.seconds = time.perf_counter() - started
            return report
        report.status = finish_run(
            self.wh,
            run_id,
            repositories=len(runs) + len(found.problems),
            commits_added=report.commits_added,
            files_added=sum(o.files_added for o in outcomes),
            failures=report.failures,
        )
        report.seconds = time.perf_counter() - started
        return report

    # -- scheduling -------------------------------------------------------------------

    def _submit(self, kind: str, run: _RepoRun, fn: Any, *args: Any) -> None:
        future = self._pool.submit(fn, *args)
        self._pending[future] = (kind, run)
        run.futures.add(future)
        run.outstanding += 1
        future.add_done_callback(self._finished.put)

    def _drain(self) -> None:
        """Handle finished work, in the order it finishes, until nothing is left."""
        while self._pending:
            future = self._finished.get()
            kind, run = self._pending.pop(future)
            run.futures.discard(future)
            run.outstanding -= 1
            if run.failed or future.cancelled():
                if not run.futures and run.readers is not None:
                    run.readers.close()
                continue
            try:
                self._handle(kind, run, future.result())
                if run.outstanding == 0 and run.outcome is None and not self._tree_stale(run):
                    self._finalize(run)
            except Exception as exc:  # a repository's failure must not stop the others
                self._fail(run, exc)

    def _handle(self, kind: str, run: _RepoRun, result: Any) -> None:
        if kind == "plan":
            self._on_plan(run, result)
        elif kind == "batch":
            self._on_batch(run, result)
        elif kind == "tree":
            run.tree = result
        elif kind == "remap":
            run.remap = result

    # -- steps --------------------------------------------------------------------------

    def _register_new(self, runs: list[_RepoRun], stored: dict[str, state.StoredRepository]) -> None:
        """Give new repositories ids and names in the order they were found (so two runs over
        the same folders agree), and recognise a repository whose folder was moved."""
        vanished = [s for s in stored.values() if not Path(s.path).exists() and s.head_sha]
        with self.wh.transaction():
            for run in runs:
                if run.stored is not None:
                    continue
                moved = moved_here(run.repo, vanished)
                if moved is not None:
                    vanished.remove(moved)
                    run.stored, run.moved_from = moved, moved.path
                    continue
                run.record = state.register_repository(
                    self.wh, repository_key(run.repo), _str(run.repo.work_tree), self.loaded_at
                )
                run.registered_now = True

    def _on_plan(self, run: _RepoRun, plan: GitPlan) -> None:
        run.plan = plan
        if plan.unchanged and run.moved_from is None:
            assert run.stored is not None
            run.outcome = RepositoryOutcome(run.stored.name, run.repo.display_path, "unchanged")
            self.progress.repository_planned(run.stored.name, 0)
            self.progress.repository_done(run.stored.name, "unchanged")
            return
        if run.record is None:
            run.record = run.stored
        assert run.record is not None
        rid = run.record.repository_id
        todo, run.revived = state.split_known_commits(self.wh, rid, plan.candidates)
        dest = Destination(rid, "git:" + plan.key, self.loaded_at)
        self.progress.repository_planned(run.record.name, len(todo))
        run.readers = ReaderPool(plan.repo)
        queue = ChunkQueue(todo, self._batch_size(len(todo)), self.options.jobs)
        shallow, partial = plan.facts.shallow_commits, plan.facts.is_partial
        for _ in range(queue.batch_count):
            self._submit("batch", run, read_commit_chunk, run.readers, queue, dest, shallow, partial)
        if plan.needs_remap:
            stored_shas = state.stored_commits(self.wh, rid)
            self._submit("remap", run, read_mailmap_identities, plan.repo, stored_shas)

    def _batch_size(self, commits: int) -> int:
        """Small enough that every worker gets several batches, within [MIN_CHUNK, MAX_CHUNK]."""
        per_worker = math.ceil(commits / (self.options.jobs * 8)) if commits else MIN_CHUNK
        return max(MIN_CHUNK, min(self.options.batch_commits, MAX_CHUNK, per_worker))

    def _stored_head(self, run: _RepoRun) -> str | None:
        """The HEAD whose files are stored (None: none are, so they must be read)."""
        stored = run.stored
        return stored.head_sha if stored is not None and stored.file_count and run.moved_from is None else None

    def _inventory_head(self, run: _RepoRun) -> str | None:
        """The HEAD whose tech-stack inventory is stored (None: none is)."""
        return self._inventory_heads.get(run.stored.repository_id) if run.stored is not None else None

    def _store_unchanged_inventories(self, runs: list[_RepoRun]) -> None:
        """An unchanged repository whose inventory was not read at its HEAD (a warehouse made
        before the inventory existed) gets it now."""
        for run in runs:
            outcome, tree, stored = run.outcome, run.tree, run.stored
            if outcome is None or outcome.status != "unchanged" or tree is None or tree.stack is None:
                continue
            assert stored is not None
            with self.wh.transaction():
                source = "git:" + stored.path
                stack_writes.replace_inventory(self.wh, stored.repository_id, tree.stack, source, self.loaded_at)

    def _sizes_of(self, run: _RepoRun) -> Callable[[], dict[str, BlobSize]]:
        """Reads, from a worker thread, the blob sizes already measured for this repository."""
        record = run.record or run.stored
        assert record is not None
        rid = record.repository_id

        def read() -> dict[str, BlobSize]:
            cursor = self.wh.con.cursor()
            try:
                rows = state.known_blob_sizes(cursor, rid)
            finally:
                cursor.close()
            return {oid: BlobSize(size, lines, binary, missing) for oid, size, lines, binary, missing in rows}

        return read

    def _read_tree(self, run: _RepoRun) -> None:
        """Read the files at the plan's HEAD (after the plan: absent blobs are known)."""
        plan = run.plan
        assert plan is not None
        run.tree = None
        if plan.facts.head_sha:
            self._submit(
                "tree",
                run,
                read_tree_files,
                plan.repo,
                plan.facts.head_sha,
                self._sizes_of(run),
                plan.facts.is_partial,
                self.options.stack_inventory,
            )

    def _tree_stale(self, run: _RepoRun) -> bool:
        """HEAD moved between the early read of its files and the plan: read them again."""
        plan = run.plan
        if plan is None or plan.facts.head_sha is None:
            return False
        if run.tree is not None and run.tree.head == plan.facts.head_sha:
            return False
        self._read_tree(run)
        return True

    def _on_batch(self, run: _RepoRun, batch: RowBatch) -> None:
        """Keep a batch until enough commits are waiting: a transaction costs a few
        milliseconds whatever its size, so small read batches are written together."""
        assert run.record is not None
        run.unwritten.append(batch)
        if batch.missing_blobs is not None:
            run.commits_with_missing_blobs += len(set(batch.missing_blobs.column("commit_sha").to_pylist()))
        self.progress.commits_done(run.record.name, batch.commit_count)
        if sum(b.commit_count for b in run.unwritten) >= self.options.batch_commits:
            self._write(run)

    def _write(self, run: _RepoRun) -> None:
        if not run.unwritten:
            return
        batch = RowBatch.combine(run.unwritten)
        run.unwritten = []
        state.write_batch(self.wh, batch)
        self._dirty = True
        run.commits_added += batch.commit_count
        run.files_added += batch.files.num_rows

    def _finalize(self, run: _RepoRun) -> None:
        if run.readers is not None:
            run.readers.close()
        self._write(run)
        plan, record = run.plan, run.record
        assert plan is not None and record is not None
        with self.wh.transaction():
            if run.moved_from is not None:
                git_writes.move_repository(self.wh, record.repository_id, plan.key, _str(plan.repo.work_tree))
            if run.remap is not None:
                git_writes.remap_identities(self.wh, record.repository_id, run.remap)
                self._dirty = True
            gone = plan.no_longer_reachable
            if plan.reachable_now is not None:
                now_set = set(plan.reachable_now)
                gone = [s for s in state.reachable_commits(self.wh, record.repository_id) if s not in now_set]
            git_writes.set_reachability(self.wh, record.repository_id, gone, False)
            git_writes.set_reachability(self.wh, record.repository_id, run.revived, True)
            git_writes.replace_refs(self.wh, record.repository_id, record.path, plan.refs, self.loaded_at)
            if run.tree is not None and run.tree.files is not None:
                git_writes.replace_git_codeowners(
                    self.wh,
                    record.repository_id,
                    record.name,
                    run.tree.codeowners,
                    {"source": "git:" + plan.key, "loaded_at": self.loaded_at},
                )
                self._owners_changed = True
                git_writes.replace_files(
                    self.wh,
                    record.repository_id,
                    run.tree.files,
                    run.tree.head_history,
                    {
                        "repository_id": record.repository_id,
                        "source": "git:" + plan.key,
                        "loaded_at": self.loaded_at,
                    },
                )
            elif plan.facts.head_sha is None:
                git_writes.clear_files(self.wh, record.repository_id)
            if run.tree is not None and run.tree.stack is not None:
                source = "git:" + plan.key
                stack_writes.replace_inventory(self.wh, record.repository_id, run.tree.stack, source, self.loaded_at)
            elif plan.facts.head_sha is None:
                stack_writes.clear_inventory(self.wh, record.repository_id)
            missing = state.absent_blob_count(self.wh, record.repository_id) if plan.facts.is_partial else 0
            git_writes.record_repository_state(
                self.wh,
                record.repository_id,
                default_branch=plan.facts.default_branch,
                head_sha=plan.facts.head_sha,
                remote_url=plan.facts.remote_url,
                is_shallow=plan.facts.is_shallow,
                is_partial=plan.facts.is_partial,
                ref_patterns=list(self.options.refs),
                mailmap_digest=plan.mailmap_digest,
                missing_blobs=missing,
                ingested_at=self.loaded_at,
            )
        run.outcome = RepositoryOutcome(
            record.name,
            run.repo.display_path,
            "ingested",
            commits_added=run.commits_added,
            files_added=run.files_added,
            commits_unreachable=len(gone),
            missing_blobs=missing,
            commits_with_missing_blobs=run.commits_with_missing_blobs,
            seconds=time.perf_counter() - run.started,
        )
        self.progress.repository_done(record.name, "ingested")

    def _fail(self, run: _RepoRun, exc: BaseException) -> None:
        run.failed = True
        for future in list(run.futures):
            future.cancel()
        if run.readers is not None and not run.futures:
            run.readers.close()
        message = str(exc) if isinstance(exc, QuarterdeckError) else f"internal error: {exc!r}"
        path = run.repo.display_path
        if message.startswith(run.repo.display_path + ": "):
            message = message[len(run.repo.display_path) + 2 :]
        if run.record is not None:
            git_writes.undo_repository_run(self.wh, run.record.repository_id, self.loaded_at, run.registered_now)
            self._dirty = True
        name = run.record.name if run.record else (run.stored.name if run.stored else Path(path).name)
        run.outcome = RepositoryOutcome(
            name, path, "failed", message=message, seconds=time.perf_counter() - run.started
        )
        self.progress.repository_done(name, "failed")


def _str(path: Path | None) -> str | None:
    return None if path is None else str(path)
