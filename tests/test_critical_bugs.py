"""Critical bugs from the trackers: open_critical_bugs, critical_bug_age and
critical_bug_escape_rate, from issues replayed as GitHub and Jira recorded them.

- GitHub: betamaxpy/betamax's issues as github3.py's Betamax cassette holds them (two
  pages), read by ``quarterdeck ingest github``. Its bugs (label Bug) carry labels such as
  "PR exists" and "ready", none of the default critical labels: a configuration that calls
  "PR exists" critical makes #128 and #143 critical bugs.
- Jira Cloud: Apache DevLake's recording of project EE, whose one bug (EE-23, type 缺陷)
  has priority Medium (id 3); a copy of it gets an Environment (as Cloud's API 3 sends it, a
  document) saying where it was found.

Expected values are worked out by hand below, and the ages recomputed from the recorded
times with Python's datetime, never with Quarterdeck's code.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests import wait_golden as golden
from tests.conftest import run_quarterdeck
from tests.dashboard_server import DashboardServer
from tests.github_cassettes import answer
from tests.replay import Replay, serve
from tests.test_github_resources import BETAMAX_REPO, issue_pages, issues_replay
from tests.test_github_resources import ingest as ingest_github
from tests.test_jira_ingest import cloud_issues, cloud_replay
from tests.test_jira_ingest import ingest as ingest_jira
from tests.test_metrics_cli import _run_explained, _same
from tests.test_wait_ledger import jira_search
from tests.warehouse_rows import query

AUTUMN_2017 = ("--since", "2017-09-01", "--until", "2017-10-31", "--grain", "month")
JUNE_2020 = ("--since", "2020-06-08", "--until", "2020-06-21", "--grain", "week")
JIRA_ENV = {"JIRA_TOKEN": "jira-secret-3", "JIRA_EMAIL": "me@example.com"}
PR_EXISTS_IS_CRITICAL = {"QUARTERDECK_BUGS_CRITICAL_LABELS": "PR exists"}


def days(later: str, earlier: str) -> float:
    return (datetime.fromisoformat(later) - datetime.fromisoformat(earlier)).total_seconds() / 86400


def metric(db: Path, name: str, *args: str, env: dict[str, str] | None = None) -> list[dict]:
    result = run_quarterdeck("metrics", "show", name, "--db", str(db), "--format", "json", *args, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["rows"]


def table(rows: list[dict], *columns: str) -> dict[str, tuple]:
    return {str(r["period_start"]): tuple(r[c] for c in columns) for r in rows}


@pytest.fixture(scope="module")
def betamax(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("betamax") / "w.duckdb"
    with serve(issues_replay()) as replay:
        result = ingest_github(db, replay, BETAMAX_REPO)
    assert result.returncode == 0, result.stderr
    return db


def recorded_issue(number: int) -> dict:
    return next(i for page in issue_pages() for i in page if i["number"] == number and "pull_request" not in i)


def test_the_recorded_bugs_and_their_labels(betamax):
    # what the expectations below rest on: #128 and #143 are the only bugs labelled "PR exists"
    assert query(
        betamax, "SELECT issue_key, labels FROM issues WHERE is_bug AND list_contains(labels, 'PR exists') ORDER BY 1"
    ) == [("betamaxpy/betamax#128", ["Bug", "PR exists"]), ("betamaxpy/betamax#143", ["Bug", "PR exists", "ready"])]
    assert (recorded_issue(128)["created_at"], recorded_issue(128)["closed_at"]) == (
        "2017-01-03T03:19:24Z",
        "2017-10-28T19:24:27Z",
    )
    assert (recorded_issue(143)["created_at"], recorded_issue(143)["closed_at"]) == ("2017-10-03T13:55:30Z", None)


def test_no_bug_of_the_recording_is_critical_by_default(betamax):
    # labels Bug, PR exists, ready, Enhancement...: none of critical, P0, severity:critical ...
    rows = metric(betamax, "open_critical_bugs", *AUTUMN_2017)
    assert [(r["group"], r["open"]) for r in rows] == [("organization", 0), ("organization", 0)]
    rate = metric(betamax, "critical_bug_escape_rate", *AUTUMN_2017)
    assert table(rate, "found", "in_production", "escape_rate") == {
        "2017-09-01": (0, 0, None),
        "2017-10-01": (0, 0, None),
    }


def test_open_critical_bugs_and_their_age_at_each_month_end(betamax):
    rows = metric(betamax, "open_critical_bugs", *AUTUMN_2017, env=PR_EXISTS_IS_CRITICAL)
    # at 2017-10-01 00:00 UTC: #128 (opened 2017-01-03 03:19:24, closed 10-28) is open, 271 days
    # less 3 h 19 min 24 s old; at 11-01 00:00 #128 is closed and #143 (opened 10-03 13:55:30)
    # is open, 29 days less 13 h 55 min 30 s old
    sept = 271 - (3 * 3600 + 19 * 60 + 24) / 86400
    octo = 29 - (13 * 3600 + 55 * 60 + 30) / 86400
    assert sept == pytest.approx(days("2017-10-01T00:00:00+00:00", "2017-01-03T03:19:24+00:00"))
    assert table(rows, "group", "open", "median_age_days", "oldest_age_days") == {
        "2017-09-01": ("organization", 1, pytest.approx(sept), pytest.approx(sept)),
        "2017-10-01": ("organization", 1, pytest.approx(octo), pytest.approx(octo)),
    }
    ages = metric(betamax, "critical_bug_age", *AUTUMN_2017, env=PR_EXISTS_IS_CRITICAL)
    assert [r["median_age_days"] for r in ages] == [pytest.approx(sept), pytest.approx(octo)]


def test_two_critical_labels_make_two_open_bugs_with_their_median_age(betamax):
    # "ready" too: #16 (Bug, ready) was closed in 2014, so October ends with #143 alone; with
    # "Bug" itself critical, every bug open at the end of September counts: #40 (opened
    # 2014-09-18 11:42:44, still open) and #128
    env = {"QUARTERDECK_BUGS_CRITICAL_LABELS": "bug,PR exists"}
    rows = metric(betamax, "open_critical_bugs", *AUTUMN_2017, env=env)
    end = "2017-10-01T00:00:00+00:00"
    a, b = days(end, "2014-09-18T11:42:44+00:00"), days(end, "2017-01-03T03:19:24+00:00")
    # at 11-01: #40 and #143 (#128 closed on 10-28)
    c, d = (
        days("2017-11-01T00:00:00+00:00", "2014-09-18T11:42:44+00:00"),
        days("2017-11-01T00:00:00+00:00", "2017-10-03T13:55:30+00:00"),
    )
    assert table(rows, "open", "median_age_days", "oldest_age_days") == {
        "2017-09-01": (2, pytest.approx((a + b) / 2), pytest.approx(a)),
        "2017-10-01": (2, pytest.approx((c + d) / 2), pytest.approx(c)),
    }


def test_the_escape_rate_follows_the_production_labels(betamax):
    # found in October: #143 alone (#128 was opened in January); its labels are Bug, PR exists,
    # ready: not found in production by default, found there when "ready" says so
    rate = metric(betamax, "critical_bug_escape_rate", *AUTUMN_2017, env=PR_EXISTS_IS_CRITICAL)
    assert table(rate, "found", "in_production", "escape_rate") == {
        "2017-09-01": (0, 0, None),
        "2017-10-01": (1, 0, 0.0),
    }
    env = {**PR_EXISTS_IS_CRITICAL, "QUARTERDECK_BUGS_PRODUCTION_LABELS": "Ready"}
    rate = metric(betamax, "critical_bug_escape_rate", *AUTUMN_2017, env=env)
    assert table(rate, "found", "in_production", "escape_rate")["2017-10-01"] == (1, 1, 1.0)


def test_by_team_an_account_linked_to_nobody_is_unmatched(betamax):
    # #143 is assigned to hroncok, whom no organization import names; #128 to nobody
    rows = metric(betamax, "open_critical_bugs", *AUTUMN_2017, "--by", "team", env=PR_EXISTS_IS_CRITICAL)
    assert {(r["group"], str(r["period_start"])): r["open"] for r in rows} == {
        ("(unassigned)", "2017-09-01"): 1,
        ("(unassigned)", "2017-10-01"): 0,
        ("(unmatched)", "2017-09-01"): 0,
        ("(unmatched)", "2017-10-01"): 1,
    }


# -- Jira: priorities by name or id, and the Environment field --------------------------------

PRODUCTION_ENVIRONMENT = {
    "type": "doc",
    "version": 1,
    "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Production (EU), Chrome 118"}]}],
}


@pytest.fixture(scope="module")
def devlake(tmp_path_factory) -> Path:
    ee = copy.deepcopy(cloud_issues("EE"))
    bug = next(i for i in ee if i["key"] == "EE-23")
    bug["fields"]["environment"] = PRODUCTION_ENVIRONMENT
    db = tmp_path_factory.mktemp("devlake") / "w.duckdb"
    with serve(cloud_replay(ee)) as replay:
        result = ingest_jira(db, replay.base_url, "EE", "K5")
    assert result.returncode == 0, result.stderr
    return db


def test_jira_priorities_are_stored_by_name_and_id_with_the_environment(devlake):
    assert query(devlake, "SELECT priority, priority_id, found_in FROM issues WHERE issue_key = 'EE-23'") == [
        ("Medium", "3", ["Production (EU), Chrome 118"])
    ]
    assert query(devlake, "SELECT count(*) FROM issues WHERE found_in = []") == [(32,)]


def test_a_jira_priority_counts_as_critical_by_name_or_by_id(devlake):
    ee23 = cloud_issues("EE")[[i["key"] for i in cloud_issues("EE")].index("EE-23")]["fields"]
    assert (ee23["created"], ee23["resolutiondate"]) == (
        "2020-06-12T08:33:57.204+0800",
        "2020-06-15T17:07:56.798+0800",
    )
    # the week of 06-08 ends at 06-15 00:00 UTC: EE-23 (opened 06-12 00:33:57.204 UTC) is open
    # and 2 days 23 h 26 min 2.796 s old; it was resolved on 06-15 09:07 UTC, in the next week
    age = 2 + (23 * 3600 + 26 * 60 + 2.796) / 86400
    assert age == pytest.approx(days("2020-06-15T00:00:00+00:00", ee23["created"]))
    expected = {"2020-06-08": (1, pytest.approx(age)), "2020-06-15": (0, None)}
    for rule in ("Medium", "3", "medium,Highest"):
        rows = metric(devlake, "open_critical_bugs", *JUNE_2020, env={"QUARTERDECK_BUGS_CRITICAL_PRIORITIES": rule})
        assert table(rows, "open", "median_age_days") == expected, rule
    rows = metric(devlake, "open_critical_bugs", *JUNE_2020)  # Medium is not critical by default
    assert table(rows, "open", "median_age_days") == {"2020-06-08": (0, None), "2020-06-15": (0, None)}


def test_the_environment_says_a_jira_bug_was_found_in_production(devlake, tmp_path):
    config = tmp_path / "quarterdeck.toml"
    config.write_text('[bugs]\ncritical_priorities = ["3"]\n', encoding="utf-8")
    rate = metric(devlake, "critical_bug_escape_rate", *JUNE_2020, "--config", str(config))
    assert table(rate, "found", "in_production", "escape_rate") == {
        "2020-06-08": (1, 1, 1.0),
        "2020-06-15": (0, 0, None),
    }
    # "Production (EU), Chrome 118" holds the word production, not the word "prod" or "EU West"
    config.write_text('[bugs]\ncritical_priorities = ["3"]\nproduction_values = ["prod", "eu west"]\n')
    rate = metric(devlake, "critical_bug_escape_rate", *JUNE_2020, "--config", str(config))
    assert table(rate, "found", "in_production", "escape_rate")["2020-06-08"] == (1, 0, 0.0)
    config.write_text('[bugs]\ncritical_priorities = ["3"]\nproduction_values = ["chrome 118"]\n')
    rate = metric(devlake, "critical_bug_escape_rate", *JUNE_2020, "--config", str(config))
    assert table(rate, "found", "in_production", "escape_rate")["2020-06-08"] == (1, 1, 1.0)


def test_a_bad_bug_rule_is_an_error_naming_the_setting(devlake, tmp_path):
    config = tmp_path / "quarterdeck.toml"
    config.write_text('[bugs]\ncritical_labels = "critical"\n', encoding="utf-8")
    result = run_quarterdeck("metrics", "show", "open_critical_bugs", "--db", str(devlake), "--config", str(config))
    assert result.returncode != 0
    assert "bugs.critical_labels" in result.stderr and "a list of strings" in result.stderr
    assert "Traceback" not in result.stderr


# -- teams: hand-made Jira bugs of the wait ledger's small organization ------------------------
#
# alpha: Bob (Jira acc-bob, linked by e-mail); beta: Carol (acc-carol, by a mapping row); both
# teams in eng. Weeks of 2026-03-02 and 03-09, UTC.
#   ENG-1 Bug, Highest, Bob, opened Mon 03-02 10:00, open; Environment "Production"
#   ENG-2 Bug, High with label P0, Carol, opened Tue 03-03 12:00, resolved Tue 03-10 12:00
#   ENG-3 Bug, Medium, Bob, opened 03-04: not critical
#   ENG-4 Task, Highest, Bob, opened 03-04: not a bug
#   ENG-5 Bug, Critical, unassigned, opened Thu 03-05 00:00, open; label found-in:production
MARCH = ("--since", "2026-03-02", "--until", "2026-03-15", "--grain", "week")


def jira_bug(key: str, kind: str, priority: tuple[str, str], who: dict | None, created: str, **more) -> dict:
    """An issue as Jira Cloud's search returns it (the fields the connector reads)."""
    resolved = more.get("resolved")
    return {
        "id": str(10000 + int(key.split("-")[1])),
        "key": key,
        "fields": {
            "summary": f"{key} summary",
            "issuetype": {"id": "10004" if kind == "Bug" else "10002", "name": kind},
            "status": golden.STATUSES[2 if resolved is None else 0],
            "priority": {"id": priority[0], "name": priority[1]},
            "labels": more.get("labels", []),
            "environment": more.get("environment"),
            "assignee": who,
            "reporter": golden.CAROL_JIRA,
            "created": created,
            "updated": resolved or created,
            "resolutiondate": resolved,
        },
        "changelog": {"startAt": 0, "maxResults": 0, "total": 0, "histories": []},
    }


