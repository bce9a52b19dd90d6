"""Each assumption of a plan: the plan file's (or its scenario's) value where it gives one,
else the organization's history, else the default, with where it comes from in words.

``Resolved`` answers per level (and location for costs) and records every value it gave in
``shown``, so the command line and the dashboard list exactly the assumptions a plan used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from quarterdeck.planning.history import History, Learned, band_name
from quarterdeck.planning.model import TENURE_BANDS, LevelAssumptions
from quarterdeck.planning.plan_file import Assumptions, PlanFile, Scenario
from quarterdeck.planning.plan_values import ANY_LEVEL, level_value


@dataclass(frozen=True)
class Assumption:
    """One assumption a plan uses: what, for whom, its value and its origin."""

    name: str  # attrition, time_to_fill, loaded_cost, ...
    scope: str  # "IC3, tenure 24+ months", "IC3 in Berlin", "" for the whole plan
    value: Any
    unit: str  # "per person-year", "days", "share", "months", currency code
    origin: str

    def shown(self) -> str:
        value = self.value
        if self.unit == "share":
            return f"{value * 100:.1f} %"
        if self.unit == "per person-year":
            return f"{value * 100:.1f} % a year"
        if self.unit == "days" and isinstance(value, tuple):
            return f"{value[0]:.0f} days (spread {value[1]:.2f})"
        if isinstance(value, float) and self.unit not in ("months",):
            return f"{value:,.0f} {self.unit}".strip()
        return f"{value:g} {self.unit}".strip() if isinstance(value, (int, float)) else f"{value} {self.unit}".strip()


@dataclass
class Resolved:
    plan: PlanFile
    scenario: Scenario | None
    history: History
    shown: dict[tuple[str, str], Assumption] = field(default_factory=dict)

    def _given(self, key: str) -> tuple[Any, str] | None:
        """The scenario's, else the plan file's value of ``key``, with its origin."""
        if self.scenario is not None:
            value = getattr(self.scenario.assumptions, key)
            if value is not None:
                line = self.scenario.assumptions.lines.get(key)
                return value, f"scenario {self.scenario.name!r}, plan file line {line}"
        value = getattr(self.plan.assumptions, key)
        if value is not None:
            return value, f"plan file line {self.plan.assumptions.lines.get(key)}"
        return None

    def note(self, name: str, scope: str, value: Any, unit: str, origin: str) -> Any:
        self.shown.setdefault((name, scope), Assumption(name, scope, value, unit, origin))
        return value

    def _by_level(self, key: str, level: str) -> tuple[Any, str] | None:
        given = self._given(key)
        if given is None:
            return None
        value = level_value(given[0], level)
        return None if value is None else (value, given[1])

    def level(self, level: str) -> LevelAssumptions:
        scale = self.scenario.time_to_fill_scale if self.scenario else 1.0
        median, spread = self.fill(level)
        return LevelAssumptions(
            attrition=self.attrition(level),
            fill_days=median * scale,
            fill_spread=spread,
            acceptance=self.single("offer_acceptance", level, self.history.acceptance, "share"),
            ramp_months=self.single("ramp_up", level, self.history.ramp, "months"),
        )

    def attrition(self, level: str) -> tuple[float, ...]:
        given = self._by_level("attrition", level)
        learned = self.history.attrition_of(level)
        rates = []
        for band in range(len(TENURE_BANDS) + 1):
            value, origin = given if given else (learned[band].value, learned[band].origin)
            rates.append(self.note("attrition", f"{level}, tenure {band_name(band)}", value, "per person-year", origin))
        return tuple(rates)

    def fill(self, level: str) -> tuple[float, float]:
        learned = self.history.fill.get(level) or self.history.fill_org
        assert learned is not None
        given = self._by_level("time_to_fill", level)
        if given is not None:
            value = (given[0], learned.value[1])
            origin = f"{given[1]} (spread {learned.value[1]:.2f} from: {learned.origin})"
        else:
            value, origin = learned.value, learned.origin
        if self.scenario is not None and self.scenario.time_to_fill_scale != 1.0:
            origin += f"; x {self.scenario.time_to_fill_scale:g} in scenario {self.scenario.name!r}"
        return self.note("time_to_fill", level, value, "days", origin)

    def single(self, key: str, level: str, learned: Learned, unit: str) -> float:
        given = self._by_level(key, level)
        value, origin = given if given else (learned.value, learned.origin)
        return self.note(key, level, float(value), unit, origin)

    def overall(self, key: str, learned: Learned | None, unit: str) -> Any:
        given = self._given(key)
        value, origin = given if given else (learned.value, learned.origin) if learned else (None, "")
        return self.note(key, "", value, unit, origin)

    def hire_cost(self, level: str, location: str) -> float:
        given = self._given("loaded_cost")
        if given is not None:
            by_location: Mapping[str, float] | None = level_value(given[0], level)
            value = level_value(by_location, location) if by_location else None
            if value is not None:
                return self.note("loaded_cost", f"{level} in {location}", value, self.history.currency, given[1])
        learned = self.history.hire_cost(level, location)
        if learned is None:
            return self.note(
                "loaded_cost", f"{level} in {location}", 0.0, self.history.currency,
                "no cost: too few people with a cost in the people export; set assumptions.loaded_cost",
            )  # fmt: skip
        return self.note("loaded_cost", f"{level} in {location}", learned.value, self.history.currency, learned.origin)

    def budget(self) -> tuple[Mapping[str, float], str] | None:
        return self._given("budget")

    def listing(self) -> list[Assumption]:
        """Every assumption used, plan-wide ones first, then by name and scope."""
        order = ("backfill", "mobility", "yearly_raise", "raise_month", "mentoring_drag", "attrition", "time_to_fill")
        rank = {name: i for i, name in enumerate(order)}
        return sorted(self.shown.values(), key=lambda a: (rank.get(a.name, len(order)), a.name, a.scope))


__all__ = ["ANY_LEVEL", "Assumption", "Assumptions", "Resolved"]
