"""``quarterdeck ingest tools``: software spend per contract, through the real CLI on a real
warehouse with a small organization ingested (teams platform and payments)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.money_files import warehouse_with_org, write
from tests.warehouse_rows import query

TOOLS = """vendor,product,team,annual_cost,currency,seats_bought,seats_used,renewal_date
Atlassian,Jira,platform,"12,000.00",USD,100,87,2026-09-30
Datadog,APM,Payments,30500.50,eur,,,
Atlassian,Jira,pay-team,4000,USD,20,25,2027-01-15
Slack,Enterprise,eng,0,USD,"1,200",1100,
"""

#: The rows TOOLS gives: vendor, product, team, annual cost, currency, seats bought and used,
#: renewal date, line (more seats used than bought, line 4, is stored as it is).
ROWS = [
    ("Atlassian", "Jira", "payments", Decimal("4000.00"), "USD", 20, 25, date(2027, 1, 15), 4),
    ("Atlassian", "Jira", "platform", Decimal("12000.00"), "USD", 100, 87, date(2026, 9, 30), 2),
    ("Datadog", "APM", "payments", Decimal("30500.50"), "EUR", None, None, None, 3),
    ("Slack", "Enterprise", "eng", Decimal("0.00"), "USD", 1200, 1100, None, 5),
]
SQL = (
    "SELECT vendor, product, team_id, annual_cost, currency, seats_bought, seats_used, renewal_date, line "
    "FROM tool_spend ORDER BY vendor, product, team_id"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return warehouse_with_org(tmp_path)


def ingest(db: Path, *args: str):
    return run_quarterdeck("ingest", "tools", *args, "--db", str(db))


def test_a_tools_export_is_stored_contract_by_contract(db: Path, tmp_path: Path) -> None:
    tools = write(tmp_path, "tools.csv", TOOLS)
    result = ingest(db, str(tools))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS
    assert query(db, "SELECT DISTINCT file, source FROM tool_spend") == [(str(tools), "tools")]


def test_the_seat_and_renewal_columns_may_be_absent(db: Path, tmp_path: Path) -> None:
    tools = write(tmp_path, "tools.csv", "vendor,product,team,annual_cost,currency\nGitHub,Copilot,platform,9120,USD\n")
    result = ingest(db, str(tools))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == [("GitHub", "Copilot", "platform", Decimal("9120.00"), "USD", None, None, None, 2)]


def test_ingest_all_reads_the_tools_file_of_the_project_file(db: Path, tmp_path: Path) -> None:
    (tmp_path / "finance").mkdir()
    write(tmp_path / "finance", "tools.csv", TOOLS)
    project = write(tmp_path, "quarterdeck.yaml", "sources:\n  - type: tools\n    files: [finance/tools.csv]\n")
    result = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS


PROCUREMENT = """Supplier;Application;Owner;Yearly Cost;Ccy;Licenses;Active Users;Renews On
Atlassian;Jira;platform;12000.00;USD;100;87;30/09/2026
Datadog;APM;Payments;30500.50;EUR;;;
Atlassian;Jira;pay-team;4000;USD;20;25;15/01/2027
Slack;Enterprise;eng;0;USD;1200;1100;
""".replace(";", ",")
MAPPING = """columns:
  Supplier: vendor
  Application: product
  Owner: team
  Yearly Cost: annual_cost
  Ccy: currency
  Licenses: seats_bought
  Active Users: seats_used
  Renews On: renewal_date
