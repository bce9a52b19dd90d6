"""`quarterdeck ingest github` against a real server on 127.0.0.1 replaying the pull requests
and reviews that GitHub returned for panjf2000/ants (recorded by Apache DevLake; the two rows
its maintainers edited are left out, as the fixtures' README says). Expected values are read
from the recordings with Python's own csv and json, independently of the connector."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.replay import FIXTURES, Exchange, Replay, serve
from tests.warehouse_rows import query

DEVLAKE = FIXTURES / "github" / "apache__incubator-devlake"
REPO = "panjf2000/ants"
LIST = f"/repos/{REPO}/pulls?state=all&sort=updated&direction=desc&per_page=100"
EDITED_ROWS = {"9", "246"}  # PR #4 with its title repeated by DevLake's maintainers
RUNS = f"/repos/{REPO}/actions/runs?per_page=100"


def recorded(name: str) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with (DEVLAKE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


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


def answer(path: str, body: object, headers: dict[str, str] | None = None, status: int = 200) -> Exchange:
    return Exchange(
        "GET", path, status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(body).encode()
    )


def github_replay() -> Replay:
    """The listing in two pages (30, then the rest) with GitHub's Link header, and each pull
    request's reviews (an empty list for those with none recorded)."""
    pulls, by_number = pull_items(), review_items()
    replay = Replay()
    second = (
        "https://api.github.com/repositories/120307373/pulls?state=all&sort=updated&direction=desc&per_page=100&page=2"
    )
    replay.add(answer(LIST, pulls[:30], {"Link": f'<{second}>; rel="next"'}))
    replay.add(answer(second.removeprefix("https://api.github.com"), pulls[30:]))
    for pull in pulls:
        replay.add(
            answer(f"/repos/{REPO}/pulls/{pull['number']}/reviews?per_page=100", by_number.get(pull["number"], []))
        )
    runs = run_items()
    replay.add(answer(RUNS, {"total_count": len(runs), "workflow_runs": runs}))
    oldest_unfinished = min(r["created_at"] for r in runs if r["status"] != "completed")
    since = f"{RUNS}&created=%3E%3D{oldest_unfinished.replace(':', '%3A')}"
    replay.add(
        answer(since, {"total_count": 0, "workflow_runs": [r for r in runs if r["created_at"] >= oldest_unfinished]})
    )
    return replay


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
    assert json.loads(result.stdout)[0]["read"] == len(pulls) == 48
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
    # the first page, stopping after the pull request updated at the cursor, and its reviews; then
    # the runs created since the oldest one still unfinished
    assert [path for _, path, _ in replay.received] == [
        LIST,
        f"/repos/{REPO}/pulls/{newest['number']}/reviews?per_page=100",
        f"{RUNS}&created=%3E%3D2022-06-25T05%3A02%3A56Z",
    ]
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
    assert query(db, "SELECT count(*) FROM source_cursors") == [(0,)]
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
    report = json.loads(result.stdout)[1]
    assert report["resource"] == "workflow_runs"
    assert (report["read"], report["stored"]) == (len(runs), len(finished)) == (20, 18)
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
