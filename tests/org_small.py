"""A small organization written by hand, for the org tree and org check tests.

Engineering (eng, Ada Root P01)
├── infra (Cy Infra P03): a unit with a single sub-unit
│   └── platform (Eve Platform P05, named by e-mail): P05, P16, P17 (P17 reports to P16)
└── product (Ben Product P02)
    ├── checkout (Dee Checkout P04): P04 and ten engineers P06-P15 reporting to P04
    ├── design (manager P02): nobody on it
    ├── mobile (Vic Quinn P22, who left on 2025-05-15): P21, still reporting to P22 on 2025-06-30
    └── search (no manager): P18, P19 reporting to P02
P20 reports to P01 and is on no team.

On 2025-07-31 (second snapshot) P22 is gone, P21 reports to P02, P19 moved to checkout
(under P04), and P23 joined search (under P02) on 2025-07-14.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_quarterdeck
from tests.orgdata import people_csv, write

FIRST = "2025-06-30"
SECOND = "2025-07-31"

_LEADERS = [
    "P01,Ada Root,ada@example.com,,VP of Engineering,M5,director,,eng,Berlin,full-time,2020-01-01,,250000,,ada-gh",
    "P02,Ben Product,ben@example.com,,Director of Engineering,M4,director,P01,product,Berlin,full-time,2020-02-01,,"
    "210000,,ben-gh",
    "P03,Cy Infra,cy@example.com,,Director of Engineering,M4,director,P01,infra,Berlin,full-time,2020-03-01,,205000,,",
    "P04,Dee Checkout,dee@example.com,,Engineering Manager,M2,manager,P02,checkout,Berlin,full-time,2021-01-01,,"
    "160000,,dee-gh",
    "P05,Eve Platform,eve@example.com,,Engineering Manager,M2,manager,P03,platform,Berlin,full-time,2021-02-01,,"
    "155000,,eve-gh",
]
_CHECKOUT = [
    ("P06", "Fay Adams", "Software Engineer", "IC2"),
    ("P07", "Gus Brown", "Senior Software Engineer", "IC3"),
    ("P08", "Hal Clark", "Software Engineer", "IC2"),
    ("P09", "Ivy Davis", "Senior Software Engineer", "IC3"),
    ("P10", "Jon Evans", "Software Engineer", "IC2"),
    ("P11", "Kim Ford", "Software Engineer", "IC1"),
    ("P12", "Lea Green", "Senior Software Engineer", "IC3"),
    ("P13", "Max Hill", "Staff Engineer", "IC4"),
    ("P14", "Ned Irwin", "Software Engineer", "IC2"),
    ("P15", "Oda Jones", "Software Engineer", "IC2"),
]


def _row(pid: str, name: str, title: str, level: str, manager: str, team: str, start: str = "2022-01-10") -> str:
    email = name.split()[0].lower() + "@example.com"
    return f"{pid},{name},{email},,{title},{level},engineer,{manager},{team},Lisbon,full-time,{start},,98000,,"


def first_people() -> list[str]:
    return [
        *_LEADERS,
        *(_row(pid, name, title, level, "P04", "checkout") for pid, name, title, level in _CHECKOUT),
        _row("P16", "Pia King", "Staff Engineer", "IC4", "P05", "platform"),
        _row("P17", "Quin Lee", "Software Engineer", "IC2", "P16", "platform"),
        _row("P18", "Rae Moss", "Senior Software Engineer", "IC3", "P02", "search"),
        _row("P19", "Sam Nash", "Software Engineer", "IC2", "P02", "search"),
        _row("P20", "Tia Owen", "Software Engineer", "IC2", "P01", ""),
        _row("P21", "Uma Park", "Software Engineer", "IC2", "P22", "mobile"),
        "P22,Vic Quinn,vic@example.com,,Engineering Manager,M2,manager,P02,mobile,Lisbon,full-time,2021-03-01,"
        "2025-05-15,150000,no,vic-gh",
    ]


def second_people() -> list[str]:
    rows = [r for r in first_people() if not r.startswith(("P19,", "P21,", "P22,"))]
    return [
        *rows,
        _row("P19", "Sam Nash", "Software Engineer", "IC2", "P04", "checkout"),
        _row("P21", "Uma Park", "Software Engineer", "IC2", "P02", "mobile"),
        _row("P23", "Wes Reed", "Software Engineer", "IC1", "P02", "search", start="2025-07-14"),
    ]


ORG_YAML = """\
teams:
  - id: eng
    name: Engineering
    manager: P01
  - id: product
    name: Product Engineering
    parent: eng
    manager: P02
  - id: infra
    name: Infrastructure
    parent: eng
    manager: P03
  - id: checkout
    name: Checkout
    parent: product
    type: stream-aligned
    manager: P04
    aliases: [checkout-team]
  - id: search
    name: Search
    parent: product
    type: stream-aligned
  - id: mobile
    name: Mobile
    parent: product
    type: stream-aligned
    manager: P22
  - id: design
    name: Design System
    parent: product
    type: enabling
    manager: P02
  - id: platform
    name: Platform
    parent: infra
    type: platform
    manager: eve@example.com
    aliases: [platform-team]
services:
  - id: checkout-api
    name: Checkout API
    owner: checkout
    repositories: [shop]
  - id: legacy-batch
    name: Legacy Batch
  - id: search-api
    name: Search API
    owner: search
"""

CODEOWNERS = """\
# Owners of the shop repository
*                @acme/checkout
/infra/          @acme/platform-team @eve-gh
/billing/        @acme/billing
/docs/           @nobody-here
/search/         ben@example.com
/mobile/         @vic-gh
/vendor/
"""


def ingest(db: Path, *args: str) -> None:
    result = run_quarterdeck("--db", str(db), "ingest", "org", *args)
    assert result.returncode == 0, result.stderr


def build_small_org(folder: Path, *, codeowners: bool = True) -> Path:
    """The small organization's two snapshots (and the CODEOWNERS of ``shop``) imported
    through the command line into ``folder/org.duckdb``."""
    org = write(folder, "org.yaml", ORG_YAML)
    db = folder / "org.duckdb"
    ingest(db, str(people_csv(folder, f"people-{FIRST}.csv", *first_people())), str(org), "--as-of", FIRST)
    ingest(db, str(people_csv(folder, f"people-{SECOND}.csv", *second_people())), str(org), "--as-of", SECOND)
    if codeowners:
        ingest(db, str(write(folder, "CODEOWNERS", CODEOWNERS)), "--repo", "shop", "--as-of", SECOND)
    return db
