"""The order in which the pipeline stores a batch (``quarterdeck.pipeline.run.store_batch``),
on a real warehouse: rows marked ``before_delivery`` are committed before the delivery
records are loaded, the other rows after them, with the problems and cursors; a bulk file's
store function runs in that same transaction."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from quarterdeck.config import Settings
from quarterdeck.core.errors import SourceError
from quarterdeck.pipeline.run import store_batch
from quarterdeck.sources.reading import Batch, Bulk, Delivery, Rows, SyncContext, SyncResult
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


def store_marks(con, marks: list[str], refuse: bool = False) -> int:
    """A bulk store function (as a store module's would be): rows written with SQL."""
    con.executemany("INSERT INTO source_cursors VALUES ('bulk', ?, 'r', 'c', ?)", [(m, AT) for m in marks])
    if refuse:
        raise SourceError("refused: the marks are wrong")
    return len(marks)


def test_a_bulk_is_stored_in_the_batch_transaction_and_its_refusal_stores_nothing_of_the_batch(tmp_path):
    settings = Settings(db=tmp_path / "w.duckdb")
    result = SyncResult("bulk", "file", "marks")
    with open_warehouse(settings.db) as warehouse:
        batch = Batch([result], bulk=[Bulk("tests.test_pipeline_order:store_marks", {"marks": ["a", "b"]}, result)])
        store_batch(warehouse, settings, "bulk", "file", batch, SyncContext(None, AT))
        assert (stored(warehouse, "source_cursors"), result.read, result.stored) == (2, 2, 2)
        refused = Batch(
            [SyncResult("bulk", "file", "marks")],
            bulk=[Bulk("tests.test_pipeline_order:store_marks", {"marks": ["c"], "refuse": True})],
            cursors={"marks": "2026-03-02"},
        )
        with pytest.raises(SourceError, match="the marks are wrong"):
            store_batch(warehouse, settings, "bulk", "other", refused, SyncContext(None, AT))
        assert stored(warehouse, "source_cursors") == 2
