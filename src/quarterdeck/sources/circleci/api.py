"""CircleCI pipelines, workflows and jobs, read from CircleCI's API v2.

- **Projects** are named by their slug: ``gh/<org>/<repo>`` (or ``github/...``), ``bb/...``
  (``bitbucket/...``), or ``circleci/<org id>/<project id>`` for GitLab and GitHub App
  projects. Records are named with the short form (``gh``, ``bb``), as CircleCI's answers
  write it; requests use the long one, which CircleCI accepts as well.
- **Pipelines** of a project come from ``/project/<slug>/pipeline``, newest first; each
  **workflow** of a pipeline from ``/pipeline/<id>/workflow``; each **job** of a workflow
  from ``/workflow/<id>/job``. Every listing is paged with ``next_page_token``, asked for
  with ``page-token``. Authentication: the ``Circle-Token`` header.
- **A workflow as a CI run**: queued when the workflow was created, started when its first
  job started (a workflow has no start time of its own), finished at its ``stopped_at``;
  the commit is the pipeline's ``vcs.revision``, the repository its
  ``vcs.target_repository_url``. Statuses: success success; failed, error and
  unauthorized failure; canceled cancelled; not_run skipped; running, failing and on_hold
  have no result yet.
- **A job as a CI job**: started and finished at its ``started_at`` and ``stopped_at``;
  CircleCI's job listing gives no queue time nor executor.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from quarterdeck.core.secrets import remember
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.http.paging import Token

PERMISSION = (
    "CIRCLECI_TOKEN must hold a CircleCI personal API token (User Settings > Personal API Tokens) "
    "of a user who can see the project"
)
PAGES = Token(key="next_page_token", param="page-token")
SHORT = {"gh": "gh", "github": "gh", "bb": "bb", "bitbucket": "bb", "circleci": "circleci"}
LONG = {"gh": "github", "bb": "bitbucket", "circleci": "circleci"}
WORKFLOW_RESULTS = {
    "success": "success",
    "failed": "failure",
    "error": "failure",
    "unauthorized": "failure",
    "canceled": "cancelled",
    "not_run": "skipped",
}
WORKFLOW_UNFINISHED = {"running", "failing", "on_hold"}
JOB_RESULTS = {
    "success": "success",
    "failed": "failure",
    "infrastructure_fail": "failure",
    "timedout": "failure",
    "terminated-unknown": "failure",
    "unauthorized": "failure",
    "canceled": "cancelled",
    "not_run": "skipped",
}
JOB_UNFINISHED = {"running", "queued", "not_running", "on_hold", "blocked", "retried"}
PIPELINE_PENDING = {"setup-pending", "setup", "pending"}


class NoResultYet(Exception):
    """A workflow or job still running (or waiting): it is read again by a later sync."""


def short_slug(slug: str) -> str:
    """The slug as CircleCI's answers write it: ``github/a/b`` -> ``gh/a/b``."""
    vcs, rest = slug.split("/", 1)
    return f"{SHORT[vcs]}/{rest}"


def circleci_client(base_url: str, token: str | None, **options: Any) -> HttpClient:
    """A client sending the token in the ``Circle-Token`` header when one is given."""
    remember(token)  # masked in every message from now on
    headers = {"Circle-Token": token} if token else {}
    return HttpClient("CircleCI", base_url, headers=headers, permission_hint=PERMISSION, **options)


def listing(client: HttpClient, path: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """The items of a paged listing, first page to last (a page is asked for only when the
    items before it were taken)."""
    for page in client.pages(path, params, PAGES):
        yield from client.items(page, "items", objects=True)


def pipelines(client: HttpClient, slug: str) -> Iterator[dict[str, Any]]:
    """A project's pipelines, newest first."""
    vcs, rest = slug.split("/", 1)
    path = "project/" + "/".join(quote(part, safe="") for part in [LONG[vcs], *rest.split("/")]) + "/pipeline"
    return listing(client, path)


def workflows(client: HttpClient, pipeline_id: str) -> list[dict[str, Any]]:
    return list(listing(client, f"pipeline/{quote(pipeline_id, safe='')}/workflow"))


def jobs(client: HttpClient, workflow_id: str) -> list[dict[str, Any]]:
    return list(listing(client, f"workflow/{quote(workflow_id, safe='')}/job"))


def run_id(slug: str, workflow: dict[str, Any]) -> str:
    return f"circleci:{slug}:workflow:{workflow.get('id', '')}"


def job_id(slug: str, job: dict[str, Any]) -> str:
    return f"circleci:{slug}:job:{job.get('id', '')}"


def workflow_result(workflow: dict[str, Any]) -> str:
    """The result of a workflow (NoResultYet while it runs; ValueError on a status it does not know)."""
    status = workflow["status"]
    if status in WORKFLOW_UNFINISHED:
        raise NoResultYet(status)
    if status not in WORKFLOW_RESULTS:
        raise ValueError(f"unknown workflow status {status!r}")
    return WORKFLOW_RESULTS[status]


def run_record(slug: str, repository: str, pipeline: dict[str, Any], workflow: dict[str, Any]) -> dict[str, Any]:
    """The CI-run record of a finished workflow, but for its start: its first job's
    (NoResultYet while it runs; ValueError on a status it does not know)."""
    result = workflow_result(workflow)
    vcs = pipeline.get("vcs") or {}
    return {
        "id": run_id(slug, workflow),
        "repository": repository,
        "workflow": _text(workflow["name"]),
        "commit_sha": vcs.get("revision") or None,
        "queued_at": moment(workflow["created_at"]).isoformat(),
        "started_at": None,
        "finished_at": moment(workflow["stopped_at"]).isoformat() if workflow.get("stopped_at") else None,
        "result": result,
    }


def job_record(slug: str, repository: str, run: str, job: dict[str, Any]) -> dict[str, Any]:
    """The CI-job record of a finished job (NoResultYet for one with no result; ValueError on
    a status it does not know)."""
    status = job["status"]
    if status in JOB_UNFINISHED:
        raise NoResultYet(status)
    if status not in JOB_RESULTS:
        raise ValueError(f"unknown job status {status!r}")
    return {
        "job_id": job_id(slug, job),
        "run_id": run,
        "repository": repository,
        "name": _text(job["name"]),
        "queued_at": None,
        "started_at": moment(job["started_at"]) if job.get("started_at") else None,
        "finished_at": moment(job["stopped_at"]) if job.get("stopped_at") else None,
        "result": JOB_RESULTS[status],
        "runner": None,
    }


def repository_of(slug: str, pipeline: dict[str, Any]) -> str:
    """The repository a pipeline built: the path of its ``vcs.target_repository_url``
    (``our-org/api``), else the project slug without its first part."""
    url = (pipeline.get("vcs") or {}).get("target_repository_url")
    if isinstance(url, str) and urlsplit(url).path.strip("/"):
        return urlsplit(url).path.strip("/").removesuffix(".git")
    return slug.split("/", 1)[1]


def moment(value: Any) -> datetime:
    """A CircleCI time (``2023-03-25T18:13:21Z``, or with milliseconds) as a datetime."""
    if not isinstance(value, str):
        raise TypeError(f"expected a time, not {value!r}")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"time without a zone: {value!r}")
    return parsed


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"expected a name, not {value!r}")
    return value
