"""`quarterdeck ingest circleci` and `quarterdeck ingest all` against a real server on
127.0.0.1 replaying what CircleCI's API v2 returned to Apache DevLake for the public project
gh/coldgust/coldgust.github.io: 10 pipelines (number 10 errored before any workflow), their
9 workflows and 9 jobs (tests/fixtures/real-api/circleci/MAPPING.md). DevLake kept one item
per CSV row with the request in the ``url`` column; CircleCI's envelope (``items``,
``next_page_token``) is put back as the recordings' own test does. Expected values are read
from the recordings with Python's csv and json, independently of the source, or written out
by hand from MAPPING.md's golden rows."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.replay import Exchange, Replay, serve
from tests.test_real_api_recordings_circleci import HOST, LISTS, PIPELINES, answer, moment, path, recorded
from tests.warehouse_rows import query

SLUG = "gh/coldgust/coldgust.github.io"
TOKEN = "circleci-secret-token-42"
ENV = {"CIRCLECI_TOKEN": TOKEN}
RUN_COLUMNS = "run_id, repository, workflow, commit_sha, queued_at, started_at, finished_at, result"
JOB_COLUMNS = "job_id, run_id, repository, name, queued_at, started_at, finished_at, result, runner"
RESULTS = {"success": "success", "failed": "failure"}
Edit = Callable[[dict], dict]


def items(name: str) -> list[dict]:
    return [item for found in recorded(name).values() for item in found]


PIPELINE_ITEMS = items("_raw_circleci_api_pipelines.csv")
WORKFLOW_ITEMS = items("_raw_circleci_api_workflows.csv")
JOBS_BY_WORKFLOW = {url.split("/")[-2]: found for url, found in recorded("_raw_circleci_api_jobs.csv").items()}
WORKFLOW_OF = {w["pipeline_number"]: w for w in WORKFLOW_ITEMS}  # pipeline number -> its one workflow


def run_id(number: int) -> str:
    return f"circleci:{SLUG}:workflow:{WORKFLOW_OF[number]['id']}"


def circleci_replay(workflow: Edit | None = None, job: Edit | None = None, pages: int = 1) -> Replay:
    """Every recorded request, each list in one page (the pipelines in ``pages`` pages, with
    made-up tokens); ``workflow`` and ``job`` edit what the server answers."""
    replay = Replay(recorded_host=HOST)
    for name in LISTS[1:]:
        edit = (workflow if "workflows" in name else job) or (lambda item: item)
        for url, found in recorded(name).items():
            replay.add(answer(path(url), {"items": [edit(dict(i)) for i in found], "next_page_token": None}))
    size = -(-len(PIPELINE_ITEMS) // pages)
    for page in range(pages):
        token = f"made-up-token-{page + 1}" if page + 1 < pages else None
        asked = PIPELINES if page == 0 else f"{PIPELINES}?page-token=made-up-token-{page}"
        replay.add(answer(asked, {"items": PIPELINE_ITEMS[page * size : (page + 1) * size], "next_page_token": token}))
    return replay


def with_status(number: int, status: str) -> Edit:
    """An edit giving the workflow of pipeline ``number`` (or its job) another status."""
    ids = {WORKFLOW_OF[number]["id"], *(j["id"] for j in JOBS_BY_WORKFLOW[WORKFLOW_OF[number]["id"]])}
    return lambda item: dict(item, status=status) if item["id"] in ids else item


def ingest(db: Path, replay: Replay, *extra: str) -> object:
    return run_quarterdeck(
        "ingest", "circleci", "--base-url", f"{replay.base_url}/api/v2", "--project", SLUG, *extra,
        "--db", str(db), "--format", "json", env=ENV,
    )  # fmt: skip


def expected_runs(repository: str = "coldgust/coldgust.github.io") -> list[tuple]:
    """Each workflow as a CI run, worked out from the recordings: queued when the workflow was
    created, started with its first job, finished when it stopped."""
    pipelines = {p["id"]: p for p in PIPELINE_ITEMS}
    rows = []
    for w in WORKFLOW_ITEMS:
        start = min(moment(j["started_at"]) for j in JOBS_BY_WORKFLOW[w["id"]])
        sha = pipelines[w["pipeline_id"]]["vcs"]["revision"]
        rows.append((
            f"circleci:{SLUG}:workflow:{w['id']}", repository, w["name"], sha, moment(w["created_at"]), start,
            moment(w["stopped_at"]), RESULTS[w["status"]],
        ))  # fmt: skip
    return sorted(rows)


def expected_jobs() -> list[tuple]:
    return sorted(
        (
            f"circleci:{SLUG}:job:{j['id']}", f"circleci:{SLUG}:workflow:{workflow}", "coldgust/coldgust.github.io",
            j["name"], None, moment(j["started_at"]), moment(j["stopped_at"]), RESULTS[j["status"]], None,
        )
        for workflow, found in JOBS_BY_WORKFLOW.items()
        for j in found
    )  # fmt: skip


def at(text: str) -> datetime:
    return moment(f"2023-03-25T{text}Z")


def test_a_project_s_workflows_become_ci_runs_and_their_jobs_ci_jobs(tmp_path):
    db = tmp_path / "w.duckdb"
    with serve(circleci_replay()) as replay:
        result = ingest(db, replay)
    assert result.returncode == 0, result.stderr
    [row] = json.loads(result.stdout)
    assert (row["scope"], row["resource"], row["read"], row["stored"], row["cursor"]) == (
        SLUG, "pipelines", 10, 9, "10"
    )  # fmt: skip
    runs = query(db, f"SELECT {RUN_COLUMNS} FROM ci_runs ORDER BY run_id")
    assert len(runs) == 9 and runs == expected_runs()
    by_id = {r[0]: r[2:] for r in runs}
    # MAPPING.md's golden rows 1 to 4
    assert by_id[run_id(9)] == (
        "workflow", "49874a6ac988e2b3434501d4a4554c54583e6820", at("18:13:21"), at("18:13:25"), at("18:13:38"),
        "success",
    )  # fmt: skip
    assert by_id[run_id(7)] == (
        "workflow", "ad3aab6479048a72b6aade91b36fdeb7125a16a6", at("17:56:24"), at("17:56:27"), at("17:56:43"),
        "failure",
    )  # fmt: skip
    assert by_id[run_id(1)] == (
        "say-hello-workflow", "9fcceda0e9749bc63e6397b23531fb6bf83634df", at("17:12:18"), at("17:12:20"),
        at("17:12:22"), "success",
    )  # fmt: skip
    assert by_id[run_id(8)][1:] == ("7fb6961080f03defe9b7abb35a111a560e6ab1cc", at("18:06:13"), at("18:06:15"),
                                     at("18:06:28"), "failure")  # fmt: skip
    assert query(db, "SELECT result, count(*) FROM ci_runs GROUP BY 1 ORDER BY 1") == [("failure", 5), ("success", 4)]
    assert query(db, "SELECT sum(epoch(started_at) - epoch(queued_at)) FROM ci_runs") == [(24.0,)]
    jobs = query(db, f"SELECT {JOB_COLUMNS} FROM ci_jobs ORDER BY job_id")
    assert len(jobs) == 9 and jobs == expected_jobs()
    golden_job = f"circleci:{SLUG}:job:2ff3594e-9da1-4306-aefa-77b72a97971e"
    golden = "SELECT run_id, name, started_at, finished_at, result FROM ci_jobs WHERE job_id = ?"
    assert query(db, golden, [golden_job]) == [(run_id(9), "build", at("18:13:25"), at("18:13:38"), "success")]
    assert query(db, "SELECT DISTINCT source FROM ci_jobs") == [("circleci",)]
    assert all(headers.get("circle-token") == TOKEN for _, _, headers in replay.received)
    assert TOKEN not in result.stdout + result.stderr
    asked = [p for _, p, _ in replay.received]
    errored = next(p["id"] for p in PIPELINE_ITEMS if p["number"] == 10)
    assert len(asked) == 1 + 9 + 9 and not any(errored in p for p in asked)  # no workflow asked of pipeline 10


def test_a_second_run_reads_nothing_new(tmp_path):
    db = tmp_path / "w.duckdb"
    with serve(circleci_replay()) as replay:
        assert ingest(db, replay).returncode == 0
        before = query(db, "SELECT * EXCLUDE (loaded_at) FROM ci_runs ORDER BY run_id")
        replay.received.clear()
        again = ingest(db, replay)
    assert again.returncode == 0, again.stderr
    assert [p for _, p, _ in replay.received] == [PIPELINES]
    assert [(r["read"], r["stored"], r["cursor"]) for r in json.loads(again.stdout)] == [(0, 0, "10")]
    assert query(db, "SELECT * EXCLUDE (loaded_at) FROM ci_runs ORDER BY run_id") == before
    assert query(db, "SELECT count(*) FROM ci_jobs") == [(9,)]


def show(db: Path, metric: str) -> dict:
    result = run_quarterdeck(
        "--db", str(db), "metrics", "show", metric, "--since", "2023-03-25", "--until", "2023-03-25",
        "--grain", "window", "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    [row] = json.loads(result.stdout)["rows"]
    return row


def test_ci_queue_time_run_time_and_failure_rate_of_the_ingested_runs(tmp_path):
    """By hand from the recordings (seconds, pipelines 1..9): queue = first job start -
    workflow created: 2 2 2 2 5 2 3 2 4, sorted 2 2 2 2 2 2 3 4 5: median 2, p75 (position
    6) 3, p90 (position 7.2) 4 + 0.2 x 1 = 4.2, mean 24/9. Run = workflow stopped - first job
    start: 2 3 3 3 3 12 16 13 13, sorted 2 3 3 3 3 12 13 13 16: median 3, p75 13, p90 13 +
    0.2 x 3 = 13.6, mean 68/9. The metrics are in minutes."""
    db = tmp_path / "w.duckdb"
    with serve(circleci_replay()) as replay:
        assert ingest(db, replay).returncode == 0
    queue, run = show(db, "ci_queue_time"), show(db, "ci_run_time")
    stats = ("runs", "median_minutes", "p75_minutes", "p90_minutes", "mean_minutes")
    assert [queue[k] for k in stats] == pytest.approx([9, 2 / 60, 3 / 60, 4.2 / 60, 24 / 9 / 60], rel=1e-9)
    assert [run[k] for k in stats] == pytest.approx([9, 3 / 60, 13 / 60, 13.6 / 60, 68 / 9 / 60], rel=1e-9)
    failures = show(db, "ci_failure_rate")  # pipelines 1, 2, 3, 9 succeeded; 4 to 8 failed
    assert (failures["succeeded"], failures["failed"], failures["failure_rate"]) == (4, 5, pytest.approx(5 / 9))


def test_ingest_all_reads_the_project_file_s_projects_page_by_page(tmp_path):
    """The project is named in its long form with a repository of its own; the pipeline list
    comes in two pages (the split and its token are made up here: every recorded list fit
    one page)."""
    db, project = tmp_path / "w.duckdb", tmp_path / "quarterdeck.yaml"
    with serve(circleci_replay(pages=2)) as replay:
        source = {"project": "github/coldgust/coldgust.github.io", "repository": "site"}
        entry = {"type": "circleci", "base_url": f"{replay.base_url}/api/v2", "projects": [source]}
        project.write_text(json.dumps({"sources": [entry]}))
        result = run_quarterdeck(
            "ingest", "all", "--project-file", str(project), "--db", str(db), "--format", "json", env=ENV
        )
    assert result.returncode == 0, result.stderr
    asked = [p for _, p, _ in replay.received if p.startswith(PIPELINES)]
    assert asked == [PIPELINES, f"{PIPELINES}?page-token=made-up-token-1"]
    assert [(r["scope"], r["read"], r["stored"], r["cursor"]) for r in json.loads(result.stdout)] == [
        (SLUG, 10, 9, "10")
    ]  # fmt: skip
    assert query(db, f"SELECT {RUN_COLUMNS} FROM ci_runs ORDER BY run_id") == expected_runs(repository="site")
    assert query(db, "SELECT DISTINCT repository FROM ci_jobs") == [("site",)]
    assert query(db, "SELECT scope, resource, cursor FROM source_cursors") == [(SLUG, "pipelines", "10")]


def test_a_workflow_still_running_is_read_again_and_holds_the_cursor(tmp_path):
    """Pipeline 5's workflow is answered as running: the 8 others are stored and the cursor
    stays at 4. The next run reads pipelines 10 to 5 again but asks only for 5's jobs."""
    db = tmp_path / "w.duckdb"
    with serve(circleci_replay(workflow=with_status(5, "running"))) as replay:
        first = ingest(db, replay)
    assert first.returncode == 0, first.stderr
    assert query(db, "SELECT run_id FROM ci_runs ORDER BY run_id") == sorted(
        (run_id(n),) for n in range(1, 10) if n != 5
    )  # fmt: skip
    assert query(db, "SELECT cursor FROM source_cursors") == [("4",)]
    assert query(db, "SELECT count(*) FROM ci_jobs") == [(8,)]
    with serve(circleci_replay()) as replay:
        again = ingest(db, replay)
    assert again.returncode == 0, again.stderr
    asked = [p for _, p, _ in replay.received]
    assert [p for p in asked if p.endswith("/job")] == [f"/api/v2/workflow/{WORKFLOW_OF[5]['id']}/job"]
    assert len([p for p in asked if p.endswith("/workflow")]) == 5  # pipelines 9 to 5
    assert [(r["read"], r["stored"], r["cursor"]) for r in json.loads(again.stdout)] == [(6, 1, "10")]
    assert query(db, f"SELECT {RUN_COLUMNS} FROM ci_runs ORDER BY run_id") == expected_runs()
    assert query(db, "SELECT count(*) FROM ci_jobs") == [(9,)]


