"""What the talent gaps read from the warehouse: the skills inventory, the months each
person has been in their level at the plan's start, their readiness by the career ladder
when assessed, and the teams' other names."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from quarterdeck.metrics.ladder import current_ladder
from quarterdeck.metrics.readiness import readiness
from quarterdeck.planning.gap_options import MONTH_DAYS, Inventory
from quarterdeck.store import Warehouse

_SKILLS = """
SELECT person_id, skill_key, arg_max(level, as_of)
FROM skills
WHERE as_of <= ?
GROUP BY person_id, skill_key
"""
_PERIODS = """
SELECT person_id, valid_from, valid_to, level
FROM person_periods
WHERE valid_from < ?
ORDER BY person_id, valid_from
"""


def load_inventory(warehouse: Warehouse, start: date) -> Inventory:
    """Each person's skills as of ``start`` (the latest line on or before it) and, for the
    people employed the day before ``start``, the months in their level by then."""
    skills: dict[str, dict[str, int]] = defaultdict(dict)
    for person, key, level in warehouse.con.execute(_SKILLS, [start]).fetchall():
        skills[person][key] = int(level)
    return Inventory(dict(skills), months_in_level(warehouse, start), ready_in(warehouse, start))


def ready_in(warehouse: Warehouse, start: date) -> dict[str, float | None]:
    """When assessments exist before ``start``: each assessed person's estimated months until
    ready for the next level on the day before it (0: ready now; None: no estimate)."""
    if not warehouse.value("SELECT count(*) FROM assessments WHERE assessed_on < ?", [start]):
        return {}
    found = readiness(warehouse, current_ladder(warehouse), start - timedelta(days=1))
    return {r.person_id: r.months_to_ready for r in found if r.pipeline not in ("not assessed", "top of track")}


def months_in_level(warehouse: Warehouse, start: date) -> dict[str, float]:
    """Months from the first day of each employed person's unbroken run of periods at their
    current level to ``start``. The people exports say when a level was first seen, not when
    it was given: a level held in every export counts from the person's start date (the
    first period begins then), which overstates it for someone promoted before the exports."""
    periods: dict[str, list[tuple[date, date | None, str | None]]] = defaultdict(list)
    for person, valid_from, valid_to, level in warehouse.con.execute(_PERIODS, [start]).fetchall():
        periods[person].append((valid_from, valid_to, level))
    months = {}
    for person, runs in periods.items():
        since, until, level = runs[-1]
        if until is not None and until < start:
            continue  # left before the start
        for earlier_from, earlier_to, earlier_level in reversed(runs[:-1]):
            if earlier_level != level or earlier_to != since:
                break
            since = earlier_from
        months[person] = (start - since).days / MONTH_DAYS
    return months


def team_aliases(warehouse: Warehouse) -> dict[str, str]:
    """Every team's other names (lower case) -> its id."""
    return dict(warehouse.con.execute("SELECT alias, team_id FROM team_aliases").fetchall())
