"""``quarterdeck ingest positions``: open positions (requisitions), through the real CLI on
a real warehouse with a small organization ingested (teams platform and payments)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.money_files import warehouse_with_org, write
from tests.warehouse_rows import query

POSITIONS = """id,team,level,location,start_month,annual_cost,currency,status
REQ-1,platform,L4,Berlin,2026-09,"96,000.00",eur,open
REQ-2,pay-team,,,2026-10-15,120000,USD,On_Hold
REQ-3,Payments,L5,London,2026-07,150000,GBP,filled
"""

#: The rows POSITIONS gives: id, team as written, team, level, location, start month, annual
#: cost, currency, status, line.
ROWS = [
    ("REQ-1", "platform", "platform", "L4", "Berlin", date(2026, 9, 1), Decimal("96000.00"), "EUR", "open", 2),
    ("REQ-2", "pay-team", "payments", None, None, date(2026, 10, 1), Decimal("120000.00"), "USD", "on_hold", 3),
    ("REQ-3", "Payments", "payments", "L5", "London", date(2026, 7, 1), Decimal("150000.00"), "GBP", "filled", 4),
]
SQL = (
    "SELECT position_id, team, team_id, level, location, start_month, annual_cost, currency, status, line "
    "FROM positions ORDER BY position_id"
)
HEADER = "id,team,level,location,start_month,annual_cost,currency,status\n"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return warehouse_with_org(tmp_path)


def ingest(db: Path, *args: str):
    return run_quarterdeck("ingest", "positions", *args, "--db", str(db))


def test_a_positions_export_is_stored_position_by_position(db: Path, tmp_path: Path) -> None:
    positions = write(tmp_path, "positions.csv", POSITIONS)
    result = ingest(db, str(positions))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS
    assert query(db, "SELECT DISTINCT file, source FROM positions") == [(str(positions), "positions")]


def test_ingest_all_reads_the_positions_file_of_the_project_file_with_its_mapping(db: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "greenhouse.csv", POSITIONS.replace("id,team", "Req ID,Department", 1)
                   .replace("start_month", "Target Start", 1))  # fmt: skip
    write(tmp_path, "mapping.yaml", "columns:\n  Req ID: id\n  Department: team\n  Target Start: start_month\n")
    project = write(tmp_path, "quarterdeck.yaml", "sources:\n  - type: positions\n    files: [greenhouse.csv]\n"
                    "    mapping: mapping.yaml\n")  # fmt: skip
    result = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS
    assert query(db, "SELECT DISTINCT file FROM positions") == [(str(export),)]


def test_a_new_export_replaces_the_whole_list_and_the_same_one_again_changes_nothing(db: Path, tmp_path: Path) -> None:
    assert ingest(db, str(write(tmp_path, "positions.csv", POSITIONS))).returncode == 0
    assert ingest(db, str(tmp_path / "positions.csv")).returncode == 0
    assert query(db, SQL) == ROWS
    later = write(tmp_path, "later.csv", HEADER + "REQ-4,platform,L3,Berlin,2026-11,80000,EUR,open\n")
    assert ingest(db, str(later)).returncode == 0
    assert query(db, SQL) == [("REQ-4", "platform", "platform", "L3", "Berlin", date(2026, 11, 1),
                               Decimal("80000.00"), "EUR", "open", 2)]  # fmt: skip


def test_two_files_at_once_are_refused_an_export_is_the_whole_list(db: Path, tmp_path: Path) -> None:
    one, two = write(tmp_path, "a.csv", POSITIONS), write(tmp_path, "b.csv", POSITIONS)
    result = ingest(db, str(one), str(two))
    assert result.returncode == 2
    assert "a positions export is the whole list of positions" in result.stderr and "not 2" in result.stderr
    assert "Traceback" not in result.stderr
    assert query(db, "SELECT count(*) FROM positions") == [(0,)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("REQ-9,growth,L4,,2026-09,10,USD,open", ":3: team: 'growth': expected a team of the organization"),
        (",platform,L4,,2026-09,10,USD,open", ":3: id: missing: expected a text"),
        ("REQ-9,platform,L4,,Sept,10,USD,open", ":3: start_month: 'Sept': expected a month as YYYY-MM"),
        ("REQ-9,platform,L4,,2026-09,-10,USD,open", ":3: annual_cost: '-10': expected an amount of 0 or more"),
        ("REQ-9,platform,L4,,2026-09,10,US$,open", ":3: currency: 'US$': expected a 3-letter ISO 4217"),
        ("REQ-9,platform,L4,,2026-09,10,USD,maybe", ":3: status: 'maybe': expected one of open, on_hold, filled"),
        ("REQ-9,platform,L4,,2026-09,10,USD,open\nREQ-9,payments,L4,,2026-09,10,USD,open",
         ":4: a second line for position REQ-9 (the first is line 3)"),
    ],
)  # fmt: skip
def test_a_bad_line_refuses_the_whole_file_naming_its_line(db: Path, tmp_path: Path, line: str, expected: str) -> None:
    assert ingest(db, str(write(tmp_path, "good.csv", POSITIONS))).returncode == 0
    positions = write(tmp_path, "positions.csv", HEADER + "REQ-8,payments,,,2026-08,100,USD,open\n" + line + "\n")
    result = ingest(db, str(positions))
    assert result.returncode == 1
    assert f"{positions}{expected}" in result.stderr
    assert "nothing of it stored" in result.stderr and "Traceback" not in result.stderr
    assert query(db, SQL) == ROWS


def test_a_positions_file_before_any_organization_asks_to_ingest_the_org_first(tmp_path: Path) -> None:
    result = ingest(tmp_path / "w.duckdb", str(write(tmp_path, "positions.csv", POSITIONS)))
    assert result.returncode == 1
    assert "no organization is stored yet: ingest the org first" in result.stderr


def test_the_day_a_position_was_opened_and_its_role_are_kept_when_the_export_gives_them(
    db: Path, tmp_path: Path
) -> None:
    export = write(
        tmp_path,
        "positions.csv",
        HEADER.rstrip("\n") + ",opened,role\n"
        "REQ-1,platform,L4,Berlin,2026-09,96000,EUR,open,2026-06-15,engineer\n"
        "REQ-2,payments,M1,,2026-10,150000,USD,open,,\n",
    )
    assert ingest(db, str(export)).returncode == 0
    assert query(db, "SELECT position_id, opened, role FROM positions ORDER BY 1") == [
        ("REQ-1", date(2026, 6, 15), "engineer"),
        ("REQ-2", None, None),
    ]
    bad = write(tmp_path, "bad.csv", HEADER.rstrip("\n") + ",opened\nREQ-9,platform,L4,,2026-09,1,EUR,open,June\n")
    result = ingest(db, str(bad))
    assert result.returncode != 0 and "bad.csv:2" in result.stderr and "opened" in result.stderr
    assert "YYYY-MM-DD" in result.stderr and "Traceback" not in result.stderr
    assert query(db, "SELECT count(*) FROM positions") == [(2,)]
