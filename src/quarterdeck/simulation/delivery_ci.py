"""The default branch of each repository over time, and the CI runs of its pull requests.

A repository's default branch moves only when a pull request lands (the simulated plan has
no direct pushes): ``MainLine`` lists its commits in the order the git writer wrote them,
so "what was on main at time T" is the latest merge or squash landed before T. CI runs once
per push of a pull request's commits (queued at the push) and once on the default branch
after each merge.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from quarterdeck.simulation.delivery_model import CiRun, DeliveryParams
from quarterdeck.simulation.git_writer import WrittenRepository
from quarterdeck.simulation.pull_requests import PlannedPullRequest
from quarterdeck.simulation.rng import Rng

PUSH_DELAY = timedelta(minutes=1)  # a commit made after the pull request opened is pushed a minute later


@dataclass(frozen=True)
class MainLine:
    """The default branch's commits in landing order: index 0 is the initial commit."""

    repository: str
    times: tuple[int, ...]  # epoch seconds each commit landed (the initial one: minus infinity)
    shas: tuple[str, ...]

    def index_before(self, moment: datetime) -> int:
        """The index of the latest commit landed strictly before ``moment``."""
        return bisect.bisect_left(self.times, int(moment.timestamp())) - 1

    def landed_at(self, index: int) -> datetime:
        return datetime.fromtimestamp(self.times[index], UTC)


def main_line(pulls: list[PlannedPullRequest], written: WrittenRepository) -> MainLine:
    """The merges and squashes in the order ``git_writer.schedule`` lands them (time of the
    merge, never before the branch's last commit; equal times in plan order)."""
    landed = []
    for index, pull in enumerate(pulls):
        merge = pull.work.merge
        if merge is None:
            continue
        last = max(int(c.committed_at.timestamp()) for c in pull.work.commits)
        landed.append((max(last, int(merge.committed_at.timestamp())), index, written.shas[merge.key]))
    landed.sort()
    first = -(2**62)
    return MainLine(
        written.name, (first, *(t for t, _, _ in landed)), (written.initial_sha, *(s for _, _, s in landed))
    )


def ci_runs(
    pulls: list[PlannedPullRequest], written: WrittenRepository, line: MainLine, params: DeliveryParams, rng: Rng
) -> list[CiRun]:
    """Every CI run of one repository, in the order they were queued, numbered in that order."""
    drafts: list[tuple[datetime, str, str, datetime | None]] = []  # queued, workflow, sha, superseded at
    for pull in pulls:
        pushes = _pushes(pull, written)
        for i, (pushed, sha) in enumerate(pushes):
            following = pushes[i + 1][0] if i + 1 < len(pushes) else None
            drafts.append((pushed, "ci", sha, following))
    for index in range(1, len(line.shas)):
        drafts.append((line.landed_at(index), "main", line.shas[index], None))
    drafts.sort(key=lambda d: (d[0], d[1], d[2]))
    return [_run(f"{written.name}-{n}", written.name, *draft, params, rng) for n, draft in enumerate(drafts, 1)]


def _pushes(pull: PlannedPullRequest, written: WrittenRepository) -> list[tuple[datetime, str]]:
    """(pushed at, SHA of the newest commit pushed): the commits made before the pull request
    opened are pushed together when it opens; each later one a minute after it was made."""
    opened, commits = pull.created_at, pull.work.commits
    before = [c for c in commits if c.committed_at <= opened]
    pushes = [(opened, written.shas[before[-1].key])] if before else []
    pushes += [(c.committed_at + PUSH_DELAY, written.shas[c.key]) for c in commits[len(before) :]]
    return pushes


def _run(
    run_id: str,
    repository: str,
    queued: datetime,
    workflow: str,
    sha: str,
    superseded: datetime | None,
    params: DeliveryParams,
    rng: Rng,
) -> CiRun:
    """A run waits in the queue, runs, and passes or fails; a newer push to the same pull
    request before it finishes cancels it."""
    queue, run = _normal_pair(rng)
    started = queued + _minutes(params.ci_queue_median_minutes * math.exp(params.ci_queue_sigma * queue))
    finished = started + _minutes(params.ci_run_median_minutes * math.exp(params.ci_run_sigma * run))
    result = "failure" if rng.chance(params.ci_failure_rate) else "success"
    if superseded is not None and superseded < finished:
        result, finished = "cancelled", max(started, superseded)
    return CiRun(run_id, repository, workflow, sha, queued, started, finished, result)


def _normal_pair(rng: Rng) -> tuple[float, float]:
    """Two independent standard normal values from two uniforms (both halves of Box-Muller:
    half the draws of ``Rng.normal``, for the half a million runs of a large organization)."""
    radius, angle = math.sqrt(-2.0 * math.log(1.0 - rng.random())), 2.0 * math.pi * rng.random()
    return radius * math.cos(angle), radius * math.sin(angle)


def _minutes(value: float) -> timedelta:
    """A duration in whole seconds (timestamps are written to the second)."""
    return timedelta(seconds=max(1, round(value * 60)))
