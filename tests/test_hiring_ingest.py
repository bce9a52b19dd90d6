"""``quarterdeck ingest hiring``: an applicant tracking export, through the real CLI on a
real warehouse holding a small organization (teams platform and payments)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.money_files import warehouse_with_org, write
from tests.warehouse_rows import query

HIRING = """requisition,candidate,stage,date,outcome,source
REQ-1,cand-81,Applied,2026-01-05,,Referral
REQ-1,cand-81,Phone Screen,2026-01-10,,referral
REQ-1,cand-81,Onsite,2026-01-20,,
REQ-1,cand-81,Offer,2026-01-25,,
REQ-1,cand-81,Hired,2026-02-01,hired,
REQ-1,cand-82,applied,2026-01-06,,inbound
REQ-1,cand-82,Phone  screen,2026-01-12,Withdrawn,
REQ-2,cand-90,Applied,2026-02-01,,agency
REQ-2,cand-90,Offer,2026-03-01,offer declined,agency
"""
MAPPING = "stages:\n  Phone Screen: screen\n  Onsite: interview\n"
HEADER = "requisition,candidate,stage,date,outcome,source\n"
#: What HIRING stores: requisition, candidate, stage as written, funnel stage, rank, day, outcome, source, line.
ROWS = [
    ("REQ-1", "cand-81", "Applied", "applied", 1, date(2026, 1, 5), None, "referral", 2),
    ("REQ-1", "cand-81", "Phone Screen", "screen", 2, date(2026, 1, 10), None, "referral", 3),
    ("REQ-1", "cand-81", "Onsite", "interview", 3, date(2026, 1, 20), None, None, 4),
    ("REQ-1", "cand-81", "Offer", "offer", 4, date(2026, 1, 25), None, None, 5),
    ("REQ-1", "cand-81", "Hired", "hired", 5, date(2026, 2, 1), "hired", None, 6),
    ("REQ-1", "cand-82", "applied", "applied", 1, date(2026, 1, 6), None, "inbound", 7),
    ("REQ-1", "cand-82", "Phone screen", "screen", 2, date(2026, 1, 12), "withdrew", None, 8),
    ("REQ-2", "cand-90", "Applied", "applied", 1, date(2026, 2, 1), None, "agency", 9),
    ("REQ-2", "cand-90", "Offer", "offer", 4, date(2026, 3, 1), "offer_declined", "agency", 10),
]
SQL = (
    "SELECT requisition, candidate_id, stage, funnel_stage, funnel_rank, entered, outcome, candidate_source, line "
    "FROM hiring_stages ORDER BY line"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return warehouse_with_org(tmp_path)


def ingest(db: Path, tmp_path: Path, text: str, name: str = "hiring.csv"):
    mapping = write(tmp_path, "hiring-mapping.yaml", MAPPING)
    hiring = write(tmp_path, name, text)
    return run_quarterdeck("ingest", "hiring", str(hiring), "--mapping", str(mapping), "--db", str(db))


def test_stage_changes_are_stored_with_the_exports_stage_names_and_their_funnel_stage(db: Path, tmp_path: Path) -> None:
    result = ingest(db, tmp_path, HIRING)
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS
    assert query(db, "SELECT DISTINCT file, source FROM hiring_stages") == [(str(tmp_path / "hiring.csv"), "hiring")]


def test_importing_again_changes_nothing_and_a_corrected_export_replaces_its_requisitions(
    db: Path, tmp_path: Path
) -> None:
    assert ingest(db, tmp_path, HIRING).returncode == 0
    assert ingest(db, tmp_path, HIRING).returncode == 0
    assert query(db, SQL) == ROWS
    assert ingest(db, tmp_path, HEADER + "REQ-2,cand-91,applied,2026-02-03,,\n", "later.csv").returncode == 0
    assert query(db, "SELECT requisition, candidate_id FROM hiring_stages WHERE requisition = 'REQ-2'") == [
        ("REQ-2", "cand-91")
    ]
    assert query(db, "SELECT count(*) FROM hiring_stages WHERE requisition = 'REQ-1'") == [(7,)]


def test_without_a_mapping_only_the_funnels_own_stage_names_are_known(db: Path, tmp_path: Path) -> None:
    hiring = write(tmp_path, "hiring.csv", HIRING)
    result = run_quarterdeck("ingest", "hiring", str(hiring), "--db", str(db))
    assert result.returncode == 1
    assert f"{hiring}:3: stage: 'Phone Screen': expected a funnel stage (applied, screen, interview" in result.stderr
    assert query(db, "SELECT count(*) FROM hiring_stages") == [(0,)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("REQ-3,c1,applied,2026-02-30,,", ":3: date: '2026-02-30': expected a date as YYYY-MM-DD"),
        ("REQ-3,c1,Take-home,2026-02-03,,", ":3: stage: 'Take-home': expected a funnel stage"),
        ("REQ-3,c1,applied,2026-02-03,ghosted,", ":3: outcome: 'ghosted': expected one of hired, rejected, withdrew"),
        ("REQ-3,c1,applied,2026-02-03,,linkedin", ":3: source: 'linkedin': expected one of referral, inbound"),
        ("REQ-3,c1,Onsite,2026-02-03,,\nREQ-3,c1,applied,2026-02-05,,",
         ":3: date: stage 'Onsite' (interview) entered 2026-02-03, before stage 'applied' (applied) on 2026-02-05 "
         "(line 4): expected the funnel's stages entered in its order"),
        ("REQ-3,c1,applied,2026-02-03,,\nREQ-3,c1,APPLIED,2026-02-04,,",
         ":4: a second line for candidate c1 of REQ-3 in stage 'APPLIED' (the first is line 3)"),
        (",c1,applied,2026-02-03,,", ":3: requisition: missing: expected a text"),
        ("REQ-3,c1,Offer,2026-02-03,hired,", ":3: outcome: hired on stage 'Offer' (offer): expected the outcome hired"),
    ],
)  # fmt: skip
def test_a_bad_line_refuses_the_whole_file_naming_its_line(db: Path, tmp_path: Path, line: str, expected: str) -> None:
    assert ingest(db, tmp_path, HIRING, "good.csv").returncode == 0
    result = ingest(db, tmp_path, HEADER + "REQ-1,cand-99,applied,2026-01-07,,\n" + line + "\n")
    assert result.returncode == 1
    assert f"{tmp_path / 'hiring.csv'}{expected}" in result.stderr, result.stderr
    assert "nothing of it stored" in result.stderr and "Traceback" not in result.stderr
    assert query(db, SQL) == ROWS


def test_a_requisition_the_positions_lack_is_stored_with_a_note(db: Path, tmp_path: Path) -> None:
    positions = write(tmp_path, "positions.csv", "id,team,start_month,annual_cost,currency,status\n"
                      "REQ-1,platform,2026-03,100000,EUR,open\n")  # fmt: skip
    assert run_quarterdeck("ingest", "positions", str(positions), "--db", str(db)).returncode == 0
    result = ingest(db, tmp_path, HIRING)
    assert result.returncode == 0, result.stderr
    note = f"note: {tmp_path / 'hiring.csv'}:9: requisition REQ-2 is not among the stored positions"
    assert note in " ".join(result.stderr.split()), result.stderr
    assert "REQ-1 is not" not in result.stderr
    assert query(db, SQL) == ROWS


def test_ingest_all_reads_the_export_of_the_project_file_with_its_stages(db: Path, tmp_path: Path) -> None:
    export = HIRING.replace("requisition,candidate,stage,date", "Job ID,Candidate ID,Stage,Entered On", 1)
    write(tmp_path, "ats.csv", export)
    write(tmp_path, "ats-map.yaml", "columns:\n  Job ID: requisition\n  Candidate ID: candidate\n  Entered On: date\n"
          + MAPPING)  # fmt: skip
    project = write(tmp_path, "quarterdeck.yaml", "sources:\n  - type: hiring\n    files: [ats.csv]\n"
                    "    mapping: ats-map.yaml\n")  # fmt: skip
    result = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS


def test_without_positions_no_requisition_is_noted(db: Path, tmp_path: Path) -> None:
    result = ingest(db, tmp_path, HIRING)
    assert result.returncode == 0 and "not among the stored positions" not in result.stderr
