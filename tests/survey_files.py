"""What the survey tests share: an organization with two units and five teams of known
headcount on 2026-06-15, a warehouse holding it, a survey mapping and an export writer.

    eng (root)
    ├── product: checkout (4 people), search (10), payments (6)
    └── infra:   platform (8), sre (6)
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_quarterdeck, set_up_with_quarterdeck
from tests.money_files import write

ORG = """teams:
  - id: eng
    name: Engineering
  - id: product
    name: Product
    parent: eng
  - id: infra
    name: Infrastructure
    parent: eng
  - {id: checkout, name: Checkout, parent: product}
  - {id: search, name: Search, parent: product}
  - {id: payments, name: Payments, parent: product, aliases: [pay-team]}
  - {id: platform, name: Platform, parent: infra}
  - {id: sre, name: SRE, parent: infra}
"""
HEADCOUNT = {"checkout": 4, "search": 10, "payments": 6, "platform": 8, "sre": 6}
PEOPLE_HEADER = (
    "id,name,email,title,level,role,manager_id,team,location,employment_type,start_date,end_date,annual_cost\n"
)
MAPPING = """survey: devex-2026-Q2
date: 2026-06-15
team_column: Team
dropped_columns: [Respondent ID, Submitted at]
questions:
  - column: CI tells me quickly whether my change works
    id: ci_feedback
    kind: likert
    scale: 5
    theme: build speed
  - column: Reviews are quick
    id: review_speed
    kind: likert
    labels: [Strongly disagree, Disagree, Neutral, Agree, Strongly agree]
    theme: review
  - column: How likely are you to recommend working here?
    id: enps
    kind: enps
    theme: engagement
  - column: What slows you down?
    id: slows_down
    kind: text
    theme: build speed
"""
HEADER = (
    "Respondent ID,Submitted at,Team,CI tells me quickly whether my change works,Reviews are quick,"
    "How likely are you to recommend working here?,What slows you down?\n"
)


def organization(folder: Path, org: str = ORG) -> Path:
    """A warehouse holding ``org`` and a people export of 2026-06-01 with HEADCOUNT."""
    db = folder / "w.duckdb"
    people, number = PEOPLE_HEADER, 0
    for team, count in HEADCOUNT.items():
        for _ in range(count):
            number += 1
            person = f"E{number},P {number},e{number}@x.com,Engineer,IC3,engineer,"
            people += person + f",{team},Berlin,full-time,2024-01-01,,1\n"
    for name, text in (("org-2026-01-01.yaml", org), ("people-2026-06-01.csv", people)):
        set_up_with_quarterdeck("--db", str(db), "ingest", "org", str(write(folder, name, text)))
    return db


def export(rows: list[tuple[str, str, str, str, str]], start: int = 1) -> str:
    """A form tool's export of (team, ci, review, enps, text) rows, respondent ids RSP-9000+."""
    lines = [
        f"RSP-{9000 + start + i},2026-06-1{i % 9} 10:00,{team},{ci},{review},{enps},{text}\n"
        for i, (team, ci, review, enps, text) in enumerate(rows)
    ]
    return HEADER + "".join(lines)


def ingest(db: Path, survey: Path, mapping: Path, *args: str):
    return run_quarterdeck("ingest", "survey", str(survey), "--mapping", str(mapping), "--db", str(db), *args)
