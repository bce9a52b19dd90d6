"""The simulator's example proposed org (``plans/proposed-org.yaml``): valid at the simulated
organization's last month end, and what ``quarterdeck org what-if`` makes of it, checked
against the simulated world itself (who is on which team, read from the model)."""

from __future__ import annotations

import json

import pytest

from quarterdeck.simulation.org import build_world
from quarterdeck.simulation.org_files import write_org_files
from quarterdeck.simulation.org_params import OrgParams
from quarterdeck.simulation.org_proposal import proposed_org_yaml
from quarterdeck.simulation.org_state import month_ends
from tests.org_small import ingest


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("what-if-sim")
    world = build_world(OrgParams(engineers=60, years=1), 3)
    write_org_files(world, folder)
    db = folder / "sim.duckdb"
    ingest(db, *map(str, sorted((folder / "hr").glob("*.csv")) + sorted((folder / "org").glob("*.yaml"))))
    return world, folder, db


def test_the_example_proposal_applies_at_the_last_month_end(quarterdeck, simulated):
    world, folder, db = simulated
    last = month_ends(world.start, world.end)[-1]
    proposed = folder / "plans" / "proposed-org.yaml"
    assert proposed.read_text() == proposed_org_yaml(world, last)
    result = quarterdeck("--db", str(db), "org", "what-if", str(proposed), "--format", "json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["date"] == last.isoformat()  # the file's at
    moved = [m for m in out["moves"] if m["from_team"] != m["to_team"]]
    assert len(moved) == 8
    for move in moved:  # each mover was on their from-team that day, in the simulated world
        assert world.person(move["person_id"]).stint_on(last).team_id == move["from_team"]
    added = [u for u in out["after"]["units"] if u["unit_id"] not in {b["unit_id"] for b in out["before"]["units"]}]
    assert sum(u["headcount"] for u in added) == 8
    assert out["before"]["headcount"] == out["after"]["headcount"] == len(world.members_on(last))


def test_a_larger_proposal_for_the_benchmark(simulated, tmp_path, quarterdeck):
    world, _, db = simulated
    last = month_ends(world.start, world.end)[-1]
    text = proposed_org_yaml(world, last, moves=20, reparent=3)
    proposed = tmp_path / "big.yaml"
    proposed.write_text(text)
    out = json.loads(quarterdeck("--db", str(db), "org", "what-if", str(proposed), "--format", "json").stdout)
    assert sum(1 for m in out["moves"] if m["from_team"] != m["to_team"]) == 20
    parents = {u["unit_id"]: u["parent_id"] for u in out["after"]["units"]}
    before = {u["unit_id"]: u["parent_id"] for u in out["before"]["units"]}
    reparented = sum(1 for u, p in before.items() if parents.get(u) not in (None, p))
    assert reparented == text.count("\n    - team: ") == 2  # only two divisions of 60 engineers have teams to spare
