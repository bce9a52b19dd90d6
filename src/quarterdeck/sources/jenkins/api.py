"""Jenkins builds and pipeline stages, read from Jenkins' JSON API.

- **Builds** of a job come from ``/job/<a>/job/<b>/api/json?tree=allBuilds[...]{0,100}``,
  newest first, 100 at a time with Jenkins' range syntax (``{100,200}`` next). The same
  request says what the job is: a multibranch pipeline (or any folder) answers with its
  ``jobs`` instead of builds, and a branch job of a multibranch pipeline carries a
  ``BranchJobProperty``.
- **A build as a CI run**: it starts at ``timestamp`` and lasts ``duration`` milliseconds.
  Its queue time comes from the Metrics plugin's ``TimeInQueueAction`` when that plugin is
  installed (``queuingDurationMillis``, or waiting + blocked + buildable on older
  versions); without it the queue time is unknown. The commit is ``lastBuiltRevision.SHA1``
  of the git plugin's ``BuildData``. Results: SUCCESS success; FAILURE and UNSTABLE
  (tests failed) failure; ABORTED cancelled; NOT_BUILT skipped. A build still running has
  no result yet.
- **Stages** of a pipeline build come from ``/job/.../<number>/wfapi/describe`` (the
  Pipeline Stage View plugin).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.http.paging import NextPage
from quarterdeck.sources.http.transport import HttpResponse

PERMISSION = (
    "JENKINS_USER must name a Jenkins user and JENKINS_TOKEN hold an API token of that user (user menu > "
    "Security > API Token) with Overall/Read and Job/Read on the jobs"
)
BUILD_FIELDS = (
    "number,id,timestamp,duration,result,building,queueId,url,actions[_class,lastBuiltRevision[SHA1],"
    "queuingDurationMillis,waitingDurationMillis,blockedDurationMillis,buildableDurationMillis]"
)
TREE = f"_class,property[_class],jobs[_class,name,fullName,url],allBuilds[{BUILD_FIELDS}]"
RESULTS = {
    "SUCCESS": "success",
    "FAILURE": "failure",
    "UNSTABLE": "failure",
    "ABORTED": "cancelled",
    "NOT_BUILT": "skipped",
}
STAGE_RESULTS = {
    "SUCCESS": "success",
    "FAILED": "failure",
    "UNSTABLE": "failure",
    "ABORTED": "cancelled",
    "NOT_EXECUTED": "skipped",
}
QUEUE_ACTION = "jenkins.metrics.impl.TimeInQueueAction"
GIT_ACTION = "hudson.plugins.git.util.BuildData"
BRANCH_PROPERTY = "org.jenkinsci.plugins.workflow.multibranch.BranchJobProperty"
PIPELINE_RUN = "org.jenkinsci.plugins.workflow.job.WorkflowRun"
_RANGE = re.compile(r"\{(\d+),(\d+)\}$")


def jenkins_client(base_url: str, user: str | None, token: str | None, **options: Any) -> HttpClient:
    """A client sending HTTP basic authentication (user and API token) when a token is given."""
    headers = {}
    if token:
        pair = f"{user or ''}:{token}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    return HttpClient("Jenkins", base_url, headers=headers, permission_hint=PERMISSION, **options)


def job_path(full_name: str) -> str:
    """``folder/job`` as Jenkins addresses it: ``job/folder/job/job/`` (each name escaped)."""
    return "".join(f"job/{quote(part, safe='')}/" for part in full_name.split("/"))


def tree_range(start: int, size: int) -> str:
    return f"{TREE}{{{start},{start + size}}}"


class BuildRange:
    """Jenkins' range paging: the next ``size`` builds, until a page comes back short."""

    def __init__(self, size: int):
        self.size = size

    def __call__(self, response: HttpResponse, params: dict[str, Any]) -> NextPage | None:
        builds = response.json().get("allBuilds")
        if not isinstance(builds, list) or len(builds) < self.size:
            return None
        found = _RANGE.search(str(params.get("tree", "")))
        start = int(found.group(1)) if found else 0
        return NextPage(params={"tree": tree_range(start + self.size, self.size)})


