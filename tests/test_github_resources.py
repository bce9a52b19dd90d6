"""`quarterdeck ingest github` reading issues, deployments and releases, against a real server on
127.0.0.1 replaying what GitHub answered to github3.py's Betamax cassettes (bodies as received,
un-gzipped; headers such as Link kept). Expected values are computed here from the cassettes
with json, or by hand, never with the connector's code."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_quarterdeck
from tests.github_cassettes import (
    RecordedRepository,
    answer,
    cassette,
    comments_path,
    deployments_path,
    issues_path,
    pulls_path,
    releases_path,
    runs_path,
    statuses_path,
)
from tests.replay import Exchange, Replay, serve
from tests.warehouse_rows import query

BETAMAX_REPO = "betamaxpy/betamax"
PAGE_TWO = "/repositories/11439734/issues?state=all&per_page=100&page=2"
GITHUB3 = "sigmavirus24/github3.py"


def ingest(db: Path, replay: Replay, repo: str, *more: str) -> object:
    return run_quarterdeck(
        "ingest", "github", "--repo", repo, "--base-url", replay.base_url, "--db", str(db), "--format", "json", *more,
        env={"GITHUB_TOKEN": "test-token-456"},
    )  # fmt: skip


def report(result: object, resource: str) -> dict:
    return next(r for r in json.loads(result.stdout) if r["resource"] == resource)


# -- issues: betamaxpy/betamax, two pages with Link headers ------------------------------------


def issue_pages() -> tuple[list[dict], list[dict]]:
    recorded = cassette("Repository_issues_state_all")
    return recorded[2].json(), recorded[3].json()


def issues_replay(first_page: list[dict] | None = None) -> Replay:
    """Both recorded pages (the first one possibly edited by a test), the other endpoints empty."""
    recorded = cassette("Repository_issues_state_all")
    replay = Replay()
    page_one = recorded[2].exchange(issues_path(BETAMAX_REPO))
    if first_page is not None:
        page_one.body = json.dumps(first_page).encode()
    replay.add(page_one)
    replay.add(recorded[3].exchange(PAGE_TWO))
    return RecordedRepository(BETAMAX_REPO).add_to(replay, listings=("pulls", "comments"))


def test_issues_are_read_over_both_pages_without_the_pull_requests(tmp_path):
    items = [*issue_pages()[0], *issue_pages()[1]]
    issues = [i for i in items if "pull_request" not in i]
    assert (len(items), len(issues)) == (150, 83)
    db = tmp_path / "w.duckdb"
    with serve(issues_replay()) as replay:
        result = ingest(db, replay, BETAMAX_REPO)
    assert result.returncode == 0, result.stderr
    assert [p for _, p, _ in replay.received if "/issues" in p] == [issues_path(BETAMAX_REPO), PAGE_TWO]
    assert (report(result, "issues")["read"], report(result, "issues")["stored"]) == (83, 83)
    bugs = sum(any(label["name"].lower() == "bug" for label in i["labels"]) for i in issues)
    assert query(
        db,
        "SELECT count(*), count(*) FILTER (WHERE is_bug), count(*) FILTER (WHERE status_category = 'done'), "
        "count(resolved_at), count(assignee) FROM issues",
    ) == [(83, bugs, 70, sum(i["closed_at"] is not None for i in issues), 6)]
    first = issues[0]
    assert query(
        db, "SELECT issue_key, project, title, reporter, labels, status FROM issues WHERE issue_id = ?",
        [f"{BETAMAX_REPO}#{first['number']}"],
    ) == [(f"{BETAMAX_REPO}#{first['number']}", BETAMAX_REPO, first["title"], first["user"]["login"],
           [label["name"] for label in first["labels"]], first["state"])]  # fmt: skip
    latest = max(i["updated_at"] for i in items)  # pull requests included: they were read too
    assert query(db, "SELECT cursor FROM source_cursors WHERE resource = 'issues'") == [
        (latest.replace("Z", "+00:00"),)
    ]
    assert "test-token-456" not in result.stdout + result.stderr


def test_bug_labels_come_from_the_project_file(tmp_path):
    issues = [i for page in issue_pages() for i in page if "pull_request" not in i]
    docs = sum(any(label["name"] == "Docs" for label in i["labels"]) for i in issues)
    db, project = tmp_path / "w.duckdb", tmp_path / "quarterdeck.yaml"
    with serve(issues_replay()) as replay:
        project.write_text(
            f"sources:\n  - type: github\n    base_url: {replay.base_url}\n    repositories: [{BETAMAX_REPO}]\n"
            "    bug_labels: [docs]\n",
            encoding="utf-8",
        )
        result = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT count(*) FILTER (WHERE is_bug) FROM issues") == [(docs,)] and docs == 5


def test_an_issue_without_a_creation_time_is_reported_and_the_others_stored(tmp_path):
    broken = [dict(i) for i in issue_pages()[0]]
    victim = next(i for i in broken if "pull_request" not in i and i["updated_at"] < "2017-01-01")
    del victim["created_at"]
    db = tmp_path / "w.duckdb"
    with serve(issues_replay(broken)) as replay:
        result = ingest(db, replay, BETAMAX_REPO)
    assert result.returncode == 3, result.stderr
    record = f"{BETAMAX_REPO}#{victim['number']}"
    assert f"skipped: github {BETAMAX_REPO} issues {record}: missing field 'created_at'" in result.stderr
    assert query(db, "SELECT count(*), count(*) FILTER (WHERE issue_id = ?) FROM issues", [record]) == [(82, 0)]
    assert query(db, "SELECT record_id FROM source_problems WHERE resource = 'issues'") == [(record,)]
    assert query(db, "SELECT cursor FROM source_cursors WHERE resource = 'issues'") == [
        (victim["updated_at"].replace("Z", "+00:00"),)
    ]


def test_a_rate_limit_then_a_502_on_the_issues_are_waited_out_and_retried(tmp_path):
    limited = issues_replay()
    limited.add(answer(PAGE_TWO, {"message": "Server Error"}, status=502), first=True)
    limited.add(answer(PAGE_TWO, {"message": "API rate limit exceeded"}, {"Retry-After": "1"}, status=429), first=True)
    db = tmp_path / "w.duckdb"
    with serve(limited) as replay:
        result = ingest(db, replay, BETAMAX_REPO)
    assert result.returncode == 0, result.stderr
    assert "rate limited; waiting 1 s as the API asks" in result.stderr and "502 Bad Gateway" in result.stderr
    assert [p for _, p, _ in replay.received if "/issues" in p] == [issues_path(BETAMAX_REPO), *[PAGE_TWO] * 3]
    assert query(db, "SELECT count(*) FROM issues") == [(83,)]


def test_issues_stopped_half_way_store_nothing_and_the_next_run_completes(tmp_path):
    broken = issues_replay()
    broken.add(answer(PAGE_TWO, {"message": "Not Found"}, status=404), first=True)
    db = tmp_path / "w.duckdb"
    with serve(broken) as replay:
        failed = ingest(db, replay, BETAMAX_REPO)
        assert failed.returncode == 1
        assert "GET /repositories/11439734/issues" in failed.stderr or "repositories/11439734" in failed.stderr
        assert query(db, "SELECT count(*) FROM issues") == [(0,)]
        assert query(db, "SELECT count(*) FROM source_cursors WHERE resource = 'issues'") == [(0,)]
        again = ingest(db, replay, BETAMAX_REPO)  # the 404 was answered once; page 2 is there now
    assert again.returncode == 0, again.stderr
    assert query(db, "SELECT count(*), count(DISTINCT issue_id) FROM issues") == [(83, 83)]


# -- deployments and releases: sigmavirus24/github3.py -----------------------------------------


def github3() -> RecordedRepository:
    """Deployments 801 and 797 as listed; 801's five statuses as recorded (all success); 797's
    statuses were not recorded: it answers none, as GitHub does for a deployment nobody
    reported on. The two releases as listed."""
    statuses = cassette("Deployment_statuses")[2].json()
    return RecordedRepository(
        GITHUB3,
        deployments=cassette("Repository_deployments")[1].json(),
        statuses={801: statuses},
        releases=cassette("Repository_releases")[1].json(),
    )


def test_deployments_and_releases(tmp_path):
    repository = github3()
    deployment = repository.deployments[0]
    last_success = max(s["created_at"] for s in repository.statuses[801] if s["state"] == "success")
    db = tmp_path / "w.duckdb"
    with serve(repository.add_to(Replay())) as replay:
        result = ingest(db, replay, GITHUB3)
    assert result.returncode == 0, result.stderr
    # 797 has no status, and 801 (newer, same environment) finished: 797 was abandoned
    assert (report(result, "deployments")["read"], report(result, "deployments")["stored"]) == (2, 1)
    assert query(
        db,
        "SELECT deployment_id, repository, service, environment, commit_sha, "
        "strftime(started_at, '%Y-%m-%dT%H:%M:%SZ'), strftime(finished_at, '%Y-%m-%dT%H:%M:%SZ'), result "
        "FROM deployments",
    ) == [
        (f"github:{GITHUB3}:801", "github3.py", "github3.py", "production", deployment["sha"],
         deployment["created_at"], last_success, "success")
    ]  # fmt: skip
    assert last_success == "2018-01-01T19:50:40Z"
    assert query(db, "SELECT cursor FROM source_cursors WHERE resource = 'deployments'") == [
        ("2014-02-24T02:22:44+00:00",)
    ]
    releases = repository.releases
    assert query(
        db, "SELECT release_id, tag, name, is_draft, is_prerelease, author_login FROM releases ORDER BY created_at"
    ) == [(str(r["id"]), r["tag_name"], r["name"] or None, False, False, "sigmavirus24") for r in reversed(releases)]
    assert query(db, "SELECT cursor FROM source_cursors WHERE resource = 'releases'") == [
        ("2014-11-05T02:15:32+00:00",)
    ]


def test_a_second_run_with_nothing_new_makes_one_request_per_endpoint(tmp_path):
    db = tmp_path / "w.duckdb"
    with serve(github3().add_to(Replay())) as replay:
        assert ingest(db, replay, GITHUB3).returncode == 0
        replay.received.clear()
        again = ingest(db, replay, GITHUB3)
    assert again.returncode == 0, again.stderr
    # nothing was ever read from the pull requests, comments, issues and runs: no cursor, the
    # same first page; the deployment at the cursor is read again with its statuses
    assert [path for _, path, _ in replay.received] == [
        pulls_path(GITHUB3),
        comments_path(GITHUB3),
        issues_path(GITHUB3),
        runs_path(GITHUB3),
        deployments_path(GITHUB3),
        statuses_path(GITHUB3, 801),
        releases_path(GITHUB3),
    ]
    assert query(db, "SELECT count(*) FROM deployments") == [(1,)]
    assert query(db, "SELECT count(*) FROM releases") == [(2,)]


def project_file(path: Path, base_url: str, repo: str, options: str) -> Path:
    path.write_text(
        f"sources:\n  - type: github\n    base_url: {base_url}\n    repositories: [{repo}]\n{options}",
        encoding="utf-8",
    )
    return path


def test_a_deployment_still_in_progress_holds_the_cursor_and_services_map_repositories(tmp_path):
    repository = github3()
    in_progress = dict(repository.statuses[801][0], id=1, state="in_progress", created_at="2014-02-24T02:23:00Z")
    repository.statuses = {801: [in_progress]}  # 801 only in progress: 797 is not abandoned
    db, options = tmp_path / "w.duckdb", f"    services:\n      {GITHUB3}: python-client\n"
    with serve(repository.add_to(Replay())) as replay:
        project = project_file(tmp_path / "quarterdeck.yaml", replay.base_url, GITHUB3, options)
        result = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT count(*) FROM deployments") == [(0,)]
    assert query(db, "SELECT cursor FROM source_cursors WHERE resource = 'deployments'") == [
        ("2014-02-23T20:06:10+00:00",)  # deployment 797's creation
    ]
    with serve(github3().add_to(Replay())) as replay:  # 801 has finished since
        project = project_file(tmp_path / "quarterdeck.yaml", replay.base_url, GITHUB3, options)
        again = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", str(db))
        asked = [path for _, path, _ in replay.received if "/deployments" in path]
    assert again.returncode == 0, again.stderr
    assert asked == [deployments_path(GITHUB3), statuses_path(GITHUB3, 801), statuses_path(GITHUB3, 797)]
    assert query(db, "SELECT deployment_id, service FROM deployments") == [(f"github:{GITHUB3}:801", "python-client")]


def test_a_releases_page_that_is_not_json_stops_the_run_and_stores_no_release(tmp_path):
    broken = github3().add_to(Replay())
    broken.add(Exchange("GET", releases_path(GITHUB3), 200, {"Content-Type": "application/json"}, b"[{]"), first=True)
    db = tmp_path / "w.duckdb"
    with serve(broken) as replay:
        failed = ingest(db, replay, GITHUB3)
        assert failed.returncode == 1
        assert f"GitHub: GET /repos/{GITHUB3}/releases?per_page=100 answered with malformed JSON" in failed.stderr
        assert query(db, "SELECT count(*) FROM releases") == [(0,)]
        assert query(db, "SELECT count(*) FROM source_cursors WHERE resource = 'releases'") == [(0,)]
        assert query(db, "SELECT count(*) FROM deployments") == [(1,)]  # read before, and kept
        assert ingest(db, replay, GITHUB3).returncode == 0  # the recorded page is answered now
    assert query(db, "SELECT count(*) FROM releases") == [(2,)]


def test_each_connection_keeps_its_own_cursors_and_the_rows_are_github_s(tmp_path):
    """Two connections reading a repository of the same name (github.com and an Enterprise
    Server, here one replay): each has its own cursors and summary rows; the rows' source is
    github, so the accounts they name are github accounts."""
    db = tmp_path / "w.duckdb"
    with serve(github3().add_to(Replay())) as replay:
        project_file(tmp_path / "quarterdeck.yaml", replay.base_url, GITHUB3, "")
        with (tmp_path / "quarterdeck.yaml").open("a", encoding="utf-8") as handle:
            handle.write(
                f"  - type: github\n    name: ghe\n    base_url: {replay.base_url}\n    repositories: [{GITHUB3}]\n"
            )
        result = run_quarterdeck(
            "ingest", "all", "--db", str(db), "--format", "json", cwd=tmp_path, env={"GITHUB_TOKEN": "t-1"}
        )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["source"], r["resource"]) for r in rows if r["resource"] == "releases"] == [
        ("github", "releases"), ("ghe", "releases"),
    ]  # fmt: skip
    assert query(db, "SELECT source, cursor FROM source_cursors WHERE resource = 'releases' ORDER BY source") == [
        ("ghe", "2014-11-05T02:15:32+00:00"), ("github", "2014-11-05T02:15:32+00:00"),
    ]  # fmt: skip
    assert query(db, "SELECT DISTINCT source FROM releases") == [("github",)]
    assert query(db, "SELECT count(*) FROM releases") == [(2,)]
