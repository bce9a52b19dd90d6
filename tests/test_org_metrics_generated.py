"""The organization metrics on the generated organization of tests/data/org (300 people,
24 monthly exports), against an independent reading of the CSV and YAML files in plain
Python, and against the facts tests/data/org/README.md states.

The independent reading follows the rules of docs/org-inputs.md: a person's row in an
export describes them from that export's date on; someone is employed from their
start_date to their end_date (both included); someone who drops out of the exports
without an end_date left the day before the first export without them; a new hire first
listed after their start_date is employed from the start_date.
"""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.orgdata import ORG_DATA, all_snapshots, iso
from tests.orgmetrics import metric

FIRST, REORG, LAST = date(2024, 1, 31), date(2025, 1, 31), date(2025, 12, 31)
SERIES = {"since": date(2024, 1, 1), "until": LAST}  # the 24 month ends


class Exports:
    """Who was employed on a day, read from the people exports: each person's spells of
    employment (runs of consecutive exports listing them, ended by an end_date), from the
    start_date to the end_date given by any row of the spell, or to the day before the
    first export without them; on a day, the latest row of the spell describes them."""

    def __init__(self) -> None:
        self.snapshots = all_snapshots()
        self.dates = [d for d, _ in self.snapshots]
        following = dict(zip(self.dates, [*self.dates[1:], None], strict=True))
        listed: dict[str, list[tuple[date, dict[str, str]]]] = {}
        for day, rows in self.snapshots:
            for row in rows:
                listed.setdefault(row["id"], []).append((day, row))
        # person -> [(first day, last day or None, [(export date, row), ...])]
        self.spells: dict[str, list[tuple[date, date | None, list[tuple[date, dict[str, str]]]]]] = {}
        for person, rows in listed.items():
            runs: list[list[tuple[date, dict[str, str]]]] = []
            for day, row in rows:
                last = runs[-1][-1] if runs else None
                if last and following[last[0]] == day and not (last[1]["end_date"] and iso(last[1]["end_date"]) < day):
                    runs[-1].append((day, row))
                else:
                    runs.append([(day, row)])
            for run in runs:
                first, (last_day, last_row) = run[0][1], run[-1]
                if last_row["end_date"]:
                    end = iso(last_row["end_date"])
                else:
                    gone = following[last_day]
                    end = gone - timedelta(days=1) if gone else None
                self.spells.setdefault(person, []).append((iso(first["start_date"]), end, run))

    def row_on(self, person: str, day: date) -> dict[str, str] | None:
        """The row that describes the person on ``day``, or None when not employed then."""
        for start, end, run in self.spells[person]:
            if start <= day and (end is None or day <= end):
                earlier = [row for as_of, row in run if as_of <= day]
                return earlier[-1] if earlier else run[0][1]
        return None

    def employed(self, day: date) -> dict[str, dict[str, str]]:
        found = {p: self.row_on(p, day) for p in self.spells}
        return {p: row for p, row in found.items() if row is not None}


class OrgFile:
    """The org YAML file in force on a date: parents, and members for people without a team."""

    def __init__(self, day: date) -> None:
        name = "org-2024-01-31.yaml" if day < REORG else "org-2025-01-31.yaml"
        teams = yaml.safe_load((ORG_DATA / name).read_text(encoding="utf-8"))["teams"]
        self.parent = {t["id"]: t.get("parent") for t in teams}
        for team in teams:
            for child in team.get("children", []):
                self.parent[child] = team["id"]
        self.member_of = {m: t["id"] for t in teams for m in t.get("members", [])}

    def team(self, person: str, row: dict[str, str]) -> str | None:
        return row["team"] or self.member_of.get(person)

    def units(self, team: str) -> list[str]:
        chain = [team]
        while self.parent.get(chain[-1]):
            chain.append(self.parent[chain[-1]])
        return chain

    def is_leaf(self, team: str) -> bool:
        return team not in self.parent.values()


@pytest.fixture(scope="module")
def exports() -> Exports:
    return Exports()


def month_ends() -> list[date]:
    return [d for d, _ in all_snapshots()]


def series(db: Path, name: str, **query: Any) -> dict[date, dict[str, dict[str, Any]]]:
    """A metric over the 24 month ends: date -> group -> row."""
    found: dict[date, dict[str, dict[str, Any]]] = {}
    for row in metric(db, name, **SERIES, **query):
        found.setdefault(row["date"], {})[row["group"]] = row
    return found


