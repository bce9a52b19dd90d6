"""`quarterdeck ingest bitbucket` and `quarterdeck ingest all` against a real server on
127.0.0.1 replaying what Bitbucket Cloud returned to Apache DevLake for likyh/likyhphp
(tests/fixtures/real-api/bitbucket/, MAPPING.md): 57 pull requests, 18 comments, the 8
commits of pull request 3, 10 pipelines with 25 steps, 17 deployments.

DevLake kept one item per CSV row; the tests put the rows back into Bitbucket's page
envelope (``values``, ``next``) for the requests the source makes, in the order those
requests ask for (pipelines newest first: the recorded ascending rows reversed;
deployments latest start first, the three never deployed last). Not recorded, and answered
with an empty page: the commits of the 56 other pull requests, the comments of pull
request 1 (it says 2, none were kept) and the steps of pipeline {ee91b6d3-…} (it has
none). Expected values are the golden rows of MAPPING.md, computed by hand, or read from
the recordings with Python's csv and json, independently of the source."""

from __future__ import annotations

import base64
import csv
import json
import re
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from tests.conftest import run_quarterdeck
from tests.replay import FIXTURES, Exchange, Replay, serve
from tests.warehouse_rows import query

DEVLAKE = FIXTURES / "bitbucket" / "apache__incubator-devlake"
HOST = "https://api.bitbucket.org"
REPO = "likyh/likyhphp"
BASE = f"/2.0/repositories/{REPO}"
TOKEN = "bitbucket-secret-token-42"
ENV = {"BITBUCKET_TOKEN": TOKEN, "QUARTERDECK_TIMEZONE": "UTC"}
STATES = [("state", s) for s in ("OPEN", "MERGED", "DECLINED", "SUPERSEDED")]
D7 = "{d7bf8394-6e18-42c4-b3a3-70514fc4079f}"
FA = "{01fad871-cd21-4a80-bd59-74148dd5be8e}"
B5 = "{b5d2ab02-2013-415e-b146-61ff3bf19502}"
EE = "{ee91b6d3-7736-482c-892f-ad1e923d145e}"


def rows(name: str) -> list[dict]:
    csv.field_size_limit(sys.maxsize)
    with (DEVLAKE / f"_raw_bitbucket_api_{name}.csv").open(encoding="utf-8", newline="") as handle:
        return [{**row, "item": json.loads(row["data"])} for row in csv.DictReader(handle)]


def items(name: str) -> list[dict]:
    return [row["item"] for row in rows(name)]


def moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC) if value else None


def listing_path(path: str, params: list[tuple[str, object]]) -> str:
    return f"{BASE}/{path}?{urlencode(params)}"


def pulls_path(size: int, q: str | None = None) -> str:
    params: list[tuple[str, object]] = [*STATES, ("sort", "-updated_on"), ("pagelen", size)]
    return listing_path("pullrequests", params + ([("q", q)] if q else []))


def pipelines_path(size: int) -> str:
    return listing_path("pipelines/", [("sort", "-created_on"), ("pagelen", size)])


def steps_path(pipeline: str, size: int) -> str:
    return listing_path(f"pipelines/{quote(pipeline, safe='')}/steps/", [("pagelen", size)])


def deployments_path(size: int) -> str:
    return listing_path("deployments/", [("sort", "-state.started_on"), ("pagelen", size)])


def pages(replay: Replay, first: str, values: list[dict], size: int) -> None:
    """A listing's pages of ``size`` items, each linking to the next (page=2, ...) as Bitbucket does."""
    chunks = [values[i : i + size] for i in range(0, len(values), size)] or [[]]
    paths = [first] + [f"{first}&page={n}" for n in range(2, len(chunks) + 1)]
    for n, (path, chunk) in enumerate(zip(paths, chunks, strict=True)):
        body: dict = {"pagelen": size, "values": chunk}
        if n + 1 < len(paths):
            body["next"] = HOST + paths[n + 1]
        replay.add(Exchange("GET", path, 200, {"Content-Type": "application/json"}, json.dumps(body).encode()))


