"""The initiative-ROI file (YAML; docs/decisions-build-vs-buy.md, decision 0061).

```yaml
title: 2027 initiatives
horizon: 3                    # years of benefits from now (default 3)
discount_rate: 10%            # optional (default 0): year y's benefits divided by (1 + rate)^y
currency: USD                 # default: [money] reporting_currency
until: 2026-12-31             # optional: count effort up to this day (default: the end of the data)
initiatives:
  - name: New checkout
    epics: [ENG-1]            # the epics whose effort is its cost so far (or objective: grow)
    since: 2026-01-01         # optional: count that effort from this day (default: 12 months of data)
    remaining_cost: {low: 20000, mode: 40000, high: 80000}
    benefits:                 # a year, from now; one range for every year or a list, one per year
      revenue: {low: 0, mode: 50000, high: 120000}
      savings: [10000, 20000, 20000]
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from quarterdeck.config.yaml_files import LineLoader, read_yaml
from quarterdeck.core.errors import ConfigError
from quarterdeck.planning.ranges import Range, parse_range

_TOP = ("title", "horizon", "discount_rate", "currency", "until", "initiatives")
_INITIATIVE = ("name", "epics", "objective", "since", "remaining_cost", "benefits")
MAX_HORIZON = 30


@dataclass(frozen=True)
class Initiative:
    name: str
    epics: tuple[str, ...]
    objective: str | None
    since: date | None
    remaining_cost: Range
    benefits: dict[str, tuple[Range, ...]]  # kind (revenue, savings...) -> one range per year
    line: int


@dataclass(frozen=True)
class InitiativeFile:
    path: Path
    title: str
    horizon: int
    discount_rate: Range
    currency: str | None
    initiatives: tuple[Initiative, ...]
    until: date | None = None


def looks_like(data: Any) -> bool:
    """A parsed YAML mapping is an initiative-ROI file: it has ``initiatives``."""
    return isinstance(data, Mapping) and "initiatives" in data


def read_initiatives(path: Path) -> InitiativeFile:
    data = read_yaml(path, "initiatives file", LineLoader)
    if not isinstance(data, Mapping) or not looks_like(data):
        raise ConfigError(f"{path}: an initiatives file is a mapping with horizon and initiatives")
    at = _at(path)
    _check_keys(data, _TOP, "an initiatives file", at)
    horizon = data.get("horizon", 3)
    if isinstance(horizon, bool) or not isinstance(horizon, int) or not 1 <= horizon <= MAX_HORIZON:
        raise ConfigError(f"{at(data, 'horizon')}: horizon: expected a whole number of years from 1 to {MAX_HORIZON}")
    rate = parse_range(data.get("discount_rate", 0), at(data, "discount_rate"), "discount_rate", percent=True)
    items = data["initiatives"]
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{at(data, 'initiatives')}: initiatives: expected a list of initiatives")
    lines = getattr(items, "lines", [0] * len(items))
    initiatives = tuple(_initiative(item, line, horizon, path) for item, line in zip(items, lines, strict=True))
    names = [i.name for i in initiatives]
    repeated = next((name for name in names if names.count(name) > 1), None)
    if repeated:
        raise ConfigError(f"{at(data, 'initiatives')}: initiatives: {repeated!r} is named twice")
    currency = data.get("currency")
    until = data.get("until")
    if until is not None and not isinstance(until, date):
        raise ConfigError(f"{at(data, 'until')}: until: expected a date such as 2026-12-31")
    title = str(data.get("title") or path.stem)
    return InitiativeFile(path, title, horizon, rate, currency, initiatives, until)


def _at(path: Path) -> Any:
    def at(mapping: Mapping, key: Any = None) -> str:
        line = getattr(mapping, "key_lines", {}).get(key) if key is not None else None
        return f"{path}:{line or getattr(mapping, 'line', 1)}"

    return at


def _check_keys(mapping: Mapping, known: tuple[str, ...], what: str, at: Any) -> None:
    for key in mapping:
        if key not in known:
            raise ConfigError(f"{at(mapping, key)}: {what}: unknown key {key!r} (expected {', '.join(known)})")


def _initiative(item: Any, line: int, horizon: int, path: Path) -> Initiative:
    at = _at(path)
    if not isinstance(item, Mapping):
        raise ConfigError(f"{path}:{line}: an initiative is a mapping with name, epics or objective, and benefits")
    _check_keys(item, _INITIATIVE, "initiative", at)
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{path}:{line}: initiative: name is missing")
    what = f"initiative {name!r}"
    epics = item.get("epics", [])
    if isinstance(epics, str):
        epics = [epics]
    if not isinstance(epics, list) or not all(isinstance(e, str) and e.strip() for e in epics):
        raise ConfigError(f"{at(item, 'epics')}: {what}: epics: expected a list of epic keys such as [ENG-1]")
    objective = item.get("objective")
    if bool(epics) == (objective is not None):
        raise ConfigError(f"{path}:{line}: {what}: give its epics or its objective (one of the two)")
    since = item.get("since")
    if since is not None and not isinstance(since, date):
        raise ConfigError(f"{at(item, 'since')}: {what}: since: expected a date such as 2026-01-01")
    remaining = parse_range(item.get("remaining_cost", 0), at(item, "remaining_cost"), f"{what}: remaining_cost")
    benefits = item.get("benefits")
    if not isinstance(benefits, Mapping) or not benefits:
        raise ConfigError(f"{at(item, 'benefits') if 'benefits' in item else f'{path}:{line}'}: {what}: benefits: "
                          "expected a mapping such as {revenue: ..., savings: ...} of yearly amounts")  # fmt: skip
    yearly = {str(kind): _yearly(value, at(benefits, kind), f"{what}: benefits.{kind}", horizon)
              for kind, value in benefits.items()}  # fmt: skip
    return Initiative(
        name.strip(), tuple(e.strip() for e in epics), objective and str(objective), since, remaining, yearly, line
    )


def _yearly(value: Any, where: str, what: str, horizon: int) -> tuple[Range, ...]:
    if isinstance(value, list):
        if len(value) != horizon:
            raise ConfigError(
                f"{where}: {what}: expected one amount per year of the horizon ({horizon}), got {len(value)}"
            )
        return tuple(parse_range(v, where, f"{what}[{i}]") for i, v in enumerate(value, start=1))
    return (parse_range(value, where, what),) * horizon
