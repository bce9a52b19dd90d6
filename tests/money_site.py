"""What the tests of the Money outputs share: a small organization with budget lines,
hand-summed per quarter, and the dashboard served on it with an access file.

The organization: ``company`` with the division ``eng`` (teams ``platform`` and
``payments``) and the team ``field``. The budget's actual amounts (USD):

    2026-06 platform   999.00     (2026Q2)
    2026-07 platform  1100.25
    2026-08 platform  4800.00
    2026-09 payments  7300.50
    2026-09 field      450.50
    2026-10 payments   100.00     (2026Q4)

so ``budget_spent`` (``tests/money_metrics``) over 2026Q3 is 1100.25 + 4800 + 7300.50 +
450.50 = 13651.25 for the organization, 13200.75 for eng, 5900.25 for platform, 7300.50
for payments and 450.50 for field.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from quarterdeck.config import load_settings
from quarterdeck.config.access import load_access, new_token
from quarterdeck.web.app import create_app
from tests.conftest import run_quarterdeck
from tests.dashboard_server import served_in_thread
from tests.money_catalog import with_money_metrics
from tests.money_files import write

ORG = """teams:
  - id: company
    name: Company
  - id: eng
    name: Engineering
    parent: company
  - id: platform
    name: Platform
    parent: eng
  - id: payments
    name: Payments
    parent: eng
    aliases: [pay-team]
  - id: field
    name: Field
    parent: company
"""
BUDGET = """month,cost_center,category,planned,actual,currency
2026-06,platform,cloud,1000,999,USD
2026-07,platform,cloud,1000,1100.25,USD
2026-08,platform,people,5000,4800,USD
2026-09,payments,people,7000,7300.50,USD
2026-09,field,travel,500,450.50,USD
2026-10,payments,people,7000,100,USD
"""
HEADER = "id,name,email,title,level,role,manager_id,team,location,employment_type,start_date,end_date,annual_cost\n"
PEOPLE = HEADER + "".join(
    f"E{n}{i},Person {n}{i},p{n}{i}@example.com,Engineer,IC2,engineer,,{team},Berlin,full-time,2020-01-01,,100000\n"
    for n, team in enumerate(("platform", "payments", "field")) for i in range(2)
)  # fmt: skip
#: The company's figures (USD), May to September: with ``finance=True``. Revenue over 2026Q3:
#: 100000 + 110000 + 120000 = 330000.
FINANCE = """month,revenue,arr,new_customers,customers,sales_marketing_spend,gross_margin,cash,currency
2026-05,90000,1100000,9,90,48000,0.7,2200000,USD
2026-06,95000,1150000,8,95,49000,0.7,2100000,USD
2026-07,100000,1200000,10,100,50000,0.7,2000000,USD
2026-08,110000,1300000,12,110,52000,0.7,1900000,USD
2026-09,120000,1400000,11,120,51000,0.7,1800000,USD
"""
Q3 = {"org": 13651.25, "eng": 13200.75, "platform": 5900.25, "payments": 7300.50, "field": 450.50}


def money_warehouse(folder: Path, finance: bool = False) -> Path:
    """A warehouse in ``folder`` holding ORG, PEOPLE (two in each team) and BUDGET; FINANCE only
    when asked (without it, the company's figures are a missing input)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "money.duckdb"
    org = write(folder, "org-2026-01-01.yaml", ORG)
    people = write(folder, "people-2026-12-31.csv", PEOPLE)  # the data ends on 2026-12-31 (or today, before)
    commands = [
        ("ingest", "org", str(org)),
        ("ingest", "org", str(people)),
        ("ingest", "budget", str(write(folder, "budget.csv", BUDGET))),
    ]
    if finance:
        commands.append(("ingest", "finance", str(write(folder, "finance.csv", FINANCE))))
    for args in commands:
        done = run_quarterdeck("--db", str(db), *args)
        assert done.returncode == 0, done.stderr
    return db


def write_access(path: Path) -> dict[str, str]:
    """An admin, the leader of eng and a member of payments; their tokens by role."""
    tokens = {role: new_token() for role in ("admin", "leader", "member")}
    path.write_text(
        "people:\n"
        f"  - {{name: Dana Reyes, role: admin, token_sha256: {tokens['admin'][1]}}}\n"
        f"  - {{name: Lee Park, role: leader, unit: eng, token_sha256: {tokens['leader'][1]}}}\n"
        f"  - {{name: Sam Ito, role: member, team: payments, token_sha256: {tokens['member'][1]}}}\n",
        encoding="utf-8",
    )
    return {role: token for role, (token, _) in tokens.items()}


@dataclass
class Site:
    http: httpx.Client
    base_url: str
    tokens: dict[str, str]
    db: Path  # a copy of the warehouse served, for the command line

    def get(self, path: str, role: str | None = None, **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return self.http.get(path, headers=headers, follow_redirects=False, **kwargs)


@contextmanager
def money_site(folder: Path, finance: bool = False) -> Iterator[Site]:
    """The dashboard on ``money_warehouse``, with the test money metrics and an access file."""
    db = money_warehouse(folder, finance)
    copy = folder / "copy.duckdb"  # for the command line, while the server holds db
    shutil.copy(db, copy)
    tokens = write_access(folder / "access.yaml")
    with with_money_metrics():
        app = create_app(db, load_settings(cli={"db": db}), load_records=_no_records,
                         access=load_access(folder / "access.yaml"), dashboard=True)  # fmt: skip
        with served_in_thread(app) as http:
            yield Site(http, str(http.base_url), tokens, copy)


def _no_records(*args, **kwargs):  # the event endpoints are not used here
    raise AssertionError("no events in these tests")
