"""What a git ingest is asked to do, and how it ended: options, outcomes, the report."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GitIngestOptions:
    refs: tuple[str, ...]
    jobs: int
    batch_commits: int
    bot_patterns: tuple[str, ...]
    link_by_name: bool = False
    production_environments: tuple[str, ...] = ("production", "prod")
    incident_window_days: int = 7
    stack_inventory: bool = True  # read the tech-stack inventory at HEAD (docs/tech-stack.md)


@dataclass
class RepositoryOutcome:
    """How one repository's ingest ended."""

    name: str
    path: str
    status: str  # 'ingested', 'unchanged' or 'failed'
    commits_added: int = 0
    files_added: int = 0
    commits_unreachable: int = 0
    missing_blobs: int = 0
    commits_with_missing_blobs: int = 0
    message: str = ""
    seconds: float = 0.0


@dataclass
class IngestReport:
    run_id: int
    outcomes: list[RepositoryOutcome]
    problems: list[tuple[str, str]]
    seconds: float
    status: str

    @property
    def commits_added(self) -> int:
        return sum(o.commits_added for o in self.outcomes)

    @property
    def failures(self) -> list[str]:
        failed = [f"{o.path}: {o.message}" for o in self.outcomes if o.status == "failed"]
        return [f"{path}: {why}" for path, why in self.problems] + failed