def test_a_workflow_with_an_unknown_status_is_a_problem_naming_it(tmp_path):
    db = tmp_path / "w.duckdb"
    with serve(circleci_replay(workflow=with_status(7, "exploded"))) as replay:
        result = ingest(db, replay)
    assert result.returncode == 3, result.stderr
    assert f"circleci {SLUG} pipelines {run_id(7)}: unknown workflow status 'exploded'" in result.stderr
    assert query(db, "SELECT resource, record_id FROM source_problems") == [("pipelines", run_id(7))]
    assert query(db, "SELECT count(*) FROM ci_runs WHERE run_id = ?", [run_id(7)]) == [(0,)]
    assert query(db, "SELECT count(*) FROM ci_runs") == [(8,)]
    assert query(db, "SELECT cursor FROM source_cursors") == [("6",)]
    with serve(circleci_replay()) as replay:
        again = ingest(db, replay)
    assert again.returncode == 0, again.stderr
    assert query(db, f"SELECT {RUN_COLUMNS} FROM ci_runs ORDER BY run_id") == expected_runs()
    assert query(db, "SELECT count(*) FROM source_problems") == [(0,)]
    assert query(db, "SELECT cursor FROM source_cursors") == [("10",)]


def test_a_job_with_an_unknown_status_is_a_problem_and_holds_its_workflow(tmp_path):
    """The job of pipeline 9 is answered with a status CircleCI does not send: its workflow
    is not stored (its start would be uncertain) and is read again, with its job, next time."""
    db = tmp_path / "w.duckdb"
    job = f"circleci:{SLUG}:job:2ff3594e-9da1-4306-aefa-77b72a97971e"
    with serve(circleci_replay(job=with_status(9, "exploded"))) as replay:
        result = ingest(db, replay)
    assert result.returncode == 3, result.stderr
    assert f"circleci {SLUG} jobs {job}: unknown job status 'exploded'" in result.stderr
    assert query(db, "SELECT resource, record_id FROM source_problems") == [("jobs", job)]
    assert query(db, "SELECT count(*) FROM ci_runs WHERE run_id = ?", [run_id(9)]) == [(0,)]
    assert query(db, "SELECT count(*), count(*) FILTER (job_id = ?) FROM ci_jobs", [job]) == [(8, 0)]
    assert query(db, "SELECT cursor FROM source_cursors") == [("8",)]
    with serve(circleci_replay()) as replay:
        again = ingest(db, replay)
    assert again.returncode == 0, again.stderr
    assert query(db, f"SELECT {JOB_COLUMNS} FROM ci_jobs ORDER BY job_id") == expected_jobs()
    assert query(db, "SELECT count(*) FROM source_problems") == [(0,)]


