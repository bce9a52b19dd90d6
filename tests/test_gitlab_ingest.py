"""`quarterdeck ingest gitlab` against a real server on 127.0.0.1 replaying what GitLab returned
to Apache DevLake's collectors (fixtures gitlab/apache__incubator-devlake; the project id was
anonymised upstream to 12345678, so the recordings of several projects are served here under
one project path). Pages are built from the recorded items; the `url` column of each row names
the request that returned it. Expected values are read from the recordings with Python's own
csv and json, or written by hand, independently of the connector.

What the recordings lack is said where it is made up: GitLab's approvals answer was not
recorded (a minimal ``{"approved_by": [...]}`` is served), the jobs of the pipelines whose
details were recorded were not (an empty list is served), and the pipelines of the recorded
jobs were recorded only as the summary each job embeds.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from quarterdeck.sources.gitlab.system_notes import note_events
from tests.conftest import run_quarterdeck
from tests.replay import FIXTURES, Exchange, Replay, serve
from tests.warehouse_rows import query

DEVLAKE = FIXTURES / "gitlab" / "apache__incubator-devlake"
PROJECT = "merico-dev/ee/vdev.co"
API = f"/api/v4/projects/{quote(PROJECT, safe='')}"
MRS = f"{API}/merge_requests?state=all&order_by=updated_at&sort=desc&per_page=100"
PIPELINES = f"{API}/pipelines?order_by=updated_at&sort=desc&per_page=100"
DEPLOYMENTS = f"{API}/deployments?order_by=updated_at&sort=asc&per_page=100"
TOKEN = "glpat-test-token-123"
CLONED_PIPELINE_ROWS = range(172, 181)  # DevLake's clones of row 171, one per status value
CLONED_JOB_ROWS = range(68, 76)  # DevLake's clones of row 67


def recorded(name: str) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with (DEVLAKE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def items(name: str) -> list[dict]:
    return [json.loads(r["data"]) for r in recorded(name)]


def mr_items() -> list[dict]:
    return sorted(items("_raw_gitlab_api_merge_requests.csv"), key=lambda m: m["updated_at"], reverse=True)


def by_iid(name: str) -> dict[int, list[dict]]:
    """Notes or commits per merge request, from the row's `input` (the merge request read)."""
    found: dict[int, list[dict]] = {}
    for row in recorded(name):
        found.setdefault(json.loads(row["input"])["Iid"], []).append(json.loads(row["data"]))
    return found


def pipeline_list() -> list[dict]:
    """The listing: the 16 pipelines whose details were recorded, cut to the fields the
    recorded listing has, and the two recorded listed pipelines still running."""
    rows = recorded("_raw_gitlab_api_pipeline.csv")
    listed = [json.loads(r["data"]) for r in rows if int(r["id"]) not in CLONED_PIPELINE_ROWS]
    list_fields = set(listed[0])
    summaries = [
        {k: v for k, v in d.items() if k in list_fields} for d in items("_raw_gitlab_api_pipeline_details.csv")
    ]
    running = [p for p in listed if p["status"] == "running"]
    return sorted(summaries + running, key=lambda p: p["updated_at"] or p["created_at"], reverse=True)


def answer(path: str, body: object, headers: dict[str, str] | None = None, status: int = 200) -> Exchange:
    return Exchange(
        "GET", path, status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(body).encode()
    )


def paged(path: str, body: list, size: int) -> list[Exchange]:
    """``body`` in pages of ``size`` as GitLab sends them: Link and X-Next-Page headers."""
    pages = [body[i : i + size] for i in range(0, len(body), size)] or [[]]
    exchanges = []
    for number, page in enumerate(pages, start=1):
        following = f"{path}&page={number + 1}"
        headers = {"X-Page": str(number), "X-Per-Page": "100", "X-Total": str(len(body))}
        headers["X-Next-Page"] = str(number + 1) if number < len(pages) else ""
        if number < len(pages):
            headers["Link"] = f'<https://gitlab.com{following}>; rel="next"'
        exchanges.append(answer(path if number == 1 else f"{path}&page={number}", page, headers))
    return exchanges


