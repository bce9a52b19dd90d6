"""code_age on a real repository: every band boundary, measured at the end of --until.

With ``--until 2024-12-31`` in UTC, ages are measured at 2025-01-01T00:00:00Z, in whole
days rounded down. For each boundary N (30, 91, 182, 365, 730, 1461 days) one file last
changed exactly N days before that instant (age N: the older band) and one a second later
(age N-1: the younger band). Sizes are powers of two so every band's sum of lines shows
which files it holds:

==========  =========================  ====  =====  ==================
file        last change (UTC)          age   lines  band
==========  =========================  ====  =====  ==================
d30_in      2024-12-02T00:00:01        29    1      under 1 month
d30_at      2024-12-02T00:00:00        30    2      1-3 months
d91_in      2024-10-02T00:00:01        90    4      1-3 months
d91_at      2024-10-02T00:00:00        91    8      3-6 months
d182_in     2024-07-03T00:00:01        181   16     3-6 months
d182_at     2024-07-03T00:00:00        182   32     6-12 months
d365_in     2024-01-02T00:00:01        364   64     6-12 months
d365_at     2024-01-02T00:00:00        365   128    1-2 years
d730_in     2023-01-02T00:00:01        729   256    1-2 years
d730_at     2023-01-02T00:00:00        730   512    2-4 years
d1461_in    2021-01-01T00:00:01        1460  1024   2-4 years
d1461_at    2021-01-01T00:00:00        1461  2048   4 years or more
multi.txt   2021-06-01, then           0     10     under 1 month
            2024-12-31T12:00:00
branch.txt  2023-06-01T12:00:00        579   3      1-2 years
            (changed again on the unmerged branch 'experiment' on 2024-12-20: ignored)
merged.txt  2024-05-01T12:00:00 on     244   5      6-12 months
            branch 'side', merged into main on 2024-12-20 (a merge changes nothing)
==========  =========================  ====  =====  ==================

Not counted: logo.png (binary), deleted.txt (deleted before HEAD), exp.txt (only on the
unmerged branch). Lines in all: 4095 (the powers of two) + 10 + 3 + 5 = 4113.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.gitrepo import ALICE, BOB, CAROL, Repo

BOUNDARY_FILES = [
    ("d1461_at", "2021-01-01T00:00:00+00:00", 2048),
    ("d1461_in", "2021-01-01T00:00:01+00:00", 1024),
    ("d730_at", "2023-01-02T00:00:00+00:00", 512),
    ("d730_in", "2023-01-02T00:00:01+00:00", 256),
    ("d365_at", "2024-01-02T00:00:00+00:00", 128),
    ("d365_in", "2024-01-02T00:00:01+00:00", 64),
    ("d182_at", "2024-07-03T00:00:00+00:00", 32),
    ("d182_in", "2024-07-03T00:00:01+00:00", 16),
    ("d91_at", "2024-10-02T00:00:00+00:00", 8),
    ("d91_in", "2024-10-02T00:00:01+00:00", 4),
    ("d30_at", "2024-12-02T00:00:00+00:00", 2),
    ("d30_in", "2024-12-02T00:00:01+00:00", 1),
]
BANDS = [
    "under 1 month",
    "1-3 months",
    "3-6 months",
    "6-12 months",
    "1-2 years",
    "2-4 years",
    "4 years or more",
    "unknown",
]


def numbered(prefix: str, count: int) -> str:
    return "".join(f"{prefix} line {i}\n" for i in range(1, count + 1))


def show(db: Path, *args: str, env: dict[str, str] | None = None) -> list[tuple]:
    result = run_quarterdeck("metrics", "show", "code_age", "--db", str(db), "--format", "json", *args, env=env)
    assert result.returncode == 0, result.stderr
    return [tuple(r.values()) for r in json.loads(result.stdout)["rows"]]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("age")
    repo = Repo.create(root / "aged")

    def add(path: str, lines: int, when: str, author=ALICE) -> None:
        repo.write(path, numbered(path, lines))
        repo.commit(f"add {path}", when, author=author)

    for path, when, lines in BOUNDARY_FILES[:2]:
        add(path, lines, when)
    repo.write("multi.txt", numbered("first", 10))
    repo.commit("multi", "2021-06-01T12:00:00+00:00", author=BOB)
    for path, when, lines in BOUNDARY_FILES[2:4]:
        add(path, lines, when)
    add("branch.txt", 3, "2023-06-01T12:00:00+00:00", author=CAROL)
    for path, when, lines in BOUNDARY_FILES[4:6]:
        add(path, lines, when)
    repo.checkout("side", create=True)
    add("merged.txt", 5, "2024-05-01T12:00:00+00:00", author=BOB)
    repo.checkout("main")
    for path, when, lines in BOUNDARY_FILES[6:10]:
        add(path, lines, when)
    add("deleted.txt", 7, "2024-11-01T12:00:00+00:00")
    repo.remove("deleted.txt")
    repo.commit("delete", "2024-11-15T12:00:00+00:00", author=ALICE)
    for path, when, lines in BOUNDARY_FILES[10:]:
        add(path, lines, when)
    repo.write("logo.png", bytes(range(256)) * 4)
    repo.commit("logo", "2024-12-10T12:00:00+00:00", author=CAROL)
    repo.checkout("experiment", create=True)
    repo.write("branch.txt", numbered("experiment", 5))
    repo.write("exp.txt", numbered("exp", 100))
    repo.commit("experiment", "2024-12-20T10:00:00+00:00", author=CAROL)
    repo.checkout("main")
    repo.merge("side", message="merge side", when="2024-12-20T12:00:00+00:00", author=ALICE)
    repo.write("multi.txt", numbered("second", 10))
    repo.commit("multi again", "2024-12-31T12:00:00+00:00", author=BOB)

    path = root / "warehouse.duckdb"
    result = run_quarterdeck("--db", str(path), "ingest", "git", str(repo.path), "--format", "json")
    assert result.returncode == 0, result.stderr
    return path


def test_age_bands_at_the_end_of_until(db):
    # repository, age_band, files, lines, share_of_lines (lines / 4113, 4 decimals)
    assert show(db, "--until", "2024-12-31") == [
        ("aged", "under 1 month", 2, 11, 0.0027),  # d30_in 1 + multi.txt 10
        ("aged", "1-3 months", 2, 6, 0.0015),  # d30_at 2 + d91_in 4
        ("aged", "3-6 months", 2, 24, 0.0058),  # d91_at 8 + d182_in 16
        ("aged", "6-12 months", 3, 101, 0.0246),  # d182_at 32 + d365_in 64 + merged.txt 5
        ("aged", "1-2 years", 3, 387, 0.0941),  # d365_at 128 + d730_in 256 + branch.txt 3
        ("aged", "2-4 years", 2, 1536, 0.3735),  # d730_at 512 + d1461_in 1024
        ("aged", "4 years or more", 1, 2048, 0.4979),  # d1461_at 2048
        ("aged", "unknown", 0, 0, 0.0),
    ]


def test_end_of_until_is_in_the_organization_time_zone(db):
    # In Europe/Berlin the measure is taken at 2025-01-01T00:00+01:00 = 2024-12-31T23:00Z,
    # one hour earlier: every "_at" file is N days less one hour old and joins the band
    # below. multi.txt (12:00 UTC on the 31st) is still 0 days old.
    assert show(db, "--until", "2024-12-31", env={"QUARTERDECK_TIMEZONE": "Europe/Berlin"}) == [
        ("aged", "under 1 month", 3, 13, 0.0032),  # 1 + 2 + 10
        ("aged", "1-3 months", 2, 12, 0.0029),  # 4 + 8
        ("aged", "3-6 months", 2, 48, 0.0117),  # 16 + 32
        ("aged", "6-12 months", 3, 197, 0.0479),  # 64 + 128 + 5
        ("aged", "1-2 years", 3, 771, 0.1875),  # 256 + 512 + 3
        ("aged", "2-4 years", 2, 3072, 0.7469),  # 1024 + 2048
        ("aged", "4 years or more", 0, 0, 0.0),
        ("aged", "unknown", 0, 0, 0.0),
    ]


def test_a_later_until_ages_everything(db):
    # Until 2025-01-29: measured at 2025-01-30T00:00Z, 29 days later. Ages: d30_in 58,
    # d30_at 59, d91_in 119, d91_at 120, d182_in 210, d182_at 211, d365_in 393,
    # d365_at 394, d730_in 758, d730_at 759, d1461_in 1489, d1461_at 1490, multi.txt 29,
    # branch.txt 608, merged.txt 273.
    assert [r[1:4] for r in show(db, "--until", "2025-01-29")] == [
        ("under 1 month", 1, 10),  # multi.txt (29.5 days -> 29)
        ("1-3 months", 2, 3),  # d30_in 1 + d30_at 2
        ("3-6 months", 2, 12),  # d91_in 4 + d91_at 8
        ("6-12 months", 3, 53),  # d182_in 16 + d182_at 32 + merged.txt 5
        ("1-2 years", 3, 195),  # d365_in 64 + d365_at 128 + branch.txt 3
        ("2-4 years", 2, 768),  # d730_in 256 + d730_at 512
        ("4 years or more", 2, 3072),  # d1461_in 1024 + d1461_at 2048
        ("unknown", 0, 0),
    ]


def test_every_band_is_listed_in_order(db):
    assert [r[1] for r in show(db, "--until", "2024-12-31")] == BANDS


def test_a_rebased_change_does_not_make_a_file_older(make_repo, db_path):
    """A file is never older than a change to it that the default branch holds.

    With "rebase and merge" (or cherry-pick, or ``git am``), a commit keeps its author
    date and gets a new committer date. Here f.txt changes on 2024-03-01 (c1); then c2,
    a child of c1, changes it again, authored 2024-01-01 and committed 2024-06-01.
    At the end of 2024-06-30 the file's content is at most 121 days old (2024-03-01, the
    parent's change), or 29 days counting from when c2 landed; never 182 days.
    """
    repo = make_repo("rebased")
    repo.write("f.txt", "a\n")
    repo.commit("c0", "2023-01-01T00:00:00+00:00")
    repo.write("f.txt", "b\n")
    repo.commit("c1", "2024-03-01T00:00:00+00:00")
    repo.write("f.txt", "c\n")
    repo.commit("c2", "2024-01-01T00:00:00+00:00", commit_when="2024-06-01T00:00:00+00:00")
    result = run_quarterdeck("--db", str(db_path), "ingest", "git", str(repo.path), "--format", "json")
    assert result.returncode == 0, result.stderr
    bands = {r[1]: r[3] for r in show(db_path, "--until", "2024-06-30")}
    younger_than_six_months = bands["under 1 month"] + bands["1-3 months"] + bands["3-6 months"]
    assert (younger_than_six_months, bands["6-12 months"]) == (1, 0), bands


def test_the_branch_as_it_was_at_the_end_of_until(make_repo, db_path):
    """code_age and hotspots --until a past day read the files of the default branch then.

    2024-01-10 c1 adds a.py (10 lines), b.py (4), d.py (6), e.py (8); 2024-02-15 c2 adds 3
    lines to b.py. The branch 'feature' adds g.py (3) on 2024-02-25 and is merged on
    2024-03-05; the unmerged branch 'experiment' adds x.py (5) and a line to a.py on
    2024-02-20. 2024-03-10 c3 adds 5 lines to b.py, adds c.py (20), deletes d.py and renames
    e.py to f.py adding a line; 2024-03-12 c4 renames f.py to h.py adding a line.

    At the end of 2024-02-29 (2024-03-01T00:00Z) the branch was c2: a.py 10 (age 50 days),
    b.py 7 (14 days), d.py 6 (50), e.py 8 (50): 31 lines, 7 under 1 month, 24 in 1-3 months
    (g.py was committed before then but merged after). In January and February b.py changed
    twice, a.py twice (the change on 'experiment' is a change too, as commits of every
    ingested ref are), d.py and e.py once: scores a.py 2 x 10 = 20, b.py 2 x 7 = 14, e.py 8,
    d.py 6 (g.py changed, but was not on the branch).

    At the end of 2024-03-31 the branch is its tip: a.py 10 (81 days), g.py 3 (35 days: its
    commit time), b.py 12, c.py 20, h.py 10 (under 1 month).
    """
    repo = make_repo("asof")
    for name, lines in (("a.py", 10), ("b.py", 4), ("d.py", 6), ("e.py", 8)):
        repo.write(name, numbered(name, lines))
    repo.commit("c1", "2024-01-10T12:00:00+00:00")
    repo.write("b.py", numbered("b.py", 7))
    repo.commit("c2", "2024-02-15T12:00:00+00:00", author=BOB)
    repo.checkout("feature", create=True)
    repo.write("g.py", numbered("g.py", 3))
    repo.commit("feature", "2024-02-25T12:00:00+00:00", author=BOB)
    repo.checkout("main")
    repo.checkout("experiment", create=True)
    repo.write("x.py", numbered("x.py", 5))
    repo.write("a.py", numbered("a.py", 11))
    repo.commit("experiment", "2024-02-20T12:00:00+00:00", author=CAROL)
    repo.checkout("main")
    repo.merge("feature", message="merge feature", when="2024-03-05T12:00:00+00:00")
    repo.write("b.py", numbered("b.py", 12))
    repo.write("c.py", numbered("c.py", 20))
    repo.remove("d.py")
    repo.move("e.py", "f.py")
    repo.write("f.py", numbered("e.py", 9))
    repo.commit("c3", "2024-03-10T12:00:00+00:00")
    repo.move("f.py", "h.py")
    repo.write("h.py", numbered("e.py", 10))
    repo.commit("c4", "2024-03-12T12:00:00+00:00")
    result = run_quarterdeck("--db", str(db_path), "ingest", "git", str(repo.path), "--format", "json")
    assert result.returncode == 0, result.stderr
    bands = [r for r in show(db_path, "--until", "2024-02-29") if r[2]]
    assert bands == [
        ("asof", "under 1 month", 1, 7, round(7 / 31, 4)),
        ("asof", "1-3 months", 3, 24, round(24 / 31, 4)),
    ]
    tip = [r for r in show(db_path, "--until", "2024-03-31") if r[2]]
    assert tip == [
        ("asof", "under 1 month", 3, 42, round(42 / 55, 4)),
        ("asof", "1-3 months", 2, 13, round(13 / 55, 4)),
    ]
    hot = run_quarterdeck(
        "metrics", "show", "hotspots", "--db", str(db_path), "--since", "2024-01-01", "--until", "2024-02-29",
        "--format", "json",
    )  # fmt: skip
    assert hot.returncode == 0, hot.stderr
    rows = [(r["path"], r["changes"], r["lines"], r["hotspot_score"], r["last_changed_at"][:10])
            for r in json.loads(hot.stdout)["rows"]]  # fmt: skip
    assert rows == [
        ("a.py", 2, 10, 20, "2024-01-10"),  # its last change on the default branch
        ("b.py", 2, 7, 14, "2024-02-15"),
        ("e.py", 1, 8, 8, "2024-01-10"),
        ("d.py", 1, 6, 6, "2024-01-10"),
    ]
