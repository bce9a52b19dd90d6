"""The organization the cost and budget metrics' tests share: five people on the teams of
``tests/money_files.ORG`` over January and February 2026, their costs in EUR, the loaded
multipliers by location, EUR -> USD rates, tools, positions and a budget; the warehouse
is built through the real CLI. Every figure the tests expect is worked out from these by
hand (see the comments in tests/test_cost_metrics.py and tests/test_budget_metrics.py).

- alice: Engineer, Berlin, 120000 EUR; platform, moves to payments on 2026-02-10.
- bob: Software Engineer, London, 60000 EUR; payments; his last day is 2026-02-14.
- dan: Engineer, Berlin, 96000 EUR; payments; starts on 2026-01-20 (listed ahead).
- carol: Engineering Manager, Paris; platform; no cost in the export.
- erin: Engineer, Paris, 72000 EUR; platform; the second export says she leaves on 2026-06-15.
- fay: Engineer, Berlin, 48000 EUR; payments; the second export lists her to start on 2026-04-16.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_quarterdeck
from tests.money_files import warehouse_with_org, write

HEADER = "id,name,team,role,location,start_date,end_date,annual_cost\n"
PEOPLE_JAN = HEADER + """alice,Alice,platform,Engineer,Berlin,2025-06-01,,120000
bob,Bob,payments,Software Engineer,London,2025-01-01,2026-02-14,60000
dan,Dan,payments,Engineer,Berlin,2026-01-20,,96000
carol,Carol,platform,Engineering Manager,Paris,2025-01-01,,
erin,Erin,platform,Engineer,Paris,2025-01-01,,72000
"""
PEOPLE_FEB = (
    PEOPLE_JAN.replace("alice,Alice,platform", "alice,Alice,payments").replace(
        "erin,Erin,platform,Engineer,Paris,2025-01-01,,", "erin,Erin,platform,Engineer,Paris,2025-01-01,2026-06-15,"
    )
    + "fay,Fay,payments,Engineer,Berlin,2026-04-16,,48000\n"
)
#: 1 EUR = 1.10 USD from January, 1.20 USD from February (and on: no later rate).
RATES = "month,from,to,rate\n2026-01,EUR,USD,1.10\n2026-02,EUR,USD,1.20\n"
CONFIG = """[money]
reporting_currency = "USD"
people_cost_currency = "EUR"

[money.loaded_cost_multipliers]
Berlin = 1.25
"*" = 1.1

[privacy]
min_group_size = 2
"""
TOOLS = """vendor,product,team,annual_cost,currency,seats_bought,seats_used,renewal_date
Atlassian,Jira,platform,12000,USD,10,12,2026-03-15
Slack,Pro,payments,2400,EUR,10,5,2026-08-01
Zoom,Rooms,payments,1000,EUR,,,2026-05-29
Figma,Org,platform,600,USD,4,4,2026-05-30
"""


def cli(db: Path, config: Path, *args: str, env: dict[str, str] | None = None):
    """``quarterdeck ARGS`` on the warehouse ``db`` with the config file ``config``."""
    return run_quarterdeck("--db", str(db), "--config", str(config), *args, env=env)


def cost_warehouse(folder: Path) -> tuple[Path, Path]:
    """A warehouse holding the organization, the two people exports, the rates and the
    tools, and the config file that says how to read them."""
    db = warehouse_with_org(folder)
    config = write(folder, "quarterdeck.toml", CONFIG)
    files = [
        ("org", write(folder, "people-2026-01-01.csv", PEOPLE_JAN)),
        ("org", write(folder, "people-2026-02-10.csv", PEOPLE_FEB)),
        ("rates", write(folder, "rates.csv", RATES)),
        ("tools", write(folder, "tools.csv", TOOLS)),
    ]
    for source, path in files:
        result = cli(db, config, "ingest", source, str(path))
        assert result.returncode == 0, result.stderr
    return db, config
