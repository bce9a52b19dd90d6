"""`quarterdeck ingest github` against a real server on 127.0.0.1 replaying what GitHub returned
for panjf2000/ants: pull requests, reviews, commits, events, review comments, issues, runs and
jobs (recorded by Apache DevLake; the rows its maintainers edited, cloned or repeated are left
out, as the fixtures' README says). Expected values are read from the recordings with
Python's own csv and json, independently of the connector."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.github_cassettes import (
    RecordedRepository,
    answer,
    comments_path,
    commits_path,
    deployments_path,
    devlake_items,
    devlake_rows,
    events_path,
    issues_path,
    releases_path,
    reviews_path,
)
from tests.replay import Replay, serve
from tests.warehouse_rows import query

REPO = "panjf2000/ants"
LIST = f"/repos/{REPO}/pulls?state=all&sort=updated&direction=desc&per_page=100"
EDITED_ROWS = {"9", "246"}  # PR #4 with its title repeated by DevLake's maintainers
RUNS = f"/repos/{REPO}/actions/runs?per_page=100"


def recorded(name: str) -> list[dict[str, str]]:
    return devlake_rows(name)


def pull_items() -> list[dict]:
    items = [json.loads(r["data"]) for r in recorded("_raw_github_api_pull_requests.csv") if r["id"] not in EDITED_ROWS]
    return sorted(items, key=lambda p: (p["updated_at"], p["number"]), reverse=True)


def run_items() -> list[dict]:
    """The recorded Actions runs, without rows 30-44 (DevLake's clones for enum coverage)."""
    rows = recorded("_raw_github_api_runs.csv")
    return [json.loads(r["data"]) for r in rows if not 30 <= int(r["id"]) <= 44]


def review_items() -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    for row in recorded("_raw_github_api_pull_request_reviews.csv"):
        found.setdefault(json.loads(row["input"])["Number"], []).append(json.loads(row["data"]))
    return found


def commit_items() -> dict[int, list[dict]]:
    """The recorded commits of each pull request (row 10 repeats row 9)."""
    found: dict[int, list[dict]] = {}
    for row in recorded("_raw_github_api_pull_request_commits.csv"):
        if row["id"] != "10":
            found.setdefault(json.loads(row["input"])["Number"], []).append(json.loads(row["data"]))
    return found


def event_items() -> dict[int, list[dict]]:
    """The recorded repository-wide issue events, by issue number (row 100 repeats row 1)."""
    found: dict[int, list[dict]] = {}
    for event in devlake_items("_raw_github_api_events.csv", {"100"}):
        found.setdefault(event["issue"]["number"], []).append(event)
    return found


def ants() -> RecordedRepository:
    """panjf2000/ants as DevLake recorded it: pull requests with their reviews, commits and
    events, review comments, issues (row 10 repeats row 9) and Actions runs. Nothing was
    recorded for the runs' jobs, deployments and releases: those answer empty lists."""
    return RecordedRepository(
        REPO,
        pulls=pull_items(),
        reviews=review_items(),
        commits=commit_items(),
        events=event_items(),
        comments=devlake_items("_raw_github_api_pull_request_review_comments.csv"),
        issues=devlake_items("_raw_github_api_issues.csv", {"10"}),
        runs=run_items(),
    )


def github_replay() -> Replay:
    """The pull request listing in two pages (30, then the rest) with GitHub's Link header,
    and every other endpoint as recorded (see ``ants``)."""
    pulls = pull_items()
    replay = Replay()
    second = (
        "https://api.github.com/repositories/120307373/pulls?state=all&sort=updated&direction=desc&per_page=100&page=2"
    )
    replay.add(answer(LIST, pulls[:30], {"Link": f'<{second}>; rel="next"'}))
    replay.add(answer(second.removeprefix("https://api.github.com"), pulls[30:]))
    return ants().add_to(replay, listings=("comments", "issues"))


def report(result: object, resource: str) -> dict:
    return next(r for r in json.loads(result.stdout) if r["resource"] == resource)


def ingest(db: Path, replay: Replay) -> object:
    return run_quarterdeck(
        "ingest", "github", "--repo", REPO, "--base-url", replay.base_url, "--db", str(db), "--format", "json",
        env={"GITHUB_TOKEN": "test-token-123"},
    )  # fmt: skip


def test_pull_requests_and_reviews_are_stored_as_github_returned_them(tmp_path):
    pulls, by_number = pull_items(), review_items()
    db = tmp_path / "w.duckdb"
    with serve(github_replay()) as replay:
        result = ingest(db, replay)
    assert result.returncode == 0, result.stderr
    assert report(result, "pull_requests")["read"] == len(pulls) == 48
    assert query(
        db, "SELECT count(*), count(merged_at), count(*) FILTER (WHERE state = 'open') FROM pull_requests"
    ) == [(48, sum(p["merged_at"] is not None for p in pulls), sum(p["state"] == "open" for p in pulls))]
    first = pulls[0]
    assert query(
        db, "SELECT title, author_login, head_sha, base_ref FROM pull_requests WHERE number = ?", [first["number"]]
    ) == [(first["title"], first["user"]["login"], first["head"]["sha"], first["base"]["ref"])]
    ids = {r["id"] for reviews in by_number.values() for r in reviews}
    assert len(ids) == 30  # 31 rows: two of them are the same review, recorded twice
    assert query(db, "SELECT count(*), count(DISTINCT number) FROM pr_reviews") == [(30, 3)]
    assert query(db, "SELECT cursor FROM source_cursors WHERE scope = ? AND resource = 'pull_requests'", [REPO]) == [
        (first["updated_at"].replace("Z", "+00:00"),)
    ]
    assert "test-token-123" not in result.stdout + result.stderr
    assert all(h["authorization"] == "Bearer test-token-123" for _, _, h in replay.received)


def test_a_second_run_reads_only_what_changed(tmp_path):
    db = tmp_path / "w.duckdb"
    with serve(github_replay()) as replay:
        assert ingest(db, replay).returncode == 0
        before = query(db, "SELECT * FROM pull_requests ORDER BY number")
        replay.received.clear()
        again = ingest(db, replay)
    assert again.returncode == 0, again.stderr
    newest = pull_items()[0]
    repository = ants()
    latest_comment = max(c["updated_at"] for c in repository.comments)
    latest_issue = max(i["updated_at"] for i in repository.issues)
    # one request per endpoint: the first page, stopping after the pull request updated at the
    # cursor, and its reviews, commits and events; the comments and issues updated since the
    # latest stored; the runs created since the oldest one still unfinished (no jobs: no run
    # newly finished); the first page of deployments and of releases (both empty)
    assert [path for _, path, _ in replay.received] == [
        LIST,
        reviews_path(REPO, newest["number"]),
        commits_path(REPO, newest["number"]),
        events_path(REPO, newest["number"]),
        comments_path(REPO, latest_comment),
        issues_path(REPO, latest_issue),
        f"{RUNS}&created=%3E%3D2022-06-25T05%3A02%3A56Z",
        deployments_path(REPO),
        releases_path(REPO),
    ]
    assert latest_comment == "2019-08-20T10:31:55Z" and latest_issue == "2019-10-17T03:12:19Z"
    assert query(db, "SELECT count(*) FROM ci_runs") == [(18,)]
    assert query(db, "SELECT * EXCLUDE (loaded_at) FROM pull_requests ORDER BY number") == [r[:-1] for r in before]


def test_an_interrupted_run_stores_nothing_and_the_next_one_completes(tmp_path):
    db = tmp_path / "w.duckdb"
    broken = github_replay()
    number = pull_items()[40]["number"]
    broken.add(
        answer(f"/repos/{REPO}/pulls/{number}/reviews?per_page=100", {"message": "Bad credentials"}, status=401),
        first=True,
    )
    with serve(broken) as replay:
        failed = ingest(db, replay)
    assert failed.returncode == 1
    assert (
        f'GitHub: GET repos/{REPO}/pulls/{number}/reviews answered 401 Unauthorized ("Bad credentials")'
        in failed.stderr
    )
    assert "GITHUB_TOKEN needs read access" in failed.stderr and "test-token-123" not in failed.stderr
    assert query(db, "SELECT count(*) FROM pull_requests") == [(0,)]
    assert query(db, "SELECT count(*) FROM source_cursors WHERE resource IN ('pull_requests', 'pr_commits', "
                 "'pr_events')") == [(0,)]  # fmt: skip
    with serve(github_replay()) as replay:
        assert ingest(db, replay).returncode == 0
    assert query(db, "SELECT count(*) FROM pull_requests") == [(48,)]


def test_a_rate_limit_during_the_listing_is_waited_out(tmp_path):
    db = tmp_path / "w.duckdb"
    limited = github_replay()
    second = "/repositories/120307373/pulls?state=all&sort=updated&direction=desc&per_page=100&page=2"
    limited.add(answer(second, {"message": "API rate limit exceeded"}, {"Retry-After": "1"}, status=429), first=True)
    with serve(limited) as replay:
        result = ingest(db, replay)
    assert result.returncode == 0, result.stderr
    assert "rate limited; waiting 1 s as the API asks" in result.stderr
    assert query(db, "SELECT count(*) FROM pull_requests") == [(48,)]


@pytest.mark.parametrize("bad", ["ants", "a/b/c", "owner/"])
def test_a_repository_must_be_owner_slash_name(bad):
    result = run_quarterdeck("ingest", "github", "--repo", bad)
    assert result.returncode == 2 and "--repo must be OWNER/NAME" in result.stderr


def test_finished_actions_runs_become_ci_runs(tmp_path):
    runs = run_items()
    finished = [r for r in runs if r["status"] == "completed"]
    db = tmp_path / "w.duckdb"
    with serve(github_replay()) as replay:
        result = ingest(db, replay)
    assert result.returncode == 0, result.stderr
    runs_report = report(result, "workflow_runs")
    assert (runs_report["read"], runs_report["stored"]) == (len(runs), len(finished)) == (20, 18)
    first = runs[0]  # CodeQL, scheduled, 2022-09-03 05:15:09 -> 05:16:16
    assert query(
        db,
        "SELECT repository, workflow, commit_sha, epoch(started_at) - epoch(queued_at), "
        "epoch(finished_at) - epoch(started_at), result FROM ci_runs WHERE run_id = ?",
        [f"github:{REPO}:{first['id']}"],
    ) == [("ants", "CodeQL", first["head_sha"], 0.0, 67.0, "success")]
    failed = sum(r["conclusion"] == "failure" for r in finished)
    assert query(db, "SELECT count(*) FILTER (WHERE result = 'failure') FROM ci_runs") == [(failed,)]
    assert query(db, "SELECT cursor FROM source_cursors WHERE resource = 'workflow_runs'") == [
        ("2022-06-25T05:02:56Z",)
    ]


def test_commits_timeline_events_and_review_comments_of_pull_requests(tmp_path):
    numbers = {p["number"] for p in pull_items()}
    commits = {(n, c["sha"]) for n, items in commit_items().items() if n in numbers for c in items}
    events = [e for n, items in event_items().items() if n in numbers for e in items]
    comments = devlake_items("_raw_github_api_pull_request_review_comments.csv")
    db = tmp_path / "w.duckdb"
    with serve(github_replay()) as replay:
        result = ingest(db, replay)
    assert result.returncode == 0, result.stderr
    assert (len(commits), len(events), len(comments)) == (89, 10, 16)
    assert query(db, "SELECT count(*), count(DISTINCT number) FROM pr_commits") == [(89, len({n for n, _ in commits}))]
    item = commit_items()[211][0]
    author = item["commit"]["author"]
    assert query(
        db,
        "SELECT author_login, author_email, strftime(authored_at, '%Y-%m-%dT%H:%M:%SZ') FROM pr_commits "
        "WHERE number = 211 AND sha = ?",
        [item["sha"]],
    ) == [(item["author"]["login"], author["email"].lower(), author["date"])]
    counted = {name: sum(e["event"] == name for e in events) for name in {e["event"] for e in events}}
    assert dict(query(db, "SELECT event, count(*) FROM pr_events GROUP BY ALL")) == counted
    assert counted == {"head_ref_force_pushed": 6, "ready_for_review": 1, "closed": 1, "subscribed": 1, "mentioned": 1}
    ready = next(e for e in events if e["event"] == "ready_for_review")
    assert query(
        db,
        "SELECT number, actor_login, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') FROM pr_events "
        "WHERE event = 'ready_for_review'",
    ) == [(211, ready["actor"]["login"], "2022-02-07T21:31:56Z")]
    assert query(db, "SELECT number, count(*), count(DISTINCT review_id) FROM pr_comments GROUP BY ALL ORDER BY 1") == [
        (36, 2, 1), (40, 8, 6), (41, 6, 2)
    ]  # fmt: skip
    rows = {r["resource"]: (r["read"], r["stored"]) for r in json.loads(result.stdout)}
    assert rows["pr_commits"] == (89, 89) and rows["pr_events"] == (10, 10) and rows["pr_comments"] == (16, 16)


def test_issues_without_the_pull_requests_github_lists_among_them(tmp_path):
    items = devlake_items("_raw_github_api_issues.csv", {"10"})
    issues = [i for i in items if "pull_request" not in i]
    db = tmp_path / "w.duckdb"
    with serve(github_replay()) as replay:
        result = ingest(db, replay)
    assert result.returncode == 0, result.stderr
    assert (len(items), len(issues)) == (41, 26)
    bugs = sorted(f"{REPO}#{i['number']}" for i in issues if any(x["name"] == "bug" for x in i["labels"]))
    assert bugs == [f"{REPO}#6", f"{REPO}#7"]
    assert query(db, "SELECT issue_id FROM issues WHERE is_bug ORDER BY 1") == [(b,) for b in bugs]
    assert query(db, "SELECT count(*), count(*) FILTER (WHERE status = 'closed' AND status_category = 'done') "
                 "FROM issues") == [(26, 26)]  # fmt: skip
    assert query(
        db,
        "SELECT strftime(resolved_at, '%Y-%m-%dT%H:%M:%SZ'), reporter FROM issues WHERE issue_id = ?",
        [f"{REPO}#12"],
    ) == [("2018-09-28T06:05:58Z", next(i["user"]["login"] for i in issues if i["number"] == 12))]


def recorded_jobs() -> dict[int, list[dict]]:
    """The recorded jobs by run (rows 1-20; rows 21-35 are DevLake's clones)."""
    found: dict[int, list[dict]] = {}
    for row in recorded("_raw_github_api_jobs.csv"):
        if int(row["id"]) <= 20:
            job = json.loads(row["data"])
            found.setdefault(job["run_id"], []).append(job)
    return found


def test_the_jobs_of_newly_finished_runs_become_ci_jobs(tmp_path):
    """The jobs were recorded for ten 2021 runs whose run items were not: the listing gives
    each of those runs as a finished run built from its jobs' recorded times and commit (the
    rest of the run item copied from a recorded run). The jobs are as recorded."""
    jobs, template = recorded_jobs(), run_items()[0]
    runs = [
        dict(template, id=run_id, head_sha=items[0]["head_sha"], status="completed", conclusion="success",
             created_at=min(j["started_at"] for j in items), run_started_at=min(j["started_at"] for j in items),
             updated_at=max(j["completed_at"] for j in items))
        for run_id, items in sorted(jobs.items(), key=lambda kv: min(j["started_at"] for j in kv[1]), reverse=True)
    ]  # fmt: skip
    repository = RecordedRepository(REPO, runs=runs, jobs=jobs)
    completed = [j for items in jobs.values() for j in items if j["status"] == "completed"]
    db = tmp_path / "w.duckdb"
    with serve(repository.add_to(Replay())) as replay:
        result = ingest(db, replay)
        assert result.returncode == 0, result.stderr
        replay.received.clear()
        assert ingest(db, replay).returncode == 0
    assert (report(result, "ci_jobs")["read"], report(result, "ci_jobs")["stored"]) == (20, len(completed)) == (20, 18)
    assert not [path for _, path, _ in replay.received if path.endswith("/jobs?per_page=100")]  # none newly finished
    by_result = {}
    for job in completed:
        by_result[job["conclusion"]] = by_result.get(job["conclusion"], 0) + 1
    assert dict(query(db, "SELECT result, count(*) FROM ci_jobs GROUP BY ALL")) == by_result
    assert query(
        db, "SELECT run_id, name, queued_at, epoch(finished_at) - epoch(started_at), runner FROM ci_jobs "
        "WHERE job_id = ?", [f"github:{REPO}:job:1924918168"],
    ) == [(f"github:{REPO}:577324558", "Golangci-Lint", None, 20.0, None)]  # fmt: skip
    assert query(db, "SELECT count(*) FROM ci_jobs j JOIN ci_runs r USING (run_id)") == [(18,)]


PULL_TABLES = ("pull_requests", "pr_reviews", "pr_commits", "pr_events")


def test_parallel_requests_store_exactly_what_one_at_a_time_stores(tmp_path):
    serial, parallel = tmp_path / "serial.duckdb", tmp_path / "parallel.duckdb"
    with serve(github_replay()) as replay:
        assert ingest(serial, replay).returncode == 0
        (tmp_path / "quarterdeck.yaml").write_text(
            f"sources:\n  - type: github\n    base_url: {replay.base_url}\n    repositories: [{REPO}]\n"
            "    parallel_requests: 4\n"
        )
        result = run_quarterdeck(
            "ingest", "all", "--db", str(parallel), "--format", "json", cwd=tmp_path, env={"GITHUB_TOKEN": "t-1"}
        )
    assert result.returncode == 0, result.stderr
    for table in PULL_TABLES:
        sql = f"SELECT * EXCLUDE (loaded_at) FROM {table} ORDER BY ALL"
        assert query(parallel, sql) == query(serial, sql), table
    assert query(parallel, "SELECT count(*) FROM pr_commits")[0][0] > 0


def test_parallel_requests_must_be_a_small_whole_number(tmp_path):
    (tmp_path / "quarterdeck.yaml").write_text(
        f"sources:\n  - type: github\n    repositories: [{REPO}]\n    parallel_requests: 100\n"
    )
    result = run_quarterdeck("ingest", "all", "--db", str(tmp_path / "w.duckdb"), cwd=tmp_path)
    assert result.returncode == 2 and "'parallel_requests' must be a whole number from 1 to 16" in result.stderr
