"""The planned issues as Jira Cloud's REST API returns them; and the whole ``api/`` folder.

Jira answers (``docs/sources/jira.md``), for the requests the Jira sync makes on a first run
with ``bug_types`` set (so no ``/issuetype`` request, though it is answered too): the site's
statuses; per project, ``/rest/api/3/search/jql`` pages of 100 issues, oldest update first,
with all fields and the embedded changelog (token paging: ``nextPageToken`` until
``isLast``), a scrum board and its two-week sprints (offset pages of 50). Issues carry the
fields Jira Cloud sends: type, status with its category, priority, labels (the category),
assignee and reporter as user objects with ``displayName`` and ``emailAddress`` (the work
e-mail, so that accounts link to people), created/updated/resolution dates, the sprint
field (``customfield_10020``), story points (``customfield_10016``) and, for a story
under an epic, its ``parent``.

``write_api`` writes the GitHub and Jira answers, ``api/routes.json``, the project file
``api/quarterdeck.yaml`` (base URLs are the replay placeholder), ``truth/issues.csv``, and
the work's investment categories: ``finance/investment-rules.yaml``, ``finance/capitalization-policy.yaml`` and
``truth/allocation.csv`` (``simulation.work_categories``).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

from quarterdeck.simulation.api_github import write_github_api
from quarterdeck.simulation.git_writer import WrittenRepository
from quarterdeck.simulation.issues import DONE, IssueParams, PlannedIssue, issue_truth, plan_issues, project_keys
from quarterdeck.simulation.model import Person, World
from quarterdeck.simulation.org_text import write_all
from quarterdeck.simulation.pull_requests import PlannedPullRequest
from quarterdeck.simulation.replay import PLACEHOLDER, ResponseFile, in_parallel, with_query, write_routes
from quarterdeck.simulation.rng import Rng
from quarterdeck.simulation.work_allocation import allocation_csv
from quarterdeck.simulation.work_categories import capitalization_policy_yaml, link_pull_requests, rules_yaml

PAGE, AGILE_PAGE = 100, 50
SEARCH = "/rest/api/3/search/jql"
SPRINT_DAYS = 14
#: name -> (id, category key, category id, category name)
STATUSES = {
    "To Do": ("10000", "new", 2, "To Do"),
    "In Progress": ("3", "indeterminate", 4, "In Progress"),
    "Blocked": ("10001", "indeterminate", 4, "In Progress"),
    "In Review": ("10002", "indeterminate", 4, "In Progress"),
    "Done": ("10003", "done", 3, "Done"),
}
ISSUE_TYPES = {
    "Epic": ("10000", 10307),
    "Story": ("10001", 10315),
    "Task": ("10002", 10318),
    "Bug": ("10004", 10303),
}
PRIORITIES = {"Highest": "1", "High": "2", "Medium": "3", "Low": "4"}
STORY_POINTS = (1, 2, 3, 5, 8)


@dataclass(frozen=True)
class WrittenApi:
    issues: list[PlannedIssue]
    github_answers: int
    jira_answers: int


def write_api(
    world: World,
    planned: dict[str, list[PlannedPullRequest]],
    written: dict[str, WrittenRepository],
    out: Path,
    seed: int,
    params: IssueParams | None = None,
    workers: int = 2,
) -> WrittenApi:
    """``out/api/`` (GitHub and Jira answers, routes, project file), ``out/truth/issues.csv``,
    ``out/truth/allocation.csv`` and ``out/finance/investment-rules.yaml``;
    the response files are written on ``workers`` processes (the same bytes with any number)."""
    api = out / "api"
    issues = plan_issues(world, params or IssueParams(), Rng(seed).child("issues"))
    linked = link_pull_requests(planned, issues)
    github, github_answers = write_github_api(world, linked, written, api, workers)
    jira, answers = write_jira_api(world, issues, api, workers)
    write_routes(api, github + jira)
    repositories = [f"{world.organization}/{r.name}" for r in world.repositories if r.name in written]
    (api / "quarterdeck.yaml").write_text(project_file(repositories, list(project_keys(world).values())), "utf-8")
    write_all(
        out,
        {
            "truth/issues.csv": issue_truth(issues, world),
            "truth/allocation.csv": allocation_csv(world, linked, issues),
            "finance/investment-rules.yaml": rules_yaml(issues, world),
            "finance/capitalization-policy.yaml": capitalization_policy_yaml(world),
        },
    )
    return WrittenApi(issues, github_answers, answers)


def project_file(repositories: list[str], projects: list[str]) -> str:
    """``quarterdeck.yaml`` naming the simulated GitHub organization and Jira site; the base
    URLs are the replay placeholder (``ApiServer.write_project_file`` fills in the server)."""
    lines = [
        "# The simulated organization's GitHub and Jira, answered by the replay server",
        "# (quarterdeck.simulation.replay); any token works.",
        "sources:",
        "  - type: github",
        f"    base_url: {PLACEHOLDER}",
        "    token_env: SIMULATION_GITHUB_TOKEN",
        "    repositories:",
        *(f"      - {r}" for r in repositories),
        "  - type: jira",
        f"    base_url: {PLACEHOLDER}",
        "    api: cloud",
        "    token_env: SIMULATION_JIRA_TOKEN",
        "    email_env: SIMULATION_JIRA_EMAIL",
        "    bug_types: [Bug]",
        "    story_points_field: customfield_10016",
        "    sprint_field: customfield_10020",
        f"    projects: [{', '.join(projects)}]",
    ]
    return "\n".join(lines) + "\n"


def jira_time(moment: datetime) -> str:
    """``2024-01-05T10:08:05.528+0000``: Jira's form, milliseconds."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")[:23] + "+0000"


