"""Bitbucket Cloud's REST API 2.0: the requests, and how its answers become records.

- **Listings** come in Bitbucket's page envelope ``{"values": [...], "next": URL}``; the
  ``next`` link carries every query parameter and is followed as it is, until a page has
  none (``size`` and ``page`` are optional and not relied on).
- **Pull requests** (``/repositories/{workspace}/{slug}/pullrequests``) are asked for in
  every state, most recently updated first, with a ``q=updated_on>...`` filter from the
  cursor. Bitbucket's states: OPEN is open; MERGED, DECLINED and SUPERSEDED are closed. The
  listing gives no time of merge or close: the last update stands for both.
- **Comments** and **commits** of a pull request come from its ``/comments`` and
  ``/commits``; deleted comments are left out.
- **Pipelines** (``/pipelines/``, newest first) are CI runs; their **steps** are CI jobs.
  A pipeline has no start time: its first step's start is used. Results: COMPLETED with
  SUCCESSFUL success; FAILED or ERROR failure; STOPPED or EXPIRED cancelled; a step
  NOT_RUN skipped. PENDING, IN_PROGRESS (running, paused or halted) and READY have no result
  yet.
- **Deployments** (``/deployments/``, newest start first): a COMPLETED deployment's result
  is its ``state.status`` when Bitbucket sends it, else the result of the step that ran it.
  UNDEPLOYED ones never ran.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.http.paging import Token

PERMISSION = (
    "BITBUCKET_TOKEN must hold a repository, project or workspace access token with the scopes "
    "'repository', 'pullrequest' and 'pipeline' (read), or, with BITBUCKET_USER set, an app password "
    "(or API token) of that user with Repositories, Pull requests and Pipelines: read"
)
NEXT = Token(key="next", param="next", as_url=True)
PULL_STATES = ["OPEN", "MERGED", "DECLINED", "SUPERSEDED"]
OPEN = "OPEN"
RESULTS = {
    "SUCCESSFUL": "success",
    "FAILED": "failure",
    "ERROR": "failure",
    "STOPPED": "cancelled",
    "EXPIRED": "cancelled",
}
STEP_RESULTS = {**RESULTS, "NOT_RUN": "skipped"}
UNFINISHED = {"PENDING", "IN_PROGRESS", "READY", "PARSING", "RUNNING", "PAUSED", "HALTED"}
DEPLOY_UNFINISHED = {"IN_PROGRESS", "PENDING", "QUEUED"}
UNDEPLOYED = "UNDEPLOYED"
_NAME_AND_EMAIL = re.compile(r"^\s*(.*?)\s*<([^>]*)>\s*$")


def bitbucket_client(base_url: str, token: str | None, user: str | None = None, **options: Any) -> HttpClient:
    """A client sending the token as a Bearer access token, or with ``user`` as HTTP basic
    authentication (an app password or API token of that user)."""
    headers = {}
    if token and user:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{token}".encode()).decode("ascii")
    elif token:
        headers["Authorization"] = f"Bearer {token}"
    return HttpClient("Bitbucket", base_url, headers=headers, permission_hint=PERMISSION, **options)


def repository_path(repository: str) -> str:
    workspace, slug = repository.split("/", 1)
    return f"repositories/{quote(workspace, safe='')}/{quote(slug, safe='')}"


def listing(client: HttpClient, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every item of a listing, page after page by its ``next`` link."""
    for page in client.pages(path, params, NEXT):
        yield from client.items(page, "values", objects=True)


def pull_request_items(
    client: HttpClient, repository: str, after: datetime | None, page_size: int
) -> Iterator[dict[str, Any]]:
    """Pull requests in every state updated after ``after`` (all without it), newest update first."""
    params: dict[str, Any] = {"state": PULL_STATES, "sort": "-updated_on", "pagelen": page_size}
    if after is not None:
        params["q"] = f"updated_on>{bitbucket_time(after)}"
    yield from listing(client, f"{repository_path(repository)}/pullrequests", params)


def comment_items(client: HttpClient, repository: str, number: int, page_size: int) -> list[dict[str, Any]]:
    path = f"{repository_path(repository)}/pullrequests/{number}/comments"
    return list(listing(client, path, {"pagelen": page_size}))


