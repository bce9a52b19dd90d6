"""``quarterdeck report diligence``: its numbers are the metrics' numbers, delivery appears
when deployments are in the warehouse, and bad input gets a clear error, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_quarterdeck
from tests.diligence_repos import healthy, legacy, risky
from tests.orgdata import write

DEPLOY_HEADER = "id,service,environment,commit_sha,started_at,finished_at,result"


def metric(db: Path, *args: str) -> list[dict]:
    done = run_quarterdeck("--db", str(db), "metrics", "show", *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["rows"]


def test_numbers_equal_metrics_show_and_delivery_appears_with_deployments(tmp_path: Path) -> None:
    repo = healthy(tmp_path / "repos")
    legacy(tmp_path / "repos")
    risky(tmp_path / "repos")
    db = tmp_path / "kept.duckdb"
    first, last = repo.commits[1], repo.commits[3]
    rows = [f"d1,shop,production,{first},2026-10-11T09:00:00Z,2026-10-11T09:10:00Z,success",
            f"d2,shop,production,{last},2026-10-13T12:00:00Z,2026-10-13T12:10:00Z,failed",
            f"d3,shop,production,{last},2026-10-14T12:00:00Z,2026-10-14T12:10:00Z,success"]  # fmt: skip
    deploys = write(tmp_path, "deploys.csv", "\n".join([DEPLOY_HEADER, *rows]) + "\n")
    done = run_quarterdeck("--db", str(db), "ingest", "deployments", str(deploys))
    assert done.returncode == 0, done.stderr
    done = run_quarterdeck("report", "diligence", "--repos", str(tmp_path / "repos"), "--out", str(tmp_path / "out"),
                           "--format", "json", "--db", str(db))  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    ends = found["data_ends"]
    bus = {r["repository"]: r["bus_factor"] for r in metric(db, "bus_factor")}
    assert (
        {r["name"]: r["bus_factor_12m"] for r in found["repositories"]}
        == bus
        == {"healthy": 2, "legacy": 1, "risky": 1}
    )
    mix: dict[str, dict[str, int]] = {}
    for row in metric(db, "stack_licence_mix", "--by", "repository"):
        mix.setdefault(row["group"], {})[row["licence"]] = row["dependencies"]
    assert {r["name"]: r["dependency_licences"] for r in found["repositories"] if r["dependencies"]} == mix
    assert mix == {"healthy": {"unknown": 2}, "risky": {"GPL-3.0": 1, "Apache-2.0": 1}}
    quarters = metric(db, "active_contributors", "--grain", "quarter", "--since", "2024-03-04")
    assert [(q["commits"], q["active_contributors"]) for q in found["quarters"]] == [
        (q["commits"], q["active_contributors"]) for q in quarters
    ]
    since = "2026-08-23"  # the 90 days to the end of the data, 2026-11-20
    assert ends == "2026-11-20"
    shown = {d["metric"]: d["value"] for d in found["delivery"]}
    for name, column in (
        ("deployment_frequency", "deploy_days_per_week"),
        ("change_failure_rate", "change_failure_rate"),
    ):
        rows = metric(db, name, "--since", since, "--until", ends, "--grain", "window")
        assert shown[name] == rows[0][column]
    assert shown["change_failure_rate"] is not None and shown["deployment_frequency"] > 0


def test_without_deployments_delivery_is_said_to_be_absent(tmp_path: Path) -> None:
    healthy(tmp_path / "repos")
    done = run_quarterdeck("report", "diligence", "--repos", str(tmp_path / "repos"), "--out", str(tmp_path / "out"),
                           "--format", "json,html")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["delivery"] is None
    assert "No deployment data in the warehouse" in (tmp_path / "out" / "diligence.html").read_text()


def test_bad_input_gets_a_clear_error_and_leaves_nothing_behind(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    done = run_quarterdeck("report", "diligence", "--repos", str(empty), "--out", str(tmp_path / "out"))
    assert done.returncode != 0 and "no git repository found" in done.stderr and "Traceback" not in done.stderr
    healthy(tmp_path / "repos")
    done = run_quarterdeck("report", "diligence", "--repos", str(tmp_path / "repos"), "--format", "html,docx")
    assert done.returncode == 2 and "--format" in done.stderr and "docx" in done.stderr
    bad = write(tmp_path, "people.csv", "id,name,email,start_date\nP1,Ann,ann@example.com,not-a-date\n")
    done = run_quarterdeck("report", "diligence", "--repos", str(tmp_path / "repos"), "--out", str(tmp_path / "out"),
                           "--org", str(bad))  # fmt: skip
    assert done.returncode != 0 and "people.csv" in done.stderr and "Traceback" not in done.stderr
    assert not list((tmp_path / "out").iterdir()), "no warehouse or page is left behind"


def test_a_bad_hr_export_leaves_a_kept_warehouse_as_it_was(tmp_path: Path) -> None:
    healthy(tmp_path / "repos")
    kept, fresh = tmp_path / "kept.duckdb", tmp_path / "fresh.duckdb"
    args = (
        "report",
        "diligence",
        "--repos",
        str(tmp_path / "repos"),
        "--out",
        str(tmp_path / "out"),
        "--format",
        "json",
    )
    assert run_quarterdeck(*args, "--db", str(kept)).returncode == 0
    before = kept.read_bytes()
    bad = write(tmp_path, "people.csv", "id,name,email,start_date\nP1,Ann,ann@example.com,not-a-date\n")
    done = run_quarterdeck(*args, "--db", str(kept), "--org", str(bad))
    assert done.returncode != 0 and "people.csv" in done.stderr and "Traceback" not in done.stderr
    assert kept.read_bytes() == before
    done = run_quarterdeck(*args, "--db", str(fresh), "--org", str(bad))
    assert done.returncode != 0 and not fresh.exists()