RESOLVED, PRODUCTION = "2026-03-10T12:00:00.000+0000", "found-in:production"


def team_bugs() -> list[dict]:
    bob, carol = golden.BOB_JIRA, golden.CAROL_JIRA
    return [
        jira_bug("ENG-1", "Bug", ("1", "Highest"), bob, "2026-03-02T10:00:00.000+0000", environment="Production"),
        jira_bug(
            "ENG-2", "Bug", ("2", "High"), carol, "2026-03-03T12:00:00.000+0000", labels=["P0"], resolved=RESOLVED
        ),
        jira_bug("ENG-3", "Bug", ("3", "Medium"), bob, "2026-03-04T09:00:00.000+0000"),
        jira_bug("ENG-4", "Task", ("1", "Highest"), bob, "2026-03-04T09:00:00.000+0000"),
        jira_bug("ENG-5", "Bug", ("10001", "Critical"), None, "2026-03-05T00:00:00.000+0000", labels=[PRODUCTION]),
    ]


def jira_replay(issues: list[dict]) -> Replay:
    """A Jira Cloud site with project ENG holding ``issues``, and no boards."""
    replay = Replay()
    replay.add(answer("/rest/api/3/status", golden.STATUSES))
    types = [{"id": "10004", "name": "Bug", "untranslatedName": "Bug"}, {"id": "10002", "name": "Task"}]
    replay.add(answer("/rest/api/3/issuetype", types))
    replay.add(answer(jira_search("ENG"), {"issues": issues, "isLast": True}))
    boards = "/rest/agile/1.0/board?" + urlencode({"projectKeyOrId": "ENG", "startAt": 0, "maxResults": 50})
    replay.add(answer(boards, {"maxResults": 50, "startAt": 0, "total": 0, "isLast": True, "values": []}))
    return replay


