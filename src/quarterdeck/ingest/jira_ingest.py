"""Ingesting Jira projects incrementally: issues with their status changes, the site's
statuses, and the sprints of the projects' boards.

- **Issues** of a project are searched by JQL, oldest update first, from the project's
  cursor (the latest ``updated`` stored; ``--since`` on a first run) moved back by
  ``SAFETY_MARGIN``: JQL times have minute precision, are read in the time zone of the
  token's account (asked from ``/myself``), and Jira's search index can lag a moment behind
  an update. Issues read again are upserted, not duplicated. The issues, their status
  changes and the new cursor are written in one transaction: a run that stops half-way
  stores no issue of that project and leaves its cursor as it was.
- **Statuses** (with their category) and **sprints** are small and read in full every run
  (one request for the statuses, one per board of each project), then upserted.
- **Bad records** (a missing field, an unknown status category) are reported with the
  issue key; the rest is stored, and the cursor stops before the oldest issue not stored.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from quarterdeck.config import Settings
from quarterdeck.config.sources import SourceConfig
from quarterdeck.connectors.jira.api import JiraApi, changelog_cut_short, issue_jql, jira_client
from quarterdeck.connectors.jira.options import JiraOptions, jira_options
from quarterdeck.connectors.jira.records import (
    IssueRules,
    account_records,
    bug_rules,
    issue_record,
    sprint_record,
    status_record,
    timestamp,
    transition_records,
)
from quarterdeck.core.errors import ConfigError
from quarterdeck.ingest.source_sync import (
    RecordProblem,
    SyncContext,
    SyncResult,
    convert,
    cursor_before_problems,
    resource_sync,
    store_problems,
    stored_cursor,
    upsert,
    write_cursor,
)
from quarterdeck.store import Warehouse

SOURCE = "jira"
SITE = "site"  # the scope of what belongs to the whole Jira site (statuses)
SAFETY_MARGIN = timedelta(minutes=5)


def sync_jira(warehouse: Warehouse, settings: Settings, source: SourceConfig, context: SyncContext) -> list[SyncResult]:
    """Every configured project of one Jira connection."""
    options = jira_options(source)
    token = source.token()
    email = os.environ.get(options.email_env) or None
    if token and options.cloud and not email:
        raise ConfigError(
            f"{source.where()}: Jira Cloud needs the e-mail of the token's account in {options.email_env} "
            f"(with the API token in {source.token_env})"
        )
    results: list[SyncResult] = []
    with jira_client(source.base_url or "", options.cloud, token, email, on_wait=context.on_wait) as client:
        api = JiraApi(client, options.cloud)
        statuses, categories = sync_statuses(warehouse, api, context)
        results.append(statuses)
        rules = _rules(api, options, categories)
        zone = _ZoneLookup(api)
        for project in source.scopes:
            issues = partial(sync_issues, warehouse, api, project, options.jql, rules, zone, context)
            results += resource_sync(warehouse, SOURCE, project, ("issues", "issue_transitions"), issues)
            sprints = partial(sync_sprints, warehouse, api, project, context)
            results += resource_sync(warehouse, SOURCE, project, ("sprints",), sprints)
    return results


def sync_issues(
    warehouse: Warehouse,
    api: JiraApi,
    project: str,
    extra_jql: str | None,
    rules: IssueRules,
    zone: _ZoneLookup,
    context: SyncContext,
) -> list[SyncResult]:
    """Sync one project's issues and their status changes (two result rows)."""
    result = SyncResult(SOURCE, project, "issues")
    moves = SyncResult(SOURCE, project, "issue_transitions")
    sent = api.client.requests
    before = stored_cursor(warehouse, SOURCE, project, "issues")
    start = datetime.fromisoformat(before) if before else context.since
    jql = issue_jql(project, extra_jql, start - SAFETY_MARGIN if start else None, zone() if start else None)
    items = []
    for item in api.issues(jql):
        items.append(item)
        context.progress(f"Jira {project} issues", len(items))
    for item in items:
        if changelog_cut_short(item):
            item["changelog"]["histories"] = api.full_changelog(item)
    converted = convert(items, lambda item: _issue_and_moves(item, project, rules), _problem(project), result.problems)
    issues = [issue for issue, _ in converted]
    accounts = [a for item in items if isinstance(item, dict) for a in account_records(item)]
    transitions = [move for _, found in converted for move in found]
    result.read, moves.read = len(items), len(transitions)
    newest = cursor_before_problems(max((i["updated_at"] for i in issues), default=None), result.problems)
    constants = {"source": SOURCE, "loaded_at": context.loaded_at}
    with warehouse.transaction():
        result.stored = upsert(warehouse, "issues", issues, ("issue_id",), constants)
        moves.stored = upsert(warehouse, "issue_transitions", transitions, ("issue_id", "transition_id"), constants)
        upsert(warehouse, "source_accounts", accounts, ("account",), {"source": SOURCE, "seen_at": context.loaded_at})
        store_problems(warehouse, SOURCE, project, "issues", result.problems, context.loaded_at)
        if newest is not None and (start is None or newest >= start):
            result.cursor = newest.isoformat()
            write_cursor(warehouse, SOURCE, project, "issues", result.cursor, context.loaded_at)
    result.cursor = result.cursor or before
    result.requests = api.client.requests - sent
    return [result, moves]


