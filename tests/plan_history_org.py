"""A small organization written by hand for the plan tests: its history over 2026 (three
people exports: 2025-12-31, 2026-04-01, 2026-12-31), costs in EUR, EUR -> USD rates and two
open positions. tests/test_plan_history.py works out every expected value from it by hand.

- payments (Berlin): a01-a13, IC3, started 2020-01-01, cost 100000 + 1000 x i EUR (from
  2026-04-01; before it a04-a08 earned 5 % less, a09-a13 3 % less). a03 leaves on 2026-01-31,
  a01 on 2026-03-31, a02 on 2026-06-30. b03 (IC3, 94000) starts 2026-02-11, b01 (90000)
  2026-05-01, b02 (92000) 2026-08-30. m1 (M1, manager, 150000) since 2019.
- search (New York): c01-c04, IC2, started 2025-07-01, 80000/82000/84000/86000; c04 leaves on
  2026-05-31, nobody replaces her.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from quarterdeck.config.settings import Settings
from tests.conftest import run_quarterdeck
from tests.orgdata import HEADER, import_files, write

ORG = """teams:
  - id: eng
    name: Engineering
  - id: payments
    name: Payments
    parent: eng
    aliases: [pay-team]
  - id: search
    name: Search
    parent: eng
"""
SNAPSHOTS = (date(2025, 12, 31), date(2026, 4, 1), date(2026, 12, 31))
RATES = "month,from,to,rate\n2026-01,EUR,USD,1.10\n2026-12,EUR,USD,1.20\n"
POSITIONS = """id,team,level,location,opened,start_month,annual_cost,currency,status
R1,payments,IC3,Berlin,2026-11-15,2027-03,100000,EUR,open
R2,pay-team,IC2,Lisbon,,2027-01,60000,EUR,open
R3,search,IC2,New York,2026-10-01,2027-02,70000,EUR,filled
"""


def _people() -> list[dict]:
    people = []
    for i in range(1, 14):
        ends = {1: "2026-03-31", 2: "2026-06-30", 3: "2026-01-31"}.get(i, "")
        cost = 100000 + 1000 * i
        before = cost / 1.05 if 4 <= i <= 8 else cost / 1.03 if i >= 9 else cost
        people.append(
            dict(
                id=f"a{i:02}",
                level="IC3",
                role="engineer",
                team="payments",
                location="Berlin",
                start="2020-01-01",
                end=ends,
                cost=cost,
                before=round(before, 2),
            )
        )
    for ident, start, cost in (
        ("b03", "2026-02-11", 94000),
        ("b01", "2026-05-01", 90000),
        ("b02", "2026-08-30", 92000),
    ):
        people.append(
            dict(
                id=ident,
                level="IC3",
                role="engineer",
                team="payments",
                location="Berlin",
                start=start,
                end="",
                cost=cost,
                before=cost,
            )
        )
    people.append(
        dict(
            id="m1",
            level="M1",
            role="manager",
            team="payments",
            location="Berlin",
            start="2019-01-01",
            end="",
            cost=150000,
            before=150000,
        )
    )
    for i, cost in enumerate((80000, 82000, 84000, 86000), start=1):
        people.append(
            dict(
                id=f"c{i:02}",
                level="IC2",
                role="engineer",
                team="search",
                location="New York",
                start="2025-07-01",
                end="2026-05-31" if i == 4 else "",
                cost=cost,
                before=cost,
            )
        )
    return people


def people_csv(as_of: date, previous: date | None) -> str:
    """Everyone employed on ``as_of``, and who left since ``previous`` (with their end date)."""
    rows = [HEADER]
    for p in _people():
        start, end = date.fromisoformat(p["start"]), date.fromisoformat(p["end"]) if p["end"] else None
        if start > as_of or (end is not None and previous is not None and end <= previous):
            continue
        cost = p["cost"] if as_of >= date(2026, 4, 1) else p["before"]
        manager = "" if p["id"] == "m1" else "m1" if p["team"] == "payments" else ""
        shown_end = p["end"] if end is not None and end <= as_of else ""
        rows.append(
            f"{p['id']},{p['id'].upper()},{p['id']}@example.com,,Engineer,{p['level']},{p['role']},{manager},"
            f"{p['team']},{p['location']},full-time,{p['start']},{shown_end},{cost},,"
        )
    return "\n".join(rows) + "\n"


def build(folder: Path) -> Path:
    """The warehouse of this organization, in ``folder``."""
    db = folder / "plan.duckdb"
    org = write(folder, "org-2025-12-31.yaml", ORG)
    files, previous = [org], None
    for day in SNAPSHOTS:
        files.append(write(folder, f"people-{day}.csv", people_csv(day, previous)))
        previous = day
    import_files(db, files)
    for source, name, text in (("rates", "rates.csv", RATES), ("positions", "positions.csv", POSITIONS)):
        result = run_quarterdeck("--db", str(db), "ingest", source, str(write(folder, name, text)))
        assert result.returncode == 0, result.stderr
    return db


CONFIG = """[money]
reporting_currency = "USD"
people_cost_currency = "EUR"

[money.loaded_cost_multipliers]
Berlin = 1.25
"*" = 1.1

[privacy]
min_group_size = 2
"""

SETTINGS = Settings(
    reporting_currency="USD",
    people_cost_currency="EUR",
    loaded_cost_multipliers=(("Berlin", 1.25), ("*", 1.1)),
    min_group_size=2,
)
