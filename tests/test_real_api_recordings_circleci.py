"""The CircleCI recordings (tests/fixtures/real-api/circleci/, Apache DevLake's raw tables of
the project gh/coldgust/coldgust.github.io) served by the replay server on 127.0.0.1: every
recorded request answers with its recorded items, a pipeline list split over two pages is read
back through ``page-token``, and the golden rows of circleci/MAPPING.md hold for what the
server answers.

DevLake kept one item per CSV row and the request in the ``url`` column; CircleCI's envelope
(``items``, ``next_page_token``) is put back here. Every recorded list fit one page, so the
two-page listing (and its token) is made up by this test. Expected values are read from the
CSV with Python's csv and json, or written out by hand from MAPPING.md."""

from __future__ import annotations

import csv
import json
import sys
import urllib.request
from collections import Counter
from datetime import datetime

from tests.replay import FIXTURES, Exchange, Replay, serve

DEVLAKE = FIXTURES / "circleci" / "apache__incubator-devlake"
HOST = "https://circleci.com"
PIPELINES = "/api/v2/project/github/coldgust/coldgust.github.io/pipeline"
LISTS = ("_raw_circleci_api_pipelines.csv", "_raw_circleci_api_workflows.csv", "_raw_circleci_api_jobs.csv")
TOKEN = "made-up-token-page-2"


def recorded(name: str) -> dict[str, list[dict]]:
    """Each recorded request (the url column) with its items, in file order."""
    csv.field_size_limit(sys.maxsize)
    pages: dict[str, list[dict]] = {}
    with (DEVLAKE / name).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            pages.setdefault(row["url"], []).append(json.loads(row["data"]))
    return pages


def path(url: str) -> str:
    assert url.startswith(HOST + "/"), url
    return url[len(HOST) :]


def answer(request_path: str, body: object) -> Exchange:
    return Exchange("GET", request_path, 200, {"Content-Type": "application/json"}, json.dumps(body).encode())


def circleci_replay() -> Replay:
    """Every recorded request, each list in one page; the project with its one object."""
    replay = Replay(recorded_host=HOST)
    for name in LISTS:
        for url, items in recorded(name).items():
            replay.add(answer(path(url), {"items": items, "next_page_token": None}))
    [(url, [project])] = recorded("_raw_circleci_api_projects.csv").items()
    replay.add(answer(path(url), project))
    return replay


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        return json.loads(response.read())


def served(replay: Replay, name: str) -> list[tuple[str, dict]]:
    """All items of a file as the server answers them, with the request each came from."""
    return [(url, item) for url in recorded(name) for item in get(replay.base_url + path(url))["items"]]


def moment(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_every_recorded_request_answers_with_its_recorded_items():
    with serve(circleci_replay()) as replay:
        for name in LISTS:
            for url, items in recorded(name).items():
                assert get(replay.base_url + path(url)) == {"items": items, "next_page_token": None}, url
        project = get(replay.base_url + "/api/v2/project/github/coldgust/coldgust.github.io")
    assert project["vcs_info"]["default_branch"] == "master"
    assert len(replay.received) == 1 + 9 + 9 + 1  # pipelines, workflows, jobs, the project


def test_a_pipeline_list_split_in_two_pages_is_read_back_through_page_token():
    [items] = recorded("_raw_circleci_api_pipelines.csv").values()
    replay = Replay(recorded_host=HOST)
    replay.add(answer(PIPELINES, {"items": items[:6], "next_page_token": TOKEN}))
    replay.add(answer(f"{PIPELINES}?page-token={TOKEN}", {"items": items[6:], "next_page_token": None}))
    numbers, url = [], f"{PIPELINES}"
    with serve(replay):
        while url:
            page = get(replay.base_url + url)
            numbers += [item["number"] for item in page["items"]]
            url = f"{PIPELINES}?page-token={page['next_page_token']}" if page["next_page_token"] else ""
    assert numbers == list(range(10, 0, -1))  # newest first, as recorded


def test_the_mapping_golden_rows_hold_for_what_the_server_answers():
    with serve(circleci_replay()) as replay:
        pipelines = {p["id"]: p for _, p in served(replay, "_raw_circleci_api_pipelines.csv")}
        workflows = {w["id"]: w for _, w in served(replay, "_raw_circleci_api_workflows.csv")}
        jobs = {url.split("/")[-2]: job for url, job in served(replay, "_raw_circleci_api_jobs.csv")}
    assert (len(pipelines), len(workflows), len(jobs)) == (10, 9, 9)
    runs = {}
    for workflow_id, workflow in workflows.items():
        pipeline, job = pipelines[workflow["pipeline_id"]], jobs[workflow_id]
        runs[pipeline["number"]] = (
            workflow["name"],
            pipeline["vcs"]["revision"],
            (moment(job["started_at"]) - moment(workflow["created_at"])).total_seconds(),
            (moment(workflow["stopped_at"]) - moment(job["started_at"])).total_seconds(),
            workflow["status"],
        )
    assert runs[9] == ("workflow", "49874a6ac988e2b3434501d4a4554c54583e6820", 4.0, 13.0, "success")
    assert runs[7] == ("workflow", "ad3aab6479048a72b6aade91b36fdeb7125a16a6", 3.0, 16.0, "failed")
    assert runs[1] == ("say-hello-workflow", "9fcceda0e9749bc63e6397b23531fb6bf83634df", 2.0, 2.0, "success")
    assert workflows["fc76deef-bcdd-4856-8e96-a8e2d1c5a85f"]["stopped_at"] == "2023-03-25T18:06:28Z"
    assert sum(queue for _, _, queue, _, _ in runs.values()) == 24.0
    assert Counter(status for *_, status in runs.values()) == {"success": 4, "failed": 5}
    assert Counter(job["status"] for job in jobs.values()) == {"success": 4, "failed": 5}
    assert all("created_at" not in job for job in jobs.values())  # the jobs endpoint gives no queued time
    [errored] = [p for p in pipelines.values() if p["state"] == "errored"]
    assert (errored["number"], "vcs" in errored) == (10, False)
