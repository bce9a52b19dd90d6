"""A plan file, the organization's history and the warehouse make the engine's input
(docs/plans.md): ``build_plan(warehouse, settings, plan_file, scenario) -> BuiltPlan``.

Seats: everyone employed on the day the data ends (their team, level, location, role, tenure
at the plan's start and loaded cost; managers have capacity 0), the open positions of
``ingest positions`` (``positions: stored``), and one seat per planned hire. Groups: every unit
of the org tree with the teams under it, the new teams under their parent, and ``org``. The
scenario's freeze, hiring scale, time-to-fill scale, added hiring and assumptions apply.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta

from quarterdeck.config.settings import Settings
from quarterdeck.core.clock import today as today_
from quarterdeck.core.errors import ConfigError
from quarterdeck.metrics.data_end import data_end
from quarterdeck.metrics.org_design import OrgAt, load_org
from quarterdeck.planning.history import History, Period, is_manager, people_periods
from quarterdeck.planning.history_cost import multipliers, rate
from quarterdeck.planning.learn import learn
from quarterdeck.planning.model import ORGANIZATION, BudgetEnvelope, CapacityTarget, PlanInput, Seat
from quarterdeck.planning.plan_assumptions import Assumption, Resolved
from quarterdeck.planning.plan_backfills import RECENT_DAYS, open_backfills
from quarterdeck.planning.plan_file import Hiring, PlanFile, Scenario
from quarterdeck.planning.plan_hires import TeamNow, growth_increments, growth_windows, hire_seats
from quarterdeck.planning.plan_values import Quarter
from quarterdeck.store import Warehouse


@dataclass(frozen=True)
class BuiltPlan:
    """The engine's input for one scenario, and every assumption it uses with its origin."""

    plan: PlanInput
    assumptions: tuple[Assumption, ...]
    scenario: str  # the scenario's name, or "Plan" for the plan file as written
    start: Quarter
    data_end: date
    currency: str
    history: History
    team_names: dict[str, str]  # team id -> its name
    plan_name: str = ""  # the plan file's name (title)


def build_plan(
    warehouse: Warehouse,
    settings: Settings,
    plan_file: PlanFile,
    scenario: str | None = None,
    today: date | None = None,
) -> BuiltPlan:
    """The engine's input for ``scenario`` (None: the plan as written)."""
    chosen = plan_file.scenario(scenario)
    ends = organization_end(warehouse, data_end(warehouse, today or today_(), settings.timezone))
    start = plan_file.start or Quarter.of(ends).plus(1)
    _check_quarters(plan_file, start)
    currency = plan_file.currency or settings.reporting_currency
    history = learn(warehouse, settings, ends, plan_file.history, currency)
    org = load_org(warehouse, ends)
    resolved = Resolved(plan_file, chosen, history)
    builder = _Builder(warehouse, settings, plan_file, chosen, resolved, org, start, ends)
    seats = builder.seats()
    levels = {level: resolved.level(level) for level in sorted({s.level for s in seats})}
    plan = PlanInput(
        start=start.first_day,
        months=plan_file.horizon * 3,
        levels=levels,
        seats=tuple(seats),
        groups=builder.groups(seats),
        backfill=resolved.overall("backfill", history.backfill, "share"),
        mentoring_drag=resolved.overall("mentoring_drag", history.mentoring_drag, "share"),
        mobility=resolved.overall("mobility", history.mobility, "per person-year"),
        yearly_raise=resolved.overall("yearly_raise", history.yearly_raise, "share"),
        raise_month=int(resolved.overall("raise_month", history.raise_month, "")),
        frozen=_frozen(chosen, start, plan_file.horizon),
        capacity_targets=builder.targets(),
        budgets=builder.budgets(),
    )
    name = chosen.name if chosen else "Plan"
    names = {u.unit_id: u.name for u in org.units.values()} | {t.id: t.name for t in plan_file.new_teams}
    return BuiltPlan(plan, tuple(resolved.listing()), name, start, ends, currency, history, names, plan_file.name)


def organization_end(warehouse: Warehouse, ends: date) -> date:
    """The day the plan knows the organization on: the latest people export, or the end of the
    data when that is earlier. Other data (pull requests, a budget) may run past the last
    export; the people and their history are only known to it."""
    latest = warehouse.value("SELECT max(as_of) FROM people_snapshots")
    return min(ends, latest) if latest is not None else ends


def _check_quarters(plan_file: PlanFile, start: Quarter) -> None:
    """Quarters the file names must fall inside the plan (checked here when the start is the data's)."""
    last = start.plus(plan_file.horizon - 1)
    lines = [*plan_file.hiring, *(h for s in plan_file.scenarios for h in s.add_hiring)]
    for hiring in lines:
        for quarter in hiring.quarters:
            if not 0 <= quarter.minus(start) < plan_file.horizon:
                raise ConfigError(f"{plan_file.path}:{hiring.line}: {quarter} is outside the plan ({start} to {last})")
    for goal in plan_file.targets:
        if not 0 <= goal.quarter.minus(start) < plan_file.horizon:
            raise ConfigError(f"{plan_file.path}:{goal.line}: {goal.quarter} is outside the plan ({start} to {last})")


