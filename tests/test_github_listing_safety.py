"""`quarterdeck ingest github` when GitHub's answers go wrong, against a real server on
127.0.0.1 replaying panjf2000/ants as recorded (see test_github_ingest), with faulty answers
put in front: a pull request listing that repeats a page, loops back through its Link
header or gives a page of pull requests already read; a body cut off; an answer of the wrong
shape; a resource refused; a token echoed back. A resource that fails stores nothing and
keeps its cursor, is named with exit status 1, and the repository's other resources are
stored; a clean run afterwards stores everything."""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.github_cassettes import answer, releases_path, reviews_path, runs_path
from tests.replay import Exchange, Replay, serve
from tests.test_github_ingest import LIST, REPO, ants, ingest, pull_items, report
from tests.warehouse_rows import query

COUNT = 137
SECOND = LIST + "&page=2"
PULL_RESOURCES = ("pull_requests", "pr_commits", "pr_events")
CURSORS = "SELECT resource FROM source_cursors WHERE scope = ? ORDER BY 1"


def many_pulls() -> list[dict]:
    """137 pull requests, newest update first: the 48 recorded ones again and again, each
    copy with its own number, id and update time (one hour apart)."""
    recorded = pull_items()
    pulls = []
    for i in range(COUNT):
        pull = copy.deepcopy(recorded[i % len(recorded)])
        updated = datetime(2022, 9, 30, tzinfo=UTC) - timedelta(hours=i)
        pull.update(number=1000 + i, id=900_000 + i, updated_at=updated.strftime("%Y-%m-%dT%H:%M:%SZ"))
        pulls.append(pull)
    return pulls


def replay_with(second_page: list[dict], second_link: str | None = None) -> Replay:
    """ants as recorded but with 137 pull requests listed in two pages: the first 100 with a
    Link to the second, which answers ``second_page`` (with ``second_link`` as its Link)."""
    pulls = many_pulls()
    replay = Replay()
    replay.add(answer(LIST, pulls[:100], {"Link": f'<https://api.github.com{SECOND}>; rel="next"'}))
    replay.add(answer(SECOND, second_page, {"Link": second_link} if second_link else None))
    return dataclasses.replace(ants(), pulls=pulls).add_to(replay, listings=("comments", "issues"))


def clean_replay() -> Replay:
    return replay_with(many_pulls()[100:])


