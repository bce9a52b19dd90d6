"""hotspots on two real repositories, ranked by changes in the window x lines at the window's
end (the files of the default branch then: at HEAD when nothing landed since).

Window: May 2024. Files and what happens to them (dates UTC, all in 2024):

Repository ``hot-a``:

==============  =====  ==========================================================
path            lines  changes (non-merge commits, bots' excluded)
==============  =====  ==========================================================
big.py          100    04-15 add; 05-02 Alice, 05-03 Bob; 05-07 bot -> 2 (3 with bots)
small.py        10     04-15 add; 05-02 Alice, 05-03 Bob, 05-04 Alice -> 3
tie.py          30     04-15 add; 05-02 Alice; 06-02 Alice (after the window) -> 1
old.py/new.py   20     04-15 add old.py; 05-02 Alice changes old.py; 05-05 Carol
                       renames it to new.py; 05-06 Alice changes new.py -> 2 under
                       the current path (the change to old.py does not count)
gone.py         50     04-15 add; 05-02, 05-03 changed; 05-04 deleted -> absent
img.bin         bin.   04-15 add; 05-02 changed -> absent (binary)
==============  =====  ==========================================================

Repository ``hot-b``:

=======  =====  =======================================================
a.py     15     04-20 add; 05-10 Bob, 05-11 Carol -> 2
z.py     60     04-20 add; 05-10 Bob -> 1
c.py     5      04-20 add only -> absent (no change in the window)
=======  =====  =======================================================

Scores: big.py 2 x 100 = 200; z.py 1 x 60 = 60; new.py 2 x 20 = 40;
small.py 3 x 10 = 30, tie.py 1 x 30 = 30, a.py 2 x 15 = 30 (a three-way tie, ordered
by repository then path). tie.py's last change as of May 31 is 05-02 (06-02 came later).

In April (as of 04-30): every file added by the first commits, old.py under its old name and
gone.py not yet deleted: big.py 100, z.py 60, gone.py 50, tie.py 30, old.py 20, a.py 15,
small.py 10, c.py 5 (img.bin binary).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.gitrepo import ALICE, BOB, CAROL, DEPENDABOT, Repo

MAY = ("--since", "2024-05-01", "--until", "2024-05-31")
BINARY = bytes(range(256)) * 4


def numbered(prefix: str, count: int, changed: int | None = None, tag: str = "") -> str:
    """``count`` lines; line ``changed`` (1-based) carries ``tag`` so a change keeps the size."""
    return "".join(f"{prefix} line {i}{' ' + tag if i == changed else ''}\n" for i in range(1, count + 1))


def show(db: Path, *args: str) -> list[tuple]:
    result = run_quarterdeck("metrics", "show", "hotspots", "--db", str(db), "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return [tuple(r.values()) for r in json.loads(result.stdout)["rows"]]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hotspots")
    a = Repo.create(root / "hot-a")
    a.write("big.py", numbered("big", 100))
    a.write("small.py", numbered("small", 10))
    a.write("tie.py", numbered("tie", 30))
    a.write("old.py", numbered("old", 20))
    a.write("gone.py", numbered("gone", 50))
    a.write("img.bin", BINARY)
    a.commit("add", "2024-04-15T10:00:00+00:00", author=ALICE)
    a.write("big.py", numbered("big", 100, 1, "a"))
    a.write("small.py", numbered("small", 10, 1, "a"))
    a.write("tie.py", numbered("tie", 30, 1, "a"))
    a.write("old.py", numbered("old", 20, 1, "a"))
    a.write("gone.py", numbered("gone", 50, 1, "a"))
    a.write("img.bin", BINARY + b"\x00")
    a.commit("h2", "2024-05-02T10:00:00+00:00", author=ALICE)
    a.write("big.py", numbered("big", 100, 2, "b"))
    a.write("small.py", numbered("small", 10, 2, "b"))
    a.write("gone.py", numbered("gone", 50, 2, "b"))
    a.commit("h3", "2024-05-03T10:00:00+00:00", author=BOB)
    a.write("small.py", numbered("small", 10, 3, "c"))
    a.remove("gone.py")
    a.commit("h4", "2024-05-04T10:00:00+00:00", author=ALICE)
    a.move("old.py", "new.py")
    a.commit("h5", "2024-05-05T10:00:00+00:00", author=CAROL)
    a.write("new.py", numbered("old", 20, 2, "d"))
    a.commit("h6", "2024-05-06T10:00:00+00:00", author=ALICE)
    a.write("big.py", numbered("big", 100, 3, "bot"))
    a.commit("h7", "2024-05-07T10:00:00+00:00", author=DEPENDABOT)
    a.write("tie.py", numbered("tie", 30, 2, "june"))
    a.commit("h8", "2024-06-02T10:00:00+00:00", author=ALICE)

    b = Repo.create(root / "hot-b")
    b.write("a.py", numbered("a", 15))
    b.write("z.py", numbered("z", 60))
    b.write("c.py", numbered("c", 5))
    b.commit("add", "2024-04-20T10:00:00+00:00", author=BOB)
    b.write("a.py", numbered("a", 15, 1, "b"))
    b.write("z.py", numbered("z", 60, 1, "b"))
    b.commit("b2", "2024-05-10T10:00:00+00:00", author=BOB)
    b.write("a.py", numbered("a", 15, 2, "c"))
    b.commit("b3", "2024-05-11T10:00:00+00:00", author=CAROL)

    path = root / "warehouse.duckdb"
    result = run_quarterdeck("--db", str(path), "ingest", "git", str(a.path), str(b.path), "--format", "json")
    assert result.returncode == 0, result.stderr
    return path


# rank, repository, path, changes, lines, hotspot_score, authors, last_changed_at
ALL_IN_MAY = [
    # big.py: 2 changes (Alice, Bob) x 100 lines; last changed by the bot on 05-07.
    (1, "hot-a", "big.py", 2, 100, 200, 2, "2024-05-07T10:00:00+00:00"),
    (2, "hot-b", "z.py", 1, 60, 60, 1, "2024-05-10T10:00:00+00:00"),
    # new.py: the rename (Carol) and one change (Alice) under its current path.
    (3, "hot-a", "new.py", 2, 20, 40, 2, "2024-05-06T10:00:00+00:00"),
    # Three files score 30; same rank, ordered by repository, then path.
    (4, "hot-a", "small.py", 3, 10, 30, 2, "2024-05-04T10:00:00+00:00"),
    (4, "hot-a", "tie.py", 1, 30, 30, 1, "2024-05-02T10:00:00+00:00"),  # as of May 31
    (4, "hot-b", "a.py", 2, 15, 30, 2, "2024-05-11T10:00:00+00:00"),
]


def test_hotspots_ranked_by_changes_times_lines(db):
    assert show(db, *MAY) == ALL_IN_MAY


def test_columns(db):
    result = run_quarterdeck("metrics", "show", "hotspots", "--db", str(db), "--format", "json", *MAY)
    first = json.loads(result.stdout)["rows"][0]
    assert list(first) == [
        "rank",
        "repository",
        "path",
        "changes",
        "lines",
        "hotspot_score",
        "authors",
        "last_changed_at",
    ]


def test_limit_cuts_a_tie_in_repository_and_path_order(db):
    assert show(db, *MAY, "--limit", "4") == ALL_IN_MAY[:4]
    assert show(db, *MAY, "--limit", "5") == ALL_IN_MAY[:5]


def test_bots_changes_count_only_with_include_bots(db):
    # big.py: 3 changes (Alice, Bob, dependabot) x 100 = 300, three authors.
    assert show(db, *MAY, "--include-bots")[0] == (
        1,
        "hot-a",
        "big.py",
        3,
        100,
        300,
        3,
        "2024-05-07T10:00:00+00:00",
    )


def test_ranks_within_one_repository(db):
    assert show(db, *MAY, "--repo", "hot-b") == [
        (1, "hot-b", "z.py", 1, 60, 60, 1, "2024-05-10T10:00:00+00:00"),
        (2, "hot-b", "a.py", 2, 15, 30, 2, "2024-05-11T10:00:00+00:00"),
    ]


def test_window_decides_which_changes_count(db):
    # June: only h8 changed tie.py (1 x 30); April: only the first commits (1 change each).
    assert show(db, "--since", "2024-06-01", "--until", "2024-06-30") == [
        (1, "hot-a", "tie.py", 1, 30, 30, 1, "2024-06-02T10:00:00+00:00"),
    ]
    april = show(db, "--since", "2024-04-01", "--until", "2024-04-30")
    # the files as of April 30: old.py (renamed to new.py in May) and gone.py (deleted in May)
    # were there; img.bin is binary
    assert [(r[0], r[1], r[2], r[5]) for r in april] == [
        (1, "hot-a", "big.py", 100),
        (2, "hot-b", "z.py", 60),
        (3, "hot-a", "gone.py", 50),
        (4, "hot-a", "tie.py", 30),
        (5, "hot-a", "old.py", 20),
        (6, "hot-b", "a.py", 15),
        (7, "hot-a", "small.py", 10),
        (8, "hot-b", "c.py", 5),
    ]