def bitbucket_replay(size: int = 50, pulls: list[dict] | None = None, pipelines: list[dict] | None = None) -> Replay:
    """Every listing the source asks for, from the recorded rows."""
    replay = Replay(recorded_host=HOST)
    pulls = items("pull_requests") if pulls is None else pulls
    pages(replay, pulls_path(size), pulls, size)
    comments: dict[int, list[dict]] = {}
    for row in rows("pullrequest_comments"):
        comments.setdefault(json.loads(row["input"])["BitbucketId"], []).append(row["item"])
    commits = {3: items("pull_request_commits")}
    for pull in pulls:
        number = pull["id"]
        pages(
            replay, listing_path(f"pullrequests/{number}/commits", [("pagelen", size)]), commits.get(number, []), size
        )
        if pull["comment_count"]:
            path = listing_path(f"pullrequests/{number}/comments", [("pagelen", size)])
            pages(replay, path, comments.get(number, []), size)
    pipelines = list(reversed(items("pipelines"))) if pipelines is None else pipelines
    pages(replay, pipelines_path(size), pipelines, size)
    steps: dict[str, list[dict]] = {}
    for row in rows("pipeline_steps"):
        steps.setdefault(json.loads(row["input"])["BitbucketId"], []).append(row["item"])
    for pipeline in pipelines:
        pages(replay, steps_path(pipeline["uuid"], size), steps.get(pipeline["uuid"], []), size)
        for step in steps.get(pipeline["uuid"], []):  # one step, as its own request answers it
            path = f"{BASE}/pipelines/{quote(pipeline['uuid'], safe='')}/steps/{quote(step['uuid'], safe='')}"
            replay.add(Exchange("GET", path, 200, {"Content-Type": "application/json"}, json.dumps(step).encode()))
    deployments = sorted(items("deployments"), key=lambda d: d["state"].get("started_on") or "", reverse=True)
    pages(replay, deployments_path(size), deployments, size)
    return replay


def ingest(db: Path, replay: Replay, env: dict[str, str] | None = None) -> object:
    return run_quarterdeck(
        "ingest", "bitbucket", "--repo", REPO, "--base-url", f"{replay.base_url}/2.0", "--db", str(db),
        "--format", "json", env=env or ENV,
    )  # fmt: skip


def ingest_project(db: Path, tmp_path: Path, replay: Replay, **options: object) -> object:
    project = tmp_path / "quarterdeck.yaml"
    source = {"type": "bitbucket", "base_url": f"{replay.base_url}/2.0", "repositories": [REPO], **options}
    project.write_text(json.dumps({"sources": [source]}))
    return run_quarterdeck(
        "ingest", "all", "--project-file", str(project), "--db", str(db), "--format", "json",
        env={**ENV, "BITBUCKET_USER": "qd-bot"},
    )  # fmt: skip


RUN_COLUMNS = "run_id, repository, workflow, commit_sha, queued_at, started_at, finished_at, result"


def run_id(uuid: str) -> str:
    return f"bitbucket:{REPO}:pipeline:{uuid}"


