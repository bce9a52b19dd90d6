"""The issues each team tracks in Jira, with their status histories: the plan, and its truth.

Every team with engineers has a Jira project (its key made from the team's name). Each week,
its engineers (that week) open a Poisson number of issues, assigned to one of them: stories
(mostly features), tasks (keep-the-lights-on work and tech debt) and bugs (with a severity
as their priority). An issue waits in To Do, is worked In Progress, sometimes waits Blocked
(on another team, a decision, a vendor), goes In Review and is Done; each wait is log-normal
(most short, a long tail). At the start of each quarter (or of its first week with
engineers) a team opens two epics, assigned to its manager, In Progress until the quarter's
last day; four feature stories in five belong to one of the quarter's epics (``parent``),
the fifth to none. The history is what happened up to the end of the simulated
span: issues still open then stay in their status. Times are whole milliseconds, as Jira
gives them.

``issue_truth`` writes ``truth/issues.csv``: each issue with its blocked stretch and hours as
``issue_blocked_time`` counts them (from the change into Blocked to the next change; a
stretch still going at the end counts up to the end), its epic and the investment category
the example rules file gives it (``investment_category``).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from quarterdeck.simulation.model import Person, World
from quarterdeck.simulation.rng import Rng

TO_DO, IN_PROGRESS, BLOCKED, IN_REVIEW, DONE = "To Do", "In Progress", "Blocked", "In Review", "Done"
SEVERITIES = (("Highest", 0.05), ("High", 0.2), ("Medium", 0.5), ("Low", 0.25))  # bugs' priority
#: (issue type, share, categories with their shares)
KINDS = (
    ("Story", 0.5, (("feature", 0.85), ("tech-debt", 0.15))),
    ("Task", 0.3, (("keep-the-lights-on", 0.45), ("tech-debt", 0.3), ("support", 0.15), ("incident", 0.1))),
    ("Bug", 0.2, (("bug", 1.0),)),
)
EPICS_PER_QUARTER = 2
EPIC_THEMES = ("Growth", "Reliability", "Onboarding", "Self-serve", "Enterprise", "Performance", "Insights")


@dataclass(frozen=True)
class IssueParams:
    """How teams track work (documented in docs/simulation.md; assumptions)."""

    issues_per_engineer_week: float = 1.2
    to_do_median_hours: float = 30.0  # created -> In Progress
    in_progress_median_hours: float = 40.0
    blocked_share: float = 0.15  # issues that wait Blocked once while in progress
    blocked_median_hours: float = 36.0
    in_review_median_hours: float = 10.0


@dataclass(frozen=True)
class StatusChange:
    at: datetime
    from_status: str
    to_status: str


@dataclass(frozen=True)
class PlannedIssue:
    number: int  # within the project: KEY-number
    project: str  # Jira project key
    team_id: str
    assignee_id: str  # person id
    issue_type: str  # Epic, Story, Task, Bug
    category: str  # feature, keep-the-lights-on, tech-debt, support, incident, bug (a label)
    priority: str
    summary: str
    created_at: datetime
    changes: tuple[StatusChange, ...]  # in order, up to the end of the simulation
    parent: str | None = None  # the epic's key, for a story under one

    @property
    def key(self) -> str:
        return f"{self.project}-{self.number}"

    @property
    def status(self) -> str:
        return self.changes[-1].to_status if self.changes else TO_DO

    @property
    def found_in(self) -> str | None:
        """A bug's Environment: Production for one bug in three (by its number, not a draw,
        so every other issue stays as it was), else Staging; None for other issues."""
        if self.issue_type != "Bug":
            return None
        return "Production" if self.number % 3 == 0 else "Staging"

    @property
    def resolved_at(self) -> datetime | None:
        return self.changes[-1].at if self.status == DONE else None

    @property
    def updated_at(self) -> datetime:
        return self.changes[-1].at if self.changes else self.created_at

    def blocked(self, end: datetime) -> tuple[datetime, datetime] | None:
        """The blocked stretch (to the next change, or to ``end`` while still blocked)."""
        for position, change in enumerate(self.changes):
            if change.to_status == BLOCKED:
                following = self.changes[position + 1 :]
                return change.at, following[0].at if following else end
        return None


def project_keys(world: World) -> dict[str, str]:
    """team id -> project key (initials of its name, made unique), for teams that have engineers."""
    keys: dict[str, str] = {}
    for team in world.teams:
        if team.type in ("organization", "division"):
            continue
        words = [w for w in re.split(r"[^A-Za-z0-9]+", team.name) if w]
        stem = "".join(w[0] for w in words).upper() if len(words) > 1 else team.name[:3].upper()
        stem = stem if stem[:1].isalpha() else f"T{stem}"
        key, n = stem, 1
        while key in keys.values():
            n += 1
            key = f"{stem}{n}"
        keys[team.team_id] = key
    return keys


def plan_issues(world: World, params: IssueParams, rng: Rng) -> list[PlannedIssue]:
    """Every team's issues, by project and number."""
    keys, numbers = project_keys(world), {}
    end = datetime.combine(world.end, time(0), UTC)
    found: list[PlannedIssue] = []
    epics: dict[str, tuple[tuple[int, int], list[str]]] = {}  # team -> (year, quarter), its epics' keys
    for week in world.weeks():
        engineers = world.engineers_by_team(week)
        for team_id, key in keys.items():
            weekly = rng.child("issues", team_id, week.isoformat())
            people = engineers.get(team_id, [])
            quarter = (week.year, (week.month - 1) // 3 + 1)
            if people and epics.get(team_id, ((0, 0), []))[0] != quarter:
                opened = _epics(world, key, numbers, team_id, people, week, end)
                found += opened
                epics[team_id] = (quarter, [epic.key for epic in opened])
            rate = params.issues_per_engineer_week * sum(p.productivity_on(week) for p in people)
            for _ in range(weekly.poisson(rate)):
                numbers[key] = numbers.get(key, 0) + 1
                issue = _issue(key, numbers[key], team_id, weekly.choice(people), week, params, weekly, end)
                if issue.created_at < end:
                    found.append(_under_epic(issue, epics.get(team_id, ((0, 0), []))[1]))
    return sorted(found, key=lambda i: (i.project, i.number))


def _under_epic(issue: PlannedIssue, epics: list[str]) -> PlannedIssue:
    """Four feature stories in five go under one of the quarter's epics (by number, not a
    draw, so the other issues stay as they were)."""
    if issue.category != "feature" or not epics or issue.number % 5 == 0:
        return issue
    return replace(issue, parent=epics[issue.number % len(epics)])


def _epics(
    world: World, key: str, numbers: dict[str, int], team_id: str, people: list[Person], week: date, end: datetime
) -> list[PlannedIssue]:
    """The quarter's epics of a team: opened on ``week``'s first day, assigned to the team's
    manager (its first engineer while it has none), In Progress the next hour, Done at 17:00
    on the quarter's last day."""
    manager = world.team(team_id).manager_on(week)
    owner = manager if manager and world.person(manager).employed_on(week) else people[0].person_id
    created = datetime.combine(week, time(9), UTC)
    month = 3 * ((week.month - 1) // 3) + 4
    last_day = (date(week.year + (month > 12), (month - 1) % 12 + 1, 1)) - timedelta(days=1)
    steps = [(created + timedelta(hours=1), TO_DO, IN_PROGRESS),
             (datetime.combine(last_day, time(17), UTC), IN_PROGRESS, DONE)]  # fmt: skip
    found = []
    for _ in range(EPICS_PER_QUARTER):
        numbers[key] = numbers.get(key, 0) + 1
        number = numbers[key]
        theme = EPIC_THEMES[(number + len(key)) % len(EPIC_THEMES)]
        summary = f"{theme} {week.year} Q{(week.month - 1) // 3 + 1}"
        changes = tuple(StatusChange(at, a, b) for at, a, b in steps if at < end)
        found.append(PlannedIssue(number, key, team_id, owner, "Epic", "feature", "Medium", summary, created, changes))
    return found


def _issue(
    key: str, number: int, team_id: str, person: Person, week: date, params: IssueParams, rng: Rng, end: datetime
) -> PlannedIssue:
    kinds = [k for k, _, _ in KINDS]
    issue_type = rng.weighted(kinds, [share for _, share, _ in KINDS])
    categories = dict((k, c) for k, _, c in KINDS)[issue_type]
    category = rng.weighted([c for c, _ in categories], [s for _, s in categories])
    priority = rng.weighted([p for p, _ in SEVERITIES], [s for _, s in SEVERITIES]) if issue_type == "Bug" else "Medium"
    created = _millis(datetime.combine(week, time(9), UTC) + timedelta(hours=rng.uniform(0, 5 * 24)))
    steps = [(TO_DO, IN_PROGRESS, rng.lognormal(params.to_do_median_hours, 1.0))]
    working = rng.lognormal(params.in_progress_median_hours, 0.9)
    if rng.chance(params.blocked_share):
        before = working * rng.uniform(0.2, 0.8)
        steps += [
            (IN_PROGRESS, BLOCKED, before),
            (BLOCKED, IN_PROGRESS, rng.lognormal(params.blocked_median_hours, 1.0)),
        ]
        working -= before
    steps += [(IN_PROGRESS, IN_REVIEW, working), (IN_REVIEW, DONE, rng.lognormal(params.in_review_median_hours, 1.0))]
    changes, moment = [], created
    for from_status, to_status, hours in steps:
        moment = _millis(moment + timedelta(hours=hours))
        if moment >= end:
            break
        changes.append(StatusChange(moment, from_status, to_status))
    summary = f"{category.replace('-', ' ').capitalize()} work item {number}"
    return PlannedIssue(number, key, team_id, person.person_id, issue_type, category, priority, summary, created,
                        tuple(changes))  # fmt: skip


def investment_category(issue: PlannedIssue) -> str:
    """The category the example rules file (``work_categories.rules_yaml``) gives the issue:
    its rules in their order, the first that matches wins."""
    if issue.category in ("incident", "support"):
        return "incidents_and_support"
    if issue.issue_type == "Bug":
        return "bugs"
    if issue.category == "tech-debt":
        return "tech_debt"
    if issue.issue_type == "Epic" or issue.parent is not None:
        return "new_capability"
    if issue.category == "keep-the-lights-on":
        return "keep_the_lights_on"
    return "uncategorized"  # feature stories under no epic


def _millis(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def issue_truth(issues: list[PlannedIssue], world: World) -> str:
    """``truth/issues.csv``: each issue, its assignee and team, and its blocked stretch."""
    end = datetime.combine(world.end, time(0), UTC)
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(["issue", "team", "assignee", "type", "category", "priority", "created", "resolved",
                  "blocked_from", "blocked_until", "blocked_hours", "epic", "investment_category"])  # fmt: skip
    for issue in issues:
        stretch = issue.blocked(end)
        resolved = issue.resolved_at
        out.writerow(
            [issue.key, issue.team_id, issue.assignee_id, issue.issue_type, issue.category, issue.priority,
             issue.created_at.isoformat(), resolved.isoformat() if resolved else "",
             stretch[0].isoformat() if stretch else "", stretch[1].isoformat() if stretch else "",
             f"{(stretch[1] - stretch[0]).total_seconds() / 3600:.6f}" if stretch else "0.000000",
             issue.parent or "", investment_category(issue)]
        )  # fmt: skip
    return buffer.getvalue()
