"""``quarterdeck ingest skills``: a skills inventory, through the real CLI on a real
warehouse holding a small organization with four people (E1..E4, e-mails e1..e4@example.com)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck, set_up_with_quarterdeck
from tests.money_files import warehouse_with_org, write
from tests.warehouse_rows import query

PEOPLE_HEADER = (
    "id,name,email,title,level,role,manager_id,team,location,employment_type,start_date,end_date,annual_cost\n"
)
PEOPLE = PEOPLE_HEADER + "".join(
    f"E{i},Person {i},e{i}@example.com,Engineer,IC3,engineer,,platform,Berlin,full-time,2024-01-01,,100000\n"
    for i in range(1, 5)
)  # fmt: skip
SKILLS = """person,skill,level,date
E1,Kotlin,4,2026-06-30
e2@Example.com,  Kotlin ,Expert,2026-06-30
E3,Site  reliability,beginner,2026-06-30
E3,kotlin,intermediate,2026-01-15
E4,Go,2,2026-06-30
"""
HEADER = "person,skill,level,date\n"
#: What SKILLS stores: person, skill as written (spaces squeezed), key, level, as of, line.
ROWS = [
    ("E1", "Kotlin", "kotlin", 4, date(2026, 6, 30), 2),
    ("E2", "Kotlin", "kotlin", 5, date(2026, 6, 30), 3),
    ("E3", "Site reliability", "site reliability", 1, date(2026, 6, 30), 4),
    ("E3", "kotlin", "kotlin", 3, date(2026, 1, 15), 5),
    ("E4", "Go", "go", 2, date(2026, 6, 30), 6),
]
SQL = "SELECT person_id, skill, skill_key, level, as_of, line FROM skills ORDER BY line"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = warehouse_with_org(tmp_path)
    people = write(tmp_path, "people-2026-06-30.csv", PEOPLE)
    set_up_with_quarterdeck("--db", str(path), "ingest", "org", str(people))
    return path


def ingest(db: Path, *args: str):
    return run_quarterdeck("ingest", "skills", *args, "--db", str(db))


def test_an_inventory_is_stored_by_person_id_or_email_with_levels_as_numbers(db: Path, tmp_path: Path) -> None:
    skills = write(tmp_path, "skills.csv", SKILLS)
    result = ingest(db, str(skills))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS
    assert query(db, "SELECT DISTINCT file, source FROM skills") == [(str(skills), "skills")]


def test_importing_the_same_file_again_changes_nothing_and_a_corrected_one_replaces_it(
    db: Path, tmp_path: Path
) -> None:
    skills = write(tmp_path, "skills.csv", SKILLS)
    assert ingest(db, str(skills)).returncode == 0
    assert ingest(db, str(skills)).returncode == 0
    assert query(db, SQL) == ROWS
    write(tmp_path, "skills.csv", HEADER + "E1,Kotlin,5,2026-06-30\n")
    assert ingest(db, str(skills)).returncode == 0
    assert query(db, SQL) == [("E1", "Kotlin", "kotlin", 5, date(2026, 6, 30), 2)]


def test_ingest_all_reads_the_inventory_of_the_project_file_with_its_mapping(db: Path, tmp_path: Path) -> None:
    export = SKILLS.replace("person,skill,level,date", "Work Email,Competency,Proficiency,Assessed On", 1)
    write(tmp_path, "hris.csv", export.replace("2026-06-30", "30/06/2026").replace("2026-01-15", "15/01/2026"))
    write(tmp_path, "map.yaml", "columns:\n  Work Email: person\n  Competency: skill\n  Proficiency: level\n"
          "  Assessed On: date\ndate_format: '%d/%m/%Y'\n")  # fmt: skip
    project = write(
        tmp_path, "quarterdeck.yaml", "sources:\n  - type: skills\n    files: [hris.csv]\n    mapping: map.yaml\n"
    )
    result = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("E9,Go,3,2026-06-30", ":3: person: 'E9': expected a person of the organization"),
        ("nobody@example.com,Go,3,2026-06-30", ":3: person: 'nobody@example.com': expected a person"),
        ("E1,Go,6,2026-06-30", ":3: level: '6': expected a level from 1 to 5 or one of beginner"),
        ("E1,Go,guru,2026-06-30", ":3: level: 'guru': expected a level from 1 to 5"),
        ("E1,Go,0,2026-06-30", ":3: level: '0': expected a level from 1 to 5"),
        ("E1,Go,3,30/06/2026", ":3: date: '30/06/2026': expected a date as YYYY-MM-DD"),
        ("E1,Go,3,2026-02-30", ":3: date: '2026-02-30': expected a date as YYYY-MM-DD"),
        (",Go,3,2026-06-30", ":3: person: missing: expected"),
        ("E1,,3,2026-06-30", ":3: skill: missing: expected a text"),
        ("E1,Go,3,2026-06-30\nE1,GO,4,2026-06-30", ":4: a second line for E1 GO on 2026-06-30 (the first is line 3)"),
    ],
)  # fmt: skip
def test_a_bad_line_refuses_the_whole_file_naming_its_line(db: Path, tmp_path: Path, line: str, expected: str) -> None:
    assert ingest(db, str(write(tmp_path, "good.csv", SKILLS))).returncode == 0
    skills = write(tmp_path, "skills.csv", HEADER + "E2,Rust,2,2026-06-30\n" + line + "\n")
    result = ingest(db, str(skills))
    assert result.returncode == 1
    assert f"{skills}{expected}" in result.stderr, result.stderr
    assert "nothing of it stored" in result.stderr and "Traceback" not in result.stderr
    assert query(db, SQL) == ROWS


def test_an_inventory_before_any_people_asks_to_ingest_the_org_first(tmp_path: Path) -> None:
    db = warehouse_with_org(tmp_path)
    result = ingest(db, str(write(tmp_path, "skills.csv", SKILLS)))
    assert result.returncode == 1
    assert "no people are stored yet: ingest the org's people exports first" in result.stderr
    assert "Traceback" not in result.stderr