def test_an_unknown_option_is_refused_with_its_name_before_any_request(tmp_path):
    project = tmp_path / "quarterdeck.yaml"
    with serve(circleci_replay()) as replay:
        entry = {"type": "circleci", "base_url": f"{replay.base_url}/api/v2", "projects": [SLUG], "branch": "main"}
        project.write_text(json.dumps({"sources": [entry]}))
        result = run_quarterdeck(
            "ingest", "all", "--project-file", str(project), "--db", str(tmp_path / "w.duckdb"), env=ENV
        )
    assert result.returncode == 2
    assert "unknown option 'branch' for a circleci source" in result.stderr
    assert replay.received == []


def test_a_project_that_is_no_slug_is_refused_naming_it(tmp_path):
    result = run_quarterdeck(
        "ingest", "circleci", "--project", "coldgust/coldgust.github.io", "--db", str(tmp_path / "w.duckdb"), env=ENV
    )
    assert result.returncode == 2
    assert "--project must be its slug, such as gh/our-org/api" in result.stderr
    assert "'coldgust/coldgust.github.io'" in result.stderr


def test_the_help_says_what_is_read_and_where_the_token_comes_from():
    result = run_quarterdeck("ingest", "circleci", "--help")
    assert result.returncode == 0
    for words in ("CIRCLECI_TOKEN", "Circle-Token", "--project", "--since", "first job", "Examples"):
        assert words in result.stdout
    listed = run_quarterdeck("ingest", "--help")
    assert "circleci" in listed.stdout


