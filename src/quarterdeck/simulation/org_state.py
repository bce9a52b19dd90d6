"""The organization while it is being simulated: who is employed now, who leads which team,
which hires are coming; and the few operations every change goes through.

Every change to a person goes through :meth:`OrgState.change`, which closes their current
stint and opens a new one, so a person's stints are contiguous by construction. Who manages
whom is never set by hand: :meth:`OrgState.sync_managers` derives it from who leads which
team (an engineer reports to their team's lead; a lead to the lead of the unit above; a
team without a lead is led, for the time being, from the unit above).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from quarterdeck.simulation.model import Person, Repository, Service, Stint, Team, World
from quarterdeck.simulation.org_names import NameBook, jira_account_id
from quarterdeck.simulation.org_params import NEW_YORK_COST, TITLES, OrgParams
from quarterdeck.simulation.rng import Rng

#: The order of events that fall on the same day.
EVENT_ORDER = {"month": 0, "leave": 1, "hire": 2, "move": 3, "promotions": 4, "raises": 5}


@dataclass
class Now:
    """A person's attributes since ``since`` (their stint still open)."""

    team_id: str
    manager_id: str | None
    level: str
    role: str
    title: str
    annual_cost: int
    since: date
    level_since: date


@dataclass(frozen=True)
class Requisition:
    """A seat to fill: an engineer for a team (``team_id`` None: a growth hire, placed when
    the person starts), or the lead of a team or unit (``role`` manager or director)."""

    team_id: str | None
    level: str
    role: str
    internal: bool = False  # a lead's seat to fill by promoting someone from inside


