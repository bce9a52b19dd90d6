"""Live progress of an ingest on a terminal: repositories, commits, commits/s, time left."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """Items per second, for tasks that name their unit."""

    def render(self, task: Task) -> Text:
        unit = task.fields.get("unit")
        if task.speed is None or unit is None:
            return Text("", style="progress.data.speed")
        return Text(f"{task.speed:,.0f} {unit}/s", style="progress.data.speed")


class TerminalProgress:
    """A :class:`~quarterdeck.ingest.progress.ProgressSink` drawn with Rich on stderr."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self._progress = Progress(
            TextColumn("{task.description:<13}"),
            BarColumn(bar_width=30),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            RateColumn(),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        self._repos = self._progress.add_task("repositories", total=0)
        self._commits = self._progress.add_task("commits", total=0, unit="commits")

    def __enter__(self) -> TerminalProgress:
        self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._progress.stop()

    def repositories_found(self, count: int) -> None:
        self._progress.update(self._repos, total=count)

    def repository_planned(self, name: str, new_commits: int) -> None:
        total = self._progress.tasks[self._commits].total or 0
        self._progress.update(self._commits, total=total + new_commits)

    def commits_done(self, name: str, count: int) -> None:
        self._progress.advance(self._commits, count)

    def repository_done(self, name: str, status: str) -> None:
        self._progress.advance(self._repos, 1)
        if status == "failed":
            self.console.print(f"[red]failed[/red] {name}")
