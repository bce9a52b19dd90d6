"""Git metrics per team and per unit: each commit counts for its author's team at its author
time, on real repositories and an organization imported through the command line.

The organization (two snapshots, each with its org file):

* teams on 2024-01-01: eng > product > {web, api}; eng > platform > infra.
* on 2024-02-01 (a reorg): web moves from product to platform.
* P1 Alice: web throughout (e-mail alice@example.com; extra e-mail alice@old.example).
* P2 Bob: api in the first snapshot, infra in the second: he moved on 2024-02-01.
* P3 Carol: no team.
* P4 Dave: first listed on 2024-02-01, in infra, with start_date 2024-01-15; he commits
  as dave@home.example, linked by an identity mapping file.
* Erin (erin@contractor.example) is nobody in the organization: unmatched.

Commits (UTC; each adds one new file of the given number of lines, powers of two so every
sum names its commits). Weeks start Monday: W1 01-01, W2 01-08, W3 01-15, W4 01-22,
W5 01-29, W6 02-05.

=====  ==========================  =====  ======  =====  ===========================================
name   author date                 repo   author  lines  team (units) in UTC
=====  ==========================  =====  ======  =====  ===========================================
a1     2024-01-03T10:00Z      W1   app    Alice   1      web (product, eng): before the reorg
b3     2024-01-04T10:00Z      W1   lib    Bob     1024   api (product, eng)
b1     2024-01-04T12:00Z      W1   lib    Erin    256    (unmatched)
a2     2024-01-10T10:00Z      W2   app    Bob     2      api (product, eng)
a7     2024-01-10T12:00Z      W2   app    Dave    64     (no team): before his start date
a6     2024-01-12T10:00Z      W2   app    Carol   32     (no team)
a8     2024-01-20T10:00Z      W3   app    Dave    128    infra (platform, eng)
a3     2024-01-31T23:30Z      W5   app    Bob     4      api: the evening before his move
a4     2024-02-01T00:30Z      W5   app    Bob     8      infra: the day of the move counts for the new team
a5     2024-02-05T10:00Z      W6   app    Alice   16     web (platform, eng): after the reorg
t1     2024-02-06T10:00Z      W6   app    Alice*  2048   web (platform, eng), on a branch
b2     2024-02-06T12:00Z      W6   lib    Erin    512    (unmatched)
b4     2024-02-07T10:00Z      W6   lib    bot     3      left out; (unmatched) with --include-bots
m1     2024-02-08T10:00Z      W6   app    Bob     -      merge of t1: infra (platform, eng), merges column
=====  ==========================  =====  ======  =====  ===========================================

``*`` t1 is written by alice@old.example, linked to Alice by her extra e-mail.
In Europe/Berlin (UTC+1), a3 is 2024-02-01 00:30: the day of the move, so infra.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_quarterdeck
from tests.gitrepo import ALICE, BOB, CAROL, DEPENDABOT, Person, Repo

ALICE_OLD = Person("Alice E.", "alice@old.example")
DAVE_HOME = Person("Dave D.", "dave@home.example")
ERIN = Person("Erin Outside", "erin@contractor.example")
WINDOW = ("--since", "2024-01-01", "--until", "2024-02-11")
WEEKS = ("2024-01-01", "2024-01-08", "2024-01-15", "2024-01-22", "2024-01-29", "2024-02-05")
BERLIN = {"QUARTERDECK_TIMEZONE": "Europe/Berlin"}

PEOPLE_HEADER = "id,name,email,emails,manager_id,team,start_date\n"
PEOPLE_JAN = PEOPLE_HEADER + (
    "P1,Alice Example,alice@example.com,alice@old.example,,web,2023-06-01\n"
    "P2,Bob Example,bob@example.com,,,api,2023-01-01\n"
    "P3,Carol Example,carol@example.com,,,,2023-01-01\n"
)
PEOPLE_FEB = PEOPLE_HEADER + (
    "P1,Alice Example,alice@example.com,alice@old.example,,web,2023-06-01\n"
    "P2,Bob Example,bob@example.com,,,infra,2023-01-01\n"
    "P3,Carol Example,carol@example.com,,,,2023-01-01\n"
    "P4,Dave Example,dave@example.com,,,infra,2024-01-15\n"
)


def org_yaml(web_parent: str) -> str:
    return (
        "teams:\n"
        "  - id: eng\n"
        "  - {id: product, parent: eng}\n"
        "  - {id: platform, parent: eng}\n"
        f"  - {{id: web, parent: {web_parent}, type: stream-aligned}}\n"
        "  - {id: api, parent: product, type: stream-aligned}\n"
        "  - {id: infra, parent: platform, type: platform}\n"
    )


def add(repo: Repo, name: str, lines: int, when: str, author: Person) -> None:
    repo.write(f"{name}.txt", "".join(f"{name} {i}\n" for i in range(lines)))
    repo.commit(name, when, author=author)


def check(result) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("attribution")
    app = Repo.create(root / "app")
    add(app, "a1", 1, "2024-01-03T10:00:00+00:00", ALICE)
    add(app, "a2", 2, "2024-01-10T10:00:00+00:00", BOB)
    add(app, "a7", 64, "2024-01-10T12:00:00+00:00", DAVE_HOME)
    add(app, "a6", 32, "2024-01-12T10:00:00+00:00", CAROL)
    add(app, "a8", 128, "2024-01-20T10:00:00+00:00", DAVE_HOME)
    add(app, "a3", 4, "2024-01-31T23:30:00+00:00", BOB)
    add(app, "a4", 8, "2024-02-01T00:30:00+00:00", BOB)
    add(app, "a5", 16, "2024-02-05T10:00:00+00:00", ALICE)
    app.checkout("topic", create=True)
    add(app, "t1", 2048, "2024-02-06T10:00:00+00:00", ALICE_OLD)
    app.checkout("main")
    app.merge("topic", message="m1", when="2024-02-08T10:00:00+00:00", author=BOB)
    lib = Repo.create(root / "lib")
    add(lib, "b3", 1024, "2024-01-04T10:00:00+00:00", BOB)
    add(lib, "b1", 256, "2024-01-04T12:00:00+00:00", ERIN)
    add(lib, "b2", 512, "2024-02-06T12:00:00+00:00", ERIN)
    add(lib, "b4", 3, "2024-02-07T10:00:00+00:00", DEPENDABOT)

    org = root / "org"
    org.mkdir()
    (org / "people-2024-01-01.csv").write_text(PEOPLE_JAN)
    (org / "people-2024-02-01.csv").write_text(PEOPLE_FEB)
    (org / "org-2024-01-01.yaml").write_text(org_yaml("product"))
    (org / "org-2024-02-01.yaml").write_text(org_yaml("platform"))
    (org / "identities.csv").write_text("identity,person_id\ndave@home.example,P4\n")

    path = root / "warehouse.duckdb"
    base = ("--db", str(path), "ingest")
    check(run_quarterdeck(*base, "git", str(app.path), str(lib.path), "--format", "json"))
    for day in ("2024-01-01", "2024-02-01"):
        files = (str(org / f"people-{day}.csv"), str(org / f"org-{day}.yaml"))
        check(run_quarterdeck(*base, "org", *files, "--format", "json"))
    check(run_quarterdeck(*base, "org", str(org / "identities.csv"), "--as-of", "2024-02-01", "--format", "json"))
    return path


def show(db: Path, metric: str, *args: str, env: dict[str, str] | None = None) -> dict:
    result = run_quarterdeck("metrics", "show", metric, "--db", str(db), "--format", "json", *args, env=env)
    return json.loads(check(result))


def rows(db: Path, metric: str, *args: str, env: dict[str, str] | None = None) -> list[tuple]:
    return [tuple(r.values()) for r in show(db, metric, *args, env=env)["rows"]]


def totals(db: Path, metric: str, column: str, *args: str, env: dict[str, str] | None = None) -> dict[str, int]:
    """The metric's column summed over the weeks of each group."""
    summed: dict[str, int] = defaultdict(int)
    for row in show(db, metric, *args, env=env)["rows"]:
        summed[row["group"]] += row[column]
    return dict(summed)


