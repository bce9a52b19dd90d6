"""Successive people snapshots into history: person_periods with valid_from (inclusive) and
valid_to (exclusive), whatever the order the snapshots are imported in, and without
doubling anything when a snapshot is imported again."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.orgdata import (
    HEADER,
    ORG_DATA,
    TODAY,
    derived_rows,
    import_each,
    import_files,
    people_csv,
    people_files,
    periods,
    rows,
    snapshot_date,
    table_rows,
    write,
)

ORG_YAML = """\
teams:
  - id: eng
    manager: P1
  - id: payments
    parent: eng
    manager: P2
  - id: checkout
    parent: eng
    manager: P3
"""
D1, D2, D3, D4 = date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)


def person(pid: str, team: str, manager: str, level: str = "IC2", cost: str = "100000", start: str = "2020-01-06",
           end: str = "", regretted: str = "") -> str:  # fmt: skip
    return (
        f"{pid},Person {pid},{pid.lower()}@example.com,,Engineer {level},{level},engineer,{manager},{team},"
        f"Berlin,full-time,{start},{end},{cost},{regretted},"
    )


LEADS = [person("P1", "eng", ""), person("P2", "payments", "P1"), person("P3", "checkout", "P1")]
#: Four monthly snapshots, one change each for the people P4..P13 (see the test below).
SNAPSHOTS = {
    D1: [
        *LEADS,
        person("P4", "payments", "P2"),
        person("P5", "checkout", "P3"),
        person("P6", "payments", "P2"),
        person("P7", "payments", "P2"),
        person("P8", "payments", "P2"),
        person("P9", "payments", "P2"),
        person("P10", "checkout", "P3", start="2022-01-10"),
        person("P13", "checkout", "P3", start=""),
    ],
    D2: [
        *LEADS,
        person("P4", "checkout", "P2"),  # transfer
        person("P5", "checkout", "P3"),
        person("P6", "payments", "P2", level="IC3"),  # promotion
        person("P7", "payments", "P2"),
        person("P8", "payments", "P2"),
        person("P9", "payments", "P2"),
        person("P10", "checkout", "P3", start="2022-01-10", end="2024-02-10"),  # leaves
        person("P13", "checkout", "P3", start=""),
    ],
    D3: [
        *LEADS,
        person("P4", "checkout", "P2"),
        person("P5", "checkout", "P1"),  # manager change
        person("P6", "payments", "P2", level="IC3"),
        person("P7", "payments", "P2"),
        person("P8", "payments", "P2", end="2024-03-15", regretted="yes"),  # leaves, regretted
        # P9 is silently dropped: no row, no end date
        person("P11", "payments", "P2", start="2024-03-04"),  # hired
        person("P12", "payments", "P2", start="2024-04-08"),  # listed before the first day
        person("P13", "checkout", "P3", start=""),
    ],
    D4: [
        *LEADS,
        person("P4", "checkout", "P2"),
        person("P5", "checkout", "P1"),
        person("P6", "payments", "P2", level="IC3"),
        person("P7", "payments", "P2", cost="105000"),  # raise
        person("P10", "payments", "P2", start="2024-04-15"),  # rehired, on another team
        person("P11", "payments", "P2", start="2024-03-04"),
        person("P12", "payments", "P2", start="2024-04-08"),
        person("P13", "checkout", "P3", start=""),
    ],
}


def snapshot_files(folder: Path) -> list[Path]:
    return [people_csv(folder, f"people-{day}.csv", *lines) for day, lines in SNAPSHOTS.items()]


@pytest.fixture
def history(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    org = write(tmp_path, "org.yaml", ORG_YAML)
    files = snapshot_files(tmp_path)
    import_each(db, [[files[0], org], *([f] for f in files[1:])])
    return db


START = date(2020, 1, 6)
K = Decimal("100000.00")


def test_each_change_starts_a_period_on_the_snapshot_date(history: Path) -> None:
    # (person, valid_from, valid_to, team, manager, level, cost, leaves, end_inferred)
    assert periods(history, "P4") == [
        ("P4", START, D2, "payments", "P2", "IC2", K, False, False),
        ("P4", D2, None, "checkout", "P2", "IC2", K, False, False),
    ]
    assert periods(history, "P5") == [
        ("P5", START, D3, "checkout", "P3", "IC2", K, False, False),
        ("P5", D3, None, "checkout", "P1", "IC2", K, False, False),
    ]
    assert periods(history, "P6") == [
        ("P6", START, D2, "payments", "P2", "IC2", K, False, False),
        ("P6", D2, None, "payments", "P2", "IC3", K, False, False),
    ]
    assert periods(history, "P7") == [
        ("P7", START, D4, "payments", "P2", "IC2", K, False, False),
        ("P7", D4, None, "payments", "P2", "IC2", Decimal("105000.00"), False, False),
    ]
    # unchanged in four snapshots: one period, from the start date
    assert periods(history, "P1") == [("P1", START, None, "eng", None, "IC2", K, False, False)]


def test_leavers_keep_their_history(history: Path) -> None:
    # an end date: employed through it, so valid_to is the day after; regretted is kept
    assert periods(history, "P8") == [("P8", START, date(2024, 3, 16), "payments", "P2", "IC2", K, True, False)]
    assert rows(history, "SELECT regretted FROM person_periods WHERE person_id = 'P8'") == [(True,)]
    # dropped without an end date: gone from the first snapshot without them, end inferred
    assert periods(history, "P9") == [("P9", START, D3, "payments", "P2", "IC2", K, True, True)]
    assert rows(
        history, "SELECT person_id, first_seen, last_seen FROM people WHERE person_id IN ('P8', 'P9') ORDER BY 1"
    ) == [
        ("P8", D1, D3),
        ("P9", D1, D2),
    ]


def test_a_rehire_is_a_second_spell(history: Path) -> None:
    assert periods(history, "P10") == [
        ("P10", date(2022, 1, 10), date(2024, 2, 11), "checkout", "P3", "IC2", K, True, False),
        ("P10", date(2024, 4, 15), None, "payments", "P2", "IC2", K, False, False),
    ]
    assert rows(history, "SELECT start_date FROM person_periods WHERE person_id = 'P10' ORDER BY valid_from") == [
        (date(2022, 1, 10),),
        (date(2024, 4, 15),),
    ]


def test_a_rehire_listed_with_the_first_hires_start_date(tmp_path: Path) -> None:
    """Some HR systems keep the original start date on a rehire. The second spell must not
    reach back over the first one (which would count the person twice in 2022-2024): it
    starts on the first snapshot that lists them again, D4."""
    snapshots = {day: list(lines) for day, lines in SNAPSHOTS.items()}
    snapshots[D4] = [
        person("P10", "payments", "P2", start="2022-01-10") if line.startswith("P10,") else line
        for line in snapshots[D4]
    ]
    files = [people_csv(tmp_path, f"people-{day}.csv", *lines) for day, lines in snapshots.items()]
    db = tmp_path / "stale-start.duckdb"
    import_each(db, [[files[0], write(tmp_path, "org.yaml", ORG_YAML)], *([f] for f in files[1:])])
    assert periods(db, "P10") == [
        ("P10", date(2022, 1, 10), date(2024, 2, 11), "checkout", "P3", "IC2", K, True, False),
        ("P10", D4, None, "payments", "P2", "IC2", K, False, False),
    ]
    assert rows(db, "SELECT start_date FROM person_periods WHERE person_id = 'P10' ORDER BY valid_from") == [
        (date(2022, 1, 10),),
        (D4,),
    ]


def test_first_day_of_hires_and_of_people_without_a_start_date(history: Path) -> None:
    assert periods(history, "P11")[0][1:3] == (date(2024, 3, 4), None)  # hired between two snapshots
    assert periods(history, "P12")[0][1:3] == (date(2024, 4, 8), None)  # listed before the first day
    assert periods(history, "P13")[0][1:3] == (D1, None)  # no start date: from the first snapshot


def test_headcount_on_each_date_from_the_periods(history: Path) -> None:
    """Counted by hand from SNAPSHOTS. D1: P1-P10 and P13 = 11 (P11, P12 not hired yet).
    D2: P10 left on 2024-02-10 -> 10. D3: P8 left on 03-15, P9 is gone, P10 still out, P11
    hired on 03-04, P12 starts only on 04-08 -> P1-P7, P11, P13 = 9. D4: P10 back on 04-15,
    P12 started -> 9 + 2 = 11."""
    count = "SELECT count(*) FROM person_periods WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)"
    assert [rows(history, count, [d, d])[0][0] for d in (D1, D2, D3, D4)] == [11, 10, 9, 11]


def test_import_order_does_not_matter(history: Path, tmp_path: Path) -> None:
    """The four snapshots imported newest first, the org file with the last of them."""
    files = snapshot_files(tmp_path)
    db = tmp_path / "reversed.duckdb"
    import_each(db, [[files[3]], [files[2]], [files[1]], [files[0], tmp_path / "org.yaml"]])
    assert derived_rows(db) == derived_rows(history)


def test_importing_the_same_snapshot_again_changes_nothing(history: Path, tmp_path: Path) -> None:
    before = derived_rows(history)
    counts = rows(history, "SELECT as_of, count(*) FROM people_snapshots GROUP BY 1 ORDER BY 1")
    import_files(history, [tmp_path / "people-2024-03-31.csv"])
    import_files(history, [tmp_path / "people-2024-03-31.csv", tmp_path / "org.yaml"])
    assert derived_rows(history) == before
    assert rows(history, "SELECT as_of, count(*) FROM people_snapshots GROUP BY 1 ORDER BY 1") == counts
    assert counts == [(D1, 11), (D2, 11), (D3, 11), (D4, 11)]


def test_a_corrected_snapshot_replaces_the_old_one(history: Path, tmp_path: Path) -> None:
    """Re-importing a date with other content rewrites history from it: P4 moved a month later."""
    lines = [person("P4", "payments", "P2") if line.startswith("P4,") else line for line in SNAPSHOTS[D2]]
    import_files(history, [people_csv(tmp_path / "fixed", "people-2024-02-29.csv", *lines)])
    assert periods(history, "P4") == [
        ("P4", START, D3, "payments", "P2", "IC2", K, False, False),
        ("P4", D3, None, "checkout", "P2", "IC2", K, False, False),
    ]


def test_monthly_real_exports_in_and_out_of_order(tmp_path: Path) -> None:
    """Three months of tests/data/org imported one by one, 2024-03 after 2024-05, give the
    tables of the same months imported in order; importing an export again changes nothing."""
    march, april, may = people_files()[2:5]
    assert [snapshot_date(f) for f in (march, april, may)] == [D3, D4, date(2024, 5, 31)]
    org = ORG_DATA / "org-2024-01-31.yaml"
    in_order, shuffled = tmp_path / "in-order.duckdb", tmp_path / "shuffled.duckdb"
    import_each(in_order, [[march, org], [april, org], [may, org]])
    import_each(shuffled, [[april, org], [may, org], [march, org]])
    assert derived_rows(shuffled) == derived_rows(in_order)
    snapshots = ("people_snapshots", "team_snapshots", "service_snapshots")
    before = table_rows(in_order, snapshots)
    import_files(in_order, [april, org])
    assert derived_rows(in_order) == derived_rows(shuffled)
    after = table_rows(in_order, snapshots)
    assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
    assert rows(in_order, "SELECT count(*) FROM people_snapshots") == [(251 + 252 + 255,)]  # README's rows


def test_one_file_with_a_snapshot_date_column(history: Path, tmp_path: Path) -> None:
    """The four snapshots in one file, each row with its snapshot_date: the same history."""
    lines = [f"{line},{day}" for day, people in SNAPSHOTS.items() for line in people]
    all_in_one = write(tmp_path, "export.csv", "\n".join([f"{HEADER},snapshot_date", *lines]) + "\n")
    db = tmp_path / "one-file.duckdb"
    report = import_files(db, [all_in_one, tmp_path / "org.yaml"])
    # the org file has no date and the people file none in its name: the org file is of today,
    # and as the only team definition it holds back to the first snapshot
    assert [(f.kind, f.dates, f.rows) for f in report.files] == [("people", [D1, D2, D3, D4], 44), ("org", [TODAY], 3)]
    assert derived_rows(db) == derived_rows(history)
