"""The simulated organization: who works where, when, on what.

A :class:`World` is built once from a seed (``simulation.org``) and then read by every part
that writes files: the HR exports and org files, the git histories, the delivery and API
data. Dates are calendar days in the organization's time zone; times are aware datetimes.
Everything here is plain data: no randomness, no files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class Stint:
    """A stretch of one person's employment during which nothing below changed."""

    start: date
    end: date | None  # exclusive; None: still so at the end of the simulation
    team_id: str
    manager_id: str | None
    level: str  # IC1..IC6 for engineers, M1..M5 for managers and directors
    role: str  # engineer, manager, director
    title: str
    annual_cost: int  # fully loaded, in the location's currency converted to USD


@dataclass
class Person:
    person_id: str  # E0001 ...
    name: str
    email: str  # work address, lower case
    github: str  # GitHub login
    jira_account: str  # Jira Cloud accountId
    location: str
    employment_type: str  # full-time, contractor
    start: date  # first day
    end: date | None  # last day + 1 (exclusive); None: still employed at the end
    regretted: bool | None  # for leavers: was the departure regretted
    ramp_up_months: int  # months to full productivity after joining
    stints: list[Stint] = field(default_factory=list)

    def stint_on(self, day: date) -> Stint | None:
        """The stint covering ``day`` (None when not employed that day)."""
        for stint in self.stints:
            if stint.start <= day and (stint.end is None or day < stint.end):
                return stint
        return None

    def employed_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def productivity_on(self, day: date) -> float:
        """0 before joining, rising linearly to 1 over the ramp-up months, then 1."""
        if not self.employed_on(day):
            return 0.0
        months = (day - self.start).days / 30.44
        return 1.0 if months >= self.ramp_up_months else max(0.1, months / max(self.ramp_up_months, 1))


@dataclass
class Team:
    team_id: str
    name: str
    parent_id: str | None  # None: the root (the engineering organization)
    type: str  # organization, division, stream-aligned, platform, enabling, complicated-subsystem
    created: date
    dissolved: date | None = None  # exclusive
    managers: list[tuple[date, str]] = field(default_factory=list)  # (from, person_id), in order

    def manager_on(self, day: date) -> str | None:
        current = None
        for since, person_id in self.managers:
            if since <= day:
                current = person_id
        return current

    def exists_on(self, day: date) -> bool:
        return self.created <= day and (self.dissolved is None or day < self.dissolved)


@dataclass(frozen=True)
class Repository:
    name: str  # unique across the organization, e.g. payments-api
    service_id: str
    language: str  # python, go, typescript, java


@dataclass
class Service:
    service_id: str
    name: str
    owner_team_id: str
    repositories: list[str]  # Repository names
    tier: int  # 1 = customer-facing and critical ... 3 = internal


@dataclass
class World:
    """The whole organization over the simulated years."""

    seed: int
    start: date
    end: date  # exclusive
    timezone: str
    organization: str  # the GitHub organization and e-mail domain stem, e.g. "acme"
    teams: list[Team]
    people: list[Person]
    services: list[Service]
    repositories: list[Repository]

    def team(self, team_id: str) -> Team:
        return next(t for t in self.teams if t.team_id == team_id)

    def person(self, person_id: str) -> Person:
        return next(p for p in self.people if p.person_id == person_id)

    def members_on(self, day: date, team_id: str | None = None) -> list[Person]:
        """People employed on ``day`` (on ``team_id`` when given), in id order."""
        found = []
        for person in self.people:
            stint = person.stint_on(day)
            if stint is not None and (team_id is None or stint.team_id == team_id):
                found.append(person)
        return found

    def engineers_by_team(self, day: date) -> dict[str, list[Person]]:
        """The engineers of each team on ``day``, in id order (one pass over the people)."""
        found: dict[str, list[Person]] = {}
        for person in self.people:
            stint = person.stint_on(day)
            if stint is not None and stint.role == "engineer":
                found.setdefault(stint.team_id, []).append(person)
        return found

    def weeks(self) -> list[date]:
        """The first day of each week simulated (weeks start on Monday; the first may be cut)."""
        day, found = self.start - timedelta(days=self.start.weekday()), []
        while day < self.end:
            found.append(max(day, self.start))
            day += timedelta(days=7)
        return found

    def engineers_on(self, day: date, team_id: str | None = None) -> list[Person]:
        """Members whose role that day is engineer (the people who write most of the code)."""
        return [p for p in self.members_on(day, team_id) if p.stint_on(day).role == "engineer"]  # type: ignore[union-attr]
