"""The due-diligence report as content: the facts found, the red flags and the summary.

``reports.diligence`` fills it from the warehouse and the HEAD scans; the HTML page and the
JSON are drawn only from it. Every red flag carries its rule and the numbers behind it, every
summary sentence the flag or fact it comes from (decision 0080).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

GRADES = ("critical", "high", "medium", "low")


@dataclass
class RepositoryFacts:
    name: str
    files: int = 0
    lines: int = 0
    commits: int = 0  # non-merge commits by people (bots left out), whole history
    authors: int = 0
    first_commit: date | None = None
    last_commit: date | None = None
    bus_factor_12m: int | None = None  # metrics show bus_factor (the 365 days to the data's end)
    bus_factor_all: int | None = None  # the same metric over the whole history
    top_author_share_all: float | None = None
    departed_share: float | None = None  # of all changed lines, by people who left
    test_files: int = 0
    test_lines: int = 0
    ci_files: list[str] = field(default_factory=list)
    licence: str | None = None
    licence_file: str | None = None
    manifests: dict[str, int] = field(default_factory=dict)
    lock_files: list[str] = field(default_factory=list)
    inventory: bool = False  # the tech-stack inventory (docs/tech-stack.md) gave the files, licence and dependencies
    dependencies: int = 0  # declared in its manifests (the inventory's rows)
    runtime_dependencies: int = 0
    locked_dependencies: int = 0  # pinned by a lock file
    dependency_licences: dict[str, int] = field(default_factory=dict)  # SPDX id ('unknown') -> dependencies
    copyleft_dependencies: list[str] = field(default_factory=list)  # "name (licence, scope)", strong copyleft
    frameworks: list[str] = field(default_factory=list)  # the inventory's frameworks, "name version"

    @property
    def test_share(self) -> float:
        return self.test_lines / self.lines if self.lines else 0.0


@dataclass
class QuarterActivity:
    quarter: str  # 2025Q3
    start: date
    commits: int
    active_contributors: int
    partial: bool = False  # the data ends inside this quarter


@dataclass
class SecretFinding:
    repository: str
    kind: str
    title: str
    matches: int
    files: int
    paths: list[str]
    grade: str = "high"  # the red flag's grade (the kind's, decision 0080)


@dataclass
class RedFlag:
    grade: str
    title: str
    rule: str
    evidence: dict[str, Any]
    repository: str | None = None


@dataclass
class Sentence:
    text: str
    source: str  # the fact or rule it comes from


@dataclass
class DiligenceReport:
    title: str
    data_ends: date | None
    repositories: list[RepositoryFacts]
    languages: list[tuple[str, int, float]]  # language, lines, share of lines
    quarters: list[QuarterActivity]
    contributors: int
    top_authors: list[float]  # shares of all changed lines, largest first (no names)
    departed: dict[str, Any]  # how leavers were found, how many, their share of changed lines
    code_age: list[tuple[str, int, float]]  # band, lines, share
    hotspots: list[dict[str, Any]]
    secrets: list[SecretFinding]
    delivery: list[dict[str, Any]] | None
    red_flags: list[RedFlag] = field(default_factory=list)
    summary: list[Sentence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def flags_by_grade(self) -> dict[str, list[RedFlag]]:
        return {grade: [f for f in self.red_flags if f.grade == grade] for grade in GRADES}

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for repo, facts in zip(data["repositories"], self.repositories, strict=True):
            repo["test_share"] = round(facts.test_share, 4)
        return _plain(data)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