def write_jira_api(
    world: World, issues: list[PlannedIssue], api: Path, workers: int = 1
) -> tuple[list[tuple[str, str]], int]:
    """``api/jira/site.responses.gz`` and ``api/jira/<KEY>.responses.gz`` (projects on
    ``workers`` processes); returns the routes and the number of answers."""
    routes, answers = [("/rest/", "jira/site.responses.gz")], 0
    with ResponseFile(api / "jira" / "site.responses.gz") as out:
        out.add("/rest/api/3/status", [_status(name) for name in STATUSES])
        out.add("/rest/api/3/issuetype", [_issue_type(name) for name in ISSUE_TYPES])
        out.add("/rest/api/3/myself", {"accountId": "simulation", "displayName": "Simulation", "timeZone": "UTC"})
        answers += out.answers
    people = {p.person_id: p for p in world.people}
    teams = {t.team_id: t for t in world.teams}
    by_project: dict[str, list[PlannedIssue]] = {}
    for issue in issues:  # in order of project and number: issue ids follow it
        by_project.setdefault(issue.project, []).append(issue)
    tasks, first_id = [], 10_000
    for board, (team_id, key) in enumerate(project_keys(world).items(), start=1):
        mine = by_project.get(key, [])
        sprints = _sprints(teams[team_id].created, world, board, key)
        relative = f"jira/{key}.responses.gz"
        tasks.append(partial(_write_project, api / relative, key, board, mine, first_id, sprints, people))
        first_id += len(mine)
        jql = quote_plus(f'project = "{key}" ')
        routes += [
            (f"{SEARCH}?jql={jql}", relative),
            (f"/rest/agile/1.0/board?projectKeyOrId={key}&", relative),
            (f"/rest/agile/1.0/board/{board}/", relative),
        ]
    return routes, answers + sum(in_parallel(tasks, workers))


def _status(name: str) -> dict[str, Any]:
    number, key, category, category_name = STATUSES[name]
    colours = {"new": "blue-gray", "indeterminate": "yellow", "done": "green"}
    return {
        "self": f"{PLACEHOLDER}/rest/api/3/status/{number}",
        "description": "",
        "iconUrl": f"{PLACEHOLDER}/images/icons/statuses/generic.png",
        "name": name,
        "untranslatedName": name,
        "id": number,
        "statusCategory": {
            "self": f"{PLACEHOLDER}/rest/api/3/statuscategory/{category}",
            "id": category,
            "key": key,
            "colorName": colours[key],
            "name": category_name,
        },
    }


