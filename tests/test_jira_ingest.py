"""`quarterdeck ingest jira` against a real server on 127.0.0.1 replaying what Jira returned.

Jira Cloud: the issues (with embedded changelogs), statuses, issue types and sprints Apache
DevLake recorded from a Jira Cloud site whose issue types and statuses have Chinese names,
put back in the envelopes the endpoints send (``/search/jql`` pages with ``nextPageToken``
and ``isLast``). Data Center: jira-ruby's and go-jira's whole response bodies as recorded.
The only made-up answers are the board listings (no recording exists; their shape is the
Agile API's) and the errors the scenarios inject. Expected values are read from the
recordings with Python's csv and json, independently of the connector.
"""

from __future__ import annotations

import base64
import copy
import csv
import json
import sys
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.conftest import run_quarterdeck
from tests.replay import FIXTURES, Exchange, Replay, serve
from tests.warehouse_rows import query

DEVLAKE = FIXTURES / "jira" / "apache__incubator-devlake"
JIRA_RUBY = FIXTURES / "jira" / "sumoheavy__jira-ruby"
GO_JIRA = FIXTURES / "jira" / "andygrunwald__go-jira"
CLOUD_HOST = "https://merico.atlassian.net"
TOKEN, EMAIL = "test-token-123", "me@example.com"
CATEGORIES = {"new": "todo", "indeterminate": "in_progress", "done": "done"}
NEXT = "CAEaAggD"  # a page token as Jira Cloud hands them out


def recorded(name: str) -> list[dict]:
    csv.field_size_limit(sys.maxsize)
    with (DEVLAKE / name).open(encoding="utf-8", newline="") as handle:
        return [json.loads(row["data"]) for row in csv.DictReader(handle)]


def updated(issue: dict) -> datetime:
    return datetime.fromisoformat(issue["fields"]["updated"])


def cloud_issues(project: str) -> list[dict]:
    """The recorded issues of a project, in the order of ``ORDER BY updated ASC``."""
    found = [i for i in recorded("_raw_jira_api_issues.csv") if i["fields"]["project"]["key"] == project]
    return sorted(found, key=lambda i: (updated(i), int(i["id"])))


def status_changes(issue: dict) -> list[tuple]:
    return [
        (f"{h['id']}.{n}", item["fromString"], item["toString"], item["from"], item["to"])
        for h in issue["changelog"]["histories"]
        for n, item in enumerate(h["items"])
        if item["field"] == "status"
    ]


def answer(path: str, body: object, headers: dict[str, str] | None = None, status: int = 200) -> Exchange:
    return Exchange(
        "GET", path, status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(body).encode()
    )


def search(jql: str, token: str | None = None) -> str:
    params = {"jql": jql, "fields": "*all", "expand": "changelog", "maxResults": 100}
    return "/rest/api/3/search/jql?" + urlencode({**params, **({"nextPageToken": token} if token else {})})


def boards(project: str, prefix: str = "") -> str:
    return f"{prefix}/rest/agile/1.0/board?" + urlencode({"projectKeyOrId": project, "startAt": 0, "maxResults": 50})


def board_listing(*found: tuple[int, str, str]) -> dict:
    values = [{"id": i, "self": f"{CLOUD_HOST}/rest/agile/1.0/board/{i}", "name": n, "type": t} for i, n, t in found]
    return {"maxResults": 50, "startAt": 0, "total": len(values), "isLast": True, "values": values}


SPRINTS_8 = "/rest/agile/1.0/board/8/sprint?startAt=0&maxResults=50"
EE_FIRST = search('project = "EE" ORDER BY updated ASC')
EE_SECOND = search('project = "EE" ORDER BY updated ASC', NEXT)
K5_FIRST = search('project = "K5" ORDER BY updated ASC')
# the second run: the latest update stored, minus 5 minutes, in the account's zone (Asia/Shanghai)
EE_AGAIN = search('project = "EE" AND updated >= "2021-08-06 14:09" ORDER BY updated ASC')
K5_AGAIN = search('project = "K5" AND updated >= "2022-07-16 06:26" ORDER BY updated ASC')