def sync_statuses(warehouse: Warehouse, api: JiraApi, context: SyncContext) -> tuple[SyncResult, dict[str, Any]]:
    """Store the site's statuses with their category; returns the category of each status id
    too, for issues whose status carries none (old servers). Statuses of "No Category" are
    read but not stored: they have no category to store."""
    result = SyncResult(SOURCE, SITE, "issue_statuses")
    sent = api.client.requests
    items = api.statuses()
    records = convert(items, status_record, _status_problem, result.problems)
    categorised = [r for r in records if r["status_category"] is not None]
    result.read = len(items)
    with warehouse.transaction():
        result.stored = upsert(
            warehouse, "issue_statuses", categorised, ("status_id",), {"source": SOURCE, "loaded_at": context.loaded_at}
        )
        store_problems(warehouse, SOURCE, SITE, "issue_statuses", result.problems, context.loaded_at)
    result.requests = api.client.requests - sent
    return result, {r["status_id"]: r["status_category"] for r in records}


def sync_sprints(warehouse: Warehouse, api: JiraApi, project: str, context: SyncContext) -> SyncResult:
    """Store the sprints of the project's boards (kanban boards have none and are skipped)."""
    result = SyncResult(SOURCE, project, "sprints")
    sent = api.client.requests
    sprints: list[dict[str, Any]] = []
    for board in api.boards(project):
        if not isinstance(board, dict) or board.get("id") is None or board.get("type") == "kanban":
            continue
        items = list(api.sprints(board["id"]))
        result.read += len(items)
        sprints += convert(
            items, lambda s, b=board["id"]: sprint_record(s, b), _sprint_problem(project), result.problems
        )
    with warehouse.transaction():
        result.stored = upsert(
            warehouse, "sprints", sprints, ("sprint_id",), {"source": SOURCE, "loaded_at": context.loaded_at}
        )
        store_problems(warehouse, SOURCE, project, "sprints", result.problems, context.loaded_at)
    result.requests = api.client.requests - sent
    return result


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


def _problem(project: str):
    def problem(item: Any, why: str) -> RecordProblem:
        item = item if isinstance(item, dict) else {}
        fields = item.get("fields") if isinstance(item.get("fields"), dict) else {}
        try:
            at = timestamp(fields.get("updated"))
        except (TypeError, ValueError):
            at = None
        return RecordProblem(SOURCE, project, "issues", str(item.get("key") or item.get("id") or ""), why, at)

    return problem


def _status_problem(item: Any, why: str) -> RecordProblem:
    record_id = str(item.get("id") or "") if isinstance(item, dict) else ""
    return RecordProblem(SOURCE, SITE, "issue_statuses", record_id, why)


def _sprint_problem(project: str):
    def problem(item: Any, why: str) -> RecordProblem:
        record_id = str(item.get("id") or "") if isinstance(item, dict) else ""
        return RecordProblem(SOURCE, project, "sprints", record_id, why)

    return problem