def commit_items(client: HttpClient, repository: str, number: int, page_size: int) -> list[dict[str, Any]]:
    path = f"{repository_path(repository)}/pullrequests/{number}/commits"
    return list(listing(client, path, {"pagelen": page_size}))


def pipeline_items(client: HttpClient, repository: str, page_size: int) -> Iterator[dict[str, Any]]:
    """Pipelines, newest first (the reader stops at its cursor)."""
    yield from listing(
        client, f"{repository_path(repository)}/pipelines/", {"sort": "-created_on", "pagelen": page_size}
    )


def step_items(client: HttpClient, repository: str, pipeline: str, page_size: int) -> list[dict[str, Any]]:
    path = f"{repository_path(repository)}/pipelines/{quote(pipeline, safe='')}/steps/"
    return list(listing(client, path, {"pagelen": page_size}))


def step_item(client: HttpClient, repository: str, pipeline: str, step: str) -> dict[str, Any]:
    path = f"{repository_path(repository)}/pipelines/{quote(pipeline, safe='')}/steps/{quote(step, safe='')}"
    return client.body(client.get(path), dict)


def deployment_items(client: HttpClient, repository: str, page_size: int) -> Iterator[dict[str, Any]]:
    """Deployments, latest start first (the reader stops at its cursor)."""
    params = {"sort": "-state.started_on", "pagelen": page_size}
    yield from listing(client, f"{repository_path(repository)}/deployments/", params)


def pull_request_record(item: dict[str, Any]) -> dict[str, Any]:
    """The pull_requests row of a listed pull request (its repository, source and time of
    loading are added by the reader)."""
    state = str(item["state"])
    if state not in PULL_STATES:
        raise ValueError(f"unknown state {state!r}")
    updated = required_time(item, "updated_on")
    source, destination = item.get("source") or {}, item.get("destination") or {}
    return {
        "number": int(item["id"]),
        "pr_id": str(item["id"]),
        "title": item.get("title"),
        "author_login": (item.get("author") or {}).get("account_id"),
        "state": "open" if state == OPEN else "closed",
        "is_draft": item.get("draft"),
        "created_at": required_time(item, "created_on"),
        "updated_at": updated,
        "closed_at": None if state == OPEN else updated,
        "merged_at": updated if state == "MERGED" else None,
        "merge_commit_sha": (item.get("merge_commit") or {}).get("hash"),
        "head_sha": (source.get("commit") or {}).get("hash"),
        "head_ref": (source.get("branch") or {}).get("name"),
        "base_ref": (destination.get("branch") or {}).get("name"),
    }


def comment_record(number: int, item: dict[str, Any]) -> dict[str, Any] | None:
    """The pr_comments row of a comment (None when it was deleted)."""
    if item.get("deleted"):
        return None
    return {
        "number": number,
        "comment_id": str(item["id"]),
        "author_login": (item.get("user") or {}).get("account_id"),
        "review_id": None,
        "created_at": required_time(item, "created_on"),
    }


def commit_record(number: int, item: dict[str, Any]) -> dict[str, Any]:
    """The pr_commits row of a commit: its author's e-mail from ``author.raw`` ("Name <e-mail>")."""
    author = item.get("author") or {}
    found = _NAME_AND_EMAIL.match(str(author.get("raw") or ""))
    sha = str(item["hash"]).lower()
    if not re.fullmatch(r"[0-9a-f]{40}", sha):
        raise ValueError(f"commit hash {item['hash']!r} is not 40 hexadecimal digits")
    return {
        "number": number,
        "sha": sha,
        "author_login": (author.get("user") or {}).get("account_id"),
        "author_email": found.group(2).strip().lower() or None if found else None,
        "authored_at": timestamp(item.get("date")),
        "committed_at": None,
    }


def account_records(users: list[Any]) -> list[dict[str, Any]]:
    """The accounts named (pull requests' authors, comments' authors) with their display
    names, for ``source_accounts``: Bitbucket does not give e-mail addresses."""
    found = {}
    for user in users:
        if isinstance(user, dict) and isinstance(user.get("account_id"), str) and user["account_id"]:
            name = user.get("display_name") or user.get("nickname")
            found[user["account_id"]] = {"account": user["account_id"], "display_name": name, "email": None}
    return list(found.values())


