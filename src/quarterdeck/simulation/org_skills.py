"""The skills inventory of the simulated organization: ``people/skills.csv`` (person's e-mail,
skill, level 1-5, date), as a skills platform or a yearly review exports it
(docs/sources/skills.md, docs/simulation.md).

An assessment is taken on the last month end of each simulated year (and the last day
simulated, when that is not one): everyone employed then is assessed. What they hold comes
from their role and their team's type (and the languages of the services the team owns):

- engineers: each of their team type's skills with a chance of 0.7, the team's languages
  with 0.8, incident response with 0.5;
- managers: people management and hiring; directors also budgeting.

The level follows seniority (IC1 1, IC2 2, IC3 3, IC4 3, IC5 4, IC6 5, M1-M2 3, M3+ 4) plus
or minus one at random, within 1-5, and a skill held at an earlier assessment is held again
at the same level or one above (people learn). Every draw comes from a generator seeded by
the world's seed and the person, so the file is the same for the same seed.
"""

from __future__ import annotations

import random
from datetime import date

from quarterdeck.simulation.model import Stint, World
from quarterdeck.simulation.org_state import month_ends
from quarterdeck.simulation.org_text import to_csv

TEAM_TYPE_SKILLS = {
    "stream-aligned": ("Product discovery", "Frontend", "API design"),
    "platform": ("Kubernetes", "Terraform", "Observability"),
    "enabling": ("Testing", "CI/CD", "Coaching"),
    "complicated-subsystem": ("Machine learning", "Data engineering", "Performance"),
}
LANGUAGES = {"python": "Python", "go": "Go", "typescript": "TypeScript", "java": "Java"}
MANAGER_SKILLS = ("People management", "Hiring")
DIRECTOR_SKILLS = (*MANAGER_SKILLS, "Budgeting")
BASE_LEVEL = {"IC1": 1, "IC2": 2, "IC3": 3, "IC4": 3, "IC5": 4, "IC6": 5, "M1": 3, "M2": 3}


def assessment_days(world: World) -> list[date]:
    """The last month end of each simulated year, and the last day simulated."""
    ends = month_ends(world.start, world.end)
    days = [day for day in ends if day.month == 12]
    return days if days and days[-1] == ends[-1] else [*days, ends[-1]]


def skills_csv(world: World) -> str:
    languages = team_languages(world)
    rows = []
    for person in world.people:
        held: dict[str, int] = {}
        draw = random.Random(f"{world.seed}:skills:{person.person_id}")
        for day in assessment_days(world):
            stint = person.stint_on(day)
            if stint is None:
                continue
            for skill, level in assess(world, stint, languages, held, draw).items():
                held[skill] = level
                rows.append([person.email, skill, str(level), day.isoformat()])
    return to_csv(["person", "skill", "level", "date"], rows)


def assess(
    world: World, stint: Stint, languages: dict[str, list[str]], held: dict[str, int], draw: random.Random
) -> dict[str, int]:
    """The skills and levels of a person in ``stint`` at an assessment."""
    found = {}
    for skill in held:  # learned once, kept, and maybe one level better
        found[skill] = min(5, held[skill] + (1 if draw.random() < 0.4 else 0))
    for skill, chance in candidates(world, stint, languages):
        if skill not in found and draw.random() < chance:
            base = BASE_LEVEL.get(stint.level, 4)
            found[skill] = max(1, min(5, base + draw.choice((-1, 0, 0, 1))))
    return found


def candidates(world: World, stint: Stint, languages: dict[str, list[str]]) -> list[tuple[str, float]]:
    if stint.role == "director":
        return [(skill, 1.0) for skill in DIRECTOR_SKILLS]
    if stint.role == "manager":
        return [(skill, 1.0) for skill in MANAGER_SKILLS]
    kind = world.team(stint.team_id).type
    return [
        *((skill, 0.7) for skill in TEAM_TYPE_SKILLS.get(kind, ())),
        *((language, 0.8) for language in languages.get(stint.team_id, [])),
        ("Incident response", 0.5),
    ]


def team_languages(world: World) -> dict[str, list[str]]:
    """The languages of each team's services' repositories, in a stable order."""
    repositories = {r.name: r for r in world.repositories}
    found: dict[str, set[str]] = {}
    for service in world.services:
        for name in service.repositories:
            language = LANGUAGES.get(repositories[name].language, repositories[name].language.capitalize())
            found.setdefault(service.owner_team_id, set()).add(language)
    return {team: sorted(languages) for team, languages in found.items()}
