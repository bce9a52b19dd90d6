"""Metrics that differ by a column share one fragment: the fragment takes arguments
(``-- takes:``), each metric gives them (``-- arguments:``), and compiling writes them in, so
``--explain`` prints the SQL that runs, arguments and all.

The values of the six metrics built this way (ci_queue_time, ci_run_time, mtta, mttr,
time_to_restore, failed_deployment_recovery_time) are checked by the delivery golden tests;
here: the catalog's checks, what --explain prints, and that the SQL it prints runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from quarterdeck.core.errors import MetricError
from quarterdeck.metrics import catalog
from quarterdeck.metrics.catalog import fragment_arguments, metric_from
from tests.conftest import run_quarterdeck

HEADER = """\
-- name: ci_waits
-- title: CI waits
-- description: Queue time of CI runs.
-- unit: minutes
-- grain: group, period (--grain week, month, quarter or window)
-- good_direction: down
-- value: median_minutes
-- default_window_days: 28
-- parameters: since, until, grain, by, unit
-- groupings: org, repository
-- uses: delivery_periods, team_lineage, unit_scope, team_units, ci_groups, ci_durations
"""
BODY = 'SELECT * FROM ci_durations ORDER BY "group", period_start\n'


def test_the_shared_fragments_take_the_column_their_metrics_differ_by():
    assert fragment_arguments()["ci_durations"] == ("minutes",)
    assert fragment_arguments()["incident_means"] == ("ended", "seconds")
    assert fragment_arguments()["restore_times"] == ("started", "kept")
    metrics = catalog()
    assert dict(metrics["ci_queue_time"].arguments) == {"minutes": "queue_minutes"}
    assert dict(metrics["ci_run_time"].arguments) == {"minutes": "run_minutes"}
    assert dict(metrics["mtta"].arguments) == {"ended": "acknowledged_at", "seconds": "60"}
    assert dict(metrics["mttr"].arguments) == {"ended": "resolved_at", "seconds": "3600"}
    assert dict(metrics["time_to_restore"].arguments) == {"started": "created_at", "kept": "true"}
    assert dict(metrics["failed_deployment_recovery_time"].arguments) == {
        "started": "deployment_finished_at",
        "kept": "attributed_deployment_id IS NOT NULL",
    }


def test_compiling_writes_each_metrics_arguments_into_the_fragment():
    queue, run = catalog()["ci_queue_time"].compiled_sql(), catalog()["ci_run_time"].compiled_sql()
    assert "quantile_cont(queue_minutes, [0.5, 0.75, 0.9])" in queue and "{minutes}" not in queue
    assert "quantile_cont(run_minutes, [0.5, 0.75, 0.9])" in run and "quantile_cont(queue_minutes" not in run
    mtta = catalog()["mtta"].compiled_sql()
    assert "avg((epoch(acknowledged_at) - epoch(created_at)) / 60) AS mean" in mtta
    recovery = catalog()["failed_deployment_recovery_time"].compiled_sql()
    assert "(epoch(resolved_at) - epoch(deployment_finished_at)) / 3600 AS hours" in recovery
    assert "WHERE attributed_deployment_id IS NOT NULL" in recovery


def test_a_missing_argument_names_the_file_and_line():
    with pytest.raises(MetricError) as raised:
        metric_from(HEADER + BODY, "ci_waits.sql")
    assert str(raised.value) == "ci_waits.sql:11: ci_durations takes minutes ('-- arguments: name = SQL; ...')"


def test_an_argument_no_fragment_takes_or_a_malformed_one_names_the_file_and_line():
    with pytest.raises(MetricError) as raised:
        metric_from(HEADER + "-- arguments: minutes = queue_minutes; hours = 1\n" + BODY, "ci_waits.sql")
    assert str(raised.value) == ("ci_waits.sql:12: no fragment it uses takes hours ('-- arguments: name = SQL; ...')")
    with pytest.raises(MetricError) as raised:
        metric_from(HEADER + "-- arguments: minutes queue_minutes\n" + BODY, "ci_waits.sql")
    assert str(raised.value) == (
        "ci_waits.sql:12: write each argument as 'name = SQL', separated by ';' (got 'minutes queue_minutes')"
    )


def test_a_new_metric_reuses_a_fragment_with_an_argument_of_its_own():
    metric = metric_from(HEADER + "-- arguments: minutes = queue_minutes + run_minutes\n" + BODY, "ci_waits.sql")
    assert "quantile_cont(queue_minutes + run_minutes, [0.5, 0.75, 0.9])" in metric.compiled_sql()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fragments")
    runs = folder / "ci-runs.csv"
    runs.write_text(
        "id,repository,workflow,queued_at,started_at,finished_at,result\n"
        "r1,api,build,2026-03-02T10:00:00Z,2026-03-02T10:04:00Z,2026-03-02T10:14:00Z,success\n"
        "r2,api,build,2026-03-03T10:00:00Z,2026-03-03T10:02:00Z,2026-03-03T10:32:00Z,failure\n"
        "r3,api,build,2026-03-04T10:00:00Z,2026-03-04T10:09:00Z,2026-03-04T10:29:00Z,success\n",
        encoding="utf-8",
    )
    db = folder / "warehouse.duckdb"
    done = run_quarterdeck("--db", str(db), "ingest", "ci-runs", str(runs))
    assert done.returncode == 0, done.stderr
    return db


@pytest.mark.parametrize(("name", "median"), [("ci_queue_time", 4.0), ("ci_run_time", 20.0)])
def test_explain_prints_the_sql_that_runs_with_the_argument_written_in(warehouse: Path, name: str, median: float):
    window = ("--since", "2026-03-01", "--until", "2026-03-31", "--grain", "month", "--db", str(warehouse))
    shown = run_quarterdeck("metrics", "show", name, *window, "--format", "json")
    explained = run_quarterdeck("metrics", "show", name, *window, "--explain")
    assert shown.returncode == 0 and explained.returncode == 0, shown.stderr + explained.stderr
    rows = json.loads(shown.stdout)["rows"]
    assert [(r["group"], r["runs"], r["median_minutes"]) for r in rows] == [("organization", 3, median)]
    sql = explained.stdout
    assert "{minutes}" not in sql and f"count({'queue' if name == 'ci_queue_time' else 'run'}_minutes)" in sql
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        again = con.execute(sql).fetchall()
    finally:
        con.close()
    assert [(g, n, m) for g, _, n, m, *_ in again] == [("organization", 3, median)]