def cloud_replay(ee: list[dict] | None = None) -> Replay:
    """Project EE in two search pages (20, then 10), K5 in one; the site's statuses and issue
    types; EE's scrum board 8 with its 30 sprints, K5's kanban board (no sprints)."""
    ee, k5 = ee or cloud_issues("EE"), cloud_issues("K5")
    replay = Replay(recorded_host=CLOUD_HOST)
    replay.add(answer("/rest/api/3/status", recorded("_raw_jira_api_status.csv")))
    replay.add(answer("/rest/api/3/issuetype", recorded("_raw_jira_api_issue_types.csv")))
    replay.add(answer(EE_FIRST, {"issues": ee[:20], "nextPageToken": NEXT, "isLast": False}))
    replay.add(answer(EE_SECOND, {"issues": ee[20:], "isLast": True}))
    replay.add(answer(K5_FIRST, {"issues": k5, "isLast": True}))
    replay.add(answer(boards("EE"), board_listing((8, "EE board", "scrum"))))
    replay.add(answer(boards("K5"), board_listing((93, "K5 board", "kanban"))))
    sprints = recorded("_raw_jira_api_sprints.csv")
    replay.add(answer(SPRINTS_8, {"maxResults": 50, "startAt": 0, "isLast": True, "values": sprints}))
    # the second run: the account's time zone, then what was updated since the cursor
    me = cloud_issues("K5")[0]["fields"]["reporter"]  # a recorded user object, as /myself returns one
    replay.add(answer("/rest/api/3/myself", me))
    replay.add(answer(EE_AGAIN, {"issues": [i for i in ee if updated(i) >= updated(ee[-1])], "isLast": True}))
    replay.add(answer(K5_AGAIN, {"issues": k5, "isLast": True}))
    return replay


def ingest(db: Path, base_url: str, *projects: str, env: dict[str, str] | None = None) -> object:
    flags = [arg for project in projects for arg in ("--project", project)]
    return run_quarterdeck(
        "ingest", "jira", "--base-url", base_url, *flags, "--api", "cloud", "--db", str(db), "--format", "json",
        env=env or {"JIRA_TOKEN": TOKEN, "JIRA_EMAIL": EMAIL},
    )  # fmt: skip


def test_cloud_issues_transitions_statuses_and_sprints_are_stored(tmp_path):
    ee, k5 = cloud_issues("EE"), cloud_issues("K5")
    db = tmp_path / "w.duckdb"
    with serve(cloud_replay()) as replay:
        result = ingest(db, replay.base_url, "EE", "K5")
    assert result.returncode == 0, result.stderr
    rows = {(r["scope"], r["resource"]): (r["read"], r["stored"]) for r in json.loads(result.stdout)}
    changes = {i["id"]: status_changes(i) for i in ee + k5}
    ee_changes = sum(len(changes[i["id"]]) for i in ee)
    assert rows == {
        ("site", "issue_statuses"): (53, 53),
        ("EE", "issues"): (30, 30),
        ("EE", "issue_transitions"): (ee_changes, ee_changes),
        ("EE", "sprints"): (30, 30),
        ("K5", "issues"): (3, 3),
        ("K5", "issue_transitions"): (0, 0),
        ("K5", "sprints"): (0, 0),
    }
    bug_types = {t["id"] for t in recorded("_raw_jira_api_issue_types.csv") if t["untranslatedName"] == "Bug"}
    expected = sorted(
        (
            i["id"],
            i["key"],
            i["fields"]["project"]["key"],
            i["fields"]["issuetype"]["name"],
            i["fields"]["issuetype"]["id"] in bug_types,
            i["fields"]["status"]["name"],
            CATEGORIES[i["fields"]["status"]["statusCategory"]["key"]],
            i["fields"]["assignee"] and i["fields"]["assignee"]["accountId"],
            i["fields"]["reporter"]["accountId"],
            (i["fields"]["parent"] or {}).get("key") if "parent" in i["fields"] else None,
            str(i["fields"]["customfield_10020"][0]["id"]) if i["fields"]["customfield_10020"] else None,
            i["fields"]["labels"],
        )
        for i in ee + k5
    )
    assert (
        query(
            db,
            "SELECT issue_id, issue_key, project, issue_type, is_bug, status, status_category, assignee, reporter, "
            "parent_key, sprint_id, labels FROM issues ORDER BY issue_id",
        )
        == expected
    )
    assert query(db, "SELECT issue_key FROM issues WHERE is_bug") == [("EE-23",)]  # 缺陷, untranslated: Bug
    # 已完成 ("done") is a done status by its category, whatever its name; where an issue's
    # status carries the category new, the issue is to do
    assert query(db, "SELECT status_category, count(*) FROM issues WHERE status = '已完成' GROUP BY 1 ORDER BY 1") == [
        ("done", sum(i["fields"]["status"]["statusCategory"]["key"] == "done" for i in ee)),
        ("todo", sum(i["fields"]["status"]["statusCategory"]["key"] == "new" for i in ee)),
    ]
    assert query(
        db, "SELECT name, status_category FROM issue_statuses WHERE status_id IN ('10068', '10074') ORDER BY status_id"
    ) == [
        ("已完成", "done"),
        ("开发中", "in_progress"),
    ]
    stored = query(
        db,
        "SELECT issue_id, transition_id, from_status, to_status, from_status_id, to_status_id "
        "FROM issue_transitions ORDER BY issue_id, transition_id",
    )
    assert stored == sorted((issue_id, *change) for issue_id, found in changes.items() for change in found)
    assert query(db, "SELECT changed_at, author FROM issue_transitions WHERE transition_id = '86412.0'") == [
        (datetime.fromisoformat("2021-03-28T16:06:08.715+08:00"), "5e9711ba34f7b90c0fbc37d3")
    ]
    sprints = recorded("_raw_jira_api_sprints.csv")  # listed by board 8; some began on another board
    assert query(db, "SELECT sprint_id, name, state, board_id FROM sprints ORDER BY sprint_id") == sorted(
        (str(s["id"]), s["name"], s["state"], str(s["originBoardId"])) for s in sprints
    )
    assert query(db, "SELECT scope, cursor FROM source_cursors WHERE resource = 'issues' ORDER BY scope") == [
        ("EE", updated(ee[-1]).isoformat()),
        ("K5", updated(k5[-1]).isoformat()),
    ]
    assert TOKEN not in result.stdout + result.stderr
    basic = "Basic " + base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()
    assert {h["authorization"] for _, _, h in replay.received} == {basic}


