"""An example targets file for the simulated organization: ``targets.yaml``, as a VP would
write one (docs/targets.md), with the owners' contacts their digests go to (docs/digests.md).

The VP (the manager of the root on the last day) answers for the organization's delivery and
reliability targets; each division's head answers for their division's pull-request pickup
time (reviewed monthly) and change failure rate (reviewed quarterly). The bars are the kind a
VP sets — DORA's high performers, a pickup within half a working day — not the simulation's
own values, so a demo shows green, amber and red side by side. Owners get their digest by
e-mail; the VP also by a Slack webhook whose address is read from an environment variable.
"""

from __future__ import annotations

from datetime import timedelta

from quarterdeck.simulation.model import World

#: (metric, target, review) of the organization, answered for by the VP.
ORG_TARGETS = (
    ("deployment_frequency", 5, "monthly"),
    ("lead_time_for_changes", 36, "monthly"),
    ("change_failure_rate", 0.15, "monthly"),
    ("time_to_restore", 4, "monthly"),
    ("attrition_rate", 0.12, "quarterly"),
)
#: (metric, target, review) of each division, answered for by its head.
DIVISION_TARGETS = (
    ("pr_pickup_time", 4, "monthly"),
    ("change_failure_rate", 0.15, "quarterly"),
)
VP_SLACK_VARIABLE = "QUARTERDECK_SLACK_VP"


def targets_yaml(world: World) -> str:
    last = world.end - timedelta(days=1)
    root = next(t for t in world.teams if t.parent_id is None)
    vp = _owner(world, root.manager_on(last), "VP Engineering")
    divisions = [t for t in world.teams if t.parent_id == root.team_id and t.exists_on(last)]
    lines = [
        f"# Targets of {world.organization} engineering, written by quarterdeck simulate (seed {world.seed}).",
        "# quarterdeck targets record; quarterdeck targets status; quarterdeck digest send --dry-run",
        "targets:",
    ]
    lines += _entries("org", vp[0], ORG_TARGETS)
    heads = []
    for division in divisions:
        head = _owner(world, division.manager_on(last), f"head of {division.name}")
        heads.append(head)
        lines += _entries(f"unit:{division.team_id}", head[0], DIVISION_TARGETS)
    lines += ["owners:", f"  {vp[0]}:", f"    email: {vp[1]}", f"    slack_webhook_env: {VP_SLACK_VARIABLE}"]
    for name, email in dict(heads).items():
        if name != vp[0]:
            lines += [f"  {name}:", f"    email: {email}"]
    return "\n".join(lines) + "\n"


def _owner(world: World, person_id: str | None, role: str) -> tuple[str, str]:
    """(owner as written in the file, e-mail) of the person in a seat."""
    if person_id is None:
        return f"the {role}", f"{role.replace(' ', '.').lower()}@{world.organization}.example"
    person = world.person(person_id)
    return f"{person.name} ({role})", person.email


def _entries(scope: str, owner: str, targets: tuple[tuple[str, float, str], ...]) -> list[str]:
    lines = []
    for metric, target, review in targets:
        lines += [
            f"  - metric: {metric}",
            f"    scope: {scope}",
            f"    target: {target}",
            f"    owner: {owner}",
            f"    review: {review}",
        ]
    return lines
