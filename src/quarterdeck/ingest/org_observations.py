"""The rows of the people snapshots that history needs, chosen in the warehouse.

An organization of 10,000 people with 60 monthly snapshots has 600,000 snapshot rows, but
most of them repeat the row before: same team, manager, level and cost as last month.
Building periods only needs, per person, the rows where a spell of employment starts,
where an attribute changes, and where a spell ends; the others are dropped here, in SQL,
before any row reaches Python. Each row carries its spell number, so that dropping rows
does not look like a gap between snapshots.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from quarterdeck.ingest.org_history import Observation
from quarterdeck.store import Warehouse

#: Attributes that start a new period when they change (order of Observation.attributes).
PERSON_ATTRIBUTES = (
    "team_id",
    "manager_id",
    "title",
    "level",
    "role",
    "location",
    "employment_type",
    "annual_cost",
)

_ATTRIBUTES = ", ".join(PERSON_ATTRIBUTES)

_CHANGE_POINTS = f"""
WITH snapshot_dates AS (
    SELECT as_of, lead(as_of) OVER (ORDER BY as_of) AS next_snapshot
    FROM (SELECT DISTINCT as_of FROM people_snapshots)
),
observed AS (
    SELECT
        s.person_id, s.as_of, d.next_snapshot,
        coalesce(s.team_id, by_id.team_id, by_email.team_id) AS team_id,
        s.manager_id, s.title, s.level, s.role, s.location, s.employment_type, s.annual_cost,
        s.start_date, s.end_date, s.regretted
    FROM people_snapshots AS s
    JOIN snapshot_dates AS d USING (as_of)
    LEFT JOIN _listed_members AS by_id ON by_id.as_of = s.as_of AND by_id.member = s.person_id
    LEFT JOIN _listed_members AS by_email ON by_email.as_of = s.as_of AND by_email.member = coalesce(s.email, '')
),
marked AS (
    SELECT *,
        lag(as_of) OVER w IS NULL
            OR lag(next_snapshot) OVER w IS DISTINCT FROM as_of
            OR coalesce(lag(end_date) OVER w < as_of, false) AS starts_spell,
        struct_pack({_ATTRIBUTES}) IS DISTINCT FROM lag(struct_pack({_ATTRIBUTES})) OVER w AS changes
    FROM observed
    WINDOW w AS (PARTITION BY person_id ORDER BY as_of)
),
numbered AS (
    SELECT *,
        sum(CAST(starts_spell AS INTEGER)) OVER w AS spell,
        coalesce(lead(starts_spell) OVER w, true) AS ends_spell
    FROM marked
    WINDOW w AS (PARTITION BY person_id ORDER BY as_of)
)
SELECT person_id, as_of, {_ATTRIBUTES}, start_date, end_date, regretted, spell
FROM numbered
WHERE starts_spell OR changes OR ends_spell
ORDER BY person_id, as_of
"""


def change_points(warehouse: Warehouse, listed_members: dict[date, dict[str, str]]) -> list[Observation]:
    """Observations where a person's spell starts, an attribute changes, or a spell ends, in
    order of person and date. A row without a team takes the team whose definition lists the
    person (by id or e-mail) as a member on that date (``listed_members``)."""
    con = warehouse.con
    rows = [(when, member, team) for when, members in listed_members.items() for member, team in members.items()]
    table = pa.table(
        {
            "as_of": pa.array([r[0] for r in rows], pa.date32()),
            "member": pa.array([r[1] for r in rows], pa.string()),
            "team_id": pa.array([r[2] for r in rows], pa.string()),
        }
    )
    con.register("_listed_members", table)
    try:
        found = con.execute(_CHANGE_POINTS).fetchall()
    finally:
        con.unregister("_listed_members")
    return [Observation(r[0], r[1], tuple(r[2:10]), r[10], r[11], r[12], spell=r[13]) for r in found]
