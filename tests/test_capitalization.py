"""R&D capitalization: the policy file (quarterdeck ingest capitalization-policy) and the
capitalizable cost per project with its audit trail, on the organization of
tests/allocation_golden.py. Expected values by hand from that module's docstring."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import run_quarterdeck
from tests.money_files import write
from tests.test_investment_allocation import MARCH, build
from tests.warehouse_rows import query

POLICY = """capitalizable:
  categories: [new_capability]
  phases: [development]
phases:
  - phase: preliminary
    labels: [discovery, spike]
  - phase: post_implementation
    labels: maintenance
project: epic
"""
STORIES_ARE_PRELIMINARY = POLICY.replace("labels: [discovery, spike]", "issue_type: Story")
BUGS_TOO = POLICY.replace("categories: [new_capability]", "categories: [new_capability, bugs]")


@pytest.fixture(scope="module")
def org(tmp_path_factory) -> dict:
    return build(tmp_path_factory.mktemp("capitalization"))


def ingest(org: dict, text: str, name: str = "policy.yaml"):
    path = write(org["root"], name, text)
    return path, run_quarterdeck("ingest", "capitalization-policy", str(path), *org["base"])


def metric(org: dict, name: str, *args: str) -> list[dict]:
    result = run_quarterdeck("metrics", "show", name, *org["base"], "--format", "json", *MARCH, *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["rows"]


def test_the_policy_is_stored(org):
    _, result = ingest(org, POLICY)
    assert result.returncode == 0, result.stderr
    db = org["db"]
    assert query(db, "SELECT categories, phases, default_phase, project_by, line FROM capitalization_policy") == [
        (["new_capability"], ["development"], "development", "epic", 1)
    ]
    assert query(db, "SELECT position, phase, labels, issue_types, line FROM capitalization_phases ORDER BY 1") == [
        (1, "preliminary", ["discovery", "spike"], None, 5),
        (2, "post_implementation", ["maintenance"], None, 7),
    ]


def test_capitalizable_cost_per_project_and_its_trail(org):
    assert ingest(org, POLICY)[1].returncode == 0
    projects = metric(org, "capitalizable_cost_by_project", "--by", "org")
    eng1 = [r for r in projects if r["project"] == "ENG-1"]
    # ENG-2 (a story under epic ENG-1, new capability, development by default): Alice's half
    # of March (5,000) and Carol's half (1,250 on alpha + 2,625 on beta).
    assert [(r["amount"], r["capitalizable_fte"], r["cost"], r["items"], r["people"]) for r in eng1] == [
        (8875, 1.0, 8875, 1, 2)
    ]
    assert sum(r["amount"] for r in projects) == 8875
    trail = metric(org, "capitalizable_cost", "--by", "org")
    eng2 = [(r["person"], r["category"], r["phase"], r["capitalizable"], r["share"], r["fte"], r["amount"])
            for r in trail if r["item"] == "ENG-2"]  # fmt: skip
    assert eng2 == [
        ("Alice Able", "new_capability", "development", True, 0.5, 0.5, 5000),
        ("Carol Chen", "new_capability", "development", True, 0.5, 0.5, 3875),
    ]
    bugs = [(r["person"], r["capitalizable"], r["amount"], r["cost"]) for r in trail if r["item"] == "ENG-3"]
    assert bugs == [("Alice Able", False, 0, 2500), ("Bob Baker", False, 0, 2500), ("Carol Chen", False, 0, 3875)]
    # every person-month is in the trail: the costs add up to March's people cost
    assert sum(r["cost"] for r in trail) == 10000 + 5000 + 7750 + 3000
    dave = [(r["item"], r["phase"], r["capitalizable"]) for r in trail if r["person"] == "Dave Dunn"]
    assert dave == [(None, None, False)]


def test_a_phase_rule_and_more_categories_change_the_amounts(org):
    assert ingest(org, STORIES_ARE_PRELIMINARY)[1].returncode == 0
    trail = metric(org, "capitalizable_cost", "--by", "org")
    assert {(r["phase"], r["amount"]) for r in trail if r["item"] == "ENG-2"} == {("preliminary", 0)}
    assert sum(r["amount"] for r in trail) == 0
    assert ingest(org, BUGS_TOO)[1].returncode == 0
    projects = metric(org, "capitalizable_cost_by_project", "--by", "org")
    # ENG-3 is a bug with no epic: '(no project)'; 2,500 + 2,500 + 1,250 + 2,625
    assert {r["project"]: r["amount"] for r in projects} == {"ENG-1": 8875, "(no project)": 8875}


def test_the_trail_is_a_csv_for_the_accountants(org):
    assert ingest(org, POLICY)[1].returncode == 0
    result = run_quarterdeck("metrics", "show", "capitalizable_cost", *org["base"], *MARCH, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0])[:10] == ["period_start", "group", "project", "item_kind", "item", "title", "category",
                                  "phase", "capitalizable", "person"]  # fmt: skip
    alice = next(r for r in rows if r["item"] == "ENG-2" and r["person"] == "Alice Able")
    assert (alice["period_start"], alice["project"], alice["share"], alice["amount"]) == (
        "2026-03-01",
        "ENG-1",
        "0.5",
        "5000.0",
    )


def test_without_a_policy_nothing_is_capitalizable(tmp_path):
    bare = build(tmp_path, rules=None)
    for name in ("capitalizable_cost_by_project", "capitalizable_cost"):
        assert metric(bare, name) == []


BAD = """capitalizable:
  categories: [new_capabilty]
  phases: [build]
phases:
  - phase: design
    labels: x
  - phase: preliminary
  - phase: preliminary
    colour: red
project: team
"""


def test_a_bad_policy_is_refused_naming_each_line_and_the_stored_one_stays(org):
    assert ingest(org, POLICY)[1].returncode == 0
    before = query(org["db"], "SELECT * EXCLUDE (loaded_at) FROM capitalization_policy")
    path, result = ingest(org, BAD, "bad.yaml")
    assert result.returncode == 1
    for line, text in [
        (2, "unknown category key 'new_capabilty': expected one of bugs, incidents_and_support"),
        (3, "unknown phase 'build': expected one of development, post_implementation, preliminary"),
        (5, "unknown phase 'design'"),
        (7, "empty match: the rule for preliminary names no field"),
        (9, "unknown field 'colour': a phase rule matches on issue_type, labels, epic, project"),
        (10, "project: 'team': expected one of epic, objective"),
    ]:
        assert f"{path}:{line}: {text}" in result.stderr
    assert "Traceback" not in result.stderr
    assert query(org["db"], "SELECT * EXCLUDE (loaded_at) FROM capitalization_policy") == before
