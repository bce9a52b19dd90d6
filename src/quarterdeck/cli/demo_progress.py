"""Where ``quarterdeck demo`` stands: a progress bar on a terminal, one line per step otherwise.

On a terminal (stderr), one bar counts the demo's steps and a second one the current
step's own work when it can be counted: repositories written, commits ingested, sources
read. Elsewhere (a script, CI, a pipe) nothing is drawn; each step prints one line with
the seconds since the start, as before.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

#: The steps, in order (the simulation's own steps first, then the imports).
STEPS = (
    "organization",
    "pull requests",
    "git repositories",
    "CI runs, deployments, incidents and availability",
    "API answers (GitHub pull requests, Jira issues)",
    "truth",
    "ingesting git",
    "ingesting the organization",
    "ingesting the money files (budget, software, company, cloud bill, investment rules)",
    "ingesting deployments, incidents, CI runs, availability and SLOs",
    "reading GitHub and Jira through their connectors",
    "headline metrics",
)


class DemoProgress:
    """Tells the user each step; also a :class:`~quarterdeck.ingest.progress.ProgressSink`
    for the git ingest and an ``on_progress`` for the connectors."""

    def __init__(self, console: Console | None = None, *, live: bool | None = None) -> None:
        self.console = console or Console(stderr=True, highlight=False)
        self.live = sys.stderr.isatty() if live is None else live
        self.began = time.perf_counter()
        self._progress: Progress | None = None
        self._steps = self._detail = None
        if self.live:
            self._progress = Progress(
                TextColumn("{task.description:<52.52}"),
                BarColumn(bar_width=28),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self._steps = self._progress.add_task("demo", total=len(STEPS))
            self._detail = self._progress.add_task("", total=None, visible=False)

    def __enter__(self) -> DemoProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()

    def seconds(self) -> float:
        return time.perf_counter() - self.began

    def say(self, text: str) -> None:
        """A line that stays (above the bars on a terminal)."""
        self.console.print(f"demo: {text} ({self.seconds():.1f} s)")

    def step(self, what: str) -> None:
        """The next step begins."""
        if self._progress is None:
            self.say(what)
            return
        done = STEPS.index(what) if what in STEPS else None
        self._progress.update(self._steps, description=what, **({"completed": done} if done is not None else {}))
        self._progress.update(self._detail, description="", completed=0, total=None, visible=False)

    def count(self, what: str, total: int | None) -> None:
        """The current step's work: ``total`` items (None: not known ahead)."""
        if self._progress is not None:
            self._progress.update(self._detail, description=f"  {what}", completed=0, total=total, visible=True)

    def advance(self, count: int = 1, what: str | None = None) -> None:
        if self._progress is not None:
            extra = {"description": f"  {what}"} if what else {}
            self._progress.update(self._detail, advance=count, **extra)

    def finish(self) -> None:
        if self._progress is not None:
            self._progress.update(self._steps, completed=len(STEPS))

    # -- the git ingest (ProgressSink) ------------------------------------------------------

    def repositories_found(self, count: int) -> None:
        self.count("commits", 0)

    def repository_planned(self, name: str, new_commits: int) -> None:
        if self._progress is not None:
            task = self._progress.tasks[self._detail]  # type: ignore[index]
            self._progress.update(self._detail, total=(task.total or 0) + new_commits)

    def commits_done(self, name: str, count: int) -> None:
        self.advance(count)

    def repository_done(self, name: str, status: str) -> None:
        if status == "failed":
            self.console.print(f"[red]failed[/red] {name}")

    # -- the connectors (SyncContext.on_progress) -------------------------------------------

    def items_read(self, what: str, count: int) -> None:
        if self._progress is not None:
            self._progress.update(self._detail, description=f"  {what}: {count:,}")
