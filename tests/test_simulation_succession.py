"""The simulator's succession file (people/succession.csv) going through the real
`quarterdeck ingest succession` after the organization's exports, and `quarterdeck succession`
finding what its truth (truth/succession.csv) says: each seat's successors and how many are
ready now."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from quarterdeck.simulation.org import build_world
from quarterdeck.simulation.org_files import write_org_files, write_org_truth
from quarterdeck.simulation.org_params import OrgParams
from tests.conftest import run_quarterdeck


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    world = build_world(OrgParams(engineers=30, years=2), 3)
    out = tmp_path_factory.mktemp("succession-sim")
    write_org_files(world, out)
    write_org_truth(world, out)
    return out


def table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_review_names_seat_holders_and_employed_successors_with_three_readiness_steps(sim: Path) -> None:
    lines = table(sim / "people" / "succession.csv")
    assert lines, "the review names successors"
    assert {r["readiness"] for r in lines} <= {"ready now", "1-2 years", "3+ years"}
    assert all(r["role"] != r["successor"] for r in lines)
    assert len({r["date"] for r in lines}) == 1


def test_the_findings_match_the_truth_seat_by_seat(sim: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    org_files = sorted((sim / "hr").glob("*.csv")) + sorted((sim / "org").glob("*.yaml"))
    for step in (
        ("ingest", "org", *map(str, org_files)),
        ("ingest", "succession", str(sim / "people" / "succession.csv")),
    ):
        done = run_quarterdeck("--db", str(db), *step)
        assert done.returncode == 0, done.stderr
    truth = table(sim / "truth" / "succession.csv")
    result = run_quarterdeck("succession", "--db", str(db), "--at", truth[0]["date"], "--format", "json")
    assert result.returncode == 0, result.stderr
    roles = {r["role"]: r for r in json.loads(result.stdout)["roles"]}
    for seat in truth:
        found = roles[seat["role"]]  # every seat the review names is a key role
        assert sorted(s["person"] for s in found["successors"]) == sorted(seat["successors"].split(";"))
        assert found["ready_now"] == int(seat["ready_now"])
    named = {seat["role"] for seat in truth}
    assert {r for r, v in roles.items() if v["successors"]} == named