def test_a_refused_token_stops_the_run_naming_the_request_and_is_never_shown(tmp_path):
    """CircleCI's 401 does not echo the token; this one does (made up here), to show that the
    token, sent in a header no other source uses, is masked in every message all the same."""
    refused = circleci_replay()
    body = {"message": f"Invalid token provided: {TOKEN}"}
    refused.add(_status(PIPELINES, body, 401), first=True)
    db = tmp_path / "w.duckdb"
    with serve(refused) as replay:
        result = ingest(db, replay)
    assert result.returncode == 1
    assert "CircleCI: GET project/github/coldgust/coldgust.github.io/pipeline answered 401" in result.stderr
    assert "CIRCLECI_TOKEN must hold a CircleCI personal API token" in result.stderr
    assert TOKEN not in result.stdout + result.stderr and "***" in result.stderr
    assert query(db, "SELECT count(*) FROM ci_runs") == [(0,)]


def _status(request_path: str, body: dict, status: int) -> Exchange:
    return Exchange("GET", request_path, status, {"Content-Type": "application/json"}, json.dumps(body).encode())


def test_a_first_run_since_a_day_reads_the_pipelines_created_since_it(tmp_path):
    """All ten pipelines were created on 2023-03-25: from the 26th there is nothing to read,
    and no workflow is asked for; from the 25th, all of them."""
    db = tmp_path / "w.duckdb"
    with serve(circleci_replay()) as replay:
        later = ingest(db, replay, "--since", "2023-03-26")
        assert later.returncode == 0, later.stderr
        assert [p for _, p, _ in replay.received] == [PIPELINES]
        assert [(r["read"], r["cursor"]) for r in json.loads(later.stdout)] == [(0, None)]
        that_day = ingest(db, replay, "--since", "2023-03-25")
    assert [(r["read"], r["stored"], r["cursor"]) for r in json.loads(that_day.stdout)] == [(10, 9, "10")]


