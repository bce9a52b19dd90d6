"""Importing deployments, incidents, CI runs, availability and SLOs.

Files are read by ``connectors.delivery`` as text; here every row is checked in SQL (see
``delivery_fields``), rows with problems are set aside with the file and line of each
problem, and the valid rows are merged into their table by key: a row stored with the same
content is left alone, one with other content is replaced, a new one is added. A key given
twice in one import keeps its last row. Everything lands in one transaction, then the
links between deployments, changes and incidents are rebuilt (``delivery_links``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from quarterdeck.config import Settings
from quarterdeck.core.clock import now
from quarterdeck.ingest.delivery_fields import KINDS, Kind
from quarterdeck.ingest.delivery_links import rebuild_links
from quarterdeck.ingest.delivery_stage import (
    HASHED,
    create_shaped_view,
    problems_of,
    shaped_view,
    source_counts,
    stage_source,
    staged_table,
)
from quarterdeck.sources.delivery.files import (
    FileScan,
    UnreadableFile,
    csv_problem,
    csv_scan,
    file_format,
    json_records,
    ndjson_scan,
    record_lines,
    records_table,
)
from quarterdeck.sources.delivery.openslo import read_openslo
from quarterdeck.store import Warehouse
from quarterdeck.store.delivery_writes import forget_import_problems, merge_staged

#: The kinds users name on the command line, and the record kinds they may hold.
COMMAND_KINDS = {
    "deployments": ("deployments",),
    "incidents": ("incidents",),
    "ci_runs": ("ci_runs",),
    "availability": ("availability_events", "availability_probes"),
    "slos": ("slos",),
}
#: The tables whose rows the links between deployments, changes and incidents depend on.
LINKED_TABLES = {"deployments", "incidents"}
#: Line numbers are worked out for at most this many rejected records per file.
MAX_LOCATED_PROBLEMS = 10_000


@dataclass
class Problem:
    """One thing wrong with a record (or, with no line and no field, with a whole file)."""

    source: str
    line: int | None
    record_id: str | None
    field: str
    message: str
    whole_file: bool = False  # the file could not be read at all (line and field say where, if known)

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: field {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class LoadReport:
    """What an import did: rows read, new, replaced, unchanged, duplicated, rejected."""

    kind: str
    rows_read: int = 0
    loaded: int = 0
    replaced: int = 0
    unchanged: int = 0
    duplicates: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: int = 0

    @property
    def unreadable(self) -> bool:
        """Some file could not be read at all (its problem names no line)."""
        return any(p.whole_file or (p.line is None and not p.field) for p in self.problems)


@dataclass(frozen=True)
class Staged:
    """One source made ready to stage: how to read it, and where its records' lines are."""

    source: str
    kind: Kind
    relation: str
    params: tuple[Any, ...]
    lines: Callable[[set[int]], dict[int, int]]
    arrow: Any = None
    explain: Callable[[], Any] | None = None  # why the reader failed: a CsvProblem, or None


def load_files(
    warehouse: Warehouse,
    settings: Settings,
    command_kind: str,
    paths: Sequence[Path],
    *,
    input_format: str | None = None,
    timezone: str | None = None,
    strict: bool = False,
    step: Callable[[str], None] = lambda _: None,
) -> LoadReport:
    """Import files of one kind; the warehouse is left as it was when ``strict`` and any
    row has a problem, or when nothing could be read. ``step`` hears what is being done
    (for a progress line)."""
    report = LoadReport(command_kind)
    sources: list[Staged] = []
    for path in paths:
        try:
            sources.append(_prepare_file(command_kind, path, input_format))
        except UnreadableFile as exc:
            report.problems.append(Problem(str(path), exc.line, None, exc.field, str(exc), whole_file=True))
    return _load(warehouse, settings, report, sources, timezone, strict, step)


def load_records(
    warehouse: Warehouse,
    settings: Settings,
    kind: str,
    records: list[dict[str, Any]],
    source: str,
    *,
    timezone: str | None = None,
    strict: bool = False,
) -> LoadReport:
    """Import records given as dicts (events pushed over HTTP); problems name the record
    number (1 = the first) as their line."""
    report = LoadReport(kind)
    record_kind = KINDS[COMMAND_KINDS[kind][0]] if kind in COMMAND_KINDS else KINDS[kind]
    table, not_objects = records_table(records, record_kind.columns)
    for number in not_objects:
        report.problems.append(Problem(source, number, None, "", "expected a JSON object"))
    report.rejected += len(not_objects)
    staged = Staged(source, record_kind, "_quarterdeck_records", (), lambda r: {n: n for n in r}, table)
    return _load(warehouse, settings, report, [staged], timezone, strict)