def gitlab_replay(deployments: list | None = None) -> Replay:
    """The 18 merge requests in two pages (10 + 8) with each one's notes, approvals (none) and
    commits; the pipeline listing with each finished pipeline's details; the deployments."""
    replay = Replay(recorded_host="https://gitlab.com")
    mrs, notes, commits = (
        mr_items(),
        by_iid("_raw_gitlab_api_merge_request_notes.csv"),
        by_iid("_raw_gitlab_api_merge_request_commits.csv"),
    )
    for exchange in paged(MRS, mrs, 10):
        replay.add(exchange)
    for mr in mrs:
        base = f"{API}/merge_requests/{mr['iid']}"
        replay.add(answer(f"{base}/notes?sort=asc&order_by=created_at&per_page=100", notes.get(mr["iid"], [])))
        replay.add(answer(f"{base}/approvals", {"approved_by": []}))
        replay.add(answer(f"{base}/commits?per_page=100", commits.get(mr["iid"], [])))
    replay.add(answer(PIPELINES, pipeline_list()))
    for details in items("_raw_gitlab_api_pipeline_details.csv"):
        replay.add(answer(f"{API}/pipelines/{details['id']}", details))
        replay.add(answer(f"{API}/pipelines/{details['id']}/jobs?per_page=100", []))
    replay.add(answer(DEPLOYMENTS, deployments or []))
    return replay


def add_second_run(replay: Replay) -> str:
    """What GitLab answers a run that asks from the cursors of the first: the merge request
    updated at the cursor, and the pipelines updated since the oldest one still running."""
    since = "2022-06-30T21%3A41%3A49.705000%2B00%3A00"
    replay.add(answer(f"{MRS}&updated_after={since}", [mr_items()[0]]))
    replay.add(answer(f"{PIPELINES}&updated_after=2022-01-27T10%3A07%3A09.429Z", pipeline_list()))
    return since


def ingest(db: Path, replay: Replay, *args: str) -> object:
    return run_quarterdeck(
        "ingest", "gitlab", "--project", PROJECT, "--base-url", replay.base_url, "--db", str(db), "--format", "json",
        *args, env={"GITLAB_TOKEN": TOKEN},
    )  # fmt: skip


def test_merge_requests_with_notes_and_commits_are_stored_as_gitlab_returned_them(tmp_path):
    mrs, notes, commits = (
        mr_items(),
        by_iid("_raw_gitlab_api_merge_request_notes.csv"),
        by_iid("_raw_gitlab_api_merge_request_commits.csv"),
    )
    listed = {m["iid"] for m in mrs}
    db = tmp_path / "w.duckdb"
    with serve(gitlab_replay()) as replay:
        result = ingest(db, replay)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)[0]
    assert (report["resource"], report["read"], report["stored"]) == ("merge_requests", 18, 18)
    assert f"{MRS}&page=2" in [path for _, path, _ in replay.received]  # followed the Link header
    assert query(
        db, "SELECT count(*), count(merged_at), count(*) FILTER (WHERE state = 'open'), count(*) FILTER (is_draft) "
        "FROM pull_requests WHERE source = 'gitlab'"
    ) == [(18, sum(m["state"] == "merged" for m in mrs), sum(m["state"] == "opened" for m in mrs),
           sum(m["draft"] for m in mrs))]  # fmt: skip
    first = mrs[0]
    assert query(
        db, "SELECT repository, pr_id, author_login, head_sha, head_ref, base_ref FROM pull_requests WHERE number = ?",
        [first["iid"]],
    ) == [(PROJECT, str(first["id"]), first["author"]["username"], first["sha"], first["source_branch"],
           first["target_branch"])]  # fmt: skip
    squashed = next(m for m in mrs if m["iid"] == 14)  # merged with both a merge and a squash commit
    assert query(db, "SELECT merge_commit_sha FROM pull_requests WHERE number = 14") == [
        (squashed["merge_commit_sha"],)
    ]
    human = [n for iid in listed for n in notes.get(iid, []) if not n["system"]]
    assert query(db, "SELECT comment_id, number, author_login FROM pr_comments ORDER BY comment_id") == sorted(
        (str(n["id"]), n["noteable_iid"], n["author"]["username"]) for n in human
    )
    assert len(human) == 4
    # the system notes of !1, !3 and !4 that name a step of the review (by hand)
    assert query(db, "SELECT number, event, actor_login FROM pr_events ORDER BY created_at") == [
        (1, "ready_for_review", "emilie"),  # "unmarked as a **Work In Progress**"
        (1, "merged", "tayloramurphy"),
        (3, "merged", "emilie"),
    ]
    assert query(db, "SELECT count(*) FROM pr_commits") == [(sum(len(commits.get(i, [])) for i in listed),)] == [(26,)]
    assert query(db, "SELECT cursor FROM source_cursors WHERE resource = 'merge_requests'") == [
        (first["updated_at"].replace("Z", "000+00:00"),)
    ]
    assert TOKEN not in result.stdout + result.stderr
    assert all(headers["private-token"] == TOKEN for _, _, headers in replay.received)