def run_id(repository: str, pipeline: str) -> str:
    return f"bitbucket:{repository}:pipeline:{pipeline}"


def step_result(item: dict[str, Any]) -> str | None:
    """The CI result of a pipeline or step, None while it has none (an unknown state or
    result raises ValueError)."""
    state = item["state"]
    name = str(state["name"])
    if name in UNFINISHED:
        return None
    if name != "COMPLETED":
        raise ValueError(f"unknown state {name!r}")
    result = str((state.get("result") or {}).get("name"))
    if result not in STEP_RESULTS:
        raise ValueError(f"unknown result {result!r}")
    return STEP_RESULTS[result]


def run_record(repository: str, name: str, pipeline: dict[str, Any], steps: list[dict[str, Any]]) -> dict[str, Any]:
    """The ci_runs record of a finished pipeline: queued when created, started when its first
    step started, finished when completed. A pipeline Bitbucket says completed (or started)
    before it was created is taken as queued then: its clocks disagree, the run did happen."""
    result = step_result(pipeline)
    if result is None or result == "skipped":
        raise ValueError(f"result {pipeline['state'].get('result')!r} is no result of a pipeline")
    created, finished = required_time(pipeline, "created_on"), required_time(pipeline, "completed_on")
    starts = [t for t in (timestamp(s.get("started_on")) for s in steps) if t is not None]
    started = min(starts) if starts else None
    queued = min(t for t in (created, started, finished) if t is not None)
    target = pipeline.get("target") or {}
    return {
        "id": run_id(repository, str(pipeline["uuid"])),
        "repository": name,
        "workflow": target.get("ref_name") or "(no branch)",
        "commit_sha": (target.get("commit") or {}).get("hash"),
        "queued_at": queued.isoformat(),
        "started_at": started.isoformat() if started else None,
        "finished_at": finished.isoformat(),
        "result": result,
    }


def job_record(repository: str, name: str, pipeline: str, step: dict[str, Any]) -> dict[str, Any] | None:
    """The ci_jobs row of a finished step (None while it runs)."""
    result = step_result(step)
    if result is None:
        return None
    return {
        "job_id": f"bitbucket:{repository}:step:{step['uuid']}",
        "run_id": run_id(repository, pipeline),
        "repository": name,
        "name": str(step["name"]),
        "queued_at": None,
        "started_at": timestamp(step.get("started_on")),
        "finished_at": timestamp(step.get("completed_on")),
        "result": result,
        "runner": None,
    }


def deployment_status(item: dict[str, Any]) -> str | None:
    """The result a deployment's own state gives: None when it says none (an older answer,
    or one whose fields left it out); raises ValueError on a status it does not know."""
    status = (item.get("state") or {}).get("status")
    if not isinstance(status, dict) or status.get("name") is None:
        return None
    name = str(status["name"])
    if name not in RESULTS:
        raise ValueError(f"unknown deployment status {name!r}")
    return RESULTS[name]


def deployment_record(repository: str, name: str, service: str, item: dict[str, Any], result: str) -> dict[str, Any]:
    """The deployments record of a completed deployment."""
    state = item["state"]
    return {
        "id": f"bitbucket:{repository}:{item['uuid']}",
        "repository": name,
        "service": service,
        "environment": str(item["environment"]["name"]).lower(),
        "commit_sha": item["release"]["commit"]["hash"],
        "started_at": state.get("started_on"),
        "finished_at": state["completed_on"],
        "result": result,
    }


def timestamp(value: Any) -> datetime | None:
    """Bitbucket's ISO 8601 times (``2023-02-20T08:58:19.14397Z``, ``...+00:00``)."""
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None


def required_time(item: dict[str, Any], key: str) -> datetime:
    value = timestamp(item[key])
    if value is None:
        raise ValueError(f"field {key!r} is empty")
    return value


def bitbucket_time(value: datetime) -> str:
    """A time as Bitbucket's query language takes it: ``2022-08-12T15:10:43.930663+00:00``."""
    return value.astimezone(UTC).isoformat()