def check_golden_rows(db: Path, base_url: str | None) -> None:
    """The golden rows and totals of MAPPING.md (pull requests read from ``base_url``; None:
    from the replay servers of several runs)."""
    assert query(db, "SELECT state, count(*) FROM pull_requests GROUP BY ALL ORDER BY 1") == [
        ("closed", 27), ("open", 30)
    ]  # fmt: skip
    assert query(db, "SELECT merge_commit_sha, count(*) FROM pull_requests GROUP BY ALL ORDER BY 1") == [
        ("983edbf06740", 18), ("c0e12b61e44b", 9), (None, 30)
    ]  # fmt: skip
    columns = "state, created_at, updated_at, closed_at, merged_at, merge_commit_sha, head_sha, head_ref, base_ref"
    merged = moment("2022-08-12T15:10:43.930663Z")
    assert query(db, f"SELECT {columns} FROM pull_requests WHERE number = 24") == [
        ("closed", moment("2022-08-12T15:00:34.399272Z"), merged, merged, merged, "c0e12b61e44b", "2bfd29a17665",
         "test17", "master")
    ]  # fmt: skip
    assert query(db, f"SELECT {columns} FROM pull_requests WHERE number = 1") == [
        ("open", moment("2022-07-12T04:17:03.054679Z"), moment("2022-07-18T05:39:20.730398Z"), None, None, None,
         "5e5bccfcc656", items("pull_requests")[-1]["source"]["branch"]["name"], "master")
    ]  # fmt: skip
    urls = (
        {f"{base_url}/2.0/repositories/{REPO}"}
        if base_url
        else {u for (u,) in query(db, "SELECT DISTINCT repository_url FROM pull_requests")}
    )
    assert all(re.fullmatch(rf"http://127\.0\.0\.1:\d+/2\.0/repositories/{REPO}", url) for url in urls)
    assert set(query(db, "SELECT DISTINCT source, repository, author_login, repository_url FROM pull_requests")) == {
        ("bitbucket", REPO, "62abf394192edb006fa0e8cf", url) for url in urls
    }
    assert query(db, "SELECT source, account, display_name, email FROM source_accounts") == [
        ("bitbucket", "62abf394192edb006fa0e8cf", "teoiaoe", None)
    ]
    assert query(db, "SELECT identity_id, name FROM identities WHERE kind = 'account'") == [
        ("bitbucket:62abf394192edb006fa0e8cf", "teoiaoe")
    ]
    assert query(db, "SELECT count(*), count(DISTINCT number), min(author_login) FROM pr_comments") == [
        (18, 9, "62abf394192edb006fa0e8cf")
    ]
    expected_comments = sorted(
        (c["pullrequest"]["id"], str(c["id"]), moment(c["created_on"])) for c in items("pullrequest_comments")
    )
    assert query(db, "SELECT number, comment_id, created_at FROM pr_comments ORDER BY 1, 2") == expected_comments
    commits = sorted(
        (c["hash"], (c["author"].get("user") or {}).get("account_id"), c["author"]["raw"].split("<")[1].rstrip(">"),
         moment(c["date"]))
        for c in items("pull_request_commits")
    )  # fmt: skip
    assert commits[0] == ("11115d276440bc1263c194fa164c061b91df9144", "557058:de34a04f-99e2-4e9d-a952-c9be660a2379",
                          "swy@likyh.com", moment("2015-09-12T08:53:47Z"))  # fmt: skip
    pr_commits = "SELECT sha, author_login, author_email, authored_at FROM pr_commits WHERE number = 3 ORDER BY 1"
    assert query(db, pr_commits) == commits
    assert query(db, "SELECT count(*), count(committed_at) FROM pr_commits") == [(8, 0)]
    assert query(db, f"SELECT {RUN_COLUMNS} FROM ci_runs WHERE run_id = ?", [run_id(D7)]) == [
        (run_id(D7), "likyhphp", "pipeline", "ca4302e0e56c89332711e1b1051ab2f0110d4412",
         moment("2023-02-20T09:15:11.781195Z"), moment("2023-02-20T09:15:45.450035Z"),
         moment("2023-02-20T09:17:37.966752Z"), "success")
    ]  # fmt: skip
    assert query(db, f"SELECT {RUN_COLUMNS} FROM ci_runs WHERE run_id = ?", [run_id(FA)]) == [
        (run_id(FA), "likyhphp", "main", "2b1cd7db35f3cf67d6d124e08b13272a1901707a",
         moment("2023-02-20T08:58:19.143970Z"), moment("2023-02-20T08:58:31.520377Z"),
         moment("2023-02-20T08:58:46.096165Z"), "failure")
    ]  # fmt: skip
    assert query(db, "SELECT started_at, finished_at, result FROM ci_runs WHERE run_id = ?", [run_id(B5)]) == [
        (moment("2023-02-20T09:23:40.750389Z"), moment("2023-02-20T09:23:41.030214Z"), "cancelled")
    ]
    jobs = "SELECT name, result, started_at = finished_at FROM ci_jobs WHERE run_id = ? ORDER BY 1"
    assert query(db, jobs, [run_id(B5)]) == [
        ("Test", "cancelled", True), ("production", "skipped", True), ("staging", "skipped", True)
    ]  # fmt: skip
    # completed 15.8 ms before it was created, as recorded: kept, queued at its finish
    assert query(
        db, "SELECT queued_at, started_at, finished_at, result FROM ci_runs WHERE run_id = ?", [run_id(EE)]
    ) == [(moment("2023-02-20T09:09:50.299351Z"), None, moment("2023-02-20T09:09:50.299351Z"), "failure")]
    production = f"bitbucket:{REPO}:step:{{c2da4b2d-f971-4c5f-90b7-1c55ea80121c}}"
    job = "SELECT run_id, name, started_at, finished_at, result FROM ci_jobs WHERE job_id = ?"
    assert query(db, job, [production]) == [
        (run_id(D7), "production", moment("2023-02-20T09:16:01.886170Z"), moment("2023-02-20T09:16:09.885310Z"),
         "success")
    ]  # fmt: skip
    assert query(db, "SELECT result, count(*) FROM ci_runs GROUP BY ALL ORDER BY 1") == [
        ("cancelled", 1), ("failure", 2), ("success", 4)
    ]  # fmt: skip
    assert query(db, "SELECT result, count(*) FROM ci_jobs GROUP BY ALL ORDER BY 1") == [
        ("cancelled", 1), ("failure", 1), ("skipped", 2), ("success", 12)
    ]  # fmt: skip
    assert query(db, "SELECT result, count(*) FROM deployments GROUP BY ALL ORDER BY 1") == [
        ("cancelled", 1), ("failure", 1), ("success", 12)
    ]  # fmt: skip
    expected = {
        (f"bitbucket:{REPO}:{d['uuid']}", d["environment"]["name"].lower(), d["release"]["commit"]["hash"],
         moment(d["state"]["started_on"]), moment(d["state"]["completed_on"]))
        for d in items("deployments") if d["state"]["name"] == "COMPLETED"
    }  # fmt: skip
    stored = query(db, "SELECT deployment_id, environment, commit_sha, started_at, finished_at FROM deployments")
    assert set(stored) == expected and len(stored) == 14
    assert query(db, "SELECT DISTINCT service, repository FROM deployments") == [("likyhphp", "likyhphp")]
    test_of = {
        d["release"]["pipeline"]["uuid"]: d["uuid"] for d in items("deployments") if d["environment"]["name"] == "Test"
    }
    unsuccessful = "SELECT deployment_id, environment, result FROM deployments WHERE result <> 'success' ORDER BY 3"
    assert query(db, unsuccessful) == [
        (f"bitbucket:{REPO}:{test_of[B5]}", "test", "cancelled"),
        (f"bitbucket:{REPO}:{test_of[FA]}", "test", "failure"),
    ]