def test_finished_pipelines_become_ci_runs_and_running_ones_wait(tmp_path):
    details = items("_raw_gitlab_api_pipeline_details.csv")
    db = tmp_path / "w.duckdb"
    with serve(gitlab_replay()) as replay:
        result = ingest(db, replay)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)[1]
    assert (report["resource"], report["read"], report["stored"]) == ("pipelines", 18, 16)
    first = details[0]  # 07:17:08.753 created, 07:17:10.123 started, next day 01:54:29.748 finished
    assert query(
        db,
        "SELECT repository, workflow, commit_sha, epoch_ms(started_at) - epoch_ms(queued_at), finished_at::VARCHAR, "
        "result FROM ci_runs WHERE run_id = ?",
        [f"gitlab:{PROJECT}:pipeline:{first['id']}"],
    ) == [("vdev.co", "refs/merge-requests/5394/head", first["sha"], 1370, "2023-11-21 01:54:29.748+00", "success")]
    failed = sum(d["status"] == "failed" for d in details)
    assert query(db, "SELECT count(*) FILTER (WHERE result = 'failure') FROM ci_runs") == [(failed,)] == [(5,)]
    # the oldest pipeline still running (no update time recorded: its creation) holds the cursor
    assert query(db, "SELECT cursor FROM source_cursors WHERE resource = 'pipelines'") == [
        ("2022-01-27T10:07:09.429Z",)
    ]


def test_a_second_run_reads_only_what_changed(tmp_path):
    db = tmp_path / "w.duckdb"
    with serve(gitlab_replay()) as replay:
        assert ingest(db, replay).returncode == 0
        before = query(db, "SELECT * EXCLUDE (loaded_at) FROM pull_requests ORDER BY number")
        since = add_second_run(replay)
        replay.received.clear()
        again = ingest(db, replay)
    assert again.returncode == 0, again.stderr
    # the merge request at the cursor is stored unchanged: not read again; the pipelines since the
    # one still running are stored already or unfinished; no deployment was ever read
    assert [path for _, path, _ in replay.received] == [
        f"{MRS}&updated_after={since}",
        f"{PIPELINES}&updated_after=2022-01-27T10%3A07%3A09.429Z",
        DEPLOYMENTS,
    ]
    assert query(db, "SELECT * EXCLUDE (loaded_at) FROM pull_requests ORDER BY number") == before
    assert query(db, "SELECT count(*) FROM ci_runs") == [(16,)]


