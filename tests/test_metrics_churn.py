"""churn on a real repository: renames, binary files, a merge, a bot, hand-checked rows.

Weeks of March 2024 (Monday start): W1 = 03-04, W2 = 03-11, W3 = 03-18.

===  =====================  ========  ===========================================  ==========
     author date (UTC)      author    change                                       +/- files
===  =====================  ========  ===========================================  ==========
g0   2024-03-03 23:00       Alice     add old.txt (7 lines): before the window     7/0  1
g1   2024-03-04 09:00       Alice     add src/app.py (10), README.md (3),          33/0 3
                                      notes.txt (20)
g2   2024-03-05 09:00       Bob       app.py: rewrite 2 lines, append 3            5/2  1
g3   2024-03-12 09:00       Alice     rename app.py -> src/main.py unchanged;      0/0  1
                                      add logo.png (binary)                        -/-  1
g4   2024-03-13 09:00       Carol     rename notes.txt -> docs/notes.txt and       1/1  1
                                      rewrite 1 of its 20 lines
g5   2024-03-18 09:00       bot       README.md: rewrite 1 line                    1/1  1
g6   2024-03-19 09:00       Alice     change logo.png (binary);                    -/-  1
                                      delete src/main.py (13 lines)                0/13 1
g7   2024-03-20 09:00       Bob       add lib.py (4 lines), on a branch            4/0  1
m    2024-03-21 09:00       Alice     merge of the branch: no lines of its own
===  =====================  ========  ===========================================  ==========
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.gitrepo import ALICE, BOB, CAROL, DEPENDABOT, Repo

MARCH = ("--since", "2024-03-04", "--until", "2024-03-24")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


def numbered(prefix: str, count: int) -> str:
    return "".join(f"{prefix} line {i}\n" for i in range(1, count + 1))


def rows(db: Path, *args: str) -> list[tuple]:
    result = run_quarterdeck("metrics", "show", "churn", "--db", str(db), "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return [tuple(r.values()) for r in json.loads(result.stdout)["rows"]]


@pytest.fixture(scope="module")
def repo_and_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Repo, Path]:
    root = tmp_path_factory.mktemp("churn")
    repo = Repo.create(root / "gamma")
    repo.write("old.txt", numbered("old", 7))
    repo.commit("g0", "2024-03-03T23:00:00+00:00", author=ALICE)
    repo.write("src/app.py", numbered("app", 10))
    repo.write("README.md", numbered("readme", 3))
    repo.write("notes.txt", numbered("notes", 20))
    repo.commit("g1", "2024-03-04T09:00:00+00:00", author=ALICE)
    app = numbered("app", 10).replace("app line 2\n", "app line two\n").replace("app line 7\n", "seven\n")
    repo.write("src/app.py", app + numbered("more", 3))
    repo.commit("g2", "2024-03-05T09:00:00+00:00", author=BOB)
    repo.move("src/app.py", "src/main.py")
    repo.write("logo.png", PNG)
    repo.commit("g3", "2024-03-12T09:00:00+00:00", author=ALICE)
    repo.move("notes.txt", "docs/notes.txt")
    repo.write("docs/notes.txt", numbered("notes", 20).replace("notes line 5\n", "notes line five\n"))
    repo.commit("g4", "2024-03-13T09:00:00+00:00", author=CAROL)
    repo.write("README.md", numbered("readme", 3).replace("readme line 1\n", "# Readme\n"))
    repo.commit("g5", "2024-03-18T09:00:00+00:00", author=DEPENDABOT)
    repo.write("logo.png", PNG + b"\x00more")
    repo.remove("src/main.py")
    repo.commit("g6", "2024-03-19T09:00:00+00:00", author=ALICE)
    repo.checkout("lib", create=True)
    repo.write("lib.py", numbered("lib", 4))
    repo.commit("g7", "2024-03-20T09:00:00+00:00", author=BOB)
    repo.checkout("main")
    repo.merge("lib", message="merge lib", when="2024-03-21T09:00:00+00:00", author=ALICE)
    db = root / "warehouse.duckdb"
    result = run_quarterdeck("--db", str(db), "ingest", "git", str(repo.path), "--format", "json")
    assert result.returncode == 0, result.stderr
    return repo, db


def test_weekly_churn(repo_and_db):
    _, db = repo_and_db
    # columns: repository, week_start, churn, lines_added, lines_deleted, files_changed
    assert rows(db, *MARCH) == [
        # W1: g1 33/0 over 3 files + g2 5/2 over 1 file = 38 + 2 = 40; 4 file changes.
        #     g0 (Sunday 23:00 UTC) is before the window.
        ("gamma", "2024-03-04", 40, 38, 2, 4),
        # W2: g3 pure rename 0/0 and binary logo.png (no lines, still a changed file);
        #     g4 rename with 1 line rewritten 1/1. 1 + 1 = 2 lines, 3 file changes.
        ("gamma", "2024-03-11", 2, 1, 1, 3),
        # W3: g6 binary change (0 lines, 1 file) + delete of 13 lines (1 file);
        #     g7 4/0 (1 file); the merge adds nothing; g5 is a bot's.
        #     4 + 13 = 17 lines, 3 file changes.
        ("gamma", "2024-03-18", 17, 4, 13, 3),
    ]


def test_churn_with_bots(repo_and_db):
    _, db = repo_and_db
    assert rows(db, *MARCH, "--include-bots")[2] == (
        # W3 plus g5 (1 added, 1 deleted, 1 file): 17 + 2 = 19.
        "gamma",
        "2024-03-18",
        19,
        5,
        14,
        4,
    )


def test_quiet_weeks_are_listed_with_zero(repo_and_db):
    _, db = repo_and_db
    assert rows(db, "--since", "2024-03-25", "--until", "2024-04-07") == [
        ("gamma", "2024-03-25", 0, 0, 0, 0),
        ("gamma", "2024-04-01", 0, 0, 0, 0),
    ]


def test_churn_agrees_with_git_log_numstat(repo_and_db):
    """An independent sum: ``git log --numstat -M --no-merges`` read in Python."""
    repo, db = repo_and_db
    log = repo.git("log", "--all", "--no-merges", "--numstat", "-M", "--format=@%at %aE")
    start = datetime(2024, 3, 4, tzinfo=UTC)
    weeks = {start + timedelta(weeks=i): [0, 0, 0] for i in range(3)}
    current = None
    for line in log.splitlines():
        if line.startswith("@"):
            seconds, email = line[1:].split()
            when = datetime.fromtimestamp(int(seconds), UTC)
            week = start + timedelta(weeks=(when - start).days // 7)
            current = weeks.get(week) if "[bot]" not in email and when >= start else None
        elif line and current is not None:
            added, deleted, _ = line.split("\t", 2)
            current[0] += 0 if added == "-" else int(added)
            current[1] += 0 if deleted == "-" else int(deleted)
            current[2] += 1
    expected = [("gamma", week.date().isoformat(), a + d, a, d, files) for week, (a, d, files) in weeks.items()]
    assert rows(db, *MARCH) == expected


def test_window_starts_at_midnight_in_the_organization_time_zone(repo_and_db):
    _, db = repo_and_db
    result = run_quarterdeck(
        "metrics", "show", "churn", "--db", str(db), "--format", "json", *MARCH,
        env={"QUARTERDECK_TIMEZONE": "Europe/Berlin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [tuple(r.values()) for r in json.loads(result.stdout)["rows"]] == [
        # g0 at 2024-03-03T23:00Z is 2024-03-04T00:00:00 in Berlin, the first instant of
        # the window: W1 = 40 + 7 = 47 lines (45 added, 2 deleted), 4 + 1 = 5 files.
        ("gamma", "2024-03-04", 47, 45, 2, 5),
        ("gamma", "2024-03-11", 2, 1, 1, 3),
        ("gamma", "2024-03-18", 17, 4, 13, 3),
    ]
