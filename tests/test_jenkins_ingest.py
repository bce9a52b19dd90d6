"""`quarterdeck ingest jenkins` against a real server on 127.0.0.1 replaying what Jenkins
returned to Apache DevLake: a multibranch pipeline (github_org/devlake-jenkins, branches
main, feature-1, feature-2 and PR-2, 15 builds and 65 stages) and a freestyle job with a
build still running. DevLake kept one build or stage per CSV row, with the request in the
``url`` column; the tests put them back into Jenkins' envelopes (``{"allBuilds": [...]}``,
``{"stages": [...]}``) for the requests the connector makes. Rows 10001-10005 of the builds
file are DevLake's clones and are left out. Expected values are read from the recordings
with Python's csv and json, independently of the connector."""

from __future__ import annotations

import base64
import csv
import json
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlencode

from tests.conftest import run_quarterdeck
from tests.replay import FIXTURES, Exchange, Replay, serve
from tests.warehouse_rows import query

DEVLAKE = FIXTURES / "jenkins" / "apache__incubator-devlake"
RECORDED_HOST = "https://1457-62-195-68-26.ngrok-free.app"
PIPELINE = "github_org/devlake-jenkins"
BRANCHES = ("feature-1", "feature-2", "main", "PR-2")  # in the order Jenkins listed them
FREESTYLE = "这是一个改了名字的测试任务"  # "a test job that was renamed"
CLONED_BUILDS = range(10001, 10006)
ENV = {"JENKINS_USER": "qd-bot", "JENKINS_TOKEN": "jenkins-secret-token-42"}
BUILD_FIELDS = (
    "number,id,timestamp,duration,result,building,queueId,url,actions[_class,lastBuiltRevision[SHA1],"
    "queuingDurationMillis,waitingDurationMillis,blockedDurationMillis,buildableDurationMillis]"
)
TREE = f"_class,property[_class],jobs[_class,name,fullName,url],allBuilds[{BUILD_FIELDS}]"
MULTIBRANCH = "org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject"
BRANCH_PROPERTY = "org.jenkinsci.plugins.workflow.multibranch.BranchJobProperty"


