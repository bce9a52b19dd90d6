"""Who opens which pull request when, who reviews it, how long it waits: the plan of work.

For every repository, the engineers of the team owning its service (on each day) open pull
requests at a rate that grows with their ramp-up; each pull request has a few commits,
waits for a first review by a teammate, may get changes requested and more commits, is
approved and merged (or, sometimes, closed unmerged). Bots open dependency updates. The
waits are drawn from log-normal distributions (most short, a long tail) and pushed out of
nights and weekends, as people work. The result is the plan the git writer turns into
commits (``history.BranchWork``) and, with its times, what the API files and the truth of the
wait ledger say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from quarterdeck.simulation.history import Author, BranchWork, Change
from quarterdeck.simulation.model import Person, World
from quarterdeck.simulation.rng import Rng

BOT = Author("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")


@dataclass(frozen=True)
class WorkParams:
    """How a team works (documented, with sources, in docs/simulation.md)."""

    pull_requests_per_engineer_week: float = 2.5
    commits_per_pull_request: float = 4.0  # mean; at least one
    draft_share: float = 0.15  # opened as drafts, marked ready later
    abandoned_share: float = 0.07  # closed without merging
    changes_requested_share: float = 0.2  # first review asks for changes
    squash_share: float = 0.5  # merged by squashing
    pickup_median_hours: float = 3.0  # ready -> first review, working time
    review_median_hours: float = 4.0  # a round of changes -> the next review
    bot_pull_requests_per_repository_week: float = 0.5
    commit_size_median_lines: float = 30.0


@dataclass(frozen=True)
class PlannedReview:
    reviewer: Author
    reviewer_id: str | None  # person id (None for bots)
    state: str  # APPROVED, CHANGES_REQUESTED, COMMENTED
    submitted_at: datetime


@dataclass(frozen=True)
class PlannedPullRequest:
    repository: str
    number: int
    author: Author
    author_id: str | None  # None for bots
    title: str
    created_at: datetime
    ready_at: datetime  # == created_at unless opened as a draft
    draft: bool
    reviews: tuple[PlannedReview, ...]
    merged_at: datetime | None
    closed_at: datetime | None
    work: BranchWork


@dataclass
class _Clock:
    """Working time: weekdays 09:00-18:00 in the organization's time zone (UTC here)."""

    def next_working(self, moment: datetime) -> datetime:
        while moment.weekday() >= 5 or not time(9) <= moment.time() < time(18):
            if moment.weekday() >= 5 or moment.time() >= time(18):
                moment = datetime.combine(moment.date() + timedelta(days=1), time(9), UTC)
            else:
                moment = datetime.combine(moment.date(), time(9), UTC)
        return moment

    def after(self, moment: datetime, hours: float) -> datetime:
        """``hours`` of working time after ``moment``."""
        moment, left = self.next_working(moment), timedelta(hours=hours)
        while True:
            closing = datetime.combine(moment.date(), time(18), UTC)
            if moment + left <= closing:
                return moment + left
            left -= closing - moment
            moment = self.next_working(closing)


@dataclass
class _Numbers:
    next: dict[str, int] = field(default_factory=dict)

    def take(self, repository: str) -> int:
        self.next[repository] = self.next.get(repository, 0) + 1
        return self.next[repository]


def author_of(person: Person) -> Author:
    return Author(person.name, person.email)


def plan_pull_requests(world: World, params: WorkParams, rng: Rng) -> dict[str, list[PlannedPullRequest]]:
    """Every repository's pull requests, in the order they were opened."""
    clock, numbers = _Clock(), _Numbers()
    planned: dict[str, list[PlannedPullRequest]] = {r.name: [] for r in world.repositories}
    for week in world.weeks():
        teams = world.engineers_by_team(week)
        for service in world.services:
            weekly = rng.child("pulls", service.service_id, week.isoformat())
            engineers = teams.get(service.owner_team_id, [])
            share = 1 / max(1, _services_of(world, service.owner_team_id))  # a team splits its time
            for person in engineers:
                rate = params.pull_requests_per_engineer_week * person.productivity_on(week) * share
                reviewers = [p for p in engineers if p.person_id != person.person_id]
                for _ in range(weekly.poisson(rate)):
                    repository = weekly.choice(service.repositories)
                    pull = _pull(repository, numbers.take(repository), person, reviewers, week, params, weekly, clock)
                    planned[repository].append(pull)
            for repository in service.repositories:
                for _ in range(weekly.poisson(params.bot_pull_requests_per_repository_week)):
                    pull = _bot_pull(repository, numbers.take(repository), engineers, week, params, weekly, clock)
                    planned[repository].append(pull)
    for pulls in planned.values():
        pulls.sort(key=lambda p: (p.work.commits[0].authored_at, p.number))
    return planned


