"""The delivery metrics through the command line on a small history: every metric's
--explain SQL returns exactly the rows shown, the order of imports (git before or after the
deployments) does not change the links, and the delivery settings take effect."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.gitrepo import Repo
from tests.test_metrics_cli import _run_explained, _same
from tests.warehouse_rows import query

DELIVERY_METRICS = (
    "deployment_frequency",
    "lead_time_for_changes",
    "change_failure_rate",
    "time_to_restore",
    "failed_deployment_recovery_time",
    "dora_performance",
    "availability",
    "error_budget_remaining",
    "error_budget_burn_rate",
    "incidents",
    "mtta",
    "mttr",
    "open_critical_incidents",
    "ci_queue_time",
    "ci_run_time",
    "ci_failure_rate",
    "merge_to_deploy_time",
)
BERLIN = {"QUARTERDECK_TIMEZONE": "Europe/Berlin"}


def make_history(root: Path) -> tuple[Path, dict[str, Path]]:
    """A repository of five daily commits, and delivery files about it."""
    repo = Repo.create(root / "app")
    shas = []
    for day in range(1, 6):
        repo.write(f"f{day}.txt", f"{day}\n")
        shas.append(repo.commit(f"change {day}", when=f"2026-03-0{day}T10:00:00+00:00"))
    files = {
        "deployments": "id,service,environment,commit_sha,started_at,finished_at,result,repository\n"
        + "".join(
            f"d{n},api,{env},{shas[i]},2026-03-0{i + 1}T11:00:00Z,2026-03-0{i + 1}T12:00:00Z,{result},app\n"
            for n, (i, env, result) in enumerate(
                [
                    (0, "production", "success"),
                    (2, "production", "success"),
                    (3, "live", "success"),
                    (4, "production", "failure"),
                    (4, "production", "success"),
                ],
                start=1,
            )
        ),
        "incidents": "id,service,severity,created_at,acknowledged_at,resolved_at\n"
        "i1,api,SEV1,2026-03-04T00:00:00Z,2026-03-04T00:10:00Z,2026-03-04T02:00:00Z\n"
        "i2,api,P3,2026-03-07T00:00:00Z,,\n"
        "i3,api,SEV2,2026-03-05T13:00:00+01:00,2026-03-05T12:30:00Z,\n"
        "i4,,,2026-03-07T00:00:00Z,,2026-03-07T01:00:00Z\n",
        "ci-runs": "id,repository,workflow,commit_sha,queued_at,started_at,finished_at,result\n"
        f"r1,app,ci,{shas[0]},2026-03-01T10:00:00Z,2026-03-01T10:05:00Z,2026-03-01T10:15:00Z,success\n"
        f"r2,app,ci,{shas[1]},2026-03-02T10:00:00Z,2026-03-02T10:01:00Z,2026-03-02T10:11:00Z,failure\n",
        "availability": "service,window_start,window_end,good,total\n"
        "api,2026-03-01T00:00:00Z,2026-03-02T00:00:00Z,999,1000\n"
        "api,2026-03-02T00:00:00Z,2026-03-03T00:00:00Z,990,1000\n",
        "slos": "id,service,target,time_window\napi-availability,api,99.9,28d\n",
    }
    paths = {}
    for kind, text in files.items():
        paths[kind] = root / f"{kind}.csv"
        paths[kind].write_text(text, encoding="utf-8")
    return repo.path, paths


def ingest(db: Path, kind: str, path: Path, env: dict[str, str] | None = None) -> None:
    result = run_quarterdeck("ingest", kind, str(path), "--db", str(db), env=env)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Path]]:
    root = tmp_path_factory.mktemp("delivery-cli")
    repo, files = make_history(root)
    db = root / "warehouse.duckdb"
    ingest(db, "git", repo)
    for kind, path in files.items():
        ingest(db, kind, path)
    return db, repo, files


@pytest.mark.parametrize("metric", DELIVERY_METRICS)
def test_explained_sql_returns_the_rows_shown(history, metric):
    db = history[0]
    window = (
        ("--until", "2026-03-08")
        if metric == "error_budget_remaining"
        else ("--since", "2026-03-01", "--until", "2026-03-08")
    )
    common = ("metrics", "show", metric, "--db", str(db), *window)
    shown = run_quarterdeck(*common, "--format", "json", env=BERLIN)
    assert shown.returncode == 0, shown.stderr
    expected = json.loads(shown.stdout)["rows"]
    assert expected, "the case should produce rows"
    explained = run_quarterdeck(*common, "--explain", env=BERLIN)
    assert explained.returncode == 0, explained.stderr
    assert not re.search(r"\$[a-z_]+\b", re.sub(r"(?m)^--.*$", "", explained.stdout)), "a parameter was left unbound"
    for session_zone in (None, "America/Los_Angeles"):
        columns, got = _run_explained(db, explained.stdout, session_zone)
        assert len(got) == len(expected), session_zone
        for want, row in zip(expected, got, strict=True):
            assert all(_same(want[c], v) for c, v in zip(columns, row, strict=True)), (session_zone, want, row)


def test_git_after_the_deployments_gives_the_same_links(history, tmp_path):
    db, repo, files = history
    later = tmp_path / "later.duckdb"
    for kind, path in files.items():
        ingest(later, kind, path)
    assert query(later, "SELECT count(*) FROM deployment_commits") == [(0,)]  # git unknown yet
    ingest(later, "git", repo)
    for table in ("deployment_commits", "change_deployments", "incident_deployments", "deployment_walks"):
        sql = f"SELECT * FROM {table} ORDER BY ALL"
        assert query(later, sql) == query(db, sql), table


def test_production_environments_and_the_attribution_window_come_from_the_settings(history, tmp_path):
    _, repo, files = history
    db = tmp_path / "settings.duckdb"
    env = {"QUARTERDECK_PRODUCTION_ENVIRONMENTS": "production,live", "QUARTERDECK_INCIDENT_WINDOW_DAYS": "1"}
    ingest(db, "git", repo, env)
    for kind, path in files.items():
        ingest(db, kind, path, env)
    # d3 deploys to 'live', production now: the week of 03-02 has d2, d3 and d5.
    assert query(db, "SELECT deployment_id FROM deployments WHERE is_production AND result = 'success' ORDER BY 1") == [
        ("d1",),
        ("d2",),
        ("d3",),
        ("d5",),
    ]
    # i1 (03-04 00:00) is 12 h after d2, i3 (03-05 12:00) just as d5 finished; i2 (03-07 00:00) is 36 h
    # after d5: beyond the 1-day window (with the default 7 days it is d5's, see the data-quality test).
    assert query(db, "SELECT incident_id, deployment_id, link FROM incident_deployments ORDER BY 1") == [
        ("i1", "d2", "inferred"),
        ("i3", "d5", "inferred"),
    ]
    # 'live' and 'production' are one environment: d3 ships c4 after d2, then d5 ships c5.
    shipped = "SELECT deployment_id, count(*) FROM deployment_commits GROUP BY 1 ORDER BY 1"
    assert query(db, shipped) == [("d2", 2), ("d3", 1), ("d5", 1)]


def test_data_quality_names_each_check_and_its_rows(history):
    db = history[0]
    result = run_quarterdeck("data-quality", "--db", str(db), "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {(r["check"], r["record"]) for r in rows} == {
        ("incidents_without_service", "i4"),
        ("unlinked_incidents", "i4"),
    }
    assert query(db, "SELECT incident_id, deployment_id FROM incident_deployments ORDER BY 1") == [
        ("i1", "d2"),
        ("i2", "d5"),
        ("i3", "d5"),
    ]
    table = run_quarterdeck("data-quality", "--db", str(db), "--check", "unlinked_incidents")
    assert table.returncode == 0 and "i4" in table.stdout