def _issue_type(name: str) -> dict[str, Any]:
    number, avatar = ISSUE_TYPES[name]
    return {
        "self": f"{PLACEHOLDER}/rest/api/3/issuetype/{number}",
        "id": number,
        "description": "",
        "iconUrl": f"{PLACEHOLDER}/rest/api/2/universal_avatar/view/type/issuetype/avatar/{avatar}?size=medium",
        "name": name,
        "untranslatedName": name,
        "subtask": False,
        "avatarId": avatar,
        "hierarchyLevel": 0,
    }


def _user(person: Person) -> dict[str, Any]:
    account = person.jira_account
    return {
        "self": f"{PLACEHOLDER}/rest/api/3/user?accountId={account}",
        "accountId": account,
        "emailAddress": person.email,
        "avatarUrls": {"48x48": f"https://secure.gravatar.com/avatar/{account}?d=identicon"},
        "displayName": person.name,
        "active": True,
        "timeZone": "UTC",
        "accountType": "atlassian",
    }


def _sprints(created: date, world: World, board: int, key: str) -> list[dict[str, Any]]:
    """Two-week sprints from the Monday on or before the team's first day to the end (ids
    ``board * 1000 + n``)."""
    first = max(created, world.start)
    start = datetime.combine(first - timedelta(days=first.weekday()), time(9), UTC)
    end = datetime.combine(world.end, time(0), UTC)
    found = []
    while start < end:
        finish = start + timedelta(days=SPRINT_DAYS)
        number = board * 1000 + len(found) + 1
        sprint = {
            "id": number,
            "self": f"{PLACEHOLDER}/rest/agile/1.0/sprint/{number}",
            "state": "closed" if finish <= end else "active",
            "name": f"{key} Sprint {len(found) + 1}",
            "startDate": jira_time(start),
            "endDate": jira_time(finish),
            "originBoardId": board,
            "goal": "",
        }
        if finish <= end:
            sprint["completeDate"] = jira_time(finish)
        found.append(sprint)
        start = finish
    return found


def _write_project(
    path: Path, key: str, board: int, issues: list[PlannedIssue], first_id: int, sprints: list, people: dict
) -> int:
    with ResponseFile(path) as out:
        _write_issues(out, key, board, issues, first_id, sprints, people)
        return out.answers


def _write_issues(out: ResponseFile, key, board, issues, first_id, sprints, people) -> None:
    """The search pages, the board and its sprints of one project."""
    epics = {issue.key: (first_id + n, issue.summary) for n, issue in enumerate(issues) if issue.issue_type == "Epic"}
    items = [_issue(issue, first_id + n, sprints, people, board, epics) for n, issue in enumerate(issues)]
    items.sort(key=lambda item: (item["fields"]["updated"], int(item["id"])))
    params = {"jql": f'project = "{key}" ORDER BY updated ASC', "fields": "*all", "expand": "changelog"}
    params["maxResults"] = PAGE
    pages = [items[i : i + PAGE] for i in range(0, len(items), PAGE)] or [[]]
    for number, page in enumerate(pages):
        query = params if number == 0 else {**params, "nextPageToken": _token(key, number)}
        body: dict[str, Any] = {"issues": page}
        if number + 1 < len(pages):
            body["nextPageToken"] = _token(key, number + 1)
        body["isLast"] = number + 1 == len(pages)
        out.add(with_query(SEARCH, query), body)
    listing = {"projectKeyOrId": key, "startAt": 0, "maxResults": AGILE_PAGE}
    location = {"projectKey": key, "projectName": key, "projectTypeKey": "software"}
    value = {"id": board, "self": f"{PLACEHOLDER}/rest/agile/1.0/board/{board}", "name": f"{key} board",
             "type": "scrum", "location": location}  # fmt: skip
    out.add(with_query("/rest/agile/1.0/board", listing), _agile_page([value], 0, 1))
    for start in range(0, max(len(sprints), 1), AGILE_PAGE):
        query = {"startAt": start, "maxResults": AGILE_PAGE}
        page = _agile_page(sprints[start : start + AGILE_PAGE], start, len(sprints))
        out.add(with_query(f"/rest/agile/1.0/board/{board}/sprint", query), page)


