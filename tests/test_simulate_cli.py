"""`quarterdeck simulate` end to end: a small organization, written twice from one seed, and
read back through the real import commands."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck

ARGS = ("--engineers", "8", "--years", "1", "--start", "2025-01-06", "--workers", "2")


def fingerprint(folder: Path) -> dict[str, str]:
    """Every plain file's SHA-256, and each repository's refs and full history as git shows them."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and ".git/" not in relative:
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    for repository in sorted((folder / "git").iterdir()):
        history = subprocess.run(
            ["git", "-C", str(repository), "fast-export", "--all", "--reencode=no"], capture_output=True, check=True
        ).stdout
        found[f"git/{repository.name}"] = hashlib.sha256(history).hexdigest()
    return found


@pytest.fixture(scope="module")
def simulated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sim") / "org"
    result = run_quarterdeck("simulate", *ARGS, "--seed", "4", "--out", str(out), "--format", "json")
    assert result.returncode == 0, result.stderr
    return out


def test_the_same_seed_gives_identical_files_and_histories(simulated, tmp_path):
    again = tmp_path / "again"
    result = run_quarterdeck("simulate", *ARGS, "--seed", "4", "--out", str(again), "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert fingerprint(again) == fingerprint(simulated)
    other = tmp_path / "other"
    assert run_quarterdeck("simulate", *ARGS, "--seed", "5", "--out", str(other)).returncode == 0
    assert fingerprint(other) != fingerprint(simulated)


def test_the_summary_and_manifest_say_what_was_written(simulated):
    manifest = json.loads((simulated / "simulation.json").read_text())
    assert manifest["seed"] == 4 and manifest["start"] == "2025-01-06"
    written = manifest["written"]
    assert written["repositories"] == len(list((simulated / "git").iterdir())) > 0
    with (simulated / "truth" / "pull_requests.csv").open() as handle:
        pulls = list(csv.DictReader(handle))
    assert len(pulls) == written["pull_requests"] > 100
    reviewed = [p for p in pulls if p["pickup_hours"]]
    assert reviewed and all(float(p["pickup_hours"]) > 0 for p in reviewed)
    assert all(p["bot"] == "yes" for p in pulls if not p["author_id"])


def test_the_files_import_and_every_author_is_a_person(simulated, tmp_path):
    db = tmp_path / "w.duckdb"
    org_files = sorted(str(p) for p in (simulated / "hr").glob("*.csv")) + sorted(
        str(p) for p in (simulated / "org").glob("*.yaml")
    )
    assert run_quarterdeck("ingest", "git", str(simulated / "git"), "--db", str(db)).returncode == 0
    imported = run_quarterdeck("ingest", "org", *org_files, "--db", str(db))
    assert imported.returncode == 0, imported.stderr
    unmatched = run_quarterdeck("identities", "--unmatched", "--db", str(db), "--format", "json")
    assert unmatched.returncode == 0, unmatched.stderr
    report = json.loads(unmatched.stdout)
    assert report["rows"] == [] and report["summary"]["git"]["unmatched_identities"] == 0, report["summary"]


def test_a_folder_with_files_is_refused(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = run_quarterdeck("simulate", *ARGS, "--out", str(tmp_path))
    assert result.returncode == 2 and "the folder is not empty" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
