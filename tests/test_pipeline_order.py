"""The order in which the pipeline stores a batch (``quarterdeck.pipeline.run.store_batch``),
on a real warehouse: rows marked ``before_delivery`` are committed before the delivery
records are loaded, the other rows after them, with the problems and cursors."""

from __future__ import annotations

from datetime import UTC, datetime

from quarterdeck.config import Settings
from quarterdeck.pipeline.run import store_batch
from quarterdeck.sources.reading import Batch, Delivery, Rows, SyncContext, SyncResult
from quarterdeck.store import open_warehouse

AT = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def job(run: str, number: int) -> dict:
    return {
        "job_id": f"{run}:job:{number}", "run_id": run, "repository": "api", "name": f"test {number}",
        "queued_at": None, "started_at": AT, "finished_at": AT, "result": "success", "runner": None,
    }  # fmt: skip


def run_record(run: str) -> dict:
    return {
        "id": run, "repository": "api", "workflow": "ci", "commit_sha": None, "queued_at": "2026-03-02T11:00:00Z",
        "started_at": "2026-03-02T11:01:00Z", "finished_at": "2026-03-02T11:05:00Z", "result": "success",
    }  # fmt: skip


def stored(warehouse, table: str) -> int:
    return warehouse.value(f"SELECT count(*) FROM {table}")


def test_rows_before_delivery_are_stored_before_the_delivery_records_and_the_rest_after(tmp_path):
    settings = Settings(db=tmp_path / "w.duckdb")
    runs, jobs = SyncResult("ci", "api", "runs"), SyncResult("ci", "api", "jobs")
    seen: dict[str, int] = {}
    with open_warehouse(settings.db) as warehouse:

        def after_delivery(batch: Batch) -> None:
            seen.update(runs=stored(warehouse, "ci_runs"), jobs=stored(warehouse, "ci_jobs"))
            seen["cursors"] = stored(warehouse, "source_cursors")

        batch = Batch(
            [runs, jobs],
            rows=[Rows("ci_jobs", [job("r1", 1), job("r1", 2)], {"source": "ci", "loaded_at": AT}, jobs, True)],
            delivery=[Delivery("ci_runs", [run_record("r1")], runs)],
            cursors={"runs": "2026-03-02T11:00:00Z"},
            after_delivery=after_delivery,
        )
        store_batch(warehouse, settings, "ci", "api", batch, SyncContext(None, AT))
        assert seen == {"runs": 1, "jobs": 2, "cursors": 0}
        assert (stored(warehouse, "ci_jobs"), jobs.stored, runs.stored, stored(warehouse, "source_cursors")) == (
            2, 2, 1, 1,
        )  # fmt: skip
