"""The succession file of the simulated organization: ``people/succession.csv`` (role, the
successor, readiness, date), as a yearly talent review exports it (docs/sources/succession.md,
docs/simulation.md), and its truth, ``truth/succession.csv``.

The review is held on the last month end simulated. Each unit with a manager employed then
gets successors for that manager's seat (the role is named by the manager's e-mail):

- candidates: for a team, its engineers at IC3 or above; for a division or the organization,
  the managers of the units directly below it; never the seat's holder;
- with a chance of 0.25 nobody is named (a seat without a bench); else one or two
  candidates drawn among the three most senior (level, then the earliest start);
- readiness by level and tenure (years since they joined): IC5 and above, M3 and above, or
  IC4/M2 with 3 years or more: ready now; IC4/M2 otherwise, or IC3 with 2 years or more:
  1-2 years; the rest: 3+ years.

Services are not named (the knowledge roles come from git, which the review does not read).
Every draw comes from a generator seeded by the world's seed and the unit, so the file is the
same for the same seed. The truth lists, per seat named, its successors and how many are
ready now: what ``quarterdeck succession`` must find.
"""

from __future__ import annotations

import random
from datetime import date

from quarterdeck.core.readiness import ONE_TO_TWO, READY_NOW, THREE_PLUS
from quarterdeck.simulation.model import Person, World
from quarterdeck.simulation.org_state import month_ends
from quarterdeck.simulation.org_text import to_csv

NOBODY_CHANCE = 0.25
SENIOR = ("IC3", "IC4", "IC5", "IC6")


def review_day(world: World) -> date:
    return month_ends(world.start, world.end)[-1]


def succession_lines(world: World) -> list[tuple[Person, Person, str]]:
    """(seat holder, successor, readiness) of the review, unit by unit in id order."""
    day = review_day(world)
    lines: list[tuple[Person, Person, str]] = []
    seen: set[tuple[str, str]] = set()
    for team in sorted((t for t in world.teams if t.exists_on(day)), key=lambda t: t.team_id):
        holder_id = team.manager_on(day)
        if holder_id is None or world.person(holder_id).stint_on(day) is None:
            continue
        holder = world.person(holder_id)
        draw = random.Random(f"{world.seed}:succession:{team.team_id}")
        ranked = sorted(candidates(world, team.team_id, holder_id, day), key=lambda p: seniority(p, day))
        if not ranked or draw.random() < NOBODY_CHANCE:
            continue
        chosen = draw.sample(ranked[:3], min(len(ranked[:3]), draw.choice((1, 2))))
        for person in sorted(chosen, key=lambda p: p.person_id):
            if (holder_id, person.person_id) not in seen:
                seen.add((holder_id, person.person_id))
                lines.append((holder, person, readiness_of(person, day)))
    return lines


def candidates(world: World, team_id: str, holder_id: str, day: date) -> list[Person]:
    team = world.team(team_id)
    if team.type in ("organization", "division"):
        below = [t.manager_on(day) for t in world.teams if t.parent_id == team_id and t.exists_on(day)]
        found = {p for p in below if p and p != holder_id and world.person(p).stint_on(day) is not None}
        return [world.person(p) for p in sorted(found)]
    return [
        p for p in world.members_on(day, team_id)
        if p.person_id != holder_id and p.stint_on(day).role == "engineer" and p.stint_on(day).level in SENIOR
    ]  # fmt: skip


def seniority(person: Person, day: date) -> tuple[int, date, str]:
    level = person.stint_on(day).level
    return (-int(level[-1]) if level[-1].isdigit() else 0, person.start, person.person_id)


def readiness_of(person: Person, day: date) -> str:
    level = person.stint_on(day).level
    years = (day - person.start).days / 365.25
    rank = int(level[-1]) if level[-1].isdigit() else 0
    manager = level.startswith("M")
    if rank >= (3 if manager else 5) or (rank == (2 if manager else 4) and years >= 3):
        return READY_NOW
    if rank == (2 if manager else 4) or (not manager and rank == 3 and years >= 2):
        return ONE_TO_TWO
    return THREE_PLUS


def succession_csv(world: World) -> str:
    day = review_day(world).isoformat()
    rows = [[holder.email, successor.email, readiness, day] for holder, successor, readiness in succession_lines(world)]
    return to_csv(["role", "successor", "readiness", "date"], rows)


def succession_truth_csv(world: World) -> str:
    """Per seat named: its holder's id, the successors' ids (;-joined) and how many are ready now."""
    seats: dict[str, list[tuple[str, str]]] = {}
    for holder, successor, readiness in succession_lines(world):
        seats.setdefault(holder.person_id, []).append((successor.person_id, readiness))
    rows = [
        [role, review_day(world).isoformat(), ";".join(p for p, _ in found), str(sum(r == READY_NOW for _, r in found))]
        for role, found in sorted(seats.items())
    ]
    return to_csv(["role", "date", "successors", "ready_now"], rows)
