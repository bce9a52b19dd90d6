"""Reorg what-if: a proposed org applied to the small organization of tests/org_small.py.

Every expected figure is worked out by hand from the people files of org_small.py (the
comments say how); "before" counted in Python (planning.reorg) must equal load_org's own
SQL figures.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from quarterdeck.config import Settings
from quarterdeck.core.errors import ConfigError, MetricError
from quarterdeck.metrics.org_design import load_org
from quarterdeck.planning.reorg import count_layers, rebuild
from quarterdeck.planning.reorg_compare import what_if
from quarterdeck.planning.reorg_file import looks_like
from quarterdeck.store.warehouse import open_warehouse
from tests.conftest import run_quarterdeck
from tests.org_small import build_small_org
from tests.orgdata import write

FIRST = date(2025, 6, 30)
SETTINGS = Settings(loaded_cost_multipliers=(("Berlin", 1.3), ("*", 1.2)))

SPLIT = """\
name: Split checkout
teams:
  add:
    - id: payments
      name: Payments
      parent: product
      type: stream-aligned
      manager: P13
moves:
  - person: P13
    team: payments
  - person: Kim Ford
    team: payments
  - person: P12
    team: payments
  - person: P14
    team: payments
  - person: P15
    team: Payments
"""


@pytest.fixture(scope="module")
def small_org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small_org(tmp_path_factory.mktemp("what-if-org"), codeowners=False)


def run(db: Path, folder: Path, text: str, at: date = FIRST):
    path = write(folder, "proposed.yaml", text)
    with open_warehouse(db, read_only=True) as warehouse:
        return what_if(warehouse, path, at, SETTINGS)


@pytest.mark.parametrize("day", [date(2025, 6, 30), date(2025, 7, 31)])
def test_before_counted_in_python_equals_load_org(small_org, day):
    with open_warehouse(small_org, read_only=True) as warehouse:
        org = load_org(warehouse, day)
    again = rebuild(org, org.people, org.units)
    assert again.people == org.people
    assert again.vacancies == org.vacancies
    assert {p: (x.direct_reports, x.layer) for p, x in again.people.items()} == {
        p: (x.direct_reports, x.layer) for p, x in org.people.items()
    }


def test_before_counted_in_python_equals_load_org_on_the_generated_organization(org_warehouse):
    """tests/data/org: 300 people over 24 monthly snapshots, with departed managers still named."""
    with open_warehouse(org_warehouse, read_only=True) as warehouse:
        for day in (date(2024, 1, 31), date(2024, 7, 15), date(2025, 3, 31), date(2025, 12, 31)):
            org = load_org(warehouse, day)
            again = rebuild(org, org.people, org.units)
            assert again.people == org.people, day
            assert again.vacancies == org.vacancies, day


def test_a_re_parented_team_s_manager_follows_it(small_org, tmp_path):
    text = "teams:\n  change:\n    - team: checkout\n      parent: infra\n"
    result = run(small_org, tmp_path, text)
    # Dee Checkout (P04) sits in checkout: she now reports to infra's manager, Cy Infra (P03),
    # in layer 2 like P02, so nobody changes layer; her ten engineers stay with her.
    assert [(m.person_id, m.from_manager, m.to_manager, m.line) for m in result.moves] == [("P04", "P02", "P03", 3)]
    assert (result.org_after.people["P03"].direct_reports, result.org_after.people["P02"].direct_reports) == (2, 2)
    assert result.after.units["infra"].headcount == 15 and result.after.units["product"].headcount == 4
    assert result.after.people_per_layer == result.before.people_per_layer
    # P03 (1 -> 2 reports) and P02 (3 -> 2) stay below 4: the same findings; infra no longer
    # has a single sub-unit.
    assert [(f.code, f.subject) for f in result.resolved_findings] == [("unit-single-child", "infra")]
    assert result.new_findings == []


def test_layers_stop_at_a_cycle_and_at_64():
    chain = {f"p{i}": (f"p{i - 1}" if i else None) for i in range(70)}
    layers = count_layers({**chain, "a": "b", "b": "a", "c": "a"})
    assert [layers[f"p{i}"] for i in (0, 1, 63, 64, 69)] == [1, 2, 64, None, None]
    assert (layers["a"], layers["b"], layers["c"]) == (None, None, None)


def test_split_checkout_before_and_after(small_org, tmp_path):
    result = run(small_org, tmp_path, SPLIT)
    before, after = result.before, result.after
    # Before (2025-06-30): P01 -> 3, P02 -> 3, P03 -> 1, P04 -> 10, P05 -> 1, P16 -> 1.
    assert (before.managers, before.mean_span, before.median_span) == (6, 3.17, 2.0)
    assert before.spans == {"1": 3, "2-3": 2, "4-8": 0, "9-12": 1, "13+": 0}
    assert (before.below_norm, before.above_norm, before.ics_per_manager) == (5, 1, 2.5)
    # layer 1 P01; 2 P02 P03 P20; 3 P04 P05 P18 P19 (and the vacancy P22); 4 P06-P15 P16 P21; 5 P17
    assert (before.max_layers, before.people_per_layer) == (5, [1, 3, 4, 12, 1])
    assert before.team_sizes == {"checkout": 11, "design": 0, "mobile": 1, "platform": 3, "search": 2}
    # After: P13 reports to P02 (payments' manager is P13 itself, product's is P02), P11 P12
    # P14 P15 to P13: P02 -> 4, P04 -> 5, P13 -> 4.
    assert (after.managers, after.mean_span, after.median_span) == (7, 2.71, 3.0)
    assert after.spans == {"1": 3, "2-3": 1, "4-8": 3, "9-12": 0, "13+": 0}
    assert (after.below_norm, after.above_norm, after.ics_per_manager) == (4, 0, 2.0)
    assert (after.max_layers, after.people_per_layer) == (5, [1, 3, 5, 11, 1])
    assert after.team_sizes == {"checkout": 6, "design": 0, "mobile": 1, "payments": 5, "platform": 3, "search": 2}
    # Costs: Berlin x 1.3 (P01 250000, P02 210000, P03 205000, P04 160000, P05 155000), the
    # engineers in Lisbon 98000 x 1.2 = 117600.
    cost = {u: (f.headcount, f.cost) for u, f in before.units.items()}
    assert cost["checkout"] == (11, 208000 + 10 * 117600)
    assert cost["product"] == (15, 273000 + 208000 + 13 * 117600)
    assert cost["infra"] == (4, None) and cost["platform"] == (3, None)  # fewer than 5 people: hidden
    assert cost["eng"] == (20, 325000 + 273000 + 266500 + 208000 + 201500 + 15 * 117600)
    assert before.cost == cost["eng"][1] + 117600  # P20 is on no team
    assert after.units["checkout"].cost == 208000 + 5 * 117600
    assert after.units["payments"].cost == 5 * 117600
    assert after.units["product"].cost == cost["product"][1] and after.cost == before.cost
    assert after.units["payments"].levels == {"IC1": 1, "IC2": 2, "IC3": 1, "IC4": 1}
    assert after.units["checkout"].levels == {"IC2": 3, "IC3": 2, "M2": 1}
    assert before.units["search"].levels is None
    assert (before.units["product"].ics_per_manager, after.units["product"].ics_per_manager) == (6.5, 4.0)
    moved = [(m.person_id, m.from_team, m.to_team, m.from_manager, m.to_manager, m.line) for m in result.moves]
    assert moved == [
        ("P11", "checkout", "payments", "P04", "P13", 12),
        ("P12", "checkout", "payments", "P04", "P13", 14),
        ("P13", "checkout", "payments", "P04", "P02", 10),
        ("P14", "checkout", "payments", "P04", "P13", 16),
        ("P15", "checkout", "payments", "P04", "P13", 18),
    ]
    resolved = [(f.code, f.subject) for f in result.resolved_findings]
    assert resolved == [
        ("manager-few-reports", "P02"),
        ("manager-many-reports", "P04"),
        ("team-too-large", "checkout"),
    ]
    assert result.new_findings == []


def test_costs_in_the_reporting_currency(small_org, tmp_path):
    """The people export in EUR, the reporting currency USD: the rate of the date's month
    (2025-06: 1.25; 2025-07's 2.0 is later); without a rate, an error that says which."""
    folder = tmp_path / "copy"
    folder.mkdir()
    db = folder / "org.duckdb"
    db.write_bytes(small_org.read_bytes())
    in_euros = replace(SETTINGS, people_cost_currency="EUR")
    path = write(tmp_path, "proposed.yaml", SPLIT)
    missing = r"no rate from EUR to USD for 2025-06 .* quarterdeck ingest rates FILE"
    with open_warehouse(db, read_only=True) as warehouse, pytest.raises(MetricError, match=missing):
        what_if(warehouse, path, FIRST, in_euros)
    rates = write(tmp_path, "rates.csv", "month,from,to,rate\n2025-05,EUR,USD,1.25\n2025-07,EUR,USD,2.0\n")
    done = run_quarterdeck("--db", str(db), "ingest", "rates", str(rates))
    assert done.returncode == 0, done.stderr
    with open_warehouse(db, read_only=True) as warehouse:
        result = what_if(warehouse, path, FIRST, in_euros)
    assert result.currency == "USD"
    assert result.after.units["payments"].cost == 5 * 117600 * 1.25
    assert result.before.units["checkout"].cost == (208000 + 10 * 117600) * 1.25


def test_a_move_that_creates_a_span_warning(small_org, tmp_path):
    text = "moves:\n  - person: Gus Brown\n    team: checkout\n    manager: Fay Adams\n"
    result = run(small_org, tmp_path, text)
    assert [(f.code, f.subject, f.value) for f in result.new_findings] == [("manager-few-reports", "P06", 1)]
    assert result.resolved_findings == []
    assert [(m.person_id, m.from_manager, m.to_manager) for m in result.moves] == [("P07", "P04", "P06")]
    # P04 10 -> 9 reports: still above 8; P06 gets a report and a layer below it.
    assert result.after.spans == {"1": 4, "2-3": 2, "4-8": 0, "9-12": 1, "13+": 0}
    assert result.after.people_per_layer == [1, 3, 4, 11, 2]


def test_dissolving_a_team_and_a_new_manager(small_org, tmp_path):
    text = """\
teams:
  change:
    - team: search
      manager: Rae Moss
  dissolve:
    - team: mobile
      people_to: search
"""
    result = run(small_org, tmp_path, text)
    # P21 leaves mobile (and the departed P22) for search, under Rae Moss (P18), search's new
    # manager; P19 reported to P02, search had no manager: P19 now reports to P18 too.
    moved = [(m.person_id, m.from_team, m.to_team, m.from_manager, m.to_manager, m.line) for m in result.moves]
    assert moved == [("P19", "search", "search", "P02", "P18", 3), ("P21", "mobile", "search", "P22", "P18", 6)]
    assert result.org_after.vacancies == {}
    assert "mobile" not in result.after.team_sizes and result.after.team_sizes["search"] == 3
    assert result.org_after.people["P18"].direct_reports == 2
    assert result.org_after.people["P02"].direct_reports == 2  # P04, P18
    resolved = {(f.code, f.subject) for f in result.resolved_findings}
    assert resolved == {
        ("manager-not-employed", "P21"),
        ("team-manager-not-employed", "mobile"),
        ("team-no-manager", "search"),
        ("team-too-small", "mobile"),
        ("team-too-small", "search"),
    }
    assert [(f.code, f.subject) for f in result.new_findings] == [("manager-few-reports", "P18")]


BAD = [
    ("moves:\n  - person: P99\n    team: search\n", "2: moves: nobody named 'P99' is employed on 2025-06-30"),
    (
        "moves:\n  - person: Vic Quinn\n    team: search\n",
        "2: moves: nobody named 'Vic Quinn' is employed on 2025-06-30",
    ),
    ("moves:\n  - person: P18\n    team: billing\n", "2: moves: team: no team 'billing' exists on 2025-06-30"),
    (
        "teams:\n  change:\n    - team: search\n      manager: P98\n",
        "3: teams: change: search: manager: nobody named 'P98' is employed",
    ),
    (
        "moves:\n  - person: P02\n    team: product\n    manager: P04\n",
        "2: a manager cycle: P02 > P04 > P02 (each reports to the next)",
    ),
    (
        "teams:\n  dissolve:\n    - team: infra\n      people_to: product\n",
        "3: teams: dissolve: dissolving infra leaves platform without a parent",
    ),
    (
        "teams:\n  change:\n    - team: search\n      parent: null\n",
        "3: teams: change: parent: null leaves search without a parent",
    ),
    (
        "moves:\n  - person: P18\n    team: checkout\n  - person: Rae Moss\n    team: mobile\n",
        "4: moves: P18 (Rae Moss) is moved twice (also at line 2)",
    ),
    (
        "teams:\n  dissolve:\n    - team: mobile\n      people_to: search\n"
        "  add:\n    - id: app\n      parent: mobile\n",
        "6: teams: add: app: parent: mobile is dissolved (line 3) but still named as a parent",
    ),
    (
        "teams:\n  dissolve:\n    - team: mobile\n      people_to: search\n"
        "  change:\n    - team: design\n      parent: Mobile\n",
        "6: teams: change: design: parent: mobile is dissolved (line 3) but still named as a parent",
    ),
    ("teams:\n  dissolve:\n    - team: mobile\n", "3: teams: dissolve: mobile has 1 people not moved elsewhere"),
    (
        "teams:\n  change:\n    - team: product\n      parent: checkout\n",
        "3: teams: the parents of checkout > product > checkout run in a circle",
    ),
    ("teams:\n  add:\n    - id: search\n      parent: eng\n", "3: teams: add: team 'search' already exists"),
    ("teams:\n  add:\n    - id: ml\n", "3: teams: add: 'parent' is required"),
    ("moves:\n  - person: P18\n    team: search\n    boss: P01\n", "4: moves: unknown key 'boss'"),
    ("name: nothing\n", "1: proposed-org file: nothing proposed"),
    ("at: soon\nmoves: []\n", "1: at: expected a date YYYY-MM-DD, not 'soon'"),
]


@pytest.mark.parametrize(
    ("text", "expected"), BAD, ids=[b[1].split(":")[1].strip() + str(i) for i, b in enumerate(BAD)]
)
def test_bad_proposed_org_files(small_org, tmp_path, text, expected):
    path = tmp_path / "proposed.yaml"
    with pytest.raises(ConfigError) as raised:
        run(small_org, tmp_path, text)
    assert str(raised.value).startswith(f"{path}:{expected}"), str(raised.value)


def test_looks_like():
    assert looks_like({"moves": []})
    assert looks_like({"teams": {"add": []}})
    assert not looks_like({"teams": [{"id": "x"}]})  # an org file
    assert not looks_like({"moves": [], "hiring": []})  # a plan
