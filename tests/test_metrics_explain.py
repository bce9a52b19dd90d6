"""`--explain` prints SQL that runs as is: every metric of the catalog, with every grouping it
accepts, within a unit and up to a day in the middle of the data, explained and then run,
unchanged, by a fresh DuckDB connection on the demo's warehouse (a simulated organization
ingested through every input)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from quarterdeck.config.settings import load_settings
from quarterdeck.metrics import MetricQuery, catalog, explain, run_metric
from quarterdeck.metrics.query import default_end, ending_on, settings_query_fields
from quarterdeck.store import open_warehouse
from tests.conftest import run_quarterdeck
from tests.dashboard_server import demo_warehouse


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return demo_warehouse(tmp_path_factory.mktemp("explain") / "demo")


def variants(name: str, unit: str, past: date) -> list[dict]:
    """The ways to ask for a metric: as it comes, by each of its groupings, within a unit,
    and ending on a day in the middle of the data."""
    metric = catalog()[name]
    asked: list[dict] = [{}]
    asked += [{"by": by} for by in metric.groupings]
    if "unit" in metric.parameters:
        asked.append({"unit": unit})
    if "until" in metric.parameters:
        asked.append({"until": past})
    return asked


def test_every_metric_explained_runs_as_is(demo):
    settings = load_settings(cli={"db": str(demo)}, config_path=None)
    fields = settings_query_fields(settings)
    with open_warehouse(demo, read_only=True) as warehouse:
        unit = warehouse.con.execute("SELECT min(team_id) FROM teams").fetchone()[0]
        first, last = warehouse.con.execute("SELECT min(author_time), max(author_time) FROM commits").fetchone()
        past = (first + (last - first) / 2).date()
        expected = {}
        for name, metric in catalog().items():
            for asked in variants(name, unit, past):
                query = MetricQuery(**fields, **asked)
                query = ending_on(metric, query, default_end(warehouse, query))  # as the command line asks
                expected[(name, str(asked))] = (explain(metric, query), len(run_metric(warehouse, metric, query).rows))
    failures = []
    con = duckdb.connect(str(demo), read_only=True)
    try:
        for (name, asked), (text, rows) in expected.items():
            try:
                ran = con.execute(text).fetchall()
            except duckdb.Error as error:
                failures.append(f"{name} {asked}: {str(error).splitlines()[0]}")
                continue
            if len(ran) != rows:
                failures.append(f"{name} {asked}: {len(ran)} rows as explained, {rows} when run")
    finally:
        con.close()
    assert not failures, "\n".join(failures)
    assert len(expected) > len(catalog())  # the groupings were tried too


def test_explain_on_the_command_line_runs_as_is(demo, tmp_path):
    done = run_quarterdeck("metrics", "show", "engineer_hours_waiting", "--db", str(demo), "--by", "team", "--explain")
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(demo), read_only=True)
    try:
        explained = con.execute(done.stdout).fetchall()
    finally:
        con.close()
    shown = run_quarterdeck(
        "metrics", "show", "engineer_hours_waiting", "--db", str(demo), "--by", "team", "--format", "json"
    )
    assert shown.returncode == 0, shown.stderr
    rows = json.loads(shown.stdout)["rows"]
    assert len(explained) == len(rows) > 0
    assert [(r[0], str(r[1]), r[2]) for r in explained] == [
        (r["group"], r["period_start"], r["authors_waiting"]) for r in rows
    ]
