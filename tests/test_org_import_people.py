"""People exports into people, person_emails and person_periods: the canonical columns, and
other HR exports through a column mapping (YAML or TOML), down to the same rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from quarterdeck.sources.org.people_csv import load_mapping
from tests.conftest import run_quarterdeck
from tests.orgdata import ORG_DATA, derived_rows, import_each, import_files, org_yaml_for, people_csv, rows, write

ORG_YAML = """\
teams:
  - id: eng
    name: Engineering
    manager: P1
  - id: payments
    name: Payments
    parent: eng
    type: stream-aligned
    manager: P2
    aliases: [payments-team]
  - id: checkout
    name: Checkout
    parent: eng
    type: Platform
    manager: Carol@Example.com
    members: [P5]
"""

#: Team by id, by name (Payments), by alias (payments-team), in other case (CHECKOUT), and by
#: the members: list (P5 has no team); e-mails in mixed case, extra e-mails with spaces,
#: a cost with a thousands separator, a GitHub login written with its @.
PEOPLE = (
    "P1,Ann Lead,Ann@Example.com,,VP Engineering,M3,manager,,eng,Berlin,full-time,2019-01-07,,210000,,ann-lead",
    "P2,Bob Pay,bob@example.com, Bob@Home.example ;bob.b@EXAMPLE.org,Engineering Manager,M1,manager,P1,Payments,"
    "Berlin,full-time,2020-03-02,,150000.50,,@BobPay",
    "P3,Carol Check,carol@example.com,,Engineering Manager,M1,manager,P1,CHECKOUT,London,full-time,2021-05-03,,"
    '"140,000",,',
    "P4,Dan Dev,,,Software Engineer,IC2,engineer,P2,payments-team,London,contractor,2023-09-15,2024-06-30,90000,,",
    "P5,Eve Ops,eve@example.com,,SRE,IC3,,P3,,Remote,part-time,,,,,",
)


@pytest.fixture
def small_org(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    org = write(tmp_path, "org.yaml", ORG_YAML)
    import_files(db, [people_csv(tmp_path, "people-2024-01-31.csv", *PEOPLE), org])
    return db


def test_people_and_their_emails(small_org: Path) -> None:
    got = rows(small_org, "SELECT person_id, name, email, github_login, first_seen, last_seen FROM people ORDER BY 1")
    assert got == [
        ("P1", "Ann Lead", "ann@example.com", "ann-lead", date(2024, 1, 31), date(2024, 1, 31)),
        ("P2", "Bob Pay", "bob@example.com", "bobpay", date(2024, 1, 31), date(2024, 1, 31)),
        ("P3", "Carol Check", "carol@example.com", None, date(2024, 1, 31), date(2024, 1, 31)),
        ("P4", "Dan Dev", None, None, date(2024, 1, 31), date(2024, 1, 31)),
        ("P5", "Eve Ops", "eve@example.com", None, date(2024, 1, 31), date(2024, 1, 31)),
    ]
    # every address lower-case: the primary one and each ;-separated extra one, trimmed
    assert rows(small_org, "SELECT person_id, email FROM person_emails ORDER BY 1, 2") == [
        ("P1", "ann@example.com"),
        ("P2", "bob.b@example.org"),
        ("P2", "bob@example.com"),
        ("P2", "bob@home.example"),
        ("P3", "carol@example.com"),
        ("P5", "eve@example.com"),
    ]


def test_person_periods_of_one_snapshot(small_org: Path) -> None:
    got = rows(
        small_org,
        "SELECT person_id, valid_from, valid_to, team_id, manager_id, title, level, role, location, "
        "employment_type, annual_cost, start_date, leaves, regretted, end_inferred FROM person_periods ORDER BY 1",
    )
    assert got == [
        # in the first snapshot: valid from the start date
        ("P1", date(2019, 1, 7), None, "eng", None, "VP Engineering", "M3", "manager", "Berlin", "full-time",
         Decimal("210000.00"), date(2019, 1, 7), False, None, False),
        ("P2", date(2020, 3, 2), None, "payments", "P1", "Engineering Manager", "M1", "manager", "Berlin",
         "full-time", Decimal("150000.50"), date(2020, 3, 2), False, None, False),
        ("P3", date(2021, 5, 3), None, "checkout", "P1", "Engineering Manager", "M1", "manager", "London",
         "full-time", Decimal("140000.00"), date(2021, 5, 3), False, None, False),
        # a planned end date (a contractor): employed through 2024-06-30, so valid_to is the day after
        ("P4", date(2023, 9, 15), date(2024, 7, 1), "payments", "P2", "Software Engineer", "IC2", "engineer",
         "London", "contractor", Decimal("90000.00"), date(2023, 9, 15), True, None, False),
        # no start date: from the snapshot's date; no team in the file: the team listing them as a member
        ("P5", date(2024, 1, 31), None, "checkout", "P3", "SRE", "IC3", None, "Remote", "part-time", None,
         date(2024, 1, 31), False, None, False),
    ]  # fmt: skip


def test_snapshot_rows_keep_file_and_line(small_org: Path, tmp_path: Path) -> None:
    got = rows(small_org, "SELECT person_id, team_id, file, line FROM people_snapshots ORDER BY line")
    csv = str(tmp_path / "people-2024-01-31.csv")
    assert got == [
        ("P1", "eng", csv, 2),
        ("P2", "payments", csv, 3),
        ("P3", "checkout", csv, 4),
        ("P4", "payments", csv, 5),
        ("P5", None, csv, 6),  # the snapshot keeps what the file said; the period has the members: team
    ]


def test_emails_match_in_any_case_across_snapshots(tmp_path: Path) -> None:
    """The same address written differently in two snapshots is one address."""
    db = tmp_path / "w.duckdb"
    org = write(tmp_path, "org.yaml", "teams:\n  - id: eng\n")
    first = people_csv(tmp_path, "p-2024-01-31.csv", "P1,Ann,ANN@EXAMPLE.COM,Ann@Home.Example,,,,,eng,,,,,,,")
    later = "P1,Ann,ann@example.com,ann@home.example;ann@new.example,,,,,eng,,,,,,,"
    second = people_csv(tmp_path, "p-2024-02-29.csv", later)
    import_each(db, [[first, org], [second]])
    assert rows(db, "SELECT person_id, email FROM person_emails ORDER BY 2") == [
        ("P1", "ann@example.com"),
        ("P1", "ann@home.example"),
        ("P1", "ann@new.example"),
    ]  # fmt: skip


# -- column mappings ---------------------------------------------------------------------------

#: The same five people as an export with other column names, US dates and display names.
EXPORT = """\
Employee Number,Worker,Work Email,Other Emails,Business Title,Job Level,Job Family,Supervisor,Department,Office,\
Worker Type,Hire Date,Termination Date,Total Cost,Regretted,GitHub Username,Cost Center
P1,Ann Lead,Ann@Example.com,,VP Engineering,M3,manager,,Engineering,Berlin,full-time,01/07/2019,,210000.00,,ann-lead,CC1
P2,Bob Pay,bob@example.com, Bob@Home.example ;bob.b@EXAMPLE.org,Engineering Manager,M1,manager,P1,Payments,Berlin,\
full-time,03/02/2020,,150000.50,,@BobPay,CC1
P3,Carol Check,carol@example.com,,Engineering Manager,M1,manager,P1,Checkout,London,full-time,05/03/2021,,\
"140,000",,,CC2
P4,Dan Dev,,,Software Engineer,IC2,engineer,P2,Payments,London,contractor,09/15/2023,06/30/2024,90000,,,CC2
P5,Eve Ops,eve@example.com,,SRE,IC3,,P3,,Remote,part-time,,,,,,CC2
"""
MAPPING_YAML = """\
columns:
  Employee Number: id
  Worker: name
  Work Email: email
  other emails: emails          # export names match in any case
  Business Title: title
  Job Level: level
  Job Family: role
  Supervisor: manager_id
  Department: team
  Office: location
  Worker Type: employment_type
  Hire Date: start_date
  Termination Date: end_date
  Total Cost: annual_cost
  Regretted: regretted
  GitHub Username: github