date_format: "%d/%m/%Y"
"""


def test_a_column_mapping_reads_another_layout_into_the_same_lines(db: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "procurement.csv", PROCUREMENT)
    mapping = write(tmp_path, "procurement.yaml", MAPPING)
    result = ingest(db, str(export), "--mapping", str(mapping))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == ROWS
    # in the project file, the mapping is read relative to the project file's folder
    project = write(tmp_path, "quarterdeck.yaml", "sources:\n  - type: tools\n    files: [procurement.csv]\n"
                    "    mapping: procurement.yaml\n")  # fmt: skip
    again = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", str(db), cwd=db.parent.parent)
    assert again.returncode == 0, again.stderr
    assert query(db, SQL) == ROWS
    wrong = write(tmp_path, "wrong.yaml", "columns:\n  Yearly Cost: cost\n")
    refused = ingest(db, str(export), "--mapping", str(wrong))
    assert refused.returncode == 2
    assert f"{wrong}: unknown Quarterdeck column(s) cost; known: vendor, product, team" in refused.stderr


def test_importing_the_same_file_again_changes_nothing(db: Path, tmp_path: Path) -> None:
    tools = write(tmp_path, "tools.csv", TOOLS)
    assert ingest(db, str(tools)).returncode == 0
    before = query(db, "SELECT * EXCLUDE (loaded_at) FROM tool_spend ORDER BY ALL")
    again = ingest(db, str(tools))
    assert again.returncode == 0, again.stderr
    assert query(db, "SELECT * EXCLUDE (loaded_at) FROM tool_spend ORDER BY ALL") == before
    assert len(before) == 4


def test_a_new_export_replaces_every_stored_tool_line(db: Path, tmp_path: Path) -> None:
    assert ingest(db, str(write(tmp_path, "tools-q1.csv", TOOLS))).returncode == 0
    # the next quarter's export, under another name: Jira of platform renegotiated, Datadog
    # and Slack cancelled, Jira of payments kept.
    q2 = write(
        tmp_path,
        "tools-q2.csv",
        "vendor,product,team,annual_cost,currency,seats_bought,seats_used,renewal_date\n"
        "Atlassian,Jira,pay-team,4000,USD,20,25,2027-01-15\n"
        "Atlassian,Jira,platform,10000,USD,90,88,2027-09-30\n",
    )
    result = ingest(db, str(q2))
    assert result.returncode == 0, result.stderr
    assert query(db, SQL) == [
        ("Atlassian", "Jira", "payments", Decimal("4000.00"), "USD", 20, 25, date(2027, 1, 15), 2),
        ("Atlassian", "Jira", "platform", Decimal("10000.00"), "USD", 90, 88, date(2027, 9, 30), 3),
    ]
    assert query(db, "SELECT DISTINCT file FROM tool_spend") == [(str(q2),)]


def test_two_files_at_once_are_refused_an_export_is_the_whole_list(db: Path, tmp_path: Path) -> None:
    one, two = write(tmp_path, "a.csv", TOOLS), write(tmp_path, "b.csv", TOOLS)
    result = ingest(db, str(one), str(two))
    assert result.returncode == 2
    assert "a tools export is the whole list of contracts" in result.stderr and "give one file, not 2" in result.stderr
    assert "Traceback" not in result.stderr
    assert query(db, "SELECT count(*) FROM tool_spend") == [(0,)]


HEADER = "vendor,product,team,annual_cost,currency,seats_bought,seats_used,renewal_date\n"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Slack,Pro,growth,10,USD,,,", ":3: team: 'growth': expected a team of the organization"),
        (",Pro,platform,10,USD,,,", ":3: vendor: missing: expected a text"),
        ("Slack,,platform,10,USD,,,", ":3: product: missing: expected a text"),
        ("Slack,Pro,platform,-10,USD,,,", ":3: annual_cost: '-10': expected an amount of 0 or more"),
        ("Slack,Pro,platform,,USD,,,", ":3: annual_cost: missing: expected an amount of 0 or more"),
        ("Slack,Pro,platform,10,US$,,,", ":3: currency: 'US$': expected a 3-letter ISO 4217 currency code"),
        ("Slack,Pro,platform,10,USD,-1,,", ":3: seats_bought: '-1': expected a whole number of 0 or more"),
        ("Slack,Pro,platform,10,USD,10,2.5,", ":3: seats_used: '2.5': expected a whole number of 0 or more"),
        ("Slack,Pro,platform,10,USD,,,2026-02-30", ":3: renewal_date: '2026-02-30': expected a date as YYYY-MM-DD"),
        ("Slack,Pro,platform,10,USD,,,\nslack,pro,Platform,11,USD,,,", ":4: a second line for slack pro of team"),
    ],
)
def test_a_bad_line_refuses_the_whole_file_naming_its_line(db: Path, tmp_path: Path, line: str, expected: str) -> None:
    tools = write(tmp_path, "tools.csv", HEADER + "GitHub,Copilot,payments,100,USD,,,\n" + line + "\n")
    result = ingest(db, str(tools))
    assert result.returncode == 1
    assert f"{tools}{expected}" in result.stderr
    assert "nothing of it stored" in result.stderr and "Traceback" not in result.stderr
    assert query(db, "SELECT count(*) FROM tool_spend") == [(0,)]


def test_a_file_without_a_required_column_is_refused_naming_it(db: Path, tmp_path: Path) -> None:
    tools = write(tmp_path, "tools.csv", "vendor,product,team,currency\nSlack,Pro,platform,USD\n")
    result = ingest(db, str(tools))
    assert result.returncode == 1
    assert f"{tools}:1: the header lacks the column(s) annual_cost" in result.stderr
    assert query(db, "SELECT count(*) FROM tool_spend") == [(0,)]


def test_a_bad_new_export_leaves_the_stored_lines_as_they_were(db: Path, tmp_path: Path) -> None:
    assert ingest(db, str(write(tmp_path, "tools.csv", TOOLS))).returncode == 0
    bad = write(tmp_path, "bad.csv", HEADER + "Slack,Pro,platform,1,USD,,,\nZoom,Pro,platform,x,USD,,,\n")
    result = ingest(db, str(bad))
    assert result.returncode == 1
    assert f"{bad}:3: annual_cost: 'x': expected an amount" in result.stderr
    assert query(db, SQL) == ROWS


def test_a_tools_file_before_any_organization_asks_to_ingest_the_org_first(tmp_path: Path) -> None:
    result = ingest(tmp_path / "w.duckdb", str(write(tmp_path, "tools.csv", TOOLS)))
    assert result.returncode == 1
    assert "no organization is stored yet: ingest the org first" in result.stderr
