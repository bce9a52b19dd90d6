"""A small ladder and organization for the ladder and assessments tests: four people (E1..E4,
e-mails e1..e4@example.com) at HR levels L3/L4, mapped onto the ladder's IC2/IC3."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import set_up_with_quarterdeck
from tests.money_files import warehouse_with_org, write

LADDER = """name: Test ladder
scale:
  1: starting
  2: growing
  3: solid
  4: strong
tracks:
  IC:
    - {id: IC2, title: Engineer}
    - {id: IC3, title: Senior engineer}
    - {id: IC4, title: Staff engineer}
  manager: [EM1]
hr_levels: {L3: IC2, L4: IC3}
competencies:
  - name: Craft
    expectations:
      IC2: {expect: "Ships features alone.", rating: 2}
      IC3: {expect: "Designs across services.", rating: 3}
      IC4: {expect: "Shapes systems of several teams.", rating: 4}
  - name: Delivery
    expectations:
      IC2: {expect: "Plans a feature.", rating: 2}
      IC3: {expect: "Leads a project.", rating: 3}
      IC4: {expect: "Leads work across teams.", rating: 4}
      EM1: {expect: "The team delivers.", rating: 3}
  - name: Mentoring
    expectations:
      IC3: {expect: "Mentors engineers.", rating: 2}
      IC4: {expect: "Grows senior engineers.", rating: 3}
"""

PEOPLE_HEADER = (
    "id,name,email,title,level,role,manager_id,team,location,employment_type,start_date,end_date,annual_cost\n"
)


def people_line(number: int, level: str, start: str = "2024-01-01", manager: str = "") -> str:
    return (f"E{number},Person {number},e{number}@example.com,Engineer,{level},engineer,{manager},platform,Berlin,"
            f"full-time,{start},,100000\n")  # fmt: skip


PEOPLE = PEOPLE_HEADER + people_line(1, "L3") + people_line(2, "L4") + people_line(3, "L4") + people_line(4, "L3")


def warehouse_with_people(folder: Path, people: str = PEOPLE, day: str = "2026-06-30") -> Path:
    path = warehouse_with_org(folder)
    set_up_with_quarterdeck("--db", str(path), "ingest", "org", str(write(folder, f"people-{day}.csv", people)))
    return path
