"""Importing delivery files: formats, checks with file and line, re-imports and corrections,
time zones, services of the org model. Runs the import in-process on a real warehouse file;
the command line's own behaviour (exit statuses, printed report) is checked at the end."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quarterdeck.config import Settings
from quarterdeck.ingest.delivery import LoadReport, load_files, load_records
from quarterdeck.store import open_warehouse
from tests.warehouse_rows import query

SHA1 = "a" * 40
SHA2 = "b" * 40
HEADER = "id,service,environment,commit_sha,started_at,finished_at,result\n"


@pytest.fixture
def load(db_path: Path) -> Callable[..., LoadReport]:
    def run(kind: str, *paths: Path, **options: object) -> LoadReport:
        with open_warehouse(db_path) as warehouse:
            return load_files(warehouse, Settings(db=db_path), kind, list(paths), **options)  # type: ignore[arg-type]

    return run


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_every_bad_row_is_reported_with_its_line_and_the_valid_rows_load(
    tmp_path: Path, db_path: Path, load: Callable[..., LoadReport]
) -> None:
    f = write(
        tmp_path / "deploys.csv",
        HEADER
        + f"d1,api,production,{SHA1},2026-03-01T10:00:00Z,2026-03-01T10:05:00Z,success\n"
        + f'd2,"api\nwith a line break",production,{SHA1},2026-03-01T10:00:00Z,2026-03-01T10:05:00Z,success\n'
        + f"d3,api,production,{SHA1},2026-03-01T10:00:00Z,2026-03-01T09:05:00Z,success\n"
        + "\n"
        + "d4,api,production,xyz,yesterday,2026-03-01T10:05:00+01:00,rolled\n"
        + f"d5,api,production,{SHA2},,2026-03-01 10:05:00,success\n"
        + f",api,,{SHA2},,2026-03-02T10:05:00Z,failed\n",
    )
    report = load("deployments", f)
    assert (report.rows_read, report.loaded, report.rejected) == (6, 2, 4)  # the blank line is no row
    assert [str(p) for p in report.problems] == [
        f"{f}:5: field finished_at: finished before it started: finished_at 2026-03-01 09:05:00+00 "
        "< started_at 2026-03-01 10:00:00+00",
        f"{f}:7: field commit_sha: expected a commit id of 40 hexadecimal digits, got 'xyz'",
        f"{f}:7: field started_at: expected an ISO 8601 timestamp with a UTC offset, such as "
        "2026-03-29T01:30:00+01:00, got 'yesterday'",
        f"{f}:7: field result: expected success, failure or cancelled, got 'rolled'",
        f"{f}:8: field finished_at: '2026-03-01 10:05:00' has no UTC offset: add one, or give --timezone ZONE",
        f"{f}:9: field id: missing: a value is required",
        f"{f}:9: field environment: missing: a value is required",
    ]
    assert query(db_path, "SELECT deployment_id, service FROM deployments ORDER BY 1") == [
        ("d1", "api"),
        ("d2", "api\nwith a line break"),
    ]
    stored = query(db_path, "SELECT source_line, record_id, field FROM delivery_import_problems ORDER BY 1, 3")
    assert stored[0] == (5, "d3", "finished_at") and len(stored) == 7


def test_strict_loads_nothing_when_a_row_is_bad(tmp_path: Path, db_path: Path, load: Callable[..., LoadReport]) -> None:
    good = write(tmp_path / "good.csv", HEADER + f"d1,api,production,{SHA1},,2026-03-01T10:05:00Z,success\n")
    bad = write(tmp_path / "bad.csv", HEADER + f"d2,api,production,{SHA1},,not a time,success\n")
    report = load("deployments", good, bad, strict=True)
    assert report.loaded == 0 and report.rejected == 1
    assert report.notes == ["nothing was loaded: --strict, and some rows have problems"]
    assert query(db_path, "SELECT count(*) FROM deployments") == [(0,)]
    assert query(db_path, "SELECT count(*) FROM delivery_import_problems") == [(0,)]


def test_a_file_without_a_required_column_loads_nothing_and_says_which(
    tmp_path: Path, load: Callable[..., LoadReport]
) -> None:
    f = write(tmp_path / "incidents.csv", "id,service,severity\ni1,api,SEV1\n")
    report = load("incidents", f)
    assert [str(p) for p in report.problems] == [
        f"{f}: not a incidents file: the header lacks column(s) created_at (has: id, service, severity)"
    ]
    assert report.loaded == 0


def test_json_ndjson_and_csv_read_alike_and_name_records_or_lines(
    tmp_path: Path, db_path: Path, load: Callable[..., LoadReport]
) -> None:
    record = {"id": "i1", "service": "api", "severity": "P1", "created_at": "2026-03-01T10:00:00+02:00"}
    bad = {"id": "i2", "created_at": "2026-03-01", "resolved_at": "2026-03-01T09:00:00Z"}
    array = write(tmp_path / "a.json", json.dumps([record, bad]))
    wrapped = write(tmp_path / "b.json", json.dumps({"incidents": [{**record, "id": "i3"}]}))
    lines = write(tmp_path / "c.ndjson", json.dumps({**record, "id": "i4"}) + "\n\n" + json.dumps(bad) + "\n")
    report = load("incidents", array, wrapped, lines)
    assert report.loaded == 3
    assert [str(p) for p in report.problems] == [
        f"{array}:2: field created_at: expected an ISO 8601 timestamp with a UTC offset, such as "
        "2026-03-29T01:30:00+01:00, got '2026-03-01'",
        f"{lines}:3: field created_at: expected an ISO 8601 timestamp with a UTC offset, such as "
        "2026-03-29T01:30:00+01:00, got '2026-03-01'",
    ]
    rows = query(db_path, "SELECT incident_id, severity_rank, created_at FROM incidents ORDER BY 1")
    assert rows == [(f"i{n}", 1, datetime(2026, 3, 1, 8, tzinfo=UTC)) for n in (1, 3, 4)]


def test_reimport_changes_nothing_and_a_corrected_row_replaces_the_old(
    tmp_path: Path, db_path: Path, load: Callable[..., LoadReport]
) -> None:
    first = HEADER + f"d1,api,production,{SHA1},,2026-03-01T10:05:00Z,success\n"
    f = write(tmp_path / "deploys.csv", first + f"d2,api,production,{SHA2},,2026-03-02T10:05:00Z,success\n")
    assert load("deployments", f).loaded == 2
    again = load("deployments", f)
    assert (again.loaded, again.replaced, again.unchanged) == (0, 0, 2)
    write(f, first + f"d2,api,production,{SHA2},,2026-03-02T11:00:00Z,failure\n")
    corrected = load("deployments", f)
    assert (corrected.loaded, corrected.replaced, corrected.unchanged) == (0, 1, 1)
    assert query(db_path, "SELECT deployment_id, result, finished_at FROM deployments ORDER BY 1") == [
        ("d1", "success", datetime(2026, 3, 1, 10, 5, tzinfo=UTC)),
        ("d2", "failure", datetime(2026, 3, 2, 11, tzinfo=UTC)),
    ]


def test_a_key_given_twice_keeps_the_last_row_and_lists_the_other(
    tmp_path: Path, db_path: Path, load: Callable[..., LoadReport]
) -> None:
    one = write(tmp_path / "one.csv", HEADER + f"d1,api,production,{SHA1},,2026-03-01T10:05:00Z,success\n")
    two = write(tmp_path / "two.csv", HEADER + f"d1,api,production,{SHA1},,2026-03-01T10:09:00Z,success\n")
    report = load("deployments", one, two)
    assert (report.loaded, report.duplicates) == (1, 1)
    assert query(db_path, "SELECT finished_at FROM deployments") == [(datetime(2026, 3, 1, 10, 9, tzinfo=UTC),)]
    assert query(db_path, "SELECT source, outcome, problem FROM delivery_import_problems") == [
        (
            str(one),
            "duplicate",
            f"record 1: the same deployment_id and repository is given again later in this import ({two} record 1); "
            "the later one was kept",
        )
    ]


def test_naive_timestamps_take_the_zone_given_with_its_daylight_saving_rules(
    tmp_path: Path, db_path: Path, load: Callable[..., LoadReport]
) -> None:
    f = write(
        tmp_path / "deploys.csv",
        HEADER
        + f"winter,api,production,{SHA1},,2026-03-28T12:00:00,success\n"
        + f"summer,api,production,{SHA1},,2026-03-29T12:00:00,success\n",
    )
    assert load("deployments", f, timezone="Europe/Berlin").loaded == 2
    assert query(db_path, "SELECT deployment_id, finished_at FROM deployments ORDER BY finished_at") == [
        ("winter", datetime(2026, 3, 28, 11, tzinfo=UTC)),  # CET, +01:00
        ("summer", datetime(2026, 3, 29, 10, tzinfo=UTC)),  # CEST, +02:00
    ]


def test_services_must_be_in_the_org_model_once_it_declares_some(
    tmp_path: Path, db_path: Path, load: Callable[..., LoadReport], quarterdeck: Callable[..., object]
) -> None:
    f = write(tmp_path / "deploys.csv", HEADER + f"d1,Payments API,production,{SHA1},,2026-03-01T10:05:00Z,success\n")
    assert load("deployments", f).notes[0].startswith("the org model declares no services")
    org = write(
        tmp_path / "org.yaml",
        "teams:\n  - id: payments\nservices:\n  - id: payments-api\n    name: Payments API\n    owner: payments\n",
    )
    result = quarterdeck("ingest", "org", str(org), "--as-of", "2026-01-01", "--db", str(db_path))
    assert result.returncode == 0, result.stderr  # type: ignore[attr-defined]
    write(
        f,
        HEADER
        + f"d1,payments api,production,{SHA1},,2026-03-01T10:05:00Z,success\n"
        + f"d2,checkout,production,{SHA1},,2026-03-01T10:05:00Z,success\n",
    )
    report = load("deployments", f)
    assert [str(p) for p in report.problems] == [
        f"{f}:3: field service: service 'checkout' is not in the org model (declare it under services: in the "
        "org file, or in the Backstage catalog)"
    ]
    assert query(db_path, "SELECT service FROM deployments") == [("payments-api",)]  # named by its id now


def test_availability_files_of_both_kinds_and_their_checks(
    tmp_path: Path, db_path: Path, load: Callable[..., LoadReport]
) -> None:
    events = write(
        tmp_path / "events.csv",
        "service,window_start,window_end,good,total\n"
        "api,2026-03-01T00:00:00Z,2026-03-01T00:01:00Z,99,100\n"
        "api,2026-03-01T00:01:00Z,2026-03-01T00:02:00Z,101,100\n",
    )
    probes = write(
        tmp_path / "probes.csv",
        "service,start,end,status\napi,2026-03-01T00:00:00Z,2026-03-01T00:10:00Z,up\n"
        "api,2026-03-01T00:10:00Z,2026-03-01T00:12:30Z,DOWN\napi,2026-03-01T00:13:00Z,2026-03-01T00:13:00Z,up\n",
    )
    report = load("availability", events, probes)
    assert [str(p) for p in report.problems] == [
        f"{events}:3: field good: good is above total",
        f"{probes}:4: field end: not after start",
    ]
    assert query(db_path, "SELECT kind, good, total FROM availability_windows ORDER BY kind, window_start") == [
        ("events", 99.0, 100.0),
        ("probes", 600.0, 600.0),
        ("probes", 0.0, 150.0),
    ]


def test_openslo_documents_become_slos(tmp_path: Path, db_path: Path, load: Callable[..., LoadReport]) -> None:
    f = write(
        tmp_path / "slos.yaml",
        """apiVersion: openslo/v1
