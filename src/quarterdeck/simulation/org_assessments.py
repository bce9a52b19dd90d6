"""Competency assessments of the simulated organization against Quarterdeck's built-in
career ladder: ``people/assessments.csv`` (e-mail, competency, rating, date, assessor), as a
yearly review cycle exports it (docs/sources/assessments.md, docs/simulation.md), and
``truth/readiness.csv``, what the simulator knows of each person's readiness then.

Assessments are taken on the same days as the skills inventory (the last month end of each
simulated year, and the last day simulated). Everyone employed then is rated in each
competency the next level of their track expects (at the top of a track: their own level's).
Ratings agree with what happens next: a person the simulation promotes to the next level
within the following 12 months meets every expectation of it (the review saw them ready);
anyone else falls short of each by 0, 1, 1 or 2 rating points at random (clipped at 1), so
some meet some by chance. The assessor is the person's manager (their e-mail), or
``calibration committee`` for those without one. Each person's draws come from a generator
seeded by the world's seed and the person.

The truth (one row per person and assessment day): level, next level, how many of the next
level's competencies their ratings meet, of how many, their share, and the day the
simulation promotes them to the next level (empty: not in the simulation).
"""

from __future__ import annotations

import random
from datetime import date

from quarterdeck.config.ladder_file import default_ladder
from quarterdeck.simulation.model import Person, World
from quarterdeck.simulation.org_skills import assessment_days
from quarterdeck.simulation.org_text import to_csv

#: A promotion this many days after the assessment or fewer: rated ready then.
READY_WITHIN_DAYS = 365
ASSESSMENT_COLUMNS = ["person", "competency", "rating", "date", "assessor"]
TRUTH_COLUMNS = ["person_id", "date", "level", "next_level", "competencies_met", "competencies_next", "readiness",
                 "promoted_on"]  # fmt: skip


def assessment_files(world: World) -> dict[str, str]:
    """``people/assessments.csv`` and ``truth/readiness.csv``."""
    ladder = default_ladder()
    emails = {p.person_id: p.email for p in world.people}
    rows, truth = [], []
    for person in world.people:
        draw = random.Random(f"{world.seed}:assessments:{person.person_id}")
        for day in assessment_days(world):
            stint = person.stint_on(day)
            if stint is None or ladder.level(stint.level) is None:
                continue
            after = ladder.next_level(stint.level)
            promoted = promotion_day(person, day, after.id) if after else None
            expected = ladder.expected_at(after.id if after else stint.level)
            ready = promoted is not None and (promoted - day).days <= READY_WITHIN_DAYS
            assessor = emails.get(stint.manager_id or "", "calibration committee")
            met = 0
            for competency, need in expected.items():
                rating = need if ready else max(1, need - draw.choice((0, 1, 1, 2)))
                met += rating >= need
                rows.append([person.email, competency, str(rating), day.isoformat(), assessor])
            if after is not None:
                truth.append(truth_row(person, day, stint.level, after.id, met, len(expected), promoted))
    return {
        "people/assessments.csv": to_csv(ASSESSMENT_COLUMNS, rows),
        "truth/readiness.csv": to_csv(TRUTH_COLUMNS, truth),
    }


def promotion_day(person: Person, day: date, level: str) -> date | None:
    """The first day after ``day`` the person holds ``level`` (None: not in the simulation)."""
    return next((s.start for s in person.stints if s.start > day and s.level == level), None)


def truth_row(person: Person, day: date, level: str, after: str, met: int, of: int, promoted: date | None) -> list:
    share = f"{met / of:.4f}" if of else ""
    return [person.person_id, day.isoformat(), level, after, str(met), str(of), share,
            promoted.isoformat() if promoted else ""]  # fmt: skip
