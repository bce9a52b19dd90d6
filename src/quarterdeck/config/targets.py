"""Metric targets: the file that colours the dashboard green, amber or red.

A VP writes, per metric and scope, the value the organization aims for and who answers for
it (``targets.yaml`` next to the warehouse, or the file given with ``--targets``)::

    targets:
      - metric: deployment_frequency
        scope: org                  # org | unit:<org unit id> | team:<team id> | service:<service id>
        target: 5                   # in the metric's unit
        owner: Dana Reyes (VP Eng)  # who answers for it
        amber: 0.1                  # optional: share of the target within which a miss is amber
        direction: up               # optional: overrides the metric's good direction
        review: monthly             # optional: monthly (default) or quarterly, how often it is reviewed

    owners:                         # optional: how each owner gets their digest
      Dana Reyes (VP Eng):
        email: dana@example.com
        slack_webhook_env: QUARTERDECK_SLACK_DANA   # the NAME of a variable holding the URL

``judge`` turns a value and its target into a colour; a scope without a target of its own
is grey, never a colour guessed from another scope's target. Every mistake in the file is a
ConfigError naming the file, the line of the entry and what was expected. docs/targets.md
is the guide for the people who write the file.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quarterdeck.config.target_owners import Owner, read_owners
from quarterdeck.config.yaml_files import LineList, LineLoader, LineMapping, read_yaml
from quarterdeck.core.errors import ConfigError

TARGETS_FILE_NAME = "targets.yaml"
DEFAULT_AMBER = 0.1
COLOURS = ("green", "amber", "red", "grey")
SCOPE_KINDS = ("unit", "team", "service")
DIRECTIONS = ("up", "down")
KEYS = ("metric", "scope", "target", "owner", "amber", "direction", "review")
REVIEWS = ("monthly", "quarterly")
TOP_KEYS = ("targets", "owners")
REQUIRED_KEYS = ("metric", "scope", "target", "owner")

#: Values this close to a bound (relative to their size) count as reaching it, so that
#: rounding in a computation never turns a met target red. Exactly 0 is only close to 0.
_REL_TOLERANCE = 1e-9
_SCOPE_FORMS = "org, unit:<org unit id>, team:<team id> or service:<service id>"
_GUIDE = "see docs/targets.md"


@dataclass(frozen=True)
class Target:
    """What one metric should be at one scope, and who answers for it."""

    metric: str
    scope: str  # org | unit:<id> | team:<id> | service:<id>
    target: float
    owner: str
    amber: float = DEFAULT_AMBER
    direction: str = "up"  # up: higher is better; down: lower is better
    line: int = 0  # the entry's line in the targets file
    scope_line: int = field(default=0, compare=False)  # the line of its 'scope:'
    review: str = "monthly"  # monthly | quarterly: how often the target is reviewed (digests)

    def amber_edge(self) -> float:
        """The value past which a miss is red: the target moved by ``amber`` of its size."""
        margin = self.amber * abs(self.target)
        return self.target - margin if self.direction == "up" else self.target + margin


@dataclass(frozen=True)
class Targets:
    """The targets of one file (none when there is no file)."""

    entries: tuple[Target, ...] = ()
    path: Path | None = None
    owners: dict[str, Owner] = field(default_factory=dict, compare=False)
    _index: dict[tuple[str, str], Target] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index.update({(t.metric, t.scope): t for t in self.entries})

    def __iter__(self) -> Iterator[Target]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def for_metric(self, metric: str, scope: str = "org") -> Target | None:
        """The target of ``metric`` at exactly ``scope``, or None.

        No scope inherits another's target: a team or an org unit without its own entry has
        no target (grey on the dashboard), even when the organization has one."""
        normal = normal_scope(scope)
        return None if normal is None else self._index.get((metric, normal))


def judge(value: float | None, target: Target | None) -> str:
    """The colour of ``value`` against ``target``: "green", "amber", "red" or "grey".

    Grey when there is no target or no value. Up: green at or above the target, amber at or
    above the amber edge, red below it. Down: green at or below the target, amber at or below
    the amber edge, red above it. A target of 0 has no amber band: 0 is met, anything worse
    is red."""
    if target is None or value is None or math.isnan(value):
        return "grey"
    if _reaches(value, target.target, target.direction):
        return "green"
    if _reaches(value, target.amber_edge(), target.direction):
        return "amber"
    return "red"


def _reaches(value: float, bound: float, direction: str) -> bool:
    if math.isclose(value, bound, rel_tol=_REL_TOLERANCE):
        return True
    return value >= bound if direction == "up" else value <= bound


def normal_scope(scope: Any) -> str | None:
    """``scope`` written the one way targets are matched (``team: web`` -> ``team:web``), or
    None when it is not one of the forms org, unit:<id>, team:<id>, service:<id>."""
    if not isinstance(scope, str):
        return None
    if scope.strip() == "org":
        return "org"
    kind, colon, ident = scope.partition(":")
    kind, ident = kind.strip(), ident.strip()
    if not colon or kind not in SCOPE_KINDS or not ident:
        return None
    return f"{kind}:{ident}"


def default_targets_path(warehouse: Path) -> Path:
    """Where the targets file is looked for when none is given: next to the warehouse."""
    return warehouse.parent / TARGETS_FILE_NAME


def load_targets_if_present(path: Path, known_metrics: Mapping[str, str] | None = None) -> Targets:
    """The targets of the file at the default place: none when it is missing or empty.

    A file that is there and has content must be right: its mistakes are errors."""
    if not path.exists():
        return Targets()
    return _load(path, known_metrics, empty_ok=True)


def load_targets(path: Path, known_metrics: Mapping[str, str] | None = None) -> Targets:
    """The targets of a file the user named; any mistake raises ConfigError naming the file
    and line.

    ``known_metrics`` maps each metric name to its good direction (up, down or neither); when
    given, every target must name one of them, and may leave ``direction`` out. Without it,
    every target must say its direction."""
    return _load(path, known_metrics, empty_ok=False)


# -- reading the file ------------------------------------------------------------------------


def _load(path: Path, known_metrics: Mapping[str, str] | None, empty_ok: bool) -> Targets:
    document = _parse(path)
    if document is None:
        if empty_ok:
            return Targets(path=path)
        raise ConfigError(f"{path}: the targets file is empty; expected a list 'targets:' ({_GUIDE})")
    entries = _entries(path, document)
    targets = tuple(_target(entry, line, f"{path}:{line}", known_metrics) for entry, line in entries)
    _check_repeats(path, targets)
    owners = read_owners(path, document)
    _check_owners_answer(path, document, targets, owners)
    return Targets(targets, path, owners)


def _parse(path: Path) -> Any:
    return read_yaml(path, "targets file", LineLoader)


def _entries(path: Path, document: Any) -> list[tuple[Any, int]]:
    """The entries under ``targets:``, each with its line."""
    if not isinstance(document, LineMapping) or "targets" not in document:
        line = document.line if isinstance(document, LineMapping) else 1
        raise ConfigError(f"{path}:{line}: expected a mapping with a list 'targets:' ({_GUIDE})")
    for key in document:
        if key not in TOP_KEYS:
            where = f"{path}:{document.key_lines.get(key, document.line)}"
            raise ConfigError(
                f"{where}: unknown key {key!r} at the top of the file; expected only 'targets:' and 'owners:'"
            )
    listed = document["targets"]
    if listed is None:
        return []
    if not isinstance(listed, LineList):
        where = f"{path}:{document.key_lines['targets']}"
        raise ConfigError(f"{where}: 'targets' must be a list of entries such as '- metric: deployment_frequency'")
    return list(zip(listed, listed.lines, strict=True))


def _target(entry: Any, line: int, where: str, known_metrics: Mapping[str, str] | None) -> Target:
    if not isinstance(entry, LineMapping):
        raise ConfigError(f"{where}: expected a target (a mapping with metric, scope, target and owner), not {entry!r}")
    _check_keys(entry, where)
    metric = _metric(entry["metric"], where, known_metrics)
    scope = normal_scope(entry["scope"])
    if scope is None:
        raise ConfigError(f"{where}: 'scope' must be {_SCOPE_FORMS}, not {entry['scope']!r}")
    value = _number(entry["target"])
    if value is None:
        raise ConfigError(
            f"{where}: 'target' must be a number in the metric's unit, such as 5 or 0.995, not {entry['target']!r}"
        )
    owner = entry["owner"]
    if not isinstance(owner, str) or not owner.strip():
        raise ConfigError(
            f"{where}: 'owner' must name who answers for the target, such as 'Dana Reyes (VP Eng)', not {owner!r}"
        )
    amber = _number(entry.get("amber", DEFAULT_AMBER))
    if amber is None or not 0 <= amber <= 1:
        raise ConfigError(
            f"{where}: 'amber' must be a share of the target from 0 to 1, such as 0.1, not {entry['amber']!r}"
        )
    direction = _direction(entry, metric, where, known_metrics)
    review = entry.get("review", "monthly")
    if review not in REVIEWS:
        raise ConfigError(
            f"{where}: 'review' must be monthly or quarterly (how often the target is reviewed), not {review!r}"
        )
    scope_line = entry.key_lines.get("scope", line)
    return Target(metric, scope, value, owner.strip(), amber, direction, line, scope_line, review)


def _check_keys(entry: LineMapping, where: str) -> None:
    if entry.repeated:
        raise ConfigError(f"{where}: {entry.repeated[0]!r} is given twice in this target; keep one")
    for key in entry:
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(
                f"{where}: unknown key {key!r}{hint}; "
                "a target takes metric, scope, target, owner, amber, direction and review"
            )
    missing = [f"'{key}'" for key in REQUIRED_KEYS if key not in entry]
    if missing:
        names = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
        raise ConfigError(f"{where}: missing {names}; every target needs metric, scope, target and owner")


def _metric(name: Any, where: str, known_metrics: Mapping[str, str] | None) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: 'metric' must be a metric name such as 'deployment_frequency', not {name!r}")
    name = name.strip()
    if known_metrics is not None and name not in known_metrics:
        close = difflib.get_close_matches(name, list(known_metrics), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ConfigError(f"{where}: unknown metric {name!r}{hint} ('quarterdeck metrics list' shows them all)")
    return name


def _number(value: Any) -> float | None:
    """``value`` as a finite number, or None (yes/no, text, .nan and .inf are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _direction(entry: LineMapping, metric: str, where: str, known_metrics: Mapping[str, str] | None) -> str:
    if "direction" in entry:
        direction = entry["direction"]
        if direction not in DIRECTIONS:
            raise ConfigError(
                f"{where}: 'direction' must be up (higher is better) or down (lower is better), not {direction!r}"
            )
        return direction
    if known_metrics is None:
        raise ConfigError(
            f"{where}: missing 'direction' (up or down): the good direction of {metric} is not known here"
        )
    known = known_metrics[metric]
    if known not in DIRECTIONS:
        raise ConfigError(
            f"{where}: {metric} has no good direction (neither higher nor lower is better), so a target "
            "cannot judge it; add 'direction: up' or 'direction: down' to judge it anyway"
        )
    return known


def _check_repeats(path: Path, targets: tuple[Target, ...]) -> None:
    first: dict[tuple[str, str], Target] = {}
    for target in targets:
        key = (target.metric, target.scope)
        if key in first:
            raise ConfigError(
                f"{path}:{target.line}: a second target for {target.metric} at scope {target.scope} "
                f"(the first is on line {first[key].line}); keep one"
            )
        first[key] = target


def _check_owners_answer(path: Path, document: Any, targets: tuple[Target, ...], owners: dict[str, Owner]) -> None:
    """Each owner under ``owners:`` must be the ``owner`` of a target (a misspelt name would
    leave its targets without a digest)."""
    named = sorted({t.owner for t in targets})
    for name, owner in owners.items():
        if name not in named:
            close = difflib.get_close_matches(name, named, n=1)
            hint = (
                f"; did you mean {close[0]!r}?" if close else f"; the targets' owners are {', '.join(named) or 'none'}"
            )
            where = f"{path}:{document['owners'].key_lines.get(name, owner.line)}"
            raise ConfigError(f"{where}: owner {name!r} under 'owners' answers for no target{hint}")


def check_org_units(targets: Targets, units: Collection[str], warehouse: Path) -> None:
    """Every team and unit a target names must be an org unit of ``warehouse`` (``units``:
    the ids of every team and unit it has known); the first that is not is a ConfigError
    naming the file, the line of its scope and the id."""
    for target in targets:
        kind, _, ident = target.scope.partition(":")
        if kind in ("team", "unit") and ident not in units:
            where = f"{targets.path}:{target.scope_line or target.line}: field scope"
            raise ConfigError(f"{where}: {unknown_unit(kind, ident, units, warehouse)}")


def unknown_unit(kind: str, ident: str, units: Collection[str], warehouse: Path) -> str:
    """What to say of a team or unit id that ``warehouse``'s organization does not have."""
    if not units:
        return (
            f"no {kind} {ident!r}: the warehouse {warehouse} holds no organization yet "
            "(import one with 'quarterdeck ingest org')"
        )
    close = difflib.get_close_matches(ident, sorted(units), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else " ('quarterdeck org tree' lists them)"
    return f"no {kind} {ident!r} in the organization of the warehouse {warehouse}{hint}"
