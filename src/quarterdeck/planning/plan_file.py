"""The plan file a VP writes (YAML): start, horizon, hiring, new teams, assumptions, targets,
needs and scenarios (docs/plans.md, decision 0058).

``read_plan(path)`` reads and checks it into a ``PlanFile`` without a warehouse: every mistake
is a ``ConfigError("FILE:LINE: what was expected")``. Team names are resolved later, against
the organization (``planning.plan``). ``looks_like(data)`` tells a plan from the other files of
the plans folder.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quarterdeck.config.yaml_files import LineList, LineLoader, LineMapping, read_yaml
from quarterdeck.core.errors import ConfigError
from quarterdeck.planning import plan_values as v
from quarterdeck.planning.plan_values import Quarter

KEYS = (
    "name", "description", "start", "horizon", "history", "currency", "hiring", "new_teams",
    "positions", "assumptions", "targets", "needs", "scenarios",
)  # fmt: skip
HIRING_KEYS = ("team", "level", "role", "location", "per_quarter", "quarters", "growth")
NEW_TEAM_KEYS = ("id", "name", "parent")
ASSUMPTION_KEYS = (
    "attrition", "time_to_fill", "offer_acceptance", "backfill", "ramp_up", "loaded_cost",
    "yearly_raise", "raise_month", "mentoring_drag", "mobility", "budget",
)  # fmt: skip
SCENARIO_KEYS = ("name", "description", "freeze", "hiring_scale", "time_to_fill_scale", "add_hiring", "assumptions")
ROLES = ("engineer", "manager")
DEFAULT_HORIZON = 12
DEFAULT_HISTORY = 12
_GUIDE = "see docs/plans.md"


@dataclass(frozen=True)
class Hiring:
    """One line of the hiring plan: hires of a team at a level, by quarter, or a growth driver."""

    team: str
    line: int
    level: str | None = None  # None only with growth (hires at the team's level mix)
    role: str = "engineer"
    location: str | None = None  # None: the team's most common location
    per_quarter: tuple[int, ...] = ()  # from the plan's first quarter
    quarters: Mapping[Quarter, int] = field(default_factory=dict)
    growth: float | None = None  # yearly growth of the team's headcount


@dataclass(frozen=True)
class NewTeam:
    id: str
    parent: str | None
    line: int
    name: str = ""


@dataclass(frozen=True)
class Assumptions:
    """The assumptions a plan (or a scenario) sets; None: learned from history or the default.
    ``lines`` gives each set one's line in the file."""

    attrition: Mapping[str, float] | None = None  # by level ("*": the others)
    time_to_fill: Mapping[str, float] | None = None  # days, by level
    offer_acceptance: Mapping[str, float] | None = None
    backfill: float | None = None
    ramp_up: Mapping[str, float] | None = None  # months, by level
    loaded_cost: Mapping[str, Mapping[str, float]] | None = None  # level -> location -> annual cost
    yearly_raise: float | None = None
    raise_month: int | None = None
    mentoring_drag: float | None = None
    mobility: float | None = None  # moves between teams per person-year
    budget: Mapping[str, float] | None = None  # "2027" -> amount, or "total" -> amount
    lines: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CapacityGoal:
    group: str  # org, a unit or a team as the user wrote it
    quarter: Quarter
    fte: float
    line: int


@dataclass(frozen=True)
class Scenario:
    name: str
    line: int
    description: str = ""
    freeze: tuple[Quarter, Quarter] | None = None  # from, to (both included)
    hiring_scale: float = 1.0
    time_to_fill_scale: float = 1.0
    add_hiring: tuple[Hiring, ...] = ()
    assumptions: Assumptions = field(default_factory=Assumptions)