def test_ingest_bitbucket_stores_pull_requests_pipelines_and_deployments_as_recorded(tmp_path):
    db = tmp_path / "w.duckdb"
    with serve(bitbucket_replay()) as replay:
        result = ingest(db, replay)
    assert result.returncode == 0, result.stderr
    summary = {r["resource"]: (r["read"], r["stored"], r["problems"]) for r in json.loads(result.stdout)}
    assert summary == {
        "pull_requests": (57, 57, 0), "pr_commits": (8, 8, 0), "pr_comments": (18, 18, 0),
        "pipelines": (10, 7, 0), "steps": (16, 16, 0), "deployments": (17, 14, 0),
    }  # fmt: skip
    check_golden_rows(db, replay.base_url)
    assert all(headers["authorization"] == f"Bearer {TOKEN}" for _, _, headers in replay.received)
    assert TOKEN not in result.stdout + result.stderr
    # the listings, a commits request per pull request, the comments of the 10 that have some,
    # the steps of the 7 finished pipelines (those of the 3 halted ones are not asked for)
    assert len(replay.received) == 2 + 57 + 10 + 1 + 7 + 1


def test_a_second_run_with_nothing_new_reads_nothing_new(tmp_path):
    db = tmp_path / "w.duckdb"
    newest = max(items("pull_requests"), key=lambda p: moment(p["updated_on"]))["updated_on"]
    assert newest == "2022-08-14T07:38:28.302733+00:00"
    with serve(bitbucket_replay()) as replay:
        assert ingest(db, replay).returncode == 0
        tables = ("pull_requests", "pr_commits", "pr_comments", "ci_runs", "ci_jobs", "deployments")
        before = {t: query(db, f"SELECT * EXCLUDE (loaded_at) FROM {t} ORDER BY ALL") for t in tables}
        pages(replay, pulls_path(50, f"updated_on>{newest}"), [], 50)  # what Bitbucket answers: nothing newer
        replay.received.clear()
        again = ingest(db, replay)
    assert again.returncode == 0, again.stderr
    assert [path for _, path, _ in replay.received] == [
        pulls_path(50, f"updated_on>{newest}"), pipelines_path(50), deployments_path(50)
    ]  # fmt: skip
    summary = {r["resource"]: (r["read"], r["cursor"]) for r in json.loads(again.stdout)}
    assert summary == {
        "pull_requests": (0, "2022-08-14T07:38:28.302733+00:00"),
        "pr_commits": (0, "2022-08-14T07:38:28.302733+00:00"),
        "pr_comments": (0, "2022-08-14T07:38:28.302733+00:00"),
        # the three pipelines halted since 09:23:30 are read again, with those created after
        "pipelines": (5, "2023-02-20T09:23:30.436859+00:00"),
        "steps": (0, None),
        "deployments": (1, "2023-02-20T09:39:04.211063+00:00"),  # the latest, at the cursor
    }
    assert {t: query(db, f"SELECT * EXCLUDE (loaded_at) FROM {t} ORDER BY ALL") for t in tables} == before


