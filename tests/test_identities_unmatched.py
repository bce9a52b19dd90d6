"""``quarterdeck identities --unmatched`` and ``--linked`` on real repositories and an
organization imported through the command line.

People (one snapshot, 2024-03-01): P1 Alice Example (alice@example.com, extra e-mail
alice@old.example), P2 Bob Example, P3 Grace Hopper (grace@example.com), P4 Frank Example
(GitHub login frankg), P5 and P6 both named Sam Smith. The identity mapping file links
bob.personal@gmail.com to P2.

Git authors, with their non-merge commits (what the metrics count):

=============================================  =======  ==========  ==========  =========  ==========================
identity                                       commits  first       last        repos      linked / suggested
=============================================  =======  ==========  ==========  =========  ==========================
Alice Example <alice@example.com>              2        2024-01-02  2024-01-03  app        P1 by e-mail
Alice E. <alice@old.example>                   1        2024-01-04              app        P1 by e-mail (extra)
Bob Example <bob.personal@gmail.com>           1        2024-01-05              app        P2 by the mapping file
Frank <123+frankg@users.noreply.github.com>    1        2024-01-06              app        P4 by GitHub login
Grace Hopper <grace@home.example>              3        2024-01-07  2024-02-10  app, lib   none; P3 by name, 0.9
Erin Outside <erin@contractor.example>         2        2024-01-08  2024-01-20  lib        none (+ a merge on 01-21)
Hopper Grace <grace.h@old.example>             1        2024-01-11              lib        none; P3, 0.85 (word order)
Grace B. Hopper <gbh@x.example>                1        2024-01-12              lib        none; P3, 0.7 (first+last)
Sam Smith <sam@home.example>                   1        2024-01-13              lib        none; two Sam Smiths: none
dependabot[bot]                                1        2024-01-10              lib        bot
=============================================  =======  ==========  ==========  =========  ==========================

People (bots left out): 9 identities, 13 commits; unmatched: 5 identities, 3 + 2 + 1 + 1 + 1
= 8 commits. With bots: 10 identities, 14 commits; 6 unmatched, 9 commits.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.gitrepo import ALICE, BOB, DEPENDABOT, Person, Repo

ALICE_OLD = Person("Alice E.", "alice@old.example")
BOB_PERSONAL = Person("Bob Example", "bob.personal@gmail.com")
FRANK = Person("Frank", "123+frankg@users.noreply.github.com")
GRACE = Person("Grace Hopper", "grace@home.example")
ERIN = Person("Erin Outside", "erin@contractor.example")
GRACE_REVERSED = Person("Hopper Grace", "grace.h@old.example")
GRACE_MIDDLE = Person("Grace B. Hopper", "gbh@x.example")
SAM = Person("Sam Smith", "sam@home.example")

PEOPLE = (
    "id,name,email,emails,github,team,start_date\n"
    "P1,Alice Example,alice@example.com,alice@old.example,,web,2023-01-01\n"
    "P2,Bob Example,bob@example.com,,,web,2023-01-01\n"
    "P3,Grace Hopper,grace@example.com,,,web,2023-01-01\n"
    "P4,Frank Example,frank@example.com,,frankg,web,2023-01-01\n"
    "P5,Sam Smith,sam.smith@example.com,,,web,2023-01-01\n"
    "P6,Sam Smith,sam.smith2@example.com,,,web,2023-01-01\n"
)
FIX = "quarterdeck ingest org identities.csv"


def commit(repo: Repo, name: str, when: str, author: Person) -> None:
    repo.write(f"{name}.txt", f"{name}\n")
    repo.commit(name, f"{when}T10:00:00+00:00", author=author)


def check(result) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("identities")
    app = Repo.create(root / "app")
    commit(app, "a1", "2024-01-02", ALICE)
    commit(app, "a2", "2024-01-03", ALICE)
    commit(app, "a3", "2024-01-04", ALICE_OLD)
    commit(app, "a4", "2024-01-05", BOB_PERSONAL)
    commit(app, "a5", "2024-01-06", FRANK)
    commit(app, "a6", "2024-01-07", GRACE)
    lib = Repo.create(root / "lib")
    commit(lib, "b1", "2024-01-08", ERIN)
    commit(lib, "b2", "2024-01-09", GRACE)
    commit(lib, "b3", "2024-01-10", DEPENDABOT)
    commit(lib, "b4", "2024-01-11", GRACE_REVERSED)
    commit(lib, "b5", "2024-01-12", GRACE_MIDDLE)
    commit(lib, "b6", "2024-01-13", SAM)
    lib.checkout("topic", create=True)
    commit(lib, "b7", "2024-01-20", ERIN)
    lib.checkout("main")
    lib.merge("topic", message="merge", when="2024-01-21T10:00:00+00:00", author=ERIN)
    commit(lib, "b8", "2024-02-10", GRACE)
    org = root / "org"
    org.mkdir()
    (org / "people-2024-03-01.csv").write_text(PEOPLE)
    (org / "identities.csv").write_text("identity,person_id\nbob.personal@gmail.com,P2\n")
    path = root / "warehouse.duckdb"
    check(run_quarterdeck("--db", str(path), "ingest", "git", str(app.path), str(lib.path), "--format", "json"))
    files = (str(org / "people-2024-03-01.csv"), str(org / "identities.csv"))
    check(run_quarterdeck("--db", str(path), "ingest", "org", *files, "--format", "json"))
    return path


def identities(db: Path, *args: str, env: dict[str, str] | None = None) -> dict:
    result = run_quarterdeck("identities", "--db", str(db), "--format", "json", *args, env=env)
    return json.loads(check(result))


UNMATCHED = [
    # identity, name, commits, first, last, repositories, suggested person, name, confidence
    ("git:grace@home.example", "Grace Hopper", 3, "2024-01-07", "2024-02-10", "app, lib", "P3", "Grace Hopper", 0.9),
    ("git:erin@contractor.example", "Erin Outside", 2, "2024-01-08", "2024-01-20", "lib", None, None, None),
    ("git:gbh@x.example", "Grace B. Hopper", 1, "2024-01-12", "2024-01-12", "lib", "P3", "Grace Hopper", 0.7),
    ("git:grace.h@old.example", "Hopper Grace", 1, "2024-01-11", "2024-01-11", "lib", "P3", "Grace Hopper", 0.85),
    ("git:sam@home.example", "Sam Smith", 1, "2024-01-13", "2024-01-13", "lib", None, None, None),
]


def as_tuple(row: dict) -> tuple:
    assert row["source"] == "git"
    assert row["email"] == row["identity_id"].removeprefix("git:")
    return (
        row["identity_id"],
        row["name"],
        row["commits"],
        row["first_commit"][:10],
        row["last_commit"][:10],
        row["repositories"],
        row["suggested_person"],
        row["suggested_name"],
        row["confidence"],
    )


def test_unmatched_identities_most_active_first(db):
    data = identities(db, "--unmatched")
    assert [as_tuple(r) for r in data["rows"]] == UNMATCHED
    assert data["summary"] == {
        "git": {"identities": 9, "unmatched_identities": 5, "commits": 13, "unmatched_commits": 8}
    }
    assert data["include_bots"] is False
    assert FIX in data["how_to_fix"]


def test_unmatched_with_bots_and_a_limit(db):
    data = identities(db, "--unmatched", "--include-bots", "--limit", "3")
    assert [r["identity_id"] for r in data["rows"]] == [
        "git:grace@home.example",
        "git:erin@contractor.example",
        "git:49699333+dependabot[bot]@users.noreply.github.com",  # 1 commit; ids sort '4' before 'g'
    ]
    assert data["rows"][2]["suggested_person"] is None  # bots get no suggestion
    # the summary counts everything, not only the rows shown
    assert data["summary"]["git"] == {
        "identities": 10,
        "unmatched_identities": 6,
        "commits": 14,
        "unmatched_commits": 9,
    }


def test_unmatched_as_a_table_with_its_footer(db):
    out = check(run_quarterdeck("identities", "--unmatched", "--db", str(db)))
    assert "Grace Hopper" in out and "Erin Outside" in out and "alice@example.com" not in out
    text = " ".join(out.split())  # the footer may wrap
    assert (
        'git: 5 of 9 identities with commits are linked to no person; 8 of 13 commits count as "(unmatched)" '
        "in metrics --by team and --by unit (bots left out: --include-bots)."
    ) in text
    assert "To fix: link them in an identity mapping file" in text and FIX in text


def test_unmatched_as_csv(db):
    lines = check(run_quarterdeck("identities", "--unmatched", "--db", str(db), "--format", "csv")).splitlines()
    assert lines[0] == (
        "source,identity_id,name,email,commits,first_commit,last_commit,repositories,"
        "suggested_person,suggested_name,confidence"
    )
    assert lines[1].startswith("git,git:grace@home.example,Grace Hopper,grace@home.example,3,2024-01-07")
    assert lines[1].endswith(',"app, lib",P3,Grace Hopper,0.9')
    assert len(lines) == 1 + 5


def test_linked_identities(db):
    data = identities(db, "--linked")
    got = [(r["identity_id"], r["commits"], r["person_id"], r["person_name"], r["method"], r["confidence"])
           for r in data["rows"]]  # fmt: skip
    assert got == [
        ("git:alice@example.com", 2, "P1", "Alice Example", "email", 1.0),
        ("git:123+frankg@users.noreply.github.com", 1, "P4", "Frank Example", "github-login", 1.0),
        ("git:alice@old.example", 1, "P1", "Alice Example", "email", 1.0),
        ("git:bob.personal@gmail.com", 1, "P2", "Bob Example", "mapping", 1.0),
    ]
    assert data["summary"] == {
        "git": {"identities": 4, "people": 3, "by_method": {"email": 2, "github-login": 1, "mapping": 1}}
    }
    out = " ".join(check(run_quarterdeck("identities", "--linked", "--db", str(db))).split())
    assert "git: 4 identities linked to 3 people (2 by email, 1 by github-login, 1 by mapping)." in out


def test_links_by_name_when_the_setting_asks_for_them(db, tmp_path):
    copy = tmp_path / "names.duckdb"
    shutil.copy(db, copy)
    people = tmp_path / "people-2024-03-01.csv"
    people.write_text(PEOPLE)
    env = {"QUARTERDECK_LINK_IDENTITIES_BY_NAME": "true"}
    check(run_quarterdeck("--db", str(copy), "ingest", "org", str(people), "--format", "json", env=env))
    linked = identities(copy, "--linked")["rows"]
    # the least certain first; the mapping stored before still links Bob (links are rebuilt from every import)
    assert [(r["identity_id"], r["method"], r["confidence"]) for r in linked[:3]] == [
        ("git:gbh@x.example", "name", 0.7),
        ("git:grace.h@old.example", "name", 0.85),
        ("git:grace@home.example", "name", 0.9),
    ]
    assert {r["person_id"] for r in linked[:3]} == {"P3"}
    assert len(linked) == 7
    unmatched = identities(copy, "--unmatched")
    assert [r["identity_id"] for r in unmatched["rows"]] == ["git:erin@contractor.example", "git:sam@home.example"]
    assert unmatched["summary"]["git"] == {
        "identities": 9,
        "unmatched_identities": 2,
        "commits": 13,
        "unmatched_commits": 3,
    }


def test_the_other_lists_keep_working(db):
    everyone = identities(db)
    assert isinstance(everyone, list) and len(everyone) == 10
    bots = identities(db, "--bots")
    assert [r["identity_id"] for r in bots] == ["git:49699333+dependabot[bot]@users.noreply.github.com"]
    result = run_quarterdeck("identities", "--linked", "--include-bots", "--db", str(db))
    assert result.returncode == 2 and "--include-bots goes with --unmatched" in result.stderr


def test_before_any_organization_is_imported(make_repo, tmp_path):
    repo = make_repo("solo")
    commit(repo, "c1", "2024-01-02", ALICE)
    commit(repo, "c2", "2024-01-03", BOB)
    commit(repo, "c3", "2024-01-04", ALICE)
    db = tmp_path / "solo.duckdb"
    check(run_quarterdeck("--db", str(db), "ingest", "git", str(repo.path), "--format", "json"))
    data = identities(db, "--unmatched")
    assert [(r["identity_id"], r["commits"]) for r in data["rows"]] == [
        ("git:alice@example.com", 2),
        ("git:bob@example.com", 1),
    ]
    assert data["summary"]["git"] == {"identities": 2, "unmatched_identities": 2, "commits": 3, "unmatched_commits": 3}
    text = " ".join(check(run_quarterdeck("identities", "--unmatched", "--db", str(db))).split())
    assert "No people imported yet: import the organization first (quarterdeck ingest org people.csv;" in text
    assert identities(db, "--linked") == {"summary": {}, "rows": []}


def test_every_list_counts_non_merge_commits_only(tmp_path):
    # app: Alice a1 01-02, Bob a2 01-03 on a branch, Alice a3 01-04, merged by Mona 01-05 (her
    # only commit). lib: Bob b1 01-06, Alice b2 01-07 on a branch, Bob b3 01-08, merged by Alice 01-09.
    mona = Person("Mona Merger", "mona@example.com")
    app = Repo.create(tmp_path / "app")
    commit(app, "a1", "2024-01-02", ALICE)
    app.checkout("topic", create=True)
    commit(app, "a2", "2024-01-03", BOB)
    app.checkout("main")
    commit(app, "a3", "2024-01-04", ALICE)
    app.merge("topic", message="merge", when="2024-01-05T10:00:00+00:00", author=mona)
    lib = Repo.create(tmp_path / "lib")
    commit(lib, "b1", "2024-01-06", BOB)
    lib.checkout("topic", create=True)
    commit(lib, "b2", "2024-01-07", ALICE)
    lib.checkout("main")
    commit(lib, "b3", "2024-01-08", BOB)
    lib.merge("topic", message="merge", when="2024-01-09T10:00:00+00:00", author=ALICE)
    path = tmp_path / "w.duckdb"
    check(run_quarterdeck("--db", str(path), "ingest", "git", str(app.path), str(lib.path), "--format", "json"))
    rows = json.loads(check(run_quarterdeck("identities", "--db", str(path), "--format", "json")))

    def day(value):
        return value[:10] if value else None

    got = [(r["identity_id"], r["commits"], r["repositories"], day(r["first_commit"]), day(r["last_commit"]))
           for r in rows]  # fmt: skip
    assert got == [
        (f"git:{ALICE.email}", 3, 2, "2024-01-02", "2024-01-07"),  # a1, a3, b2; not the merge of 01-09
        (f"git:{BOB.email}", 3, 2, "2024-01-03", "2024-01-08"),  # a2, b1, b3
        ("git:mona@example.com", 0, 0, None, None),  # merges only
    ]
    humans = json.loads(check(run_quarterdeck("identities", "--humans", "--db", str(path), "--format", "json")))
    assert [(r["identity_id"], r["commits"]) for r in humans] == [(g[0], g[1]) for g in got]
