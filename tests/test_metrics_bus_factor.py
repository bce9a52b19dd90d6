"""bus_factor on four real repositories with known shares of changed lines.

Window: 2023-07-01 .. 2024-06-30. Changed lines = added + deleted, non-merge commits.

==========  =========================================================  ======
repository  changed lines in the window                                factor
==========  =========================================================  ======
solo        Alice 60, Bob 30 (20 added + 10 deleted), Carol 10;        1
            Carol's 1,000 lines on 2023-06-30 are before the window;
            a merge by Carol and a binary file add nothing
pair        Alice 40, Bob 40, Carol 20; dependabot 100                 2 (1 with bots)
split       Alice 50, Bob 25, Carol 25 (exactly half)                  1
quiet       nothing (its only commit is from 2023-01-10)               none
==========  =========================================================  ======
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.gitrepo import ALICE, BOB, CAROL, DEPENDABOT, Person, Repo

YEAR = ("--since", "2023-07-01", "--until", "2024-06-30")


def numbered(prefix: str, count: int) -> str:
    return "".join(f"{prefix} line {i}\n" for i in range(1, count + 1))


def show(db: Path, *args: str) -> list[tuple]:
    result = run_quarterdeck("metrics", "show", "bus_factor", "--db", str(db), "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return [tuple(r.values()) for r in json.loads(result.stdout)["rows"]]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bus")
    solo = Repo.create(root / "solo")
    solo.write("old.txt", numbered("old", 1000))
    solo.commit("before the window", "2023-06-30T23:59:59+00:00", author=CAROL)
    solo.write("alice.txt", numbered("alice", 60))
    solo.commit("alice", "2023-08-01T10:00:00+00:00", author=ALICE)
    solo.write("bob.txt", numbered("bob", 20))
    solo.commit("bob adds", "2023-09-01T10:00:00+00:00", author=BOB)
    solo.write("alice.txt", numbered("alice", 50))  # 10 lines deleted at the end
    solo.commit("bob deletes", "2023-10-01T10:00:00+00:00", author=BOB)
    solo.checkout("carol", create=True)
    solo.write("carol.txt", numbered("carol", 10))
    solo.write("picture.bin", bytes(range(256)) * 8)
    solo.commit("carol", "2024-01-15T10:00:00+00:00", author=CAROL)
    solo.checkout("main")
    solo.merge("carol", message="merge", when="2024-01-16T10:00:00+00:00", author=CAROL)

    pair = Repo.create(root / "pair")
    pair.write("a.txt", numbered("a", 40))
    pair.commit("alice", "2023-07-01T00:00:00+00:00", author=ALICE)  # first second of the window
    pair.write("b.txt", numbered("b", 40))
    pair.commit("bob", "2023-12-01T10:00:00+00:00", author=BOB)
    pair.write("c.txt", numbered("c", 20))
    pair.commit("carol", "2024-06-30T23:59:59+00:00", author=CAROL)  # last second of the window
    pair.write("deps.lock", numbered("dep", 100))
    pair.commit("bot", "2024-02-01T10:00:00+00:00", author=DEPENDABOT)

    split = Repo.create(root / "split")
    split.write("a.txt", numbered("a", 50))
    split.commit("alice", "2024-03-01T10:00:00+00:00", author=ALICE)
    split.write("b.txt", numbered("b", 25))
    split.commit("bob", "2024-03-02T10:00:00+00:00", author=BOB)
    split.write("c.txt", numbered("c", 25))
    split.commit("carol", "2024-03-03T10:00:00+00:00", author=CAROL)

    quiet = Repo.create(root / "quiet")
    quiet.write("a.txt", numbered("a", 5))
    quiet.commit("long ago", "2023-01-10T10:00:00+00:00", author=ALICE)

    path = root / "warehouse.duckdb"
    paths = [str(r.path) for r in (solo, pair, split, quiet)]
    result = run_quarterdeck("--db", str(path), "ingest", "git", *paths, "--format", "json")
    assert result.returncode == 0, result.stderr
    return path


def test_bus_factor_per_repository(db):
    # repository, bus_factor, authors, changed_lines, top_author_share
    assert show(db, *YEAR) == [
        # 40 + 40 + 20 = 100; first author 40: 2 x 40 = 80 < 100; first two 80: 160 >= 100.
        ("pair", 2, 3, 100, 0.4),
        # No change in the window: no value, no authors.
        ("quiet", None, 0, 0, None),
        # 60 + (20 + 10) + 10 = 100; first author 60: 2 x 60 = 120 >= 100.
        ("solo", 1, 3, 100, 0.6),
        # 50 + 25 + 25 = 100; first author 50: 2 x 50 = 100 >= 100 (half is enough).
        ("split", 1, 3, 100, 0.5),
    ]


def test_bots_count_only_with_include_bots(db):
    # pair with dependabot's 100 lines: 200 in all; the bot alone: 2 x 100 = 200 >= 200.
    assert show(db, *YEAR, "--include-bots", "--repo", "pair") == [("pair", 1, 4, 200, 0.5)]


def test_window_edges(db):
    # Until 2024-06-29: Carol's 20 lines (the last second of 06-30) drop out of pair:
    # Alice 40, Bob 40 -> 80; first author: 2 x 40 = 80 >= 80 -> 1.
    assert show(db, "--since", "2023-07-01", "--until", "2024-06-29", "--repo", "pair") == [("pair", 1, 2, 80, 0.5)]
    # Since 2023-06-30: Carol's 1,000 lines in solo count: 1000 + 100 = 1100 in all;
    # Carol 1000 + 10 = 1010 -> 1, share 1010 / 1100 = 0.91818... -> 0.9182.
    assert show(db, "--since", "2023-06-30", "--until", "2024-06-30", "--repo", "solo") == [
        ("solo", 1, 3, 1100, 0.9182)
    ]


def test_default_window_is_365_days(db):
    result = run_quarterdeck(
        "metrics", "show", "bus_factor", "--db", str(db), "--format", "json", "--until", "2024-06-30"
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    # 2024-06-30 - 364 days = 2023-07-02 (2024 is a leap year): pair loses Alice's
    # commit of 2023-07-01 -> Bob 40, Carol 20: 2 x 40 = 80 >= 60 -> 1.
    assert payload["window"]["since"] == "2023-07-02"
    assert tuple(payload["rows"][0].values()) == ("pair", 1, 2, 60, 0.6667)


def test_one_person_under_two_e_mail_addresses_is_one_author(make_repo, db_path, tmp_path):
    # Alice writes 40 lines as alice@example.com and 40 as alice@home.example (10 of them in
    # the same file), both hers in the people file; Bob writes 60. By person: Alice 80 of 140 is half or more: 1 (of 2
    # authors, top share 80/140). Counted by address it would be Bob 60 + 40 = 100: 2 of 3.
    repo = make_repo("two-addresses")
    repo.write("a.txt", numbered("a", 40))
    repo.commit("work", "2024-03-01T10:00:00+00:00", author=ALICE)
    repo.write("a.txt", numbered("a", 50))
    repo.write("b.txt", numbered("b", 30))
    repo.commit("home", "2024-03-02T10:00:00+00:00", author=Person("Alice Example", "alice@home.example"))
    repo.write("c.txt", numbered("c", 60))
    repo.commit("bob", "2024-03-03T10:00:00+00:00", author=BOB)
    people = tmp_path / "people-2024-01-01.csv"
    people.write_text(
        "id,name,email,emails,team,start_date\n"
        "P1,Alice Example,alice@example.com,alice@home.example,web,2023-01-01\n"
        "P2,Bob Example,bob@example.com,,web,2023-01-01\n"
    )
    for step in (("ingest", "git", str(repo.path)), ("ingest", "org", str(people))):
        done = run_quarterdeck("--db", str(db_path), *step, "--format", "json")
        assert done.returncode == 0, done.stderr
    assert show(db_path, *YEAR) == [("two-addresses", 1, 2, 140, round(80 / 140, 4))]
    hot = run_quarterdeck("metrics", "show", "hotspots", "--db", str(db_path), *YEAR, "--format", "json")
    assert hot.returncode == 0, hot.stderr
    rows = {r["path"]: (r["changes"], r["authors"]) for r in json.loads(hot.stdout)["rows"]}
    assert rows == {"a.txt": (2, 1), "b.txt": (1, 1), "c.txt": (1, 1)}  # a.txt: two changes by Alice