@dataclass(frozen=True)
class PlanFile:
    path: Path
    name: str
    start: Quarter | None  # None: the quarter after the last month of data
    horizon: int
    history: int
    currency: str | None
    hiring: tuple[Hiring, ...]
    new_teams: tuple[NewTeam, ...]
    positions: str  # stored | none
    assumptions: Assumptions
    targets: tuple[CapacityGoal, ...]
    scenarios: tuple[Scenario, ...]
    needs: Any = None  # the raw 'needs:' mapping (planning/needs.py reads it)
    lines: Mapping[str, int] = field(default_factory=dict)  # top-level keys' lines

    def scenario(self, name: str | None) -> Scenario | None:
        """The scenario called ``name`` (any case); None for the plan itself (no name)."""
        if name is None:
            return None
        for scenario in self.scenarios:
            if scenario.name.casefold() == name.strip().casefold():
                return scenario
        known = ", ".join(s.name for s in self.scenarios) or "none"
        raise ConfigError(f"{self.path}: no scenario {name!r}; the plan's scenarios: {known}")


def looks_like(data: Mapping[Any, Any]) -> bool:
    """A plan file has ``hiring``, ``horizon`` or ``scenarios`` at its top."""
    return isinstance(data, Mapping) and any(key in data for key in ("hiring", "horizon", "scenarios"))


