"""``quarterdeck hiring``: the hiring figures of tests/hiring_golden.py, each worked out by hand
from its lines (the days and the interpolated 90th percentiles written out below), through
the real CLI on a real warehouse."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_quarterdeck
from tests.hiring_golden import hiring_warehouse
from tests.money_files import warehouse_with_org

WINDOW = ("--since", "2026-01-01", "--until", "2026-03-31")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hiring_warehouse(tmp_path_factory.mktemp("hiring"))


def report(db: Path, *args: str) -> dict[str, Any]:
    done = run_quarterdeck("hiring", *args, "--format", "json", "--db", str(db))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_time_to_fill_runs_from_the_positions_opening_to_the_hire(db: Path) -> None:
    # REQ-A 2026-01-01 -> a1 hired 02-10: 40 days; REQ-C 01-15 -> c1 hired 03-01: 45 days.
    # median 42.5; P90 at rank 0.9 of (40, 45): 40 + 0.9 * 5 = 44.5.
    assert report(db, *WINDOW)["time_to_fill"] == [{"group": "org", "filled": 2, "median_days": 42.5, "p90_days": 44.5}]
    by_level = report(db, *WINDOW, "--by", "level")["time_to_fill"]
    assert by_level == [
        {"group": "L4", "filled": 1, "median_days": 40.0, "p90_days": 40.0},
        {"group": "L5", "filled": 1, "median_days": 45.0, "p90_days": 45.0},
    ]
    by_source = report(db, *WINDOW, "--by", "source")["time_to_fill"]  # the hired candidate's source
    assert [(r["group"], r["median_days"]) for r in by_source] == [("inbound", 45.0), ("referral", 40.0)]


def test_time_in_stage_counts_the_candidates_who_moved_on(db: Path) -> None:
    # applied: a1 5, a2 8, b1 5, b3 4, c1 10, d1 10 -> 4 5 5 8 10 10: median 6.5, P90 at 4.5: 10
    # screen: a1 10, a2 12, b1 10, c1 11 -> 10 10 11 12: median 10.5, P90 at 2.7: 11 + 0.7 = 11.7
    # interview: a1 11, a2 7, c1 10 -> 7 10 11: median 10, P90 at 1.8: 10 + 0.8 = 10.8
    # offer: a1 5, c1 9: median 7, P90 at 0.9: 5 + 0.9 * 4 = 8.6
    rows = [(r["stage"], r["candidates"], r["median_days"], round(r["p90_days"], 6))
            for r in report(db, *WINDOW)["time_in_stage"]]  # fmt: skip
    assert rows == [("applied", 6, 6.5, 10.0), ("screen", 4, 10.5, 11.7), ("interview", 3, 10.0, 10.8),
                    ("offer", 2, 7.0, 8.6)]  # fmt: skip


def test_conversion_is_the_share_of_decided_candidates_who_reached_a_later_stage(db: Path) -> None:
    # applied: 8 reached, b2 undecided, a3 rejected: 6 of 7; screen: 5 reached, b3 withdrew: 4 of 5;
    # interview: 4 reached, b1 undecided: 3 of 3; offer: 4 reached, d1 undecided, a2 declined: 2 of 3.
    rows = [(r["stage"], r["reached"], r["decided"], r["moved_on"], round(r["conversion"], 6))
            for r in report(db, *WINDOW)["conversion"]]  # fmt: skip
    assert rows == [("applied", 8, 7, 6, round(6 / 7, 6)), ("screen", 5, 5, 4, 0.8), ("interview", 4, 3, 3, 1.0),
                    ("offer", 4, 3, 2, round(2 / 3, 6))]  # fmt: skip


def test_offer_acceptance_counts_decided_offers(db: Path) -> None:
    # offers a1, a2, c1, d1 (d1 undecided): 2 accepted of 3 decided, a2 declined.
    row = report(db, *WINDOW)["offer_acceptance"][0]
    assert (row["offers"], row["decided"], row["accepted"], row["declined"]) == (4, 3, 2, 1)
    assert row["acceptance"] == pytest.approx(2 / 3)


def test_the_pipeline_on_the_last_day_counts_open_requisitions_and_where_their_candidates_are(db: Path) -> None:
    # On 03-31: REQ-A and REQ-C are filled; REQ-B (b1 interview, b2 applied) and REQ-D (d1 offer) are open.
    found = report(db, *WINDOW, "--by", "team")
    assert found["pipeline"] == [
        {"group": "(no position)", "open_positions": 1, "applied": 0, "screen": 0, "interview": 0, "offer": 1,
         "candidates": 1, "per_position": 1.0},
        {"group": "payments", "open_positions": 1, "applied": 1, "screen": 0, "interview": 1, "offer": 0,
         "candidates": 2, "per_position": 2.0},
    ]  # fmt: skip
    # REQ-B opened 02-01: 28 + 30 days; REQ-D's first candidate 02-15: 14 + 30 days.
    assert [(r["requisition"], r["team"], r["level"], r["opened"], r["days_open"], r["candidates"])
            for r in found["requisitions"]] == [
        ("REQ-D", "(no position)", "(no position)", "2026-02-15", 44, 1),
        ("REQ-B", "payments", "L5", "2026-02-01", 58, 2),
    ]  # fmt: skip


def test_the_pipeline_on_an_earlier_day_counts_positions_filled_later_as_open(db: Path) -> None:
    # On 02-09: REQ-A (a1 offer; a2's offer line, declined, is dated 02-08), REQ-B (b1, b2 applied;
    # b3 withdrew) and REQ-C (c1 screen) are open; REQ-D has not opened.
    rows = report(db, "--since", "2026-01-01", "--until", "2026-02-09", "--by", "team")["pipeline"]
    assert [(r["group"], r["open_positions"], r["applied"], r["screen"], r["offer"], r["per_position"])
            for r in rows] == [("payments", 1, 2, 0, 0, 2.0), ("platform", 2, 0, 1, 1, 1.0)]  # fmt: skip


def test_csv_gives_one_table_and_asks_for_it(db: Path) -> None:
    done = run_quarterdeck("hiring", *WINDOW, "--show", "offer_acceptance", "--format", "csv", "--db", str(db))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["group"], r["offers"], r["accepted"]) for r in rows] == [("org", "4", "2")]
    refused = run_quarterdeck("hiring", "--format", "csv", "--db", str(db))
    assert refused.returncode != 0 and "choose it with --show" in refused.stderr


def test_the_table_names_each_figure_and_the_window(db: Path) -> None:
    done = run_quarterdeck("hiring", *WINDOW, "--db", str(db))
    assert done.returncode == 0, done.stderr
    for title in ("Time to fill, 2026-01-01 .. 2026-03-31", "Offer acceptance", "Pipeline per open position, on"):
        assert title in done.stdout


def test_without_hiring_data_it_says_what_to_import(tmp_path: Path) -> None:
    done = run_quarterdeck("hiring", "--db", str(warehouse_with_org(tmp_path)))
    assert done.returncode == 1
    assert "no hiring data stored yet: quarterdeck ingest hiring FILE" in done.stderr and "Traceback" not in done.stderr


def test_since_after_until_is_a_clear_error(db: Path) -> None:
    done = run_quarterdeck("hiring", "--since", "2026-05-01", "--until", "2026-03-31", "--db", str(db))
    assert done.returncode == 1 and "since 2026-05-01 is after until 2026-03-31" in done.stderr
