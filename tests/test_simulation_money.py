"""The simulated organization's money files — budget, software contracts, company figures —
imported with the real `quarterdeck ingest budget/tools/finance` after its HR and org files,
and what the warehouse then holds against the simulator's truth; the expected values are
worked out here again from the simulated world where they can be (people costs prorated by
day, seats in use), and from the stored figures with the business formulas."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from quarterdeck.simulation.model import World
from quarterdeck.simulation.org import build_world
from quarterdeck.simulation.org_files import write_org_files, write_org_truth
from quarterdeck.simulation.org_params import OrgParams
from quarterdeck.simulation.org_state import next_month
from tests.conftest import run_quarterdeck
from tests.warehouse_rows import query

SEED = 4
MONEY_FILES = (("budget", "budget.csv"), ("tools", "tools.csv"), ("finance", "company.csv"))


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(OrgParams(engineers=10, years=1), SEED)


@pytest.fixture(scope="module")
def imported(world: World, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The simulated files and truth, and a warehouse holding the org and the money files."""
    out = tmp_path_factory.mktemp("money")
    written = write_org_files(world, out)
    write_org_truth(world, out)
    db = out / "w.duckdb"
    org = [str(p) for k, p in written.items() if k.startswith(("hr/", "org/"))]
    money = [[kind, str(out / "finance" / name)] for kind, name in MONEY_FILES]
    for command in (["org", *org], *money):
        result = run_quarterdeck("--db", str(db), "ingest", *command)
        assert result.returncode == 0, f"{command[0]}: {result.stderr}{result.stdout}"
    return out, db


