"""active_contributors and commits on two real repositories with hand-checked rows.

The history is built so that every rule of the window shows in the numbers: commits
in several UTC offsets and around a Monday midnight, a merge, a bot, one person under
two e-mail addresses joined by .mailmap, and a week in which nobody committed.

Weeks of January 2024 (Monday start): W1 = 01-01, W2 = 01-08, W3 = 01-15, W4 = 01-22.

Repository ``alpha`` (UTC instant in brackets; Berlin is UTC+1 in January):

====  ============================  =========  ======================  =================
name  author date as written        author     UTC week                Berlin week
====  ============================  =========  ======================  =================
c0    2023-12-31T23:30:00+00:00     Bob        before the window       W1 (Mon 00:30)
c1    2024-01-02T10:00:00+00:00     Alice      W1                      W1
c2    2024-01-03T10:00:00+00:00     Alice*     W1                      W1
c3    2024-01-07T23:30:00+00:00     Bob        W1 (Sun 23:30)          W2 (Mon 00:30)
c4    2024-01-08T00:30:00+02:00     Carol      W1 (Sun 22:30 UTC)      W1 (Sun 23:30)
c5    2024-01-09T12:00:00+00:00     bot        W2                      W2
f1    2024-01-10T09:00:00+00:00     Alice      W2 (on a branch)        W2
m1    2024-01-14T23:30:00+00:00     Bob        W2, merge of f1         W3 (Mon 00:30)
c7    2024-01-22T08:00:00-05:00     Alice      W4 [13:00 UTC]          W4
c8    2024-01-28T23:59:59+00:00     Carol      W4 (last second)        after the window
c9    2024-01-29T00:00:00+00:00     Bob        after the window        after the window
====  ============================  =========  ======================  =================

``*`` c2 is written as "Alice E. <alice@old.example.com>"; .mailmap maps it to Alice.

Repository ``beta``:

====  ============================  =========  ======================
d1    2024-01-04T10:00:00+00:00     Alice      W1
d2    2024-01-24T10:00:00+00:00     Bob        W4 (on a branch)
d3    2024-01-24T12:00:00+00:00     Alice      W4
d4    2024-01-25T10:00:00+00:00     bot        W4
m2    2024-01-26T10:00:00+00:00     bot        W4, merge of d2
====  ============================  =========  ======================
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.gitrepo import ALICE, BOB, CAROL, DEPENDABOT, Person, Repo

ALICE_OLD_ADDRESS = Person("Alice E.", "alice@old.example.com")
BERLIN = {"QUARTERDECK_TIMEZONE": "Europe/Berlin"}
JANUARY = ("--since", "2024-01-01", "--until", "2024-01-28")
WEEKS = ("2024-01-01", "2024-01-08", "2024-01-15", "2024-01-22")


def show(db: Path, metric: str, *args: str, env: dict[str, str] | None = None) -> dict:
    result = run_quarterdeck("metrics", "show", metric, "--db", str(db), "--format", "json", *args, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def rows(db: Path, metric: str, *args: str, env: dict[str, str] | None = None) -> list[tuple]:
    return [tuple(r.values()) for r in show(db, metric, *args, env=env)["rows"]]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("activity")
    alpha = Repo.create(root / "alpha")
    alpha.write("a.txt", "zero\n")
    alpha.commit("c0", "2023-12-31T23:30:00+00:00", author=BOB)
    alpha.write(".mailmap", "Alice Example <alice@example.com> <alice@old.example.com>\n")
    alpha.write("a.txt", "one\n")
    alpha.commit("c1", "2024-01-02T10:00:00+00:00", author=ALICE)
    alpha.write("a.txt", "two\n")
    alpha.commit("c2", "2024-01-03T10:00:00+00:00", author=ALICE_OLD_ADDRESS)
    alpha.write("a.txt", "three\n")
    alpha.commit("c3", "2024-01-07T23:30:00+00:00", author=BOB)
    alpha.write("a.txt", "four\n")
    alpha.commit("c4", "2024-01-08T00:30:00+02:00", author=CAROL)
    alpha.write("deps.txt", "lib==2\n")
    alpha.commit("c5", "2024-01-09T12:00:00+00:00", author=DEPENDABOT)
    alpha.checkout("feature", create=True)
    alpha.write("f.txt", "feature\n")
    alpha.commit("f1", "2024-01-10T09:00:00+00:00", author=ALICE)
    alpha.checkout("main")
    alpha.merge("feature", message="m1", when="2024-01-14T23:30:00+00:00", author=BOB)
    alpha.write("a.txt", "seven\n")
    alpha.commit("c7", "2024-01-22T08:00:00-05:00", author=ALICE)
    alpha.write("a.txt", "eight\n")
    alpha.commit("c8", "2024-01-28T23:59:59+00:00", author=CAROL)
    alpha.write("a.txt", "nine\n")
    alpha.commit("c9", "2024-01-29T00:00:00+00:00", author=BOB)

    beta = Repo.create(root / "beta")
    beta.write("b.txt", "one\n")
    beta.commit("d1", "2024-01-04T10:00:00+00:00", author=ALICE)
    beta.checkout("topic", create=True)
    beta.write("t.txt", "topic\n")
    beta.commit("d2", "2024-01-24T10:00:00+00:00", author=BOB)
    beta.checkout("main")
    beta.write("b.txt", "three\n")
    beta.commit("d3", "2024-01-24T12:00:00+00:00", author=ALICE)
    beta.write("deps.txt", "lib==3\n")
    beta.commit("d4", "2024-01-25T10:00:00+00:00", author=DEPENDABOT)
    beta.merge("topic", message="m2", when="2024-01-26T10:00:00+00:00", author=DEPENDABOT)

    path = root / "warehouse.duckdb"
    result = run_quarterdeck("--db", str(path), "ingest", "git", str(alpha.path), str(beta.path), "--format", "json")
    assert result.returncode == 0, result.stderr
    return path


# -- active_contributors ---------------------------------------------------------------


def test_weekly_contributors_in_utc(db):
    assert rows(db, "active_contributors", *JANUARY) == [
        # W1: alpha c1 + c2 (Alice, one person via .mailmap), c3 Bob (Sun 23:30 UTC),
        #     c4 Carol (Mon 00:30 +02:00 = Sun 22:30 UTC); beta d1 Alice (same person
        #     as in alpha). c0 (Dec 31) is before the window. 3 people, 5 commits.
        ("2024-01-01", 3, 5),
        # W2: f1 Alice; c5 is a bot, m1 is a merge. 1 person, 1 commit.
        ("2024-01-08", 1, 1),
        # W3: nobody, still listed.
        ("2024-01-15", 0, 0),
        # W4: c7 Alice (08:00 -05:00 = Mon 13:00 UTC), c8 Carol (last second of the
        #     window), d2 Bob, d3 Alice; d4 and m2 are a bot's. c9 is after the window.
        #     3 people, 4 commits.
        ("2024-01-22", 3, 4),
    ]


def test_columns_of_active_contributors(db):
    payload = show(db, "active_contributors", *JANUARY)
    assert list(payload["rows"][0]) == ["period_start", "active_contributors", "commits"]
    assert payload["window"] == {"since": "2024-01-01", "until": "2024-01-28", "timezone": "UTC", "data_ends": None}


def test_bots_are_counted_only_with_include_bots(db):
    assert rows(db, "active_contributors", *JANUARY, "--include-bots") == [
        ("2024-01-01", 3, 5),
        # W2: f1 Alice + c5 dependabot = 2 people, 2 commits (m1 is still a merge).
        ("2024-01-08", 2, 2),
        ("2024-01-15", 0, 0),
        # W4: Alice, Carol, Bob + dependabot (d4) = 4 people; 4 + 1 = 5 commits
        #     (m2, the bot's merge, is a merge and does not count).
        ("2024-01-22", 4, 5),
    ]


def test_weeks_follow_the_organization_time_zone(db):
    payload = show(db, "active_contributors", *JANUARY, env=BERLIN)
    assert payload["window"]["timezone"] == "Europe/Berlin"
    assert [tuple(r.values()) for r in payload["rows"]] == [
        # The window is 2024-01-01T00:00+01:00 .. 2024-01-29T00:00+01:00.
        # W1: c0 Bob (Mon 00:30 Berlin, now inside), c1 + c2 Alice, c4 Carol
        #     (Sun 23:30 Berlin), d1 Alice. 3 people, 5 commits.
        ("2024-01-01", 3, 5),
        # W2: c3 Bob (Mon 00:30 Berlin), f1 Alice. 2 people, 2 commits.
        ("2024-01-08", 2, 2),
        ("2024-01-15", 0, 0),
        # W4: c7 Alice, d2 Bob, d3 Alice; c8 is Mon 00:59:59 Berlin, after the window.
        #     2 people, 3 commits.
        ("2024-01-22", 2, 3),
    ]


def test_a_window_starting_mid_week_lists_that_whole_week(db):
    # Since Wednesday 2024-01-03: c1 (Tue) is out, c2 Alice, c3 Bob, c4 Carol, d1 Alice in.
    assert rows(db, "active_contributors", "--since", "2024-01-03", "--until", "2024-01-09") == [
        ("2024-01-01", 3, 4),
        # W2 up to Tuesday 01-09: only c5, a bot's.
        ("2024-01-08", 0, 0),
    ]


def test_monthly_contributors(db):
    assert rows(db, "active_contributors", "--grain", "month", "--since", "2023-12-01", "--until", "2024-02-29") == [
        # December: c0 Bob at 23:30 UTC on the 31st.
        ("2023-12-01", 1, 1),
        # January: alpha c1 c2 c3 c4 f1 c7 c8 c9 (8) + beta d1 d2 d3 (3) = 11 commits
        #          by Alice, Bob and Carol; c5 and d4 are bots', m1 and m2 merges.
        ("2024-01-01", 3, 11),
        # February: nobody, still listed.
        ("2024-02-01", 0, 0),
    ]


def test_a_month_cut_by_the_window_starts_on_the_first(db):
    # From 01-15: c7 Alice, c8 Carol, c9 Bob, d2 Bob, d3 Alice = 3 people, 5 commits.
    assert rows(db, "active_contributors", "--grain", "month", "--since", "2024-01-15", "--until", "2024-02-10") == [
        ("2024-01-01", 3, 5),
        ("2024-02-01", 0, 0),
    ]


def test_default_window_is_182_days_up_to_until(db):
    payload = show(db, "active_contributors", "--until", "2024-01-28")
    # 2024-01-28 - 181 days = 2023-07-31 (a Monday): 182 days inclusive, 26 whole weeks.
    assert payload["window"]["since"] == "2023-07-31"
    weeks = [r["period_start"] for r in payload["rows"]]
    assert len(weeks) == 26
    assert (weeks[0], weeks[-1]) == ("2023-07-31", "2024-01-22")
    counts = {r["period_start"]: r["active_contributors"] for r in payload["rows"]}
    # Week of 2023-12-25 holds c0 (Bob, Sunday 23:30 UTC); then W1..W4 as above.
    assert {week: n for week, n in counts.items() if n} == {
        "2023-12-25": 1,
        "2024-01-01": 3,
        "2024-01-08": 1,
        "2024-01-22": 3,
    }


def test_repo_option_limits_the_people_counted(db):
    assert rows(db, "active_contributors", *JANUARY, "--repo", "beta") == [
        ("2024-01-01", 1, 1),  # d1 Alice
        ("2024-01-08", 0, 0),
        ("2024-01-15", 0, 0),
        ("2024-01-22", 2, 2),  # d2 Bob, d3 Alice
    ]


# -- commits ---------------------------------------------------------------------------


def test_commits_per_repository_per_week(db):
    payload = show(db, "commits", *JANUARY)
    assert list(payload["rows"][0]) == ["repository", "week_start", "commits", "authors", "merges"]
    assert [tuple(r.values()) for r in payload["rows"]] == [
        # alpha W1: c1, c2, c3, c4 by Alice, Alice (.mailmap), Bob, Carol.
        ("alpha", "2024-01-01", 4, 3, 0),
        # alpha W2: f1 (c5 is a bot's); m1 at Sun 23:30 UTC is the merge.
        ("alpha", "2024-01-08", 1, 1, 1),
        ("alpha", "2024-01-15", 0, 0, 0),
        # alpha W4: c7, c8 (c9 is after the window).
        ("alpha", "2024-01-22", 2, 2, 0),
        ("beta", "2024-01-01", 1, 1, 0),  # d1
        ("beta", "2024-01-08", 0, 0, 0),
        ("beta", "2024-01-15", 0, 0, 0),
        # beta W4: d2 Bob, d3 Alice; d4 and the merge m2 are a bot's.
        ("beta", "2024-01-22", 2, 2, 0),
    ]


def test_commits_with_bots(db):
    assert rows(db, "commits", *JANUARY, "--include-bots") == [
        ("alpha", "2024-01-01", 4, 3, 0),
        ("alpha", "2024-01-08", 2, 2, 1),  # f1 + c5 (dependabot)
        ("alpha", "2024-01-15", 0, 0, 0),
        ("alpha", "2024-01-22", 2, 2, 0),
        ("beta", "2024-01-01", 1, 1, 0),
        ("beta", "2024-01-08", 0, 0, 0),
        ("beta", "2024-01-15", 0, 0, 0),
        ("beta", "2024-01-22", 3, 3, 1),  # d2, d3, d4 by three authors; m2 the bot's merge
    ]


def test_commits_weeks_follow_the_organization_time_zone(db):
    assert rows(db, "commits", *JANUARY, env=BERLIN) == [
        # alpha W1: c0 (Mon 00:30), c1, c2, c4 (Sun 23:30) by Bob, Alice, Alice, Carol.
        ("alpha", "2024-01-01", 4, 3, 0),
        # alpha W2: c3 (Mon 00:30), f1.
        ("alpha", "2024-01-08", 2, 2, 0),
        # alpha W3: m1 is Monday 00:30 in Berlin.
        ("alpha", "2024-01-15", 0, 0, 1),
        # alpha W4: c7 only; c8 is after the window in Berlin.
        ("alpha", "2024-01-22", 1, 1, 0),
        ("beta", "2024-01-01", 1, 1, 0),
        ("beta", "2024-01-08", 0, 0, 0),
        ("beta", "2024-01-15", 0, 0, 0),
        ("beta", "2024-01-22", 2, 2, 0),
    ]


def test_commits_for_one_repository(db):
    assert rows(db, "commits", "--since", "2024-01-15", "--until", "2024-01-28", "--repo", "alpha") == [
        ("alpha", "2024-01-15", 0, 0, 0),
        ("alpha", "2024-01-22", 2, 2, 0),
    ]


def test_commits_agree_with_git_log(db):
    """An independent count: ``git log --no-merges`` per week, bots filtered by e-mail."""
    root = db.parent
    expected = []
    for name in ("alpha", "beta"):
        repo = Repo(root / name)
        log = repo.git("log", "--all", "--no-merges", "--use-mailmap", "--format=%aE %at")
        weeks: dict[str, list[str]] = {w: [] for w in WEEKS}
        for line in log.splitlines():
            email, seconds = line.split()
            if "[bot]" in email:
                continue
            day = (int(seconds) - 1704067200) // 86400  # days since 2024-01-01T00:00Z
            if 0 <= day < 28:
                weeks[list(weeks)[day // 7]].append(email)
        expected += [(name, week, len(emails), len(set(emails))) for week, emails in weeks.items()]
    assert [r[:4] for r in rows(db, "commits", *JANUARY)] == expected
