"""The delivery data generator (scripts/make_delivery_data.py) at test size (--scale 0.001):
deterministic, with the columns of docs/delivery-inputs.md, the row counts its --help
promises, consistent values (good <= total, timestamps in order) and only services and
repositories that its org.yaml declares.

The files are read with the standard library's csv module, not with Quarterdeck."""

from __future__ import annotations

import csv
import hashlib
import re
import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "scripts" / "make_delivery_data.py"
SCALE = "0.001"

COLUMNS = {
    "deployments.csv": [
        "id", "service", "environment", "commit_sha", "started_at", "finished_at", "result", "repository",
        "shipped_commits",
    ],
    "incidents.csv": [
        "id", "service", "severity", "created_at", "acknowledged_at", "resolved_at", "deployment_id",
        "root_cause_sha", "title",
    ],
    "ci_runs.csv": ["id", "repository", "workflow", "commit_sha", "queued_at", "started_at", "finished_at", "result"],
    "availability.csv": ["service", "window_start", "window_end", "good", "total"],
    "slos.csv": ["id", "service", "target", "time_window"],
}  # fmt: skip
# At scale 1: 1,000,000 deployments, 100,000 incidents, 5,000,000 CI runs for 200 services
# over 5 years; 50 services with availability (a year in 1-minute windows) and an SLO each.
EXPECTED_ROWS = {
    "deployments.csv": 1_000,
    "incidents.csv": 100,
    "ci_runs.csv": 5_000,
    "availability.csv": 50 * (365 * 24 * 60 // 1000),  # windows of 1 / 0.001 minutes
    "slos.csv": 50,
}
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d\Z")
SHA = re.compile(r"[0-9a-f]{40}\Z")


def generate(out: Path, seed: str = "1") -> None:
    proc = subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(out), "--scale", SCALE, "--seed", seed],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr


def tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("delivery") / "data"
    generate(out)
    return out