date_format: "%m/%d/%Y"
"""
MAPPING_TOML = """\
date_format = "%m/%d/%Y"

[columns]
"Employee Number" = "id"
Worker = "name"
"Work Email" = "email"
"Other Emails" = "emails"
"Business Title" = "title"
"Job Level" = "level"
"Job Family" = "role"
Supervisor = "manager_id"
Department = "team"
Office = "location"
"Worker Type" = "employment_type"
"Hire Date" = "start_date"
"Termination Date" = "end_date"
"Total Cost" = "annual_cost"
Regretted = "regretted"
"GitHub Username" = "github"
"""


@pytest.mark.parametrize("mapping_file", ["mapping.yaml", "mapping.toml"])
def test_a_mapped_export_gives_the_same_rows(small_org: Path, tmp_path: Path, mapping_file: str) -> None:
    mapping = write(tmp_path, mapping_file, MAPPING_YAML if mapping_file.endswith("yaml") else MAPPING_TOML)
    export = write(tmp_path, "export.csv", EXPORT)
    db = tmp_path / "mapped.duckdb"
    result = run_quarterdeck(
        "--db", str(db), "ingest", "org", str(export), str(tmp_path / "org.yaml"),
        "--mapping", str(mapping), "--as-of", "2024-01-31", "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert derived_rows(db) == derived_rows(small_org)


@pytest.mark.parametrize("day", ["2024-01-31", "2025-12-31"])
def test_workday_export_matches_the_canonical_file(tmp_path: Path, day: str) -> None:
    """tests/data/org/workday holds the first and last snapshot as a Workday-style export
    (Department display names, MM/DD/YYYY dates, costs with decimals, Yes/No, unmapped
    columns): with its mapping it gives exactly the people and teams of hr/."""
    org = org_yaml_for(date.fromisoformat(day))
    canonical, workday = tmp_path / "canonical.duckdb", tmp_path / "workday.duckdb"
    import_files(canonical, [ORG_DATA / "hr" / f"people-{day}.csv", org])
    mapping = load_mapping(ORG_DATA / "workday" / "mapping.yaml")
    import_files(workday, [ORG_DATA / "workday" / f"people-{day}.csv", org], mapping=mapping)
    columns = (
        "as_of, person_id, name, email, emails, title, level, role, manager_id, team_id, location, "
        "employment_type, start_date, end_date, annual_cost, regretted, github_login"
    )
    snapshot = f"SELECT {columns} FROM people_snapshots ORDER BY person_id"
    assert rows(workday, snapshot) == rows(canonical, snapshot)
    assert derived_rows(workday) == derived_rows(canonical)
    # and the export really was in another shape: display names resolved to team ids
    assert rows(workday, "SELECT count(*) FROM people_snapshots WHERE team_id = 'data-quality'") == [(13,)]
