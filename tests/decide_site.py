"""The small organization the decision tests share, built through the real CLI: four people
on the teams of ``tests/money_files.ORG``, their costs in USD (the reporting currency: no
rates needed), the minimum group size 2. The export is of 2026-06-30, where the data ends: the
last 12 months are 2025-07-01 .. 2026-06-30:

- ann: Engineer, 120000 a year, all 12 months: 120000 for 12 FTE-months;
- ben: Software Engineer, 96000, all 12 months: 96000 for 12;
- dee: Engineer, 60000, from 2026-01-01: 6 months, 30000 for 6;
- cat: Engineering Manager, 200000: not an engineer.
Engineer-month cost: (120000 + 96000 + 30000) / (12 + 12 + 6) = 246000 / 30 = 8200.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_quarterdeck
from tests.money_files import warehouse_with_org, write

PEOPLE = """id,name,team,role,location,start_date,end_date,annual_cost
ann,Ann,platform,Engineer,Berlin,2024-01-01,,120000
ben,Ben,payments,Software Engineer,Lisbon,2025-03-01,,96000
dee,Dee,payments,Engineer,Berlin,2026-01-01,,60000
cat,Cat,platform,Engineering Manager,Berlin,2024-01-01,,200000
"""
CONFIG = """[money]
reporting_currency = "USD"

[privacy]
min_group_size = 2
"""
ENGINEER_MONTH = 246000 / 30


def cli(db: Path, config: Path, *args: str):
    return run_quarterdeck("--db", str(db), "--config", str(config), *args)


def decide_warehouse(folder: Path) -> tuple[Path, Path]:
    """A warehouse with the organization and its people export, and its config file."""
    db = warehouse_with_org(folder)
    config = write(folder, "quarterdeck.toml", CONFIG)
    done = cli(db, config, "ingest", "org", str(write(folder, "people-2026-06-30.csv", PEOPLE)))
    assert done.returncode == 0, done.stderr
    return db, config