def by_week(values: dict[str, int]) -> list[int]:
    return [values.get(week, 0) for week in WEEKS]


# -- commits -----------------------------------------------------------------------------


def test_commits_by_team_week_by_week(db):
    got = rows(db, "commits", *WINDOW, "--by", "team")
    expected = {
        # group: (commits per week W1..W6, authors per week, merges per week)
        "(no team)": ([0, 2, 0, 0, 0, 0], [0, 2, 0, 0, 0, 0], [0] * 6),  # a7 Dave (before his start), a6 Carol
        "(unmatched)": ([1, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 1], [0] * 6),  # b1, b2 Erin
        "api": ([1, 1, 0, 0, 1, 0], [1, 1, 0, 0, 1, 0], [0] * 6),  # b3, a2, a3 Bob before his move
        "infra": ([0, 0, 1, 0, 1, 0], [0, 0, 1, 0, 1, 0], [0, 0, 0, 0, 0, 1]),  # a8 Dave, a4 Bob; m1 Bob
        "web": ([1, 0, 0, 0, 0, 2], [1, 0, 0, 0, 0, 2], [0] * 6),  # a1; a5, t1 (two identities of Alice)
    }
    want = [
        (group, week, commits[i], authors[i], merges[i])
        for group, (commits, authors, merges) in sorted(expected.items())
        for i, week in enumerate(WEEKS)
    ]
    assert got == want


