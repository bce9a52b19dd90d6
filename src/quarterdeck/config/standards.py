"""The organization's standard stack (``standards.yaml``, docs/tech-stack.md): the languages
and frameworks allowed, the version ranges dependencies must be in, the licences banned.
Every mistake is a ConfigError naming the file and line.

    languages: [Python, TypeScript, Go]
    frameworks: [django, fastapi, react]
    dependencies:
      django: ">=4.2,<5"
      react: ">=18"
    licences:
      banned: [AGPL-3.0, GPL-3.0]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quarterdeck.config.yaml_files import LineList, LineLoader, LineMapping, read_yaml
from quarterdeck.core.errors import ConfigError

STANDARDS_FILE_NAME = "standards.yaml"
KEYS = ("languages", "frameworks", "dependencies", "licences")
OPERATORS = (">=", "<=", "==", "!=", ">", "<")
_CONSTRAINT = re.compile(r"^\s*(>=|<=|==|!=|>|<)\s*v?(\d+(?:\.\d+)*)\s*$")
_GUIDE = "see docs/tech-stack.md"


@dataclass(frozen=True)
class VersionRule:
    """One bound of a dependency's allowed versions: ``django >= 4.2``."""

    dependency: str
    operator: str
    version: str


@dataclass(frozen=True)
class Standards:
    languages: tuple[str, ...] = ()  # empty: no language rule
    frameworks: tuple[str, ...] = ()
    version_rules: tuple[VersionRule, ...] = ()
    banned_licences: tuple[str, ...] = ()
    path: Path | None = None

    def parameters(self) -> dict[str, list[str]]:
        """The metric parameters the standards are given to SQL as (docs/decisions/0079)."""
        return {
            "standard_languages": list(self.languages),
            "standard_frameworks": list(self.frameworks),
            "rule_dependencies": [r.dependency for r in self.version_rules],
            "rule_operators": [r.operator for r in self.version_rules],
            "rule_versions": [r.version for r in self.version_rules],
            "banned_licences": list(self.banned_licences),
        }


def default_standards_path(warehouse: Path) -> Path:
    """Where the standards file is looked for when none is given: next to the warehouse."""
    return warehouse.parent / STANDARDS_FILE_NAME


def load_standards(path: Path) -> Standards:
    document = read_yaml(path, "standards file", LineLoader)
    if document is None:
        raise ConfigError(f"{path}: the standards file is empty; expected any of {', '.join(KEYS)} ({_GUIDE})")
    if not isinstance(document, LineMapping):
        raise ConfigError(f"{path}:1: expected a mapping with any of {', '.join(KEYS)} ({_GUIDE})")
    for key in document:
        if key not in KEYS:
            line = document.key_lines.get(key, document.line)
            raise ConfigError(f"{path}:{line}: unknown key {key!r}; expected any of {', '.join(KEYS)}")
    where = lambda key: f"{path}:{document.key_lines.get(key, document.line)}"  # noqa: E731
    return Standards(
        languages=_names(document.get("languages"), where("languages"), "languages"),
        frameworks=tuple(n.lower() for n in _names(document.get("frameworks"), where("frameworks"), "frameworks")),
        version_rules=_rules(document.get("dependencies"), path, where("dependencies")),
        banned_licences=_banned(document.get("licences"), path, where("licences")),
        path=path,
    )


def _names(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, LineList):
        raise ConfigError(f"{where}: '{key}' must be a list of names, such as [Python, Go]")
    for item, line in zip(value, value.lines, strict=True):
        if not isinstance(item, str) or not item.strip():
            raise ConfigError(f"{where.rsplit(':', 1)[0]}:{line}: each of '{key}' must be a name, not {item!r}")
    return tuple(item.strip() for item in value)


def _rules(value: Any, path: Path, where: str) -> tuple[VersionRule, ...]:
    if value is None:
        return ()
    if not isinstance(value, LineMapping):
        raise ConfigError(f"{where}: 'dependencies' must map each dependency to a range, such as django: \">=4.2,<5\"")
    rules = []
    for name, spec in value.items():
        line = value.key_lines.get(name, value.line)
        parts = str(spec).split(",") if isinstance(spec, str | int | float) else []
        if not parts:
            raise ConfigError(f"{path}:{line}: {name}: expected a version range such as \">=4.2,<5\", found {spec!r}")
        for part in parts:
            match = _CONSTRAINT.match(part)
            if not match:
                raise ConfigError(
                    f"{path}:{line}: {name}: {part.strip()!r} is not a bound; expected an operator "
                    f"({', '.join(OPERATORS)}) and a version, such as >=4.2"
                )
            rules.append(VersionRule(str(name), match[1], match[2]))
    return tuple(rules)


def _banned(value: Any, path: Path, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, LineMapping) or set(value) - {"banned"}:
        raise ConfigError(f"{where}: 'licences' must hold 'banned', a list of SPDX ids such as [AGPL-3.0]")
    return _names(value.get("banned"), f"{path}:{value.key_lines.get('banned', value.line)}", "banned")
