"""The hiring pipeline of the simulated organization (docs/simulation.md, docs/hiring.md):
``people/hiring.csv`` (an applicant tracking export: requisition, candidate id, stage, date,
outcome, source), ``people/requisitions.csv`` (the requisitions as positions, all filled:
team, level, opened, role) and ``truth/hiring.csv`` (each requisition's true time to fill).

Every hire of the simulation (a person whose first day falls inside it) gets a requisition
of their first team and level. Assumptions, each drawn from a generator seeded by the
world's seed and the person, so the files are the same for the same seed:

- the hire accepts the offer ``NOTICE_DAYS`` (14..42, uniform) before their first day:
  that day is the hired stage's date;
- the days between stages, for every candidate: applied -> screen 3 + Exp(mean 5), screen
  -> interview 5 + Exp(7), interview -> offer 5 + Exp(6), offer -> answer 2 + Exp(4)
  (``STAGE_DAYS``, rounded to whole days);
- the hire applied 5 + Exp(20) days after the requisition opened (sourcing);
- 6..18 other candidates apply, on days spread between the opening and the hire's offer;
  each moves on from applied with 0.35, from screen with 0.5, from interview with 0.35
  (``CONVERSION``), else ends there: rejected (0.8) or withdrew (0.2); one who reaches the
  offer stage before the hire's offer declines it; one whose next stage would come on or
  after the hire's offer is rejected where they are (the requisition is filled);
- sources: referral 0.2, inbound 0.5, agency 0.1, sourced 0.2 (``SOURCES``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from quarterdeck.simulation.model import Person, World
from quarterdeck.simulation.org_text import to_csv

NOTICE_DAYS = (14, 42)
STAGES = ("applied", "screen", "interview", "offer", "hired")
#: (minimum, mean of the exponential part) of the days from each stage to the next.
STAGE_DAYS = ((3, 5.0), (5, 7.0), (5, 6.0), (2, 4.0))
SOURCING_DAYS = (5, 20.0)
OTHERS = (6, 18)
CONVERSION = (0.35, 0.5, 0.35)
SOURCES = (("referral", 0.2), ("inbound", 0.5), ("agency", 0.1), ("sourced", 0.2))
HIRING_COLUMNS = ("requisition", "candidate", "stage", "date", "outcome", "source")


@dataclass(frozen=True)
class Requisition:
    requisition: str
    person: Person
    team_id: str
    level: str
    role: str
    annual_cost: int
    opened: date
    accepted: date
    lines: list[list[str]]


def hiring_files(world: World) -> dict[str, str]:
    requisitions = simulated_requisitions(world)
    lines = [line for r in requisitions for line in r.lines]
    return {
        "people/hiring.csv": to_csv(HIRING_COLUMNS, lines),
        "people/requisitions.csv": requisitions_csv(requisitions),
    }


def hiring_truth(world: World) -> dict[str, str]:
    rows = [
        [r.requisition, r.team_id, r.level, r.opened, r.accepted, r.person.start, (r.accepted - r.opened).days]
        for r in simulated_requisitions(world)
    ]
    header = ("requisition", "team", "level", "opened", "accepted", "start", "time_to_fill_days")
    return {"truth/hiring.csv": to_csv(header, rows)}


def simulated_requisitions(world: World) -> list[Requisition]:
    hires = sorted(
        (p for p in world.people if world.start <= p.start < world.end), key=lambda p: (p.start, p.person_id)
    )
    counter = iter(range(1, 10**7))
    return [requisition(world, person, counter) for person in hires if person.stints]


def requisition(world: World, person: Person, counter) -> Requisition:
    draw = random.Random(f"{world.seed}:hiring:{person.person_id}")
    first = person.stints[0]
    accepted = person.start - timedelta(days=draw.randint(*NOTICE_DAYS))
    days = [gap(draw, stage) for stage in range(4)]
    hire_days = [accepted - timedelta(days=sum(days[i:])) for i in range(4)] + [accepted]
    opened = hire_days[0] - timedelta(days=round(SOURCING_DAYS[0] + draw.expovariate(1 / SOURCING_DAYS[1])))
    name = f"REQ-{person.person_id}"
    lines = candidate_lines(name, f"C{next(counter):06d}", hire_days, "hired", source(draw))
    for _ in range(draw.randint(*OTHERS)):
        lines += other_candidate(draw, name, f"C{next(counter):06d}", opened, hire_days[3])
    lines.sort(key=lambda line: (line[1], STAGES.index(line[2])))
    return Requisition(name, person, first.team_id, first.level, first.role, first.annual_cost, opened, accepted, lines)


def gap(draw: random.Random, stage: int) -> int:
    low, mean = STAGE_DAYS[stage]
    return round(low + draw.expovariate(1 / mean))


def source(draw: random.Random) -> str:
    return draw.choices([s for s, _ in SOURCES], [w for _, w in SOURCES])[0]


def other_candidate(draw: random.Random, name: str, candidate: str, opened: date, hire_offer: date) -> list[list[str]]:
    """A candidate who is not hired: applies between the opening and the hire's offer and
    moves through the funnel until rejected, withdrawn, or declining an offer."""
    span = max(1, (hire_offer - opened).days)
    days = [opened + timedelta(days=draw.randrange(span))]
    ending = None
    for stage in range(3):
        if draw.random() >= CONVERSION[stage]:
            ending = "rejected" if draw.random() < 0.8 else "withdrew"
            break
        following = days[-1] + timedelta(days=gap(draw, stage))
        if following >= hire_offer:
            ending = "rejected"
            break
        days.append(following)
    return candidate_lines(name, candidate, days, ending or "offer declined", source(draw))


def candidate_lines(name: str, candidate: str, days: list[date], outcome: str, origin: str) -> list[list[str]]:
    """One line per stage entered, the outcome on the last, the source on the first."""
    last = len(days) - 1
    return [
        [name, candidate, STAGES[i], day.isoformat(), outcome if i == last else "", origin if i == 0 else ""]
        for i, day in enumerate(days)
    ]


def requisitions_csv(requisitions: list[Requisition]) -> str:
    header = ("id", "team", "level", "start_month", "annual_cost", "currency", "status", "opened", "role")
    rows = [
        [r.requisition, r.team_id, r.level, f"{r.person.start:%Y-%m}", r.annual_cost, "USD", "filled", r.opened, r.role]
        for r in requisitions
    ]
    return to_csv(header, rows)