def test_a_second_run_reads_only_what_changed(tmp_path):
    db = tmp_path / "w.duckdb"
    with serve(cloud_replay()) as replay:
        assert ingest(db, replay.base_url, "EE", "K5").returncode == 0
        before = query(db, "SELECT * EXCLUDE (loaded_at) FROM issues ORDER BY issue_id")
        moves = query(db, "SELECT count(*) FROM issue_transitions")
        replay.received.clear()
        again = ingest(db, replay.base_url, "EE", "K5")
    assert again.returncode == 0, again.stderr
    assert [path for _, path, _ in replay.received] == [
        "/rest/api/3/status",
        "/rest/api/3/issuetype",
        "/rest/api/3/myself",
        EE_AGAIN,
        boards("EE"),
        SPRINTS_8,
        K5_AGAIN,
        boards("K5"),
    ]
    rows = {(r["scope"], r["resource"]): r["read"] for r in json.loads(again.stdout)}
    assert (rows[("EE", "issues")], rows[("K5", "issues")]) == (1, 3)  # EE-20, read again within the margin
    assert query(db, "SELECT * EXCLUDE (loaded_at) FROM issues ORDER BY issue_id") == before
    assert query(db, "SELECT count(*) FROM issue_transitions") == moves


def test_a_rate_limit_is_waited_out(tmp_path):
    db = tmp_path / "w.duckdb"
    limited = cloud_replay()
    limit = {"errorMessages": ["Rate limit exceeded."]}
    limited.add(answer(EE_SECOND, limit, {"Retry-After": "1"}, status=429), first=True)
    with serve(limited) as replay:
        result = ingest(db, replay.base_url, "EE", "K5")
    assert result.returncode == 0, result.stderr
    assert "Jira: rate limited; waiting 1 s as the API asks" in result.stderr
    assert query(db, "SELECT count(*) FROM issues") == [(33,)]


