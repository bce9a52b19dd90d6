"""The build-vs-buy decision file (YAML; docs/decisions-build-vs-buy.md, decision 0060).

```yaml
title: Feature flags: build or buy
years: 5                      # the horizon, whole years (default 5)
discount_rate: 10%            # yearly; cash flows are discounted at the end of each year
currency: USD                 # default: [money] reporting_currency
engineer_month_cost: 16000    # optional: default, the organization's (metric engineer_month_cost)
shared:                       # inputs every option uses unless it sets its own
  seats: {low: 150, mode: 200, high: 260}
  seat_growth: {low: 5%, mode: 10%, high: 20%}
options:
  build:                      # kind: build (the name's default when it is build or buy)
    engineers: {low: 2, mode: 3, high: 4}
    months: {low: 4, mode: 6, high: 10, distribution: pert}
    maintenance_fte: 0.5      # engineer FTE once built
    infrastructure: 12000     # a year, once built
  buy:
    licence_per_seat: 96      # a seat, a year
    escalator: 5%             # the licence's yearly rise
    integration: 2            # engineer-months, in the first year
    exit_cost: 20000          # paid in the last year
    other_yearly: 5000
```

Every number may be a range (``planning.ranges``). Reading returns a ``Decision`` whose
``inputs`` are keyed ``discount_rate``, ``engineer_month_cost``, ``shared.NAME`` or
``OPTION.NAME``: the names the tornado shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quarterdeck.config.yaml_files import LineLoader, read_yaml
from quarterdeck.core.errors import ConfigError
from quarterdeck.planning.ranges import Range, parse_range

KINDS = ("build", "buy")
#: Each kind's inputs: None when the file must give it, else its default.
FIELDS: dict[str, dict[str, float | None]] = {
    "build": {"engineers": None, "months": None, "maintenance_fte": 0.0, "infrastructure": 0.0, "other_yearly": 0.0},
    "buy": {
        "licence_per_seat": None,
        "seats": None,
        "seat_growth": 0.0,
        "escalator": 0.0,
        "integration": 0.0,
        "exit_cost": 0.0,
        "other_yearly": 0.0,
    },
}
#: Inputs written as percentages (``5%``) or fractions (0.05).
PERCENT_FIELDS = ("discount_rate", "seat_growth", "escalator")
_SPELLINGS = {"license_per_seat": "licence_per_seat"}
_TOP = ("title", "years", "discount_rate", "currency", "engineer_month_cost", "shared", "options")
MAX_YEARS = 30


@dataclass(frozen=True)
class Option:
    """One way to get the capability; ``uses`` maps each of its inputs to a key of
    ``Decision.inputs`` (its own ``OPTION.NAME``, a ``shared.NAME``, or ``default.NAME``)."""

    name: str
    kind: str
    uses: dict[str, str]
    line: int


@dataclass(frozen=True)
class Decision:
    path: Path
    title: str
    years: int
    currency: str | None
    options: tuple[Option, ...]
    inputs: dict[str, Range] = field(default_factory=dict)  # key -> range (see the module's docstring)
    lines: dict[str, int] = field(default_factory=dict)  # key -> the line that gives it

    @property
    def engineer_month_cost(self) -> Range | None:
        return self.inputs.get("engineer_month_cost")

    def uncertain(self) -> list[str]:
        """The keys of the inputs given as ranges, in the file's order."""
        return [key for key, value in self.inputs.items() if value.uncertain]


def looks_like(data: Any) -> bool:
    """A parsed YAML mapping is a build-vs-buy decision: ``options`` with a build and a buy."""
    options = data.get("options") if isinstance(data, Mapping) else None
    if not isinstance(options, Mapping):
        return False
    kinds = {_kind_of(name, spec) for name, spec in options.items()}
    return set(KINDS) <= kinds


def read_decision(path: Path) -> Decision:
    """The decision in ``path``; a ConfigError naming the file and line when it is wrong."""
    data = read_yaml(path, "decision file", LineLoader)
    if not isinstance(data, Mapping):
        raise ConfigError(f"{path}: a decision file is a mapping with title, years, discount_rate and options")
    reader = _Reader(path, data)
    return reader.decision()


def _kind_of(name: Any, spec: Any) -> Any:
    if isinstance(spec, Mapping) and "kind" in spec:
        return spec["kind"]
    return name


