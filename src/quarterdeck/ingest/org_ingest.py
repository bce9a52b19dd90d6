"""``quarterdeck ingest org``: reading organization files into dated snapshots, atomically.

Every file is read and checked first; if anything is wrong (and ``--skip-invalid`` was not
given), the error names each file, line and field, and nothing is written. Otherwise the
snapshots are stored (a date imported again replaces that date's snapshot of that kind),
and the history, identity links and ownership are rebuilt, all in one transaction.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.ingest import org_derive
from quarterdeck.ingest.identity_links import rebuild_identity_links
from quarterdeck.ingest.org_people import check_people, typed_people
from quarterdeck.ingest.org_store import (
    store_catalog_users,
    store_codeowners,
    store_mappings,
    store_services,
    store_teams,
)
from quarterdeck.ingest.org_teams import TeamBook, check_team_files, definitions_from
from quarterdeck.ingest.ownership import rebuild_file_owners
from quarterdeck.sources.org.files import read_org_file
from quarterdeck.sources.org.people_csv import ColumnMapping
from quarterdeck.sources.org.records import OrgFile, Problem
from quarterdeck.store import Warehouse, first_row
from quarterdeck.store.org_writes import clear_definitions, record_org_import, replace_people_snapshots

MAX_PROBLEMS_SHOWN = 50
_WORK_TABLES = ("_people_raw", "_people_typed", "_people_valid", "_team_keys")


class OrgImportError(QuarterdeckError):
    """The files have problems; nothing was imported."""

    def __init__(self, problems: list[Problem]) -> None:
        shown = "\n".join(str(p) for p in problems[:MAX_PROBLEMS_SHOWN])
        more = len(problems) - MAX_PROBLEMS_SHOWN
        tail = f"\n... and {more} more" if more > 0 else ""
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(
            f"{shown}{tail}\nnothing was imported: {len(problems)} {noun}; fix the files, or pass --skip-invalid "
            "to import the valid rows"
        )
        self.problems = problems


@dataclass(frozen=True)
class OrgImportOptions:
    as_of: date | None
    today: date
    kind: str | None = None
    mapping: ColumnMapping = field(default_factory=ColumnMapping)
    skip_invalid: bool = False
    repository: str | None = None  # for CODEOWNERS files given directly
    link_by_name: bool = False


@dataclass
class ImportedFile:
    path: str
    kind: str
    dates: list[date]
    rows: int
    skipped: int = 0


@dataclass
class OrgImportReport:
    files: list[ImportedFile]
    skipped: list[Problem]  # rows left out with --skip-invalid, and why
    warnings: list[Problem]
    seconds: float = 0.0


def ingest_org(
    warehouse: Warehouse, paths: list[Path], options: OrgImportOptions, loaded_at: datetime
) -> OrgImportReport:
    """Read, check and store ``paths`` as one import (see the module's docstring)."""
    try:
        return _ingest(warehouse, paths, options, loaded_at)
    finally:
        for table in _WORK_TABLES:  # this import's working tables, even when it failed
            warehouse.con.execute(f"DROP TABLE IF EXISTS {table}")


def _ingest(warehouse: Warehouse, paths: list[Path], options: OrgImportOptions, loaded_at: datetime) -> OrgImportReport:
    started = time.perf_counter()
    files = [read_org_file(path, options.kind, options.mapping) for path in paths]
    _date_files(files, options)
    problems = [p for f in files for p in f.problems]
    problems += [_needs_repository(f) for f in files if f.kind == "codeowners" and not options.repository]
    book = org_derive.load_team_book(warehouse)
    problems += _add_team_definitions(book, files)
    structural = [p for p in problems if not _is_row_problem(p, files)]
    if structural:
        raise OrgImportError(structural)
    people = _check_people(warehouse, files, book, options)
    mapping_problems = _check_mappings(warehouse, files)
    rows = [p for p in problems if _is_row_problem(p, files)]  # rows the readers could not take
    all_problems = sorted([*rows, *people.problems, *mapping_problems], key=lambda p: (p.file, p.line, p.field))
    if all_problems and not options.skip_invalid:
        raise OrgImportError(all_problems)
    report = OrgImportReport([], all_problems, people.warnings)
    with warehouse.transaction():
        _store(warehouse, files, book, options, report, loaded_at)
        org_derive.rebuild(warehouse, loaded_at)
        rebuild_identity_links(warehouse, loaded_at, options.link_by_name)
        unknown_owners = rebuild_file_owners(warehouse, loaded_at)
    report.warnings += _unknown_owners(files, unknown_owners)
    report.seconds = time.perf_counter() - started
    return report


def _date_files(files: list[OrgFile], options: OrgImportOptions) -> None:
    """Each file's date: ``--as-of``; else its own (a date in its name); else the earliest
    date the import's other files give, so that ``people-2026-01-31.csv org.yaml`` is one
    snapshot; else today."""
    own = [f.as_of for f in files if f.as_of is not None]
    fallback = min(own) if own else options.today
    for file in files:
        file.as_of = options.as_of or file.as_of or fallback


def _definition_files(files: list[OrgFile]) -> dict[tuple[date, str], list[OrgFile]]:
    """This import's org files and catalogs by date and kind: the files of one date and kind
    form one snapshot (a catalog may be spread over several files)."""
    groups: dict[tuple[date, str], list[OrgFile]] = {}
    for file in files:
        if file.kind in ("org", "backstage") and file.as_of is not None:
            groups.setdefault((file.as_of, file.kind), []).append(file)
    return groups


def _add_team_definitions(book: TeamBook, files: list[OrgFile]) -> list[Problem]:
    """Put this import's team definitions in ``book`` (replacing those stored for the same
    date and kind) and check them."""
    problems: list[Problem] = []
    for key, group in _definition_files(files).items():
        teams = definitions_from(group)
        problems += check_team_files(group, teams)
        if teams:
            book.snapshots[key] = teams
        else:
            book.snapshots.pop(key, None)
    return problems


def _unknown_owners(files: list[OrgFile], unknown: list[tuple[str, int, str]]) -> list[Problem]:
    """The owners in this import's CODEOWNERS files that no team stands behind."""
    mine = {f.path for f in files if f.kind == "codeowners"}
    why = "matches no team id or alias, and no current person's GitHub login or e-mail"
    return [Problem(file, line, "owner", f"{owner} {why}") for file, line, owner in unknown if file in mine]


def _needs_repository(file: OrgFile) -> Problem:
    return Problem(file.path, 0, "", "a CODEOWNERS file needs the repository it belongs to: give --repo NAME")


def _is_row_problem(problem: Problem, files: list[OrgFile]) -> bool:
    """Problems in people rows and mapping rows may be skipped; the rest are structural, and
    so is any problem of a file that could not be read to its end."""
    kinds = {f.path: f.kind for f in files if not f.unreadable}
    return kinds.get(problem.file) in ("people", "identities") and problem.line > 1


# -- people --------------------------------------------------------------------------------------


@dataclass
class _PeopleOutcome:
    problems: list[Problem]
    warnings: list[Problem]


def _check_people(
    warehouse: Warehouse, files: list[OrgFile], book: TeamBook, options: OrgImportOptions
) -> _PeopleOutcome:
    tables = []
    for file in files:
        if file.kind == "people" and file.table is not None:
            n = file.table.num_rows
            tables.append(
                file.table.append_column("default_as_of", pa.array([file.as_of] * n, pa.date32())).append_column(
                    "forced_as_of", pa.array([options.as_of] * n, pa.date32())
                )
            )
    if not tables:
        return _PeopleOutcome([], [])
    con = warehouse.con
    con.register("_people_raw_arrow", pa.concat_tables(tables))
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE _people_raw AS SELECT * FROM _people_raw_arrow")
    finally:
        con.unregister("_people_raw_arrow")
    typed_people(con, options.mapping.date_format)
    dates = [r[0] for r in con.execute("SELECT DISTINCT as_of FROM _people_typed WHERE as_of IS NOT NULL").fetchall()]
    _register_team_keys(warehouse, book, dates)
    check = check_people(con, book.defined, options.mapping.date_format, options.skip_invalid)
    return _PeopleOutcome(check.problems, check.warnings)


def _register_team_keys(warehouse: Warehouse, book: TeamBook, dates: list[date]) -> None:
    rows = [(when, key, team) for when in dates for key, team in book.resolver(when).items()] if book.defined else []
    table = pa.table(
        {
            "as_of": pa.array([r[0] for r in rows], pa.date32()),
            "key": pa.array([r[1] for r in rows], pa.string()),
            "team_id": pa.array([r[2] for r in rows], pa.string()),
        }
    )
    warehouse.con.register("_team_keys_arrow", table)
    try:
        warehouse.con.execute("CREATE OR REPLACE TEMP TABLE _team_keys AS SELECT * FROM _team_keys_arrow")
    finally:
        warehouse.con.unregister("_team_keys_arrow")


def _check_mappings(warehouse: Warehouse, files: list[OrgFile]) -> list[Problem]:
    mappings = [m for f in files if f.kind == "identities" for m in f.mappings]
    if not mappings:
        return []
    known = {r[0] for r in warehouse.con.execute("SELECT DISTINCT person_id FROM people_snapshots").fetchall()}
    if _table_exists(warehouse, "_people_valid"):
        known |= {r[0] for r in warehouse.con.execute("SELECT DISTINCT person_id FROM _people_valid").fetchall()}
    return [
        Problem(m.file, m.line, "person_id", f"no person with id {m.person_id!r}")
        for m in mappings
        if m.person_id not in known
    ]


def _table_exists(warehouse: Warehouse, name: str) -> bool:
    row = first_row(warehouse.con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]))
    return bool(row and row[0])