def test_an_interrupted_run_stores_nothing_and_the_next_one_completes(tmp_path):
    db = tmp_path / "w.duckdb"
    broken = gitlab_replay()
    iid = mr_items()[12]["iid"]
    path = f"{API}/merge_requests/{iid}/commits?per_page=100"
    # 403: refused for this resource alone (a 401, refused credentials, stops the source)
    broken.add(answer(path, {"message": "403 Forbidden"}, status=403), first=True)
    with serve(broken) as replay:
        failed = ingest(db, replay)
    assert failed.returncode == 1
    assert f"GET {path.removeprefix('/api/v4/').split('?')[0]} answered 403" in failed.stderr
    assert "read_api" in failed.stderr and TOKEN not in failed.stderr
    assert query(db, "SELECT count(*) FROM pull_requests") == [(0,)]
    assert query(db, "SELECT count(*) FROM pr_events") == [(0,)]
    assert query(db, "SELECT count(*) FROM source_cursors WHERE resource = 'merge_requests'") == [(0,)]
    assert query(db, "SELECT count(*) FROM ci_runs") != [(0,)]  # the pipelines went on and were stored
    again = gitlab_replay()
    add_second_run(again)  # the pipelines are read from their cursor; the merge requests from the start
    with serve(again) as replay:
        assert ingest(db, replay).returncode == 0
    assert query(db, "SELECT count(*), count(DISTINCT number) FROM pull_requests") == [(18, 18)]
    assert query(db, "SELECT count(*) FROM pr_events") == [(3,)]


def test_a_rate_limit_and_a_bad_gateway_are_waited_out(tmp_path):
    db = tmp_path / "w.duckdb"
    limited = gitlab_replay()
    limited.add(answer(f"{MRS}&page=2", {"message": "429 Too Many Requests"}, {"Retry-After": "1"}, 429), first=True)
    details = f"{API}/pipelines/{items('_raw_gitlab_api_pipeline_details.csv')[5]['id']}"
    limited.add(Exchange("GET", details, 502, {"Content-Type": "text/html"}, b"<html>502 Bad Gateway</html>"), True)
    with serve(limited) as replay:
        result = ingest(db, replay)
    assert result.returncode == 0, result.stderr
    assert "rate limited; waiting 1 s as the API asks" in result.stderr
    assert "502 Bad Gateway; retrying in 1 s" in result.stderr
    assert [p for _, p, _ in replay.received].count(details) == 2
    assert query(db, "SELECT count(*) FROM pull_requests") == [(18,)]
    assert query(db, "SELECT count(*) FROM ci_runs") == [(16,)]


def test_a_malformed_page_stores_nothing_of_that_resource(tmp_path):
    db = tmp_path / "w.duckdb"
    broken = gitlab_replay()
    broken.add(Exchange("GET", PIPELINES, 200, {"Content-Type": "application/json"}, b'[{"id": 1,]'), first=True)
    with serve(broken) as replay:
        failed = ingest(db, replay)
    assert failed.returncode == 1
    assert f"GitLab: GET {PIPELINES} answered with malformed JSON" in failed.stderr
    assert query(db, "SELECT count(*) FROM ci_runs") == [(0,)]
    assert query(db, "SELECT resource FROM source_cursors") == [("merge_requests",)]  # committed before


