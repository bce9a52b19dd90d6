"""How an ingestion run ended, for its row in the ledger of runs (``store.run_log``).

A run still marked ``running`` when the next one starts was killed; it is marked
``interrupted`` and the next run repairs anything derived that it left behind.
"""

from __future__ import annotations

from quarterdeck.core.clock import now
from quarterdeck.store import Warehouse
from quarterdeck.store.run_log import close_run


def finish_run(
    warehouse: Warehouse,
    run_id: int,
    *,
    repositories: int,
    commits_added: int,
    files_added: int,
    failures: list[str],
) -> str:
    """Close a run with its totals; returns its status."""
    if not failures:
        status = "succeeded"
    elif len(failures) < repositories:
        status = "partial"
    else:
        status = "failed"
    close_run(
        warehouse,
        run_id,
        finished_at=now(),
        status=status,
        repositories=repositories,
        commits_added=commits_added,
        files_added=files_added,
        failures=failures,
    )
    return status