FAULTS = {
    "page 2 repeats page 1": (lambda p: replay_with(p[:100]), "page 2 repeats page 1 of this listing"),
    "page 2 links back to page 1": (
        lambda p: replay_with(p[100:], f'<https://api.github.com{LIST}>; rel="next"'),
        "the next page it names is page 1 of this listing again (page 2 links back to it)",
    ),
    "page 2 holds pull requests of page 1": (
        lambda p: replay_with(list(reversed(p[:37]))),
        "every item of page 2 was read already on an earlier page of this listing",
    ),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_pull_request_listing_that_goes_round_in_circles_fails_alone_and_a_clean_run_stores_all(tmp_path, fault):
    make, why = FAULTS[fault]
    pulls = many_pulls()
    db = tmp_path / "w.duckdb"
    with serve(make(pulls)) as replay:
        failed = ingest(db, replay)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr, failed.stderr
    assert (
        f"error: github {REPO} pull_requests, pr_commits, pr_events: GitHub: the listing GET repos/{REPO}/pulls "
        f"went round in circles at GET " in failed.stderr
    )
    assert f"{why}; nothing of it was stored this run and its cursor stays" in failed.stderr
    assert query(db, "SELECT count(*) FROM pull_requests") == [(0,)]
    assert [r for (r,) in query(db, CURSORS, [REPO])] == ["ci_jobs", "issues", "pr_comments", "workflow_runs"]
    assert query(db, "SELECT count(*) FROM issues") == [(26,)]  # the repository's other resources are stored
    assert all(report(failed, r)["failed"] and report(failed, r)["stored"] == 0 for r in PULL_RESOURCES)
    assert not report(failed, "issues")["failed"]
    with serve(clean_replay()) as replay:
        again = ingest(db, replay)
    assert again.returncode == 0, again.stderr
    assert query(db, "SELECT count(*), count(DISTINCT number), min(number), max(number) FROM pull_requests") == [
        (COUNT, COUNT, 1000, 1000 + COUNT - 1)
    ]
    assert query(db, "SELECT cursor FROM source_cursors WHERE resource = 'pull_requests'") == [
        (pulls[0]["updated_at"].replace("Z", "+00:00"),)
    ]


def test_a_refused_resource_fails_alone_and_the_others_of_the_repository_are_stored(tmp_path):
    """The reviews of one pull request are refused (a token without that permission): the
    pull requests, read with their reviews, fail; comments, issues and runs are stored."""
    number = pull_items()[5]["number"]
    refused = {"message": "Resource not accessible by personal access token"}
    broken = ants().add_to(Replay())
    broken.add(answer(reviews_path(REPO, number), refused, status=403), first=True)
    db = tmp_path / "w.duckdb"
    with serve(broken) as replay:
        failed = ingest(db, replay)
    assert failed.returncode == 1, failed.stderr
    assert (
        f"error: github {REPO} pull_requests, pr_commits, pr_events: GitHub: GET repos/{REPO}/pulls/{number}/reviews "
        f'answered 403 Forbidden ("{refused["message"]}")' in failed.stderr
    )
    assert query(db, "SELECT count(*) FROM pull_requests") == [(0,)]
    assert query(db, "SELECT (SELECT count(*) FROM issues), (SELECT count(*) FROM pr_comments), "
                 "(SELECT count(*) FROM ci_runs)") == [(26, 16, 18)]  # fmt: skip
    assert [r for (r,) in query(db, CURSORS, [REPO])] == ["ci_jobs", "issues", "pr_comments", "workflow_runs"]


SHAPES = {
    "a list where the envelope belongs": (
        [{"id": 1, "status": "completed"}],
        "a JSON list where a JSON object was expected",
    ),
    "an object where the runs belong": (
        {"total_count": 1, "workflow_runs": {"id": 1}},
        "a JSON object in 'workflow_runs' where a JSON list was expected",
    ),
    "numbers where runs belong": (
        {"total_count": 2, "workflow_runs": [1, 2]},
        "a list in 'workflow_runs' holding a JSON number where JSON objects were expected",
    ),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_actions_runs_of_an_unexpected_shape_name_the_source_the_url_and_what_was_expected(tmp_path, shape):
    body, expected = SHAPES[shape]
    broken = ants().add_to(Replay())
    broken.add(answer(runs_path(REPO), body), first=True)
    db = tmp_path / "w.duckdb"
    with serve(broken) as replay:
        failed = ingest(db, replay)
        url = f"{replay.base_url}{runs_path(REPO)}"
    assert failed.returncode == 1 and "Traceback" not in failed.stderr, failed.stderr
    assert (
        failed.stderr.splitlines()[0]
        == f"error: github {REPO} workflow_runs, ci_jobs: GitHub: GET {url} answered {expected}"
    )
    assert query(db, "SELECT (SELECT count(*) FROM pull_requests), (SELECT count(*) FROM ci_runs)") == [(48, 0)]


def test_a_releases_page_cut_off_in_transit_is_read_again(tmp_path):
    """The releases answer stops half-way through its JSON (the connection closed): it is
    asked for again, and the whole answer is stored."""
    release = {"id": 1, "tag_name": "v2.4.0", "name": "v2.4.0", "draft": False, "prerelease": False,
               "created_at": "2022-08-01T10:00:00Z", "published_at": "2022-08-01T12:00:00Z",
               "target_commitish": "master", "author": {"login": "panjf2000"}}  # fmt: skip
    body = json.dumps([release]).encode()
    repository = dataclasses.replace(ants(), releases=[release])
    broken = repository.add_to(Replay())
    cut = Exchange("GET", releases_path(REPO), 200, {"Content-Type": "application/json"}, body[: len(body) // 2])
    broken.add(cut, first=True)
    db = tmp_path / "w.duckdb"
    with serve(broken) as replay:
        result = ingest(db, replay)
    assert result.returncode == 0, result.stderr
    assert "note: GitHub: the answer was cut off" in result.stderr and "retrying in 1 s" in result.stderr
    assert [p for _, p, _ in replay.received].count(releases_path(REPO)) == 2
    assert query(db, "SELECT tag FROM releases") == [("v2.4.0",)]


def test_a_token_echoed_back_by_the_server_is_masked_in_every_message(tmp_path):
    # 403: refused for these resources alone, so each one's message is printed (a 401 would stop
    # the source at the first)
    echoed = {"message": "Resource not accessible: the token test-token-123 lacks a permission"}
    broken = ants().add_to(Replay())
    broken.add(answer(LIST, echoed, status=403), first=True)
    broken.add(answer(runs_path(REPO), echoed, status=403), first=True)
    db = tmp_path / "w.duckdb"
    with serve(broken) as replay:
        failed = ingest(db, replay)
    assert failed.returncode == 1
    assert "test-token-123" not in failed.stdout + failed.stderr
    assert failed.stderr.count('("Resource not accessible: the token *** lacks a permission")') == 2
