"""Reading Jira projects incrementally: issues with their status changes, the site's
statuses, and the sprints of the projects' boards.

- **Statuses** (with their category) are read first, in full, every run (one request),
  and stored before anything else is read: they are the unit of the scope ``site``. The
  issue types (for the default bug rule) are read next. Either failing fails the whole
  connection, as nothing of its projects could be read right without them.
- **Issues** of a project are searched by JQL, oldest update first, from the project's
  cursor (the latest ``updated`` stored; ``--since`` on a first run) moved back by
  ``SAFETY_MARGIN``: JQL times have minute precision, are read in the time zone of the
  token's account (asked from ``/myself``), and Jira's search index can lag a moment behind
  an update. Issues read again replace the stored ones, never doubled. The issues, their
  status changes and the new cursor are stored in one transaction: a run that stops
  half-way stores no issue of that project and leaves its cursor as it was.
- **Sprints** are small and read in full every run (one request per board of each
  project), each project's a unit of its own.
- **Bad records** (a missing field, an unknown status category) are reported with the
  issue key; the rest is stored, and the cursor stops before the oldest issue not stored.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from quarterdeck.config.sources import SourceConfig
from quarterdeck.core.errors import ConfigError
from quarterdeck.sources.jira.api import JiraApi, changelog_cut_short, issue_jql, jira_client
from quarterdeck.sources.jira.options import JiraOptions, jira_options
from quarterdeck.sources.jira.records import (
    IssueRules,
    account_records,
    bug_rules,
    issue_record,
    sprint_record,
    status_record,
    timestamp,
    transition_records,
)
from quarterdeck.sources.reading import (
    Batch,
    Connection,
    RecordProblem,
    Rows,
    StoredState,
    SyncContext,
    SyncResult,
    Unit,
    convert,
    cursor_before_problems,
)

SOURCE = "jira"  # the source of the rows, and of the accounts they name (jira:<account>), whatever the
# connection's name; the summary, problems and cursors name the connection
SITE = "site"  # the scope of what belongs to the whole Jira site (statuses)
SAFETY_MARGIN = timedelta(minutes=5)


@contextmanager
def read_jira(connection: Connection) -> Iterator[Iterator[Unit]]:
    """Every configured project of one Jira connection, after the site's statuses."""
    config = connection.config
    options = jira_options(config)
    token = config.token()
    email = os.environ.get(options.email_env) or None
    if token and options.cloud and not email:
        raise ConfigError(
            f"{config.where()}: Jira Cloud needs the e-mail of the token's account in {options.email_env} "
            f"(with the API token in {config.token_env})"
        )
    context = connection.context
    with jira_client(config.base_url or "", options.cloud, token, email, on_wait=context.on_wait) as client:
        yield jira_units(JiraApi(client, options.cloud), options, config, context)


def jira_units(api: JiraApi, options: JiraOptions, config: SourceConfig, context: SyncContext) -> Iterator[Unit]:
    """The site's statuses, then each project's issues and sprints. The statuses and issue
    types are read here, between units, so that a failure of either fails the connection."""
    name = config.name
    statuses, categories = read_statuses(name, api, context)
    yield Unit(SITE, ("issue_statuses",), lambda state: statuses)
    rules = _rules(api, options, categories)
    zone = _ZoneLookup(api)
    for project in config.scopes:
        yield Unit(
            project,
            ("issues", "issue_transitions"),
            partial(read_issues, name, api, project, options.jql, rules, zone, context),
        )
        yield Unit(project, ("sprints",), partial(read_sprints, name, api, project, context))


def read_issues(
    name: str,
    api: JiraApi,
    project: str,
    extra_jql: str | None,
    rules: IssueRules,
    zone: _ZoneLookup,
    context: SyncContext,
    state: StoredState,
) -> Batch:
    """One project's issues and their status changes (two result rows)."""
    result = SyncResult(name, project, "issues")
    moves = SyncResult(name, project, "issue_transitions")
    sent = api.client.requests
    before = state.cursor("issues")
    start = datetime.fromisoformat(before) if before else context.since
    jql = issue_jql(project, extra_jql, start - SAFETY_MARGIN if start else None, zone() if start else None)
    items = []
    for item in api.issues(jql):
        items.append(item)
        context.progress(f"Jira {project} issues", len(items))
    for item in items:
        if changelog_cut_short(item):
            item["changelog"]["histories"] = api.full_changelog(item)
    converted = convert(
        items, lambda item: _issue_and_moves(item, project, rules), _problem(name, project), result.problems
    )
    issues = [issue for issue, _ in converted]
    accounts = [a for item in items if isinstance(item, dict) for a in account_records(item)]
    transitions = [move for _, found in converted for move in found]
    result.read, moves.read = len(items), len(transitions)
    newest = cursor_before_problems(max((i["updated_at"] for i in issues), default=None), result.problems)
    moved = newest is not None and (start is None or newest >= start)
    result.cursor = newest.isoformat() if moved and newest is not None else before
    result.requests = api.client.requests - sent
    constants = {"source": SOURCE, "loaded_at": context.loaded_at}
    return Batch(
        [result, moves],
        rows=[
            Rows("issues", issues, constants, counts=result),
            Rows("issue_transitions", transitions, constants, counts=moves),
            Rows("source_accounts", accounts, {"source": SOURCE, "seen_at": context.loaded_at}),
        ],
        problems={"issues": result.problems},
        cursors={"issues": result.cursor if moved else None},
    )


