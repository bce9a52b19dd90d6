"""Reading an applicant tracking export: one unit per file, refused whole when any line is
wrong (a bad date, an unknown stage or outcome, a stage entered before an earlier stage of
the funnel, a line given twice); a file replaces every stored row of the requisitions it
holds. A requisition the stored positions lack is stored with a note (decision 0069)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from quarterdeck.sources.hiring.funnel import FUNNEL, candidate_source, load_stages, outcome, stage_check
from quarterdeck.sources.reading import Batch, Connection, Replace, StoredState, SyncResult, Unit
from quarterdeck.sources.table_files import (
    Column,
    ColumnMapping,
    TableProblem,
    checked_records,
    day,
    file_units,
    repeated,
    replacing,
    text,
)

COLUMNS = ("requisition", "candidate", "stage", "date", "outcome", "source")
RESOURCE = "hiring"


def columns(mapping: ColumnMapping, stages: dict[str, str]) -> tuple[Column, ...]:
    return (
        Column("requisition", text),
        Column("candidate", text),
        Column("stage", stage_check(stages)),
        Column("date", day(mapping.date_format)),
        Column("outcome", outcome, required=False, optional=True),
        Column("source", candidate_source, required=False, optional=True),
    )


@contextmanager
def read_hiring(connection: Connection) -> Iterator[Iterator[Unit]]:
    yield file_units(connection, RESOURCE, read_file, COLUMNS, "'%d/%m/%Y'")


def read_file(connection: Connection, path: Path, mapping: ColumnMapping, state: StoredState) -> Batch:
    result = SyncResult(connection.config.name, path.name, RESOURCE)
    stages = load_stages(mapping.path)
    checks = (repeated_lines, backwards, hired_elsewhere)
    records = checked_records(path, columns(mapping, stages), mapping, result, *checks)
    for note in unknown_requisitions(str(path), records, state):
        connection.context.on_wait(0.0, note)
    rows = [line_row(str(path), record) for record in records]
    batch = replacing(connection, result, RESOURCE, "hiring_stages", rows, None)
    requisitions = sorted({row["requisition"] for row in rows})
    if requisitions:
        batch.replace.append(Replace("hiring_stages", {"requisition": requisitions}))
    return batch


def repeated_lines(file: str, records: list[dict[str, Any]]) -> list[TableProblem]:
    """A second line for the same requisition, candidate and stage (any case)."""
    return repeated(
        file,
        records,
        lambda r: (r["requisition"], r["candidate"], r["stage"][0].lower()),
        lambda r, first: (
            f"a second line for candidate {r['candidate']} of {r['requisition']} in stage {r['stage'][0]!r} "
            f"(the first is line {first}): expected one line each"
        ),
    )


def backwards(file: str, records: list[dict[str, Any]]) -> list[TableProblem]:
    """A stage entered before a stage that comes earlier in the funnel, for the same candidate."""
    by_candidate: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_candidate[(record["requisition"], record["candidate"])].append(record)
    problems = []
    for lines in by_candidate.values():
        for record in lines:
            rank = FUNNEL.index(record["stage"][1])
            earlier = [r for r in lines if FUNNEL.index(r["stage"][1]) < rank and r["date"] > record["date"]]
            if earlier:
                first = min(earlier, key=lambda r: r["line"])
                problems.append(TableProblem(file, record["line"], "date", (
                    f"stage {record['stage'][0]!r} ({record['stage'][1]}) entered {record['date']}, before stage "
                    f"{first['stage'][0]!r} ({first['stage'][1]}) on {first['date']} (line {first['line']}): "
                    "expected the funnel's stages entered in its order"
                )))  # fmt: skip
    return problems


def hired_elsewhere(file: str, records: list[dict[str, Any]]) -> list[TableProblem]:
    """An outcome ``hired`` on a line whose stage is not the funnel's hired stage: the hire
    would not count as one (a hire is a candidate entering the hired stage)."""
    return [
        TableProblem(file, r["line"], "outcome", (
            f"hired on stage {r['stage'][0]!r} ({r['stage'][1]}): expected the outcome hired on a stage that maps "
            "onto hired (add the hire's line, or map this stage onto hired in the mapping's stages:)"
        ))
        for r in records
        if r["outcome"] == "hired" and r["stage"][1] != "hired"
    ]  # fmt: skip


def unknown_requisitions(file: str, records: list[dict[str, Any]], state: StoredState) -> list[str]:
    """A note for each requisition the stored positions lack (none when no position is stored)."""
    positions = state.stored("positions", "position_id", "team_id")
    if not positions:
        return []
    first: dict[str, int] = {}
    for record in records:
        if record["requisition"] not in positions:
            first.setdefault(record["requisition"], record["line"])
    return [
        f"{file}:{line}: requisition {req} is not among the stored positions: stored, without a team or level"
        for req, line in first.items()
    ]


def line_row(file: str, record: dict[str, Any]) -> dict[str, Any]:
    name, funnel = record["stage"]
    return {
        "requisition": record["requisition"],
        "candidate_id": record["candidate"],
        "stage": name,
        "funnel_stage": funnel,
        "funnel_rank": FUNNEL.index(funnel) + 1,
        "entered": record["date"],
        "outcome": record["outcome"],
        "candidate_source": record["source"],
        "file": file,
        "line": record["line"],
    }