def test_commits_by_team_add_up_to_the_organization(db):
    per_team = totals(db, "commits", "commits", *WINDOW, "--by", "team")
    assert per_team == {"(no team)": 2, "(unmatched)": 2, "api": 3, "infra": 2, "web": 3}
    ungrouped = sum(r["commits"] for r in show(db, "commits", *WINDOW)["rows"])  # per repository and week
    org = totals(db, "commits", "commits", *WINDOW, "--by", "org")
    assert sum(per_team.values()) == ungrouped == org["organization"] == 12  # a1-a8, b1-b3, t1
    merges = totals(db, "commits", "merges", *WINDOW, "--by", "team")
    assert merges == {"(no team)": 0, "(unmatched)": 0, "api": 0, "infra": 1, "web": 0}


def test_commits_by_unit_follow_the_org_tree_of_the_commit_date(db):
    per_unit = totals(db, "commits", "commits", *WINDOW, "--by", "unit")
    assert per_unit == {
        "(no team)": 2,
        "(unmatched)": 2,
        "api": 3,
        "infra": 2,
        "web": 3,
        "product": 4,  # a1 (web before the reorg) + api's 3
        "platform": 4,  # a5, t1 (web after the reorg) + infra's a8, a4
        "eng": 8,  # every commit with a team, once: 3 + 3 + 2
    }
    # every team's commits are in eng once, and in exactly one of its divisions
    assert per_unit["eng"] == per_unit["product"] + per_unit["platform"] == 3 + 3 + 2


def test_commits_within_one_unit(db):
    # --unit product: commits of teams under product on their date (a1 before the reorg,
    # api's b3, a2, a3); --by unit lists product and the units below it, not eng above it
    assert totals(db, "commits", "commits", *WINDOW, "--by", "unit", "--unit", "product") == {
        "api": 3,
        "product": 4,
        "web": 1,
    }
    assert totals(db, "commits", "commits", *WINDOW, "--by", "team", "--unit", "Platform") == {"infra": 2, "web": 2}
    # --unit alone: the unit as one group
    assert totals(db, "commits", "commits", *WINDOW, "--unit", "web") == {"organization": 3}


def test_by_team_in_the_organization_time_zone(db):
    # In Berlin a3 is written on 2024-02-01, the day Bob moved: it counts for infra.
    per_team = totals(db, "commits", "commits", *WINDOW, "--by", "team", env=BERLIN)
    assert per_team == {"(no team)": 2, "(unmatched)": 2, "api": 2, "infra": 3, "web": 3}


def test_bots_count_as_unmatched_only_when_included(db):
    per_team = totals(db, "commits", "commits", *WINDOW, "--by", "team", "--include-bots")
    assert per_team["(unmatched)"] == 3  # b1, b2 and the bot's b4
    assert sum(per_team.values()) == 13


# -- churn -------------------------------------------------------------------------------


def test_churn_by_team(db):
    data = show(db, "churn", *WINDOW, "--by", "team")
    weekly: dict[str, dict[str, int]] = defaultdict(dict)
    for row in data["rows"]:
        assert row["churn"] == row["lines_added"] + row["lines_deleted"]
        assert row["lines_deleted"] == 0  # every commit adds a new file
        weekly[row["group"]][row["week_start"]] = row["churn"]
    assert {g: by_week(w) for g, w in weekly.items()} == {
        "(no team)": [0, 96, 0, 0, 0, 0],  # a7 64 + a6 32
        "(unmatched)": [256, 0, 0, 0, 0, 512],  # b1, b2
        "api": [1024, 2, 0, 0, 4, 0],  # b3, a2, a3
        "infra": [0, 0, 128, 0, 8, 0],  # a8, a4 (the merge adds no lines)
        "web": [1, 0, 0, 0, 0, 16 + 2048],  # a1; a5 + t1
    }
    files = {g: sum(r["files_changed"] for r in data["rows"] if r["group"] == g) for g in weekly}
    assert files == {"(no team)": 2, "(unmatched)": 2, "api": 3, "infra": 2, "web": 3}  # one file per commit
    assert sum(sum(w.values()) for w in weekly.values()) == 4095  # 1 + 2 + ... + 2048: every line once
    ungrouped = sum(r["churn"] for r in show(db, "churn", *WINDOW)["rows"])
    assert ungrouped == 4095


