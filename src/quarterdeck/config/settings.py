"""Typed settings with one resolution order.

Order, highest first: command-line flags > environment ``QUARTERDECK_*`` > the project
config file (``quarterdeck.toml`` in the current folder, or ``--config`` /
``QUARTERDECK_CONFIG``) > defaults. Secrets never come from the config file.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from quarterdeck.core.errors import ConfigError

CONFIG_FILE_NAME = "quarterdeck.toml"

#: Matched, case-insensitively, against ``"name <email>"`` of a git identity.
DEFAULT_BOT_PATTERNS: tuple[str, ...] = (
    r"\[bot\]",
    r"^dependabot",
    r"^renovate",
    r"^github-actions",
    r"^greenkeeper",
    r"^snyk-bot",
    r"^pre-commit-ci",
    r"^mergify",
    r"^semantic-release-bot",
    r"^allcontributors",
    r"^imgbot",
    r"^pyup-bot",
    r"^codecov",
    r"^web-flow <",
    r"<noreply@github\.com>$",
    r"[-_.]bot <",
    r"<[^>]*[-_.]bot@",
)

DEFAULT_GIT_REFS: tuple[str, ...] = ("refs/heads", "refs/tags", "refs/remotes")

#: Environments whose deployments are production deployments (compared in lower case).
DEFAULT_PRODUCTION_ENVIRONMENTS: tuple[str, ...] = ("production", "prod")


#: Issue statuses that mean the work waits on someone else (compared by name or id, lower case).
DEFAULT_BLOCKED_STATUSES: tuple[str, ...] = (
    "blocked",
    "on hold",
    "waiting",
    "waiting for customer",
    "waiting for support",
    "waiting for review",
    "awaiting approval",
    "impeded",
)
#: Critical bugs (compared without case): a bug is critical when its priority (name or id)
#: is one of these, or one of its labels is; it was found in production when one of its
#: labels says so, or a value of its found-in field (Jira: Environment) holds one of these words.
DEFAULT_CRITICAL_PRIORITIES: tuple[str, ...] = ("highest", "blocker", "critical")
DEFAULT_CRITICAL_LABELS: tuple[str, ...] = (
    "critical",
    "p0",
    "severity:critical",
    "severity: critical",
    "severity/critical",
    "priority:critical",
    "priority: critical",
    "priority/critical",
)
DEFAULT_PRODUCTION_LABELS: tuple[str, ...] = (
    "production",
    "found-in:production",
    "found-in/production",
    "found-in-production",
    "environment:production",
)
DEFAULT_PRODUCTION_VALUES: tuple[str, ...] = ("production", "prod")
DEFAULT_WORKING_DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WORKING_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


@dataclass(frozen=True)
class Settings:
    """Everything a command may need to know about where and how to run."""

    db: Path = Path("quarterdeck.duckdb")
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    timezone: str = "UTC"
    git_refs: tuple[str, ...] = DEFAULT_GIT_REFS
    bot_patterns: tuple[str, ...] = DEFAULT_BOT_PATTERNS
    extra_bot_patterns: tuple[str, ...] = ()
    batch_commits: int = 5000
    min_group_size: int = 5
    link_identities_by_name: bool = False
    production_environments: tuple[str, ...] = DEFAULT_PRODUCTION_ENVIRONMENTS
    incident_window_days: int = 7
    critical_severity: int = 2
    blocked_statuses: tuple[str, ...] = DEFAULT_BLOCKED_STATUSES
    working_hours: str = "09:00-17:00"
    working_days: tuple[str, ...] = DEFAULT_WORKING_DAYS
    critical_priorities: tuple[str, ...] = DEFAULT_CRITICAL_PRIORITIES
    critical_labels: tuple[str, ...] = DEFAULT_CRITICAL_LABELS
    production_labels: tuple[str, ...] = DEFAULT_PRODUCTION_LABELS
    production_values: tuple[str, ...] = DEFAULT_PRODUCTION_VALUES
    reporting_currency: str = "USD"
    people_cost_currency: str = ""  # the people export's annual_cost currency; "": the reporting currency
    loaded_cost_multipliers: tuple[tuple[str, float], ...] = ()  # (location, multiplier); "*": the others
    plans_folder: Path = Path("plans")  # plan, decision and proposed-org files the dashboard shows
    config_file: Path | None = None

    def all_bot_patterns(self) -> tuple[str, ...]:
        return self.bot_patterns + self.extra_bot_patterns

    def plans_dir(self) -> Path:
        """The plans folder; a relative one is relative to the config file's folder (when
        there is a config file), else to the current folder."""
        if self.plans_folder.is_absolute() or self.config_file is None:
            return self.plans_folder
        return self.config_file.parent / self.plans_folder

    def working_minutes(self) -> tuple[int, int]:
        """Start and end of the working day, in minutes after midnight."""
        match = _WORKING_HOURS.match(self.working_hours)
        assert match is not None  # checked when the settings were loaded
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        return h1 * 60 + m1, h2 * 60 + m2

    def working_day_numbers(self) -> tuple[int, ...]:
        """ISO day numbers of the working days (Monday = 1)."""
        return tuple(DAY_NAMES.index(d.lower()[:3]) + 1 for d in self.working_days)


# (setting name, config-file key path, environment variable)
_SOURCES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("db", ("db",), "QUARTERDECK_DB"),
    ("jobs", ("jobs",), "QUARTERDECK_JOBS"),
    ("timezone", ("timezone",), "QUARTERDECK_TIMEZONE"),
    ("git_refs", ("git", "refs"), "QUARTERDECK_GIT_REFS"),
    ("bot_patterns", ("identities", "bot_patterns"), "QUARTERDECK_BOT_PATTERNS"),
    ("extra_bot_patterns", ("identities", "extra_bot_patterns"), "QUARTERDECK_EXTRA_BOT_PATTERNS"),
    ("batch_commits", ("git", "batch_commits"), "QUARTERDECK_BATCH_COMMITS"),
    ("min_group_size", ("privacy", "min_group_size"), "QUARTERDECK_MIN_GROUP_SIZE"),
    ("link_identities_by_name", ("identities", "link_by_name"), "QUARTERDECK_LINK_IDENTITIES_BY_NAME"),
    (
        "production_environments",
        ("delivery", "production_environments"),
        "QUARTERDECK_PRODUCTION_ENVIRONMENTS",
    ),
    ("incident_window_days", ("delivery", "incident_window_days"), "QUARTERDECK_INCIDENT_WINDOW_DAYS"),
    ("critical_severity", ("delivery", "critical_severity"), "QUARTERDECK_CRITICAL_SEVERITY"),
    ("blocked_statuses", ("waits", "blocked_statuses"), "QUARTERDECK_BLOCKED_STATUSES"),
    ("working_hours", ("waits", "working_hours"), "QUARTERDECK_WORKING_HOURS"),
    ("working_days", ("waits", "working_days"), "QUARTERDECK_WORKING_DAYS"),
    ("critical_priorities", ("bugs", "critical_priorities"), "QUARTERDECK_BUGS_CRITICAL_PRIORITIES"),
    ("critical_labels", ("bugs", "critical_labels"), "QUARTERDECK_BUGS_CRITICAL_LABELS"),
    ("production_labels", ("bugs", "production_labels"), "QUARTERDECK_BUGS_PRODUCTION_LABELS"),
    ("production_values", ("bugs", "production_values"), "QUARTERDECK_BUGS_PRODUCTION_VALUES"),
    ("reporting_currency", ("money", "reporting_currency"), "QUARTERDECK_REPORTING_CURRENCY"),
    ("people_cost_currency", ("money", "people_cost_currency"), "QUARTERDECK_PEOPLE_COST_CURRENCY"),
    ("loaded_cost_multipliers", ("money", "loaded_cost_multipliers"), "QUARTERDECK_LOADED_COST_MULTIPLIERS"),
    ("plans_folder", ("plans", "folder"), "QUARTERDECK_PLANS_FOLDER"),
)
_BUG_RULES = ("critical_priorities", "critical_labels", "production_labels", "production_values")


_FLAGS = {"db": "--db", "jobs": "--jobs", "git_refs": "--refs"}


def load_settings(
    cli: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    config_path: Path | None = None,
) -> Settings:
    """Resolve settings from flags, environment, config file and defaults, in that order.

    A bad value is reported with where it came from: the flag, the environment variable,
    or the config file and key."""
    env = os.environ if env is None else env
    cli = {k: v for k, v in (cli or {}).items() if v is not None and v != ()}
    path = _config_path(config_path, env)
    file_values = _read_config_file(path) if path else {}
    values: dict[str, Any] = {}
    for name, keys, var in _SOURCES:
        if name in cli:
            origin = f"option {_FLAGS.get(name, name)}"
            value = cli[name]
        elif var in env and env[var] != "":
            origin = f"environment variable {var} (setting '{name}')"
            value = _from_env(name, env[var])
        elif _lookup(file_values, keys) is not None:
            origin = f"{path}: setting '{'.'.join(keys)}'"
            value = _lookup(file_values, keys)
        else:
            continue
        values[name] = _coerce(name, value, origin)
        _validate(name, values[name], origin)
    return Settings(config_file=path, **values)


def _config_path(explicit: Path | None, env: Mapping[str, str]) -> Path | None:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        return explicit
    if env.get("QUARTERDECK_CONFIG"):
        path = Path(env["QUARTERDECK_CONFIG"])
        if not path.is_file():
            raise ConfigError(f"{path}: config file named by QUARTERDECK_CONFIG not found")
        return path
    default = Path(CONFIG_FILE_NAME)
    return default if default.is_file() else None


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror}") from None


def _lookup(values: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    node: Any = values
    for key in keys:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def _from_env(name: str, raw: str) -> Any:
    if name in {
        "git_refs",
        "bot_patterns",
        "extra_bot_patterns",
        "production_environments",
        "blocked_statuses",
        "working_days",
        *_BUG_RULES,
    }:
        separator = "\n" if "patterns" in name else ","
        return [part.strip() for part in raw.split(separator) if part.strip()]
    if name == "loaded_cost_multipliers":  # Berlin=1.3,*=1.2
        return dict(part.partition("=")[::2] for part in raw.split(",") if part.strip())
    return raw


def _coerce(name: str, value: Any, origin: str) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    try:
        if kind == "Path":
            if not isinstance(value, (str, Path)) or not str(value):
                raise TypeError
            return Path(value)
        if kind == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError(value)
        if kind == "int":
            if isinstance(value, (bool, float)):
                raise TypeError
            number = int(str(value).strip()) if isinstance(value, str) else int(value)
            if number < 1:
                raise ValueError
            return number
        if name == "loaded_cost_multipliers":
            return multipliers(value)
        if kind.startswith("tuple"):
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise TypeError
            return tuple(value)
        if not isinstance(value, str):
            raise TypeError
        return value
    except (TypeError, ValueError):
        expected = {"int": "a whole number of at least 1", "Path": "a path", "bool": "true or false"}.get(
            kind, "a list of strings" if kind.startswith("tuple") else "a string"
        )
        if name == "loaded_cost_multipliers":
            expected = 'a table of location = multiplier above 0, such as { Berlin = 1.3, "*" = 1.2 }'
        raise ConfigError(f"{origin} must be {expected}, got {value!r}") from None


def multipliers(value: Any) -> tuple[tuple[str, float], ...]:
    """Loaded-cost multipliers by location: a mapping of location to a number above 0."""
    if not isinstance(value, Mapping):
        raise TypeError
    pairs = []
    for location, number in value.items():
        if isinstance(number, bool) or not str(location).strip():
            raise TypeError
        factor = float(str(number).strip()) if isinstance(number, str) else float(number)
        if not factor > 0:
            raise ValueError
        pairs.append((str(location).strip(), factor))
    return tuple(pairs)


def _validate(name: str, value: Any, origin: str) -> None:
    if name in {"reporting_currency", "people_cost_currency"} and not (
        re.fullmatch(r"[A-Z]{3}", value) or (name == "people_cost_currency" and value == "")
    ):
        raise ConfigError(f"{origin} must be a 3-letter ISO 4217 currency code in capitals, such as USD, got {value!r}")
    if name == "production_environments" and not value:
        raise ConfigError(f"{origin} must name at least one environment, such as 'production'")
    if name == "working_hours":
        match = _WORKING_HOURS.match(value)
        if match is None or int(match[1]) * 60 + int(match[2]) >= int(match[3]) * 60 + int(match[4]):
            raise ConfigError(f"{origin} must be a span of the day such as '09:00-17:00', got {value!r}")
    if name == "working_days":
        wrong = [d for d in value if d.lower()[:3] not in DAY_NAMES or len(d) < 3]
        if wrong or not value:
            raise ConfigError(f"{origin} must list days such as ['mon', 'tue', 'wed', 'thu', 'fri'], got {value!r}")
    if name in _BUG_RULES and not all(v.strip() for v in value):
        raise ConfigError(f"{origin} must list names without empty ones, got {value!r}")
    if name == "critical_severity" and value > 5:
        raise ConfigError(f"{origin} must be a severity rank from 1 (SEV1, P1, critical) to 5, got {value!r}")
    if name == "min_group_size" and value < 2:
        raise ConfigError(f"{origin} must be at least 2 (a group of one person is that person), got {value!r}")
    if name == "timezone":
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"{origin}: unknown time zone {value!r} (expected an IANA name such as 'UTC' or 'Europe/Paris')"
            ) from None
    if name in {"bot_patterns", "extra_bot_patterns"}:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"{origin}: {pattern!r} is not a valid regular expression: {exc}") from None
