"""GitHub's reader run by the pipeline step by step, against a real server on 127.0.0.1
replaying the Actions jobs recorded for panjf2000/ants (see test_github_ingest): the order
in which a unit's records reach the warehouse."""

from __future__ import annotations

from datetime import UTC, datetime

from quarterdeck.config import Settings
from quarterdeck.pipeline.run import WarehouseState, store_batch
from quarterdeck.sources.github.reader import read_github
from quarterdeck.sources.project_file import one_off
from quarterdeck.sources.reading import Batch, Connection, SyncContext
from quarterdeck.store import open_warehouse
from tests.github_cassettes import RecordedRepository
from tests.replay import Replay, serve
from tests.test_github_ingest import REPO, recorded_jobs, run_items


def runs_with_jobs() -> RecordedRepository:
    """Ten finished runs, each built from its recorded jobs' times (as in test_github_ingest)."""
    jobs, template = recorded_jobs(), run_items()[0]
    runs = [
        dict(template, id=run_id, head_sha=items[0]["head_sha"], status="completed", conclusion="success",
             created_at=min(j["started_at"] for j in items), run_started_at=min(j["started_at"] for j in items),
             updated_at=max(j["completed_at"] for j in items))
        for run_id, items in jobs.items()
    ]  # fmt: skip
    return RecordedRepository(REPO, runs=runs, jobs=jobs)


def count(warehouse, table: str) -> int:
    return warehouse.value(f"SELECT count(*) FROM {table}")


def test_the_jobs_of_runs_are_stored_before_the_runs_so_a_sync_stopped_between_reads_both_again(tmp_path):
    settings = Settings(db=tmp_path / "w.duckdb")
    context = SyncContext(None, datetime.now(UTC))
    seen: dict[str, int] = {}
    with serve(runs_with_jobs().add_to(Replay())) as replay, open_warehouse(settings.db) as warehouse:
        config = one_off("github", (REPO,), replay.base_url)
        with read_github(Connection(config, settings, context)) as units:
            unit = next(u for u in units if u.resources == ("workflow_runs", "ci_jobs"))
            batch = unit.read(WarehouseState(warehouse, "github", REPO))
        decide = batch.after_delivery
        assert decide is not None

        def after_delivery(batch: Batch) -> None:  # the runs are loaded: what is stored by now
            seen.update(runs=count(warehouse, "ci_runs"), jobs=count(warehouse, "ci_jobs"))
            seen["cursors"] = count(warehouse, "source_cursors")
            decide(batch)

        batch.after_delivery = after_delivery
        store_batch(warehouse, settings, "github", REPO, batch, context)
        assert seen == {"runs": 10, "jobs": 18, "cursors": 0}
        assert (count(warehouse, "ci_runs"), count(warehouse, "ci_jobs"), count(warehouse, "source_cursors")) == (
            10, 18, 2,
        )  # fmt: skip
