"""``quarterdeck simulate``: the whole simulation, from a seed to a folder of inputs and truth.

Layout of the folder (every file is one a real organization would have, except ``truth/``
and ``simulation.json``):

- ``hr/``, ``org/``, ``codeowners/``, ``finance/``, ``survey/``: the organization
  (``simulation.org_files``);
- ``git/<repository>.git``: bare repositories written with ``git fast-import``;
- ``delivery/``: CI runs, deployments, incidents, availability and SLOs
  (``simulation.delivery``), in the formats of ``quarterdeck ingest deployments`` ...;
- ``api/``: what GitHub (the pull requests) and Jira (the issues) answer, with the project
  file ``api/quarterdeck.yaml``, served on 127.0.0.1 by ``simulation.replay.serve_api`` so that
  ``quarterdeck ingest all`` reads them through the real connectors;
- ``truth/``: what the simulator knows (headcount, attrition, the budget, tools and company
  figures, each pull request's waits, deployments, incidents and their causes, DORA per
  service and month, each issue's investment category and each person-month's mix, the
  dependencies each repository's build file declares at HEAD: ``stack.csv``);
- ``simulation.json``: the seed and parameters, and what was written.

The same seed and parameters give byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from quarterdeck.simulation.api_jira import write_api
from quarterdeck.simulation.delivery import DeliveryParams, plan_delivery, write_delivery_files, write_delivery_truth
from quarterdeck.simulation.git_writer import DEFAULT_COMPRESSION, RepositoryJob, WrittenRepository, write_repositories
from quarterdeck.simulation.history import Work
from quarterdeck.simulation.model import World
from quarterdeck.simulation.org import build_world
from quarterdeck.simulation.org_files import codeowners, write_org_files, write_org_truth
from quarterdeck.simulation.org_params import OrgParams
from quarterdeck.simulation.pull_requests import PlannedPullRequest, WorkParams, plan_pull_requests
from quarterdeck.simulation.rng import Rng


@dataclass(frozen=True)
class SimulationParams:
    org: OrgParams = field(default_factory=OrgParams)
    work: WorkParams = field(default_factory=WorkParams)
    delivery: DeliveryParams = field(default_factory=DeliveryParams)


@dataclass
class Simulated:
    """What the first steps made, for the steps that build on it (delivery, API files)."""

    world: World
    planned: dict[str, list[PlannedPullRequest]]  # repository -> its pull requests, by opening
    written: dict[str, WrittenRepository]  # repository -> its SHAs and per-commit line counts
    out: Path


@dataclass
class SimulationSummary:
    people: int = 0
    teams: int = 0
    repositories: int = 0
    pull_requests: int = 0
    commits: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def simulate(
    params: SimulationParams,
    seed: int,
    out: Path,
    *,
    workers: int = 2,
    step: Callable[[str], None] | None = None,
    compression: int = DEFAULT_COMPRESSION,
    written: Callable[[int, int], None] | None = None,
) -> SimulationSummary:
    """Write the simulated organization's inputs and truth under ``out`` (git objects at zlib
    level ``compression``); ``step`` is told each step, ``written(done, total)`` each
    repository written."""
    tell = step or (lambda _: None)
    made = simulate_code(params, seed, out, workers=workers, step=tell, compression=compression, written=written)
    tell("CI runs, deployments, incidents and availability")
    delivery = plan_delivery(made, params.delivery, Rng(seed).child("delivery"))
    write_delivery_files(delivery, out)
    write_delivery_truth(delivery, made, out)
    tell("API answers (GitHub pull requests, Jira issues)")
    write_api(made.world, made.planned, made.written, out, seed, workers=workers)
    tell("truth")
    _write(out / "truth" / "pull_requests.csv", pull_request_truth(made.planned))
    _write(out / "truth" / "stack.csv", stack_truth(made.written))
    summary = SimulationSummary(len(made.world.people), len(made.world.teams), len(made.written))
    summary.pull_requests = sum(len(p) for p in made.planned.values())
    summary.commits = sum(len(w.shas) + 1 for w in made.written.values())  # planned commits and each first one
    _write(out / "simulation.json", _manifest(params, seed, made.world, summary))
    return summary


def simulate_code(
    params: SimulationParams,
    seed: int,
    out: Path,
    *,
    workers: int = 2,
    step: Callable[[str], None] | None = None,
    compression: int = DEFAULT_COMPRESSION,
    written: Callable[[int, int], None] | None = None,
) -> Simulated:
    """The organization (its files and truth), the pull-request plan and the git repositories."""
    tell = step or (lambda _: None)
    tell("organization")
    world = build_world(params.org, seed)
    write_org_files(world, out)
    write_org_truth(world, out)
    tell("pull requests")
    planned = plan_pull_requests(world, params.work, Rng(seed).child("work"))
    tell("git repositories")
    jobs = [replace(job, compression=compression) for job in _git_jobs(world, planned, seed, out)]
    repositories = write_repositories(jobs, workers, written)
    return Simulated(world, planned, dict(zip((job.name for job in jobs), repositories, strict=True)), out)


def _git_jobs(world: World, planned: dict[str, list[PlannedPullRequest]], seed: int, out: Path) -> list[RepositoryJob]:
    """One job per repository with work to write (a repository nobody touched is not written)."""
    jobs = []
    first_day = datetime.combine(world.start - timedelta(days=1), time(9), tzinfo=UTC)
    for repository in world.repositories:
        plan: list[Work] = [pull.work for pull in planned.get(repository.name, [])]
        if not plan:
            continue
        jobs.append(
            RepositoryJob(
                out / "git" / f"{repository.name}.git",
                repository.name,
                repository.language,
                plan,
                Rng(seed).child("git", repository.name),
                codeowners(world, repository.name),
                first_day,
            )
        )
    return jobs


def pull_request_truth(planned: dict[str, list[PlannedPullRequest]]) -> str:
    """Each pull request's waits as the wait ledger defines them (docs/wait-ledger.md):
    pickup = ready -> first review; review = first review -> approval (or merge)."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(
        ["repository", "number", "author_id", "bot", "created_at", "ready_at", "first_review_at", "approved_at",
         "merged_at", "closed_at", "pickup_hours", "review_hours"]
    )  # fmt: skip
    for repository in sorted(planned):
        for pull in sorted(planned[repository], key=lambda p: p.number):
            first = pull.reviews[0].submitted_at if pull.reviews else None
            approved = next((r.submitted_at for r in pull.reviews if r.state == "APPROVED"), None)
            ends = [t for t in (approved, pull.merged_at) if t is not None]
            done = min(ends) if first is not None and ends else None
            out.writerow(
                [repository, pull.number, pull.author_id or "", "yes" if pull.author_id is None else "no",
                 _iso(pull.created_at), _iso(pull.ready_at), _iso(first), _iso(approved), _iso(pull.merged_at),
                 _iso(pull.closed_at), _hours(pull.ready_at, first), _hours(first, done)]
            )  # fmt: skip
    return buffer.getvalue()


def stack_truth(written: dict[str, Any]) -> str:
    """The dependencies each repository's build file declares at HEAD (docs/tech-stack.md)."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(["repository", "ecosystem", "manifest", "dependency", "version", "scope"])
    for name in sorted(written):
        for d in sorted(written[name].stack, key=lambda d: (d.manifest, d.dependency)):
            out.writerow([name, d.ecosystem, d.manifest, d.dependency, d.version, d.scope])
    return buffer.getvalue()


def _manifest(params: SimulationParams, seed: int, world: World, summary: SimulationSummary) -> str:
    document: dict[str, Any] = {
        "seed": seed,
        "start": world.start.isoformat(),
        "end": world.end.isoformat(),
        "timezone": world.timezone,
        "organization": world.organization,
        "parameters": _plain(asdict(params)),
        "written": {k: v for k, v in asdict(summary).items() if k != "seconds"},
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


def _hours(start: datetime | None, end: datetime | None) -> str:
    if start is None or end is None:
        return ""
    return f"{(end - start).total_seconds() / 3600:.6f}"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
