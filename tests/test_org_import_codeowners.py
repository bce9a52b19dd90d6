"""CODEOWNERS into codeowners_rules and file_owners: read from a real repository's HEAD by
`quarterdeck ingest git`, or given with `quarterdeck ingest org CODEOWNERS --repo NAME`. As
on GitHub the last matching rule wins; owners are @org/team, @login or e-mail; a rule with
no owners un-owns; an owner that is no team is reported."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import yaml

from tests.conftest import run_quarterdeck
from tests.gitrepo import ALICE, Repo
from tests.orgdata import LAST, ORG_DATA, import_files, people_csv, read_people_csv, rows, write

ORG_YAML = """\
teams:
  - {id: platform, name: Platform}
  - {id: payments, name: Payments, parent: platform, aliases: [payments-team]}
  - {id: web, name: Web, parent: platform}
"""
PEOPLE = (
    "P1,Alice Example,alice@example.com,,,,,,web,,,2020-01-06,,,,alice-gh",
    "P2,Bob Example,bob@example.com,,,,,P1,payments,,,2020-01-06,,,,",
)
CODEOWNERS = """\
# default owners first: the last matching rule wins
*                  @example/platform
/src/pay/          @example/payments-team
/src/web/          @Alice-GH
*.tf               BOB@example.com
/docs/             @example/web @example/payments
/legacy/billing/   @example/billing-legacy
/vendor/
*.md               @example/payments
"""
FILES = [
    "README.md",
    "docs/guide.md",
    "docs/setup.txt",
    "infra/main.tf",
    "legacy/billing/old.py",
    "src/pay/api.py",
    "src/web/app.js",
    "tools/build.sh",
    "vendor/lib.c",
]
#: (path, rule line, owning team), worked out by hand from CODEOWNERS: the last rule that
#: matches decides, even when an earlier one is more specific (docs/guide.md: *.md on line 9
#: after /docs/ on line 6); the first owner that is a team decides among a rule's owners.
EXPECTED = [
    (".github/CODEOWNERS", 2, "platform"),
    ("README.md", 9, "payments"),
    ("docs/guide.md", 9, "payments"),
    ("docs/setup.txt", 6, "web"),  # @example/web before @example/payments
    ("infra/main.tf", 5, "payments"),  # Bob's e-mail, in any case: Bob is on payments
    ("legacy/billing/old.py", 7, None),  # a team nobody defines
    ("src/pay/api.py", 3, "payments"),  # an alias
    ("src/web/app.js", 4, "web"),  # Alice's GitHub login, in any case
    ("tools/build.sh", 2, "platform"),
    ("vendor/lib.c", 8, None),  # no owners: un-owned
]
RULES = [
    (2, "*", ["@example/platform"]),
    (3, "/src/pay/", ["@example/payments-team"]),
    (4, "/src/web/", ["@Alice-GH"]),
    (5, "*.tf", ["BOB@example.com"]),
    (6, "/docs/", ["@example/web", "@example/payments"]),
    (7, "/legacy/billing/", ["@example/billing-legacy"]),
    (8, "/vendor/", []),
    (9, "*.md", ["@example/payments"]),
]
OWNERS_SQL = (
    "SELECT f.path, f.rule_line, f.team_id FROM file_owners f JOIN repositories r USING (repository_id) "
    "WHERE r.name = ? ORDER BY f.path"
)


def make_shop(make_repo: Callable[..., Repo], codeowners: str | None) -> Repo:
    repo = make_repo("shop")
    for path in FILES:
        repo.write(path, f"{path}\n")
    if codeowners is not None:
        repo.write(".github/CODEOWNERS", codeowners)
    repo.commit("start", "2024-01-10T10:00:00+00:00", author=ALICE)
    return repo


def org_db(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    org = write(tmp_path, "org.yaml", ORG_YAML)
    import_files(db, [people_csv(tmp_path, "people-2024-01-31.csv", *PEOPLE), org])
    return db


def ingest_git(db: Path, repo: Repo) -> None:
    result = run_quarterdeck("--db", str(db), "ingest", "git", str(repo.path), "--format", "json")
    assert result.returncode == 0, result.stderr


def test_codeowners_read_from_the_repository_head(tmp_path: Path, make_repo: Callable[..., Repo]) -> None:
    db = org_db(tmp_path)
    ingest_git(db, make_shop(make_repo, CODEOWNERS))
    got = rows(db, "SELECT repository, file, line, pattern, owners FROM codeowners_rules ORDER BY line")
    assert got == [("shop", ".github/CODEOWNERS", *rule) for rule in RULES]
    assert rows(db, OWNERS_SQL, ["shop"]) == EXPECTED


def test_codeowners_given_with_repo(tmp_path: Path, make_repo: Callable[..., Repo]) -> None:
    db = org_db(tmp_path)
    ingest_git(db, make_shop(make_repo, None))
    assert rows(db, "SELECT count(*) FROM file_owners") == [(0,)]
    codeowners = write(tmp_path / "kept-elsewhere", "CODEOWNERS", CODEOWNERS)
    result = run_quarterdeck("--db", str(db), "ingest", "org", str(codeowners), "--repo", "shop", "--format", "csv")
    assert result.returncode == 0, result.stderr
    got = rows(db, "SELECT repository, file, line, pattern, owners FROM codeowners_rules ORDER BY line")
    assert got == [("shop", str(codeowners), *rule) for rule in RULES]
    assert rows(db, OWNERS_SQL, ["shop"]) == EXPECTED[1:]  # the repository has no .github/CODEOWNERS here
    # the owner that is no team is reported, with its file and line
    notes = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert notes == [
        f"note: {codeowners}:7: field owner: @example/billing-legacy matches no team id or alias, "
        "and no current person's GitHub login or e-mail"
    ]


def test_codeowners_given_before_the_repository_is_ingested(tmp_path: Path, make_repo: Callable[..., Repo]) -> None:
    db = org_db(tmp_path)
    codeowners = write(tmp_path / "kept-elsewhere", "CODEOWNERS", CODEOWNERS)
    import_files(db, [codeowners], repository="shop")
    assert rows(db, "SELECT DISTINCT repository, repository_id FROM codeowners_rules") == [("shop", None)]
    ingest_git(db, make_shop(make_repo, None))
    assert rows(db, OWNERS_SQL, ["shop"]) == EXPECTED[1:]


def test_codeowners_without_a_repository_is_an_error(tmp_path: Path) -> None:
    db = org_db(tmp_path)
    codeowners = write(tmp_path, "CODEOWNERS", CODEOWNERS)
    result = run_quarterdeck("--db", str(db), "ingest", "org", str(codeowners))
    assert result.returncode == 1
    assert f"{codeowners}: a CODEOWNERS file needs the repository it belongs to: give --repo NAME" in result.stderr
    assert rows(db, "SELECT count(*) FROM codeowners_rules") == [(0,)]


# -- the CODEOWNERS of tests/data/org against the whole organization --------------------------


def read_rules(text: str) -> list[tuple[int, str, list[str]]]:
    rules = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split("#")[0].split()
        if parts:
            rules.append((number, parts[0], parts[1:]))
    return rules


def sample_path(pattern: str) -> str:
    """A file the pattern matches (the patterns of this CODEOWNERS only)."""
    if pattern == "*":
        return "README.md"
    if pattern.startswith("*."):
        return f"terraform/root{pattern[1:]}"
    if "/**/" in pattern:
        return pattern.strip("/").replace("**/*", "x/y")
    return pattern.strip("/") + "/main.py"


def last_match(path: str, rules: list[tuple[int, str, list[str]]]) -> tuple[int, list[str]]:
    """The last rule whose pattern matches ``path`` (again only this file's kinds of pattern)."""
    found = (0, [])
    for line, pattern, owners in rules:
        if pattern == "*" or (pattern.startswith("*.") and path.endswith(pattern[1:])):
            found = (line, owners)
        elif "/**/" in pattern:
            head, tail = pattern.lstrip("/").split("**/")
            if path.startswith(head) and path.endswith(tail.lstrip("*")):
                found = (line, owners)
        elif path.startswith(pattern.lstrip("/")):
            found = (line, owners)
    return found


def team_finder() -> Callable[[str], str | None]:
    """Owner -> team on 2025-12-31, from the last people CSV and the org file (not the warehouse)."""
    last = [r for r in read_people_csv(ORG_DATA / "hr" / f"people-{LAST}.csv") if not r["end_date"]]
    by_login = {r["github"].lower(): r["team"] for r in last if r["github"] and r["team"]}
    by_email = {r["email"].lower(): r["team"] for r in last if r["team"]}
    org = yaml.safe_load((ORG_DATA / "org-2025-01-31.yaml").read_text())
    slugs = {k.lower(): t["id"] for t in org["teams"] for k in [t["id"], *t.get("aliases", [])]}

    def team_of(owner: str) -> str | None:
        if owner.startswith("@") and "/" in owner:
            return slugs.get(owner.split("/")[1].lower())
        if owner.startswith("@"):
            return by_login.get(owner[1:].lower())
        return by_email.get(owner.lower())

    return team_of


def test_the_organization_codeowners(org_warehouse: Path, tmp_path: Path, make_repo: Callable[..., Repo]) -> None:
    db = tmp_path / "org.duckdb"
    shutil.copy(org_warehouse, db)
    text = (ORG_DATA / "CODEOWNERS").read_text()
    rules = read_rules(text)
    repo = make_repo("monorepo")
    paths = sorted({sample_path(pattern) for _, pattern, _ in rules} | {".github/CODEOWNERS"})
    for path in paths:
        repo.write(path, text if path == ".github/CODEOWNERS" else "x\n")
    repo.commit("start", "2025-12-01T10:00:00+00:00", author=ALICE)
    ingest_git(db, repo)

    team_of = team_finder()
    expected = []
    for path in paths:
        line, owners = last_match(path, rules)
        expected.append((path, line, next((t for t in map(team_of, owners) if t), None)))
    assert rows(db, OWNERS_SQL, ["monorepo"]) == expected
    # as README.md says: the unknown team and the rule without owners leave their paths
    # un-owned; the team android is named by its id
    unowned = {path for path, _, team in expected if team is None}
    assert unowned == {"legacy/billing/main.py", "vendor/main.py"}
    assert ("services/android-api/main.py", 14, "android") in expected
    assert ("docs/main.py", 36, "media") in expected  # the e-mail of Emil Thompson, on media
