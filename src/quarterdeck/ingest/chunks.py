"""Handing out a repository's commits to workers in batches, keeping each worker on a
stretch of history of its own.

git's cost per commit depends on what it has just read: consecutive commits touch the
same files, whose blobs are stored as deltas of each other, so a worker that goes through
a contiguous stretch of history keeps hitting its delta-base cache. The commit list is
cut into batches, the batches into one contiguous region per worker; each worker takes
batches from the front of its own region and, when that is empty, from the back of the
region with the most left, so all workers finish together.
"""

from __future__ import annotations

import itertools
import math
import threading
from collections import deque

_worker_ids = itertools.count()
_local = threading.local()


def worker_index() -> int:
    """A small number that stays the same for the calling thread."""
    index = getattr(_local, "index", None)
    if index is None:
        index = _local.index = next(_worker_ids)
    return index


class ChunkQueue:
    """Batches of commits, in regions, for ``workers`` threads."""

    def __init__(self, shas: list[str], batch_size: int, workers: int) -> None:
        batches = [shas[i : i + batch_size] for i in range(0, len(shas), batch_size)]
        self.batch_count = len(batches)
        regions = max(1, min(workers, len(batches)))
        per_region = math.ceil(len(batches) / regions) if batches else 0
        self._regions = [deque(batches[i : i + per_region]) for i in range(0, len(batches), per_region or 1)]
        self._lock = threading.Lock()

    def claim(self, worker: int) -> list[str]:
        """The next batch for this worker: its own region first, then the fullest other one."""
        with self._lock:
            own = self._regions[worker % len(self._regions)]
            if own:
                return own.popleft()
            fullest = max(self._regions, key=len)
            if fullest:
                return fullest.pop()
        return []
