"""The whole synthetic organization of tests/data/org imported (24 monthly exports, two org
files, the catalog and the identity mapping): the counts its README.md states, and every
row of every export found again in the history, checked by a plain reading of the CSVs."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import yaml

from tests.orgdata import LAST, ORG_DATA, all_snapshots, iso, org_yaml_for, rows

ONE_DAY = timedelta(days=1)


def readme_months() -> dict[date, dict[str, str]]:
    """The "Month by month" table of README.md, by snapshot date."""
    text = (ORG_DATA / "README.md").read_text()
    table = text[text.index("## Month by month") :]
    lines = [line for line in table.splitlines() if re.match(r"\| \d{4}-", line)]
    header = [h.strip() for h in table.splitlines()[2].strip("|").split("|")]
    months = {}
    for line in lines:
        cells = [c.strip() for c in line.strip("|").split("|")]
        months[date.fromisoformat(cells[0])] = dict(zip(header, cells, strict=True))
    return months


def readme_fact(pattern: str) -> int:
    match = re.search(pattern, (ORG_DATA / "README.md").read_text())
    assert match, pattern
    return int(match[1])


def test_rows_per_snapshot(org_warehouse: Path) -> None:
    months = readme_months()
    assert len(months) == 24
    got = dict(rows(org_warehouse, "SELECT as_of, count(*) FROM people_snapshots GROUP BY 1"))
    assert got == {day: int(m["rows"]) for day, m in months.items()}
    assert got == {day: len(people) for day, people in all_snapshots()}  # and what the CSVs hold


def test_people_leavers_and_hires(org_warehouse: Path) -> None:
    people = readme_fact(r"Distinct people over all snapshots: (\d+)")
    leavers = readme_fact(r"leavers: (\d+) \(")
    hires = readme_fact(r"hires \(start_date in the month of a snapshot, the first included\): (\d+)")
    assert (people, leavers, hires) == (381, 81, 141)
    assert rows(org_warehouse, "SELECT count(*) FROM people") == [(people,)]
    # leavers: spells that end by the last snapshot (some contractors have a planned end after it)
    ended = rows(org_warehouse, "SELECT count(*) FROM person_periods WHERE leaves AND valid_to <= ?", [LAST + ONE_DAY])
    assert ended == [(leavers,)]
    hired = rows(
        org_warehouse,
        "SELECT count(DISTINCT (person_id, start_date)) FROM person_periods WHERE start_date BETWEEN ? AND ?",
        [date(2024, 1, 1), LAST],
    )
    assert hired == [(hires,)]


def test_month_by_month(org_warehouse: Path) -> None:
    """For each snapshot date D: active (README: rows without an end_date on or before D) are
    the periods covering D other than a last day on D; hires, leavers (by regretted) in the
    month; promotions are level changes between two periods on D (from the second month:
    the first has no earlier snapshot to compare with)."""
    months = readme_months()
    periods = rows(
        org_warehouse,
        "SELECT person_id, valid_from, valid_to, level, leaves, regretted, start_date FROM person_periods "
        "ORDER BY person_id, valid_from",
    )
    by_person = defaultdict(list)
    for p in periods:
        by_person[p[0]].append(p)
    previous = date.min
    for day, month in months.items():
        active = [
            p for p in periods if p[1] <= day and (p[2] is None or p[2] > day) and not (p[4] and p[2] == day + ONE_DAY)
        ]
        left = [p for p in periods if p[4] and previous < p[2] - ONE_DAY <= day]
        hired = {(p[0], p[6]) for p in periods if (p[6].year, p[6].month) == (day.year, day.month)}
        promoted = sum(a[3] != b[3] for ps in by_person.values() for a, b in pairwise(ps) if a[2] == b[1] == day)
        regretted = f"{sum(p[5] is True for p in left)}/{sum(p[5] is False for p in left)}"
        got = (len(active), len(hired), len(left), regretted)
        assert got == (int(month["active"]), int(month["hires"]), int(month["leavers"]), month["regretted yes/no"]), day
        if previous != date.min:
            assert promoted == int(month["promotions"]), day
        previous = day


def test_active_at_first_and_last_date(org_warehouse: Path) -> None:
    first = readme_fact(r"246 in the first snapshot \((\d+) active")
    last = readme_fact(r"304 in the last \((\d+) active")
    count = (
        "SELECT count(*) FROM person_periods WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) "
        "AND NOT (leaves AND valid_to = ? + 1)"
    )
    assert rows(org_warehouse, count, [date(2024, 1, 31)] * 3) == [(first,)] == [(242,)]
    assert rows(org_warehouse, count, [LAST] * 3) == [(last,)] == [(300,)]


def members(day: date) -> dict[str, str]:
    """Person id -> team from the members: lists of the org file in force on ``day``."""
    org = yaml.safe_load(org_yaml_for(day).read_text())
    return {m: t["id"] for t in org["teams"] for m in t.get("members", [])}


def test_every_export_row_is_in_the_history(org_warehouse: Path) -> None:
    """Independent of Quarterdeck's code: for each row of each export, the period covering
    its date (or the leaver's end date) has the row's team, manager, title, level, role,
    location, employment type and cost. A leaver listed after leaving keeps the attributes
    of the export before (docs/org-inputs.md: the attributes of that snapshot start on its
    date, after they left)."""
    periods = defaultdict(list)
    for p in rows(
        org_warehouse,
        "SELECT person_id, valid_from, valid_to, team_id, manager_id, title, level, role, location, "
        "employment_type, annual_cost FROM person_periods",
    ):
        periods[p[0]].append(p)
    fields = ("team", "manager_id", "title", "level", "role", "location", "employment_type", "annual_cost")
    seen: dict[str, tuple] = {}
    checked = 0
    for day, people in all_snapshots():
        on_team = members(day)
        for row in people:
            attributes = tuple(row[f] or None for f in fields)
            cost = Decimal(row["annual_cost"]) if row["annual_cost"] else None
            attributes = (attributes[0] or on_team.get(row["id"]), *attributes[1:7], cost)
            end = iso(row["end_date"])
            when = min(day, end) if end else day
            if end and end < day and row["id"] in seen:
                attributes = seen[row["id"]]
            covering = [p for p in periods[row["id"]] if p[1] <= when and (p[2] is None or p[2] > when)]
            assert [p[3:] for p in covering] == [attributes], (day, row["id"])
            seen[row["id"]] = attributes
            checked += 1
    assert checked == 6585  # the sum of README's rows column