def read_plan(path: Path) -> PlanFile:
    """The plan in ``path``; any mistake raises ConfigError naming the file and line."""
    document = read_yaml(Path(path), "plan file", LineLoader)
    return _Reader(Path(path)).plan(document)


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = str(path)

    def at(self, line: int) -> str:
        return f"{self.file}:{line}"

    def key_at(self, mapping: Any, key: str, fallback: int = 1) -> str:
        return v.key_where(mapping, key, self.file, self.at(fallback))

    def mapping(self, value: Any, where: str, what: str, keys: tuple[str, ...]) -> LineMapping:
        if not isinstance(value, LineMapping):
            raise ConfigError(f"{where}: {what} must be a mapping with {', '.join(keys)}, not {value!r}")
        for key in value:
            if key not in keys:
                raise ConfigError(
                    f"{self.key_at(value, key, value.line)}: unknown key {key!r} in {what}; expected {', '.join(keys)}"
                )
        for key in value.repeated:
            raise ConfigError(f"{self.key_at(value, key, value.line)}: {key!r} is given twice in {what}")
        return value

    def items(self, value: Any, where: str, what: str) -> list[tuple[Any, int]]:
        if value is None:
            return []
        if not isinstance(value, LineList):
            raise ConfigError(f"{where}: {what} must be a list of entries ('- ...'), not {value!r}")
        return list(zip(value, value.lines, strict=True))

    # -- the document ------------------------------------------------------------------------

    def plan(self, doc: Any) -> PlanFile:
        if not isinstance(doc, LineMapping):
            raise ConfigError(f"{self.at(1)}: a plan file is a mapping with hiring, horizon or scenarios ({_GUIDE})")
        self.mapping(doc, self.at(doc.line), "the plan", KEYS)
        horizon = self.whole(doc, "horizon", DEFAULT_HORIZON, 1, 40, "quarters")
        history = self.whole(doc, "history", DEFAULT_HISTORY, 1, 120, "months")
        start = v.quarter(doc["start"], self.key_at(doc, "start")) if doc.get("start") is not None else None
        hiring = tuple(
            self.hiring(e, line, horizon, start)
            for e, line in self.items(doc.get("hiring"), self.key_at(doc, "hiring"), "'hiring'")
        )
        scenarios = self.scenarios(doc, horizon, start)
        return PlanFile(
            path=self.path,
            name=self.text(doc, "name", self.path.stem),
            start=start,
            horizon=horizon,
            history=history,
            currency=self.currency(doc),
            hiring=hiring,
            new_teams=self.new_teams(doc),
            positions=self.positions(doc),
            assumptions=self.assumptions(doc.get("assumptions"), self.key_at(doc, "assumptions")),
            targets=self.targets(doc, horizon, start),
            scenarios=scenarios,
            needs=doc.get("needs"),
            lines=dict(doc.key_lines),
        )

    def whole(self, doc: LineMapping, key: str, default: int, low: int, high: int, unit: str) -> int:
        value = doc.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ConfigError(
                f"{self.key_at(doc, key)}: '{key}' must be a whole number of {unit} from {low} to {high}, not {value!r}"
            )
        return value

    def text(self, doc: LineMapping, key: str, default: str) -> str:
        value = doc.get(key)
        if value is None:
            return default
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise ConfigError(f"{self.key_at(doc, key)}: '{key}' must be text, not {value!r}")
        return str(value).strip()

    def currency(self, doc: LineMapping) -> str | None:
        value = doc.get("currency")
        if value is None:
            return None
        if not isinstance(value, str) or len(value.strip()) != 3 or not value.strip().isalpha():
            raise ConfigError(
                f"{self.key_at(doc, 'currency')}: 'currency' must be a three-letter code such as USD, not {value!r}"
            )
        return value.strip().upper()

    def positions(self, doc: LineMapping) -> str:
        value = doc.get("positions", "stored")
        if value not in ("stored", "none", None):
            raise ConfigError(
                f"{self.key_at(doc, 'positions')}: 'positions' must be stored (the open positions of "
                f"`ingest positions`) or none, not {value!r}"
            )
        return value or "none"

    # -- hiring ------------------------------------------------------------------------------

    def hiring(self, entry: Any, line: int, horizon: int, start: Quarter | None) -> Hiring:
        where = self.at(line)
        entry = self.mapping(entry, where, "a hiring line", HIRING_KEYS)
        team = self.name(entry, "team", where, "a hiring line")
        ways = [key for key in ("per_quarter", "quarters", "growth") if entry.get(key) is not None]
        if len(ways) != 1:
            raise ConfigError(
                f"{where}: a hiring line needs exactly one of per_quarter, quarters or growth; it has {ways or 'none'}"
            )
        growth = (
            v.share(entry["growth"], self.key_at(entry, "growth", line), "growth", most=None)
            if "growth" in ways
            else None
        )
        level = (
            self.name(entry, "level", where, "a hiring line")
            if growth is None or entry.get("level") is not None
            else None
        )
        role = entry.get("role", "engineer")
        if role not in ROLES:
            raise ConfigError(f"{self.key_at(entry, 'role', line)}: 'role' must be engineer or manager, not {role!r}")
        location = self.name(entry, "location", where, "a hiring line") if entry.get("location") is not None else None
        return Hiring(
            team=team, line=line, level=level, role=role, location=location, growth=growth,
            per_quarter=self.per_quarter(entry, line, horizon),
            quarters=self.quarter_counts(entry, line, horizon, start),
        )  # fmt: skip

    def name(self, entry: LineMapping, key: str, where: str, what: str) -> str:
        value = entry.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(
                f"{self.key_at(entry, key, entry.line) if key in entry else where}: "
                f"{what} needs '{key}' (text), not {value!r}"
            )
        return value.strip()

    def per_quarter(self, entry: LineMapping, line: int, horizon: int) -> tuple[int, ...]:
        value = entry.get("per_quarter")
        if value is None:
            return ()
        where = self.key_at(entry, "per_quarter", line)
        if not isinstance(value, list):
            value = [value]
        if len(value) > horizon:
            raise ConfigError(
                f"{where}: per_quarter lists {len(value)} quarters but the plan's horizon is {horizon} quarters"
            )
        return tuple(v.count(n, where, "each hire count") for n in value)

    def quarter_counts(self, entry: LineMapping, line: int, horizon: int, start: Quarter | None) -> dict[Quarter, int]:
        value = entry.get("quarters")
        if value is None:
            return {}
        where = self.key_at(entry, "quarters", line)
        if not isinstance(value, Mapping) or not value:
            raise ConfigError(
                f"{where}: 'quarters' must be a mapping of quarter to hires, such as {{2027Q2: 3}}, not {value!r}"
            )
        counts: dict[Quarter, int] = {}
        for key, number in value.items():
            key_where = v.key_where(value, key, self.file, where)
            q = v.quarter(key, key_where)
            self.within(q, start, horizon, key_where)
            counts[q] = v.count(number, key_where, f"hires in {q}")
        return counts

    def within(self, q: Quarter, start: Quarter | None, horizon: int, where: str) -> None:
        if start is not None and not 0 <= q.minus(start) < horizon:
            raise ConfigError(f"{where}: {q} is outside the plan ({start} to {start.plus(horizon - 1)})")

    # -- teams, targets ----------------------------------------------------------------------

    def new_teams(self, doc: LineMapping) -> tuple[NewTeam, ...]:
        teams: list[NewTeam] = []
        for entry, line in self.items(doc.get("new_teams"), self.key_at(doc, "new_teams"), "'new_teams'"):
            entry = self.mapping(entry, self.at(line), "a new team", NEW_TEAM_KEYS)
            ident = self.name(entry, "id", self.at(line), "a new team")
            if any(t.id == ident for t in teams):
                raise ConfigError(f"{self.at(line)}: the new team {ident!r} is listed twice")
            parent = (
                self.name(entry, "parent", self.at(line), "a new team") if entry.get("parent") is not None else None
            )
            name = self.name(entry, "name", self.at(line), "a new team") if entry.get("name") is not None else ident
            teams.append(NewTeam(ident, parent, line, name))
        return tuple(teams)

    def targets(self, doc: LineMapping, horizon: int, start: Quarter | None) -> tuple[CapacityGoal, ...]:
        value = doc.get("targets")
        if value is None:
            return ()
        block = self.mapping(value, self.key_at(doc, "targets"), "'targets'", ("capacity",))
        goals = []
        for entry, line in self.items(block.get("capacity"), self.key_at(block, "capacity"), "'capacity'"):
            entry = self.mapping(entry, self.at(line), "a capacity target", ("group", "quarter", "fte"))
            for key in ("group", "quarter", "fte"):
                if entry.get(key) is None:
                    raise ConfigError(
                        f"{self.at(line)}: a capacity target needs group, quarter and fte; '{key}' is missing"
                    )
            q = v.quarter(entry["quarter"], self.key_at(entry, "quarter", line))
            self.within(q, start, horizon, self.key_at(entry, "quarter", line))
            fte = v.amount(entry["fte"], self.key_at(entry, "fte", line), "fte")
            goals.append(CapacityGoal(self.name(entry, "group", self.at(line), "a capacity target"), q, fte, line))
        return tuple(goals)

    # -- assumptions -------------------------------------------------------------------------

    def assumptions(self, value: Any, where: str) -> Assumptions:
        if value is None:
            return Assumptions()
        block = self.mapping(value, where, "'assumptions'", ASSUMPTION_KEYS)
        f, at = self.file, lambda key: self.key_at(block, key, block.line)
        read: dict[str, Any] = {}
        per_level = {"attrition": v.share, "offer_acceptance": v.share, "time_to_fill": v.days, "ramp_up": v.months}
        for key, reader in per_level.items():
            if block.get(key) is not None:
                read[key] = v.by_level(block[key], at(key), f, key.replace("_", " "), reader)
        if block.get("loaded_cost") is not None:
            read["loaded_cost"] = v.by_level(
                block["loaded_cost"], at("loaded_cost"), f, "loaded cost", self.by_location
            )
        for key in ("backfill", "yearly_raise", "mobility"):
            if block.get(key) is not None:
                read[key] = v.share(block[key], at(key), key.replace("_", " "), 0.99 if key == "mobility" else 1.0)
        if block.get("mentoring_drag") is not None:
            read["mentoring_drag"] = v.share(block["mentoring_drag"], at("mentoring_drag"), "mentoring drag")
        if block.get("raise_month") is not None:
            month = block["raise_month"]
            if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
                raise ConfigError(
                    f"{at('raise_month')}: raise_month must be a calendar month from 1 to 12, not {month!r}"
                )
            read["raise_month"] = month
        if block.get("budget") is not None:
            read["budget"] = self.budget(block["budget"], at("budget"))
        lines = {key: int(at(key).rsplit(":", 1)[1]) for key in read}
        return Assumptions(**read, lines=lines)

    def by_location(self, value: Any, where: str, what: str) -> dict[str, float]:
        if not isinstance(value, Mapping):
            return {v.ANY_LEVEL: v.amount(value, where, what)}
        return {
            str(k): v.amount(x, v.key_where(value, k, self.file, where), f"{what} in {k}") for k, x in value.items()
        }

    def budget(self, value: Any, where: str) -> dict[str, float]:
        if not isinstance(value, Mapping) or not value:
            raise ConfigError(
                f"{where}: budget must be a mapping of calendar year to amount, "
                "such as {2027: 30000000}, or {total: N}"
            )
        envelopes = {}
        for key, number in value.items():
            key_where = v.key_where(value, key, self.file, where)
            if str(key) != "total" and not (str(key).isdigit() and len(str(key)) == 4):
                raise ConfigError(f"{key_where}: a budget is per calendar year (2027: N) or total: N, not {key!r}")
            envelopes[str(key)] = v.amount(number, key_where, f"the budget for {key}")
        if "total" in envelopes and len(envelopes) > 1:
            raise ConfigError(f"{where}: a budget is either per calendar year or total, not both")
        return envelopes

    # -- scenarios ---------------------------------------------------------------------------

    def scenarios(self, doc: LineMapping, horizon: int, start: Quarter | None) -> tuple[Scenario, ...]:
        scenarios: list[Scenario] = []
        for entry, line in self.items(doc.get("scenarios"), self.key_at(doc, "scenarios"), "'scenarios'"):
            scenario = self.scenario(entry, line, horizon, start)
            if any(s.name.casefold() == scenario.name.casefold() for s in scenarios):
                raise ConfigError(
                    f"{self.at(line)}: two scenarios are called {scenario.name!r}; each needs its own name"
                )
            scenarios.append(scenario)
        return tuple(scenarios)

    def scenario(self, entry: Any, line: int, horizon: int, start: Quarter | None) -> Scenario:
        entry = self.mapping(entry, self.at(line), "a scenario", SCENARIO_KEYS)

        def at(key: str) -> str:
            return self.key_at(entry, key, line)

        listed = self.items(entry.get("add_hiring"), at("add_hiring"), "'add_hiring'")
        return Scenario(
            name=self.name(entry, "name", self.at(line), "a scenario"),
            line=line,
            description=str(entry.get("description") or ""),
            freeze=self.freeze(entry.get("freeze"), at("freeze"), horizon, start),
            hiring_scale=v.amount(entry.get("hiring_scale", 1.0), at("hiring_scale"), "hiring_scale"),
            time_to_fill_scale=v.positive(
                entry.get("time_to_fill_scale", 1.0), at("time_to_fill_scale"), "time_to_fill_scale"
            ),
            add_hiring=tuple(self.hiring(e, ln, horizon, start) for e, ln in listed),
            assumptions=self.assumptions(entry.get("assumptions"), at("assumptions")),
        )

    def freeze(self, value: Any, where: str, horizon: int, start: Quarter | None) -> tuple[Quarter, Quarter] | None:
        if value is None:
            return None
        block = self.mapping(value, where, "'freeze'", ("from", "to"))
        if block.get("from") is None:
            raise ConfigError(f"{where}: a freeze needs 'from' (a quarter such as 2027Q2) and may have 'to'")
        first = v.quarter(block["from"], self.key_at(block, "from", block.line))
        last = v.quarter(block["to"], self.key_at(block, "to", block.line)) if block.get("to") is not None else None
        if last is not None and last < first:
            raise ConfigError(f"{where}: the freeze ends ({last}) before it starts ({first})")
        return first, last if last is not None else first.plus(10 * 4)
