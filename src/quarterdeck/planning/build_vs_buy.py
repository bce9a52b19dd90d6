"""Build vs buy: each option's total cost of ownership and net present value as ranges
(docs/decisions-build-vs-buy.md, decision 0060).

Yearly cash flows (costs), year y = 1..N, engineering time at ``c`` per engineer-month:
- build: the build takes ``engineers x c`` for each of its ``months`` (spread over the years
  it spans); once built, ``maintenance_fte x c`` and ``infrastructure / 12`` for each month
  left in the year; ``other_yearly`` every year.
- buy: ``licence_per_seat x (1 + escalator)^(y-1) x seats x (1 + seat_growth)^(y-1)``;
  ``integration x c`` in year 1; ``exit_cost`` in year N (leaving at the horizon's end);
  ``other_yearly`` every year.
TCO is the sum; NPV the sum of cash flow_y / (1 + discount_rate)^y (at the end of each year).
A seeded Monte Carlo draws every range once per draw (an input shared by options takes the
same value in all of them), so the chance an option is the cheaper is read draw by draw.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from quarterdeck.planning.decide_file import Decision, Option
from quarterdeck.planning.ranges import Range

DEFAULT_DRAWS = 10_000
PERCENTILES = (10, 50, 90)


@dataclass(frozen=True)
class Band:
    p10: float
    p50: float
    p90: float

    @classmethod
    def of(cls, values: np.ndarray) -> Band:
        p10, p50, p90 = np.percentile(values, PERCENTILES)
        return cls(float(p10), float(p50), float(p90))

    def as_json(self) -> dict[str, float]:
        return {"p10": round(self.p10, 2), "p50": round(self.p50, 2), "p90": round(self.p90, 2)}


@dataclass(frozen=True)
class OptionResult:
    name: str
    kind: str
    tco: Band
    npv: Band
    cumulative: tuple[Band, ...]  # cumulative (undiscounted) cost at the end of each year
    chance_cheapest: float  # share of draws in which its NPV is the lowest


@dataclass(frozen=True)
class TornadoBar:
    input: str
    low: float  # the input's low
    high: float
    at_low: float  # the NPV difference (other - cheaper) with the input at its low, the rest at modes
    at_high: float

    @property
    def swing(self) -> float:
        return abs(self.at_high - self.at_low)


@dataclass(frozen=True)
class Outcome:
    decision: Decision
    engineer_month_cost: Range
    cost_origin: str
    draws: int
    seed: int
    options: tuple[OptionResult, ...]
    cheaper: str  # the option with the lowest P50 NPV
    other: str  # the runner-up (second lowest P50 NPV)
    difference: Band  # NPV(other) - NPV(cheaper), draw by draw
    break_even: int | None  # the first year from which the cheaper's P50 cumulative cost stays below
    base_difference: float  # the difference with every input at its mode
    tornado: tuple[TornadoBar, ...]


def evaluate(decision: Decision, cost: Range, cost_origin: str, draws: int = DEFAULT_DRAWS, seed: int = 0) -> Outcome:
    """Run the decision's Monte Carlo; ``cost`` is the engineer-month cost (the file's or
    the organization's) and ``cost_origin`` says where it comes from."""
    inputs = {**decision.inputs, "engineer_month_cost": cost}
    rng = np.random.default_rng(seed)
    sample = {key: value.draw(rng, draws) for key, value in inputs.items()}
    flows = {option.name: cash_flows(option, sample, decision.years) for option in decision.options}
    npvs = {name: present_value(flow, sample["discount_rate"]) for name, flow in flows.items()}
    stacked = np.vstack(list(npvs.values()))
    cheapest = np.bincount(np.argmin(stacked, axis=0), minlength=len(npvs)) / draws
    results = tuple(
        OptionResult(
            option.name,
            option.kind,
            Band.of(flows[option.name].sum(axis=1)),
            Band.of(npvs[option.name]),
            tuple(Band.of(column) for column in np.cumsum(flows[option.name], axis=1).T),
            float(chance),
        )
        for option, chance in zip(decision.options, cheapest, strict=True)
    )
    ranked = sorted(results, key=lambda r: r.npv.p50)
    cheaper, other = ranked[0], ranked[1]
    modes = {key: np.array([value.mode]) for key, value in inputs.items()}
    return Outcome(
        decision,
        cost,
        cost_origin,
        draws,
        seed,
        results,
        cheaper.name,
        other.name,
        Band.of(npvs[other.name] - npvs[cheaper.name]),
        break_even(cheaper, other),
        float(difference_at(decision, modes, cheaper.name, other.name)[0]),
        tornado(decision, inputs, cheaper.name, other.name),
    )


def cash_flows(option: Option, sample: Mapping[str, np.ndarray], years: int) -> np.ndarray:
    """The option's yearly costs, one row per draw and one column per year."""

    def value(name: str) -> np.ndarray:
        return np.asarray(sample[option.uses[name]], dtype=float)[:, None]

    month_cost = np.asarray(sample["engineer_month_cost"], dtype=float)[:, None]
    year = np.arange(1, years + 1, dtype=float)[None, :]
    if option.kind == "build":
        building = np.clip(value("months") - 12 * (year - 1), 0, 12)  # months of the year spent building
        running = 12 - building
        return (
            value("engineers") * month_cost * building
            + value("maintenance_fte") * month_cost * running
            + value("infrastructure") * running / 12
            + value("other_yearly") * np.ones_like(year)
        )
    growth = (1 + value("escalator")) ** (year - 1) * (1 + value("seat_growth")) ** (year - 1)
    flows = value("licence_per_seat") * value("seats") * growth + value("other_yearly") * np.ones_like(year)
    flows[:, 0] += (value("integration") * month_cost)[:, 0]
    flows[:, -1] += value("exit_cost")[:, 0]
    return flows


def present_value(flows: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """Each draw's cash flows discounted at the end of each year."""
    year = np.arange(1, flows.shape[1] + 1, dtype=float)[None, :]
    factors = (1 + np.asarray(rate, dtype=float)[:, None]) ** -year
    return (flows * factors).sum(axis=1)


def difference_at(decision: Decision, sample: Mapping[str, np.ndarray], cheaper: str, other: str) -> np.ndarray:
    """NPV(other) - NPV(cheaper) for the inputs in ``sample``."""
    options = {option.name: option for option in decision.options}
    rate = sample["discount_rate"]
    npv = {name: present_value(cash_flows(options[name], sample, decision.years), rate) for name in (cheaper, other)}
    return npv[other] - npv[cheaper]


def tornado(decision: Decision, inputs: Mapping[str, Range], cheaper: str, other: str) -> tuple[TornadoBar, ...]:
    """For each uncertain input, the difference with it at its low and at its high (the
    others at their modes), the largest swing first."""
    modes = {key: np.array([value.mode]) for key, value in inputs.items()}
    bars = []
    for key, value in inputs.items():
        if not value.uncertain:
            continue
        at = [
            float(difference_at(decision, {**modes, key: np.array([end])}, cheaper, other)[0])
            for end in (value.low, value.high)
        ]
        bars.append(TornadoBar(key, value.low, value.high, at[0], at[1]))
    return tuple(sorted(bars, key=lambda bar: -bar.swing))


def break_even(cheaper: OptionResult, other: OptionResult) -> int | None:
    """The first year from which the cheaper option's P50 cumulative cost stays below the
    other's to the horizon's end; None when it never does."""
    year = None
    for index, (mine, theirs) in enumerate(zip(cheaper.cumulative, other.cumulative, strict=True), start=1):
        year = (year or index) if mine.p50 < theirs.p50 else None
    return year
