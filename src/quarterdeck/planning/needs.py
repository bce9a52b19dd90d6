"""The talent needs of a plan: its ``needs:`` section (docs/talent-gaps.md).

```yaml
needs:
  train_months_per_level: 6      # optional: months to go up one proficiency level (default 6)
  training_time: 20%             # optional: the share of a trainee's time training takes (default 20%)
  promotion_months: 12           # optional: months in a level before a promotion (default 12)
  skills:                        # people of a team holding a skill at or above a level
    - team: payments
      skill: Kotlin
      level: advanced            # 1-5 or a word of the inventory's scale (default 3)
      count: 3
      by: 2027Q3                 # from this quarter on (default: the plan's first quarter)
      hire_level: IC3            # optional: the level a hire comes in at
  seniority:                     # the share of a group's people at or above a level
    - group: eng                 # org, a unit or a team
      level: IC4
      share: 40%
      by: 2028Q1
  managers:                      # at most N engineers per manager in a group
    - group: org
      engineers_per_manager: 8
      by: 2027Q2
      hire_level: M1             # optional (default M1)
      promote_from: IC5          # optional: engineers at or above this level may become managers (default IC5)
```

Every mistake is a ``ConfigError("FILE:LINE: needs...: what was expected")``. Names of
teams and groups and the quarters are checked against the plan by ``planning.gaps``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quarterdeck.core.errors import ConfigError
from quarterdeck.core.skill_levels import EXPECTED as SKILL_LEVEL_EXPECTED
from quarterdeck.core.skill_levels import skill_level

SETTINGS = ("train_months_per_level", "training_time", "promotion_months")
KINDS = ("skills", "seniority", "managers")
QUARTER = re.compile(r"(\d{4})\s*-?\s*Q([1-4])", re.IGNORECASE)
LEVEL = re.compile(r"([A-Za-z]+)\s*(\d+)")


@dataclass(frozen=True)
class Where:
    """Where a need is written: ``file:line``, for messages."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class SkillNeed:
    team: str  # as written
    skill: str
    level: int  # 1-5
    count: int
    by: tuple[int, int] | None  # (year, quarter 1-4); None: the plan's first quarter
    where: Where
    hire_level: str | None = None

    @property
    def skill_key(self) -> str:
        return self.skill.lower()


@dataclass(frozen=True)
class SeniorityNeed:
    group: str
    level: str  # a career level such as IC4: the share counts people at or above it on its track
    share: float  # 0-1
    by: tuple[int, int] | None
    where: Where


@dataclass(frozen=True)
class ManagerNeed:
    group: str
    engineers_per_manager: float
    by: tuple[int, int] | None
    where: Where
    hire_level: str = "M1"
    promote_from: str = "IC5"


@dataclass(frozen=True)
class Needs:
    skills: tuple[SkillNeed, ...] = ()
    seniority: tuple[SeniorityNeed, ...] = ()
    managers: tuple[ManagerNeed, ...] = ()
    train_months_per_level: float = 6.0
    training_time: float = 0.2
    promotion_months: float = 12.0

    def __bool__(self) -> bool:
        return bool(self.skills or self.seniority or self.managers)


def read_needs(section: Any, file: str, line: int = 0) -> Needs:
    """The needs of a plan's ``needs:`` section (a LineMapping); ``line``: the section's key line."""
    if section is None:
        return Needs()
    if not isinstance(section, Mapping):
        raise ConfigError(f"{file}:{line}: needs: expected a mapping with skills, seniority or managers")
    lines = _key_lines(section)
    _no_unknown(section, (*SETTINGS, *KINDS), "needs", file, lines, line)
    settings = {
        "train_months_per_level": _number(section, "train_months_per_level", 6.0, file, lines, "needs", positive=True),
        "training_time": _share(section, "training_time", 0.2, file, lines, "needs"),
        "promotion_months": _number(section, "promotion_months", 12.0, file, lines, "needs"),
    }
    return Needs(
        skills=tuple(_items(section, "skills", file, lines, _skill_need)),
        seniority=tuple(_items(section, "seniority", file, lines, _seniority_need)),
        managers=tuple(_items(section, "managers", file, lines, _manager_need)),
        **settings,
    )


def _items(section: Mapping, kind: str, file: str, lines: dict, read) -> list:
    items = section.get(kind)
    if items is None:
        return []
    line = lines.get(kind, 0)
    if not isinstance(items, list):
        raise ConfigError(f"{file}:{line}: needs.{kind}: expected a list of needs (each starting with '- ')")
    item_lines = getattr(items, "lines", [line] * len(items))
    found = []
    for i, item in enumerate(items):
        what, item_line = f"needs.{kind}[{i + 1}]", item_lines[i]
        if not isinstance(item, Mapping):
            raise ConfigError(f"{file}:{item_line}: {what}: expected a mapping such as {{{_EXAMPLES[kind]}}}")
        found.append(read(item, what, file, item_line))
    return found


_EXAMPLES = {
    "skills": "team: payments, skill: Kotlin, level: 3, count: 2, by: 2027Q3",
    "seniority": "group: eng, level: IC4, share: 40%, by: 2028Q1",
    "managers": "group: org, engineers_per_manager: 8",
}


