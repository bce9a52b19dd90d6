"""What a deployment shipped: the commits reachable from one commit and not from another.

The commit graph of a repository is read from the warehouse once (sha -> parents) and
given generation numbers (1 for a root, else one more than the highest parent), so a walk
can stop early: commits are visited highest generation first, painted "new" (reachable
from the deployed commit) or "old" (from the previous deployment's), and the walk ends
when nothing left to visit is only "new". This is how ``git rev-list NEW ^OLD`` works;
its cost follows the commits between the two, not the size of the history.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

NEW, OLD = 1, 2


class CommitGraph:
    """A repository's commits: parents, and generation numbers for early stopping."""

    def __init__(self, edges: Iterable[tuple[str, list[str]]]):
        self.parents: dict[str, tuple[str, ...]] = {sha: tuple(parents) for sha, parents in edges}
        self.generation = self._generations()

    def __contains__(self, sha: str) -> bool:
        return sha in self.parents

    def _generations(self) -> dict[str, int]:
        generation: dict[str, int] = {}
        for start in self.parents:
            if start in generation:
                continue
            stack = [start]
            while stack:
                sha = stack[-1]
                pending = [p for p in self.parents.get(sha, ()) if p in self.parents and p not in generation]
                if pending:
                    stack.extend(pending)
                    continue
                stack.pop()
                known = [generation[p] for p in self.parents[sha] if p in generation]
                generation[sha] = 1 + max(known, default=0)
        return generation

    def shipped(self, new: str, old: str | None) -> tuple[list[str], set[str]]:
        """Commits reachable from ``new`` and not from ``old`` (newest first), and those of
        them on the first-parent line of ``new``."""
        if old == new:
            return [], set()
        paint: dict[str, int] = {new: NEW}
        queue: list[tuple[int, str]] = [(-self.generation[new], new)]
        if old is not None:
            paint[old] = paint.get(old, 0) | OLD
            heapq.heappush(queue, (-self.generation[old], old))
        pending_new = 1  # queued commits painted NEW only: while there are some, keep walking
        order: list[str] = []
        while queue and pending_new:
            _, sha = heapq.heappop(queue)
            colour = paint[sha]
            if colour == NEW:
                pending_new -= 1
                order.append(sha)
            for parent in self.parents.get(sha, ()):
                if parent not in self.parents:
                    continue  # beyond a shallow clone's boundary
                before = paint.get(parent, 0)
                after = before | colour
                if after == before:
                    continue
                paint[parent] = after
                if before == 0:
                    heapq.heappush(queue, (-self.generation[parent], parent))
                    pending_new += after == NEW
                elif before == NEW:
                    pending_new -= 1  # queued as NEW, now reachable from the old commit too
        shipped = [sha for sha in order if paint[sha] == NEW]
        return shipped, self._first_parent_line(new, set(shipped))

    def _first_parent_line(self, new: str, shipped: set[str]) -> set[str]:
        line, sha = set(), new
        while sha in shipped:
            line.add(sha)
            parents = self.parents.get(sha, ())
            sha = parents[0] if parents else ""
        return line
