"""``quarterdeck ingest assessments``: ratings against the ladder, through the real CLI on a
real warehouse holding four people (E1..E4) and the test ladder (tests/ladder_files.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck, set_up_with_quarterdeck
from tests.ladder_files import LADDER, warehouse_with_people
from tests.money_files import write
from tests.warehouse_rows import query

HEADER = "person,competency,rating,date,assessor\n"
ASSESSMENTS = (
    HEADER
    + """E1,Craft,2,2026-03-31,E9 Lead
e2@Example.com,  delivery ,solid,2026-03-31,Ana Lead
E2,Mentoring,strong,2026-03-31,Ana Lead
E1,craft,3,2026-06-30,E9 Lead
"""
)
#: What ASSESSMENTS stores: person, competency (the ladder's name), rating, day, assessor, line.
ROWS = [
    ("E1", "Craft", "craft", 2, date(2026, 3, 31), "E9 Lead", 2),
    ("E2", "Delivery", "delivery", 3, date(2026, 3, 31), "Ana Lead", 3),
    ("E2", "Mentoring", "mentoring", 4, date(2026, 3, 31), "Ana Lead", 4),
    ("E1", "Craft", "craft", 3, date(2026, 6, 30), "E9 Lead", 5),
]
SQL = "SELECT person_id, competency, competency_key, rating, assessed_on, assessor, line FROM assessments ORDER BY line"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = warehouse_with_people(tmp_path)
    set_up_with_quarterdeck("ingest", "ladder", str(write(tmp_path, "ladder.yaml", LADDER)), "--db", str(path))
    return path


def ingest(db: Path, *args: str):
    return run_quarterdeck("ingest", "assessments", *args, "--db", str(db))


def test_assessments_are_stored_with_the_ladders_names_and_ratings_as_numbers(db: Path, tmp_path: Path) -> None:
    file = write(tmp_path, "assessments.csv", ASSESSMENTS)
    result = ingest(db, str(file))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS
    assert query(db, "SELECT DISTINCT file, source FROM assessments") == [(str(file), "assessments")]


def test_importing_again_changes_nothing_and_a_corrected_file_replaces_its_rows(db: Path, tmp_path: Path) -> None:
    file = write(tmp_path, "assessments.csv", ASSESSMENTS)
    assert ingest(db, str(file)).returncode == 0
    assert ingest(db, str(file)).returncode == 0
    assert query(db, SQL) == ROWS
    write(tmp_path, "assessments.csv", HEADER + "E3,Craft,4,2026-06-30,Ana Lead\n")
    assert ingest(db, str(file)).returncode == 0
    assert query(db, SQL) == [("E3", "Craft", "craft", 4, date(2026, 6, 30), "Ana Lead", 2)]


def test_a_mapping_file_reads_another_layout(db: Path, tmp_path: Path) -> None:
    export = ASSESSMENTS.replace(HEADER, "Employee,Area,Score,Review date,Reviewer\n")
    write(tmp_path, "review.csv", export.replace("2026-03-31", "31/03/2026").replace("2026-06-30", "30/06/2026"))
    write(tmp_path, "map.yaml", "columns:\n  Employee: person\n  Area: competency\n  Score: rating\n"
          "  Review date: date\n  Reviewer: assessor\ndate_format: '%d/%m/%Y'\n")  # fmt: skip
    result = ingest(db, str(tmp_path / "review.csv"), "--mapping", str(tmp_path / "map.yaml"))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("E9,Craft,2,2026-06-30,Ana", ":3: person: 'E9': expected a person of the organization"),
        ("E1,Cooking,2,2026-06-30,Ana", ":3: competency: 'Cooking': expected a competency of the ladder (Test ladder)"),
        ("E1,Craft,5,2026-06-30,Ana",
         ":3: rating: '5': expected a rating on the ladder's scale: 1 (starting), 2 (growing), 3 (solid), 4 (strong)"),
        ("E1,Craft,great,2026-06-30,Ana", ":3: rating: 'great': expected a rating on the ladder's scale"),
        ("E1,Craft,2,2026-13-01,Ana", ":3: date: '2026-13-01': expected a date as YYYY-MM-DD"),
        ("E1,Craft,2,2026-06-30,", ":3: assessor: missing: expected a text"),
        ("E1,Craft,2,2026-06-30,Ana\nE1,CRAFT,3,2026-06-30,Bo",
         ":4: a second line for E1 Craft on 2026-06-30 (the first is line 3)"),
    ],
)  # fmt: skip
def test_a_bad_line_refuses_the_whole_file_and_stores_nothing(
    db: Path, tmp_path: Path, line: str, expected: str
) -> None:
    assert ingest(db, str(write(tmp_path, "good.csv", ASSESSMENTS))).returncode == 0
    file = write(tmp_path, "assessments.csv", HEADER + "E3,Craft,2,2026-06-30,Ana\n" + line + "\n")
    result = ingest(db, str(file))
    assert result.returncode == 1
    assert f"{file}{expected}" in result.stderr, result.stderr
    assert "nothing of it stored" in result.stderr and "Traceback" not in result.stderr
    assert query(db, SQL) == ROWS


def test_without_an_imported_ladder_the_built_in_ladders_competencies_and_scale_hold(tmp_path: Path) -> None:
    db = warehouse_with_people(tmp_path, day="2026-06-30")
    file = write(
        tmp_path, "a.csv", HEADER + "E1,Running in production,proficient,2026-06-30,Ana\nE2,Craft,2,2026-06-30,Ana\n"
    )
    result = ingest(db, str(file))
    assert result.returncode == 1
    assert (
        f"{file}:3: competency: 'Craft': expected a competency of the ladder (Quarterdeck engineering ladder)"
        in result.stderr
    )
    write(tmp_path, "a.csv", HEADER + "E1,Running in production,proficient,2026-06-30,Ana\n")
    assert ingest(db, str(file)).returncode == 0
    assert query(db, "SELECT competency, rating FROM assessments") == [("Running in production", 4)]