def read(data: Path, name: str) -> list[dict[str, str]]:
    with (data / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def instant(text: str) -> datetime:
    assert TIMESTAMP.match(text), text
    return datetime.fromisoformat(text)


def org(data: Path) -> dict:
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load((data / "org.yaml").read_text(encoding="utf-8"))


def test_same_seed_gives_identical_bytes(data: Path, tmp_path: Path) -> None:
    generate(tmp_path / "again")
    assert tree(tmp_path / "again") == tree(data)


def test_rows_are_the_ones_the_benchmark_measured(data: Path) -> None:
    """SHA-256 of the files scripts/make_delivery_data.py wrote at --scale 0.001 --seed 1 before
    its generator moved into quarterdeck.simulation.fixtures_delivery (DuckDB 2.0 writes
    them): the delivery benchmark's figures stay comparable only while these stay the same."""
    recorded = {
        "deployments.csv": "499c2eaaa449b3d64d2636d297c38806aaa6c3679682559d9fc2bd53e540c6eb",
        "incidents.csv": "5e26c713a356bb05ef598a16c7b41e22c8353775d473818c94f9c35cecc44c97",
        "ci_runs.csv": "eaf059c1710e0bf2f3602e4f5b5e11f7110b40b1657ede469835a710b4f810a3",
        "availability.csv": "ddc19cb4eb88dcd7c628045778e882b8011c29849e30373ff70d6e2a2e50d031",
        "org.yaml": "a42bd3f3c7df4f6ec1c07d5a90e0399a3bc64de5ea56e692a594d39a2a72401a",
        "slos.csv": "dca7494771cf4a324877ffedc8ee6ee766f64a11d0fc02415796f65259894864",
    }
    assert {name: hashlib.sha256((data / name).read_bytes()).hexdigest() for name in recorded} == recorded


def test_another_seed_gives_other_rows(data: Path, tmp_path: Path) -> None:
    generate(tmp_path / "other", seed="2")
    other = tree(tmp_path / "other")
    for name in ("deployments.csv", "incidents.csv", "ci_runs.csv", "availability.csv"):
        assert other[name] != tree(data)[name], name


def test_headers_are_the_documented_columns(data: Path) -> None:
    for name, columns in COLUMNS.items():
        with (data / name).open(encoding="utf-8", newline="") as f:
            assert next(csv.reader(f)) == columns, name


def test_row_counts_follow_the_scale(data: Path) -> None:
    counts = {name: len(read(data, name)) for name in COLUMNS}
    assert counts == EXPECTED_ROWS
    assert counts["incidents.csv"] * 10 == counts["deployments.csv"]
    assert counts["ci_runs.csv"] == 5 * counts["deployments.csv"]


def test_ids_are_unique(data: Path) -> None:
    for name in ("deployments.csv", "incidents.csv", "ci_runs.csv", "slos.csv"):
        ids = [r["id"] for r in read(data, name)]
        assert len(set(ids)) == len(ids), name
    windows = [(r["service"], r["window_start"]) for r in read(data, "availability.csv")]
    assert len(set(windows)) == len(windows)


def test_deployments(data: Path) -> None:
    rows = read(data, "deployments.csv")
    for r in rows:
        assert SHA.match(r["commit_sha"]), r
        assert r["repository"] == r["service"], r  # one repository per service, of the same name
        assert r["shipped_commits"] == ""
        if r["started_at"]:
            assert instant(r["started_at"]) <= instant(r["finished_at"]), r
        else:
            instant(r["finished_at"])
    environments = Counter(r["environment"] for r in rows)
    results = Counter(r["result"] for r in rows)
    assert set(environments) == {"production", "staging"}
    assert 0.7 < environments["production"] / len(rows) < 0.9
    assert set(results) == {"success", "failure", "cancelled"}
    assert results["success"] / len(rows) > 0.8
    offsets = Counter(r["finished_at"][-6:] for r in rows)
    assert 0.75 < offsets["+00:00"] / len(rows) < 0.95
    assert len(offsets) > 3


def test_incidents(data: Path) -> None:
    rows = read(data, "incidents.csv")
    deployments = {r["id"]: r for r in read(data, "deployments.csv")}
    for r in rows:
        created = instant(r["created_at"])
        assert r["severity"] in {"SEV1", "SEV2", "SEV3", "SEV4"}
        if r["acknowledged_at"]:
            assert created <= instant(r["acknowledged_at"]), r
        if r["resolved_at"]:
            assert created <= instant(r["resolved_at"]), r
        if r["acknowledged_at"] and r["resolved_at"]:
            assert instant(r["acknowledged_at"]) <= instant(r["resolved_at"]), r
        if r["deployment_id"]:
            cause = deployments[r["deployment_id"]]
            assert cause["service"] == r["service"], r
            assert (cause["environment"], cause["result"]) == ("production", "success")
            assert instant(cause["finished_at"]) <= created, r
            assert r["root_cause_sha"] in ("", cause["commit_sha"])
    opened = [instant(r["created_at"]) for r in rows]
    assert opened == sorted(opened)  # numbered in the order they were created
    assert 0.03 <= sum(1 for r in rows if not r["resolved_at"]) / len(rows) <= 0.2
    assert 0.15 <= sum(1 for r in rows if r["deployment_id"]) / len(rows) <= 0.45


def test_ci_runs(data: Path) -> None:
    rows = read(data, "ci_runs.csv")
    for r in rows:
        assert SHA.match(r["commit_sha"]), r
        stamps = [instant(r[c]) for c in ("queued_at", "started_at", "finished_at") if r[c]]
        assert stamps == sorted(stamps), r
        assert r["result"] == "cancelled" or r["started_at"], r
    assert set(Counter(r["result"] for r in rows)) == {"success", "failure", "cancelled", "skipped"}
    assert len({r["workflow"] for r in rows}) == 5


def test_availability(data: Path) -> None:
    rows = read(data, "availability.csv")
    for r in rows:
        good, total = int(r["good"]), int(r["total"])
        assert 0 <= good <= total, r
        assert instant(r["window_start"]) < instant(r["window_end"]), r
    services = {r["service"] for r in rows}
    assert len(services) == 50
    assert sum(int(r["good"]) for r in rows) < sum(int(r["total"]) for r in rows)
    slos = read(data, "slos.csv")
    assert {s["service"] for s in slos} == services
    assert all(0.9 < float(s["target"]) < 1 and re.fullmatch(r"\d+[dwMQ]", s["time_window"]) for s in slos)


def test_every_service_and_repository_is_in_the_org_file(data: Path) -> None:
    doc = org(data)
    teams = {t["id"] for t in doc["teams"]}
    services = {s["id"]: s for s in doc["services"]}
    assert len(services) == 200
    assert 30 <= len(teams) <= 60
    assert all(s["owner"] in teams for s in services.values())
    repositories = {repo for s in services.values() for repo in s["repositories"]}
    for name in ("deployments.csv", "incidents.csv", "availability.csv", "slos.csv"):
        assert {r["service"] for r in read(data, name)} <= set(services), name
    for name in ("deployments.csv", "ci_runs.csv"):
        assert {r["repository"] for r in read(data, name)} <= repositories, name
