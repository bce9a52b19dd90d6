"""The talent gaps' promote option reads readiness from the career ladder when assessments
exist (docs/talent-gaps.md, docs/ladders.md), tenure otherwise. The plan, seats and
projection are test_talent_gaps.py's: IC3 A (14 months in level), B (5), G (2); one
promotion to IC4 closes the org's seniority gap in its first quarter."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from quarterdeck.planning.gap_options import Option
from quarterdeck.planning.gaps import talent_gaps
from quarterdeck.planning.gaps_data import load_inventory
from quarterdeck.planning.needs import Needs, SeniorityNeed, Where
from quarterdeck.store import open_warehouse
from tests.test_ladder_readiness import db  # noqa: F401  (the fixture: a warehouse with assessments)
from tests.test_talent_gaps import FILE, INVENTORY, PLAN, projection

NEED = Needs(seniority=(SeniorityNeed("org", "IC4", 0.5, None, Where(FILE, 9)),))
LADDER_NOTE = (
    "ready by the career ladder (estimated from the pace of rating gains; not assessed: after 12 months in level)"
)


def promote_option(ready_in: dict) -> tuple[Option, list[str]]:
    result = talent_gaps(PLAN, projection(), NEED, replace(INVENTORY, ready_in=ready_in))
    return result.gaps[0].options[1], result.notes


def test_an_assessed_person_ready_now_is_promoted_before_one_with_more_tenure() -> None:
    # by tenure A (14 months) would be first; by the ladder B is ready now, A in 8 months.
    promote, notes = promote_option({"A": 8.0, "B": 0.0, "G": None})
    # the raise is the same as A's: 155000 (median IC4 hire) - 110000 (B's seat at IC3).
    assert promote == Option("promote", 1, 0.0, 45000, "per year", 0, True, ("B",), f"from IC3, {LADDER_NOTE}")
    assert any(note.startswith("Promotion to the next level: when ready by the career ladder") for note in notes)


def test_an_assessed_person_without_an_estimate_is_no_candidate_and_the_unassessed_fall_back_to_tenure() -> None:
    # B assessed with no estimate: out. A ready in 8 months; G not assessed: 12 - 2 = 10 months.
    promote, _ = promote_option({"A": 8.0, "B": None})
    assert (promote.people, promote.months, promote.closes) == (("A",), 8.0, False)
    promote, _ = promote_option({"A": None, "B": None})
    assert (promote.people, promote.months) == (("G",), 10.0)


def test_without_assessments_the_option_is_tenure_only() -> None:
    promote, notes = promote_option({})
    assert promote.people == ("A",) and promote.note == "from IC3, after 12 months in level"
    assert any("readiness will come from the career ladders once assessments are imported" in n for n in notes)


def test_the_inventory_holds_each_assessed_persons_readiness_on_the_day_before_the_plan(db: Path) -> None:  # noqa: F811
    with open_warehouse(db, read_only=True) as warehouse:
        inventory = load_inventory(warehouse, date(2026, 10, 1))
    # as tests/test_ladder_readiness.py computes them on 2026-09-30: E3 never assessed and
    # E4 at the top of their track are absent; E6, E7, E8 have no pace.
    assert inventory.ready_in == {"E1": 5.9, "E2": 0.0, "E6": None, "E7": None, "E8": None}
    assert inventory.months_in_level["E2"] == pytest.approx(93 / 30.4375)
