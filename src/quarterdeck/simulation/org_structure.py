"""The shape of the organization: the tree of units and teams at the start, the people in it,
new teams and divisions as the organization grows, and the services each team owns.

The tree: the VP leads the root (``engineering``); directors lead divisions of 3-6 teams;
when there are more than 6 divisions, senior directors lead groups of divisions, so no
leader of leaders has more than 6 units under them (§2.1, Larson: managers of managers 4-6).
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from quarterdeck.simulation.model import Repository, Service, Team
from quarterdeck.simulation.org_names import (
    DIVISIONS,
    GROUPS,
    LANGUAGES,
    SECOND_REPOSITORY,
    SERVICE_KINDS,
    TEAM_NAMES,
    display_name,
)
from quarterdeck.simulation.org_state import Now, OrgState, Requisition, weekday_on_or_after
from quarterdeck.simulation.rng import Rng

ROOT = "engineering"


def found(state: OrgState) -> None:
    """The organization as it stands on the first day: units, teams, services and people."""
    params, rng = state.params, state.rng["structure"]
    founded = state.start - timedelta(days=round(365.25 * params.history_years))
    sizes = team_sizes(params.engineers, params.team_engineers, rng)
    layers = unit_layers(len(sizes), params.unit_span)
    top = len(layers) - 1
    add_team(state, ROOT, f"{params.organization.capitalize()} Engineering", None, "organization", founded, top)
    parents = [ROOT]
    for depth in range(top - 1, 0, -1):
        pool = DIVISIONS if depth == 1 else GROUPS
        units = [state.names.from_pool(pool) for _ in range(layers[depth])]
        for unit, parent in zip(units, spread(units, parents), strict=True):
            add_team(state, unit, display_name(unit), parent, "division", founded, depth)
        parents = units
    teams = []
    for parent in spread(sizes, parents):
        kind = rng.weighted([t for t, _ in params.team_type_mix], [w for _, w in params.team_type_mix])
        name = state.names.from_pool(TEAM_NAMES[kind])
        teams.append(add_team(state, name, display_name(name), parent, kind, founded, 0))
        add_services(state, name, kind)
    hire_founding_people(state, dict(zip(teams, sizes, strict=True)))


def team_sizes(engineers: int, bounds: tuple[int, int], rng: Rng) -> list[int]:
    """Engineers per team: about the middle of ``bounds``, varied, summing to ``engineers``."""
    low, high = bounds
    middle = (low + high + 1) / 2
    count = max(1, math.ceil(engineers / middle))
    sizes = [engineers // count + (1 if i < engineers % count else 0) for i in range(count)]
    for _ in range(count * 2):
        give, take = rng.integer(0, count - 1), rng.integer(0, count - 1)
        if give != take and sizes[give] > low and sizes[take] < high:
            sizes[give] -= 1
            sizes[take] += 1
    return sizes


def unit_layers(teams: int, span: tuple[int, int]) -> list[int]:
    """How many units each layer has, from the teams up to the root: ``[teams, divisions,
    groups..., 1]``; always at least one layer of divisions."""
    middle = (span[0] + span[1]) / 2
    layers = [teams, max(1, math.ceil(teams / middle))]
    while layers[-1] > span[1]:
        layers.append(math.ceil(layers[-1] / middle))
    return [*layers, 1]


def spread(children: list, parents: list[str]) -> list[str]:
    """The parent of each child: consecutive children share a parent, counts as even as can be."""
    count, k = len(children), len(parents)
    return [parents[i] for i in range(k) for _ in range(count // k + (1 if i < count % k else 0))]


def add_team(state: OrgState, team_id: str, name: str, parent: str | None, kind: str, created: date, depth: int) -> str:
    state.teams[team_id] = Team(team_id, name, parent, kind, created)
    state.parent_of[team_id] = parent
    state.children[team_id] = []
    if parent is not None:
        state.children[parent].append(team_id)
    state.depth[team_id] = depth
    state.lead[team_id] = None
    locations = state.params.locations
    rng = state.rng["structure"]
    state.home[team_id] = rng.weighted([loc.name for loc in locations], [loc.weight for loc in locations])
    return team_id


def add_services(state: OrgState, team_id: str, kind: str) -> None:
    """The team's 1-3 services, each with 1-2 repositories (``payments-api``, ``payments-api-web``)."""
    rng, params = state.rng["structure"], state.params
    for suffix, language in rng.sample(SERVICE_KINDS, rng.integer(*params.services_per_team)):
        service_id = state.names.unique(f"{team_id}-{suffix}")
        first = language or rng.weighted([n for n, _ in LANGUAGES], [w for _, w in LANGUAGES])
        repositories = [Repository(service_id, service_id, first)]
        if rng.integer(*params.repositories_per_service) > 1:
            extra, extra_language = rng.choice(SECOND_REPOSITORY)
            name = state.names.unique(f"{service_id}-{extra}")
            repositories.append(Repository(name, service_id, extra_language or first))
        tier = 3 if kind == "enabling" else rng.weighted([1, 2, 3], [0.3, 0.45, 0.25])
        state.services.append(
            Service(service_id, display_name(service_id), team_id, [r.name for r in repositories], tier)
        )
        state.repositories.extend(repositories)


