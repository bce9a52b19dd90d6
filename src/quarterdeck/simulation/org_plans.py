"""An example three-year plan for the simulated organization: ``plans/plan.yaml``, as a VP
would write one for ``quarterdeck plan run`` (docs/plans.md).

The plan starts with the quarter after the simulation and runs 12 quarters. It names the
organization's own teams as they are on the last day: the two largest stream-aligned teams
hire engineers every quarter, the first platform team grows by a driver, one team hires a
staff engineer. Its capacity target is the engineers of the last day plus 15 %; its budget
envelope, the loaded cost of the last day's people grown 8 % a year. Its talent needs (for
``quarterdeck plan gaps``, read against the simulated skills inventory): Kubernetes at level 3 in
the platform team, machine learning in a product team, 30 % of engineers at IC4 or above, at
most 7 engineers per manager. Its scenarios are the
usual questions: a hiring freeze, 20 % more hiring, slower hiring, a new hub in Lisbon.
Everything else (attrition, time to fill, ramp-up, costs) is left to the organization's
history, which is the point of the plan.
"""

from __future__ import annotations

from datetime import date, timedelta

from quarterdeck.simulation.model import Person, World

#: Yearly growth of the budget envelope over the last day's loaded cost (an assumption).
BUDGET_GROWTH = 0.08
#: The capacity target: the last day's engineers plus this share.
CAPACITY_GROWTH = 0.15


def plan_yaml(world: World) -> str:
    last = world.end - timedelta(days=1)
    start = _next_quarter(last)
    people = world.members_on(last)
    teams = _leaf_teams(world, last, people)
    # the two largest stream-aligned teams, the first platform team, then any other (a small
    # organization may name a team twice)
    ordered = sorted(teams, key=lambda t: (t[1] != "stream-aligned", t[1] != "platform"))
    platform = next((t for t in teams if t[1] == "platform"), ordered[-1])
    rest = [t for t in ordered if t != platform] or [platform]
    stream = [rest[0], rest[1 % len(rest)]]
    staff = rest[2 % len(rest)]
    engineers = sum(1 for p in people if (s := p.stint_on(last)) is not None and s.role == "engineer")
    cost = sum(s.annual_cost for p in people if (s := p.stint_on(last)) is not None)
    years = [start.year + i for i in range(3)]
    lines = [
        f"# A three-year engineering plan for {world.organization}, "
        f"written by quarterdeck simulate (seed {world.seed}).",
        "# quarterdeck plan run plans/plan.yaml     quarterdeck plan compare plans/plan.yaml",
        f"name: {world.organization} three-year plan",
        f"start: {start.year}Q{(start.month - 1) // 3 + 1}",
        "horizon: 12",
        "hiring:",
        f"  - team: {stream[0][0]}",
        "    level: IC2",
        "    per_quarter: [1, 1, 1, 1, 1, 1, 1, 1]",
        f"  - team: {stream[-1][0]}",
        "    level: IC3",
        "    per_quarter: [1, 0, 1, 0, 1, 0, 1, 0]",
        f"  - team: {platform[0]}",
        "    growth: 10%",
        f"  - team: {staff[0]}",
        "    level: IC4",
        f"    quarters: {{{start.year}Q3: 1}}",
        "targets:",
        "  capacity:",
        "    - group: org",
        f"      quarter: {years[-1]}Q4",
        f"      fte: {round(engineers * (1 + CAPACITY_GROWTH))}",
        "assumptions:",
        "  budget:",
        *(f"    {year}: {round(cost * (1 + BUDGET_GROWTH) ** (i + 1), -3):.0f}" for i, year in enumerate(years)),
        "needs:",
        "  skills:",
        f"    - {{team: {platform[0]}, skill: Kubernetes, level: 3, count: 3, by: {_quarter(start, 2)}}}",
        f"    - {{team: {stream[0][0]}, skill: Machine learning, level: 3, count: 2, by: {_quarter(start, 4)}}}",
        "  seniority:",
        f"    - {{group: org, level: IC4, share: 30%, by: {_quarter(start, 7)}}}",
        "  managers:",
        "    - {group: org, engineers_per_manager: 7}",
        "scenarios:",
        "  - name: Hiring freeze",
        f"    freeze: {{from: {start.year}Q2, to: {start.year}Q3}}",
        "  - name: Growth +20 %",
        "    hiring_scale: 1.2",
        "  - name: Slower hiring",
        "    time_to_fill_scale: 1.5",
        "  - name: Lisbon hub",
        "    add_hiring:",
        f"      - {{team: {stream[0][0]}, level: IC2, location: Lisbon, per_quarter: [0, 2, 2, 2]}}",
    ]
    return "\n".join(lines) + "\n"


def _quarter(start: date, later: int) -> str:
    """The label of the quarter ``later`` quarters after the one starting on ``start``."""
    index = start.year * 4 + (start.month - 1) // 3 + later
    return f"{index // 4}Q{index % 4 + 1}"


def _next_quarter(day: date) -> date:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(first.year + (first.month == 10), (first.month + 2) % 12 + 1, 1)


def _leaf_teams(world: World, day: date, people: list[Person]) -> list[tuple[str, str, int]]:
    """(team id, type, people) of the teams without sub-teams on ``day``, largest first."""
    parents = {t.parent_id for t in world.teams if t.exists_on(day)}
    sizes: dict[str, int] = {}
    for person in people:
        stint = person.stint_on(day)
        if stint is not None:
            sizes[stint.team_id] = sizes.get(stint.team_id, 0) + 1
    leaves = [(t.team_id, t.type, sizes.get(t.team_id, 0)) for t in world.teams
              if t.exists_on(day) and t.team_id not in parents]  # fmt: skip
    return sorted(leaves, key=lambda t: (-t[2], t[0]))