def test_ingest_all_reads_a_bitbucket_source_page_by_page_and_its_queue_time_is_measured(tmp_path):
    db = tmp_path / "w.duckdb"
    with serve(bitbucket_replay(size=4)) as replay:
        result = ingest_project(db, tmp_path, replay, page_size=4, user_env="BITBUCKET_USER")
    assert result.returncode == 0, result.stderr
    check_golden_rows(db, replay.base_url)
    basic = "Basic " + base64.b64encode(f"qd-bot:{TOKEN}".encode()).decode()
    assert all(headers["authorization"] == basic for _, _, headers in replay.received)
    listed = Counter(path.split("?")[0] for _, path, _ in replay.received)
    assert listed[f"{BASE}/pullrequests"] == 15 and listed[f"{BASE}/pipelines/"] == 3  # 57 / 4, 10 / 4
    assert listed[f"{BASE}/deployments/"] == 5 and listed[f"{BASE}/pullrequests/31/comments"] == 1
    shown = run_quarterdeck(
        "--db", str(db), "metrics", "show", "ci_queue_time", "--since", "2023-02-20", "--until", "2023-02-20",
        "--grain", "window", "--format", "json", env=ENV,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    (row,) = json.loads(shown.stdout)["rows"]
    # queued -> first step started, in seconds, of the six finished pipelines that started
    # (MAPPING.md golden rows 1-3, and 1e20072e, 2d91d69f, 5decbbb2 by hand); {ee91b6d3} never started
    queues = [1.777053, 12.376407, 12.437632, 12.502787, 13.315887, 33.668840]
    assert row["runs"] == 6
    assert row["median_minutes"] == pytest.approx((12.437632 + 12.502787) / 2 / 60, abs=1e-8)
    assert row["mean_minutes"] == pytest.approx(sum(queues) / 6 / 60, abs=1e-8)  # epoch seconds are doubles
    shown = {
        name: run_quarterdeck(
            "--db", str(db), "metrics", "show", name, "--since", "2023-02-20", "--until", "2023-02-20",
            "--grain", "window", "--format", "json", env=ENV,
        )
        for name in ("deployment_frequency", "ci_failure_rate")
    }  # fmt: skip
    (deployed,) = json.loads(shown["deployment_frequency"].stdout)["rows"]
    # the four Production deployments, of {1e20072e}, {d7bf8394}, {2d91d69f}, {5decbbb2}: all successful
    assert (deployed["deployments"], deployed["deploy_days"]) == (4, 1)
    (ci,) = json.loads(shown["ci_failure_rate"].stdout)["rows"]
    assert (ci["succeeded"], ci["failed"], ci["cancelled"], ci["failure_rate"]) == (4, 2, 1, pytest.approx(2 / 6))


def test_a_record_that_cannot_be_stored_is_a_problem_naming_it_and_is_read_again(tmp_path):
    pulls = items("pull_requests")
    for pull in pulls:
        if pull["id"] == 24:
            del pull["created_on"]
    pipelines = list(reversed(items("pipelines")))
    for pipeline in pipelines:
        if pipeline["uuid"] == D7:
            pipeline["state"]["result"]["name"] = "EXPLODED"
    db = tmp_path / "w.duckdb"
    broken = bitbucket_replay(pulls=pulls, pipelines=pipelines)
    production = "{c2da4b2d-f971-4c5f-90b7-1c55ea80121c}"  # the step of D7's production deployment
    missing = f"{BASE}/pipelines/{quote(D7, safe='')}/steps/{quote(production, safe='')}"
    broken.exchanges[("GET", missing)].clear()  # Bitbucket answers 404
    with serve(broken) as replay:
        result = ingest(db, replay)
    assert result.returncode == 3, result.stderr
    assert "bitbucket likyh/likyhphp pull_requests #24: missing field 'created_on'" in result.stderr
    assert f"bitbucket likyh/likyhphp pipelines {run_id(D7)}: ValueError: unknown result 'EXPLODED'" in result.stderr
    summary = {r["resource"]: (r["stored"], r["problems"], r["cursor"]) for r in json.loads(result.stdout)}
    # the cursors stay before what was not stored: pull request 24's update, pipeline D7's creation
    assert summary["pull_requests"] == (56, 1, "2022-08-12T15:10:43.930662+00:00")
    assert summary["pipelines"] == (6, 1, "2023-02-20T09:15:11.781195+00:00")
    assert query(db, "SELECT count(*) FROM pull_requests WHERE number = 24") == [(0,)]
    assert query(db, "SELECT count(*) FROM ci_jobs WHERE run_id = ?", [run_id(D7)]) == [(0,)]
    # the deployments of D7's steps: their results asked of each step, since none was stored;
    # the one whose step Bitbucket does not give is a problem, the others are stored
    asked = [path for _, path, _ in replay.received if "/steps/%7B" in path]
    assert len(asked) == 3 and all(quote(D7, safe="") in path for path in asked)
    assert query(db, "SELECT count(*) FROM deployments") == [(13,)]
    (deployment,) = [d for d in items("deployments") if d["step"]["uuid"] == production]
    assert f"bitbucket likyh/likyhphp deployments bitbucket:{REPO}:{deployment['uuid']}: ValueError: its step " in (
        result.stderr
    )
    assert summary["deployments"][1:] == (1, "2023-02-20T09:16:01.886170+00:00")  # held at its start
    assert query(db, "SELECT resource, record_id FROM source_problems ORDER BY 1") == [
        ("deployments", f"bitbucket:{REPO}:{deployment['uuid']}"), ("pipelines", run_id(D7)), ("pull_requests", "#24")
    ]  # fmt: skip
    after = [p for p in items("pull_requests") if moment(p["updated_on"]) > moment("2022-08-12T15:10:43.930662Z")]
    with serve(bitbucket_replay()) as replay:
        pages(replay, pulls_path(50, "updated_on>2022-08-12T15:10:43.930662+00:00"), after, 50)
        again = ingest(db, replay)
    assert again.returncode == 0, again.stderr
    summary = {r["resource"]: (r["read"], r["stored"], r["problems"]) for r in json.loads(again.stdout)}
    assert summary["pull_requests"] == (len(after), len(after), 0) and summary["pipelines"][1:] == (1, 0)
    check_golden_rows(db, None)
    assert query(db, "SELECT count(*) FROM source_problems") == [(0,)]


def test_an_unknown_option_or_a_bad_value_is_refused_with_its_name(tmp_path):
    db = tmp_path / "w.duckdb"
    with serve(bitbucket_replay()) as replay:
        unknown = ingest_project(db, tmp_path, replay, pagelen=10)
        bad = ingest_project(db, tmp_path, replay, page_size=500)
        wrong = ingest_project(db, tmp_path, replay, repositories=["likyhphp"])
    assert unknown.returncode == 2
    assert "unknown option 'pagelen' for a bitbucket source" in unknown.stderr
    assert bad.returncode == 2 and "'page_size' must be a whole number of items from 1 to 50" in bad.stderr
    assert (
        wrong.returncode == 2
        and "a repository must be WORKSPACE/SLUG, such as our-team/api, not 'likyhphp'" in wrong.stderr
    )
    assert replay.received == []


def test_an_app_password_without_its_user_is_refused_before_any_request(tmp_path):
    with serve(bitbucket_replay()) as replay:
        result = run_quarterdeck(
            "ingest", "bitbucket", "--repo", REPO, "--base-url", f"{replay.base_url}/2.0", "--user-env", "BB_USER",
            "--db", str(tmp_path / "w.duckdb"), env=ENV,
        )  # fmt: skip
    assert result.returncode == 2
    assert "BITBUCKET_TOKEN is set but BB_USER is not: an app password is sent with its user" in result.stderr
    assert replay.received == [] and TOKEN not in result.stdout + result.stderr


def test_a_first_run_since_a_day_asks_bitbucket_for_what_changed_since(tmp_path):
    after = [p for p in items("pull_requests") if moment(p["updated_on"]) >= moment("2022-08-13T00:00:00Z")]
    assert [p["id"] for p in after] == [40, 54, 42]  # by hand: the three updated on 2022-08-14
    db = tmp_path / "w.duckdb"
    with serve(bitbucket_replay()) as replay:
        pages(replay, pulls_path(50, "updated_on>2022-08-12T23:59:59.999999+00:00"), after, 50)
        result = run_quarterdeck(
            "ingest", "bitbucket", "--repo", REPO, "--base-url", f"{replay.base_url}/2.0", "--since", "2022-08-13",
            "--db", str(db), "--format", "json", env=ENV,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT number FROM pull_requests ORDER BY 1") == sorted((p["id"],) for p in after)
    summary = {r["resource"]: r["cursor"] for r in json.loads(result.stdout)}
    assert summary["pull_requests"] == "2022-08-14T07:38:28.302733+00:00"


def test_a_deployment_s_own_status_is_its_result_when_bitbucket_sends_it(tmp_path):
    db = tmp_path / "w.duckdb"
    replay = bitbucket_replay()
    deployments = sorted(items("deployments"), key=lambda d: d["state"].get("started_on") or "", reverse=True)
    latest = deployments[0]  # Production of {5decbbb2-…}, its step SUCCESSFUL
    latest["state"]["status"] = {"name": "FAILED", "type": "deployment_state_completed_status_failed"}
    replay.exchanges[("GET", deployments_path(50))].clear()
    pages(replay, deployments_path(50), deployments, 50)
    with serve(replay):
        result = ingest(db, replay)
    assert result.returncode == 0, result.stderr
    failed = "SELECT deployment_id, environment, result FROM deployments WHERE result = 'failure' ORDER BY 1"
    assert sorted(query(db, failed)) == [
        (f"bitbucket:{REPO}:{{3014535b-b9f9-5501-a493-39f0457f02df}}", "test", "failure"),  # the Test of {01fad871-…}
        (f"bitbucket:{REPO}:{latest['uuid']}", "production", "failure"),
    ]


def test_a_refused_token_stops_the_source_and_keeps_what_was_stored_before(tmp_path):
    db = tmp_path / "w.duckdb"
    replay = bitbucket_replay()
    refusal = {"type": "error", "error": {"message": "Token is invalid, expired, or not supported for this endpoint."}}
    replay.add(Exchange("GET", deployments_path(50), 401, {}, json.dumps(refusal).encode()), first=True)
    with serve(replay):
        failed = ingest(db, replay)
    assert failed.returncode == 1
    assert (
        f'Bitbucket: GET repositories/{REPO}/deployments/ answered 401 Unauthorized ("Token is invalid, '
        'expired, or not supported for this endpoint."): the token was not accepted; BITBUCKET_TOKEN must hold'
    ) in failed.stderr
    assert "Traceback" not in failed.stderr and TOKEN not in failed.stdout + failed.stderr
    # the pull requests and pipelines read before it are stored with their cursors, deployments are not
    assert query(db, "SELECT count(*) FROM pull_requests") == [(57,)]
    assert query(db, "SELECT count(*) FROM ci_runs") == [(7,)] and query(db, "SELECT count(*) FROM deployments") == [
        (0,)
    ]
    assert query(db, "SELECT resource FROM source_cursors ORDER BY 1") == [
        ("pipelines",), ("pr_comments",), ("pr_commits",), ("pull_requests",)
    ]  # fmt: skip