def _frozen(scenario: Scenario | None, start: Quarter, horizon: int) -> frozenset[int]:
    if scenario is None or scenario.freeze is None:
        return frozenset()
    first, last = scenario.freeze
    months = range(max(0, first.minus(start) * 3), min(horizon, last.minus(start) + 1) * 3)
    return frozenset(months)


def months_between(earlier: date, later: date) -> int:
    """Whole months from ``earlier`` to ``later``."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)


class _Builder:
    def __init__(
        self, warehouse: Warehouse, settings: Settings, plan_file: PlanFile, scenario: Scenario | None,
        resolved: Resolved, org: OrgAt, start: Quarter, ends: date,
    ) -> None:  # fmt: skip
        self.warehouse, self.settings, self.file, self.scenario = warehouse, settings, plan_file, scenario
        self.resolved, self.org, self.start, self.ends = resolved, org, start, ends
        self.periods = people_periods(warehouse)
        self.people = [p for p in self.periods if _employed(p, ends) and p.team]
        self.aliases = dict(warehouse.con.execute("SELECT alias, team_id FROM team_aliases ORDER BY 1, 2").fetchall())
        self.parents = {t.id: self.unit(t.parent, t.line) if t.parent else None for t in plan_file.new_teams}

    # -- seats -------------------------------------------------------------------------------

    def seats(self) -> list[Seat]:
        return [*self.people_seats(), *self.position_seats(), *self.backfill_seats(), *self.hire_seats()]

    def people_seats(self) -> list[Seat]:
        price = rate(
            self.warehouse, self.settings.people_cost_currency or self.settings.reporting_currency,
            self.resolved.history.currency, self.ends, "the people export's costs, setting money.people_cost_currency",
        )  # fmt: skip
        multiplier = multipliers(self.settings)
        seats = []
        for p in sorted(self.people, key=lambda p: (p.team or "", p.person_id)):
            level, location = p.level or "unknown", p.location or ""
            hire_cost = self.resolved.hire_cost(level, location)
            cost = round(p.annual_cost * multiplier(p.location) * price, 2) if p.annual_cost is not None else None
            manager = is_manager(p.role, p.level)
            seats.append(
                Seat(
                    team=p.team or "",
                    level=level,
                    hire_cost=hire_cost,
                    cost=cost,
                    tenure=max(0, months_between(p.start_date, self.start.first_day)),
                    capacity=0.0 if manager else 1.0,
                    kind="person",
                    location=location,
                    role="manager" if manager else "engineer",
                    person=p.person_id,
                )
            )
        return seats

    def position_seats(self) -> list[Seat]:
        if self.file.positions != "stored":
            return []
        rows = self.warehouse.con.execute(
            "SELECT position_id, team_id, level, location, opened, start_month, CAST(annual_cost AS DOUBLE), currency, "
            "coalesce(role, '') FROM positions WHERE status = 'open' ORDER BY position_id"
        ).fetchall()
        first = self.start.first_day
        seats = []
        for ident, team, level, location, opened, start_month, cost, currency, role in rows:
            price = rate(self.warehouse, currency, self.resolved.history.currency, self.ends, f"position {ident}")
            manager = is_manager(role, level)
            seats.append(
                Seat(
                    team=team,
                    level=level or "unknown",
                    hire_cost=round(cost * price, 2),
                    opens=max(0, months_between(first, opened)) if opened else 0,
                    earliest_start=max(0, months_between(first, start_month)),
                    capacity=0.0 if manager else 1.0,
                    kind="position",
                    location=location or "",
                    role="manager" if manager else "engineer",
                )
            )
        return seats

    def backfill_seats(self) -> list[Seat]:
        """Recent leavers not yet replaced, when no positions were imported (plan_backfills)."""
        if self.file.positions != "stored" or self.warehouse.value("SELECT count(*) FROM positions"):
            return []
        leavers = open_backfills(self.periods, self.ends)
        since = self.ends - timedelta(days=RECENT_DAYS - 1)
        self.resolved.note(
            "open_backfills", "", len(leavers), "seats",
            f"history: leavers from {since} to {self.ends} not yet replaced by a start of their level in their "
            "team, hired from the plan's start (no positions imported: quarterdeck ingest positions)",
        )  # fmt: skip
        seats = []
        for p in leavers:
            level, location = p.level or "unknown", p.location or ""
            manager = is_manager(p.role, p.level)
            seats.append(
                Seat(
                    team=p.team or "",
                    level=level,
                    hire_cost=self.resolved.hire_cost(level, location),
                    capacity=0.0 if manager else 1.0,
                    kind="position",
                    location=location,
                    role="manager" if manager else "engineer",
                )
            )
        return seats

    def hire_seats(self) -> list[Seat]:
        lines: list[Hiring] = list(self.file.hiring) + list(self.scenario.add_hiring if self.scenario else ())
        scale = self.scenario.hiring_scale if self.scenario else 1.0
        teams = [self.team(hiring.team, hiring.line) for hiring in lines]
        nows = [self.team_now(team) for team in teams]
        for hiring, now in zip(lines, nows, strict=True):
            if hiring.growth is not None and not now.levels:
                raise ConfigError(
                    f"{self.file.path}:{hiring.line}: {hiring.team!r} has no engineers on {self.ends} to grow from; "
                    "give its hires with a level and per_quarter or quarters"
                )
        growing = [i for i, hiring in enumerate(lines) if hiring.growth is not None]
        increments = [growth_increments(lines[i].growth or 0.0, self.file.horizon, nows[i], scale) for i in growing]
        slots = dict(zip(growing, growth_windows(increments), strict=True))
        seats = []
        for i, (hiring, team, now) in enumerate(zip(lines, teams, nows, strict=True)):
            seats += hire_seats(
                hiring, team, self.start, self.file.horizon, now, scale,
                self.resolved.hire_cost, lambda level: self.resolved.level(level).fill_days, slots.get(i),
            )  # fmt: skip
        return seats

    def team_now(self, team: str) -> TeamNow:
        members = [p for p in self.people if p.team == team]
        if not members:  # a new team: its parent's locations
            parent = self.parents.get(team)
            members = [p for p in self.people if parent and p.team in self.org.subtree(parent)]
        engineers = Counter(p.level or "unknown" for p in members if p.team == team and not is_manager(p.role, p.level))
        locations = Counter(p.location for p in members if p.location) or Counter(
            p.location for p in self.people if p.location
        )
        return TeamNow(engineers, locations)

    # -- names, groups, targets, budgets -----------------------------------------------------

    def team(self, name: str, line: int) -> str:
        for team in self.file.new_teams:
            if name in (team.id, team.name):
                return team.id
        return self.unit(name, line)

    def unit(self, name: str, line: int) -> str:
        found = self.aliases.get(name.lower())
        if found is None or found not in self.org.units:
            known = ", ".join(sorted(self.org.units)[:12])
            raise ConfigError(
                f"{self.file.path}:{line}: unknown team {name!r}: no team or unit on {self.ends} has that id, name "
                f"or alias, and no new team of the plan is called so; teams: {known}"
            )
        return found

    def groups(self, seats: list[Seat]) -> dict[str, tuple[str, ...]]:
        teams = sorted({s.team for s in seats})
        parent_of = self.parents
        groups: dict[str, tuple[str, ...]] = {ORGANIZATION: tuple(teams)}
        for unit in sorted(self.org.units):
            below = set(self.org.subtree(unit))
            below |= {new for new, parent in parent_of.items() if parent in below}
            inside = tuple(t for t in teams if t in below)
            if inside:
                groups[unit] = inside
        return groups

    def targets(self) -> tuple[CapacityTarget, ...]:
        return tuple(
            CapacityTarget(
                ORGANIZATION if goal.group.lower() in ("org", "organization") else self.team(goal.group, goal.line),
                goal.quarter.minus(self.start),
                goal.fte,
            )
            for goal in self.file.targets
        )

    def budgets(self) -> tuple[BudgetEnvelope, ...]:
        given = self.resolved.budget()
        if given is None:
            return ()
        envelopes, months = [], self.file.horizon * 3
        for key, amount in sorted(given[0].items()):
            if key == "total":
                envelopes.append(BudgetEnvelope(ORGANIZATION, 0, months, amount, "horizon"))
                continue
            first = months_between(self.start.first_day, date(int(key), 1, 1))
            low, high = max(0, first), min(months, first + 12)
            if high <= low:
                scenario = self.scenario.assumptions if self.scenario and self.scenario.assumptions.budget else None
                line = (scenario or self.file.assumptions).lines.get("budget", 1)
                last = self.start.plus(self.file.horizon - 1)
                raise ConfigError(
                    f"{self.file.path}:{line}: the budget for {key} is outside the plan ({self.start} to {last})"
                )
            envelopes.append(BudgetEnvelope(ORGANIZATION, low, high - low, amount, key))
        return tuple(envelopes)


def _employed(period: Period, day: date) -> bool:
    return period.valid_from <= day and (period.valid_to is None or day < period.valid_to)


__all__ = ["BuiltPlan", "build_plan", "is_manager", "replace"]