def test_churn_by_unit_and_time_zone(db):
    assert totals(db, "churn", "churn", *WINDOW, "--by", "unit") == {
        "(no team)": 96,
        "(unmatched)": 768,
        "api": 1030,  # 1024 + 2 + 4
        "infra": 136,  # 128 + 8
        "web": 2065,  # 1 + 16 + 2048
        "product": 1031,  # a1 1 + api 1030
        "platform": 2200,  # a5 16 + t1 2048 + infra 136
        "eng": 3231,  # 1031 + 2200
    }
    berlin = totals(db, "churn", "churn", *WINDOW, "--by", "team", env=BERLIN)
    assert berlin["api"] == 1026 and berlin["infra"] == 140  # a3's 4 lines move with the date


# -- active_contributors -----------------------------------------------------------------


def test_active_contributors_by_team_per_month(db):
    got = rows(db, "active_contributors", *WINDOW, "--grain", "month", "--by", "team")
    assert got == [
        ("(no team)", "2024-01-01", 2, 2),  # Carol (a6), Dave before his start (a7)
        ("(no team)", "2024-02-01", 0, 0),
        ("(unmatched)", "2024-01-01", 1, 1),  # Erin b1
        ("(unmatched)", "2024-02-01", 1, 1),  # Erin b2
        ("api", "2024-01-01", 1, 3),  # Bob: b3, a2, a3
        ("api", "2024-02-01", 0, 0),
        ("infra", "2024-01-01", 1, 1),  # Dave a8
        ("infra", "2024-02-01", 1, 1),  # Bob a4 (his merge m1 does not make him active)
        ("web", "2024-01-01", 1, 1),  # Alice a1
        ("web", "2024-02-01", 2, 2),  # a5 and t1: two identities (alice@example.com, alice@old.example)
    ]
    # the organization counts each identity once: Alice, Bob, Carol, Dave (home address), Erin
    ungrouped = rows(db, "active_contributors", *WINDOW, "--grain", "month")
    assert ungrouped == [("2024-01-01", 5, 8), ("2024-02-01", 4, 4)]
    org = rows(db, "active_contributors", *WINDOW, "--grain", "month", "--by", "org")
    assert org == [("organization", "2024-01-01", 5, 8), ("organization", "2024-02-01", 4, 4)]


def test_a_mover_is_active_in_both_teams_in_the_week_of_the_move(db):
    week5 = {r[0]: r[2] for r in rows(db, "active_contributors", *WINDOW, "--by", "team") if r[1] == "2024-01-29"}
    assert week5 == {"(no team)": 0, "(unmatched)": 0, "api": 1, "infra": 1, "web": 0}  # Bob: a3 api, a4 infra
    organization = rows(db, "active_contributors", *WINDOW)
    assert dict((r[0], r[1]) for r in organization)["2024-01-29"] == 1  # and once in the organization


# -- options, --explain, errors ----------------------------------------------------------


def test_explained_grouped_sql_returns_the_rows_shown(db):
    args = ("metrics", "show", "churn", "--db", str(db), *WINDOW, "--by", "unit", "--unit", "eng")
    expected = json.loads(check(run_quarterdeck(*args, "--format", "json")))["rows"]
    sql = check(run_quarterdeck(*args, "--explain"))
    assert "-- $by = 'unit'" in sql and "-- $unit = 'eng'" in sql
    con = duckdb.connect(str(db), read_only=True)
    try:
        got = con.execute(sql).fetchall()
    finally:
        con.close()
    assert [tuple(str(v) if k == "week_start" else v for k, v in r.items()) for r in expected] == [
        (r[0], r[1].isoformat(), *r[2:]) for r in got
    ]


def test_grouping_errors(db):
    result = run_quarterdeck("metrics", "show", "commits", "--db", str(db), "--by", "level")
    assert result.returncode == 2
    assert "metric commits cannot be grouped --by level; choose from org, team, unit" in result.stderr
    result = run_quarterdeck("metrics", "show", "churn", "--db", str(db), "--by", "team", "--unit", "nowhere")
    assert result.returncode == 2 and "unknown unit 'nowhere'" in result.stderr
    result = run_quarterdeck("metrics", "show", "hotspots", "--db", str(db), "--by", "team")
    assert result.returncode == 2 and "metric hotspots does not take --by" in result.stderr
