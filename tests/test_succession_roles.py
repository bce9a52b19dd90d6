"""Key roles on a date (docs/succession.md): every manager and director seat of the org tree,
and every service whose code (its repositories read together) has a bus factor of one, with
the person holding it. Values by hand: tests/succession_org.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from quarterdeck.metrics.key_roles import key_roles, leadership_seats
from quarterdeck.metrics.org_design import OrgAt, PersonAt, UnitAt, load_org
from quarterdeck.store.warehouse import open_warehouse
from tests.succession_org import build_succession_org


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_succession_org(tmp_path_factory.mktemp("succession-roles"))


def roles_on(db: Path, day: date) -> list[tuple]:
    with open_warehouse(db, read_only=True) as warehouse:
        roles = key_roles(warehouse, load_org(warehouse, day))
    return [(r.kind, r.role_id, r.unit_id, r.holder, r.holder_name, r.share, r.lines) for r in roles]


def test_seats_by_the_org_tree_and_services_held_by_one_person(db: Path) -> None:
    assert roles_on(db, date(2026, 6, 30)) == [
        ("director", "D1", "pay", "D1", "Dan Pay", None, None),
        ("manager", "M1", "checkout", "M1", "Mia Shop", None, None),
        ("manager", "M2", "ledger", "M2", "Max Books", None, None),
        ("manager", "M3", "infra", "M3", "Noa Infra", None, None),
        ("director", "V1", "eng", "V1", "Vera Top", None, None),
        ("knowledge", "checkout-api", "checkout", "M1", "Mia Shop", round(70 / 120, 4), 120),
        ("knowledge", "infra-tools", "infra", "E4", "Ola Tools", round(50 / 60, 4), 60),
    ]


def test_the_window_is_the_year_up_to_the_date(db: Path) -> None:
    """On 2026-06-29 Ola's 50 lines of 2026-06-30 are not yet written: tools has only the
    ghost's 10 (an identity linked to nobody holds the knowledge); on 2026-07-01 Ola's 500 lines
    of 2025-06-29 are still out of the window (it starts 2025-07-02)."""
    before = [r for r in roles_on(db, date(2026, 6, 29)) if r[1] == "infra-tools"]
    assert before == [("knowledge", "infra-tools", "infra", None, "Ghost Contractor", 1.0, 10)]


def person(pid: str, team: str | None, manager: str | None) -> PersonAt:
    return PersonAt(pid, f"Name {pid}", None, None, team, manager, 0, None)


def test_a_manager_of_managers_is_a_director_and_anyone_with_reports_holds_a_seat() -> None:
    """A flat tree: one unit 'all' (no sub-units) managed by A. B reports to A and manages C;
    C manages D (C is named manager of no unit); E is on no team and manages nobody."""
    people = [person("A", "all", None), person("B", "all", "A"), person("C", "all", "B"),
              person("D", "all", "C"), person("E", None, "A")]  # fmt: skip
    org = OrgAt(date(2026, 6, 30), date(2026, 1, 1), date(2026, 6, 30), {p.person_id: p for p in people},
                {"all": UnitAt("all", "All", None, None, "A")}, {p.person_id: p.name for p in people})  # fmt: skip
    seats = [(s.kind, s.role_id, s.unit_id) for s in leadership_seats(org)]
    assert seats == [("director", "A", "all"), ("director", "B", "all"), ("manager", "C", "all")]
