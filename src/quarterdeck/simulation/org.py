"""Building the simulated organization over time: ``build_world(params, seed)``.

The organization found on the first day (``org_structure.found``) then lives through
events, day by day in order: each month some people leave (attrition), growth
requisitions open, some engineers move teams; twice a year promotions, once a year raises.
A departure opens a requisition for the same seat (a backfill), filled after a hiring lag;
a lead's seat is filled from inside or from outside. When no team has room for a new
engineer, a new team is formed (and a new division when every division is full).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from quarterdeck.simulation.model import World
from quarterdeck.simulation.org_params import NEW_YORK_COST, NEXT_LEVEL, TITLES, OrgParams
from quarterdeck.simulation.org_state import Now, OrgState, Requisition, next_month
from quarterdeck.simulation.org_structure import ROOT, create_team, engineer_level, found


def build_world(params: OrgParams, seed: int) -> World:
    """The organization from ``params.start`` for ``params.years`` years; the same seed and
    parameters always give the same world."""
    state = OrgState(params, seed)
    found(state)
    day = state.start
    while day < state.end:
        state.schedule(day, "month")
        day = next_month(day)
    while (event := state.next_event()) is not None:
        day, kind, payload = event
        HANDLERS[kind](state, day, payload)
    return state.world()


# -- each month ----------------------------------------------------------------------------------


def on_month(state: OrgState, day: date, _: Any) -> None:
    until = min(next_month(day), state.end)
    for person_id in list(state.now):
        draw_departure(state, person_id, day, until)
    plan_growth(state, day, until)
    draw_moves(state, day, until)
    if day.month in state.params.promotion_months:
        state.schedule(day, "promotions")
    if day.month == state.params.raise_month:
        state.schedule(day, "raises")


def draw_departure(state: OrgState, person_id: str, since: date, until: date) -> None:
    """Whether the person leaves between ``since`` and ``until``: a constant hazard of
    ``attrition`` leavers per person-year (the VP stays for the whole simulation)."""
    days = (until - since).days
    if days <= 0 or state.lead[ROOT] == person_id or person_id in state.leaving:
        return
    rng = state.rng["attrition"]
    if rng.chance(state.params.attrition * days / 365):
        state.leaving.add(person_id)
        state.schedule(since + timedelta(days=rng.integer(1, days)), "leave", person_id)


def plan_growth(state: OrgState, day: date, until: date) -> None:
    """Open requisitions for the engineers the growth target wants by the end of the month."""
    params = state.params
    years = (until - state.start).days / 365.25
    target = round(params.engineers * (1 + params.growth) ** years)
    engineers = sum(1 for now in state.now.values() if now.role == "engineer")
    for _ in range(target - engineers - state.open_engineer_requisitions):
        requisition = Requisition(None, engineer_level(state, state.rng["hiring"]), "engineer")
        state.open_requisition(day, requisition, params.hiring_lag_days)


def draw_moves(state: OrgState, day: date, until: date) -> None:
    """Internal mobility: each engineer moves team with ``mobility`` chance a year."""
    rng, days = state.rng["careers"], (until - day).days
    for person_id, now in state.now.items():
        if now.role == "engineer" and rng.chance(state.params.mobility * days / 365):
            state.schedule(day + timedelta(days=rng.integer(0, days - 1)), "move", person_id)


# -- events --------------------------------------------------------------------------------------


def on_leave(state: OrgState, day: date, person_id: str) -> None:
    state.leaving.discard(person_id)
    if person_id not in state.now:
        return
    now = state.leave(person_id, day)
    state.people[person_id].regretted = state.rng["attrition"].chance(state.params.regretted_share)
    if state.lead[now.team_id] == person_id:
        state.lead[now.team_id] = None
        open_lead_requisition(state, day, now.team_id)
    elif now.role == "engineer":
        backfill(state, day, now)
    state.sync_managers(day)


def backfill(state: OrgState, day: date, vacated: Now) -> None:
    """A requisition for the seat an engineer left: mostly the same level."""
    rng = state.rng["hiring"]
    level = vacated.level if rng.chance(0.7) else engineer_level(state, rng)
    state.open_requisition(day, Requisition(vacated.team_id, level, "engineer"), state.params.hiring_lag_days)


def open_lead_requisition(state: OrgState, day: date, team_id: str) -> None:
    depth = state.depth[team_id]
    role, level = ("manager", "M1") if depth == 0 else ("director", "M3" if depth == 1 else "M4")
    internal = state.rng["hiring"].chance(state.params.internal_manager_share)
    state.open_requisition(day, Requisition(team_id, level, role, internal), state.params.manager_hiring_lag_days)


def on_hire(state: OrgState, day: date, requisition: Requisition) -> None:
    if requisition.role == "engineer":
        state.open_engineer_requisitions -= 1
        team_id = requisition.team_id
        if team_id is not None:
            state.pending[team_id] -= 1
        if team_id is None or state.engineer_counts().get(team_id, 0) >= state.params.team_engineers[1]:
            team_id = team_with_room(state, day)
        contractor = state.rng["hiring"].chance(state.params.contractor_share)
        hire(state, day, team_id, requisition.level, "engineer", "contractor" if contractor else "full-time")
    elif state.lead[requisition.team_id] is None:  # type: ignore[index]
        fill_lead(state, day, requisition)
    state.sync_managers(day)


def hire(state: OrgState, day: date, team_id: str, level: str, role: str, employment: str) -> str:
    person = state.new_person(day, team_id, employment)
    cost = state.cost(level, person.location, employment)
    state.add_person(person, Now(team_id, None, level, role, state.title(level, employment), cost, day, day))
    draw_departure(state, person.person_id, day, min(next_month(day), state.end))
    return person.person_id


def team_with_room(state: OrgState, day: date) -> str:
    """The leaf team with the fewest engineers (those coming included), or a new team."""
    counts = state.engineer_counts()
    load = {t: counts.get(t, 0) + state.pending.get(t, 0) for t in state.leaf_teams()}
    best = min(load, key=lambda t: (load[t], t))
    return best if load[best] < state.params.team_engineers[1] else create_team(state, day)


def fill_lead(state: OrgState, day: date, requisition: Requisition) -> None:
    team_id = requisition.team_id
    assert team_id is not None
    candidate = internal_candidate(state, team_id) if requisition.internal else None
    if candidate is None:
        state.lead[team_id] = hire(state, day, team_id, requisition.level, requisition.role, "full-time")
    else:
        promote_to_lead(state, day, candidate, requisition)


def internal_candidate(state: OrgState, team_id: str) -> str | None:
    """For a team: its most senior employee engineer at IC3 or above; for a unit: the most
    senior lead of the teams or units below it."""
    if state.depth[team_id] == 0:
        found = [
            p
            for p, now in state.now.items()
            if now.team_id == team_id
            and now.role == "engineer"
            and now.level >= "IC3"
            and state.people[p].employment_type == "full-time"
        ]
    else:
        found = [lead for c in state.children[team_id] if (lead := state.lead[c]) is not None]
    ranked = sorted(found, key=lambda p: (-int(state.now[p].level[-1]), state.now[p].level_since, p))
    return ranked[0] if ranked else None


def promote_to_lead(state: OrgState, day: date, person_id: str, requisition: Requisition) -> None:
    """The candidate takes the seat; the seat they leave opens in turn."""
    now, team_id = state.now[person_id], requisition.team_id
    assert team_id is not None
    vacated = Now(**vars(now))
    was_lead = state.lead.get(vacated.team_id) == person_id
    level = requisition.level if now.role == "engineer" else max(requisition.level, now.level)
    values: dict[str, Any] = {"team_id": team_id, "role": requisition.role}
    if level != now.level:
        values.update(level=level, level_since=day, title=TITLES[level], annual_cost=raised(now, level))
    state.change(person_id, day, **values)
    state.lead[team_id] = person_id
    if was_lead:
        state.lead[vacated.team_id] = None
        open_lead_requisition(state, day, vacated.team_id)
    else:
        backfill(state, day, vacated)


def raised(now: Now, level: str) -> int:
    """The cost at a new level: scaled like the New York costs of the two levels."""
    return round(now.annual_cost * NEW_YORK_COST[level] / NEW_YORK_COST[now.level] / 100) * 100


def on_move(state: OrgState, day: date, person_id: str) -> None:
    """An engineer moves to another team that has room, if their own team can spare them."""
    now = state.now.get(person_id)
    if now is None or now.role != "engineer":
        return
    low, high = state.params.team_engineers
    counts = state.engineer_counts()
    if counts.get(now.team_id, 0) <= low:
        return
    room = [t for t in state.leaf_teams() if t != now.team_id and counts.get(t, 0) + state.pending.get(t, 0) < high]
    if room:
        state.change(person_id, day, team_id=state.rng["careers"].choice(room))
        state.sync_managers(day)


def on_promotions(state: OrgState, day: date, _: Any) -> None:
    """A promotion cycle: people a year or more at their level may move up one."""
    params, rng = state.params, state.rng["careers"]
    rates = dict(params.promotion_rate)
    for person_id, now in list(state.now.items()):
        rate = rates.get(now.level)
        if rate is None or (day - now.level_since).days < 365 or state.people[person_id].employment_type != "full-time":
            continue
        if rng.chance(rate / len(params.promotion_months)):
            level = NEXT_LEVEL[now.level]
            state.change(
                person_id, day, level=level, level_since=day, title=TITLES[level], annual_cost=raised(now, level)
            )


def on_raises(state: OrgState, day: date, _: Any) -> None:
    """The yearly raise of employees (contractors' rates stay)."""
    rng, (low, high) = state.rng["careers"], state.params.raise_range
    for person_id, now in list(state.now.items()):
        if state.people[person_id].employment_type == "full-time":
            cost = round(now.annual_cost * (1 + rng.uniform(low, high)) / 100) * 100
            state.change(person_id, day, annual_cost=cost)


HANDLERS: dict[str, Callable[[OrgState, date, Any], None]] = {
    "month": on_month,
    "leave": on_leave,
    "hire": on_hire,
    "move": on_move,
    "promotions": on_promotions,
    "raises": on_raises,
}
