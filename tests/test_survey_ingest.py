"""``quarterdeck ingest survey``: a form tool's wide export with its mapping, through the real
CLI on a real warehouse (tests/survey_files.py: five teams in two units)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.money_files import write
from tests.survey_files import MAPPING, export, ingest, organization
from tests.warehouse_rows import query, query_each

ROWS = [
    ("search", "4", "Agree", "9", "Slow CI"),
    ("search", "5", "Strongly agree", "10", ""),
    ("Search", "2", "disagree", "6", "flaky   tests"),
    ("checkout", "3", "Neutral", "7", ""),
    ("pay-team", "", "Agree", "0", "Slow CI"),
]
#: What ROWS stores: counts per team, question and score (labels read as their position).
SCORES = [
    ("checkout", "ci_feedback", 3, 1), ("checkout", "enps", 7, 1), ("checkout", "review_speed", 3, 1),
    ("payments", "enps", 0, 1), ("payments", "review_speed", 4, 1),
    ("search", "ci_feedback", 2, 1), ("search", "ci_feedback", 4, 1), ("search", "ci_feedback", 5, 1),
    ("search", "enps", 6, 1), ("search", "enps", 9, 1), ("search", "enps", 10, 1),
    ("search", "review_speed", 2, 1), ("search", "review_speed", 4, 1), ("search", "review_speed", 5, 1),
]  # fmt: skip
COMMENTS = [("payments", "slows_down", 1, "Slow CI"), ("search", "slows_down", 1, "Slow CI"),
            ("search", "slows_down", 2, "flaky tests")]  # fmt: skip
CI, ENPS = "CI tells me quickly whether my change works", "How likely are you to recommend working here?"
WHOLE = "expected a whole number from"
SCORES_SQL = "SELECT team_id, question_id, score, answers FROM survey_scores ORDER BY ALL"
COMMENTS_SQL = "SELECT team_id, question_id, number, answer FROM survey_comments ORDER BY ALL"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return organization(tmp_path)


@pytest.fixture
def mapping(tmp_path: Path) -> Path:
    return write(tmp_path, "mapping.yaml", MAPPING)


def test_a_survey_is_stored_as_counts_per_team_question_and_score(db: Path, mapping: Path, tmp_path: Path) -> None:
    result = ingest(db, write(tmp_path, "export.csv", export(ROWS)), mapping)
    assert result.returncode == 0, result.stderr
    assert query(db, SCORES_SQL) == SCORES
    assert query(db, COMMENTS_SQL) == COMMENTS
    assert query(db, "SELECT team_id, responses FROM survey_team_responses ORDER BY 1") == [
        ("checkout", 1), ("payments", 1), ("search", 3)
    ]  # fmt: skip
    assert query(db, "SELECT survey_id, taken_on, period_start, period_end, responses FROM surveys") == [
        ("devex-2026-Q2", date(2026, 6, 15), date(2026, 4, 1), date(2026, 6, 30), 5)
    ]
    sql = "SELECT question_id, kind, scale_min, scale_max, theme FROM survey_questions ORDER BY position"
    assert query(db, sql) == [
        ("ci_feedback", "likert", 1, 5, "build speed"), ("review_speed", "likert", 1, 5, "review"),
        ("enps", "enps", 0, 10, "engagement"), ("slows_down", "text", None, None, "build speed"),
    ]  # fmt: skip


def test_no_respondent_id_nor_submission_time_is_in_any_table(db: Path, mapping: Path, tmp_path: Path) -> None:
    assert ingest(db, write(tmp_path, "export.csv", export(ROWS)), mapping).returncode == 0
    columns = query(db, "SELECT table_name, column_name FROM information_schema.columns WHERE data_type = 'VARCHAR'")
    found = []
    where = "\"{0}\" LIKE '%RSP-9%' OR \"{0}\" LIKE '%10:00%'"
    hits = query_each(db, {(t, c): f'SELECT count(*) FROM "{t}" WHERE {where.format(c)}' for t, c in columns})
    for table, column in columns:
        if hits[table, column][0][0]:
            found.append((table, column))
    assert found == []
    assert query(db, "SELECT count(*) FROM survey_scores")[0][0] == len(SCORES)  # the survey is there


def test_importing_the_survey_again_replaces_it(db: Path, mapping: Path, tmp_path: Path) -> None:
    survey = write(tmp_path, "export.csv", export(ROWS))
    assert ingest(db, survey, mapping).returncode == 0
    assert ingest(db, survey, mapping).returncode == 0
    assert query(db, SCORES_SQL) == SCORES
    write(tmp_path, "export.csv", export([("sre", "1", "Agree", "8", "")]))
    assert ingest(db, survey, mapping).returncode == 0
    assert query(db, SCORES_SQL) == [("sre", "ci_feedback", 1, 1), ("sre", "enps", 8, 1), ("sre", "review_speed", 4, 1)]
    assert query(db, COMMENTS_SQL) == []
    assert query(db, "SELECT survey_id, responses FROM surveys") == [("devex-2026-Q2", 1)]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (("nowhere", "3", "Agree", "8", ""), ":3: Team: 'nowhere': expected a team of the organization"),
        (("search", "6", "Agree", "8", ""), f":3: {CI}: '6': {WHOLE} 1 to 5"),
        (("search", "0", "Agree", "8", ""), f":3: {CI}: '0': {WHOLE} 1 to 5"),
        (("search", "3", "Meh", "8", ""), f":3: Reviews are quick: 'Meh': {WHOLE} 1 to 5 or one of Strongly disagree"),
        (("search", "3", "Agree", "11", ""), f":3: {ENPS}: '11': {WHOLE} 0 to 10"),
        (("search", "3", "Agree", "7.5", ""), f":3: {ENPS}: '7.5': {WHOLE} 0 to 10"),
    ],
)  # fmt: skip
def test_a_bad_line_refuses_the_whole_file_naming_its_line(
    db: Path, mapping: Path, tmp_path: Path, row: tuple[str, ...], expected: str
) -> None:
    assert ingest(db, write(tmp_path, "good.csv", export(ROWS)), mapping).returncode == 0
    survey = write(tmp_path, "export.csv", export([("sre", "1", "Agree", "8", ""), row]))
    result = ingest(db, survey, mapping)
    assert result.returncode == 1
    assert f"{survey}{expected}" in result.stderr, result.stderr
    assert "nothing of it stored" in result.stderr and "Traceback" not in result.stderr
    assert query(db, SCORES_SQL) == SCORES


def test_a_column_the_mapping_does_not_name_refuses_the_file(db: Path, mapping: Path, tmp_path: Path) -> None:
    text = export(ROWS).replace("What slows you down?", "Any other comment?", 1)
    survey = write(tmp_path, "export.csv", text)
    result = ingest(db, survey, mapping)
    assert result.returncode == 1
    assert f"{survey}:1: Any other comment?: a column the mapping {mapping} does not name" in result.stderr
    lacks = "the header lacks it"
    assert f"{survey}:1: What slows you down?: the mapping {mapping} names this column; {lacks}" in result.stderr
    assert query(db, "SELECT count(*) FROM surveys") == [(0,)]


def test_a_survey_without_its_mapping_or_with_a_bad_one_is_a_clear_error(db: Path, tmp_path: Path) -> None:
    from tests.conftest import run_quarterdeck

    survey = write(tmp_path, "export.csv", export(ROWS))
    result = run_quarterdeck("ingest", "survey", str(survey), "--db", str(db))
    assert result.returncode != 0 and "a survey needs its mapping file" in result.stderr, result.stderr
    bad = write(tmp_path, "bad.yaml", MAPPING.replace("scale: 5", "scale: five"))
    result = ingest(db, survey, bad)
    assert result.returncode != 0 and "scale: expected the number of points" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