kind: Service
metadata: {name: checkout}
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: checkout-availability, displayName: Checkout availability}
spec:
  service: checkout
  budgetingMethod: Timeslices
  timeWindow: [{duration: 1M, isRolling: false}]
  objectives:
    - {displayName: good, targetPercent: 99.5}
    - {displayName: great, target: 0.999}
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: broken}
spec: {service: api, timeWindow: [{duration: 90m}], objectives: [{target: 150}]}
""",
    )
    report = load("slos", f)
    assert [str(p) for p in report.problems] == [
        f"{f}:3: field target: expected a target ratio between 0 and 1 (0.999), or a percentage (99.9), got '150'",
        f"{f}:3: field time_window: expected a time window such as 28d, 4w, 1M, 1Q or 1Y (whole days), got '90m'",
    ]
    rows = query(
        db_path, "SELECT slo_id, target, time_window, window_days, rolling, budgeting_method FROM slos ORDER BY 1"
    )
    assert rows == [
        ("checkout-availability/good", 0.995, "1M", 30, False, "Timeslices"),
        ("checkout-availability/great", 0.999, "1M", 30, False, "Timeslices"),
    ]


def test_events_pushed_as_records_follow_the_same_rules(db_path: Path) -> None:
    record = {
        "id": "d1",
        "service": "api",
        "environment": "Production",
        "commit_sha": SHA1.upper(),
        "finished_at": "2026-03-01T10:05:00Z",
        "result": "Succeeded",
        "shipped_commits": [SHA1, SHA2],
    }
    with open_warehouse(db_path) as warehouse:
        settings = Settings(db=db_path)
        first = load_records(warehouse, settings, "deployments", [record, "nonsense"], "event:deployments")
        again = load_records(warehouse, settings, "deployments", [record], "event:deployments")
    assert (first.loaded, first.rejected, again.unchanged) == (1, 1, 1)
    assert [str(p) for p in first.problems] == ["event:deployments:2: expected a JSON object"]
    assert query(
        db_path, "SELECT environment, is_production, commit_sha, result, shipped_commits FROM deployments"
    ) == [("production", True, SHA1, "success", [SHA1, SHA2])]


def test_the_command_line_exits_3_when_it_rejected_rows(tmp_path: Path, db_path: Path, quarterdeck) -> None:
    f = write(
        tmp_path / "ci.csv",
        "id,repository,workflow,queued_at,started_at,result\n"
        "r1,api,ci,2026-03-01T10:00:00Z,2026-03-01T09:00:00Z,success\nr2,api,ci,,,passed\n",
    )
    result = quarterdeck("ingest", "ci-runs", str(f), "--db", str(db_path), "--format", "json")
    assert result.returncode == 3, result.stderr
    report = json.loads(result.stdout)
    assert (report["rows_read"], report["loaded"], report["rejected"]) == (2, 1, 1)
    assert report["problems"][0]["line"] == 2 and report["problems"][0]["field"] == "started_at"
    assert "rejected: " in result.stderr
    missing = quarterdeck("ingest", "ci-runs", str(tmp_path / "nope.csv"), "--db", str(db_path))
    assert missing.returncode == 1 and "nope.csv: no such file" in missing.stderr
