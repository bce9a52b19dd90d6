"""The wait ledger end to end: git, the organization, CI runs and deployments from files,
pull requests from a GitHub and an issue from a Jira served on 127.0.0.1, all read through
`quarterdeck ingest all`; every expected value worked out by hand in tests/wait_golden.py."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import urlencode

import duckdb
import pytest

from tests import wait_golden as golden
from tests.conftest import run_quarterdeck
from tests.github_cassettes import RecordedRepository, answer
from tests.replay import Replay, serve
from tests.warehouse_rows import query

WEEK = ("--since", "2026-03-02", "--until", "2026-03-08")
ENV = {"GITHUB_TOKEN": "gh-secret-1", "JIRA_TOKEN": "jira-secret-2", "JIRA_EMAIL": "me@example.com"}


def jira_search(project: str) -> str:
    params = {"jql": f'project = "{project}" ORDER BY updated ASC', "fields": "*all", "expand": "changelog"}
    return "/rest/api/3/search/jql?" + urlencode({**params, "maxResults": 100})


def replay_for(sha: dict[str, str], issues: list[dict]) -> Replay:
    pulls, reviews = golden.pulls_and_reviews(sha)
    replay = Replay()
    RecordedRepository("acme/web", pulls=pulls, reviews=reviews, events=golden.pr_events()).add_to(replay)
    replay.add(answer("/rest/api/3/status", golden.STATUSES))
    replay.add(answer(jira_search("ENG"), {"issues": issues, "isLast": True}))
    boards = "/rest/agile/1.0/board?" + urlencode({"projectKeyOrId": "ENG", "startAt": 0, "maxResults": 50})
    replay.add(answer(boards, {"maxResults": 50, "startAt": 0, "total": 0, "isLast": True, "values": []}))
    return replay


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> dict:
    return ingest_ledger(tmp_path_factory.mktemp("waits"), [golden.jira_issue()])


def ingest_ledger(root, issues: list[dict]) -> dict:
    """The organization of tests/wait_golden.py in a warehouse, with these Jira issues."""
    sha = golden.build_web(root / "web")
    files = {
        "org.yaml": golden.ORG_YAML,
        "people.csv": golden.PEOPLE_CSV,
        "identities.csv": golden.IDENTITIES_CSV,
        "ci.csv": golden.ci_runs_csv(sha),
        "deployments.csv": golden.deployments_csv(sha),
        "quarterdeck.toml": golden.CONFIG_TOML,
    }
    for name, text in files.items():
        (root / name).write_text(text)
    db, config = root / "w.duckdb", root / "quarterdeck.toml"
    base = ("--db", str(db), "--config", str(config))
    steps = [
        ("ingest", "git", str(root / "web")),
        (
            "ingest",
            "org",
            *(str(root / n) for n in ("org.yaml", "people.csv", "identities.csv")),
            "--as-of",
            "2026-01-01",
        ),
        ("ingest", "ci-runs", str(root / "ci.csv")),
        ("ingest", "deployments", str(root / "deployments.csv")),
    ]
    for step in steps:
        done = run_quarterdeck(*step, *base)
        assert done.returncode == 0, (step, done.stderr)
    with serve(replay_for(sha, issues)) as replay:
        (root / "quarterdeck.yaml").write_text(
            "sources:\n"
            f"  - type: github\n    base_url: {replay.base_url}\n    repositories: [acme/web]\n"
            f"  - type: jira\n    base_url: {replay.base_url}\n    api: cloud\n    projects: [ENG]\n"
            "    bug_types: [Bug]\n"
        )
        synced = run_quarterdeck("ingest", "all", *base, "--format", "json", env=ENV, cwd=root)
    assert synced.returncode == 0, synced.stderr
    return {"db": db, "base": base, "root": root, "synced": synced}


def metric(ledger: dict, name: str, *args: str) -> list[dict]:
    result = run_quarterdeck("metrics", "show", name, *ledger["base"], "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["rows"]


def computed(ledger: dict, name: str, *args: str) -> list[dict]:
    """The rows of the SQL that ``metrics show NAME --explain`` prints, run in DuckDB: the
    numbers before groups of fewer people than privacy.min_group_size are hidden (these
    hand-made teams have one or two people), as JSON would write them."""
    result = run_quarterdeck("metrics", "show", name, *ledger["base"], "--explain", *args)
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(ledger["db"]), read_only=True) as con:
        cursor = con.execute(result.stdout)
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    return [{c: v.isoformat() if isinstance(v, date) else v for c, v in zip(columns, row, strict=True)} for row in rows]


def test_accounts_are_linked_to_people_and_bots_are_flagged(ledger):
    rows = query(
        ledger["db"],
        "SELECT i.identity_id, i.is_bot, l.person_id, l.method FROM identities AS i "
        "LEFT JOIN identity_links AS l USING (identity_id) WHERE i.kind = 'account' ORDER BY 1",
    )
    assert rows == [
        ("github:alice-gh", False, "P1", "github-login"),
        ("github:bob-gh", False, "P2", "github-login"),
        ("github:carol-gh", False, "P3", "github-login"),
        ("github:dependabot[bot]", True, None, None),
        ("jira:acc-bob", False, "P2", "email"),
        ("jira:acc-carol", False, "P3", "mapping"),
    ]
    assert "secret" not in ledger["synced"].stdout + ledger["synced"].stderr


def test_pickup_review_and_ci_waits_per_team(ledger):
    pickup = computed(ledger, "pr_pickup_time", "--since", "2026-03-02", "--until", "2026-03-15", "--by", "team")
    assert [(r["group"], r["period_start"], r["pull_requests"], r["median_hours"]) for r in pickup] == [
        ("alpha", "2026-03-02", 2, 11.0),  # PR 1: 4 h, PR 2: 18 h
        ("alpha", "2026-03-09", 0, None),
        ("beta", "2026-03-02", 0, None),
        ("beta", "2026-03-09", 1, 1.5),  # PR 4
    ]
    first = pickup[0]
    assert (first["p75_hours"], first["p90_hours"], first["mean_hours"]) == pytest.approx((14.5, 16.6, 11.0))
    review = computed(ledger, "pr_review_time", *WEEK, "--by", "team")
    assert [(r["group"], r["pull_requests"], r["median_hours"]) for r in review] == [("alpha", 1, 21.0)]
    ci = computed(ledger, "pr_ci_wait", *WEEK, "--by", "org")
    assert [(r["group"], r["pull_requests"], r["median_hours"]) for r in ci] == [("organization", 1, 1.0)]


def test_blocked_issue_time(ledger):
    rows = computed(ledger, "issue_blocked_time", *WEEK, "--by", "team")
    assert [(r["group"], r["issues_blocked"], r["blocked_hours"]) for r in rows] == [("alpha", 1, 48.0)]
    by_day = computed(ledger, "issue_blocked_time", "--since", "2026-03-03", "--until", "2026-03-03", "--by", "team")
    assert [(r["group"], r["blocked_hours"]) for r in by_day] == [("alpha", 24.0)]  # cut at the window


def test_engineer_hours_waiting_counts_working_hours_once(ledger):
    rows = metric(ledger, "engineer_hours_waiting", *WEEK, "--by", "team")
    assert len(rows) == 1
    row = rows[0]
    assert (row["group"], row["period_start"], row["authors_waiting"]) == ("alpha", "2026-03-02", 2)
    assert [row[k] for k in ("hours_waiting", "hours_per_author", "pickup_hours", "review_hours")] == pytest.approx(
        [28.25, 14.125, 6.0, 5.0]
    )  # Alice 12.25 + Bob 16
    assert [row[k] for k in ("ci_hours", "deploy_hours", "blocked_hours")] == pytest.approx([1.0, 3.0, 16.0])


def test_working_hours_are_a_setting(ledger, tmp_path):
    config = tmp_path / "late.toml"
    config.write_text(golden.CONFIG_TOML + '\n[waits]\nworking_hours = "13:00-17:00"\n')
    result = run_quarterdeck(
        "metrics", "show", "engineer_hours_waiting", "--db", str(ledger["db"]), "--config", str(config),
        "--format", "json", *WEEK, "--by", "team",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    row = json.loads(result.stdout)["rows"][0]
    # Alice: Mon 13-17 (4 h), Tue 13-15 deploy (2 h); Bob blocked Mon 13-17, Tue 13-17 (8 h), Wed none
    assert (row["hours_waiting"], row["blocked_hours"], row["deploy_hours"]) == pytest.approx((14.0, 8.0, 2.0))


def test_small_groups_are_hidden(ledger):
    rows = metric(ledger, "engineer_hours_waiting", "--since", "2026-03-09", "--until", "2026-03-15", "--by", "team")
    assert [(r["group"], r["authors_waiting"], r["hours_waiting"]) for r in rows] == [("beta", 1, "<2")]
    # a week in which nobody of a team waited has no row; a hidden group is hidden in its own
    # week only, and no other group is hidden for it when the rest of its week is empty
    both = metric(ledger, "engineer_hours_waiting", "--since", "2026-03-02", "--until", "2026-03-15", "--by", "team")
    assert [(r["group"], r["period_start"], r["authors_waiting"], r["hours_waiting"]) for r in both] == [
        ("alpha", "2026-03-02", 2, 28.25),
        ("beta", "2026-03-09", 1, "<2"),
    ]


def test_quarterdeck_waits_lists_the_biggest_sources_first(ledger):
    result = run_quarterdeck("waits", *ledger["base"], *WEEK, "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = [
        (r["team"], r["waiting_on"], r["hours"], r["previous_hours"], r["change"]) for r in json.loads(result.stdout)
    ]
    assert rows == [
        ("alpha", "all", 28.25, 0.0, "new"),
        ("alpha", "issues in a blocked or waiting status", 16.0, 0.0, "new"),
        ("alpha", "waiting for a first review", 6.0, 0.0, "new"),
        ("alpha", "in review, until approved or merged", 5.0, 0.0, "new"),
        ("alpha", "merged, waiting to be deployed", 3.0, 0.0, "new"),
        ("alpha", "waiting on CI (queue and run)", 1.0, 0.0, "new"),
    ]
    table = run_quarterdeck("waits", *ledger["base"], *WEEK, "--team", "beta")
    assert table.returncode == 0 and "alpha" not in table.stdout


def test_waits_roll_up_the_org_tree(ledger):
    # alpha and beta are both under eng: eng's pull requests are alpha's and beta's together
    pickup = computed(ledger, "pr_pickup_time", "--since", "2026-03-02", "--until", "2026-03-15", "--by", "unit")
    assert [(r["group"], r["period_start"], r["pull_requests"], r["median_hours"]) for r in pickup] == [
        ("alpha", "2026-03-02", 2, 11.0),
        ("alpha", "2026-03-09", 0, None),
        ("beta", "2026-03-02", 0, None),
        ("beta", "2026-03-09", 1, 1.5),
        ("eng", "2026-03-02", 2, 11.0),  # PR 1: 4 h, PR 2: 18 h
        ("eng", "2026-03-09", 1, 1.5),  # PR 4
    ]
    # --unit: only the pull requests of the unit's people
    beta = computed(ledger, "pr_pickup_time", "--since", "2026-03-02", "--until", "2026-03-15", "--unit", "beta")
    assert [(r["group"], r["pull_requests"], r["median_hours"]) for r in beta] == [
        ("beta", 0, None),
        ("beta", 1, 1.5),
    ]
    hours = metric(ledger, "engineer_hours_waiting", *WEEK, "--by", "unit")
    assert [(r["group"], r["authors_waiting"], r["hours_waiting"]) for r in hours] == [
        ("alpha", 2, 28.25),
        ("eng", 2, 28.25),  # Alice 12.25 + Bob 16, each counted once in eng
    ]
    blocked = computed(ledger, "issue_blocked_time", *WEEK, "--by", "unit")
    assert [(r["group"], r["issues_blocked"], r["blocked_hours"]) for r in blocked] == [
        ("alpha", 1, 48.0),
        ("eng", 1, 48.0),
    ]
    nobody = metric(ledger, "issue_blocked_time", *WEEK, "--by", "org", "--unit", "beta")
    assert [(r["group"], r["issues_blocked"]) for r in nobody] == [("organization", 0)]


def test_wait_metrics_by_team_hide_groups_of_fewer_people(ledger):
    # privacy.min_group_size is 2 here: Alice alone wrote PRs 1 and 2 (alpha), Carol PR 4
    # (beta), and the one blocked issue is Bob's (alpha); Alice and Bob together are two
    pickup = metric(ledger, "pr_pickup_time", "--since", "2026-03-02", "--until", "2026-03-15", "--by", "team")
    assert [(r["group"], r["period_start"], r["pull_requests"], r["authors"], r["median_hours"]) for r in pickup] == [
        ("alpha", "2026-03-02", 2, 1, "<2"),
        ("alpha", "2026-03-09", 0, 0, "<2"),
        ("beta", "2026-03-02", 0, 0, "<2"),
        ("beta", "2026-03-09", 1, 1, "<2"),
    ]
    assert {pickup[0][k] for k in ("p75_hours", "p90_hours", "mean_hours")} == {"<2"}
    review = metric(ledger, "pr_review_time", *WEEK, "--by", "team")
    assert [(r["group"], r["authors"], r["median_hours"]) for r in review] == [("alpha", 1, "<2")]
    ci = metric(ledger, "pr_ci_wait", *WEEK, "--by", "team")
    assert [(r["group"], r["authors"], r["median_hours"]) for r in ci] == [("alpha", 1, "<2")]
    blocked = metric(ledger, "issue_blocked_time", *WEEK, "--by", "team")
    assert [(r["group"], r["issues_blocked"], r["people"], r["blocked_hours"]) for r in blocked] == [
        ("alpha", 1, 1, "<2")
    ]
    # eng holds alpha and beta: in the week of PR 4 only Carol's, before it only Alice's
    units = metric(ledger, "pr_pickup_time", "--since", "2026-03-02", "--until", "2026-03-15", "--by", "unit")
    assert [(r["group"], r["authors"], r["median_hours"]) for r in units if r["group"] == "eng"] == [
        ("eng", 1, "<2"),
        ("eng", 1, "<2"),
    ]


def test_one_person_waiting_on_github_and_jira_is_one_author(tmp_path):
    # Alice waits on her pull requests (GitHub alice-gh) and on ENG-2 (Jira acc-alice, linked
    # to her by e-mail): one author, whose overlapping waits count once
    both = ingest_ledger(tmp_path, [golden.jira_issue(), golden.alice_issue()])
    rows = metric(both, "engineer_hours_waiting", *WEEK, "--by", "org")
    assert [(r["group"], r["authors_waiting"]) for r in rows] == [("organization", 2)]  # Alice and Bob
    row = rows[0]
    # Alice: Monday 7 h as before; Tuesday 09:00-11:00, 11:30-11:45, then deploy 12:00-15:00 and
    # ENG-2 13:00-16:00 merged into 12:00-16:00: 6.25 h; 13.25 h. Bob: 16 h (ENG-1)
    assert [row[k] for k in ("hours_waiting", "hours_per_author", "blocked_hours", "deploy_hours")] == pytest.approx(
        [29.25, 14.625, 19.0, 3.0]
    )
    ledger_rows = run_quarterdeck("waits", *both["base"], *WEEK, "--format", "json")
    assert ledger_rows.returncode == 0, ledger_rows.stderr
    total = next(r for r in json.loads(ledger_rows.stdout) if r["waiting_on"] == "all")
    assert (total["team"], total["hours"], total["author_weeks"], total["hours_per_author_week"]) == (
        "alpha", 29.25, 2, 14.62
    )
