"""A small organization and git history written by hand, for the succession tests.

Engineering (eng, Vera V1)                       one snapshot, 2026-06-01
├── pay (Dan D1): a unit with sub-units
│   ├── checkout (Mia M1): E1 Eli (IC4), E2 Eve (IC2)
│   └── ledger (Max M2): E3 Ian (IC3)
└── infra (Noa M3): E4 Ola (IC3), E5 Pat (IC2)
D1 and M3 report to V1; M1 and M2 report to D1. L1 Liv (ledger, IC3) left on 2026-03-31.

Services and their code in the year up to 2026-06-30 (changed lines, non-merge commits):

============  ================  ==========================================  =============
service       repositories      lines per author                            bus factor
============  ================  ==========================================  =============
checkout-api  shop, shop-web    shop: Mia 70, Eli 20; shop-web: Eve 30      1 (Mia 70/120)
ledger-svc    ledger, ledger-ui ledger: Ian 40, Max 30; ledger-ui: Eve 30   2 (40/100);
                                (ledger-ui alone would be 1: the service's
                                code is read as a whole)
infra-tools   tools             Ola 50, ghost@elsewhere.example 10,         1 (Ola 50/60)
                                Ola's 500 lines of 2025-06-29 are before
                                the window
============  ================  ==========================================  =============

Key roles on 2026-06-30: directors V1 (eng), D1 (pay); managers M1 (checkout), M2 (ledger),
M3 (infra); knowledge checkout-api (Mia, 0.5833, team checkout), infra-tools (Ola, 0.8333,
team infra).
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_quarterdeck
from tests.gitrepo import Person, Repo
from tests.orgdata import people_csv, write

AT = "2026-06-30"
SNAPSHOT = "2026-06-01"

_PEOPLE = [
    ("V1", "Vera Top", "", "eng", "VP of Engineering", "M5"),
    ("D1", "Dan Pay", "V1", "pay", "Director of Engineering", "M4"),
    ("M1", "Mia Shop", "D1", "checkout", "Engineering Manager", "M2"),
    ("M2", "Max Books", "D1", "ledger", "Engineering Manager", "M2"),
    ("M3", "Noa Infra", "V1", "infra", "Engineering Manager", "M2"),
    ("E1", "Eli Senior", "M1", "checkout", "Staff Engineer", "IC4"),
    ("E2", "Eve Junior", "M1", "checkout", "Software Engineer", "IC2"),
    ("E3", "Ian Ledger", "M2", "ledger", "Senior Software Engineer", "IC3"),
    ("E4", "Ola Tools", "M3", "infra", "Senior Software Engineer", "IC3"),
    ("E5", "Pat Ops", "M3", "infra", "Software Engineer", "IC2"),
]
LEFT = (
    "L1,Liv Gone,liv@example.com,,Senior Software Engineer,IC3,engineer,M2,ledger,Lisbon,full-time,"
    "2022-01-10,2026-03-31,90000,,"
)

ORG_YAML = """\
teams:
  - {id: eng, name: Engineering, manager: V1}
  - {id: pay, name: Payments, parent: eng, manager: D1}
  - {id: checkout, name: Checkout, parent: pay, type: stream-aligned, manager: M1}
  - {id: ledger, name: Ledger, parent: pay, type: stream-aligned, manager: M2}
  - {id: infra, name: Infrastructure, parent: eng, type: platform, manager: M3}
services:
  - {id: checkout-api, name: Checkout API, owner: checkout, repositories: [shop, shop-web]}
  - {id: ledger-svc, name: Ledger Service, owner: ledger, repositories: [ledger, ledger-ui]}
  - {id: infra-tools, name: Infra Tools, owner: infra, repositories: [tools]}
"""


def author(pid: str) -> Person:
    name = next(n for p, n, *_ in _PEOPLE if p == pid)
    return Person(name, email(name))


def email(name: str) -> str:
    return name.split()[0].lower() + "@example.com"


def people_rows() -> list[str]:
    rows = [
        f"{pid},{name},{email(name)},,{title},{level},{'manager' if level.startswith('M') else 'engineer'},"
        f"{manager},{team},Lisbon,full-time,2022-01-10,,100000,,"
        for pid, name, manager, team, title, level in _PEOPLE
    ]
    return [*rows, LEFT]


def numbered(prefix: str, count: int) -> str:
    return "".join(f"{prefix} line {i}\n" for i in range(1, count + 1))


def _repo(root: Path, name: str, *changes: tuple[str, Person, int, str]) -> Repo:
    repo = Repo.create(root / name)
    for file, who, lines, when in changes:
        repo.write(file, numbered(file, lines))
        repo.commit(f"{who.name} changes {file}", f"{when}T10:00:00+00:00", author=who)
    return repo


def repositories(root: Path) -> list[Repo]:
    ghost = Person("Ghost Contractor", "ghost@elsewhere.example")
    return [
        _repo(root, "shop", ("a.txt", author("M1"), 70, "2026-01-05"), ("b.txt", author("E1"), 20, "2026-02-05")),
        _repo(root, "shop-web", ("c.txt", author("E2"), 30, "2026-03-05")),
        _repo(root, "ledger", ("a.txt", author("E3"), 40, "2025-09-01"), ("b.txt", author("M2"), 30, "2026-04-01")),
        _repo(root, "ledger-ui", ("c.txt", author("E2"), 30, "2026-05-01")),
        _repo(root, "tools", ("old.txt", author("E4"), 500, "2025-06-29"), ("a.txt", author("E4"), 50, "2026-06-30"),
              ("b.txt", ghost, 10, "2026-06-01")),
    ]  # fmt: skip


def build_succession_org(folder: Path) -> Path:
    """The organization and the git history above, imported through the command line."""
    db = folder / "succession.duckdb"
    org = write(folder, "org.yaml", ORG_YAML)
    people = people_csv(folder, f"people-{SNAPSHOT}.csv", *people_rows())
    steps = [
        ("ingest", "git", *(str(r.path) for r in repositories(folder / "git"))),
        ("ingest", "org", str(people), str(org), "--as-of", SNAPSHOT),
    ]
    for step in steps:
        done = run_quarterdeck("--db", str(db), *step)
        assert done.returncode == 0, done.stderr
    return db