def test_headcount_by_team_and_by_unit_every_month(org_warehouse: Path, exports: Exports) -> None:
    by_team = series(org_warehouse, "headcount", by="team")
    by_unit = series(org_warehouse, "headcount", by="unit")
    assert sorted(by_team) == month_ends()
    for day in month_ends():
        org = OrgFile(day)
        teams = Counter(org.team(p, r) or "(no team)" for p, r in exports.employed(day).items())
        units: Counter[str] = Counter()
        for team, people in teams.items():
            for unit in org.units(team) if team != "(no team)" else [team]:
                units[unit] += people
        assert {g: r["headcount"] for g, r in by_team[day].items()} == dict(teams), day
        assert {g: r["headcount"] for g, r in by_unit[day].items()} == dict(units), day
    # the last export has 304 rows, 4 of whom left on or before 2025-12-31: README's 300
    # active; E00281's last day is 2025-12-31 itself, so 301 people are employed that day
    assert sum(by_team[LAST][g]["headcount"] for g in by_team[LAST]) == 301
    assert exports.row_on("E00281", LAST)["end_date"] == "2025-12-31"


def spans(exports: Exports, day: date) -> dict[str, int]:
    employed = exports.employed(day)
    return dict(Counter(r["manager_id"] for r in employed.values() if r["manager_id"] in employed))


def test_span_of_control_every_month(org_warehouse: Path, exports: Exports) -> None:
    measured = series(org_warehouse, "span_of_control")
    for day in month_ends():
        found = sorted(spans(exports, day).values())
        row = measured[day]["organization"]
        assert row["managers"] == len(found)
        assert row["direct_reports"] == sum(found)
        assert row["median_span"] == statistics.median(found)
        assert row["mean_span"] == round(sum(found) / len(found), 2)
        assert row["share_below_4"] == round(sum(s < 4 for s in found) / len(found), 4)
        assert row["share_above_8"] == round(sum(s > 8 for s in found) / len(found), 4)
        buckets = (
            sum(s == 1 for s in found),
            sum(2 <= s <= 3 for s in found),
            sum(4 <= s <= 8 for s in found),
            sum(9 <= s <= 12 for s in found),
            sum(s >= 13 for s in found),
        )
        assert buckets == tuple(
            row[c] for c in ("span_1", "span_2_to_3", "span_4_to_8", "span_9_to_12", "span_13_plus")
        )


def export_rows(day: date) -> list[dict[str, str]]:
    return dict(all_snapshots())[day]


def left_by(day: date, row: dict[str, str]) -> bool:
    """A row of the export whose end_date is on or before its date (README leaves it in)."""
    return bool(row["end_date"]) and iso(row["end_date"]) < day


@pytest.mark.parametrize(
    ("day", "readme"),
    [
        (
            FIRST,
            # managers with 1-3 reports, then with 10 or more (README)
            {"E00014": 2, "E00028": 3, "E00042": 3, "E00048": 3, "E00058": 3, "E00072": 3, "E00075": 2}
            | {"E00105": 1, "E00112": 3, "E00025": 11, "E00071": 12, "E00108": 12, "E00171": 12},
        ),
        (
            LAST,
            {"E00014": 2, "E00042": 3, "E00072": 3, "E00075": 2, "E00105": 1, "E00112": 3}
            | {"E00025": 10, "E00066": 11, "E00071": 13, "E00108": 12, "E00171": 12},
        ),
    ],
)
def test_spans_named_in_the_readme(exports: Exports, day: date, readme: dict[str, int]) -> None:
    # README counts the rows of an export, leavers of that month included; the metrics
    # count the people employed on the date, so a manager's span there is README's count
    # less the rows of people who had left by then
    rows = export_rows(day)
    listed = Counter(r["manager_id"] for r in rows)
    assert {m: listed[m] for m in readme} == readme
    gone = Counter(r["manager_id"] for r in rows if left_by(day, r))
    employed = spans(exports, day)
    assert {m: employed.get(m, 0) for m in readme} == {m: n - gone[m] for m, n in readme.items()}


def layers(exports: Exports, day: date) -> dict[str, int]:
    employed = exports.employed(day)
    found: dict[str, int] = {}

    def layer(person: str) -> int:
        if person not in found:
            manager = employed[person]["manager_id"]
            found[person] = 1 + layer(manager) if manager in employed else 1
        return found[person]

    for person in employed:
        layer(person)
    return found


@pytest.mark.parametrize("day", [FIRST, REORG, LAST])
def test_layers_and_the_deepest_chain(org_warehouse: Path, exports: Exports, day: date) -> None:
    found = layers(exports, day)
    deepest = max(found.values())
    per_layer = Counter(found.values())
    row = metric(org_warehouse, "layers", at=day)[0]
    assert row["max_layers"] == deepest == 7  # README: 7 layers at the first and the last export
    assert row["people_per_layer"] == [per_layer[n] for n in range(1, deepest + 1)]
    # README: E00005 > E00007 > E00112 > E00105 > E00042 > E00075 > E00173
    employed = exports.employed(day)
    chain = ["E00173"]
    while employed[chain[-1]]["manager_id"]:
        chain.append(employed[chain[-1]]["manager_id"])
    assert chain[::-1] == ["E00005", "E00007", "E00112", "E00105", "E00042", "E00075", "E00173"]
    assert found["E00173"] == 7


