"""The truth of investment allocation: ``truth/allocation.csv``, each person-month's mix of
work, as decision 0050 spreads it (docs/simulation.md, "Investment categories").

A person's work is counted in units, one per day, kind and work item, weighted: code 2
(they opened the pull request that day, or authored one of its commits: its branch's
commits, or the squash commit of a squashed one, whose branch commits are kept only under
``refs/pull/<n>/head``, which ``ingest git`` does not read; merge commits do not count),
review 1 (they approved, asked for changes or commented on a pull request that is not
theirs), issue 1 (they changed the issue's status; the assignee makes the changes). A pull
request's work item is the first issue key of its title and branch name that is an issue,
else the pull request itself. Bots' work is nobody's. Days are in the organization's time
zone, within the simulation.

Each row: ``month, person_id, category`` (the category the rules file gives the item:
``issues.investment_category``; a pull request naming no issue is uncategorized),
``items``, ``units``, ``person_units`` (all the person's units that month), ``share`` =
units / person_units, and that share of the person-month's ``fte`` (days employed / days in
the month) and ``cost`` (each stint's yearly cost / 12 x its share of the month). A month
of someone employed with no recorded work is one row ``no_recorded_work`` with share 1;
months nobody was employed have no row.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from quarterdeck.simulation.issues import PlannedIssue, investment_category
from quarterdeck.simulation.model import Person, World
from quarterdeck.simulation.org_state import next_month
from quarterdeck.simulation.org_text import to_csv
from quarterdeck.simulation.pull_requests import PlannedPullRequest

WEIGHTS = {"code": 2, "review": 1, "issue": 1}
REVIEWED = ("APPROVED", "CHANGES_REQUESTED", "COMMENTED")
KEY = re.compile(r"[A-Z][A-Z0-9_]+-[0-9]+")
COLUMNS = ("month", "person_id", "category", "items", "units", "person_units", "share", "fte", "cost")

Unit = tuple[str, date, str, str]  # person, day, kind, work item


def allocation_csv(world: World, pulls: dict[str, list[PlannedPullRequest]], issues: list[PlannedIssue]) -> str:
    categories = {f"issue:{issue.key}": investment_category(issue) for issue in issues}
    mixes: dict[tuple[str, str], dict[str, list[str]]] = {}  # (month, person) -> category -> items (one per unit)
    for person_id, day, kind, item in activity_units(world, pulls, issues):
        mix = mixes.setdefault((f"{day.year:04d}-{day.month:02d}", person_id), {})
        mix.setdefault(categories.get(item, "uncategorized"), []).extend([item] * WEIGHTS[kind])
    rows: list[list[object]] = []
    month = date(world.start.year, world.start.month, 1)
    while month < world.end:
        label = f"{month.year:04d}-{month.month:02d}"
        for person in world.people:
            fte, cost = person_month(person, month, world)
            if fte > 0:
                rows += _rows(label, person.person_id, mixes.get((label, person.person_id), {}), fte, cost)
        month = next_month(month)
    rows.sort(key=lambda row: (row[0], row[1], row[2]))
    return to_csv(COLUMNS, rows)


def _rows(month: str, person_id: str, mix: dict[str, list[str]], fte: float, cost: float) -> list[list[object]]:
    if not mix:
        return [[month, person_id, "no_recorded_work", 0, 0, 0, "1.000000", f"{fte:.6f}", f"{cost:.2f}"]]
    total = sum(len(units) for units in mix.values())
    rows: list[list[object]] = []
    for category, units in sorted(mix.items()):
        share = len(units) / total
        rows.append([month, person_id, category, len(set(units)), len(units), total, f"{share:.6f}",
                     f"{share * fte:.6f}", f"{share * cost:.2f}"])  # fmt: skip
    return rows


def activity_units(world: World, pulls: dict[str, list[PlannedPullRequest]], issues: list[PlannedIssue]) -> set[Unit]:
    zone, keys = ZoneInfo(world.timezone), {issue.key for issue in issues}
    by_email = {person.email.lower(): person.person_id for person in world.people}
    found: set[Unit] = set()

    def add(person_id: str | None, moment: datetime, kind: str, item: str) -> None:
        day = moment.astimezone(zone).date()
        if person_id is not None and world.start <= day < world.end:
            found.add((person_id, day, kind, item))

    for repository, planned in pulls.items():
        for pull in planned:
            item = pull_item(repository, pull, keys)
            add(pull.author_id, pull.created_at, "code", item)
            merge = pull.work.merge
            squashed = pull.work.squash and merge is not None
            for change in (merge,) if squashed and merge is not None else pull.work.commits:
                add(by_email.get(change.author.email.lower()), change.authored_at, "code", item)
            for review in pull.reviews:
                if review.reviewer_id not in (None, pull.author_id) and review.state in REVIEWED:
                    add(review.reviewer_id, review.submitted_at, "review", item)
    for issue in issues:
        for change in issue.changes:
            add(issue.assignee_id, change.at, "issue", f"issue:{issue.key}")
    return found


def pull_item(repository: str, pull: PlannedPullRequest, keys: set[str]) -> str:
    """The first issue key of the title, then of the branch name, that is an issue; else
    the pull request itself."""
    named = KEY.findall(pull.title.upper()) + KEY.findall(pull.work.key.upper())
    return next((f"issue:{key}" for key in named if key in keys), f"pull_request:{repository}#{pull.number}")


def person_month(person: Person, month: date, world: World) -> tuple[float, float]:
    """(days employed / days in the month, each stint's yearly cost / 12 x its share of the
    month), within the simulation."""
    following = next_month(month)
    days_in_month = (following - month).days
    days, cost = 0, 0.0
    for stint in person.stints:
        start, end = max(stint.start, month, world.start), min(stint.end or world.end, following, world.end)
        if end > start:
            days += (end - start).days
            cost += stint.annual_cost / 12 * (end - start).days / days_in_month
    return days / days_in_month, cost
