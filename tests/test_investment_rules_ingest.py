"""``quarterdeck ingest investment-rules``: the rules putting work items in categories and
epics in objectives, through the real CLI on a real warehouse."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_quarterdeck
from tests.money_files import write
from tests.warehouse_rows import query

RULES = """categories:
  new_capability: New capability
  keep_the_lights_on: Keep the lights on
  tech_debt: Tech debt
  uncategorized: Not sorted yet
rules:
  - category: tech_debt
    labels: [Tech-Debt, refactor]
  - category: new_capability
    epic: ENG-1
    issue_type: [Story, Task]
  - category: keep_the_lights_on
    repository: acme/infra
    project: OPS
objectives:
  grow:
    name: Grow payments
    epics:
      - ENG-1
      - eng-2
  keep:
    name: Keep customers
    epics: [OPS-9]
"""

CATEGORIES = "SELECT category, name, position, line FROM investment_categories ORDER BY position"
RULE_ROWS = (
    "SELECT position, category, issue_types, labels, epics, projects, repositories, line "
    "FROM investment_rules ORDER BY position"
)
OBJECTIVES = "SELECT epic, objective, name, line FROM investment_objectives ORDER BY line"


def ingest(db: Path, *files: Path):
    return run_quarterdeck("ingest", "investment-rules", *map(str, files), "--db", str(db))


def test_the_rules_file_is_stored_in_order_with_its_lines(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = ingest(db, write(tmp_path, "rules.yaml", RULES))
    assert result.returncode == 0, result.stderr
    assert query(db, CATEGORIES) == [
        ("new_capability", "New capability", 1, 2),
        ("keep_the_lights_on", "Keep the lights on", 2, 3),
        ("tech_debt", "Tech debt", 3, 4),
        ("uncategorized", "Not sorted yet", 4, 5),
    ]
    assert query(db, RULE_ROWS) == [
        (1, "tech_debt", None, ["tech-debt", "refactor"], None, None, None, 7),
        (2, "new_capability", ["story", "task"], None, ["eng-1"], None, None, 9),
        (3, "keep_the_lights_on", None, None, None, ["ops"], ["acme/infra"], 12),
    ]
    assert query(db, OBJECTIVES) == [
        ("ENG-1", "grow", "Grow payments", 19),
        ("eng-2", "grow", "Grow payments", 20),
        ("OPS-9", "keep", "Keep customers", 23),
    ]


def test_without_categories_the_five_defaults_and_uncategorized_are_stored(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = ingest(db, write(tmp_path, "rules.yaml", "rules:\n  - category: bugs\n    issue_type: Bug\n"))
    assert result.returncode == 0, result.stderr
    assert [row[0] for row in query(db, CATEGORIES)] == [
        "new_capability", "keep_the_lights_on", "tech_debt", "bugs", "incidents_and_support", "uncategorized",
    ]  # fmt: skip
    assert query(db, "SELECT category, issue_types FROM investment_rules") == [("bugs", ["bug"])]


BAD = """rules:
  - category: tech_dept
    labels: [x]
  - category: bugs
    colour: red
  - category: bugs
  - category: bugs
    component: [db]
  - category: bugs
    labels: []
objectives:
  grow:
    epics: [ENG-1]
  again:
    epics: [eng-1]
"""


def test_a_bad_file_is_refused_naming_each_line_and_the_stored_rules_stay(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    assert ingest(db, write(tmp_path, "rules.yaml", RULES)).returncode == 0
    before = [query(db, sql) for sql in (CATEGORIES, RULE_ROWS, OBJECTIVES)]
    bad = write(tmp_path, "bad.yaml", BAD)
    result = ingest(db, bad)
    assert result.returncode == 1
    assert f"{bad}:2: unknown category key 'tech_dept': expected one of bugs, incidents_and_support" in result.stderr
    assert f"{bad}:5: unknown field 'colour': a rule matches on issue_type, labels, epic" in result.stderr
    assert f"{bad}:6: empty match: the rule for bugs names no field" in result.stderr
    assert f"{bad}:8: component: Jira components are not stored" in result.stderr
    assert f"{bad}:10: labels: expected a value or a list of values" in result.stderr
    assert f"{bad}:15: epic eng-1 serves objective grow already (line 13)" in result.stderr
    assert "Traceback" not in result.stderr
    assert [query(db, sql) for sql in (CATEGORIES, RULE_ROWS, OBJECTIVES)] == before


def test_the_allocation_s_own_category_key_is_reserved(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    text = "categories:\n  no_recorded_work: Idle\nrules:\n  - category: no_recorded_work\n    labels: x\n"
    bad = write(tmp_path, "bad.yaml", text)
    result = ingest(db, bad)
    assert result.returncode == 1
    assert f"{bad}:2: category key 'no_recorded_work' is reserved" in result.stderr
    assert f"{bad}:4: unknown category key 'no_recorded_work'" in result.stderr


def test_a_file_that_is_not_yaml_is_refused_with_its_line(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    bad = write(tmp_path, "bad.yaml", "rules:\n  - category: bugs\n    labels: [a\n")
    result = ingest(db, bad)
    assert result.returncode == 1
    assert f"{bad}:4:" in result.stderr or f"{bad}:3:" in result.stderr
    assert "Traceback" not in result.stderr
    assert query(db, "SELECT count(*) FROM investment_rules") == [(0,)]


def test_a_new_file_replaces_every_stored_rule_category_and_objective(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    assert ingest(db, write(tmp_path, "rules.yaml", RULES)).returncode == 0
    result = ingest(db, write(tmp_path, "rules2.yaml", "rules:\n  - category: bugs\n    labels: bug\n"))
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT position, category FROM investment_rules") == [(1, "bugs")]
    assert len(query(db, CATEGORIES)) == 6
    assert query(db, OBJECTIVES) == []


def test_two_files_at_once_are_refused(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    one, two = write(tmp_path, "a.yaml", RULES), write(tmp_path, "b.yaml", RULES)
    result = ingest(db, one, two)
    assert result.returncode != 0
    assert "give one file, not 2" in result.stderr
