"""An example build-vs-buy decision: ``plans/build-vs-buy.yaml``, as ``quarterdeck decide
build-vs-buy`` reads it (docs/decisions-build-vs-buy.md).

The question a VP of Engineering of the simulated organization faces: build feature flags
in-house or buy a feature-flag service. Assumptions (documented in docs/simulation.md,
"Plans"):

- seats: every engineer employed on the simulation's last day, rounded up to tens (as the
  shared per-seat tools are bought), from 90% to 130% of it (hiring may slow or speed up),
  growing 5% to 20% a year (mode 10%);
- buy: 240 USD a seat a year (a 2024 list price, rounded), rising 3% to 8% a year (mode 5%);
  1 to 4 engineer-months of integration (mode 2); an exit cost of 10,000 to 40,000 USD;
- build: 2 to 4 engineers (mode 3) for 4 to 10 months (mode 6; PERT: overruns are common,
  long ones rarer); then 0.3 to 1 engineer FTE of maintenance (mode 0.5) and 6,000 to
  24,000 USD of infrastructure a year;
- 5 years at a 10% discount rate; engineering time at the organization's own cost per
  engineer-month (the file sets no engineer_month_cost).
"""

from __future__ import annotations

import math
from datetime import timedelta

from quarterdeck.simulation.model import World

PATH = "plans/build-vs-buy.yaml"


def seats(world: World) -> int:
    """The engineers employed on the last day, rounded up to tens (at least 10)."""
    last = world.end - timedelta(days=1)
    engineers = sum(len(people) for people in world.engineers_by_team(last).values())
    return max(10, 10 * math.ceil(engineers / 10))


def build_vs_buy_yaml(world: World) -> str:
    mode = seats(world)
    low, high = 10 * math.floor(mode * 0.9 / 10), 10 * math.ceil(mode * 1.3 / 10)
    return f"""# A build-vs-buy decision: quarterdeck decide build-vs-buy {PATH}
title: "Feature flags: build or buy"
years: 5
discount_rate: 10%
currency: USD
# engineer_month_cost: not set, so engineering time is priced at the organization's own
# loaded cost per engineer-month (quarterdeck metrics show engineer_month_cost)
shared:
  seats: {{low: {low}, mode: {mode}, high: {high}}}    # engineers using it in year 1
  seat_growth: {{low: 5%, mode: 10%, high: 20%}}
options:
  build:
    engineers: {{low: 2, mode: 3, high: 4}}
    months: {{low: 4, mode: 6, high: 10, distribution: pert}}
    maintenance_fte: {{low: 0.3, mode: 0.5, high: 1}}    # engineer FTE once built
    infrastructure: {{low: 6000, mode: 12000, high: 24000}}    # a year, once built
  buy:
    licence_per_seat: 240    # a seat, a year
    escalator: {{low: 3%, mode: 5%, high: 8%}}
    integration: {{low: 1, mode: 2, high: 4}}    # engineer-months, in year 1
    exit_cost: {{low: 10000, mode: 20000, high: 40000}}    # paid in the last year
"""
