"""How the simulated organization sorts its work into investment categories, and the truth.

- ``finance/investment-rules.yaml``: the rules file ``quarterdeck ingest investment-rules``
  reads (docs/sources/investment-rules.md): incidents and support by label, bugs by issue
  type, tech debt by label, new capability by epic (every epic the teams opened; their
  stories follow them), keep the lights on by label; feature stories under no epic are
  left uncategorized. Each epic serves one of two objectives (alternately).
- ``link_pull_requests``: a pull request's title names, first, the issue its author was
  working on when opening it (as teams do, ``ACME-42 Add the export``), so that the work
  on it (commits, reviews) goes to the issue's category.
- ``truth/allocation.csv``: each person-month's mix of work: see ``work_allocation``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from datetime import datetime, timedelta

from quarterdeck.simulation.issues import DONE, PlannedIssue
from quarterdeck.simulation.model import World
from quarterdeck.simulation.pull_requests import PlannedPullRequest

CATEGORIES = (
    ("new_capability", "New capability"),
    ("keep_the_lights_on", "Keep the lights on"),
    ("tech_debt", "Tech debt"),
    ("bugs", "Bugs"),
    ("incidents_and_support", "Incidents and support"),
)
OBJECTIVES = (("grow-revenue", "Grow revenue"), ("keep-customers", "Keep customers"))
LOOK_BACK = 10  # the author's issues looked at, latest started first
FOLLOW_UP = timedelta(days=14)  # a pull request soon after the last issue started follows it up


def rules_yaml(issues: list[PlannedIssue], world: World) -> str:
    epics = [issue.key for issue in issues if issue.issue_type == "Epic"]
    lines = [
        f"# How {world.organization} sorts engineering work into investment categories",
        f"# (quarterdeck ingest investment-rules). Written by quarterdeck simulate (seed {world.seed}).",
        "categories:",
        *(f"  {key}: {name}" for key, name in CATEGORIES),
        "rules:",
        "  - category: incidents_and_support",
        "    labels: [incident, support]",
        "  - category: bugs",
        "    issue_type: Bug",
        "  - category: tech_debt",
        "    labels: tech-debt",
        *(["  - category: new_capability", "    epic:", *_listed(epics, "      ")] if epics else []),
        "  - category: keep_the_lights_on",
        "    labels: keep-the-lights-on",
        "objectives:",
    ]
    for position, (key, name) in enumerate(OBJECTIVES):
        served = [e for e in epics if int(e.rsplit("-", 1)[1]) % len(OBJECTIVES) == position]
        if served:
            lines += [f"  {key}:", f"    name: {name}", "    epics:", *_listed(served, "      ")]
    if lines[-1] == "objectives:":
        lines.pop()
    return "\n".join(lines) + "\n"


def capitalization_policy_yaml(world: World) -> str:
    """``finance/capitalization-policy.yaml``: new capabilities are capitalized while in
    development (every phase rule's default), reported by epic."""
    return "\n".join((
        f"# {world.organization}'s R&D capitalization policy (quarterdeck ingest capitalization-policy).",
        f"# Written by quarterdeck simulate (seed {world.seed}).",
        "capitalizable:",
        "  categories: [new_capability]",
        "  phases: [development]",
        "default_phase: development",
        "project: epic",
    )) + "\n"  # fmt: skip


def _listed(keys: list[str], indent: str) -> list[str]:
    return [f"{indent}- {key}" for key in keys]


def link_pull_requests(
    planned: dict[str, list[PlannedPullRequest]], issues: list[PlannedIssue]
) -> dict[str, list[PlannedPullRequest]]:
    """The pull requests, each human one titled with the key of the issue its author was
    working on when opening it: of the author's issues (not epics) started (first change) on
    or before the opening and not Done before it, the one started last (among the last ten
    started); else the last one started, when that was at most 14 days before (a
    follow-up); a pull request with neither keeps its title."""
    started: dict[str, list[tuple[datetime, datetime | None, str]]] = {}
    for issue in issues:
        if issue.issue_type != "Epic" and issue.changes:
            done = issue.changes[-1].at if issue.status == DONE else None
            started.setdefault(issue.assignee_id, []).append((issue.changes[0].at, done, issue.key))
    starts = {}
    for person_id, spans in started.items():
        spans.sort()
        starts[person_id] = [start for start, _, _ in spans]
    linked = {}
    for repository, pulls in planned.items():
        linked[repository] = [_titled(pull, starts, started) for pull in pulls]
    return linked


def _titled(pull: PlannedPullRequest, starts: dict, started: dict) -> PlannedPullRequest:
    if pull.author_id is None or pull.author_id not in started:
        return pull
    spans = started[pull.author_id]
    position = bisect_right(starts[pull.author_id], pull.created_at)
    recent = spans[max(0, position - LOOK_BACK) : position]
    for _, done, key in reversed(recent):
        if done is None or done >= pull.created_at:
            return replace(pull, title=f"{key} {pull.title}")
    if recent and pull.created_at - recent[-1][0] <= FOLLOW_UP:  # a follow-up of the last one
        return replace(pull, title=f"{recent[-1][2]} {pull.title}")
    return pull