def recorded(name: str) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with (DEVLAKE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def branch_builds() -> dict[str, list[dict]]:
    """The recorded builds of each branch job, newest first (as Jenkins lists them)."""
    found: dict[str, list[dict]] = defaultdict(list)
    for row in recorded("_raw_jenkins_api_builds_multibranch.csv"):
        found[json.loads(row["input"])["Name"]].append(json.loads(row["data"]))
    return {name: sorted(builds, key=lambda b: -b["number"]) for name, builds in found.items()}


def branch_stages() -> dict[tuple[str, int], list[dict]]:
    """The recorded stages of each (branch, build number), from the request each came from."""
    found: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for row in recorded("_raw_jenkins_api_stages_multibranch.csv"):
        parts = unquote(row["url"]).split("/")  # .../job/<branch>/<number>/wfapi/describe
        found[(parts[-4], int(parts[-3]))].append(json.loads(row["data"]))
    return found


def listing_path(prefix: str, job: str, start: int = 0, size: int = 100) -> str:
    segments = "".join(f"/job/{quote(part, safe='')}" for part in job.split("/"))
    return f"{prefix}{segments}/api/json?" + urlencode({"tree": f"{TREE}{{{start},{start + size}}}"})


def stages_path(prefix: str, job: str, number: int) -> str:
    segments = "".join(f"/job/{quote(part, safe='')}" for part in job.split("/"))
    return f"{prefix}{segments}/{number}/wfapi/describe"


def answer(path: str, body: object, status: int = 200, headers: dict[str, str] | None = None) -> Exchange:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Exchange("GET", path, status, {"Content-Type": "application/json", **(headers or {})}, raw)


def branch_job(builds: list[dict]) -> dict:
    """A branch job's answer: the job (marked as a multibranch branch) and a range of its builds."""
    return {
        "_class": "org.jenkinsci.plugins.workflow.job.WorkflowJob",
        "property": [{"_class": BRANCH_PROPERTY}],
        "allBuilds": builds,
    }


def pipeline_replay(builds: dict[str, list[dict]] | None = None, size: int = 100) -> Replay:
    """The multibranch pipeline under /view/all (as recorded): its branch jobs, each branch's
    builds in ranges of ``size``, and each build's stages. Two failed builds of feature-2
    (#4, #5: a second, no commit checked out) have no stages recorded; they are answered
    with an empty stage list."""
    builds = builds or branch_builds()
    stages = branch_stages()
    replay = Replay(recorded_host=RECORDED_HOST)
    jobs = [json.loads(r["data"]) for r in recorded("_raw_jenkins_api_jobs_multibranch.csv")]
    replay.add(answer(listing_path("/view/all", PIPELINE), {"_class": MULTIBRANCH, "jobs": jobs}))
    for branch, items in builds.items():
        job = f"{PIPELINE}/{branch}"
        for start in range(0, len(items) + 1, size):
            replay.add(answer(listing_path("/view/all", job, start, size), branch_job(items[start : start + size])))
        for build in items:
            body = {"id": str(build["number"]), "stages": stages.get((branch, build["number"]), [])}
            replay.add(answer(stages_path("/view/all", job, build["number"]), body))
    return replay


def ingest(db: Path, replay: Replay, *jobs: str, env: dict[str, str] | None = None) -> object:
    args = [arg for job in jobs for arg in ("--job", job)]
    return run_quarterdeck(
        "ingest", "jenkins", "--base-url", f"{replay.base_url}/view/all", *args, "--db", str(db), "--format", "json",
        env=env or ENV,
    )  # fmt: skip


def ingest_project(db: Path, tmp_path: Path, replay: Replay, source: dict) -> object:
    project = tmp_path / "quarterdeck.yaml"
    base_url = f"{replay.base_url}/view/all"
    project.write_text(json.dumps({"sources": [{"type": "jenkins", "base_url": base_url, **source}]}))
    return run_quarterdeck(
        "ingest", "all", "--project-file", str(project), "--db", str(db), "--format", "json", env=ENV
    )


def moment(millis: int) -> datetime:
    return datetime.fromtimestamp(millis / 1000, UTC)


def expected_run(branch: str, build: dict, repository: str = "devlake-jenkins") -> tuple:
    shas = [a["lastBuiltRevision"]["SHA1"] for a in build["actions"] if "lastBuiltRevision" in a]
    result = {"SUCCESS": "success", "FAILURE": "failure", "ABORTED": "cancelled"}[build["result"]]
    return (
        f"jenkins:{PIPELINE}/{branch}:{build['number']}",
        repository,
        f"{PIPELINE}/{branch}",
        shas[0] if shas else None,
        None,
        moment(build["timestamp"]),
        moment(build["timestamp"] + build["duration"]),
        result,
    )


RUN_COLUMNS = "run_id, repository, workflow, commit_sha, queued_at, started_at, finished_at, result"


def test_a_multibranch_pipeline_gives_each_branch_builds_as_ci_runs_and_stages_as_ci_jobs(tmp_path):
    builds, stages = branch_builds(), branch_stages()
    db = tmp_path / "w.duckdb"
    with serve(pipeline_replay()) as replay:
        result = ingest(db, replay, PIPELINE)
    assert result.returncode == 0, result.stderr
    rows = {r["scope"]: r for r in json.loads(result.stdout)}
    assert {s: (r["read"], r["stored"], r["cursor"]) for s, r in rows.items()} == {
        f"{PIPELINE}/{b}": (len(builds[b]), len(builds[b]), str(builds[b][0]["number"])) for b in BRANCHES
    }
    expected = sorted(expected_run(b, build) for b in BRANCHES for build in builds[b])
    assert len(expected) == 15
    assert query(db, f"SELECT {RUN_COLUMNS} FROM ci_runs ORDER BY run_id") == expected
    assert query(db, "SELECT result, count(*) FROM ci_runs GROUP BY result ORDER BY result") == [
        ("cancelled", 2), ("failure", 2), ("success", 11)
    ]  # fmt: skip
    expected_stages = sorted(
        (
            f"jenkins:{PIPELINE}/{branch}:{number}:{s['id']}",
            f"jenkins:{PIPELINE}/{branch}:{number}",
            s["name"],
            moment(s["startTimeMillis"]),
            moment(s["startTimeMillis"] + s["durationMillis"]),
            {"SUCCESS": "success", "ABORTED": "cancelled"}[s["status"]],
        )
        for (branch, number), items in stages.items()
        for s in items
    )
    assert len(expected_stages) == 65
    assert (
        query(db, "SELECT job_id, run_id, name, started_at, finished_at, result FROM ci_jobs ORDER BY job_id")
        == expected_stages
    )
    basic = "Basic " + base64.b64encode(b"qd-bot:jenkins-secret-token-42").decode()
    assert all(headers["authorization"] == basic for _, _, headers in replay.received)
    assert "jenkins-secret-token-42" not in result.stdout + result.stderr
    assert len(replay.received) == 1 + 4 + 15  # the pipeline, a page per branch, the stages of each build


def test_a_second_run_with_nothing_new_asks_once_per_job(tmp_path):
    db = tmp_path / "w.duckdb"
    with serve(pipeline_replay()) as replay:
        assert ingest(db, replay, PIPELINE).returncode == 0
        before = query(db, "SELECT * EXCLUDE (loaded_at) FROM ci_runs ORDER BY run_id")
        replay.received.clear()
        again = ingest(db, replay, PIPELINE)
    assert again.returncode == 0, again.stderr
    assert [path for _, path, _ in replay.received] == [
        listing_path("/view/all", PIPELINE),
        *(listing_path("/view/all", f"{PIPELINE}/{b}") for b in BRANCHES),
    ]
    assert all(r["read"] == 0 for r in json.loads(again.stdout))
    assert query(db, "SELECT * EXCLUDE (loaded_at) FROM ci_runs ORDER BY run_id") == before
    assert query(db, "SELECT count(*) FROM ci_jobs") == [(65,)]


def test_pages_of_builds_are_read_through_a_rate_limit_and_a_server_error(tmp_path):
    """feature-2's six builds in pages of two (page_size), its second page first refused with
    a 429 and its third with a 502; the job is named with its repository (a mapping)."""
    builds = branch_builds()
    job = f"{PIPELINE}/feature-2"
    limited = pipeline_replay({"feature-2": builds["feature-2"]}, size=2)
    too_many = answer(listing_path("/view/all", job, 2, 2), {"message": "slow down"}, 429, {"Retry-After": "1"})
    limited.add(too_many, first=True)
    limited.add(answer(listing_path("/view/all", job, 4, 2), b"<html>Bad Gateway</html>", 502), first=True)
    db = tmp_path / "w.duckdb"
    with serve(limited) as replay:
        result = ingest_project(db, tmp_path, replay, {"jobs": [{"job": job, "repository": "api"}], "page_size": 2})
    assert result.returncode == 0, result.stderr
    assert "rate limited; waiting 1 s as the API asks" in result.stderr
    assert "502 Bad Gateway; retrying" in result.stderr
    listings = [p for _, p, _ in replay.received if "api/json" in p]
    assert listings == [listing_path("/view/all", job, start, 2) for start in (0, 2, 2, 4, 4, 6)]
    expected = sorted(expected_run("feature-2", b, repository="api") for b in builds["feature-2"])
    assert query(db, f"SELECT {RUN_COLUMNS} FROM ci_runs ORDER BY run_id") == expected
    assert query(db, "SELECT cursor FROM source_cursors WHERE scope = ?", [job]) == [("6",)]


def test_an_interrupted_run_loses_nothing_and_doubles_nothing(tmp_path):
    """The stages of main #3 answer 401 half-way through: the branches read before it are
    stored, main is not (nor its cursor); the next run reads main and stops early elsewhere."""
    db = tmp_path / "w.duckdb"
    broken = pipeline_replay()
    main3 = stages_path("/view/all", f"{PIPELINE}/main", 3)
    broken.add(answer(main3, {"message": "Unauthorized"}, 401), first=True)
    with serve(broken) as replay:
        failed = ingest(db, replay, PIPELINE)
        assert failed.returncode == 1
        assert "Jenkins: GET job/github_org/job/devlake-jenkins/job/main/3/wfapi/describe answered 401" in failed.stderr
        assert "JENKINS_USER must name a Jenkins user" in failed.stderr
        assert "jenkins-secret-token-42" not in failed.stdout + failed.stderr
        assert query(db, "SELECT DISTINCT workflow FROM ci_runs ORDER BY 1") == [
            (f"{PIPELINE}/feature-1",), (f"{PIPELINE}/feature-2",)
        ]  # fmt: skip
        assert query(db, "SELECT scope FROM source_cursors ORDER BY 1") == [
            (f"{PIPELINE}/feature-1",), (f"{PIPELINE}/feature-2",)
        ]  # fmt: skip
        replay.received.clear()
        again = ingest(db, replay, PIPELINE)
    assert again.returncode == 0, again.stderr
    assert {r["scope"]: r["read"] for r in json.loads(again.stdout)} == {
        f"{PIPELINE}/feature-1": 0, f"{PIPELINE}/feature-2": 0, f"{PIPELINE}/main": 4, f"{PIPELINE}/PR-2": 2
    }  # fmt: skip
    assert query(db, "SELECT count(*), count(DISTINCT run_id) FROM ci_runs") == [(15, 15)]
    assert query(db, "SELECT count(*), count(DISTINCT job_id) FROM ci_jobs") == [(65, 65)]


def test_a_build_with_an_unknown_result_is_reported_and_read_again(tmp_path):
    """main #3's result is changed to NOT_BUILD (a value Jenkins does not send: DevLake's typo
    for NOT_BUILT). The branch job is named directly, so its repository is the pipeline's."""
    builds = branch_builds()
    edited = {"main": [dict(b, result="NOT_BUILD") if b["number"] == 3 else b for b in builds["main"]]}
    job = f"{PIPELINE}/main"
    db = tmp_path / "w.duckdb"
    with serve(pipeline_replay(edited)) as replay:
        result = ingest(db, replay, job)
    assert result.returncode == 3, result.stderr
    assert f"jenkins {job} builds jenkins:{job}:3: unknown result 'NOT_BUILD'" in result.stderr
    assert query(db, "SELECT run_id FROM ci_runs ORDER BY run_id") == [(f"jenkins:{job}:{n}",) for n in (1, 2, 4)]
    assert query(db, "SELECT DISTINCT repository FROM ci_runs") == [("devlake-jenkins",)]
    assert query(db, "SELECT cursor FROM source_cursors") == [("2",)]
    assert query(db, "SELECT record_id FROM source_problems") == [(f"jenkins:{job}:3",)]
    with serve(pipeline_replay({"main": builds["main"]})) as replay:
        again = ingest(db, replay, job)
    assert again.returncode == 0, again.stderr
    assert [p for _, p, _ in replay.received] == [listing_path("/view/all", job), stages_path("/view/all", job, 3)]
    assert query(db, "SELECT count(*) FROM ci_runs") == [(4,)]
    assert query(db, "SELECT cursor FROM source_cursors") == [("4",)]
    assert query(db, "SELECT count(*) FROM source_problems") == [(0,)]


def test_a_stage_with_an_unknown_status_is_reported_and_its_build_read_again(tmp_path):
    """The "build" stage of main #2 is changed to IN_PROGRESS (a stage of a finished build
    cannot be): the other stages and the build are stored, the cursor stays below #2, and
    the next run asks for #2's stages again, not for those of #3 and #4."""
    job = f"{PIPELINE}/main"
    db = tmp_path / "w.duckdb"
    broken = pipeline_replay({"main": branch_builds()["main"]})
    stages = branch_stages()[("main", 2)]
    edited = [dict(st, status="IN_PROGRESS") if st["name"] == "build" else st for st in stages]
    broken.add(answer(stages_path("/view/all", job, 2), {"id": "2", "stages": edited}), first=True)
    with serve(broken) as replay:
        result = ingest(db, replay, job)
    assert result.returncode == 3, result.stderr
    [bad] = [st["id"] for st in stages if st["name"] == "build"]
    assert f"jenkins {job} stages jenkins:{job}:2:{bad}: unknown stage status 'IN_PROGRESS'" in result.stderr
    assert query(db, "SELECT count(*) FROM ci_runs") == [(4,)]
    assert query(db, "SELECT count(*) FROM ci_jobs WHERE run_id = ?", [f"jenkins:{job}:2"]) == [(len(stages) - 1,)]
    assert query(db, "SELECT cursor FROM source_cursors") == [("1",)]
    with serve(pipeline_replay({"main": branch_builds()["main"]})) as replay:
        again = ingest(db, replay, job)
    assert again.returncode == 0, again.stderr
    assert [p for _, p, _ in replay.received] == [listing_path("/view/all", job), stages_path("/view/all", job, 2)]
    assert query(db, "SELECT count(*) FROM ci_jobs WHERE run_id = ?", [f"jenkins:{job}:2"]) == [(len(stages),)]
    assert query(db, "SELECT cursor FROM source_cursors") == [("4",)]
    assert query(db, "SELECT count(*) FROM source_problems") == [(0,)]


def test_queue_time_comes_from_the_metrics_plugin_when_it_is_installed(tmp_path):
    """No recording carries the Metrics plugin's TimeInQueueAction (DevLake did not ask for
    it); it is added here to main #4 (queuingDurationMillis) and #3 (the parts, as older
    versions of the plugin give them). The other builds have no queue time."""
    builds = branch_builds()["main"]
    queued = {"_class": "jenkins.metrics.impl.TimeInQueueAction", "queuingDurationMillis": 12_345}
    parts = {
        "_class": "jenkins.metrics.impl.TimeInQueueAction",
        "waitingDurationMillis": 5_000,
        "blockedDurationMillis": 700,
        "buildableDurationMillis": 60,
    }
    extra = {4: queued, 3: parts}
    edited = [dict(b, actions=[*b["actions"], extra[b["number"]]]) if b["number"] in extra else b for b in builds]
    db = tmp_path / "w.duckdb"
    with serve(pipeline_replay({"main": edited})) as replay:
        assert ingest(db, replay, f"{PIPELINE}/main").returncode == 0
    rows = query(db, "SELECT run_id, epoch_ms(started_at) - epoch_ms(queued_at) FROM ci_runs ORDER BY run_id")
    assert rows == [(f"jenkins:{PIPELINE}/main:{n}", wait) for n, wait in ((1, None), (2, None), (3, 5760), (4, 12345))]


def freestyle_replay() -> Replay:
    rows = recorded("_raw_jenkins_api_builds.csv")
    builds = [
        json.loads(r["data"]) for r in rows if FREESTYLE in unquote(r["url"]) and int(r["id"]) not in CLONED_BUILDS
    ]
    replay = Replay(recorded_host="https://test.nddtf.com")
    job = {"_class": "hudson.model.FreeStyleProject", "property": [], "allBuilds": builds}
    replay.add(answer(listing_path("", FREESTYLE), job))
    return replay


def test_a_freestyle_job_with_a_build_still_running(tmp_path):
    """Builds 47, 37, 27 (still building) and 17 of a freestyle job named in Chinese: the
    cursor stays below #27, so the next run reads down to it again; freestyle builds have
    no stages to ask for."""
    db = tmp_path / "w.duckdb"
    with serve(freestyle_replay()) as replay:
        result = run_quarterdeck(
            "ingest", "jenkins", "--base-url", replay.base_url, "--job", FREESTYLE, "--db", str(db), env=ENV
        )
        assert result.returncode == 0, result.stderr
        assert query(db, "SELECT run_id FROM ci_runs ORDER BY started_at") == [
            (f"jenkins:{FREESTYLE}:{n}",) for n in (17, 37, 47)
        ]
        assert query(db, "SELECT DISTINCT repository, commit_sha FROM ci_runs") == [(FREESTYLE, None)]
        assert query(db, "SELECT cursor FROM source_cursors") == [("17",)]
        replay.received.clear()
        again = run_quarterdeck(
            "ingest", "jenkins", "--base-url", replay.base_url, "--job", FREESTYLE, "--db", str(db), env=ENV
        )
    assert again.returncode == 0, again.stderr
    assert [p for _, p, _ in replay.received] == [listing_path("", FREESTYLE)]
    assert query(db, "SELECT count(*) FROM ci_runs") == [(3,)]


def test_a_malformed_page_stores_nothing_and_names_the_request(tmp_path):
    db = tmp_path / "w.duckdb"
    broken = freestyle_replay()
    broken.add(answer(listing_path("", FREESTYLE), b'{"allBuilds": [{"number": 47,]}'), first=True)
    with serve(broken) as replay:
        result = run_quarterdeck(
            "ingest", "jenkins", "--base-url", replay.base_url, "--job", FREESTYLE, "--db", str(db), env=ENV
        )
    assert result.returncode == 1
    assert "Jenkins: GET /job/" in result.stderr and "answered with malformed JSON" in result.stderr
    assert query(db, "SELECT count(*) FROM ci_runs") == [(0,)]
    assert query(db, "SELECT count(*) FROM source_cursors") == [(0,)]


def test_a_token_without_a_user_is_refused_before_any_request(tmp_path):
    with serve(freestyle_replay()) as replay:
        result = run_quarterdeck(
            "ingest", "jenkins", "--base-url", replay.base_url, "--job", FREESTYLE, "--db", str(tmp_path / "w.duckdb"),
            env={"JENKINS_TOKEN": "jenkins-secret-token-42", "JENKINS_USER": ""},
        )  # fmt: skip
    assert result.returncode == 2
    assert "JENKINS_TOKEN is set but JENKINS_USER is not" in result.stderr
    assert replay.received == [] and "jenkins-secret-token-42" not in result.stderr


def test_the_help_says_what_is_read_and_where_the_token_comes_from():
    result = run_quarterdeck("ingest", "jenkins", "--help")
    assert result.returncode == 0
    for words in ("JENKINS_USER", "JENKINS_TOKEN", "--job", "--since", "multibranch", "Examples"):
        assert words in result.stdout