@pytest.mark.parametrize(
    ("day", "one_person", "above_9"),
    [
        (FIRST, {"retention", "streaming"}, {"data-quality": 13, "payments": 13}),
        (LAST, {"retention", "streaming"}, {"accessibility": 12, "data-quality": 13, "payments": 13}),
    ],
)
def test_team_sizes_of_the_readme(
    org_warehouse: Path, exports: Exports, day: date, one_person: set[str], above_9: dict[str, int]
) -> None:
    org = OrgFile(day)
    sizes = Counter(org.team(p, r) for p, r in exports.employed(day).items())
    leaf_sizes = {t: n for t, n in sizes.items() if t and org.is_leaf(t)}
    rows = {r["group"]: r for r in metric(org_warehouse, "team_size", at=day) if r["teams"]}
    assert {t: r["headcount"] for t, r in rows.items()} == leaf_sizes
    whole = metric(org_warehouse, "team_size", at=day, by="org")[0]
    assert whole["teams"] == len(leaf_sizes)
    assert whole["median_team_size"] == statistics.median(leaf_sizes.values())
    # README counts the export's rows, leavers of that month included
    listed = Counter(org.team(r["id"], r) for r in export_rows(day))
    gone = Counter(org.team(r["id"], r) for r in export_rows(day) if left_by(day, r))
    assert {t for t, n in listed.items() if n == 1 and t in leaf_sizes} == one_person
    assert {t: n for t, n in listed.items() if n > 9 and t in leaf_sizes} == above_9
    assert {t for t, r in rows.items() if r["headcount"] == 1} == one_person
    assert {t: r["headcount"] for t, r in rows.items() if r["band"] == "above 9"} == {
        t: n - gone[t] for t, n in above_9.items()
    }


def test_attrition_over_2025(org_warehouse: Path, exports: Exports) -> None:
    days = [date(2025, 1, 1) + timedelta(days=n) for n in range(365)]
    employed = [exports.employed(day) for day in days]
    person_days = sum(len(e) for e in employed)
    people = set().union(*employed)
    # a leaver: a spell whose last day is in 2025; whether regretted: its last row says
    leavers = [
        run[-1][1]
        for spells in exports.spells.values()
        for _, end, run in spells
        if end is not None and date(2025, 1, 1) <= end <= LAST
    ]
    regret = Counter(r["regretted"] for r in leavers)
    row = metric(org_warehouse, "attrition_rate", at=LAST)[0]
    assert (row["window_start"], row["days"]) == (date(2025, 1, 1), 365)
    assert row["people"] == len(people)
    assert row["person_days"] == person_days
    assert row["leavers"] == len(leavers) == 42  # README: 5 + 6 + 4 + 2 + 3 + 3 + 4 + 2 + 2 + 4 + 3 + 4
    assert (row["regretted_leavers"], row["non_regretted_leavers"]) == (regret["yes"], regret["no"]) == (6, 12)
    assert row["unknown_regret_leavers"] == regret[""]
    assert row["leavers_end_inferred"] == sum(not r["end_date"] for r in leavers)
    assert row["attrition_rate"] == round(len(leavers) * 365 / person_days, 4)
    assert row["average_headcount"] == round(person_days / 365, 2)


def months(start: date, day: date) -> int:
    count = (day.year - start.year) * 12 + day.month - start.month
    return count - 1 if day.day < start.day and not _last_day(day) else count


def _last_day(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


@pytest.mark.parametrize("day", [FIRST, LAST])
def test_people_metrics_for_the_whole_organization(org_warehouse: Path, exports: Exports, day: date) -> None:
    employed = exports.employed(day).values()
    tenure = sorted(months(iso(r["start_date"]), day) for r in employed)
    row = metric(org_warehouse, "tenure", at=day)[0]
    assert row["median_tenure_months"] == statistics.median(tenure)
    assert row["under_6_months"] == sum(t < 6 for t in tenure)
    assert row["years_4_plus"] == sum(t >= 48 for t in tenure)
    assert metric(org_warehouse, "new_hire_share", at=day)[0]["new_hires"] == row["under_6_months"]
    levels = Counter(r["level"] or "(no level)" for r in employed)
    mix = {r["level"]: r["people"] for r in metric(org_warehouse, "seniority_mix", at=day)}
    assert mix == dict(levels)
    cost = metric(org_warehouse, "cost", at=day)[0]
    assert cost["annual_cost"] == sum(int(r["annual_cost"]) for r in employed if r["annual_cost"])
