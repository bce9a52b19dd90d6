"""A metric is one file: its definition header also declares its dashboard tile.

The catalog reads the ``tile`` keys and checks them (an unknown area or reduction names the
file and line); the overview's tiles are exactly the metrics that declare one. A new
definition file alone, in a copy of the package, shows in ``metrics list`` and as a tile of
the running dashboard, with no Python changed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import quarterdeck
from quarterdeck.core.errors import MetricError
from quarterdeck.metrics.catalog import metric_from
from quarterdeck.metrics.scorecard import tiles
from tests.conftest import run_quarterdeck
from tests.dashboard_server import DashboardServer

HEADER = """\
-- name: shipped
-- title: Shipped deployments
-- description: Production deployments that finished successfully in the period.
-- unit: deployments
-- grain: group, period (--grain week, month, quarter or window)
-- good_direction: up
-- value: deployments
-- default_window_days: 84
-- parameters: since, until, grain, by, unit
-- groupings: org
-- uses: delivery_periods
"""
BODY = """\
SELECT
    'organization' AS "group",
    p.period_start,
    count(d.deployment_id) AS deployments
FROM delivery_periods AS p
LEFT JOIN deployments AS d
  ON d.result = 'success' AND d.finished_at >= $since AND d.finished_at < $until_end
 AND time_bucket($period, CAST(timezone($timezone, d.finished_at) AS DATE), $period_origin) = p.period_start