def test_a_bad_gateway_in_the_middle_is_retried(tmp_path):
    db = tmp_path / "w.duckdb"
    flaky = cloud_replay()
    flaky.add(answer(SPRINTS_8, {"message": "upstream"}, status=502), first=True)
    with serve(flaky) as replay:
        result = ingest(db, replay.base_url, "EE", "K5")
    assert result.returncode == 0, result.stderr
    assert "502 Bad Gateway; retrying in 1 s" in result.stderr
    assert [path for _, path, _ in replay.received].count(SPRINTS_8) == 2
    assert query(db, "SELECT count(*) FROM sprints") == [(30,)]
    assert query(db, "SELECT count(*) FROM issues") == [(33,)]


def test_an_interrupted_run_stores_nothing_of_the_project_and_the_next_one_completes(tmp_path):
    db = tmp_path / "w.duckdb"
    broken = cloud_replay()
    refused = {"errorMessages": ["You do not have the permission to see the specified issues."], "errors": {}}
    broken.add(answer(EE_SECOND, refused, status=403), first=True)
    with serve(broken) as replay:
        failed = ingest(db, replay.base_url, "EE", "K5")
    assert failed.returncode == 1
    assert (
        'Jira: GET rest/api/3/search/jql answered 403 Forbidden ("You do not have the permission to see the '
        "specified issues.\"): the token in JIRA_TOKEN needs the 'Browse projects' permission"
    ) in failed.stderr
    assert TOKEN not in failed.stdout + failed.stderr
    assert query(db, "SELECT project, count(*) FROM issues GROUP BY ALL") == [("K5", 3)]  # the other project goes on
    assert query(db, "SELECT count(*) FROM issue_transitions t JOIN issues USING (issue_id) WHERE project = 'EE'") == [
        (0,)
    ]
    assert query(db, "SELECT count(*) FROM source_cursors WHERE scope = 'EE' AND resource LIKE 'issue%'") == [(0,)]
    with serve(cloud_replay()) as replay:
        assert ingest(db, replay.base_url, "EE", "K5").returncode == 0
    all_changes = sum(len(status_changes(i)) for i in cloud_issues("EE"))
    assert query(db, "SELECT count(*), count(DISTINCT issue_id) FROM issues") == [(33, 33)]
    assert query(db, "SELECT count(*) FROM issue_transitions") == [(all_changes,)]


def test_a_malformed_page_stores_nothing_of_the_project(tmp_path):
    db = tmp_path / "w.duckdb"
    broken = cloud_replay()
    broken.add(
        Exchange("GET", EE_SECOND, 200, {"Content-Type": "application/json"}, b'{"issues": [{"id": }]}'), first=True
    )
    with serve(broken) as replay:
        failed = ingest(db, replay.base_url, "EE", "K5")
    assert failed.returncode == 1
    assert f"Jira: GET {EE_SECOND} answered with malformed JSON" in failed.stderr
    assert query(db, "SELECT count(*) FROM issues WHERE project = 'EE'") == [(0,)]
    assert query(db, "SELECT count(*) FROM source_cursors WHERE scope = 'EE' AND resource LIKE 'issue%'") == [(0,)]


def test_a_bad_issue_is_reported_and_the_cursor_stops_before_it(tmp_path):
    ee = cloud_issues("EE")
    bad = copy.deepcopy(ee[3])
    bad["fields"]["status"]["statusCategory"]["key"] = "paused"  # no such category
    db = tmp_path / "w.duckdb"
    with serve(cloud_replay([*ee[:3], bad, *ee[4:]])) as replay:
        result = ingest(db, replay.base_url, "EE")
    assert result.returncode == 3, result.stderr
    assert f"skipped: jira EE issues {bad['key']}: ValueError: unknown status category 'paused'" in result.stderr
    assert query(db, "SELECT count(*) FROM issues") == [(29,)]
    assert query(db, "SELECT count(*) FROM issues WHERE issue_key = ?", [bad["key"]]) == [(0,)]
    assert query(db, "SELECT record_id FROM source_problems") == [(bad["key"],)]
    assert query(db, "SELECT cursor FROM source_cursors WHERE scope = 'EE'") == [(updated(bad).isoformat(),)]