def _prepare_file(command_kind: str, path: Path, input_format: str | None) -> Staged:
    if not path.is_file():
        raise UnreadableFile("no such file")
    if command_kind == "slos" and path.suffix.lower() in (".yaml", ".yml"):
        records = read_openslo(path)
        table, _ = records_table(records, KINDS["slos"].columns)
        lines = {i: r.get("document") for i, r in enumerate(records, start=1)}
        return Staged(str(path), KINDS["slos"], "_quarterdeck_records", (), lambda r: lines, table)
    fmt = file_format(path, input_format)
    kind = _record_kind(command_kind, path, fmt)
    if fmt == "json":
        table, _ = records_table(json_records(path, command_kind), kind.columns)
        return Staged(str(path), kind, "_quarterdeck_records", (), lambda r: {n: n for n in r}, table)
    scan = csv_scan(path, kind.columns) if fmt == "csv" else ndjson_scan(path, kind.columns)
    _check_columns(kind, scan)
    explain = (lambda: csv_problem(path)) if fmt == "csv" else None
    return Staged(
        str(path), kind, _relation(kind, scan), scan.params, lambda r: record_lines(path, fmt, r), explain=explain
    )


def _record_kind(command_kind: str, path: Path, fmt: str) -> Kind:
    """The kind of a file; availability files say by their columns which of the two they are."""
    choices = COMMAND_KINDS[command_kind]
    if len(choices) == 1:
        return KINDS[choices[0]]
    events, probes = KINDS[choices[0]], KINDS[choices[1]]
    if fmt == "json":
        records = json_records(path, command_kind)
        keys = {str(k).lower() for r in records[:1] if isinstance(r, dict) for k in r}
    else:
        scan = (
            csv_scan(path, events.columns + probes.columns)
            if fmt == "csv"
            else ndjson_scan(path, events.columns + probes.columns)
        )
        keys = set(scan.columns)
    if {"good", "total"} & keys:
        return events
    if {"status", "start", "end"} & keys:
        return probes
    raise UnreadableFile(
        "not an availability file: expected event counts (service, window_start, window_end, good, total) "
        "or probe intervals (service, start, end, status)"
    )


def _check_columns(kind: Kind, scan: FileScan) -> None:
    missing = [f.name for f in kind.fields if f.required and f.name not in scan.columns]
    if missing:
        raise UnreadableFile(
            f"not a {kind.name} file: the header lacks column(s) {', '.join(missing)} "
            f"(has: {', '.join(scan.columns) or 'none of the expected columns'})"
        )


def _relation(kind: Kind, scan: FileScan) -> str:
    columns = ", ".join(f'"{c}"' if c in scan.columns else f'CAST(NULL AS VARCHAR) AS "{c}"' for c in kind.columns)
    return f"(SELECT record, {columns} FROM ({scan.sql}))"


def _load(
    warehouse: Warehouse,
    settings: Settings,
    report: LoadReport,
    sources: list[Staged],
    timezone: str | None,
    strict: bool,
    step: Callable[[str], None] = lambda _: None,
) -> LoadReport:
    loaded_at = now()
    report.files = len(sources)
    if not sources or report.unreadable:
        report.notes.append("nothing was loaded: a file could not be read")
        return report
    try:
        with warehouse.transaction() as con:
            _forget_earlier_problems(con, report.kind, [s.source for s in sources])
            for stage in {staged_table(s.kind) for s in sources}:
                con.execute(f"DROP TABLE IF EXISTS {stage}")  # left by an earlier import on this connection
            firsts: dict[str, dict[int, int]] = {}  # stage -> source order -> row id of its first row
            for order, source in enumerate(sources):
                step(f"reading and checking {source.source}")
                _stage_source(con, source, order, timezone, report, firsts)
            if strict and report.problems:
                raise _NothingLoaded("nothing was loaded: --strict, and some rows have problems")
            for record_kind in {s.kind.stage: s.kind for s in sources}.values():
                step(f"storing {report.rows_read - report.rejected:,} rows")
                create_shaped_view(con, record_kind, firsts[record_kind.stage], _services_declared(con))
                _merge(con, record_kind, report, loaded_at)
            _store_problems(warehouse, report, loaded_at)
            if {s.kind.table for s in sources} & LINKED_TABLES:
                step("linking deployments to the changes they shipped and to incidents")
                rebuild_links(warehouse, settings.production_environments, settings.incident_window_days)
            if any(s.kind.has_service for s in sources) and not _services_declared(con):
                report.notes.append(
                    "the org model declares no services: services were taken as written, and metrics --by team "
                    "have no team for them (declare services in the org file: docs/org-inputs.md)"
                )
    except _NothingLoaded as stop:
        report.loaded = report.replaced = report.unchanged = report.duplicates = 0
        report.notes.append(str(stop))
    return report