def _skill_need(item: Mapping, what: str, file: str, line: int) -> SkillNeed:
    lines = _key_lines(item, line)
    _no_unknown(item, ("team", "skill", "level", "count", "by", "hire_level"), what, file, lines, line)
    level = item.get("level", 3)
    try:
        level = skill_level(level)
    except ValueError:
        raise ConfigError(
            f"{file}:{lines.get('level', line)}: {what}.level: {level!r}: expected {SKILL_LEVEL_EXPECTED}"
        ) from None
    return SkillNeed(
        team=_text(item, "team", file, lines, what, line),
        skill=" ".join(_text(item, "skill", file, lines, what, line).split()),
        level=level,
        count=int(_number(item, "count", None, file, lines, what, whole=True, positive=True, line=line)),
        by=_quarter(item, file, lines, what),
        where=Where(file, line),
        hire_level=_career_level(item, "hire_level", None, file, lines, what),
    )


def _seniority_need(item: Mapping, what: str, file: str, line: int) -> SeniorityNeed:
    lines = _key_lines(item, line)
    _no_unknown(item, ("group", "level", "share", "by"), what, file, lines, line)
    share = _share(item, "share", None, file, lines, what, line=line)
    if share >= 1:
        raise ConfigError(f"{file}:{lines['share']}: {what}.share: expected a share below 100%")
    return SeniorityNeed(
        group=_text(item, "group", file, lines, what, line),
        level=_career_level(item, "level", None, file, lines, what, line=line),
        share=share,
        by=_quarter(item, file, lines, what),
        where=Where(file, line),
    )


def _manager_need(item: Mapping, what: str, file: str, line: int) -> ManagerNeed:
    lines = _key_lines(item, line)
    keys = ("group", "engineers_per_manager", "by", "hire_level", "promote_from")
    _no_unknown(item, keys, what, file, lines, line)
    return ManagerNeed(
        group=_text(item, "group", file, lines, what, line),
        engineers_per_manager=_number(item, "engineers_per_manager", None, file, lines, what, positive=True, line=line),
        by=_quarter(item, file, lines, what),
        where=Where(file, line),
        hire_level=_career_level(item, "hire_level", "M1", file, lines, what),
        promote_from=_career_level(item, "promote_from", "IC5", file, lines, what),
    )


# the values ------------------------------------------------------------------------------------


def _key_lines(mapping: Mapping, line: int = 0) -> dict:
    return dict(getattr(mapping, "key_lines", {}) or {}) or {key: line for key in mapping}


def _no_unknown(mapping: Mapping, known: tuple[str, ...], what: str, file: str, lines: dict, line: int) -> None:
    for key in mapping:
        if key not in known:
            raise ConfigError(
                f"{file}:{lines.get(key, line)}: {what}: unknown key {key!r}; expected {', '.join(known)}"
            )
    for key in getattr(mapping, "repeated", []) or []:
        raise ConfigError(f"{file}:{line}: {what}: {key!r} is given twice")


def _missing(key: str, what: str, file: str, line: int, expected: str) -> ConfigError:
    return ConfigError(f"{file}:{line}: {what}: {key} is missing: expected {expected}")


def _text(item: Mapping, key: str, file: str, lines: dict, what: str, line: int) -> str:
    value = item.get(key)
    if value is None:
        raise _missing(key, what, file, line, "a name")
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise ConfigError(f"{file}:{lines[key]}: {what}.{key}: {value!r}: expected a name")
    return str(value).strip()


def _number(
    item: Mapping, key: str, default: float | None, file: str, lines: dict, what: str,
    whole: bool = False, positive: bool = False, line: int = 0,
) -> float:  # fmt: skip
    value = item.get(key)
    kind = ("a whole number" if whole else "a number") + (" above 0" if positive else " of 0 or more")
    if value is None:
        if default is None:
            raise _missing(key, what, file, line, kind)
        return default
    good = isinstance(value, int | float) and not isinstance(value, bool)
    good = good and (not whole or float(value).is_integer()) and (value > 0 if positive else value >= 0)
    if not good:
        raise ConfigError(f"{file}:{lines[key]}: {what}.{key}: {value!r}: expected {kind}")
    return float(value)


def _share(item: Mapping, key: str, default: float | None, file: str, lines: dict, what: str, line: int = 0) -> float:
    value = item.get(key)
    expected = "a share such as 40% or 0.4 (from 0 to 100%)"
    if value is None:
        if default is None:
            raise _missing(key, what, file, line, expected)
        return default
    number: float | None = None
    if isinstance(value, str) and re.fullmatch(r"\s*\d+(\.\d+)?\s*%\s*", value):
        number = float(value.strip().rstrip("%")) / 100
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    if number is None or not 0 <= number <= 1:
        raise ConfigError(f"{file}:{lines[key]}: {what}.{key}: {value!r}: expected {expected}")
    return number


def _quarter(item: Mapping, file: str, lines: dict, what: str) -> tuple[int, int] | None:
    value = item.get("by")
    if value is None:
        return None
    match = QUARTER.fullmatch(str(value).strip())
    if not match:
        raise ConfigError(f"{file}:{lines['by']}: {what}.by: {value!r}: expected a quarter such as 2027Q3")
    return int(match.group(1)), int(match.group(2))


def _career_level(
    item: Mapping, key: str, default: str | None, file: str, lines: dict, what: str, line: int = 0
) -> Any:
    value = item.get(key)
    if value is None:
        if default is None and line:
            raise _missing(key, what, file, line, "a level such as IC4")
        return default
    if not LEVEL.fullmatch(str(value).strip()):
        raise ConfigError(f"{file}:{lines[key]}: {what}.{key}: {value!r}: expected a level such as IC4 or M1")
    return str(value).strip().upper()


def level_rank(level: str) -> tuple[str, int] | None:
    """A career level as (track, step): ``IC4`` -> ("IC", 4); None when it is not one."""
    match = LEVEL.fullmatch(level.strip()) if level else None
    return (match.group(1).upper(), int(match.group(2))) if match else None
