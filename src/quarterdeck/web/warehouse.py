"""The warehouse as the web app holds it: one connection for the life of the server.

DuckDB lets one process write a database file, so ``quarterdeck serve`` opens the warehouse
once at start and keeps it until it stops; while it runs, other quarterdeck commands on the
same file fail with "in use by another process". A DuckDB connection must not be used by
two threads at once: every piece of work runs in a worker thread (so the event loop keeps
serving) under one lock (so requests touch the warehouse one at a time). Work in the
background (computing the dashboard ahead) goes piece by piece, and before each piece lets
every request already waiting go first: a visitor waits for one piece at most, not for the
whole of it.
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
        self._turn = threading.Condition()
        self._requests_waiting = 0

    @property
    def closing(self) -> bool:
        return self._closing

    @property
    def path(self) -> str:
        return str(self._warehouse.path)

    @property
    def requests_waiting(self) -> int:
        return self._requests_waiting

    async def run(self, work: Callable[[Warehouse], T]) -> T:
        """Run ``work(warehouse)`` in a worker thread, alone on the warehouse."""
        return await run_in_threadpool(self.run_request, work)

    def run_request(self, work: Callable[[Warehouse], T]) -> T:
        """Run a request's ``work(warehouse)`` in this thread, alone on the warehouse, ahead of
        background work."""
        with self._turn:
            self._requests_waiting += 1
        try:
            self._lock.acquire()
        finally:
            with self._turn:
                self._requests_waiting -= 1
                self._turn.notify_all()
        try:
            return work(self._warehouse)
        finally:
            self._lock.release()

    def run_now(self, work: Callable[[Warehouse], T]) -> T:
        """Run ``work(warehouse)`` in this thread, alone on the warehouse, once no request is
        waiting (for work started outside requests, such as computing the dashboard ahead);
        refused once closing."""
        with self._turn:
            self._turn.wait_for(lambda: self._requests_waiting == 0 or self._closing)
        if self._closing:
            raise RuntimeError("the server is stopping")
        return self._locked(work)

    def settle(self) -> None:
        """Before the warehouse is closed: refuse new background work, stop the query running
        (DuckDB interrupts it) and wait until nothing uses the connection."""
        self._closing = True
        with self._turn:
            self._turn.notify_all()
        self._warehouse.con.interrupt()
        with self._lock:
            pass

    def _locked(self, work: Callable[[Warehouse], T]) -> T:
        with self._lock:
            return work(self._warehouse)
