"""The warehouse as the web app holds it: one connection for the life of the server.

DuckDB lets one process write a database file, so ``quarterdeck serve`` opens the warehouse
once at start and keeps it until it stops; while it runs, other quarterdeck commands on the
same file fail with "in use by another process". A DuckDB connection must not be used by
two threads at once: every piece of work runs in a worker thread (so the event loop keeps
serving) under one lock (so requests touch the warehouse one at a time, in arrival order).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from quarterdeck.store import Warehouse

T = TypeVar("T")


class SharedWarehouse:
    """An open warehouse that requests use one at a time."""

    def __init__(self, warehouse: Warehouse) -> None:
        self._warehouse = warehouse
        self._lock = threading.Lock()
        self._closing = False

    @property
    def closing(self) -> bool:
        return self._closing

    @property
    def path(self) -> str:
        return str(self._warehouse.path)

    async def run(self, work: Callable[[Warehouse], T]) -> T:
        """Run ``work(warehouse)`` in a worker thread, alone on the warehouse."""
        return await run_in_threadpool(self._locked, work)

    def run_now(self, work: Callable[[Warehouse], T]) -> T:
        """Run ``work(warehouse)`` in this thread, alone on the warehouse (for work started
        outside requests, such as computing the dashboard ahead); refused once closing."""
        if self._closing:
            raise RuntimeError("the server is stopping")
        return self._locked(work)

    def settle(self) -> None:
        """Before the warehouse is closed: refuse new background work, stop the query running
        (DuckDB interrupts it) and wait until nothing uses the connection."""
        self._closing = True
        self._warehouse.con.interrupt()
        with self._lock:
            pass

    def _locked(self, work: Callable[[Warehouse], T]) -> T:
        with self._lock:
            return work(self._warehouse)
