"""Git identities linked to people: by an explicit mapping, by e-mail (primary or extra, any
case), by GitHub no-reply address, and by name only when the setting asks for it, with a
confidence. Links are rebuilt after git and org imports, whichever comes first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.gitrepo import Person, Repo
from tests.orgdata import LAST, ORG_DATA, import_files, people_csv, read_people_csv, rows, write

PEOPLE = (
    "P1,Alice Example,alice@example.com,,,,,,eng,,,2020-01-06,,,,",
    "P2,Bob Example,bob@example.com,bob.b@example.org,,,,P1,eng,,,2020-01-06,,,,",
    "P3,Carol Example,carol@example.com,,,,,P1,eng,,,2020-01-06,,,,",
    "P4,Dan Example,dan@example.com,,,,,P1,eng,,,2020-01-06,,,,dan-gh",
    "P5,José Ramírez,jose@example.com,,,,,P1,eng,,,2020-01-06,,,,",
    "P6,Eve Maria Ops,eve@example.com,,,,,P1,eng,,,2020-01-06,,,,",
    "P7,Frank Li,frank@example.com,,,,,P1,eng,,,2020-01-06,,,,",
    "P8,Frank Li,frank.li@example.com,,,,,P1,eng,,,2020-01-06,,,,",
)
MAPPING = """\
identity,person_id
Carol.Personal@Gmail.com,P3
alice@example.com,P2
"""
AUTHORS = [
    Person("Alice Example", "ALICE@Example.com"),  # primary e-mail in another case; but mapped to P2 below
    Person("Bob Example", "bob.b@example.org"),  # an extra e-mail
    Person("Carol at home", "carol.personal@gmail.com"),  # only the mapping file knows
    Person("Dan", "12345+dan-gh@users.noreply.github.com"),  # GitHub no-reply address of dan-gh
    Person("Jose Ramirez", "jr@personal.example"),  # same name without accents
    Person("Ops Eve Maria", "eve@home.example"),  # same words in another order
    Person("Eve Ops", "eve.ops@old.example"),  # first and last word
    Person("Frank Li", "frank@home.example"),  # two people have this name: no link
    Person("Stranger", "stranger@example.net"),  # nobody
]


@pytest.fixture
def repo(make_repo: Callable[..., Repo]) -> Repo:
    repo = make_repo("app")
    for i, author in enumerate(AUTHORS):
        repo.write(f"file{i}.txt", f"{i}\n")
        repo.commit(f"change {i}", f"2024-01-{10 + i:02d}T10:00:00+00:00", author=author)
    return repo


def org_files(folder: Path) -> list[Path]:
    return [
        people_csv(folder, "people-2024-01-31.csv", *PEOPLE),
        write(folder, "org.yaml", "teams:\n  - id: eng\n"),
        write(folder, "identities.csv", MAPPING),
    ]


LINKS = "SELECT identity_id, person_id, method, confidence FROM identity_links ORDER BY 1"
WITHOUT_NAMES = [
    ("git:12345+dan-gh@users.noreply.github.com", "P4", "github-login", 1.0),
    ("git:alice@example.com", "P2", "mapping", 1.0),  # the mapping wins over the e-mail
    ("git:bob.b@example.org", "P2", "email", 1.0),
    ("git:carol.personal@gmail.com", "P3", "mapping", 1.0),
]
BY_NAME = [
    ("git:eve.ops@old.example", "P6", "name", 0.7),
    ("git:eve@home.example", "P6", "name", 0.85),
    ("git:jr@personal.example", "P5", "name", 0.9),
]


def ingest(db: Path, *args: str, env: dict[str, str] | None = None) -> None:
    result = run_quarterdeck("--db", str(db), "ingest", *args, "--format", "json", env=env)
    assert result.returncode == 0, result.stderr


def test_links_after_git_then_org(tmp_path: Path, repo: Repo) -> None:
    db = tmp_path / "w.duckdb"
    ingest(db, "git", str(repo.path))
    assert rows(db, LINKS) == []
    import_files(db, org_files(tmp_path))
    assert rows(db, LINKS) == WITHOUT_NAMES
    # the stranger and the names stay unmatched: their work is not dropped, only unlinked
    unlinked = rows(db, "SELECT identity_id FROM identities ANTI JOIN identity_links USING (identity_id) ORDER BY 1")
    assert unlinked == [
        ("git:eve.ops@old.example",),
        ("git:eve@home.example",),
        ("git:frank@home.example",),
        ("git:jr@personal.example",),
        ("git:stranger@example.net",),
    ]
    assert rows(db, "SELECT count(*) FROM commits") == [(len(AUTHORS),)]


def test_links_by_name_with_the_setting(tmp_path: Path, repo: Repo) -> None:
    """The environment variable on the org import, then the config file on a git import."""
    db = tmp_path / "w.duckdb"
    ingest(db, "git", str(repo.path))
    files = org_files(tmp_path)
    ingest(db, "org", *map(str, files), env={"QUARTERDECK_LINK_IDENTITIES_BY_NAME": "true"})
    assert rows(db, LINKS) == sorted(WITHOUT_NAMES + BY_NAME)
    ingest(db, "org", *map(str, files))  # without the setting the links by name go again
    assert rows(db, LINKS) == WITHOUT_NAMES
    config = write(tmp_path, "quarterdeck.toml", "[identities]\nlink_by_name = true\n")
    repo.write("later.txt", "later\n")
    repo.commit("later", "2024-03-01T10:00:00+00:00", author=AUTHORS[-1])
    ingest(db, "git", str(repo.path), "--config", str(config))
    assert rows(db, LINKS) == sorted(WITHOUT_NAMES + BY_NAME)


def test_links_after_org_then_git(tmp_path: Path, repo: Repo) -> None:
    db = tmp_path / "w.duckdb"
    import_files(db, org_files(tmp_path))
    ingest(db, "git", str(repo.path))
    assert rows(db, LINKS) == WITHOUT_NAMES


def test_mapping_to_an_unknown_person_is_an_error(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    import_files(db, org_files(tmp_path)[:2])
    bad = write(tmp_path, "more-identities.csv", "identity,person_id\nx@example.com,P1\ny@example.com,P99\n")
    result = run_quarterdeck("--db", str(db), "ingest", "org", str(bad))
    assert result.returncode == 1
    assert f"{bad}:3: field person_id: no person with id 'P99'" in result.stderr
    assert rows(db, "SELECT count(*) FROM identity_mappings") == [(0,)]


def test_identity_mapping_of_the_organization(org_warehouse: Path) -> None:
    """identities.csv of tests/data/org: every row stored, each naming a known person; the
    last row is someone who has left (README), whose history is kept."""
    lines = (ORG_DATA / "identities.csv").read_text().splitlines()[1:]
    expected = [tuple(line.split(",")) for line in lines]
    got = rows(org_warehouse, "SELECT identity, person_id FROM identity_mappings ORDER BY line")
    assert got == expected and len(got) == 6
    known = {person for (person,) in rows(org_warehouse, "SELECT person_id FROM people")}
    assert {person for _, person in got} <= known
    leaver = got[-1][1]
    last_day = rows(
        org_warehouse, "SELECT max(valid_to), bool_or(leaves) FROM person_periods WHERE person_id = ?", [leaver]
    )
    assert last_day[0][0] <= LAST and last_day[0][1] is True
    assert leaver not in {r["id"] for r in read_people_csv(ORG_DATA / "hr" / f"people-{LAST}.csv")}
