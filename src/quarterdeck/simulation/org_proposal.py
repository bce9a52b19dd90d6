"""An example proposed org (``plans/proposed-org.yaml``) for the simulated organization, valid
at its last month end: ``quarterdeck org what-if plans/proposed-org.yaml`` tests it.

The proposal splits the largest teams (a new team beside each, under the same parent, led
by its most senior engineer, who takes about half of the team's engineers with them) until
``moves`` people move, and re-parents the ``reparent`` smallest teams of the divisions with
the most teams to the division with the fewest. No randomness: the same world gives the
same file. The benchmark (benchmarks/org_what_if.py) asks for about 50 moves and 5
re-parented teams; the simulator writes a smaller one.
"""

from __future__ import annotations

from datetime import date

from quarterdeck.simulation.model import Person, Team, World

_LEVEL_ORDER = {f"IC{n}": n for n in range(1, 7)}


def proposed_org_yaml(world: World, day: date, moves: int = 8, reparent: int = 2) -> str:
    """The proposal's text: new teams, re-parented teams and the people who move."""
    teams = [t for t in world.teams if t.exists_on(day)]
    parents = {t.parent_id for t in teams}
    leaves = [t for t in teams if t.team_id not in parents and t.parent_id is not None]
    engineers = world.engineers_by_team(day)
    added, moved = _splits(world, day, leaves, engineers, moves)
    changed = _reparented(teams, leaves, {a[1].team_id for a in added}, reparent)
    lines = [
        f"# A proposed reorganization of {world.organization}, on the people of {day}.",
        f"# Written by quarterdeck simulate (seed {world.seed}); try it with:",
        "#   quarterdeck org what-if plans/proposed-org.yaml",
        f"name: Split the largest teams ({len(added)}), move {len(changed)} teams",
        f"at: {day}",
        "teams:",
        "  add:",
    ]
    for new_id, team, lead in added:
        lines += [f"    - id: {new_id}", f"      name: {team.name} 2", f"      parent: {team.parent_id}",
                  f"      type: {team.type}", f"      manager: {lead.person_id}  # {lead.name}"]  # fmt: skip
    if changed:
        lines.append("  change:")
        for team, parent in changed:
            lines += [f"    - team: {team.team_id}", f"      parent: {parent}"]
    lines.append("moves:")
    for person, new_id in moved:
        lines += [f"  - person: {person.person_id}  # {person.name}", f"    team: {new_id}"]
    return "\n".join(lines) + "\n"


def _splits(
    world: World, day: date, leaves: list[Team], engineers: dict[str, list[Person]], moves: int
) -> tuple[list[tuple[str, Team, Person]], list[tuple[Person, str]]]:
    added: list[tuple[str, Team, Person]] = []
    moved: list[tuple[Person, str]] = []
    taken = {t.team_id for t in world.teams}
    for team in sorted(leaves, key=lambda t: (-len(engineers.get(t.team_id, [])), t.team_id)):
        if len(moved) >= moves:
            break
        people = engineers.get(team.team_id, [])
        if len(people) < 4:
            break
        ranked = sorted(people, key=lambda p: (-_LEVEL_ORDER.get(_level(p, day), 0), p.person_id))
        going = ranked[: min(len(people) // 2, moves - len(moved))]
        new_id = next(f"{team.team_id}-{n}" for n in range(2, 100) if f"{team.team_id}-{n}" not in taken)
        taken.add(new_id)
        added.append((new_id, team, going[0]))
        moved += [(p, new_id) for p in going]
    return added, moved


def _level(person: Person, day: date) -> str:
    stint = person.stint_on(day)
    return stint.level if stint else ""


def _reparented(teams: list[Team], leaves: list[Team], split: set[str], count: int) -> list[tuple[Team, str]]:
    divisions: dict[str, list[Team]] = {}
    for team in leaves:
        divisions.setdefault(team.parent_id or "", []).append(team)
    if len(divisions) < 2:
        return []
    by_size = sorted(divisions, key=lambda d: (len(divisions[d]), d))
    target = by_size[0]
    found: list[tuple[Team, str]] = []
    for division in reversed(by_size[1:]):
        for team in sorted(divisions[division], key=lambda t: t.team_id):
            if len(found) >= count:
                return found
            if team.team_id not in split and len(divisions[division]) > 2:
                found.append((team, target))
                divisions[division].remove(team)
    return found
