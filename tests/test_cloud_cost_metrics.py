"""The cloud cost metrics (issue 16; decision 0048): cloud_cost by team, unit, service,
provider and account, cloud_cost_allocated (the untagged spend spread by headcount or by
usage) and cloud_cost_per_deployment, through the real CLI on a real warehouse. Every
expected value is worked out by hand from the files below."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from quarterdeck.metrics import MetricQuery, catalog
from quarterdeck.metrics.scorecard import Scope, Window, compute_tile
from quarterdeck.store import open_warehouse
from tests.conftest import run_quarterdeck
from tests.money_files import ORG, write

SERVICES = """services:
  - id: checkout
    name: Checkout
    owner: payments
  - id: search
    name: Search
    owner: platform
"""
PEOPLE = """id,name,team,location,start_date,end_date,annual_cost
alice,Alice,platform,Berlin,2025-06-01,,120000
carol,Carol,platform,Paris,2025-01-01,,
bob,Bob,payments,London,2025-01-01,2026-02-14,60000
"""
RATES = "month,from,to,rate\n2026-01,EUR,USD,1.10\n"
HEADER = (
    "BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,"
    "ServiceName,ProviderName,SubAccountName,ResourceId,Tags\n"
)
JAN, FEB = "2026-01-01T00:00:00Z,2026-02-01T00:00:00Z", "2026-02-01T00:00:00Z,2026-03-01T00:00:00Z"
BILL = HEADER + (
    # a team tag naming a team by its name in another case: Platform, no service
    f'120,100,USD,{JAN},Usage,Amazon EC2,AWS,prod,i-1,"{{""team"": ""Platform""}}"\n'
    # a service tag only: Checkout's owner, Payments
    f'50,50,USD,{JAN},Usage,Amazon RDS,AWS,prod,db-1,"{{""service"": ""checkout""}}"\n'
    # the cost-center tag names Payments by its alias; 30 EUR = 33 USD; service Search
    f'30,30,EUR,{JAN},Usage,Azure VM,Microsoft,,vm-1,"{{""cost-center"": ""pay-team"", ""service"": ""Search""}}"\n'
    # untagged, in the shared account
    f"20,20,USD,{JAN},Usage,Amazon VPC,AWS,shared,nat-1,{{}}\n"
    # a team tag naming no team: untagged
    f'40,40,USD,{JAN},Usage,Amazon S3,AWS,prod,bucket-1,"{{""team"": ""nobody""}}"\n'
    # a credit, untagged
    f"-10,-10,USD,{JAN},Credit,AWS Support,AWS,prod,,\n"
    f'60,60,USD,{FEB},Usage,Amazon RDS,AWS,prod,db-1,"{{""service"": ""checkout""}}"\n'
)
DEPLOYMENTS = """id,service,environment,commit_sha,finished_at,result
d1,checkout,production,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,2026-01-05T10:00:00Z,success
d2,checkout,production,bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,2026-01-20T10:00:00Z,success
d3,checkout,production,cccccccccccccccccccccccccccccccccccccccc,2026-01-21T10:00:00Z,failure
d4,checkout,staging,dddddddddddddddddddddddddddddddddddddddd,2026-01-22T10:00:00Z,success
"""
WINDOW = ("--since", "2026-01-01", "--until", "2026-02-28", "--grain", "month")
J, F = "2026-01-01", "2026-02-01"


def cli(db: Path, *args: str) -> None:
    done = run_quarterdeck("--db", str(db), *args)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def bills(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cloud")
    db = folder / "w.duckdb"
    cli(db, "ingest", "org", str(write(folder, "org-2026-01-01.yaml", ORG + SERVICES)))
    cli(db, "ingest", "org", str(write(folder, "people-2026-01-01.csv", PEOPLE)))
    cli(db, "ingest", "rates", str(write(folder, "rates.csv", RATES)))
    cli(db, "ingest", "deployments", str(write(folder, "deployments.csv", DEPLOYMENTS)))
    cli(db, "ingest", "cloud-costs", str(write(folder, "focus.csv", BILL)))
    return db


def with_rules(bills: Path, tmp_path: Path, rules: str) -> Path:
    db = tmp_path / "w.duckdb"
    db.write_bytes(bills.read_bytes())
    cli(db, "ingest", "cloud-allocation", str(write(tmp_path, "rules.yaml", rules)))
    return db


def show(db: Path, name: str, *args: str) -> list[dict[str, Any]]:
    done = run_quarterdeck("--db", str(db), "metrics", "show", name, *WINDOW, *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["rows"]


def table(rows: list[dict[str, Any]], *columns: str) -> list[tuple[Any, ...]]:
    return [(row["group"], str(row["period_start"])[:10], *(row[c] for c in columns)) for row in rows]


def test_cloud_cost_by_team_shows_untagged_spend_as_its_own_group(bills: Path) -> None:
    # January: Platform 100 (team tag); Payments 50 (Checkout's owner) + 33 (cost-center alias,
    # 30 EUR x 1.10); untagged 20 + 40 (a tag naming no team) - 10 (a credit) = 50.
    assert table(show(bills, "cloud_cost", "--by", "team"), "cost", "billed_cost", "untagged_cost") == [
        ("payments", J, 83.0, 83.0, 0.0),
        ("payments", F, 60.0, 60.0, 0.0),
        ("platform", J, 100.0, 120.0, 0.0),
        ("untagged", J, 50.0, 50.0, 50.0),
    ]


def test_cloud_cost_by_service_provider_account_and_unit(bills: Path) -> None:
    assert table(show(bills, "cloud_cost", "--by", "service"), "cost") == [
        ("checkout", J, 50.0), ("checkout", F, 60.0), ("search", J, 33.0), ("untagged", J, 150.0),
    ]  # fmt: skip
    assert table(show(bills, "cloud_cost", "--by", "provider"), "cost", "untagged_cost") == [
        ("AWS", J, 200.0, 50.0), ("AWS", F, 60.0, 0.0), ("Microsoft", J, 33.0, 0.0),
    ]  # fmt: skip
    assert table(show(bills, "cloud_cost", "--by", "account"), "cost") == [
        ("AWS prod", J, 180.0), ("AWS prod", F, 60.0), ("AWS shared", J, 20.0), ("Microsoft (no sub-account)", J, 33.0),
    ]  # fmt: skip
    # Engineering holds Platform and Payments: 183 in January
    assert table(show(bills, "cloud_cost", "--by", "unit", "--grain", "window"), "cost") == [
        ("eng", J, 243.0), ("payments", J, 143.0), ("platform", J, 100.0), ("untagged", J, 50.0),
    ]  # fmt: skip


def test_an_account_rule_and_other_tag_keys_change_the_allocation_without_a_re_import(
    bills: Path, tmp_path: Path
) -> None:
    db = with_rules(bills, tmp_path, "team_tags: [team]\naccounts:\n  shared: platform\n")
    # the cost-center tag is no team key now: its 33 goes to Search's owner, Platform
    assert table(show(db, "cloud_cost", "--by", "team"), "cost") == [
        ("payments", J, 50.0), ("payments", F, 60.0), ("platform", J, 153.0), ("untagged", J, 30.0),
    ]  # fmt: skip


def test_the_untagged_spend_spread_by_usage_share(bills: Path, tmp_path: Path) -> None:
    db = with_rules(bills, tmp_path, "accounts:\n  shared: platform\nuntagged: usage\n")
    # January: Platform 120 (100 + the shared account's 20), Payments 83, 30 untagged spread
    # 120/203 and 83/203.
    assert table(show(db, "cloud_cost_allocated", "--by", "team"), "cost", "direct_cost", "spread_cost") == [
        ("payments", J, round(83 + 30 * 83 / 203, 2), 83.0, round(30 * 83 / 203, 2)),
        ("payments", F, 60.0, 60.0, 0.0),
        ("platform", J, round(120 + 30 * 120 / 203, 2), 120.0, round(30 * 120 / 203, 2)),
    ]


def test_the_untagged_spend_spread_by_headcount_and_kept_without_a_rule(bills: Path, tmp_path: Path) -> None:
    db = with_rules(bills, tmp_path, "untagged: headcount\n")
    # January FTE: Platform 2 (Alice, Carol), Payments 1 (Bob): 50 untagged -> 33.33 and 16.67
    assert table(show(db, "cloud_cost_allocated", "--by", "team"), "cost", "spread_cost") == [
        ("payments", J, round(83 + 50 / 3, 2), round(50 / 3, 2)),
        ("payments", F, 60.0, 0.0),
        ("platform", J, round(100 + 100 / 3, 2), round(100 / 3, 2)),
    ]
    assert table(show(bills, "cloud_cost_allocated", "--by", "team"), "cost", "spread_rule") == [
        ("payments", J, 83.0, "untagged"), ("payments", F, 60.0, "untagged"), ("platform", J, 100.0, "untagged"),
        ("untagged", J, 50.0, "untagged"),
    ]  # fmt: skip


def test_cloud_cost_per_deployment_divides_a_service_month_by_its_production_deployments(bills: Path) -> None:
    # Checkout, January: 50 over d1 and d2 (d3 failed, d4 went to staging); February: 60, none.
    assert table(show(bills, "cloud_cost_per_deployment"), "cost", "deployments", "cost_per_deployment") == [
        ("checkout", J, 50.0, 2, 25.0), ("checkout", F, 60.0, 0, None), ("search", J, 33.0, 0, None),
    ]  # fmt: skip


def test_a_currency_without_a_rate_is_an_error_never_a_silent_sum(bills: Path) -> None:
    done = run_quarterdeck("--db", str(bills), "metrics", "show", "cloud_cost", *WINDOW, "--currency", "GBP")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    # whichever row DuckDB converts first: a USD or an EUR one, of January or February
    assert re.search(
        r"no rate from (USD|EUR) to GBP for 2026-0[12]: import one with quarterdeck ingest rates", done.stderr
    )


def test_a_bad_rules_file_is_refused_naming_what_is_wrong(bills: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    db.write_bytes(bills.read_bytes())
    for rules, expected in (
        ("accounts:\n  shared: nobody\n", "accounts: shared: 'nobody' is not a team of the organization"),
        ("untagged: evenly\n", "untagged: 'evenly': expected one of untagged, headcount, usage"),
        ("teams: [team]\n", "unknown key(s) teams; known: team_tags, service_tags, accounts, untagged"),
    ):
        path = write(tmp_path, "rules.yaml", rules)
        done = run_quarterdeck("--db", str(db), "ingest", "cloud-allocation", str(path))
        assert done.returncode == 1 and f"{path}: {expected}" in done.stderr, done.stderr


def test_cloud_cost_is_a_tile_of_the_money_area_the_organizations_spend_each_month(bills: Path) -> None:
    spec = next(m.tile for m in catalog().values() if m.name == "cloud_cost")
    assert spec is not None and spec.area == "money"
    with open_warehouse(bills, read_only=True, create=False) as warehouse:
        shown = compute_tile(warehouse, spec, Scope(), Window(until=date(2026, 2, 28), months=2), MetricQuery())
    assert shown.problem is None, shown.problem
    # January: 100 + 83 + 50 untagged; February: 60
    assert [(month, round(value, 2)) for month, value in shown.series] == [
        (date(2026, 1, 1), 233.0),
        (date(2026, 2, 1), 60.0),
    ]
    assert shown.value == 60.0
