"""Key roles on a date (docs/succession.md, decision 0068): the seats whose loss hurts most.

- **leadership seats**: every person employed on the date who manages someone (direct
  reports in the people exports) or is named manager of a unit in the org file. The seat is a
  **director** seat when the person manages a unit that has sub-units on the date, or
  manages someone who has reports of their own; otherwise a **manager** seat. Its unit is the
  unit the person manages (a unit with sub-units first, then by id), else their own team.
- **knowledge**: every service (org file or catalog, owned on the date) whose code has a bus
  factor of one. A service's code is all the repositories its service period lists on the
  date, read together: the ``bus_factor`` metric's definition (changed lines = added +
  deleted, non-merge commits, bots excluded, identities linked to one person count as one,
  the 365 days up to the date) applied to the lines of those repositories summed per author.
  The bus factor is one exactly when the biggest author wrote at least half of those lines;
  that author is the person holding the knowledge. A service with no change in the window
  has no bus factor and is no key role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from quarterdeck.metrics.org_design import OrgAt, with_fragments
from quarterdeck.store import Warehouse

#: How far back the knowledge of a service is read: the bus_factor metric's default window.
KNOWLEDGE_WINDOW_DAYS = 365

LEADERSHIP_KINDS = ("director", "manager")


@dataclass(frozen=True)
class KeyRole:
    """A key role: a leadership seat (``role_id`` = the person whose seat it is) or a
    service with a bus factor of one (``role_id`` = the service id)."""

    kind: str  # director, manager, knowledge
    role_id: str
    name: str  # the seat holder's name, or the service's name
    unit_id: str | None  # the unit the seat leads / the team owning the service
    holder: str | None  # the person in the seat / holding the service's knowledge (None: an unlinked identity)
    holder_name: str
    share: float | None = None  # knowledge: the holder's share of the service's changed lines
    lines: int | None = None  # knowledge: the service's changed lines in the window

    @property
    def leadership(self) -> bool:
        return self.kind in LEADERSHIP_KINDS


def leadership_seats(org: OrgAt) -> list[KeyRole]:
    """Every manager and director seat of the organization on its date, by person id."""
    managed: dict[str, list[str]] = {}
    for unit in sorted(org.units.values(), key=lambda u: (not org.children(u.unit_id), u.unit_id)):
        if unit.manager_id in org.people:
            managed.setdefault(unit.manager_id, []).append(unit.unit_id)
    managers = {p.manager_id for p in org.people.values() if p.manager_id in org.people}
    above_managers = {org.people[m].manager_id for m in managers}  # those managing a manager
    seats = []
    for person in sorted(org.people.values(), key=lambda p: p.person_id):
        if person.person_id not in managers and person.person_id not in managed:
            continue
        units = managed.get(person.person_id, [])
        director = person.person_id in above_managers or any(org.children(u) for u in units)
        unit = units[0] if units else person.team_id
        seats.append(
            KeyRole("director" if director else "manager", person.person_id, person.name, unit,
                    person.person_id, person.name)
        )  # fmt: skip
    return seats


_KNOWLEDGE = """,
service_repositories AS (
    SELECT DISTINCT p.service_id, p.owner_team_id, r.repository_id
    FROM service_periods AS p
    CROSS JOIN unnest(p.repositories) AS u(name)
    JOIN repositories AS r ON r.name = u.name
    WHERE (p.valid_from IS NULL OR p.valid_from <= $day) AND (p.valid_to IS NULL OR p.valid_to > $day)
),
author_lines AS (
    SELECT
        s.service_id,
        coalesce('person:' || l.person_id, w.author_identity_id) AS author,
        sum(coalesce(f.lines_added, 0) + coalesce(f.lines_deleted, 0)) AS lines
    FROM window_commits AS w
    JOIN commit_files AS f ON f.repository_id = w.repository_id AND f.commit_sha = w.sha
    JOIN service_repositories AS s ON s.repository_id = w.repository_id
    LEFT JOIN identity_links AS l ON l.identity_id = w.author_identity_id
    GROUP BY ALL
    HAVING sum(coalesce(f.lines_added, 0) + coalesce(f.lines_deleted, 0)) > 0
),
ranked AS (
    SELECT
        service_id, author, lines,
        sum(lines) OVER (PARTITION BY service_id) AS total,
        row_number() OVER (PARTITION BY service_id ORDER BY lines DESC, author) AS position
    FROM author_lines
)
SELECT
    k.service_id, s.name, o.owner_team_id, k.author, i.name, k.lines, k.total
FROM ranked AS k
JOIN services AS s ON s.service_id = k.service_id
LEFT JOIN (SELECT DISTINCT service_id, owner_team_id FROM service_repositories) AS o ON o.service_id = k.service_id
LEFT JOIN identities AS i ON i.identity_id = k.author
WHERE k.position = 1 AND 2 * k.lines >= k.total
ORDER BY k.service_id
"""


def knowledge_roles(warehouse: Warehouse, org: OrgAt, timezone: str = "UTC") -> list[KeyRole]:
    """Every service whose code has a bus factor of one on the org's date, with its holder."""
    zone = ZoneInfo(timezone)
    since = org.date - timedelta(days=KNOWLEDGE_WINDOW_DAYS - 1)
    sql = with_fragments(("window_commits",), "SELECT 1").removesuffix("\nSELECT 1")
    sql += _KNOWLEDGE
    values = {
        "since": datetime.combine(since, time.min, tzinfo=zone),
        "until_end": datetime.combine(org.date + timedelta(days=1), time.min, tzinfo=zone),
        "timezone": timezone,
        "repositories": [],
        "include_bots": False,
        "owner_unit": "",
        "services": [],
        "day": org.date,
    }
    used = set(re.findall(r"\$([a-z_]+)\b", sql))
    rows = warehouse.con.execute(sql, {k: v for k, v in values.items() if k in used}).fetchall()
    roles = []
    for service_id, name, team_id, author, identity_name, lines, total in rows:
        person = author.removeprefix("person:") if author.startswith("person:") else None
        holder_name = org.name_of(person) if person else (identity_name or author)
        roles.append(
            KeyRole("knowledge", service_id, name, team_id, person, holder_name or "",
                    round(float(lines) / float(total), 4), int(total))
        )  # fmt: skip
    return roles


def key_roles(warehouse: Warehouse, org: OrgAt, timezone: str = "UTC") -> list[KeyRole]:
    """The leadership seats, then the services held by one person, on the org's date."""
    return leadership_seats(org) + knowledge_roles(warehouse, org, timezone)


def knowledge_day(at: date) -> tuple[date, date]:
    """The first and last day of the window a service's knowledge is read in."""
    return at - timedelta(days=KNOWLEDGE_WINDOW_DAYS - 1), at
