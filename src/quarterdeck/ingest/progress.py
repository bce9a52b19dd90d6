"""How long-running ingestion tells the outside world where it stands.

The ingest layer calls a :class:`ProgressSink`; the command line renders it (a live
progress display on a terminal, nothing otherwise). Calls come from one thread.
"""

from __future__ import annotations

from typing import Protocol


class ProgressSink(Protocol):
    def repositories_found(self, count: int) -> None: ...

    def repository_planned(self, name: str, new_commits: int) -> None: ...

    def commits_done(self, name: str, count: int) -> None: ...

    def repository_done(self, name: str, status: str) -> None: ...


class NoProgress:
    """A sink that shows nothing."""

    def repositories_found(self, count: int) -> None:
        pass

    def repository_planned(self, name: str, new_commits: int) -> None:
        pass

    def commits_done(self, name: str, count: int) -> None:
        pass

    def repository_done(self, name: str, status: str) -> None:
        pass