def read_statuses(name: str, api: JiraApi, context: SyncContext) -> tuple[Batch, dict[str, Any]]:
    """The site's statuses with their category, and the category of each status id (for
    issues whose status carries none: old servers). Statuses of "No Category" are read but
    not stored: they have no category to store."""
    result = SyncResult(name, SITE, "issue_statuses")
    sent = api.client.requests
    items = api.statuses()
    records = convert(items, status_record, partial(_status_problem, name), result.problems)
    categorised = [r for r in records if r["status_category"] is not None]
    result.read = len(items)
    result.requests = api.client.requests - sent
    constants = {"source": SOURCE, "loaded_at": context.loaded_at}
    batch = Batch(
        [result],
        rows=[Rows("issue_statuses", categorised, constants, counts=result)],
        problems={"issue_statuses": result.problems},
    )
    return batch, {r["status_id"]: r["status_category"] for r in records}


def read_sprints(name: str, api: JiraApi, project: str, context: SyncContext, state: StoredState) -> Batch:
    """The sprints of the project's boards (kanban boards have none and are skipped)."""
    result = SyncResult(name, project, "sprints")
    sent = api.client.requests
    sprints: list[dict[str, Any]] = []
    for board in api.boards(project):
        if not isinstance(board, dict) or board.get("id") is None or board.get("type") == "kanban":
            continue
        items = list(api.sprints(board["id"]))
        result.read += len(items)
        sprints += convert(
            items, lambda s, b=board["id"]: sprint_record(s, b), _sprint_problem(name, project), result.problems
        )
    result.requests = api.client.requests - sent
    constants = {"source": SOURCE, "loaded_at": context.loaded_at}
    return Batch(
        [result],
        rows=[Rows("sprints", sprints, constants, counts=result)],
        problems={"sprints": result.problems},
    )


class _ZoneLookup:
    """The account's time zone, asked once per run and only when a search needs it."""

    def __init__(self, api: JiraApi):
        self.api = api
        self.asked = False
        self.zone: str | None = None

    def __call__(self) -> str | None:
        if not self.asked:
            self.zone, self.asked = self.api.time_zone(), True
        return self.zone


def _rules(api: JiraApi, options: JiraOptions, categories: dict[str, Any]) -> IssueRules:
    types = api.issue_types() if options.bug_types is None else None
    ids, names = bug_rules(options.bug_types, types)
    return IssueRules(ids, names, options.story_points_field, options.sprint_field, options.found_in_field, categories)


def _issue_and_moves(item: dict[str, Any], project: str, rules: IssueRules) -> tuple[dict, list[dict]]:
    issue = issue_record(item, project, rules)
    histories = (item.get("changelog") or {}).get("histories") or []
    return issue, transition_records(issue["issue_id"], histories)


def _problem(name: str, project: str):
    def problem(item: Any, why: str) -> RecordProblem:
        item = item if isinstance(item, dict) else {}
        fields = item.get("fields") if isinstance(item.get("fields"), dict) else {}
        try:
            at = timestamp(fields.get("updated"))
        except (TypeError, ValueError):
            at = None
        return RecordProblem(name, project, "issues", str(item.get("key") or item.get("id") or ""), why, at)

    return problem


def _status_problem(name: str, item: Any, why: str) -> RecordProblem:
    record_id = str(item.get("id") or "") if isinstance(item, dict) else ""
    return RecordProblem(name, SITE, "issue_statuses", record_id, why)


def _sprint_problem(name: str, project: str):
    def problem(item: Any, why: str) -> RecordProblem:
        record_id = str(item.get("id") or "") if isinstance(item, dict) else ""
        return RecordProblem(name, project, "sprints", record_id, why)

    return problem
