"""``quarterdeck ingest succession``: a succession file (CSV or YAML), through the real CLI on
the small organization of tests/succession_org.py (L1 Liv left on 2026-03-31)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.orgdata import write
from tests.succession_org import build_succession_org
from tests.warehouse_rows import query

SUCCESSION = """role,successor,readiness,date
D1,M1,ready now,2026-06-30
Dan Pay,mia@example.com,1-2 years,2026-01-15
m1,E1,Ready Now,2026-06-30
checkout-api,E1,3+y,2026-06-30
Infra Tools,E5,1-2y,2026-06-30
"""
#: What SUCCESSION stores: kind, role id, role as written, successor, readiness, as of, line.
ROWS = [
    ("seat", "D1", "D1", "M1", "ready now", date(2026, 6, 30), 2),
    ("seat", "D1", "Dan Pay", "M1", "1-2 years", date(2026, 1, 15), 3),
    ("seat", "M1", "m1", "E1", "ready now", date(2026, 6, 30), 4),
    ("service", "checkout-api", "checkout-api", "E1", "3+ years", date(2026, 6, 30), 5),
    ("service", "infra-tools", "Infra Tools", "E5", "1-2 years", date(2026, 6, 30), 6),
]
SQL = "SELECT role_kind, role_id, role, successor_id, readiness, as_of, line FROM successors ORDER BY line"
YAML = """\
# the talent review of June
successors:
  - {role: D1, successor: M1, readiness: ready now, date: 2026-06-30}

  - role: Dan Pay
    successor: mia@example.com
    readiness: 1-2 years
    date: 2026-01-15
  - {role: m1, successor: E1, readiness: Ready Now, date: 2026-06-30}
  - {role: checkout-api, successor: E1, readiness: 3+y, date: 2026-06-30}
  - {role: Infra Tools, successor: E5, readiness: 1-2y, date: 2026-06-30}
"""


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_succession_org(tmp_path_factory.mktemp("succession-ingest"))


@pytest.fixture
def db(org: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "w.duckdb"
    shutil.copy(org, copy)
    return copy


def ingest(db: Path, *args: str):
    return run_quarterdeck("ingest", "succession", *args, "--db", str(db))


def test_a_csv_is_stored_by_person_and_service_ids_with_readiness_in_three_steps(db: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "succession.csv", SUCCESSION)
    result = ingest(db, str(path))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS
    again = ingest(db, str(path))  # the same file again: the same rows, nothing added
    assert again.returncode == 0, again.stderr
    assert query(db, SQL) == ROWS


def test_a_yaml_file_stores_the_same_rows_with_the_line_each_item_starts_on(db: Path, tmp_path: Path) -> None:
    result = ingest(db, str(write(tmp_path, "succession.yaml", YAML)))
    assert result.returncode == 0, result.stderr
    lines = [3, 5, 9, 10, 11]
    assert query(db, SQL) == [(*row[:-1], line) for row, line in zip(ROWS, lines, strict=True)]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("Nobody,M1,ready now,2026-06-30", "succession.csv:3: role: 'Nobody': expected a role"),
        ("D1,X9,ready now,2026-06-30", "succession.csv:3: successor: 'X9': expected a person of the organization"),
        ("M2,L1,ready now,2026-06-30", "succession.csv:3: successor: L1 is no longer employed from 2026-04-01"),
        ("M2,M2,ready now,2026-06-30", "succession.csv:3: successor: M2 is named as their own successor"),
        ("M2,E3,soon,2026-06-30", "succession.csv:3: readiness: 'soon': expected a readiness: ready now"),
        ("D1,M1,3+ years,2026-06-30", "succession.csv:3: a second line for D1 and M1 on 2026-06-30 (the first"),
    ],
)  # fmt: skip
def test_a_bad_line_refuses_the_file_naming_it_and_stores_nothing(db: Path, tmp_path: Path, line, problem) -> None:
    path = write(tmp_path, "succession.csv", f"role,successor,readiness,date\nD1,M1,ready now,2026-06-30\n{line}\n")
    result = ingest(db, str(path))
    assert result.returncode != 0
    assert problem in result.stderr
    assert "Traceback" not in result.stderr
    assert query(db, "SELECT count(*) FROM successors") == [(0,)]


def test_a_successor_who_left_after_the_line_date_is_accepted(db: Path, tmp_path: Path) -> None:
    """Liv's last day is 2026-03-31: named on 2026-03-31 she was still there."""
    path = write(tmp_path, "succession.csv", "role,successor,readiness,date\nM2,L1,ready now,2026-03-31\n")
    result = ingest(db, str(path))
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT role_id, successor_id, as_of FROM successors") == [("M2", "L1", date(2026, 3, 31))]


def test_a_bad_yaml_item_is_named_by_its_line(db: Path, tmp_path: Path) -> None:
    text = (
        "successors:\n"
        "  - {role: D1, successor: M1, readiness: now, date: 2026-06-30}\n"
        "  - {role: D1, successor: D1, readiness: now, date: 2026-06-30}\n"
    )
    result = ingest(db, str(write(tmp_path, "s.yaml", text)))
    assert result.returncode != 0
    assert "s.yaml:3: successor: D1 is named as their own successor" in result.stderr
    assert query(db, "SELECT count(*) FROM successors") == [(0,)]


def test_a_bad_version_of_an_imported_file_leaves_what_it_stored(db: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "succession.csv", SUCCESSION)
    assert ingest(db, str(path)).returncode == 0
    write(tmp_path, "succession.csv", SUCCESSION + "M2,M2,ready now,2026-06-30\n")
    result = ingest(db, str(path))
    assert result.returncode != 0 and "succession.csv:7: successor: M2 is named as their own successor" in result.stderr
    assert query(db, SQL) == ROWS
