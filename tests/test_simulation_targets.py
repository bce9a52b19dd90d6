"""The simulator's example targets file: valid for ``load_targets``, one owner per seat, every
unit a division of the last day, every owner reachable by e-mail (docs/simulation.md)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from quarterdeck.config.targets import load_targets
from quarterdeck.metrics.catalog import catalog
from quarterdeck.simulation.org import build_world
from quarterdeck.simulation.org_params import OrgParams
from quarterdeck.simulation.org_targets import DIVISION_TARGETS, ORG_TARGETS, VP_SLACK_VARIABLE, targets_yaml


def test_the_example_targets_load_and_name_the_vp_and_each_division_head(tmp_path: Path) -> None:
    world = build_world(OrgParams(engineers=30, years=1), 3)
    path = tmp_path / "targets.yaml"
    path.write_text(targets_yaml(world), encoding="utf-8")
    targets = load_targets(path, {m.name: m.good_direction for m in catalog().values()})

    last = world.end - timedelta(days=1)
    root = next(t for t in world.teams if t.parent_id is None)
    divisions = [t for t in world.teams if t.parent_id == root.team_id and t.exists_on(last)]
    vp = world.person(root.manager_on(last))
    assert len(targets) == len(ORG_TARGETS) + len(DIVISION_TARGETS) * len(divisions)
    assert {t.owner for t in targets if t.scope == "org"} == {f"{vp.name} (VP Engineering)"}
    assert {t.scope for t in targets if t.scope != "org"} == {f"unit:{d.team_id}" for d in divisions}
    for division in divisions:
        head = world.person(division.manager_on(last))
        owners = {t.owner for t in targets if t.scope == f"unit:{division.team_id}"}
        assert owners == {f"{head.name} (head of {division.name})"}
    assert {t.review for t in targets} == {"monthly", "quarterly"}
    vp_owner = targets.owners[f"{vp.name} (VP Engineering)"]
    assert (vp_owner.email, vp_owner.slack_webhook_env) == (vp.email, VP_SLACK_VARIABLE)
    assert all(owner.email for owner in targets.owners.values())
    assert {t.owner for t in targets} == set(targets.owners)
