"""What a source's reader and the pipeline hand each other.

A reader (``Source.reader``) is ``read(connection: Connection) -> Iterator[Unit]``: for one
configured connection it yields the units of work, each one scope's resources read together
(``Unit``). The pipeline runs a unit's ``read(state)`` with the stored state of that scope
(cursors, earlier problems, what is stored: :class:`StoredState`, read-only) and gets a
:class:`Batch`: the records to store (``Rows`` by table; ``Delivery`` records go through the
checks of the delivery files first), the problems per resource and the new cursors. The
pipeline stores a batch in one transaction; a unit that fails (a ``SourceError``) stores
nothing and keeps its cursors. Readers never open the warehouse.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

from quarterdeck.config import Settings
from quarterdeck.config.sources import SourceConfig

T = TypeVar("T")


@dataclass(frozen=True)
class RecordProblem:
    source: str
    scope: str
    resource: str
    record_id: str
    problem: str
    updated_at: datetime | None = None  # when the source last changed it, if known

    def __str__(self) -> str:
        return f"{self.source} {self.scope} {self.resource} {self.record_id or '(no id)'}: {self.problem}"


@dataclass
class SyncResult:
    """What one sync of one resource of one scope did (a row of the command's output)."""

    source: str
    scope: str
    resource: str
    read: int = 0
    stored: int = 0
    problems: list[RecordProblem] = field(default_factory=list)
    requests: int = 0
    cursor: str | None = None
    error: str | None = None  # why the resource failed: nothing of it stored, its cursor kept

    def row(self) -> list[Any]:
        return [
            self.source, self.scope, self.resource, self.read, self.stored, len(self.problems), self.cursor,
            self.error is not None,
        ]  # fmt: skip

    COLUMNS = ("source", "scope", "resource", "read", "stored", "problems", "cursor", "failed")


@dataclass
class SyncContext:
    """What a sync is told by its caller: where to start on a first run, the time it runs,
    and whom to tell about waits (rate limits, retries) and progress."""

    since: datetime | None
    loaded_at: datetime
    on_wait: Callable[[float, str], None] | None = None
    on_progress: Callable[[str, int], None] | None = None  # (what, items read so far)

    def progress(self, what: str, count: int) -> None:
        if self.on_progress is not None:
            self.on_progress(what, count)


class StoredState(Protocol):
    """What a reader may know of the warehouse for one scope: read-only."""

    def cursor(self, resource: str) -> str | None:
        """How far the last sync of ``resource`` read (None: never synced)."""

    def problem_ids(self, resource: str) -> set[str]:
        """The ids of the records of ``resource`` the last sync could not store."""

    def stored(self, table: str, key: str, value: str, **where: Any) -> dict[Any, Any]:
        """``{key: value}`` of the rows of ``table`` whose columns equal ``where``'s values; a
        list value means any of them (``run_id=[...]``), a value ending in ``*`` a prefix."""


@dataclass
class Rows:
    """Records for one table, stored by its primary key (a record read again replaces the
    stored one); ``constants`` fill the columns equal on every row; ``counts``: the result
    whose ``stored`` is this write's count. ``before_delivery``: stored, in a transaction of
    their own, before the delivery records (the jobs of CI runs: a run stored then means its
    jobs are, so a sync stopped in between reads both again)."""

    table: str
    records: list[dict[str, Any]]
    constants: dict[str, Any] = field(default_factory=dict)
    counts: SyncResult | None = None
    before_delivery: bool = False


@dataclass(frozen=True)
class Replace:
    """Remove the stored rows of ``table`` whose columns equal ``where``'s values (a list:
    any of them), in the batch's transaction, before its rows are stored: a file that is the
    whole truth of what it covers (a budget export's months) drops the lines it no longer has."""

    table: str
    where: dict[str, Any]


@dataclass
class Delivery:
    """Deployments, incidents, CI runs or availability, stored through the same loader and
    checks as files: records it rejects become problems of ``result``."""

    kind: str
    records: list[dict[str, Any]]
    result: SyncResult


@dataclass
class Bulk:
    """Files too large for records (millions of rows), stored by a function of the store
    (``store``: "module:function") that stages them in the warehouse with SQL, checks them
    and inserts them: called in the batch's transaction, before its rows, as
    ``function(connection, **arguments) -> rows stored``; it raises ``SourceError`` to refuse
    them (then nothing of the batch is stored). ``counts``: the result whose ``read`` and
    ``stored`` are that count."""

    store: str
    arguments: dict[str, Any]
    counts: SyncResult | None = None


@dataclass
class Batch:
    """What a unit read: ``results`` (one per resource, returned to the user), ``delivery``
    (loaded first), then ``replace`` (stored rows removed), ``bulk``, ``rows``, ``problems``
    (replacing the stored ones, per resource) and ``cursors`` (per resource; None keeps the
    stored one), stored in one transaction.
    ``after_delivery`` runs between the two: what it decides (rows, cursors) may depend on
    which delivery records were refused."""

    results: list[SyncResult]
    rows: list[Rows] = field(default_factory=list)
    replace: list[Replace] = field(default_factory=list)
    delivery: list[Delivery] = field(default_factory=list)
    bulk: list[Bulk] = field(default_factory=list)
    problems: dict[str, list[RecordProblem]] = field(default_factory=dict)
    cursors: dict[str, str | None] = field(default_factory=dict)
    after_delivery: Callable[[Batch], None] | None = None


@dataclass(frozen=True)
class Unit:
    """One scope's resources read together: ``read(state) -> Batch``."""

    scope: str
    resources: tuple[str, ...]
    read: Callable[[StoredState], Batch]


@dataclass(frozen=True)
class Connection:
    """What a reader is given: the configured connection, the project settings, and the
    sync's start, time and listeners."""

    config: SourceConfig
    settings: Settings
    context: SyncContext


Reader = Callable[[Connection], AbstractContextManager[Iterable[Unit]]]


def convert(
    items: Iterable[dict[str, Any]],
    to_record: Callable[[dict[str, Any]], T],
    problem: Callable[[dict[str, Any], str], RecordProblem],
    problems: list[RecordProblem],
) -> list[T]:
    """``to_record`` applied to each item; an item it cannot convert (a KeyError, a wrong
    type or value) becomes a problem made by ``problem(item, why)``, and the rest go on."""
    records = []
    for item in items:
        try:
            records.append(to_record(item))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            problems.append(problem(item, why(exc)))
    return records


def why(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return f"{type(exc).__name__}: {exc}"


def cursor_before_problems(newest: datetime | None, problems: list[RecordProblem]) -> datetime | None:
    """The cursor a sync may write: the newest time it stored, but no later than the oldest
    change it could not store (so the next sync reads that record again)."""
    failed = [p.updated_at for p in problems if p.updated_at is not None]
    if failed and newest is not None:
        return min(newest, min(failed))
    return min(failed) if failed else newest


def shown_url(url: object) -> str:
    """An API address as it may be stored or shown: without any user name or password that
    was written into it (``https://user:secret@host`` -> ``https://host``)."""
    return re.sub(r"^([a-z][a-z0-9+.-]*://)[^/@]*@", r"\1", str(url).rstrip("/"), flags=re.IGNORECASE)


def chained(first: T, rest: Iterator[T]) -> Iterator[T]:
    yield first
    yield from rest
