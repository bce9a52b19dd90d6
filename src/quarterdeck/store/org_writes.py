"""The writes of an organization import: snapshots of people, teams, services and catalog
users, CODEOWNERS rules and identity mappings from files, the import log, the history
derived from the snapshots, and file ownership.

Every function runs inside the caller's transaction (an import is one).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import duckdb

from quarterdeck.store.warehouse import Warehouse, first_row

#: The tables derived from the snapshots, cleared before each rebuild.
DERIVED_TABLES = (
    "people",
    "person_emails",
    "person_periods",
    "teams",
    "team_periods",
    "team_aliases",
    "services",
    "service_periods",
)


def drop_unknown_managers(con: duckdb.DuckDBPyConnection, people: str) -> None:
    """In the staged people ``people``, drop each manager who is no person of the same
    snapshot (the rows naming a manager that was skipped keep the rest)."""
    con.execute(
        f"UPDATE {people} SET manager_id = NULL WHERE manager_id IS NOT NULL AND NOT EXISTS ("
        f"SELECT 1 FROM {people} m "
        f"WHERE m.as_of = {people}.as_of AND m.person_id = {people}.manager_id)"
    )


def replace_people_snapshots(
    warehouse: Warehouse, people: str, team_keys: str, loaded_at: datetime
) -> dict[str, tuple[list[date], int]]:
    """Replace the people snapshots of the dates in the staged valid rows ``people``, each
    person's team resolved through ``team_keys`` (as_of, key: a team name or alias in lower
    case, team_id); returns file -> (its dates, its rows)."""
    con = warehouse.con
    con.execute(f"DELETE FROM people_snapshots WHERE as_of IN (SELECT DISTINCT as_of FROM {people})")
    con.execute(
        f"""
        INSERT INTO people_snapshots
        SELECT p.as_of, p.person_id, p.name, p.email, p.emails, p.title, p.level, p.role, p.manager_id,
               coalesce(k.team_id, p.team), p.location, p.employment_type, p.start_date, p.end_date,
               p.annual_cost, p.regretted, p.github_login, p.file, p.line, 'people:' || p.file, ?
        FROM {people} p
        LEFT JOIN {team_keys} k ON k.as_of = p.as_of AND k.key = lower(p.team)
        """,
        [loaded_at],
    )
    rows = con.execute(
        f"SELECT file, list(DISTINCT as_of ORDER BY as_of), count(*) FROM {people} GROUP BY file"
    ).fetchall()
    return {file: (dates, count) for file, dates, count in rows}


def clear_definitions(warehouse: Warehouse, as_of: date, kind: str) -> None:
    """Forget the stored snapshot of teams, services (and catalog users) of one date and kind."""
    for table in ("team_snapshots", "service_snapshots"):
        warehouse.con.execute(f"DELETE FROM {table} WHERE as_of = ? AND kind = ?", [as_of, kind])
    if kind == "backstage":
        warehouse.con.execute("DELETE FROM catalog_users WHERE as_of = ?", [as_of])


def clear_codeowners_file(warehouse: Warehouse, repository: str, file: str) -> None:
    """Forget the CODEOWNERS rules an org file gave for a repository (by name)."""
    warehouse.con.execute("DELETE FROM codeowners_rules WHERE repository = ? AND file = ?", [repository, file])


def clear_identity_mappings(warehouse: Warehouse, file: str) -> None:
    """Forget the identity mappings a file gave."""
    warehouse.con.execute("DELETE FROM identity_mappings WHERE file = ?", [file])


def record_org_import(
    warehouse: Warehouse, *, dates: list[date], kind: str, path: str, rows: int, skipped: int, stamp: dict[str, Any]
) -> None:
    """One row of ``org_imports`` per date the file gave, numbered after the stored ones."""
    con = warehouse.con
    row = first_row(con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM org_imports"))
    for as_of in dates:
        con.execute(
            "INSERT INTO org_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [row[0] if row else 1, as_of, kind, path, rows, skipped, stamp["source"], stamp["loaded_at"]],
        )
        row = (row[0] + 1,) if row else (2,)


def clear_derived(warehouse: Warehouse) -> None:
    """Empty the tables derived from the snapshots (:data:`DERIVED_TABLES`), to rebuild them."""
    for table in DERIVED_TABLES:
        warehouse.con.execute(f"DELETE FROM {table}")


def derive_teams(warehouse: Warehouse, source: str, loaded_at: datetime) -> None:
    """``teams`` from the stored ``team_periods``: each team named as in its latest period."""
    warehouse.con.execute(
        "INSERT INTO teams SELECT team_id, arg_max(name, coalesce(valid_from, DATE '0001-01-01')), ?, ? "
        "FROM team_periods GROUP BY team_id",
        [source, loaded_at],
    )


def derive_people(warehouse: Warehouse, source: str, loaded_at: datetime) -> None:
    """``people`` and ``person_emails`` from the people snapshots (each person as in their
    latest one); with none, from the catalog's users."""
    con = warehouse.con
    people_rows = first_row(con.execute("SELECT count(*) FROM people_snapshots"))
    if people_rows and people_rows[0]:
        con.execute(
            "INSERT INTO people SELECT person_id, arg_max(name, as_of), arg_max(email, as_of), "
            "arg_max(github_login, as_of), min(as_of), max(as_of), ?, ? FROM people_snapshots GROUP BY person_id",
            [source, loaded_at],
        )
        con.execute(
            "INSERT INTO person_emails SELECT DISTINCT person_id, e FROM ("
            "SELECT person_id, email AS e FROM people_snapshots WHERE email IS NOT NULL "
            "UNION ALL SELECT person_id, unnest(emails) FROM people_snapshots)"
        )
    else:
        con.execute(
            "INSERT INTO people SELECT user_id, coalesce(arg_max(name, as_of), user_id), arg_max(email, as_of), "
            "NULL, min(as_of), max(as_of), ?, ? FROM catalog_users GROUP BY user_id",
            [source, loaded_at],
        )
        con.execute(
            "INSERT INTO person_emails SELECT DISTINCT user_id, email FROM catalog_users WHERE email IS NOT NULL"
        )


def clear_file_owners(warehouse: Warehouse) -> None:
    """Empty ``file_owners``, to recompute it from the CODEOWNERS rules."""
    warehouse.con.execute("DELETE FROM file_owners")