def test_a_truncated_changelog_is_completed_from_the_changelog_endpoint(tmp_path):
    ee = cloud_issues("EE")
    first = next(i for i in ee if i["key"] == "EE-1")
    histories = first["changelog"]["histories"]
    cut = copy.deepcopy(first)
    cut["changelog"] = {"startAt": 0, "maxResults": 5, "total": len(histories), "histories": histories[:5]}
    assert len(status_changes(cut)) < len(status_changes(first))
    replay = cloud_replay([cut if i is first else i for i in ee])
    path = f"/rest/api/3/issue/{first['id']}/changelog"
    page = {"self": f"{CLOUD_HOST}{path}", "maxResults": 15, "total": len(histories)}
    replay.add(
        answer(f"{path}?startAt=0&maxResults=100", {**page, "startAt": 0, "isLast": False, "values": histories[:15]})
    )
    replay.add(
        answer(f"{path}?startAt=15&maxResults=100", {**page, "startAt": 15, "isLast": True, "values": histories[15:]})
    )
    db = tmp_path / "w.duckdb"
    with serve(replay) as served:
        result = ingest(db, served.base_url, "EE")
    assert result.returncode == 0, result.stderr
    assert query(
        db,
        "SELECT transition_id, from_status, to_status, from_status_id, to_status_id FROM issue_transitions "
        "WHERE issue_id = ? ORDER BY transition_id",
        [first["id"]],
    ) == sorted(status_changes(first))
    asked = [p for _, p, _ in served.received if "/changelog" in p]
    assert asked == [f"{path}?startAt=0&maxResults=100", f"{path}?startAt=15&maxResults=100"]


# -- Jira Data Center / Server ---------------------------------------------------------------


def dc_search(prefix: str, start: int) -> str:
    params = {"jql": 'project = "SAMPLEPROJECT" ORDER BY updated ASC', "fields": "*all", "expand": "changelog"}
    return f"{prefix}/rest/api/2/search?" + urlencode({**params, "maxResults": 100, "startAt": start})


def dc_replay(pages: list[tuple[int, dict]], prefix: str = "/jira") -> Replay:
    """A Data Center site under a context path: the given search pages, go-jira's statuses and
    sprints, the issue types the recorded issues carry, one scrum board."""
    replay = Replay(recorded_host="http://localhost:2990/jira")
    for start, body in pages:
        replay.add(answer(dc_search(prefix, start), body))
    replay.add(answer(f"{prefix}/rest/api/2/status", json.loads((GO_JIRA / "all_statuses.json").read_text())))
    issues = json.loads((JIRA_RUBY / "issue.json").read_text())["issues"]
    types = list({i["fields"]["issuetype"]["id"]: i["fields"]["issuetype"] for i in issues}.values())
    replay.add(answer(f"{prefix}/rest/api/2/issuetype", types))
    replay.add(answer(boards("SAMPLEPROJECT", prefix), board_listing((734, "Sample board", "scrum"))))
    sprints = json.loads((GO_JIRA / "sprints.json").read_text())
    replay.add(answer(f"{prefix}/rest/agile/1.0/board/734/sprint?startAt=0&maxResults=50", sprints))
    return replay


def dc_ingest(db: Path, base_url: str) -> object:
    return run_quarterdeck(
        "ingest", "jira", "--base-url", base_url, "--project", "SAMPLEPROJECT", "--db", str(db), "--format", "json",
        env={"JIRA_TOKEN": TOKEN},
    )  # fmt: skip


def test_data_center_search_as_recorded(tmp_path):
    body = json.loads((JIRA_RUBY / "issue.json").read_text())
    statuses = json.loads((GO_JIRA / "all_statuses.json").read_text())
    sprints = json.loads((GO_JIRA / "sprints.json").read_text())["values"]
    db = tmp_path / "w.duckdb"
    with serve(dc_replay([(0, body)])) as replay:
        result = dc_ingest(db, replay.base_url + "/jira")  # not on atlassian.net: Data Center
    assert result.returncode == 0, result.stderr
    rows = {r["resource"]: (r["read"], r["stored"]) for r in json.loads(result.stdout)}
    categorised = [s for s in statuses if s["statusCategory"]["key"] != "undefined"]
    assert rows["issue_statuses"] == (len(statuses), len(categorised)) == (37, 29)
    assert rows["issues"] == (11, 11) and rows["sprints"] == (6, 6)
    # the recorded issues' status (id 1) carries no category: it comes from the status listing
    category = CATEGORIES[next(s for s in statuses if s["id"] == "1")["statusCategory"]["key"]]
    assert query(db, "SELECT DISTINCT status, status_category, assignee, reporter, is_bug FROM issues") == [
        ("Open", category, "admin", "admin", False)
    ]
    assert query(db, "SELECT issue_id, issue_key FROM issues ORDER BY issue_id") == sorted(
        (i["id"], i["key"]) for i in body["issues"]
    )
    assert query(db, "SELECT sprint_id, state, board_id FROM sprints ORDER BY sprint_id") == sorted(
        (str(s["id"]), s["state"], "734") for s in sprints
    )
    assert [p for _, p, _ in replay.received if "/search" in p] == [dc_search("/jira", 0)]  # isLast: no more
    assert {h["authorization"] for _, _, h in replay.received} == {f"Bearer {TOKEN}"}
    assert TOKEN not in result.stdout + result.stderr