def test_a_pipeline_listing_that_goes_round_in_circles_stores_nothing(tmp_path):
    """The second page of pipelines names itself as the next one (made up: a server that
    repeats a token); without the check, the listing would never end."""
    looping = Replay(recorded_host=HOST)
    second = f"{PIPELINES}?page-token=made-up-token-1"
    looping.add(answer(PIPELINES, {"items": PIPELINE_ITEMS[:5], "next_page_token": "made-up-token-1"}))
    looping.add(answer(second, {"items": PIPELINE_ITEMS[5:], "next_page_token": "made-up-token-1"}))
    db = tmp_path / "w.duckdb"
    with serve(looping) as replay:
        result = ingest(db, replay)
    assert result.returncode == 1
    assert "went round in circles" in result.stderr and "page-token=made-up-token-1" in result.stderr
    assert [p for _, p, _ in replay.received] == [PIPELINES, second]
    assert query(db, "SELECT count(*) FROM ci_runs") == [(0,)]
    assert query(db, "SELECT count(*) FROM source_cursors") == [(0,)]


def test_the_repository_is_the_path_of_the_one_the_pipeline_built_else_the_slug_s():
    from quarterdeck.sources.circleci.api import repository_of, short_slug

    bitbucket = {"vcs": {"target_repository_url": "https://bitbucket.org/our-team/app.git"}}
    assert repository_of("bb/our-team/app", bitbucket) == "our-team/app"
    assert repository_of("gh/our-org/api", {"vcs": {}}) == "our-org/api"
    assert repository_of("circleci/1f2e/9a8b", {}) == "1f2e/9a8b"
    assert [short_slug(s) for s in ("github/a/b", "bitbucket/a/b", "gh/a/b", "circleci/x/y")] == [
        "gh/a/b", "bb/a/b", "gh/a/b", "circleci/x/y"
    ]  # fmt: skip
