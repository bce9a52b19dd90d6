"""Investment allocation end to end against the simulator's truth: a simulated year (10
engineers) ingested through the real CLI (org, git, the simulated GitHub and Jira, and the
simulation's own investment rules file). Per month and category, the organization's FTE
from investment_allocation equals truth/allocation.csv summed over people, which the
simulator works out from what it planned (src/quarterdeck/simulation/work_allocation.py),
not from the warehouse. The cost equals the truth's shares times each person-month's cost
as the people exports give it (days x annual_cost / 12 / days in the month, worked out here
from person_periods): the truth's own cost prices a raise from its day, which month-end
exports show only from the next export's date."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from datetime import date, timedelta

import pytest

from tests.conftest import run_quarterdeck
from tests.test_simulation_api import ENV, SINCE, UNTIL
from tests.test_simulation_api import synced as synced
from tests.warehouse_rows import query


@pytest.fixture(scope="module")
def allocation(synced):
    made, db, _ = synced
    rules = made.out / "finance" / "investment-rules.yaml"
    done = run_quarterdeck("ingest", "investment-rules", str(rules), "--db", str(db), env=ENV)
    assert done.returncode == 0, done.stderr
    shown = run_quarterdeck("metrics", "show", "investment_allocation", "--db", str(db), "--since", str(SINCE),
                            "--until", str(UNTIL), "--by", "org", "--format", "json", env=ENV)  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    return made, json.loads(shown.stdout)["rows"], person_month_costs(db)


def person_month_costs(db) -> dict[tuple[str, str], float]:
    """(month, person) -> the cost of the days employed that month, from person_periods."""
    costs: dict[tuple[str, str], float] = defaultdict(float)
    periods = query(db, "SELECT person_id, valid_from, valid_to, annual_cost FROM person_periods")
    day = SINCE
    while day <= UNTIL:
        following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        days_in_month = (following - date(day.year, day.month, 1)).days
        for person_id, valid_from, valid_to, annual_cost in periods:
            if valid_from <= day and (valid_to is None or day < valid_to) and annual_cost is not None:
                costs[(day.isoformat()[:7], person_id)] += float(annual_cost) / 12 / days_in_month
        day += timedelta(days=1)
    return costs


def test_fte_and_cost_per_month_and_category_are_the_simulator_s(allocation):
    made, rows, costs = allocation
    truth: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in csv.DictReader((made.out / "truth" / "allocation.csv").open(encoding="utf-8")):
        if SINCE.isoformat()[:7] <= row["month"] <= UNTIL.isoformat()[:7]:
            truth[(row["month"], row["category"])][0] += float(row["fte"])
            truth[(row["month"], row["category"])][1] += float(row["share"]) * costs[(row["month"], row["person_id"])]
    found = {(r["period_start"][:7], r["category"]): (r["fte"], r["cost"]) for r in rows}
    assert {k for k, (fte, _) in found.items() if fte} == {k for k, (fte, _) in truth.items() if round(fte, 4)}
    for key, (fte, cost) in truth.items():
        assert found[key][0] == pytest.approx(fte, abs=1e-3), key
        assert found[key][1] == pytest.approx(cost, abs=0.05), key
    assert len({c for _, c in truth}) >= 6  # every category of the rules, uncategorized and no recorded work
