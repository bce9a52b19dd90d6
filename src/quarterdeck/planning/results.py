"""What the planning engine keeps of each month: per draw sums by team and group, turned
into P10/P50/P90 bands, target and budget chances (docs/plans-engine.md).

Per team and group arrays are shaped (names, draws): a group's sum adds whole rows and a
name's percentiles sort one contiguous row."""

from __future__ import annotations

import numpy as np

from quarterdeck.planning.draws import percentile_bands
from quarterdeck.planning.model import MEASURES, PERCENTILES, BudgetChance, PlanInput, Projection, TargetChance
from quarterdeck.planning.seats import SeatArrays

_SUMMED = ("cost", "hires", "leavers")
_COUNTS, _AMOUNTS = ("headcount", "hires", "leavers"), ("capacity", "cost")


class Collector:
    """Receives each month's (draws, teams) arrays; keeps bands, not draws."""

    def __init__(self, plan: PlanInput, seats: SeatArrays, draws: int):
        self.plan, self.seats, self.draws = plan, seats, draws
        self.names = (*seats.teams, *seats.groups)  # the columns of the quarterly arrays
        self.column = {name: i for i, name in enumerate(self.names)}  # a group wins over a team of its name
        quarters, months, width = plan.quarters, plan.months, len(self.names)
        self.quarterly = {m: np.zeros((quarters, width, len(PERCENTILES))) for m in MEASURES}
        self.monthly = {m: np.zeros((months, len(seats.groups), len(PERCENTILES))) for m in MEASURES}
        self.sums = {m: np.zeros((width, draws)) for m in MEASURES}
        self.rows = _group_rows(seats.membership)
        self.spent = [np.zeros(draws) for _ in plan.budgets]
        self.budget_column = [self._column_of(b.group, "budget") for b in plan.budgets]
        self.target_column = [self._column_of(t.group, "capacity target") for t in plan.capacity_targets]
        self.targets: dict[int, TargetChance] = {}
        self.occupied = np.zeros((quarters, len(seats.team)))
        self.staying = np.zeros((quarters, len(seats.team)))

    def _column_of(self, name: str, what: str) -> int:
        if name not in self.column:
            raise ValueError(f"{what} for {name!r}: no such team or group in the plan")
        return self.column[name]

    def month(self, month: int, parts: list[tuple[np.ndarray, ...]]) -> None:
        """One month's (teams, draws) arrays of each chunk of draws, in order: headcount at the
        month's end, its capacity, cost, hires and leavers."""
        teams, start = len(self.seats.teams), 0
        groups = {measure: np.empty((len(self.rows), self.draws)) for measure in MEASURES}
        for part in parts:
            draws = slice(start, start + part[0].shape[1])
            start = draws.stop
            for measure, value in zip(MEASURES, part, strict=False):
                groups[measure][:, draws] = self._group_sums(value)
                if measure == "headcount":
                    self.sums[measure][:teams, draws] = value
                else:
                    self.sums[measure][:teams, draws] += value
        for measure in MEASURES:
            if measure == "headcount":
                self.sums[measure][teams:] = groups[measure]
            else:
                self.sums[measure][teams:] += groups[measure]
        stacked = np.concatenate([groups[m] for m in MEASURES])
        bands = percentile_bands(stacked, PERCENTILES).reshape(len(MEASURES), -1, len(PERCENTILES))
        for i, measure in enumerate(MEASURES):
            self.monthly[measure][month] = bands[i]
        for spent, column, budget in zip(self.spent, self.budget_column, self.plan.budgets, strict=True):
            if budget.first_month <= month < budget.first_month + budget.months:
                spent += self.month_values(parts, "cost", column, groups)
        if month % 3 == 2 or month == self.plan.months - 1:
            self._quarter(month // 3, month % 3 + 1)

    def month_values(self, parts, measure: str, column: int, groups: dict[str, np.ndarray]) -> np.ndarray:
        """One month's values of a team or group column over all draws."""
        teams = len(self.seats.teams)
        if column >= teams:
            return groups[measure][column - teams]
        return np.concatenate([part[MEASURES.index(measure)][column] for part in parts])

    def _group_sums(self, value: np.ndarray) -> np.ndarray:
        """(groups, draws): the sum of each group's team rows (0 for a group without teams)."""
        out = np.empty((len(self.rows), value.shape[1]))
        for g, rows in enumerate(self.rows):
            np.sum(value[rows], axis=0, out=out[g])  # an empty group: 0
        return out

    def _quarter(self, quarter: int, months: int) -> None:
        self.sums["capacity"] /= months
        counts = np.concatenate([self.sums[m] for m in _COUNTS]).astype(np.int32)  # exact: whole numbers
        amounts = np.concatenate([self.sums[m] for m in _AMOUNTS])
        width = len(self.names)
        bands = dict(zip(_COUNTS, percentile_bands(counts, PERCENTILES).reshape(len(_COUNTS), width, -1), strict=True))
        bands.update(
            zip(_AMOUNTS, percentile_bands(amounts, PERCENTILES).reshape(len(_AMOUNTS), width, -1), strict=True)
        )
        for measure in MEASURES:
            self.quarterly[measure][quarter] = bands[measure]
        for i, (target, column) in enumerate(zip(self.plan.capacity_targets, self.target_column, strict=True)):
            if target.quarter == quarter:
                chance = float(np.mean(self.sums["capacity"][column] >= target.fte))
                self.targets[i] = TargetChance(target, chance, _band(bands["capacity"][column]))
        for measure in ("capacity", *_SUMMED):
            self.sums[measure][:] = 0.0

    def quarter_seats(self, quarter: int, taken: np.ndarray, held: np.ndarray) -> None:
        """Per seat, in how many draws it is taken, and held by the start's person, at the quarter's end."""
        self.occupied[quarter] = taken / self.draws
        self.staying[quarter] = held / self.draws

    def projection(self, seed: int) -> Projection:
        quarterly = {name: {m: self.quarterly[m][:, column] for m in MEASURES} for name, column in self.column.items()}
        monthly = {group: {m: self.monthly[m][:, g] for m in MEASURES} for g, group in enumerate(self.seats.groups)}
        budgets = tuple(
            BudgetChance(b, float(np.mean(spent <= b.amount)), _band(percentile_bands(spent[None, :], PERCENTILES)[0]))
            for b, spent in zip(self.plan.budgets, self.spent, strict=True)
        )
        notes = [
            f"{t.group} {t.quarter}: the target's quarter is outside the plan"
            for t in self.plan.capacity_targets
            if not 0 <= t.quarter < self.plan.quarters
        ]
        notes += [
            f"budget {b.label or b.group}: months past the plan's end are not counted"
            for b in self.plan.budgets
            if b.first_month + b.months > self.plan.months
        ]
        targets = tuple(self.targets[i] for i in sorted(self.targets))
        return Projection(
            plan=self.plan,
            draws=self.draws,
            seed=seed,
            quarterly=quarterly,
            monthly=monthly,
            occupied=self.occupied,
            staying=self.staying,
            targets=targets,
            budgets=budgets,
            notes=notes,
        )


def _band(values: np.ndarray) -> tuple[float, float, float]:
    return tuple(float(v) for v in values)  # type: ignore[return-value]


def _group_rows(membership: np.ndarray) -> list[slice | np.ndarray]:
    """The team rows of every group: a slice when they follow each other (no copy), else indices."""
    out: list[slice | np.ndarray] = []
    for g in range(membership.shape[1]):
        rows = np.flatnonzero(membership[:, g])
        contiguous = rows.size and rows[-1] - rows[0] + 1 == rows.size
        out.append(slice(int(rows[0]), int(rows[-1]) + 1) if contiguous else rows)
    return out