def truth(out: Path, name: str) -> list[dict[str, str]]:
    with (out / "truth" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def amount(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def test_the_stored_budget_is_the_truth_and_people_costs_are_prorated_by_day(world: World, imported):
    out, db = imported
    stored = query(db, "SELECT strftime(month, '%Y-%m'), category, sum(planned), sum(actual), min(currency) "
                       "FROM budget_lines GROUP BY ALL ORDER BY 1, 2")  # fmt: skip
    expected = [(r["month"], r["category"], Decimal(r["planned"]), amount(r["actual"]), r["currency"])
                for r in truth(out, "budget.csv")]  # fmt: skip
    assert stored == expected
    assert {category for _, category, *_ in stored} == {"people", "contractors", "software", "cloud", "travel"}
    # each month's people and contractors: every stint's yearly cost / 12 x its share of the month
    spent = {(m, c): a for m, c, _, a, _ in stored}
    month = world.start
    while month < world.end:
        following = next_month(month)
        for category in ("people", "contractors"):
            cost = sum(
                s.annual_cost / 12 * max(0, (min(s.end or world.end, following) - max(s.start, month)).days)
                / (following - month).days
                for p in world.people if (p.employment_type == "contractor") == (category == "contractors")
                for s in p.stints
            )  # fmt: skip
            lines = query(db, "SELECT count(*) FROM budget_lines WHERE month = ? AND category = ?", [month, category])
            assert abs(float(spent.get((month.strftime("%Y-%m"), category), 0)) - cost) <= lines[0][0] * 0.005
        month = following
    # the quarter after the last day: planned, nothing spent yet
    future = query(db, "SELECT DISTINCT month FROM budget_lines WHERE actual IS NULL ORDER BY 1")
    assert [m for (m,) in future] == [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]


def test_the_stored_contracts_are_the_truth_and_editor_seats_are_the_teams_members(world: World, imported):
    out, db = imported
    sums = "sum(annual_cost), sum(coalesce(seats_bought, 0)), sum(coalesce(seats_used, 0))"
    stored = query(db, f"SELECT team_id, count(*), {sums}, min(currency) FROM tool_spend GROUP BY ALL ORDER BY 1")
    expected = [(r["team"], int(r["contracts"]), Decimal(r["annual_cost"]), int(r["seats_bought"]),
                 int(r["seats_used"]), r["currency"]) for r in truth(out, "tools.csv")]  # fmt: skip
    assert stored == expected
    last = world.end - timedelta(days=1)
    editors = query(db, "SELECT team_id, seats_used FROM tool_spend WHERE vendor = 'JetBrains' ORDER BY 1")
    teams = sorted(t.team_id for t in world.teams if t.type not in ("organization", "division") and t.exists_on(last))
    assert editors == [(t, len(world.members_on(last, t))) for t in teams if world.members_on(last, t)]
    shared = query(db, "SELECT DISTINCT seats_used FROM tool_spend WHERE vendor IN ('GitHub', 'Atlassian')")
    assert shared == [(len(world.members_on(last)),)]
    (over,) = query(db, "SELECT count(*) FILTER (seats_used > seats_bought), count(*) FILTER "
                        "(seats_bought >= 1.5 * seats_used) FROM tool_spend")  # fmt: skip
    assert over[0] == 1 and over[1] >= 1  # one team over its licences, some bought too many
    renewals = [d for (d,) in query(db, "SELECT renewal_date FROM tool_spend ORDER BY 1")]
    assert last < renewals[0] <= last + timedelta(days=90) and renewals[-1] <= last + timedelta(days=366)
    assert len({d.month for d in renewals}) >= 6  # spread through the year


def test_the_stored_company_figures_give_the_truth_s_cac_churn_and_burn(imported):
    out, db = imported
    rows = query(db, "SELECT strftime(month, '%Y-%m'), revenue, new_customers, customers, sales_marketing_spend, "
                     "gross_margin, cash, currency FROM company_finance ORDER BY month")  # fmt: skip
    known = truth(out, "company.csv")
    assert [r[0] for r in rows] == [t["month"] for t in known] and len(rows) == 12
    customers, cash = int(known[0]["customers_start"]), None
    for (_, revenue, new, ending, sales, margin, held, currency), t in zip(rows, known, strict=True):
        assert (revenue, sales, margin, currency) == (Decimal(t["revenue"]), Decimal(t["sales_marketing_spend"]),
                                                      Decimal(t["gross_margin"]), "USD")  # fmt: skip
        assert abs(sales / new - Decimal(t["cac"])) < Decimal("0.000001")  # CAC
        assert customers + new - ending == int(t["churned_customers"])  # churn from the counts
        if cash is not None:  # cash falls by expenses - revenue, and rises by a fund raise
            assert cash - held == Decimal(t["net_burn"]) == Decimal(t["operating_burn"]) - Decimal(t["fund_raise"])
        customers, cash = ending, held
    raises = [t for t in known if Decimal(t["fund_raise"]) > 0]
    assert len(raises) == 1 and all(Decimal(t["operating_burn"]) > 0 for t in known)
    assert Decimal(raises[0]["net_burn"]) < 0  # the raise's month: cash rose
    # engineering's spend in the company's expenses is every stored budget line's actual
    spend = dict(query(db, "SELECT strftime(month, '%Y-%m'), sum(actual) FROM budget_lines "
                           "WHERE actual IS NOT NULL GROUP BY 1"))  # fmt: skip
    assert {t["month"]: Decimal(t["engineering_spend"]) for t in known} == spend


#: metric -> (its value column, the truth's column)
BUSINESS = {
    "net_burn": ("net_burn", "net_burn"),
    "burn": ("burn", "burn"),
    "runway": ("runway_months", "runway_months"),
    "cac": ("cac", "cac"),
    "ltv": ("ltv", "ltv"),
    "burn_multiple": ("burn_multiple", "burn_multiple"),
    "rnd_share_of_revenue": ("rnd_share_of_revenue", "rnd_share_of_revenue"),
    "engineering_cost_per_arr": ("engineering_cost_per_arr", "engineering_cost_per_arr"),
}


@pytest.mark.parametrize("metric", sorted(BUSINESS))
def test_each_business_metric_month_by_month_is_the_truth(world: World, imported, metric: str):
    """`metrics show METRIC --grain month` over the simulated year, on the imported company
    figures and budget: every month's value is the truth's (as rounded by the metric), and
    empty where the truth is (the first month's net burn, a month with no churn...)."""
    out, db = imported
    value, column = BUSINESS[metric]
    last = world.end - timedelta(days=1)
    shown = run_quarterdeck("metrics", "show", metric, "--grain", "month", "--since", str(world.start),
                            "--until", str(last), "--db", str(db), "--format", "json")  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    measured = {r["period_start"][:7]: r[value] for r in json.loads(shown.stdout)["rows"]}
    known = {t["month"]: t[column] for t in truth(out, "company.csv")}
    assert list(measured) == list(known)
    digits = 2 if metric in ("net_burn", "burn", "runway", "cac", "ltv") else 4 if metric == "burn_multiple" else 6
    assert {m: v for m, v in measured.items()} == {m: round(float(t), digits) if t else None for m, t in known.items()}
