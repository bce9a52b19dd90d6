"""The ladder file: the built-in ladder, mistakes named file:line, `ingest ladder` with the
HR levels mapped (or refused naming the levels the ladder lacks), `ladder show`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quarterdeck.config.ladder_file import default_ladder, parse_ladder
from quarterdeck.core.errors import ConfigError
from tests.conftest import run_quarterdeck
from tests.ladder_files import LADDER, PEOPLE, warehouse_with_people
from tests.money_files import write
from tests.warehouse_rows import query


def test_the_built_in_ladder_has_two_tracks_and_a_next_level_for_all_but_the_top() -> None:
    ladder = default_ladder()
    assert [level.id for level in ladder.levels if level.track == "IC"] == ["IC1", "IC2", "IC3", "IC4", "IC5", "IC6"]
    assert [level.id for level in ladder.levels if level.track == "manager"] == ["M1", "M2", "M3", "M4", "M5"]
    assert ladder.next_level("IC3").id == "IC4" and ladder.next_level("IC6") is None
    assert ladder.next_level("M1").id == "M2"
    # every level expects something of at least two competencies
    assert all(len(ladder.expected_at(level.id)) >= 2 for level in ladder.levels)


def test_ladder_show_without_a_warehouse_lists_the_built_in_ladder(tmp_path: Path) -> None:
    result = run_quarterdeck("ladder", "show", "--format", "json", "--db", str(tmp_path / "none.duckdb"))
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["ladder"] == "Quarterdeck engineering ladder"
    # 6 + 11 + 5 + 11 + 8 + 5 expectations, counted in default_ladder.yaml by competency
    assert len(shown["rows"]) == 46
    first = shown["rows"][0]
    assert (first["level"], first["competency"], first["rating"], first["rating_word"]) == (
        "IC1", "Building software", 1, "emerging")  # fmt: skip


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("  4: strong\n", "  4: strong\n  five: top\n"), ":7: scale: 'five' is not a rating"),
        (("\"Leads a project.\", rating: 3}", "\"Leads a project.\", rating: 7}"),
         ":23: competency Delivery at IC3: 7: expected a rating of the scale: 1, 2, 3, 4"),
        (("      IC4: {expect: \"Grows", "      IC9: {expect: \"Grows"),
         ":29: competency Mentoring: level IC9 is not a level of the ladder's tracks"),
        (("hr_levels: {L3: IC2, L4: IC3}", "hr_levels: {L3: IC2, L4: IC7}"),
         ":13: hr_levels: L4 maps to IC7, not a level of the ladder"),
        (("  manager: [EM1]", "  manager: [IC2]"), ":12: level IC2 is given twice"),
        (("  - name: Mentoring", "  - name: craft"), ":26: competency 'craft' is given twice"),
        (("name: Test ladder", "name: Test ladder\nlevels: 3"), ":2: unknown key 'levels' in a ladder file"),
        (("      IC2: {expect: \"Plans a feature.\", rating: 2}", "      IC2: {expect: \"Plans a feature.\"}"),
         ":22: competency Delivery at IC2 lacks 'rating'"),
    ],
)  # fmt: skip
def test_a_mistake_in_a_ladder_file_names_its_line(change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in LADDER
    with pytest.raises(ConfigError) as error:
        parse_ladder(LADDER.replace(old, new, 1), "ladder.yaml")
    assert str(error.value).startswith("ladder.yaml" + expected), str(error.value)


def test_hr_levels_map_onto_the_ladder_and_default_to_the_same_id() -> None:
    ladder = parse_ladder(LADDER, "ladder.yaml")
    assert ladder.ladder_level("L4") == "IC3" and ladder.ladder_level("IC4") == "IC4"
    assert ladder.ladder_level("L9") is None


def test_ingest_ladder_stores_it_and_ladder_show_lists_it(tmp_path: Path) -> None:
    db = warehouse_with_people(tmp_path)
    ladder = write(tmp_path, "ladder.yaml", LADDER)
    result = run_quarterdeck("ingest", "ladder", str(ladder), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT slot, name, file FROM ladders") == [("current", "Test ladder", str(ladder))]
    shown = run_quarterdeck("ladder", "show", "--format", "csv", "--db", str(db))
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[:3] == [
        "track,level,title,competency,expectation,rating,rating_word",
        "IC,IC2,Engineer,Craft,Ships features alone.,2,growing",
        "IC,IC2,Engineer,Delivery,Plans a feature.,2,growing",
    ]
    assert len(shown.stdout.splitlines()) == 1 + 9
    again = run_quarterdeck("ingest", "ladder", str(ladder), "--db", str(db))
    assert again.returncode == 0 and query(db, "SELECT count(*) FROM ladders") == [(1,)]


def test_a_ladder_lacking_an_hr_level_is_refused_naming_the_level_and_who_holds_it(tmp_path: Path) -> None:
    db = warehouse_with_people(
        tmp_path, PEOPLE.replace("E4,Person 4,e4@example.com,Engineer,L3", "E4,Person 4,e4@example.com,Engineer,L9")
    )
    ladder = write(tmp_path, "ladder.yaml", LADDER)
    result = run_quarterdeck("ingest", "ladder", str(ladder), "--db", str(db))
    assert result.returncode == 1
    assert f"{ladder}: HR level(s) the ladder lacks: L9 (held by E4 in the people exports)" in result.stderr
    assert "nothing of it stored" in result.stderr and "Traceback" not in result.stderr
    assert query(db, "SELECT count(*) FROM ladders") == [(0,)]


def test_a_broken_ladder_file_is_refused_with_its_line_and_nothing_stored(tmp_path: Path) -> None:
    db = warehouse_with_people(tmp_path)
    ladder = write(tmp_path, "ladder.yaml", LADDER.replace("  3: solid\n", "  3: [solid\n"))
    result = run_quarterdeck("ingest", "ladder", str(ladder), "--db", str(db))
    assert result.returncode == 1
    assert f"{ladder}:" in result.stderr and "not valid YAML" in result.stderr and "Traceback" not in result.stderr
    assert query(db, "SELECT count(*) FROM ladders") == [(0,)]