def test_deployments_with_unknown_statuses_are_reported_and_the_others_stored(tmp_path):
    """DevLake's maintainers edited the status of EVERY recorded deployment (README caveat): the
    rows now hold success, completed, failed, canceled, created, running, blocked and
    undeployed. 'completed' and 'undeployed' are no GitLab status: they must be reported with
    the deployment's id; success, failed and canceled are stored; created, running and blocked
    are unfinished. Row 8 has no updated_at (its creation time stands in)."""
    deployments = items("_raw_gitlab_api_deployments.csv")
    assert [d["status"] for d in deployments] == [
        "success", "completed", "failed", "canceled", "created", "running", "blocked", "undeployed",
    ]  # fmt: skip
    db = tmp_path / "w.duckdb"
    project_file = tmp_path / "quarterdeck.yaml"
    with serve(gitlab_replay(deployments)) as replay:
        project_file.write_text(
            "sources:\n  - type: gitlab\n    base_url: " + replay.base_url + "\n    projects:\n"
            f"      - project: {PROJECT}\n        service: vdev\n        production_environments: [staging]\n",
            encoding="utf-8",
        )
        env = {"GITLAB_TOKEN": TOKEN}
        args = ("ingest", "all", "--project-file", str(project_file), "--db", str(db), "--format", "json")
        result = run_quarterdeck(*args, env=env)
        cursor = "2019-03-13T14%3A57%3A58.866Z"  # the update time of 'completed', the oldest not stored
        replay.add(answer(f"{DEPLOYMENTS}&updated_after={cursor}", deployments[1:]))
        add_second_run(replay)
        replay.received.clear()
        again = run_quarterdeck(*args, env=env)
    assert result.returncode == 3, result.stderr
    report = json.loads(result.stdout)[2]
    assert (report["resource"], report["read"], report["stored"], report["problems"]) == ("deployments", 8, 3, 2)
    for bad in (13432654, 13436915):
        assert (
            f"skipped: gitlab {PROJECT} deployments gitlab:{PROJECT}:{bad}: ValueError: unknown status" in result.stderr
        )
    assert query(db, "SELECT record_id FROM source_problems ORDER BY record_id") == [
        (f"gitlab:{PROJECT}:13432654",), (f"gitlab:{PROJECT}:13436915",)
    ]  # fmt: skip
    # staging is this project's production (quarterdeck.yaml): stored as the production environment
    assert query(
        db, "SELECT deployment_id, service, environment, is_production, result, finished_at::VARCHAR FROM deployments "
        "ORDER BY deployment_id"
    ) == [
        (f"gitlab:{PROJECT}:13426753", "vdev", "production", True, "success", "2019-03-13 14:17:47.64+00"),
        (f"gitlab:{PROJECT}:13432768", "vdev", "production", True, "failure", "2019-03-13 15:02:23.332+00"),
        (f"gitlab:{PROJECT}:13436532", "vdev", "production", True, "cancelled", "2019-03-13 15:21:27.825+00"),
    ]  # fmt: skip
    assert again.returncode == 3, again.stderr
    assert [p for _, p, _ in replay.received][-1] == f"{DEPLOYMENTS}&updated_after={cursor}"
    assert json.loads(again.stdout)[2]["problems"] == 2