class _Reader:
    def __init__(self, path: Path, data: Mapping) -> None:
        self.path, self.data = path, data
        self.inputs: dict[str, Range] = {}
        self.lines: dict[str, int] = {}

    def at(self, mapping: Mapping, key: Any = None) -> str:
        lines = getattr(mapping, "key_lines", {})
        line = lines.get(key) if key is not None else None
        return f"{self.path}:{line or getattr(mapping, 'line', 1)}"

    def decision(self) -> Decision:
        data = self.data
        self.check_keys(data, _TOP, "a decision file")
        if "options" not in data:
            raise ConfigError(f"{self.at(data)}: a decision file needs options (a build and a buy)")
        years = self.years()
        self.number(data, "discount_rate", "discount_rate", default=None)
        if "engineer_month_cost" in data:
            self.number(data, "engineer_month_cost", "engineer_month_cost")
        currency = data.get("currency")
        if currency is not None and not (isinstance(currency, str) and len(currency.strip()) == 3):
            raise ConfigError(f"{self.at(data, 'currency')}: currency: expected a 3-letter code such as USD")
        shared = data.get("shared") or {}
        if not isinstance(shared, Mapping):
            raise ConfigError(f"{self.at(data, 'shared')}: shared: expected a mapping of inputs")
        known = sorted({name for kind in FIELDS.values() for name in kind})
        self.check_keys(shared, known, "shared", spellings=True)
        for name in shared:
            key = _SPELLINGS.get(name, name)
            self.number(shared, name, f"shared.{key}", field_name=key)
        options = self.options(data["options"])
        title = str(data.get("title") or self.path.stem)
        code = currency.strip().upper() if currency else None
        return Decision(self.path, title, years, code, options, self.inputs, self.lines)

    def years(self) -> int:
        years = self.data.get("years", 5)
        if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= MAX_YEARS:
            raise ConfigError(f"{self.at(self.data, 'years')}: years: expected a whole number from 1 to {MAX_YEARS}")
        return years

    def options(self, options: Any) -> tuple[Option, ...]:
        where = self.at(self.data, "options")
        if not isinstance(options, Mapping) or not options:
            raise ConfigError(f"{where}: options: expected a mapping of named options (build: ..., buy: ...)")
        found = tuple(self.option(str(name), spec, options) for name, spec in options.items())
        if len(found) < 2:
            raise ConfigError(f"{where}: options: a decision needs at least two options to compare")
        return found

    def option(self, name: str, spec: Any, options: Mapping) -> Option:
        where = self.at(options, name)
        if not isinstance(spec, Mapping):
            raise ConfigError(f"{where}: option {name}: expected a mapping of its inputs")
        kind = _kind_of(name, spec)
        if kind not in KINDS:
            raise ConfigError(f"{where}: option {name}: kind must be build or buy, got {kind!r}")
        self.check_keys(spec, (*FIELDS[kind], "kind"), f"option {name} ({kind})", spellings=True)
        uses: dict[str, str] = {}
        for field_name, default in FIELDS[kind].items():
            given = next((k for k in spec if _SPELLINGS.get(k, k) == field_name), None)
            if given is not None:
                uses[field_name] = self.number(spec, given, f"{name}.{field_name}", field_name=field_name)
            elif f"shared.{field_name}" in self.inputs:
                uses[field_name] = f"shared.{field_name}"
            elif default is None:
                raise ConfigError(f"{where}: option {name}: {field_name} is missing (in the option or in shared)")
            else:
                uses[field_name] = f"default.{field_name}"
                self.inputs.setdefault(uses[field_name], Range.point(default))
        return Option(name, kind, uses, options.key_lines.get(name, 0) if hasattr(options, "key_lines") else 0)

    def number(self, mapping: Mapping, key: str, name: str, default: Any = 0, field_name: str = "") -> str:
        value = mapping.get(key, default)
        if value is None:
            raise ConfigError(f"{self.at(mapping)}: {name} is missing")
        percent = (field_name or name) in PERCENT_FIELDS
        found = parse_range(value, self.at(mapping, key), name, percent=percent)
        if found.low < 0:
            raise ConfigError(f"{self.at(mapping, key)}: {name}: must not be negative")
        self.inputs[name] = found
        self.lines[name] = getattr(mapping, "key_lines", {}).get(key, getattr(mapping, "line", 0))
        return name

    def check_keys(self, mapping: Mapping, known: Any, what: str, spellings: bool = False) -> None:
        for key in mapping:
            name = _SPELLINGS.get(key, key) if spellings else key
            if name not in known:
                expected = ", ".join(k for k in known if k != "kind")
                raise ConfigError(f"{self.at(mapping, key)}: {what}: unknown key {key!r} (expected {expected})")
        repeated = getattr(mapping, "repeated", [])
        if repeated:
            raise ConfigError(f"{self.at(mapping, repeated[0])}: {what}: {repeated[0]!r} is given twice")
