"""Jira: issues with their status changes, the site's statuses, and sprints, from Jira's REST
API: Jira Cloud (``*.atlassian.net``, API v3) and Jira Data Center / Server (API v2), with
the Agile API (boards and sprints) both share (docs/sources/jira.md). The API calls are in
``api``, the record mappings in ``records``, the options as a reader uses them in
``options``, the incremental reading in ``reader``."""

import re
from typing import Any

from quarterdeck.sources.frame import Flag, IdentityHint, Option, Resource, Scope, Source, env_name

APIS = ("cloud", "datacenter")
PROJECT_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_FIELD = re.compile(r"^[A-Za-z0-9_.-]+$")


def _project_key(entry: Any) -> bool:
    return isinstance(entry, str) and PROJECT_KEY.match(entry) is not None


def _api(value: Any) -> bool:
    return not value or value in APIS  # none given: by the address (cloud for *.atlassian.net)


def _bug_types(value: Any) -> bool:
    return value is None or (
        isinstance(value, list) and all(isinstance(v, str | int) and str(v).strip() for v in value)
    )


def _jql(value: Any) -> bool:
    return value is None or (isinstance(value, str) and bool(value.strip()))


def _field(value: Any) -> bool:
    return value is None or (isinstance(value, str) and _FIELD.match(value) is not None)


FIELD = "a field id, such as customfield_10016"

SOURCE = Source(
    name="jira",
    kind="api",
    summary="Ingest projects' issues, their status changes, the site's statuses, and sprints from Jira.",
    reader="quarterdeck.sources.jira.reader:read_jira",
    scope=Scope("projects", "a project", "a Jira project key, such as ENG", _project_key),
    token_env="JIRA_TOKEN",
    options=(
        Option(
            "api",
            None,
            "cloud or datacenter",
            _api,
            "which Jira answers (default: cloud for *.atlassian.net, datacenter for any other host)",
        ),
        Option(
            "email_env",
            "JIRA_EMAIL",
            "the name of an environment variable, such as JIRA_EMAIL",
            env_name,
            "the environment variable holding the e-mail of the API token's account (Jira Cloud)",
        ),
        Option(
            "bug_types",
            None,
            "a list of issue type ids or names, such as [Bug, 10004]",
            _bug_types,
            "the issue types that are bugs (default: those named Bug)",
        ),
        Option("jql", None, "a JQL clause, such as: labels != noise", _jql, "a JQL clause ANDed to every search"),
        Option("story_points_field", None, FIELD, _field, "the field holding story points"),
        Option("sprint_field", None, FIELD, _field, "the sprint field (default: found by its values' shape)"),
        Option("found_in_field", "environment", FIELD, _field, "the field saying where a bug was found"),
    ),
    resources=(
        Resource("issue_statuses", "issue_statuses", "none: read in full every run (scope: site)"),
        Resource("issues", "issues", "the latest update stored, no later than that of the oldest issue not stored"),
        Resource("issue_transitions", "issue_transitions", "read with their issue"),
        Resource("sprints", "sprints", "none: read in full every run, from the project's boards"),
    ),
    identities=IdentityHint(),
    flags=(
        Flag(
            "--base-url",
            "The Jira site: https://our-org.atlassian.net (Cloud), or your server's address with its context "
            "path, such as https://jira.example.com/jira (Data Center).",
            "base_url",
            metavar="URL",
            required=True,
        ),
        Flag(
            "--project",
            "A project key to read, such as ENG (repeatable).",
            "scope",
            metavar="KEY",
            multiple=True,
            required=True,
        ),
        Flag(
            "--api",
            "Which Jira answers (default: cloud for *.atlassian.net, datacenter for any other host).",
            "option:api",
            metavar="[cloud|datacenter]",
            choices=APIS,
        ),
    ),
    description="""Each issue keeps its type (and whether it is a bug), status and status category (to do,
in progress, done: by Jira's category, never by the localised name), assignee, reporter,
parent, latest sprint and dates; each status change becomes an issue transition. Sprints
come from the projects' boards.

The token comes from the environment, never from a file, and is never stored: on Jira
Cloud an API token in JIRA_TOKEN with the account's e-mail in JIRA_EMAIL; on Data Center
or Server a personal access token in JIRA_TOKEN. It needs 'Browse projects' on each
project. Runs are incremental: each reads the issues updated since the last one (a few
minutes of overlap, stored once), and an interrupted run is read again by the next.
For bug types, story points and an extra JQL filter, configure the source in
quarterdeck.yaml (docs/sources/jira.md) and run `quarterdeck ingest all`.""",
    examples=(
        "JIRA_EMAIL=me@our-org.com JIRA_TOKEN=... quarterdeck ingest jira \\\n"
        "    --base-url https://our-org.atlassian.net --project ENG --project OPS",
        "JIRA_TOKEN=... quarterdeck ingest jira --base-url https://jira.example.com --project ENG --since 2026-01-01",
    ),
    docs="docs/sources/jira.md",
)
