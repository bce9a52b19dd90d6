"""What the dashboard computes, computed once: a cache of results by what was asked.

The server is the only writer of its warehouse while it runs (DuckDB lets one process write
a file), so a result stays right until the server itself writes: the event endpoints clear
the cache after storing records. Requests for a result not computed yet wait for the one
request computing it rather than computing it again (twenty clients opening the overview at
once cost one computation).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from datetime import date, timedelta
from typing import Any, TypeVar

from quarterdeck.metrics.data_end import data_end

__all__ = ["ResultCache", "data_end", "last_whole_month_end"]

T = TypeVar("T")


class ResultCache:
    """Results by key; ``get`` computes a missing one once, under the key's own lock."""

    def __init__(self) -> None:
        self._results: dict[Hashable, Any] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()
        self.generation = 0  # grows at every clear (events stored)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        if key in self._results:
            return self._results[key]
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._results:
                self._results[key] = compute()
            return self._results[key]

    def clear(self) -> None:
        with self._guard:
            self._results.clear()
            self._locks.clear()
            self.generation += 1

    def __len__(self) -> int:
        return len(self._results)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._results


def last_whole_month_end(day: date) -> date:
    """``day`` if it ends a month, else the last day of the month before."""
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    if (following - day).days == 1:
        return day
    return day.replace(day=1) - timedelta(days=1)