def test_data_center_offset_paging(tmp_path):
    body = json.loads((JIRA_RUBY / "project" / "SAMPLEPROJECT.issues.json").read_text())
    issues = body["issues"]
    pages = [
        (
            start,
            {
                "expand": body["expand"],
                "startAt": start,
                "maxResults": 5,
                "total": 11,
                "issues": issues[start : start + 5],
            },
        )
        for start in (0, 5, 10)
    ]
    db = tmp_path / "w.duckdb"
    with serve(dc_replay(pages)) as replay:
        result = dc_ingest(db, replay.base_url + "/jira")
    assert result.returncode == 0, result.stderr
    assert [p for _, p, _ in replay.received if "/search" in p] == [dc_search("/jira", s) for s in (0, 5, 10)]
    assert query(db, "SELECT count(*), count(DISTINCT issue_id) FROM issues") == [(11, 11)]
    newest = max(datetime.fromisoformat(i["fields"]["updated"]) for i in issues)
    assert query(db, "SELECT cursor FROM source_cursors WHERE scope = 'SAMPLEPROJECT'") == [(newest.isoformat(),)]


def test_cloud_needs_the_accounts_email(tmp_path):
    result = ingest(tmp_path / "w.duckdb", "https://our-org.atlassian.net", "ENG", env={"JIRA_TOKEN": TOKEN})
    assert result.returncode != 0
    assert "Jira Cloud needs the e-mail of the token's account in JIRA_EMAIL" in result.stderr
    assert TOKEN not in result.stdout + result.stderr


def test_a_project_must_be_a_key():
    result = run_quarterdeck("ingest", "jira", "--base-url", "https://x.atlassian.net", "--project", "our project")
    assert result.returncode == 2 and "--project must be a Jira project key" in result.stderr