def job_pages(client: HttpClient, full_name: str, size: int) -> Iterator[dict[str, Any]]:
    """The job's answers page by page, newest builds first; a folder answers once, with its jobs."""
    params = {"tree": tree_range(0, size)}
    for page in client.pages(f"{job_path(full_name)}api/json", params, BuildRange(size)):
        yield client.body(page, dict)


def is_folder(job: dict[str, Any]) -> bool:
    """A multibranch pipeline or folder: it holds jobs rather than builds."""
    return "allBuilds" not in job and isinstance(job.get("jobs"), list)


def is_multibranch(job: dict[str, Any]) -> bool:
    return "MultiBranch" in str(job.get("_class", ""))


def is_branch_job(job: dict[str, Any]) -> bool:
    """A job a multibranch pipeline made for one branch or pull request."""
    return any(isinstance(p, dict) and p.get("_class") == BRANCH_PROPERTY for p in job.get("property") or [])


def is_pipeline(build: dict[str, Any]) -> bool:
    return build.get("_class") == PIPELINE_RUN


def is_finished(build: dict[str, Any]) -> bool:
    """A build has finished when it is no longer building and has a result."""
    return not build.get("building") and build.get("result") is not None


def build_record(job: str, repository: str, build: dict[str, Any]) -> dict[str, Any]:
    """The CI-run record of a finished build (raises ValueError on a result it does not know)."""
    result = RESULTS.get(str(build["result"]))
    if result is None:
        raise ValueError(f"unknown result {build['result']!r}")
    started, duration = int(build["timestamp"]), int(build["duration"])
    queued = queue_millis(build)
    return {
        "id": f"jenkins:{job}:{int(build['number'])}",
        "repository": repository,
        "workflow": job,
        "commit_sha": commit_sha(build),
        "queued_at": moment(started - queued) if queued is not None else None,
        "started_at": moment(started),
        "finished_at": moment(started + duration),
        "result": result,
    }


def queue_millis(build: dict[str, Any]) -> int | None:
    """Milliseconds the build waited in the queue (Metrics plugin), or None when not told."""
    for action in _actions(build, QUEUE_ACTION):
        if isinstance(action.get("queuingDurationMillis"), int | float):
            return int(action["queuingDurationMillis"])
        parts = [action.get(k) for k in ("waitingDurationMillis", "blockedDurationMillis", "buildableDurationMillis")]
        if all(isinstance(p, int | float) for p in parts):
            return int(sum(parts))
    return None


def commit_sha(build: dict[str, Any]) -> str | None:
    """The commit the git plugin built (the first checkout's, when a build checks out several)."""
    for action in _actions(build, GIT_ACTION):
        sha = (action.get("lastBuiltRevision") or {}).get("SHA1")
        if sha:
            return str(sha)
    return None


def stage_items(client: HttpClient, job: str, number: int) -> list[dict[str, Any]]:
    """The stages of a pipeline build, as the Pipeline Stage View plugin describes them."""
    body = client.body(client.get(f"{job_path(job)}{number}/wfapi/describe"), dict)
    return [s for s in body.get("stages") or [] if isinstance(s, dict)]


def stage_record(job: str, repository: str, number: int, stage: dict[str, Any]) -> dict[str, Any]:
    """The CI-job record of one stage (raises ValueError on a status it does not know)."""
    result = STAGE_RESULTS.get(str(stage.get("status")))
    if result is None:
        raise ValueError(f"unknown stage status {stage.get('status')!r}")
    started = int(stage["startTimeMillis"])
    return {
        "job_id": f"jenkins:{job}:{number}:{stage['id']}",
        "run_id": f"jenkins:{job}:{number}",
        "repository": repository,
        "name": str(stage["name"]),
        "queued_at": None,
        "started_at": datetime.fromtimestamp(started / 1000, UTC),
        "finished_at": datetime.fromtimestamp((started + int(stage["durationMillis"])) / 1000, UTC),
        "result": result,
        "runner": stage.get("execNode") or None,
    }


def moment(millis: int) -> str:
    """Epoch milliseconds as an ISO 8601 time in UTC."""
    return datetime.fromtimestamp(millis / 1000, UTC).isoformat()


def _actions(build: dict[str, Any], kind: str) -> Iterator[dict[str, Any]]:
    for action in build.get("actions") or []:
        if isinstance(action, dict) and action.get("_class") == kind:
            yield action