def hire_founding_people(state: OrgState, engineers: dict[str, int]) -> None:
    """Everyone employed on the first day, ids handed out in order of start date."""
    params, rng = state.params, state.rng["people"]
    seats: list[tuple[str, str, str, bool]] = []  # (team, level, role, leads the team)
    for team_id in state.teams:
        depth = state.depth[team_id]
        if team_id == ROOT:
            seats.append((team_id, "M5", "director", True))
        elif depth > 0:
            level = "M3" if depth == 1 and rng.chance(0.7) else "M4"
            seats.append((team_id, level, "director", True))
        else:
            seats.append((team_id, "M1" if rng.chance(0.7) else "M2", "manager", True))
            seats.extend((team_id, engineer_level(state, rng), "engineer", False) for _ in range(engineers[team_id]))
    starts = [founding_start(state, rng) for _ in seats]
    order = sorted(range(len(seats)), key=lambda i: (starts[i], i))
    for i in order:
        team_id, level, role, leads = seats[i]
        contractor = role == "engineer" and rng.chance(params.contractor_share)
        employment = "contractor" if contractor else "full-time"
        person = state.new_person(starts[i], team_id, employment)
        level_since = max(person.start, state.start - timedelta(days=rng.integer(0, 730)))
        cost = state.cost(level, person.location, employment)
        title = state.title(level, employment)
        state.add_person(person, Now(team_id, None, level, role, title, cost, person.start, level_since))
        if leads:
            state.lead[team_id] = person.person_id
            state.teams[team_id].managers.append((max(person.start, state.teams[team_id].created), person.person_id))
    for person_id, now in state.now.items():
        now.manager_id = state.expected_manager(person_id, now.team_id)


def engineer_level(state: OrgState, rng: Rng) -> str:
    mix = state.params.engineer_level_mix
    return rng.weighted([level for level, _ in mix], [share for _, share in mix])


def founding_start(state: OrgState, rng: Rng) -> date:
    """A start date before the first day: tenure exponential, within the organization's history."""
    params = state.params
    longest = params.history_years * 365.25
    days = rng.exponential(params.initial_mean_tenure_years * 365.25)
    while days > longest:  # a truncated exponential: nobody before the organization existed
        days = rng.exponential(params.initial_mean_tenure_years * 365.25)
    day = weekday_on_or_after(state.start - timedelta(days=max(14, round(days))))
    return day if day < state.start else state.start - timedelta(days=14)


def create_team(state: OrgState, day: date) -> str:
    """A new team in the division with the fewest teams (a new division when all are full),
    started by two engineers from the division's largest team; its lead is to be found."""
    params, rng = state.params, state.rng["structure"]
    divisions = [t for t in state.teams if state.depth[t] == 1 and len(state.children[t]) < params.unit_span[1]]
    division = min(divisions, key=lambda t: (len(state.children[t]), t)) if divisions else create_division(state, day)
    kind = rng.weighted([t for t, _ in params.team_type_mix], [w for _, w in params.team_type_mix])
    name = state.names.from_pool(TEAM_NAMES[kind])
    team_id = add_team(state, name, display_name(name), division, kind, day, 0)
    add_services(state, team_id, kind)
    siblings = [t for t in state.children[division] if t != team_id]
    if siblings:
        largest = max(siblings, key=lambda t: (state.engineers_in(t), t))
        movers = [p for p, now in state.now.items() if now.team_id == largest and now.role == "engineer"]
        for person_id in rng.sample(movers, min(2, len(movers) - params.team_engineers[0] - 1)):
            state.change(person_id, day, team_id=team_id)
    internal = rng.chance(params.internal_manager_share)
    state.open_requisition(day, Requisition(team_id, "M1", "manager", internal), params.manager_hiring_lag_days)
    return team_id


def create_division(state: OrgState, day: date) -> str:
    """A new division under the unit that has the fewest divisions; its director is to be hired."""
    parents = [t for t in state.teams if state.depth[t] == 2]
    parent = min(parents, key=lambda t: (len(state.children[t]), t))
    name = state.names.from_pool(DIVISIONS)
    division = add_team(state, name, display_name(name), parent, "division", day, 1)
    state.open_requisition(day, Requisition(division, "M3", "director"), state.params.manager_hiring_lag_days)
    return division