def _agile_page(values: list[Any], start: int, total: int) -> dict[str, Any]:
    return {"maxResults": AGILE_PAGE, "startAt": start, "total": total, "isLast": start + len(values) >= total,
            "values": values}  # fmt: skip


def _token(key: str, page: int) -> str:
    return base64.urlsafe_b64encode(f"{key}:{page}".encode()).decode("ascii")


def _issue(issue: PlannedIssue, number: int, sprints: list, people: dict, board: int, epics: dict) -> dict[str, Any]:
    person = people[issue.assignee_id]
    user = _user(person)
    status_name = issue.status
    started = next((c.at for c in issue.changes), issue.created_at)
    sprint = next((s for s in sprints if s["startDate"] <= jira_time(started) < s["endDate"]), None)
    sprint = None if issue.issue_type == "Epic" else sprint  # epics span sprints
    fields: dict[str, Any] = {
        "summary": issue.summary,
        "issuetype": _issue_type(issue.issue_type),
        "project": {"id": str(10_000 + board), "key": issue.project, "name": issue.project,
                    "self": f"{PLACEHOLDER}/rest/api/3/project/{10_000 + board}", "projectTypeKey": "software"},
        "status": _status(status_name),
        "priority": {"id": PRIORITIES[issue.priority], "name": issue.priority,
                     "self": f"{PLACEHOLDER}/rest/api/3/priority/{PRIORITIES[issue.priority]}"},
        "labels": [issue.category],
        "environment": issue.found_in,
        "assignee": user,
        "reporter": user,
        "creator": user,
        "created": jira_time(issue.created_at),
        "updated": jira_time(issue.updated_at),
        "statuscategorychangedate": jira_time(issue.updated_at),
        "resolutiondate": jira_time(issue.resolved_at) if issue.resolved_at else None,
        "resolution": {"id": "10000", "name": "Done"} if status_name == DONE else None,
        "description": None,
        "customfield_10016": STORY_POINTS[number % len(STORY_POINTS)] if issue.issue_type == "Story" else None,
        "customfield_10020": [_issue_sprint(sprint, board)] if sprint else None,
    }  # fmt: skip
    if issue.parent is not None:
        epic_id, epic_summary = epics[issue.parent]
        fields["parent"] = {"id": str(epic_id), "key": issue.parent,
                            "self": f"{PLACEHOLDER}/rest/api/3/issue/{epic_id}",
                            "fields": {"summary": epic_summary, "issuetype": _issue_type("Epic")}}  # fmt: skip
    histories = []
    for position, change in enumerate(issue.changes):
        old, new = STATUSES[change.from_status][0], STATUSES[change.to_status][0]
        item = {"field": "status", "fieldtype": "jira", "fieldId": "status", "from": old,
                "fromString": change.from_status, "to": new, "toString": change.to_status}  # fmt: skip
        histories.append(
            {"id": str(number * 10 + position), "author": user, "created": jira_time(change.at), "items": [item]}
        )
    histories.reverse()  # Jira Cloud embeds the newest first
    changelog = {"startAt": 0, "maxResults": len(histories), "total": len(histories), "histories": histories}
    return {
        "expand": "operations,versionedRepresentations,editmeta,changelog,renderedFields",
        "id": str(number),
        "self": f"{PLACEHOLDER}/rest/api/3/issue/{number}",
        "key": issue.key,
        "changelog": changelog,
        "fields": fields,
    }


def _issue_sprint(sprint: dict[str, Any], board: int) -> dict[str, Any]:
    keys = ("id", "name", "state", "startDate", "endDate", "completeDate", "goal")
    return {**{k: sprint[k] for k in keys if k in sprint}, "boardId": board}
