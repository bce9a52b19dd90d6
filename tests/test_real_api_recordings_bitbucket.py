"""The Bitbucket Cloud recordings (tests/fixtures/real-api/bitbucket/, Apache DevLake's raw
tables of likyh/likyhphp) served by the replay server on 127.0.0.1: every recorded request
answers with its recorded items, the pull request pages link to each other through the
server, and the golden rows of bitbucket/MAPPING.md hold for what the server answers.

DevLake kept one item per CSV row and the request in the ``url`` column; the page envelope
(``pagelen``, ``page``, ``values``, ``next``) is put back here. Expected values are read from the
CSV with Python's csv and json, or written out by hand from MAPPING.md."""

from __future__ import annotations

import csv
import json
import sys
import urllib.request
from collections import Counter
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.replay import FIXTURES, Exchange, Replay, serve

DEVLAKE = FIXTURES / "bitbucket" / "apache__incubator-devlake"
HOST = "https://api.bitbucket.org"
FILES = (
    "_raw_bitbucket_api_repositories.csv",
    "_raw_bitbucket_api_pull_requests.csv",
    "_raw_bitbucket_api_pullrequest_comments.csv",
    "_raw_bitbucket_api_pull_request_commits.csv",
    "_raw_bitbucket_api_pipelines.csv",
    "_raw_bitbucket_api_pipeline_steps.csv",
    "_raw_bitbucket_api_deployments.csv",
)


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


def envelope(url: str, items: list[dict], next_url: str | None) -> dict:
    query = parse_qs(urlsplit(url).query)
    body: dict = {"pagelen": int(query.get("pagelen", ["10"])[0]), "page": int(query.get("page", ["1"])[0])}
    body["values"] = items
    if next_url:
        body["next"] = next_url
    return body


def pull_request_pages() -> list[str]:
    return sorted(recorded("_raw_bitbucket_api_pull_requests.csv"), key=lambda u: parse_qs(urlsplit(u).query)["page"])


def bitbucket_replay() -> Replay:
    """Every recorded request; the repository answers with its one object, the lists with
    pages, the first pull request page with a ``next`` link to the second."""
    replay = Replay(recorded_host=HOST)
    pr_pages = pull_request_pages()
    for name in FILES:
        for url, items in recorded(name).items():
            if name == "_raw_bitbucket_api_repositories.csv":
                body: dict = items[0]
            else:
                following = pr_pages[pr_pages.index(url) + 1 : pr_pages.index(url) + 2] if url in pr_pages else []
                body = envelope(url, items, following[0] if following else None)
            raw = json.dumps(body).encode()
            replay.add(Exchange("GET", path(url), 200, {"Content-Type": "application/json"}, raw))
    return replay


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as answer:
        assert answer.status == 200
        return json.loads(answer.read())


def served(replay: Replay, name: str) -> list[dict]:
    """All items of a file as the server answers them, request by request."""
    found = []
    for url in recorded(name):
        found.extend(get(replay.base_url + path(url))["values"])
    return found


def moment(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def as_served(items: object, replay: Replay) -> object:
    """The recorded items with Bitbucket's address in their links replaced by the server's."""
    return json.loads(json.dumps(items).replace(HOST, replay.base_url))


def test_every_recorded_request_answers_with_its_recorded_items():
    with serve(bitbucket_replay()) as replay:
        for name in FILES[1:]:
            for url, items in recorded(name).items():
                assert get(replay.base_url + path(url))["values"] == as_served(items, replay), url
        repository = get(replay.base_url + "/2.0/repositories/likyh/likyhphp?page=1&pagelen=0&state=all")
    assert repository["full_name"] == "likyh/likyhphp"
    assert repository["links"]["self"]["href"] == replay.base_url + "/2.0/repositories/likyh/likyhphp"
    assert len(replay.received) == 1 + 2 + 9 + 1 + 3 + 9 + 7  # requests: one per recorded url


def test_pull_request_pages_follow_next_through_the_server():
    with serve(bitbucket_replay()) as replay:
        url: str | None = replay.base_url + path(pull_request_pages()[0])
        pages, numbers = 0, []
        while url:
            page = get(url)
            pages += 1
            numbers += [item["id"] for item in page["values"]]
            url = page.get("next")
            assert url is None or url.startswith(replay.base_url)
    assert (pages, len(numbers), sorted(numbers)) == (2, 57, list(range(1, 58)))


def test_the_mapping_golden_rows_hold_for_what_the_server_answers():
    with serve(bitbucket_replay()) as replay:
        pulls = {p["id"]: p for p in served(replay, "_raw_bitbucket_api_pull_requests.csv")}
        pipelines = {p["uuid"]: p for p in served(replay, "_raw_bitbucket_api_pipelines.csv")}
        steps = served(replay, "_raw_bitbucket_api_pipeline_steps.csv")
        comments = served(replay, "_raw_bitbucket_api_pullrequest_comments.csv")
    assert Counter(p["state"] for p in pulls.values()) == {"OPEN": 30, "MERGED": 27}
    assert Counter(p["merge_commit"]["hash"] for p in pulls.values() if p["merge_commit"]) == {
        "983edbf06740": 18,
        "c0e12b61e44b": 9,
    }
    pr24 = pulls[24]
    head = pr24["source"]
    assert (pr24["created_on"], pr24["updated_on"], head["commit"]["hash"], head["branch"]["name"]) == (
        "2022-08-12T15:00:34.399272+00:00", "2022-08-12T15:10:43.930663+00:00", "2bfd29a17665", "test17"
    )  # fmt: skip
    assert len(comments) == 18
    first_step = {}
    for step in steps:
        if step.get("started_on"):
            uuid = step["pipeline"]["uuid"]
            first_step[uuid] = min(first_step.get(uuid, step["started_on"]), step["started_on"], key=moment)
    run = pipelines["{d7bf8394-6e18-42c4-b3a3-70514fc4079f}"]
    queued, started = moment(run["created_on"]), moment(first_step["{d7bf8394-6e18-42c4-b3a3-70514fc4079f}"])
    assert (started - queued).total_seconds() == pytest.approx(33.668840)
    assert (moment(run["completed_on"]) - started).total_seconds() == pytest.approx(112.516717)
    finished = Counter(p["state"]["result"]["name"] for p in pipelines.values() if p["state"]["name"] == "COMPLETED")
    assert finished == {"SUCCESSFUL": 4, "FAILED": 2, "STOPPED": 1}
    step_results = Counter(s["state"]["result"]["name"] for s in steps if s["state"]["name"] == "COMPLETED")
    assert step_results == {"SUCCESSFUL": 12, "FAILED": 1, "STOPPED": 1, "NOT_RUN": 2}
    odd = pipelines["{ee91b6d3-7736-482c-892f-ad1e923d145e}"]
    assert moment(odd["completed_on"]) < moment(odd["created_on"])  # as recorded: finished before queued