GROUP BY ALL
ORDER BY p.period_start
"""


def definition(*tile_lines: str) -> str:
    return HEADER + "".join(f"{line}\n" for line in tile_lines) + BODY


# -- the catalog reads and checks the tile keys ---------------------------------------------


def test_the_tile_keys_are_read_with_their_defaults():
    spec = metric_from(definition("-- tile: delivery", "-- tile_order: 25"), "shipped.sql").tile
    assert spec is not None
    assert (spec.metric, spec.area, spec.shape, spec.order) == ("shipped", "delivery", "period", 25)
    assert spec.reduce == "value"
    assert (spec.title, spec.unit, spec.threshold, spec.trailing) == (None, None, None, False)
    assert metric_from(definition(), "shipped.sql").tile is None  # no tile: line, no tile


def test_an_unknown_tile_area_names_the_file_and_line():
    with pytest.raises(MetricError) as raised:
        metric_from(definition("-- tile: deliveries"), "shipped.sql")
    assert str(raised.value) == (
        "shipped.sql:12: unknown tile area 'deliveries'; known: delivery, reliability, waiting, entropy, people, money"
    )


def test_an_unknown_tile_reduction_names_the_file_and_line():
    with pytest.raises(MetricError) as raised:
        metric_from(definition("-- tile: delivery", "-- tile_order: 5", "-- tile_reduce: average"), "shipped.sql")
    assert str(raised.value) == (
        "shipped.sql:14: unknown tile_reduce 'average' for a metric reported per period; known: value, sum, ratio"
    )
    with pytest.raises(MetricError, match=r"^shipped\.sql:13: unknown tile_reduce 'max' .*known: value, sum, ratio$"):
        metric_from(definition("-- tile: delivery", "-- tile_reduce: max"), "shipped.sql")


def test_other_bad_tile_keys_name_the_file_and_line():
    cases = {
        ("-- tile_title: Shipped",): "shipped.sql:12: tile_title needs a '-- tile: AREA' line too",
        ("-- tile: delivery", "-- tile_order: soon"): "shipped.sql:13: tile_order must be a whole number, not 'soon'",
        ("-- tile: delivery", "-- tile_trailing: true"): "shipped.sql:13: tile_trailing must be true or false "
        "(true only for a metric that takes --at)",
        ("-- tile: delivery", "-- tile_threshold: 1"): "shipped.sql:13: tile_threshold goes with "
        "tile_reduce: count_at_most",
    }
    for lines, message in cases.items():
        with pytest.raises(MetricError) as raised:
            metric_from(definition(*lines), "shipped.sql")
        assert str(raised.value) == message, lines


def test_the_overview_tiles_are_the_metrics_that_declare_one_in_the_order_they_give():
    assert [(t.area, t.metric) for t in tiles()] == [
        ("delivery", "deployment_frequency"),
        ("delivery", "lead_time_for_changes"),
        ("delivery", "change_failure_rate"),
        ("delivery", "time_to_restore"),
        ("reliability", "availability"),
        ("reliability", "incidents"),
        ("reliability", "open_critical_incidents"),
        ("reliability", "open_critical_bugs"),
        ("reliability", "critical_bug_escape_rate"),
        ("waiting", "pr_pickup_time"),
        ("waiting", "pr_review_time"),
        ("waiting", "engineer_hours_waiting"),
        ("waiting", "issue_blocked_time"),
        ("entropy", "bus_factor"),
        ("entropy", "hotspots"),
        ("people", "headcount"),
        ("people", "attrition_rate"),
        ("people", "span_of_control"),
    ]
    by_name = {t.metric: t for t in tiles()}
    bus = by_name["bus_factor"]
    assert (bus.shape, bus.reduce, bus.threshold, bus.unit) == ("snapshot", "count_at_most", 1, "repositories")
    assert bus.title == "Repositories with a bus factor of 1"
    assert (by_name["hotspots"].reduce, by_name["hotspots"].title) == ("max", "Top hotspot score")
    assert by_name["attrition_rate"].trailing and by_name["attrition_rate"].shape == "date"
    assert by_name["attrition_rate"].title == "Attrition rate, trailing 12 months"
    assert (by_name["availability"].reduce, by_name["incidents"].reduce) == ("ratio", "sum")


# -- a new file alone, in a copy of the package ------------------------------------------------


def package_copy(root: Path, name: str, text: str) -> dict[str, str]:
    """A copy of the package with one more definition file; the environment that runs it."""
    copy = root / "src" / "quarterdeck"
    shutil.copytree(Path(quarterdeck.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "metrics" / "definitions" / name).write_text(text, encoding="utf-8")
    return {"PYTHONPATH": str(root / "src")}


DEPLOYMENTS = """\
id,service,environment,commit_sha,finished_at,result
d1,checkout,production,{sha},2026-03-02T10:00:00+00:00,success
d2,checkout,production,{sha},2026-04-01T10:00:00+00:00,success
d3,checkout,production,{sha},2026-04-15T10:00:00+00:00,failure
d4,checkout,production,{sha},2026-04-20T10:00:00+00:00,success
d5,checkout,production,{sha},2026-04-30T23:00:00+00:00,success
""".format(sha="a" * 40)


def test_a_new_definition_file_alone_is_listed_and_is_a_tile(tmp_path: Path):
    env = package_copy(tmp_path / "copy", "shipped.sql", definition("-- tile: delivery", "-- tile_order: 25"))
    listed = run_quarterdeck("metrics", "list", "--format", "json", env=env)
    assert listed.returncode == 0, listed.stderr
    assert {"name": "shipped", "title": "Shipped deployments"}.items() <= next(
        m for m in json.loads(listed.stdout) if m["name"] == "shipped"
    ).items()

    db = tmp_path / "warehouse.duckdb"
    (tmp_path / "deploys.csv").write_text(DEPLOYMENTS, encoding="utf-8")
    done = run_quarterdeck("--db", str(db), "ingest", "deployments", str(tmp_path / "deploys.csv"), env=env)
    assert done.returncode == 0, done.stderr
    server = DashboardServer(db, tmp_path, env=env)
    try:
        board, page = server.get("/api/v1/scorecard").json(), server.get("/").text
        metric_page = server.get("/metrics/shipped")
    finally:
        server.stop()
    names = [t["metric"] for t in board["tiles"]]
    assert names[:5] == ["deployment_frequency", "lead_time_for_changes", "shipped", "change_failure_rate",
                         "time_to_restore"]  # fmt: skip
    shipped = board["tiles"][2]
    assert (shipped["area"], shipped["title"], shipped["unit"]) == ("delivery", "Shipped deployments", "deployments")
    # the window ends with April 2026 (the data's last month): d2, d4, d5 succeeded in it, d1 in March
    assert (shipped["value"], shipped["previous"]) == (3, 1)
    assert "Shipped deployments" in page
    assert page.index("Lead time for changes") < page.index("Shipped deployments") < page.index("Change failure rate")
    assert metric_page.status_code == 200 and "Shipped deployments" in metric_page.text
    months = ("--grain", "month", "--format", "json")
    shown = run_quarterdeck("metrics", "show", "shipped", "--db", str(db), *months, env=env)
    assert shown.returncode == 0, shown.stderr
    assert [r["deployments"] for r in json.loads(shown.stdout)["rows"]][-2:] == [1, 3]  # March, April


def test_a_bad_tile_in_a_new_file_is_an_error_naming_it_not_a_traceback(tmp_path: Path):
    env = package_copy(tmp_path / "copy", "shipped.sql", definition("-- tile: delivery", "-- tile_reduce: mean"))
    listed = run_quarterdeck("metrics", "list", env=env)
    assert listed.returncode != 0
    assert "shipped.sql:13: unknown tile_reduce 'mean'" in listed.stderr
    assert "Traceback" not in listed.stderr