def test_jobs_of_a_self_managed_instance_become_ci_jobs(tmp_path):
    """The recorded jobs (a self-managed GitLab, project 44 = merico/pip_test; rows 68-75 are
    DevLake's clones and left out). Their pipelines were recorded only as the summary each job
    embeds: that summary is served as the listing and as the pipeline's details."""
    jobs = [json.loads(r["data"]) for r in recorded("_raw_gitlab_api_job.csv") if int(r["id"]) not in CLONED_JOB_ROWS]
    pipelines = {j["pipeline"]["id"]: j["pipeline"] for j in jobs}
    project = "merico/pip_test"
    api = f"/api/v4/projects/{quote(project, safe='')}"
    replay = Replay(recorded_host="https://gitlab.nddtf.com")
    replay.add(answer(f"{api}/merge_requests?state=all&order_by=updated_at&sort=desc&per_page=100", []))
    replay.add(answer(f"{api}/pipelines?order_by=updated_at&sort=desc&per_page=100", list(pipelines.values())))
    for pipeline_id, pipeline in pipelines.items():
        replay.add(answer(f"{api}/pipelines/{pipeline_id}", pipeline))
        run_jobs = [j for j in jobs if j["pipeline"]["id"] == pipeline_id]
        replay.add(answer(f"{api}/pipelines/{pipeline_id}/jobs?per_page=100", run_jobs))
    replay.add(answer(f"{api}/deployments?order_by=updated_at&sort=asc&per_page=100", []))
    db = tmp_path / "w.duckdb"
    with serve(replay):
        result = run_quarterdeck(
            "ingest", "gitlab", "--project", project, "--base-url", replay.base_url + "/", "--db", str(db),
            env={"GITLAB_TOKEN": TOKEN},
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT count(*), count(DISTINCT run_id) FROM ci_jobs") == [(len(jobs), len(pipelines))]
    assert (len(jobs), len(pipelines)) == (67, 58)
    job = next(j for j in jobs if j["id"] == 120)  # success on the runner "merico  chinese runner"
    assert query(
        db, "SELECT run_id, repository, name, queued_at::VARCHAR, started_at::VARCHAR, finished_at::VARCHAR, result, "
        "runner FROM ci_jobs WHERE job_id = ?", [f"gitlab:{project}:job:120"],
    ) == [(f"gitlab:{project}:pipeline:41", "pip_test", "format", "2022-07-29 02:09:56.912+00",
           "2022-07-29 02:10:58.37+00", "2022-07-29 02:11:55.17+00", "success",
           job["runner"]["description"])]  # fmt: skip
    results = {"success": "success", "failed": "failure", "canceled": "cancelled"}
    assert query(db, "SELECT result, count(*) FROM ci_jobs GROUP BY ALL ORDER BY 1") == sorted(
        (results[s], sum(j["status"] == s for j in jobs)) for s in results
    )
    assert query(db, "SELECT count(*) FROM ci_runs") == [(58,)]


def test_approvals_come_from_system_notes(tmp_path):
    """The notes of !37 were recorded (approved, unapproved, approved again by basicthinker)
    without the merge request itself: the test lists the recorded !1 renumbered as !37."""
    notes = by_iid("_raw_gitlab_api_merge_request_notes.csv")[37]
    mr = {**mr_items()[-1], "iid": 37}
    replay = Replay(recorded_host="https://gitlab.com")
    replay.add(answer(MRS, [mr]))
    replay.add(answer(f"{API}/merge_requests/37/notes?sort=asc&order_by=created_at&per_page=100", notes))
    approvers = {"approved_by": [{"user": {"username": "basicthinker"}}, {"user": {"username": "someone"}}]}
    replay.add(answer(f"{API}/merge_requests/37/approvals", approvers))
    replay.add(answer(f"{API}/merge_requests/37/commits?per_page=100", []))
    replay.add(answer(PIPELINES, []))
    replay.add(answer(DEPLOYMENTS, []))
    db = tmp_path / "w.duckdb"
    with serve(replay):
        assert ingest(db, replay).returncode == 0
    assert query(db, "SELECT event, created_at::VARCHAR FROM pr_events ORDER BY created_at") == [
        ("approved", "2019-01-29 00:40:37.158+00"),
        ("unapproved", "2019-01-29 00:40:45.52+00"),
        ("approved", "2019-01-29 00:40:47.455+00"),
    ]
    # the first approval was withdrawn; 'someone' approves without a note: no time known
    assert query(db, "SELECT reviewer_login, state, submitted_at::VARCHAR FROM pr_reviews ORDER BY 3 NULLS LAST") == [
        ("basicthinker", "DISMISSED", "2019-01-29 00:40:37.158+00"),
        ("basicthinker", "APPROVED", "2019-01-29 00:40:47.455+00"),
        ("someone", "APPROVED", None),
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [  # GitLab's English system-note texts, written by hand (none of these was recorded)
        ("requested review from @alice", [("review_requested", "alice")]),
        (
            "requested review from @alice and @Bob.Smith",
            [("review_requested", "alice"), ("review_requested", "Bob.Smith")],
        ),
        ("removed review request for @alice", [("review_request_removed", "alice")]),
        (
            "requested review from @bob and removed review request for @alice",
            [("review_requested", "bob"), ("review_request_removed", "alice")],
        ),
        ("marked this merge request as **ready**", [("ready_for_review", None)]),
        ("marked this merge request as **draft**", [("convert_to_draft", None)]),
        ("marked as a **Work In Progress**", [("convert_to_draft", None)]),
        ("reopened", [("reopened", None)]),
        ("assigned to @alice", []),
        ("a demandé une revue à @alice", []),
    ],
)
def test_system_notes_that_are_events(body, expected):
    note = {"id": 5, "body": body, "system": True, "created_at": "2024-05-01T10:00:00.000Z", "author": {}}
    events, _ = note_events(7, note)
    assert [(e["event"], e["requested_reviewer"]) for e in events] == expected


@pytest.mark.parametrize("bad", ["api", "group/", "/name", "a b/c"])
def test_a_project_must_be_its_full_path(bad):
    result = run_quarterdeck("ingest", "gitlab", "--project", bad)
    assert result.returncode == 2 and "--project must be GROUP/NAME" in result.stderr


def test_a_merge_request_missing_a_field_is_reported_and_the_others_stored(tmp_path):
    """The newest recorded merge request with its created_at removed (an edit made here)."""
    mrs = mr_items()
    broken = gitlab_replay()
    bad = {k: v for k, v in mrs[0].items() if k != "created_at"}
    broken.add(answer(MRS, [bad, *mrs[1:10]], {"Link": f'<https://gitlab.com{MRS}&page=2>; rel="next"'}), first=True)
    db = tmp_path / "w.duckdb"
    with serve(broken) as replay:
        result = ingest(db, replay)
    assert result.returncode == 3, result.stderr
    assert f"skipped: gitlab {PROJECT} merge_requests !{bad['iid']}: missing field 'created_at'" in result.stderr
    assert query(db, "SELECT count(*) FROM pull_requests WHERE number = ?", [bad["iid"]]) == [(0,)]
    assert query(db, "SELECT count(*) FROM pull_requests") == [(17,)]
    assert query(db, "SELECT record_id FROM source_problems") == [(f"!{bad['iid']}",)]
    # the cursor stays before the merge request not stored, so the next run reads it again
    assert query(db, "SELECT cursor FROM source_cursors WHERE resource = 'merge_requests'") == [
        (mrs[1]["updated_at"].replace("Z", "000+00:00"),)
    ]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [  # a misspelt key, and a project that is not a full path: named before anything is read
        (f"    projects: [{PROJECT}]\n    servce: vdev\n", "unknown option 'servce' for a gitlab source"),
        ("    projects: [api]\n", "a project must be GROUP/NAME (or GROUP/SUB/NAME), such as our-group/api, not 'api'"),
    ],
)
def test_a_project_file_mistake_is_named_before_anything_is_read(tmp_path, entry, expected):
    project_file = tmp_path / "quarterdeck.yaml"
    head = "sources:\n  - type: gitlab\n    name: gitlab-internal\n    base_url: http://127.0.0.1:9\n"
    project_file.write_text(head + entry, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    result = run_quarterdeck("ingest", "all", "--project-file", str(project_file), "--db", str(db))
    assert result.returncode == 2, result.stderr
    assert f"{project_file}, source 1 (gitlab-internal): {expected}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_named_connection_names_its_summary_and_cursors_and_its_rows_stay_gitlabs(tmp_path):
    """A connection named in quarterdeck.yaml (a second GitLab, say) keeps its own cursors and is
    named in the summary; the rows it stores, and the accounts they name, are GitLab's."""
    mr = mr_items()[-1]  # !1, by emilie, with no notes or commits served here
    replay = Replay(recorded_host="https://gitlab.com")
    replay.add(answer(MRS, [mr]))
    replay.add(answer(f"{API}/merge_requests/{mr['iid']}/notes?sort=asc&order_by=created_at&per_page=100", []))
    replay.add(answer(f"{API}/merge_requests/{mr['iid']}/approvals", {"approved_by": []}))
    replay.add(answer(f"{API}/merge_requests/{mr['iid']}/commits?per_page=100", []))
    replay.add(answer(PIPELINES, []))
    replay.add(answer(DEPLOYMENTS, []))
    project_file, db = tmp_path / "quarterdeck.yaml", tmp_path / "w.duckdb"
    with serve(replay):
        project_file.write_text(
            f"sources:\n  - type: gitlab\n    name: gitlab-internal\n    base_url: {replay.base_url}\n"
            f"    projects: [{PROJECT}]\n",
            encoding="utf-8",
        )
        args = ("ingest", "all", "--project-file", str(project_file), "--db", str(db), "--format", "json")
        result = run_quarterdeck(*args, env={"GITLAB_TOKEN": TOKEN})
    assert result.returncode == 0, result.stderr
    assert [(r["source"], r["resource"]) for r in json.loads(result.stdout)] == [
        ("gitlab-internal", "merge_requests"), ("gitlab-internal", "pipelines"), ("gitlab-internal", "deployments"),
    ]  # fmt: skip
    assert query(db, "SELECT source, scope, resource FROM source_cursors") == [
        ("gitlab-internal", PROJECT, "merge_requests")
    ]
    assert query(db, "SELECT source, number FROM pull_requests") == [("gitlab", 1)]
    assert query(db, "SELECT identity_id FROM identities WHERE kind = 'account'") == [
        (f"gitlab:{mr['author']['username'].lower()}",)
    ]