def test_options_from_the_project_file(tmp_path):
    """bug_types replaces the default rule (no issue type listing is read), jql is ANDed in,
    and sprint_field names the sprint field."""
    k5 = cloud_issues("K5")
    jql = search('project = "K5" AND (issuetype != Epic) ORDER BY updated ASC')
    replay = cloud_replay()
    replay.add(answer(jql, {"issues": k5, "isLast": True}))
    db = tmp_path / "w.duckdb"
    with serve(replay) as served:
        (tmp_path / "quarterdeck.yaml").write_text(
            "sources:\n"
            "  - type: jira\n"
            f"    base_url: {served.base_url}\n"
            "    projects: [K5]\n"
            "    api: cloud\n"
            "    bug_types: [story]\n"
            "    jql: issuetype != Epic\n"
            "    sprint_field: customfield_10020\n"
        )
        result = run_quarterdeck(
            "ingest", "all", "--project-file", str(tmp_path / "quarterdeck.yaml"), "--db", str(db), "--format", "json",
            env={"JIRA_TOKEN": TOKEN, "JIRA_EMAIL": EMAIL},
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [p for _, p, _ in served.received] == ["/rest/api/3/status", jql, boards("K5")]
    assert query(db, "SELECT issue_key, is_bug, sprint_id FROM issues ORDER BY issue_key") == [
        (
            i["key"],
            i["fields"]["issuetype"]["name"] == "Story",
            str(i["fields"]["sprint"]["id"]) if i["fields"]["sprint"] else None,
        )
        for i in sorted(k5, key=lambda i: i["key"])
    ]


def test_an_unknown_option_is_refused_before_anything_is_read(tmp_path):
    (tmp_path / "quarterdeck.yaml").write_text(
        "sources:\n  - type: jira\n    base_url: https://our-org.atlassian.net\n"
        "    projects: [ENG]\n    bugtypes: [Bug]\n"
    )
    result = run_quarterdeck(
        "ingest", "all", "--project-file", str(tmp_path / "quarterdeck.yaml"), "--db", str(tmp_path / "w.duckdb")
    )
    assert result.returncode != 0
    assert "unknown option 'bugtypes' for a jira source" in result.stderr


def test_the_latest_sprint_of_data_center_sprint_strings():
    """Data Center sends the sprint field as strings (this is the format Jira Software 7-9
    writes); the active sprint wins over closed ones, whatever their order."""
    from quarterdeck.sources.jira.records import latest_sprint

    closed = "com.atlassian.greenhopper.service.sprint.Sprint@1b3e4f[id=12,rapidViewId=3,state=CLOSED,name=S 1,"
    closed += "startDate=2023-05-01T09:00:00.000Z,endDate=2023-05-14T09:00:00.000Z,sequence=12,goal=]"
    active = "com.atlassian.greenhopper.service.sprint.Sprint@2c4d5e[id=13,rapidViewId=3,state=ACTIVE,name=S 2,"
    active += "startDate=2023-05-15T09:00:00.000Z,endDate=<null>,sequence=13,goal=]"
    assert latest_sprint({"customfield_10105": [active, closed]}, None) == "13"
    assert latest_sprint({"customfield_10105": [closed]}, "customfield_10105") == "12"
    assert latest_sprint({"customfield_10105": None}, None) is None


@pytest.mark.parametrize(
    ("option", "expected"),
    [  # each option's value is checked when the project file is read: the warehouse is not even opened
        ("api: server", "'api' must be cloud or datacenter"),
        ("email_env: my email", "'email_env' must be the name of an environment variable, such as JIRA_EMAIL"),
        ("bug_types: Bug", "'bug_types' must be a list of issue type ids or names, such as [Bug, 10004]"),
        ("jql: ' '", "'jql' must be a JQL clause, such as: labels != noise"),
        ("story_points_field: story points", "'story_points_field' must be a field id, such as customfield_10016"),
    ],
)
def test_a_bad_option_is_named_before_the_warehouse_is_opened(tmp_path, option, expected):
    project_file = tmp_path / "quarterdeck.yaml"
    project_file.write_text(
        f"sources:\n  - type: jira\n    base_url: http://127.0.0.1:9\n    projects: [ENG]\n    {option}\n"
    )
    db = tmp_path / "w.duckdb"
    result = run_quarterdeck("ingest", "all", "--project-file", str(project_file), "--db", str(db))
    assert result.returncode == 2, result.stderr
    assert f"{project_file}, source 1 (jira): {expected}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not db.exists()


def test_a_named_connection_names_its_summary_and_cursors_and_its_rows_stay_jiras(tmp_path):
    """A connection named in quarterdeck.yaml keeps its own cursors and is named in the summary;
    the rows it stores, and the accounts they name, are Jira's."""
    db, project_file = tmp_path / "w.duckdb", tmp_path / "quarterdeck.yaml"
    with serve(cloud_replay()) as replay:
        project_file.write_text(
            f"sources:\n  - type: jira\n    name: jira-eu\n    base_url: {replay.base_url}\n    projects: [K5]\n"
            "    api: cloud\n"
        )
        result = run_quarterdeck(
            "ingest", "all", "--project-file", str(project_file), "--db", str(db), "--format", "json",
            env={"JIRA_TOKEN": TOKEN, "JIRA_EMAIL": EMAIL},
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [(r["source"], r["scope"], r["resource"]) for r in json.loads(result.stdout)] == [
        ("jira-eu", "site", "issue_statuses"), ("jira-eu", "K5", "issues"), ("jira-eu", "K5", "issue_transitions"),
        ("jira-eu", "K5", "sprints"),
    ]  # fmt: skip
    assert query(db, "SELECT source, scope, resource FROM source_cursors") == [("jira-eu", "K5", "issues")]
    assert query(db, "SELECT DISTINCT source FROM issues") == [("jira",)]
    reporter = cloud_issues("K5")[0]["fields"]["reporter"]["accountId"]
    assert query(db, "SELECT count(*) FROM identities WHERE identity_id = ?", [f"jira:{reporter.lower()}"]) == [(1,)]