@pytest.fixture(scope="module")
def teams(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("teams")
    org = {"org.yaml": golden.ORG_YAML, "people.csv": golden.PEOPLE_CSV, "identities.csv": golden.IDENTITIES_CSV}
    for name, text in org.items():
        (root / name).write_text(text)
    db = root / "w.duckdb"
    done = run_quarterdeck("ingest", "org", *(str(root / n) for n in org), "--as-of", "2026-01-01", "--db", str(db))
    assert done.returncode == 0, done.stderr
    with serve(jira_replay(team_bugs())) as running:
        done = run_quarterdeck(
            "ingest", "jira", "--base-url", running.base_url, "--project", "ENG", "--api", "cloud",
            "--db", str(db), "--format", "json", env=JIRA_ENV,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return db


def test_critical_bugs_count_for_their_assignees_team(teams):
    rows = metric(teams, "open_critical_bugs", *MARCH, "--by", "team")
    got = {(r["group"], str(r["period_start"])): (r["open"], r["median_age_days"]) for r in rows}
    # at 03-09 00:00: ENG-1 6 d 14 h old (alpha), ENG-2 5 d 12 h (beta), ENG-5 4 d (nobody's);
    # at 03-16 00:00: ENG-1 13 d 14 h, ENG-5 11 d (ENG-2 was resolved on 03-10)
    assert got == {
        ("alpha", "2026-03-02"): (1, pytest.approx(6 + 14 / 24)),
        ("alpha", "2026-03-09"): (1, pytest.approx(13 + 14 / 24)),
        ("beta", "2026-03-02"): (1, pytest.approx(5.5)),
        ("beta", "2026-03-09"): (0, None),
        ("(unassigned)", "2026-03-02"): (1, pytest.approx(4.0)),
        ("(unassigned)", "2026-03-09"): (1, pytest.approx(11.0)),
    }
    org = metric(teams, "open_critical_bugs", *MARCH)
    assert table(org, "open", "median_age_days", "oldest_age_days") == {
        "2026-03-02": (3, pytest.approx(5.5), pytest.approx(6 + 14 / 24)),
        "2026-03-09": (2, pytest.approx((13 + 14 / 24 + 11) / 2), pytest.approx(13 + 14 / 24)),
    }
    units = metric(teams, "open_critical_bugs", *MARCH, "--by", "unit")
    assert {(r["group"], str(r["period_start"])): r["open"] for r in units if r["group"] == "eng"} == {
        ("eng", "2026-03-02"): 2,
        ("eng", "2026-03-09"): 1,
    }
    beta = metric(teams, "open_critical_bugs", *MARCH, "--by", "team", "--unit", "beta")
    assert {(r["group"], str(r["period_start"])): r["open"] for r in beta} == {
        ("beta", "2026-03-02"): 1,
        ("beta", "2026-03-09"): 0,
    }


def test_the_escape_rate_per_team(teams):
    rows = metric(teams, "critical_bug_escape_rate", *MARCH, "--by", "team")
    got = {(r["group"], str(r["period_start"])): (r["found"], r["in_production"], r["escape_rate"]) for r in rows}
    # found in the first week: ENG-1 (Environment Production), ENG-2 (no sign), ENG-5 (label)
    assert {k: v for k, v in got.items() if k[1] == "2026-03-02"} == {
        ("alpha", "2026-03-02"): (1, 1, 1.0),
        ("beta", "2026-03-02"): (1, 0, 0.0),
        ("(unassigned)", "2026-03-02"): (1, 1, 1.0),
    }
    org = metric(teams, "critical_bug_escape_rate", *MARCH)
    assert table(org, "found", "in_production", "escape_rate") == {
        "2026-03-02": (3, 2, pytest.approx(2 / 3)),
        "2026-03-09": (0, 0, None),
    }


# -- the dashboard ----------------------------------------------------------------------------


def test_the_scorecard_names_incidents_and_critical_bugs_apart(betamax, tmp_path):
    server = DashboardServer(betamax, tmp_path, env=PR_EXISTS_IS_CRITICAL)
    try:
        tiles = server.get("/api/v1/scorecard?until=2017-10-31&months=3").json()["tiles"]
        overview = server.get("/?until=2017-10-31&months=3")
        page = server.get("/metrics/open_critical_bugs?until=2017-10-31&months=3")
    finally:
        server.stop()
    by_metric = {t["metric"]: t for t in tiles}
    incidents = by_metric["open_critical_incidents"]
    assert (incidents["area"], incidents["title"], incidents["unit"]) == (
        "reliability",
        "Open critical incidents",
        "incidents",
    )
    bugs = by_metric["open_critical_bugs"]
    assert (bugs["area"], bugs["title"], bugs["unit"]) == ("reliability", "Open critical bugs", "bugs")
    # August: #128 open; September: #128; October: #143
    assert [(s["month"], s["value"]) for s in bugs["series"]] == [
        ("2017-08-01", 1.0),
        ("2017-09-01", 1.0),
        ("2017-10-01", 1.0),
    ]
    escape = by_metric["critical_bug_escape_rate"]
    assert (escape["title"], escape["value"]) == ("Critical bug escape rate", 0.0)
    assert not any("bug" in t["title"].lower() for t in tiles if "incident" in t["metric"])
    assert overview.status_code == 200
    assert "Open critical incidents" in overview.text and "Open critical bugs" in overview.text
    assert page.status_code == 200 and "Open critical bugs" in page.text


@pytest.mark.parametrize("name", ["open_critical_bugs", "critical_bug_age", "critical_bug_escape_rate"])
def test_the_explained_sql_gives_the_rows_shown(teams, name):
    args = ("metrics", "show", name, "--db", str(teams), *MARCH, "--by", "unit")
    env = {"QUARTERDECK_BUGS_PRODUCTION_VALUES": "production,live"}
    expected = metric(teams, name, *MARCH, "--by", "unit", env=env)
    assert expected
    explained = run_quarterdeck(*args, "--explain", env=env)
    assert explained.returncode == 0, explained.stderr
    assert not re.search(r"\$[a-z_]+\b", re.sub(r"(?m)^--.*$", "", explained.stdout)), "a parameter was left unbound"
    columns, got = _run_explained(teams, explained.stdout, None)
    assert len(got) == len(expected)
    for want, row in zip(expected, got, strict=True):
        assert all(_same(want[c], v) for c, v in zip(columns, row, strict=True)), (want, row)


def test_a_custom_found_in_field_of_the_jira_source(tmp_path):
    # "Found in", a select field (customfield_10050): one option, several options, none
    bugs = [
        jira_bug("ENG-1", "Bug", ("1", "Highest"), None, "2026-03-02T10:00:00.000+0000", environment="Production"),
        jira_bug("ENG-2", "Bug", ("1", "Highest"), None, "2026-03-03T10:00:00.000+0000"),
        jira_bug("ENG-3", "Bug", ("1", "Highest"), None, "2026-03-04T10:00:00.000+0000"),
    ]
    bugs[1]["fields"]["customfield_10050"] = {"id": "10020", "value": "Production"}
    bugs[2]["fields"]["customfield_10050"] = [{"id": "10021", "value": "QA"}, {"id": "10022", "value": "Live"}]
    db = tmp_path / "w.duckdb"
    with serve(jira_replay(bugs)) as running:
        project = tmp_path / "quarterdeck.yaml"
        project.write_text(
            f"sources:\n  - type: jira\n    base_url: {running.base_url}\n    api: cloud\n    projects: [ENG]\n"
            "    found_in_field: customfield_10050\n",
            encoding="utf-8",
        )
        done = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", str(db), env=JIRA_ENV)
    assert done.returncode == 0, done.stderr
    # the Environment of ENG-1 is not the field this source reads
    assert query(db, "SELECT issue_key, found_in FROM issues ORDER BY 1") == [
        ("ENG-1", []),
        ("ENG-2", ["Production"]),
        ("ENG-3", ["QA", "Live"]),
    ]
    rate = metric(db, "critical_bug_escape_rate", *MARCH, env={"QUARTERDECK_BUGS_PRODUCTION_VALUES": "production,live"})
    assert table(rate, "found", "in_production", "escape_rate")["2026-03-02"] == (3, 2, pytest.approx(2 / 3))


def test_a_bad_found_in_field_stops_the_sync_naming_the_source(tmp_path):
    project = tmp_path / "quarterdeck.yaml"
    project.write_text(
        "sources:\n  - type: jira\n    base_url: http://127.0.0.1:9\n    projects: [ENG]\n"
        "    found_in_field: Found in\n",
        encoding="utf-8",
    )
    done = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", str(tmp_path / "w.duckdb"))
    assert done.returncode != 0
    assert "source 1 (jira)" in done.stderr and "'found_in_field' must be a field id" in done.stderr
    assert "Traceback" not in done.stderr