class OrgState:
    def __init__(self, params: OrgParams, seed: int):
        self.params, self.seed = params, seed
        self.start, self.end = params.start, params.end
        rng = Rng(seed, "org")
        self.rng = {name: rng.child(name) for name in ("structure", "people", "attrition", "hiring", "careers")}
        self.names = NameBook(rng.child("names"), params.organization)
        self.teams: dict[str, Team] = {}  # in creation order
        self.parent_of: dict[str, str | None] = {}
        self.children: dict[str, list[str]] = {}
        self.depth: dict[str, int] = {}  # 0 leaf team, 1 division, 2 group of divisions, ... root on top
        self.lead: dict[str, str | None] = {}
        self.home: dict[str, str] = {}  # a team's home location
        self.people: dict[str, Person] = {}  # in id order
        self.now: dict[str, Now] = {}  # the people employed now, in id order
        self.pending: dict[str, int] = {}  # engineer requisitions per team, not yet filled
        self.open_engineer_requisitions = 0
        self.leaving: set[str] = set()  # people with a departure scheduled (membership only)
        self.services: list[Service] = []
        self.repositories: list[Repository] = []
        self._events: list[tuple[date, int, int, str, Any]] = []
        self._sequence = 0
        self.next_person = 1

    # -- events ------------------------------------------------------------------------------

    def schedule(self, day: date, kind: str, payload: Any = None) -> None:
        if day < self.end:
            self._sequence += 1
            heapq.heappush(self._events, (day, EVENT_ORDER[kind], self._sequence, kind, payload))

    def next_event(self) -> tuple[date, str, Any] | None:
        if not self._events:
            return None
        day, _, _, kind, payload = heapq.heappop(self._events)
        return day, kind, payload

    def open_requisition(self, day: date, requisition: Requisition, median_days: float) -> None:
        """A seat to fill: the new person starts after a log-normal hiring lag, on a weekday."""
        lag = max(7, round(self.rng["hiring"].lognormal(median_days, self.params.hiring_lag_sigma)))
        first_day = weekday_on_or_after(day + timedelta(days=lag))
        if first_day >= self.end:
            return
        if requisition.role == "engineer":
            self.open_engineer_requisitions += 1
            if requisition.team_id is not None:
                self.pending[requisition.team_id] = self.pending.get(requisition.team_id, 0) + 1
        self.schedule(first_day, "hire", requisition)

    # -- people ------------------------------------------------------------------------------

    def change(self, person_id: str, day: date, **values: Any) -> None:
        """Set attributes of an employed person from ``day`` on (a new stint if any differs)."""
        now = self.now[person_id]
        if all(getattr(now, name) == value for name, value in values.items()):
            return
        if now.since < day:
            self._close(person_id, day)
            now.since = day
        for name, value in values.items():
            setattr(now, name, value)

    def leave(self, person_id: str, day: date) -> Now:
        """``day`` is the first day no longer employed."""
        if self.now[person_id].since < day:
            self._close(person_id, day)
        self.people[person_id].end = day
        return self.now.pop(person_id)

    def _close(self, person_id: str, day: date) -> None:
        now = self.now[person_id]
        self.people[person_id].stints.append(
            Stint(now.since, day, now.team_id, now.manager_id, now.level, now.role, now.title, now.annual_cost)
        )

    def add_person(self, person: Person, now: Now) -> None:
        self.people[person.person_id] = person
        self.now[person.person_id] = now

    def new_person(self, start: date, team_id: str, employment_type: str = "full-time") -> Person:
        """A person with a name, addresses and a location, not yet employed (no stint)."""
        people = self.rng["people"]
        person_id = f"E{self.next_person:05d}"
        self.next_person += 1
        name, email, github = self.names.person()
        share = self.params.home_location_share
        locations = self.params.locations
        location = (
            self.home[team_id]
            if people.chance(share)
            else people.weighted([loc.name for loc in locations], [loc.weight for loc in locations])
        )
        low, high = self.params.ramp_up_months
        return Person(
            person_id,
            name,
            email,
            github,
            jira_account_id(self.params.organization, self.seed, person_id),
            location,
            employment_type,
            start,
            None,
            None,
            people.integer(low, high),
        )

    def cost(self, level: str, location: str, employment_type: str) -> int:
        """Fully loaded yearly cost: New York's for the level x the location's factor x a
        personal spread of +-10%, in hundreds of dollars."""
        factor = next(loc.cost_factor for loc in self.params.locations if loc.name == location)
        if employment_type == "contractor":
            factor *= self.params.contractor_cost_factor
        spread = self.rng["people"].uniform(0.9, 1.1)
        return round(NEW_YORK_COST[level] * factor * spread / 100) * 100

    def title(self, level: str, employment_type: str) -> str:
        return f"Contract {TITLES[level]}" if employment_type == "contractor" else TITLES[level]

    # -- who leads whom ----------------------------------------------------------------------

    def effective_lead(self, team_id: str | None) -> str | None:
        """The team's lead, or, while the seat is empty, the lead of the nearest unit above."""
        while team_id is not None:
            lead = self.lead.get(team_id)
            if lead is not None:
                return lead
            team_id = self.parent_of[team_id]
        return None

    def expected_manager(self, person_id: str, team_id: str) -> str | None:
        if self.lead.get(team_id) == person_id:
            return self.effective_lead(self.parent_of[team_id])
        return self.effective_lead(team_id)

    def sync_managers(self, day: date) -> None:
        """Record each team's (acting) manager and each person's manager from ``day`` on."""
        for team_id, team in self.teams.items():
            acting = self.effective_lead(team_id)
            if acting is None or (team.managers and team.managers[-1][1] == acting):
                continue
            if team.managers and team.managers[-1][0] == day:
                team.managers[-1] = (day, acting)
            else:
                team.managers.append((day, acting))
        for person_id, now in self.now.items():
            expected = self.expected_manager(person_id, now.team_id)
            if now.manager_id != expected:
                self.change(person_id, day, manager_id=expected)

    def engineers_in(self, team_id: str) -> int:
        return sum(1 for now in self.now.values() if now.team_id == team_id and now.role == "engineer")

    def engineer_counts(self) -> dict[str, int]:
        """Engineers employed now, per team (teams without any are absent)."""
        counts: dict[str, int] = {}
        for now in self.now.values():
            if now.role == "engineer":
                counts[now.team_id] = counts.get(now.team_id, 0) + 1
        return counts

    def leaf_teams(self) -> list[str]:
        return [t for t in self.teams if self.depth[t] == 0]

    # -- the result --------------------------------------------------------------------------

    def world(self) -> World:
        for person_id in list(self.now):
            now = self.now[person_id]
            stint = Stint(now.since, None, now.team_id, now.manager_id, now.level, now.role, now.title, now.annual_cost)
            self.people[person_id].stints.append(stint)
        return World(
            seed=self.seed,
            start=self.start,
            end=self.end,
            timezone=self.params.timezone,
            organization=self.params.organization,
            teams=sorted(self.teams.values(), key=lambda t: t.team_id),
            people=sorted(self.people.values(), key=lambda p: p.person_id),
            services=sorted(self.services, key=lambda s: s.service_id),
            repositories=sorted(self.repositories, key=lambda r: r.name),
        )


def weekday_on_or_after(day: date) -> date:
    """People start on a weekday: a Saturday or Sunday start moves to the Monday."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def month_ends(start: date, end: date) -> list[date]:
    """The last day of each month from ``start``'s month on, before ``end`` (exclusive)."""
    found, day = [], start
    while day < end:
        last = next_month(day) - timedelta(days=1)
        found.append(min(last, end - timedelta(days=1)))
        day = next_month(day)
    return found
