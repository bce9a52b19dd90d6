"""The synthetic organization of tests/data/org, imported into a warehouse, and small helpers
for the organization import tests: writing input files, importing them in-process, reading
the derived tables back as plain rows, and an independent (plain Python) reading of the
people CSVs to compare against."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from quarterdeck.ingest.org_ingest import OrgImportOptions, OrgImportReport, ingest_org
from quarterdeck.sources.org.people_csv import ColumnMapping
from quarterdeck.store import open_warehouse
from tests.warehouse_rows import DATA_TABLES, query

ROOT = Path(__file__).resolve().parents[1]
ORG_DATA = ROOT / "tests" / "data" / "org"
REORG = date(2025, 1, 31)
LAST = date(2025, 12, 31)
LOADED_AT = datetime(2026, 1, 1, tzinfo=UTC)
TODAY = date(2026, 1, 1)

#: Canonical people columns, in the order the helpers write them.
HEADER = (
    "id,name,email,emails,title,level,role,manager_id,team,location,employment_type,"
    "start_date,end_date,annual_cost,regretted,github"
)
#: The attributes a person period tracks, in the order ``periods()`` returns them.
PERIOD_COLUMNS = "person_id, valid_from, valid_to, team_id, manager_id, level, annual_cost, leaves, end_inferred"


def people_files() -> list[Path]:
    return sorted((ORG_DATA / "hr").glob("people-*.csv"))


def snapshot_date(path: Path) -> date:
    return date.fromisoformat(path.stem.removeprefix("people-"))


def org_yaml_for(day: date) -> Path:
    """The org file in force on ``day``: the first one before the reorg, the second from it on."""
    return ORG_DATA / ("org-2024-01-31.yaml" if day < REORG else "org-2025-01-31.yaml")


def import_files(db: Path, paths: Sequence[Path], **options: Any) -> OrgImportReport:
    """``quarterdeck ingest org PATHS`` in-process (options as OrgImportOptions takes them)."""
    return import_each(db, [paths], **options)[0]


def import_each(db: Path, imports: Sequence[Sequence[Path]], **options: Any) -> list[OrgImportReport]:
    """Several imports one after the other (``quarterdeck ingest org`` run once for each
    list of paths), with the warehouse opened once."""
    options.setdefault("as_of", None)
    options.setdefault("today", TODAY)
    if isinstance(options.get("mapping"), dict):
        options["mapping"] = ColumnMapping(options["mapping"])
    with open_warehouse(db) as warehouse:
        return [ingest_org(warehouse, list(paths), OrgImportOptions(**options), LOADED_AT) for paths in imports]


def import_full_org(db: Path) -> None:
    """Every monthly people file with its org files, then the catalog and the identity
    mapping as of the last date. One import of the 24 months gives the same derived tables
    as 24 monthly imports (the derived tables are rebuilt from all snapshots; a test checks
    this on a few months), and takes a quarter of the time."""
    import_files(db, [*people_files(), ORG_DATA / "org-2024-01-31.yaml", ORG_DATA / "org-2025-01-31.yaml"])
    import_files(db, [ORG_DATA / "catalog-info.yaml", ORG_DATA / "identities.csv"], as_of=LAST)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def people_csv(folder: Path, name: str, *rows: str) -> Path:
    """A people file with the canonical header and ``rows`` (CSV lines)."""
    return write(folder, name, "\n".join([HEADER, *rows]) + "\n")


def rows(db: Path, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return query(db, sql, params)


def periods(db: Path, person: str | None = None) -> list[tuple[Any, ...]]:
    where = "WHERE person_id = ?" if person else ""
    return query(
        db,
        f"SELECT {PERIOD_COLUMNS} FROM person_periods {where} ORDER BY person_id, valid_from",
        [person] if person else [],
    )


def table_rows(db: Path, tables: Sequence[str] = DATA_TABLES, without: str = "") -> dict[str, list[str]]:
    """Every row of every table, as sorted text (to compare a warehouse before and after);
    ``without``: a column left out (e.g. loaded_at, to compare two imports of the same files)."""
    exclude = f" EXCLUDE ({without})" if without else ""
    return {t: sorted(map(repr, r)) for t, r in _read(db, {t: f"SELECT *{exclude} FROM {t}" for t in tables}).items()}


def _read(db: Path, queries: dict[str, str]) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of several queries, on one read-only connection (times in UTC)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        return {name: con.execute(sql).fetchall() for name, sql in queries.items()}
    finally:
        con.close()


#: Derived tables, without their source and load time (which say when, not what).
DERIVED = {
    "people": "person_id, name, email, github_login, first_seen, last_seen",
    "person_emails": "person_id, email",
    "person_periods": "person_id, valid_from, valid_to, team_id, manager_id, title, level, role, location, "
    "employment_type, annual_cost, start_date, leaves, regretted, end_inferred",
    "teams": "team_id, name",
    "team_periods": "team_id, valid_from, valid_to, name, parent_id, type, manager_id",
    "team_aliases": "team_id, alias",
    "services": "service_id, name, service_kind",
    "service_periods": "service_id, valid_from, valid_to, owner, owner_team_id, repositories",
    "identity_links": "identity_id, person_id, method, confidence",
}


def derived_rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    found = _read(db, {t: f"SELECT {cols} FROM {t}" for t, cols in DERIVED.items()})
    return {t: sorted(r, key=repr) for t, r in found.items()}


# -- an independent reading of the people CSVs ------------------------------------------------


def read_people_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def all_snapshots() -> list[tuple[date, list[dict[str, str]]]]:
    return [(snapshot_date(p), read_people_csv(p)) for p in people_files()]


def iso(text: str) -> date | None:
    return date.fromisoformat(text) if text else None
