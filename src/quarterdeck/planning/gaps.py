"""Talent gaps of a plan, per quarter, with the options to close each (docs/talent-gaps.md).

- **skills**: the supply of a skill in a team in quarter q is the sum, over the people of the
  team at the plan's start holding the skill at or above the level (their latest inventory
  line on or before the start), of the chance they still hold their seat at the quarter's end
  (``projection.staying[q, seat]``). New hires are not assumed to hold any skill.
- **seniority**: the people of a group at or above a level, against the share wanted of the
  people on that level's track (IC or M), both counted as ``projection.occupied[q, seat]``
  summed over the seats (the expected number at the quarter's end).
- **managers**: the expected engineers over the wanted ratio, against the expected managers.

The gap is what is needed minus the supply when positive, in people (fractions: the supply is
an expectation). Each need's options (``planning.gap_options``) are sized on its largest
gap over its quarters and checked against the first quarter with a gap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from quarterdeck.core.errors import ConfigError
from quarterdeck.planning import gap_options as options
from quarterdeck.planning.gap_options import (
    Inventory,
    Option,
    QuarterGap,
    held_level,
    is_engineer,
    is_manager,
    track_of,
)
from quarterdeck.planning.model import ORGANIZATION, PlanInput, Projection
from quarterdeck.planning.needs import ManagerNeed, Needs, SeniorityNeed, SkillNeed, Where, level_rank


@dataclass(frozen=True)
class Gap:
    kind: str  # skill, seniority, managers
    group: str  # the team or group it is about
    what: str  # what is needed, in words
    quarters: tuple[QuarterGap, ...]
    options: tuple[Option, ...]
    where: Where

    @property
    def largest(self) -> float:
        return max((q.gap for q in self.quarters), default=0.0)

    @property
    def needed_quarter(self) -> int | None:
        """The first quarter with a gap (None: no gap)."""
        return next((q.quarter for q in self.quarters if q.gap > 1e-9), None)


@dataclass
class TalentGaps:
    plan: PlanInput
    gaps: tuple[Gap, ...]
    notes: list[str] = field(default_factory=list)


def talent_gaps(
    plan: PlanInput, projection: Projection, needs: Needs, inventory: Inventory, aliases: Mapping[str, str] = {}
) -> TalentGaps:
    """Every need's gaps per quarter and options. ``aliases``: other names of teams and
    groups (lower case -> the plan's name), such as the organization's team aliases."""
    gaps = [
        *(skill_gap(plan, projection, need, needs, inventory, aliases) for need in needs.skills),
        *(seniority_gap(plan, projection, need, needs, inventory, aliases) for need in needs.seniority),
        *(manager_gap(plan, projection, need, needs, inventory, aliases) for need in needs.managers),
    ]
    notes = [
        "Skill supply counts the people of the plan's start who hold the skill, times the chance they stay; "
        "planned hires are not assumed to hold it.",
        f"Training: {needs.train_months_per_level:g} months per proficiency level, taking "
        f"{needs.training_time:.0%} of the trainee's time (assumptions of the plan's needs, not measured).",
        promotion_note(needs, inventory),
    ]
    return TalentGaps(plan, tuple(gaps), notes)


def promotion_note(needs: Needs, inventory: Inventory) -> str:
    if inventory.ready_in:
        return (
            "Promotion to the next level: when ready by the career ladder's assessments (ready now, or the months "
            "estimated from the pace of rating gains: an estimate, docs/ladders.md); people not assessed after "
            f"{needs.promotion_months:g} months in level."
        )
    return (
        f"Promotion: after {needs.promotion_months:g} months in level; readiness will come from the career "
        "ladders once assessments are imported (quarterdeck ingest assessments, docs/ladders.md)."
    )


def skill_gap(
    plan: PlanInput, projection: Projection, need: SkillNeed, needs: Needs, inventory: Inventory,
    aliases: Mapping[str, str],
) -> Gap:  # fmt: skip
    name, teams = resolve_group(plan, need.team, aliases, need.where, "team")
    first = quarter_index(plan, need.by, need.where)
    holders = [
        s for s, seat in enumerate(plan.seats)
        if seat.team in teams and held_level(inventory, seat, need.skill_key) >= need.level
    ]  # fmt: skip
    quarters = tuple(
        QuarterGap(q, quarter_label(plan.start, q), float(need.count), float(projection.staying[q, holders].sum()))
        for q in range(first, plan.quarters)
    )
    what = f"{need.count} with {need.skill} at level {need.level} or above"
    found = options.skill_options(plan, teams, need, needs, inventory, quarters)
    return Gap("skill", name, what, quarters, found, need.where)


def seniority_gap(
    plan: PlanInput, projection: Projection, need: SeniorityNeed, needs: Needs, inventory: Inventory,
    aliases: Mapping[str, str],
) -> Gap:  # fmt: skip
    name, teams = resolve_group(plan, need.group, aliases, need.where, "group")
    first = quarter_index(plan, need.by, need.where)
    track = level_rank(need.level)
    assert track is not None  # the needs reader checked it
    on_track = [s for s, seat in enumerate(plan.seats) if seat.team in teams and track_of(seat) == track[0]]
    above = [s for s in on_track if (level_rank(plan.seats[s].level) or ("", 0))[1] >= track[1]]
    quarters = tuple(
        QuarterGap(
            q,
            quarter_label(plan.start, q),
            need.share * float(projection.occupied[q, on_track].sum()),
            float(projection.occupied[q, above].sum()),
        )
        for q in range(first, plan.quarters)
    )
    what = f"{need.share:.0%} of the {track[0]} people at {need.level} or above"
    found = options.seniority_options(plan, teams, need, needs, inventory, quarters)
    return Gap("seniority", name, what, quarters, found, need.where)


def manager_gap(
    plan: PlanInput, projection: Projection, need: ManagerNeed, needs: Needs, inventory: Inventory,
    aliases: Mapping[str, str],
) -> Gap:  # fmt: skip
    name, teams = resolve_group(plan, need.group, aliases, need.where, "group")
    first = quarter_index(plan, need.by, need.where)
    engineers = [s for s, seat in enumerate(plan.seats) if seat.team in teams and is_engineer(seat)]
    managers = [s for s, seat in enumerate(plan.seats) if seat.team in teams and is_manager(seat)]
    quarters = tuple(
        QuarterGap(
            q,
            quarter_label(plan.start, q),
            float(projection.occupied[q, engineers].sum()) / need.engineers_per_manager,
            float(projection.occupied[q, managers].sum()),
        )
        for q in range(first, plan.quarters)
    )
    what = f"at most {need.engineers_per_manager:g} engineers per manager"
    found = options.manager_options(plan, teams, need, needs, inventory, quarters)
    return Gap("managers", name, what, quarters, found, need.where)


# the plan's seats, teams and quarters ----------------------------------------------------------


def resolve_group(
    plan: PlanInput, name: str, aliases: Mapping[str, str], where: Where, what: str
) -> tuple[str, frozenset[str]]:
    """The plan's name of a team or group (by its name in any case, or an alias) and its teams."""
    teams = plan.teams()
    known = {g.lower(): g for g in plan.groups} | {t.lower(): t for t in teams}
    found = known.get(name.lower()) or known.get(str(aliases.get(name.lower(), "")).lower())
    if found is None:
        listing = ", ".join(sorted(set(known.values()))[:15])
        raise ConfigError(f"{where}: unknown {what} {name!r}: the plan's teams and groups are {listing}")
    members = plan.groups.get(found) if found in plan.groups else (found,)
    if found == ORGANIZATION and not members:
        members = teams
    return found, frozenset(members or ())


def quarter_label(start: date, quarter: int) -> str:
    months = start.year * 12 + start.month - 1 + 3 * quarter
    return f"{months // 12}Q{months % 12 // 3 + 1}"


def quarter_index(plan: PlanInput, by: tuple[int, int] | None, where: Where) -> int:
    """The plan's quarter of ``by`` (year, quarter); None is the first."""
    if by is None:
        return 0
    index = (by[0] - plan.start.year) * 4 + (by[1] - 1) - (plan.start.month - 1) // 3
    first, last = quarter_label(plan.start, 0), quarter_label(plan.start, plan.quarters - 1)
    if not 0 <= index < plan.quarters:
        raise ConfigError(f"{where}: by {by[0]}Q{by[1]} is outside the plan's quarters, {first} to {last}")
    return index