# -- storing snapshots -----------------------------------------------------------------------------


def _store(
    warehouse: Warehouse,
    files: list[OrgFile],
    book: TeamBook,
    options: OrgImportOptions,
    report: OrgImportReport,
    loaded_at: datetime,
) -> None:
    stamp = {"source": "", "loaded_at": loaded_at}
    skipped_by_file: dict[str, int] = {}
    for problem in report.skipped:
        skipped_by_file[problem.file] = skipped_by_file.get(problem.file, 0) + 1
    people_dates = (
        replace_people_snapshots(warehouse, "_people_valid", "_team_keys", loaded_at)
        if any(f.kind == "people" for f in files)
        else {}
    )
    for as_of, kind in _definition_files(files):
        clear_definitions(warehouse, as_of, kind)
    for file in files:
        stamp["source"] = f"{file.kind}:{file.path}"
        if file.kind == "people":
            dates, rows = people_dates.get(file.path, ([file.as_of], 0))
            entry = ImportedFile(file.path, "people", dates, rows, skipped_by_file.get(file.path, 0))
        elif file.kind in ("org", "backstage"):
            rows = store_teams(warehouse, file, book, stamp) + store_services(warehouse, file, book, stamp)
            rows += store_catalog_users(warehouse, file, stamp)
            entry = ImportedFile(file.path, file.kind, [file.as_of], rows)
        elif file.kind == "codeowners":
            rows = store_codeowners(warehouse, file, options.repository, stamp)
            entry = ImportedFile(file.path, file.kind, [file.as_of], rows)
        else:
            rows = store_mappings(warehouse, file, {(p.file, p.line) for p in report.skipped}, stamp)
            entry = ImportedFile(file.path, file.kind, [file.as_of], rows, skipped_by_file.get(file.path, 0))
        report.files.append(entry)
        record_org_import(
            warehouse,
            dates=entry.dates,
            kind=entry.kind,
            path=entry.path,
            rows=entry.rows,
            skipped=entry.skipped,
            stamp=stamp,
        )


def org_totals(warehouse: Warehouse) -> dict[str, Any]:
    """What the warehouse now knows of the organization, for the import summary."""
    con = warehouse.con
    latest = first_row(con.execute("SELECT max(as_of) FROM people_snapshots"))
    when = latest[0] if latest and latest[0] else None
    people = first_row(
        con.execute(
            "SELECT count(DISTINCT person_id) FROM person_periods "
            "WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)",
            [when, when],
        )
    )
    teams = first_row(
        con.execute(
            "SELECT count(*) FROM team_periods "
            "WHERE (valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to > ?)",
            [when, when],
        )
    )
    services = first_row(con.execute("SELECT count(*) FROM services"))
    identities = first_row(con.execute("SELECT count(*) FROM identities WHERE NOT is_bot"))
    linked = first_row(con.execute("SELECT count(*) FROM identity_links"))
    return {
        "latest": when,
        "people": people[0] if people else 0,
        "teams": teams[0] if teams else 0,
        "services": services[0] if services else 0,
        "identities": identities[0] if identities else 0,
        "linked_identities": linked[0] if linked else 0,
    }