def _forget_earlier_problems(con: duckdb.DuckDBPyConnection, kind: str, sources: list[str]) -> None:
    """A file imported again replaces what its earlier imports reported (events add up)."""
    forget_import_problems(con, kind, [s for s in sources if not s.startswith("event:")])


def _merge(con: duckdb.DuckDBPyConnection, kind: Kind, report: LoadReport, loaded_at: Any) -> None:
    """Merge the staged valid rows of ``kind`` into its table, counting what happened."""
    counts = merge_staged(
        con,
        kind.table,
        kind.key,
        shaped_view(kind),
        content_hashed=kind.table in HASHED,
        kind_name=kind.name,
        loaded_at=loaded_at,
    )
    report.loaded += counts.loaded
    report.replaced += counts.replaced
    report.unchanged += counts.unchanged
    report.duplicates += counts.duplicates


class _NothingLoaded(Exception):
    """A file could not be read, or --strict found problems: the import's transaction is
    rolled back, and the message says why."""


def _stage_source(
    con: duckdb.DuckDBPyConnection,
    source: Staged,
    order: int,
    timezone: str | None,
    report: LoadReport,
    firsts: dict[str, dict[int, int]],
) -> None:
    """Stage one source and set its bad rows aside, each problem with its file and line."""
    declared = _services_declared(con)
    if source.arrow is not None:
        con.register("_quarterdeck_records", source.arrow)
    try:
        first = stage_source(con, source.kind, source.relation, source.params, order, source.source, timezone)
        firsts.setdefault(source.kind.stage, {})[order] = first
        read, bad = source_counts(con, source.kind, order, first, declared)
        rows = problems_of(con, source.kind, source.relation, source.params, bad, timezone, declared) if bad else []
    except duckdb.Error as exc:
        report.problems.append(_unreadable(source, exc))
        raise _NothingLoaded("nothing was loaded: a file could not be read") from None
    finally:
        if source.arrow is not None:
            con.unregister("_quarterdeck_records")
    report.rows_read += read
    report.rejected += len(bad)
    lines = source.lines(set(bad[:MAX_LOCATED_PROBLEMS]))
    for record, record_id, name, message in rows:
        report.problems.append(Problem(source.source, lines.get(record), record_id, name, message))


def _unreadable(source: Staged, exc: duckdb.Error) -> Problem:
    """The file the reader failed on, with its line and field when a second reading finds them."""
    found = source.explain() if source.explain is not None else None
    if found is None:
        return Problem(source.source, None, None, "", f"cannot read: {_first_line(exc)}", whole_file=True)
    return Problem(source.source, found.line, None, found.field, found.message, whole_file=True)


def _services_declared(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM services").fetchall()[0][0] > 0


def _store_problems(warehouse: Warehouse, report: LoadReport, loaded_at: Any) -> None:
    rows = pa.table(
        {
            "source": [p.source for p in report.problems],
            "source_line": pa.array([p.line for p in report.problems], pa.int32()),
            "record_id": [p.record_id for p in report.problems],
            "field": [p.field or None for p in report.problems],
            "problem": [p.message for p in report.problems],
        }
    )
    constants = {"kind": report.kind, "outcome": "rejected", "loaded_at": loaded_at}
    warehouse.insert_arrow("delivery_import_problems", rows, constants)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