def _services_of(world: World, team_id: str) -> int:
    return sum(1 for s in world.services if s.owner_team_id == team_id)


def _pull(
    repository: str,
    number: int,
    person: Person,
    reviewers: list[Person],
    week: date,
    params: WorkParams,
    rng: Rng,
    clock: _Clock,
) -> PlannedPullRequest:
    """One pull request by ``person``, started some working moment of the week."""
    author = author_of(person)
    start = clock.next_working(datetime.combine(week, time(9), UTC) + timedelta(hours=rng.uniform(0, 5 * 24)))
    key = f"pr-{number}"
    commits = [_change(f"{key}-1", author, start, f"Start {key}", params, rng)]
    for i in range(2, 1 + max(1, rng.poisson(params.commits_per_pull_request))):
        commits.append(
            _change(
                f"{key}-{i}",
                author,
                clock.after(commits[-1].committed_at, rng.lognormal(1.0, 0.8)),
                f"Continue {key}",
                params,
                rng,
            )
        )
    draft = rng.chance(params.draft_share)
    created = (
        commits[0].committed_at + timedelta(minutes=5) if draft else commits[-1].committed_at + timedelta(minutes=5)
    )
    ready = commits[-1].committed_at + timedelta(minutes=10) if draft else created
    reviews, last = _reviews(author, person, reviewers, ready, commits, key, params, rng, clock)
    if reviews and rng.chance(params.abandoned_share):
        merged, closed = None, clock.after(last, rng.lognormal(24.0, 1.0))
        work = BranchWork(key, tuple(commits), None)
    else:
        merged = closed = last + timedelta(minutes=rng.integer(2, 90))
        squash = rng.chance(params.squash_share)
        message = f"Change {number} (#{number})" if squash else f"Merge pull request #{number}"
        work = BranchWork(key, tuple(commits), Change(f"{key}-merge", author, merged, merged, message, 1), squash)
    return PlannedPullRequest(
        repository, number, author, person.person_id, f"Change {number}", created, ready, draft, tuple(reviews),
        merged, closed, work,
    )  # fmt: skip


def _reviews(
    author: Author,
    person: Person,
    reviewers: list[Person],
    ready: datetime,
    commits: list[Change],
    key: str,
    params: WorkParams,
    rng: Rng,
    clock: _Clock,
) -> tuple[list[PlannedReview], datetime]:
    """The reviews (changes requested, then more commits, then approval) and the last moment."""
    if not reviewers:
        return [], ready
    reviewer = rng.choice(reviewers)
    first = clock.after(ready, rng.lognormal(params.pickup_median_hours, 1.0))
    if not rng.chance(params.changes_requested_share):
        return [PlannedReview(author_of(reviewer), reviewer.person_id, "APPROVED", first)], first
    fix = clock.after(first, rng.lognormal(2.0, 0.8))
    commits.append(_change(f"{key}-{len(commits) + 1}", author, fix, f"Address review of {key}", params, rng))
    again = clock.after(fix, rng.lognormal(params.review_median_hours, 0.9))
    return [
        PlannedReview(author_of(reviewer), reviewer.person_id, "CHANGES_REQUESTED", first),
        PlannedReview(author_of(reviewer), reviewer.person_id, "APPROVED", again),
    ], again


def _bot_pull(
    repository: str, number: int, engineers: list[Person], week: date, params: WorkParams, rng: Rng, clock: _Clock
) -> PlannedPullRequest:
    """A dependency update: one commit by the bot, approved by an engineer, merged."""
    opened = datetime.combine(week, time(3), UTC) + timedelta(days=rng.integer(0, 4), minutes=rng.integer(0, 59))
    key = f"pr-{number}"
    commit = Change(f"{key}-1", BOT, opened, opened, f"Bump a dependency ({key})", rng.integer(2, 12))
    reviews: tuple[PlannedReview, ...] = ()
    merged = None
    if engineers:
        reviewer = rng.choice(engineers)
        approved = clock.after(opened, rng.lognormal(params.pickup_median_hours * 2, 1.0))
        reviews = (PlannedReview(author_of(reviewer), reviewer.person_id, "APPROVED", approved),)
        merged = approved + timedelta(minutes=rng.integer(1, 30))
    merge = Change(f"{key}-merge", BOT, merged, merged, f"Bump a dependency (#{number})", 1) if merged else None
    return PlannedPullRequest(
        repository,
        number,
        BOT,
        None,
        f"Bump a dependency ({number})",
        opened,
        opened,
        False,
        reviews,
        merged,
        merged,
        BranchWork(key, (commit,), merge, squash=True),
    )


def _change(key: str, author: Author, at: datetime, message: str, params: WorkParams, rng: Rng) -> Change:
    size = max(1, round(rng.lognormal(params.commit_size_median_lines, 1.1)))
    return Change(key, author, at, at, message, size)
