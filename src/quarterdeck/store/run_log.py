"""The ledger of ingestion runs (``ingestion_runs``): when each ran, how it ended, what it added.

A run still marked ``running`` when the next one of its kind starts was killed; it is
marked ``interrupted``.
"""

from __future__ import annotations

from datetime import datetime

from quarterdeck.store.warehouse import Warehouse, first_row


def start_run(warehouse: Warehouse, kind: str, started_at: datetime) -> tuple[int, bool]:
    """Record a new run, in its own transaction; returns (run id, whether an earlier run of
    this kind was interrupted)."""
    with warehouse.transaction() as con:
        row = first_row(
            con.execute("SELECT count(*) FROM ingestion_runs WHERE kind = ? AND status = 'running'", [kind])
        )
        interrupted = bool(row and row[0])
        if interrupted:
            con.execute(
                "UPDATE ingestion_runs SET status = 'interrupted' WHERE kind = ? AND status = 'running'",
                [kind],
            )
        row = first_row(con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM ingestion_runs"))
        run_id = int(row[0]) if row else 1
        con.execute(
            "INSERT INTO ingestion_runs (run_id, kind, started_at, status, source, loaded_at) "
            "VALUES (?, ?, ?, 'running', 'quarterdeck', ?)",
            [run_id, kind, started_at, started_at],
        )
    return run_id, interrupted


def close_run(
    warehouse: Warehouse,
    run_id: int,
    *,
    finished_at: datetime,
    status: str,
    repositories: int,
    commits_added: int,
    files_added: int,
    failures: list[str],
) -> None:
    """Close a run with its status and totals."""
    warehouse.con.execute(
        "UPDATE ingestion_runs SET finished_at = ?, status = ?, repositories = ?, commits_added = ?, "
        "files_added = ?, failures = ? WHERE run_id = ?",
        [finished_at, status, repositories, commits_added, files_added, failures, run_id],
    )


def forget_run(warehouse: Warehouse, run_id: int) -> None:
    """Remove the ledger row of a run that stored nothing."""
    warehouse.con.execute("DELETE FROM ingestion_runs WHERE run_id = ?", [run_id])
