"""Python manifests (pyproject.toml, requirements*.txt, setup.cfg, Pipfile) and lock files
(poetry.lock, uv.lock, Pipfile.lock)."""

from __future__ import annotations

import configparser
import json
import re
import tomllib
from pathlib import PurePosixPath
from typing import Any

from quarterdeck.sources.stack.licences import normalise
from quarterdeck.sources.stack.model import DEV, RUNTIME, Declared, ManifestError, ManifestRead

#: Optional-dependency groups and dependency groups that hold tooling, not the product.
DEV_GROUPS = ("dev", "test", "tests", "testing", "lint", "docs", "doc", "typing", "develop")
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")


def canonical(name: str) -> str:
    """A Python distribution's name as packaging compares it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement(line: str, scope: str) -> Declared | None:
    """A PEP 508 requirement ('django>=4.2,<5; python_version>"3.8"'); None for options,
    paths and URLs."""
    text = line.split(" #", 1)[0].split(";", 1)[0].strip()
    if not text or text.startswith(("-", "#", ".", "/", "git+", "http:", "https:", "file:")):
        return None
    match = _REQUIREMENT.match(text)
    if not match:
        raise ManifestError(f"not a requirement: {line.strip()!r}")
    spec = match[3].strip().strip("()").replace(" ", "")
    if spec.startswith("@"):
        spec = ""
    return Declared(canonical(match[1]), spec or None, scope)


def read_requirements(path: str, text: str) -> ManifestRead:
    name = PurePosixPath(path).name.lower()
    scope = DEV if any(word in name for word in ("dev", "test", "lint", "doc")) else RUNTIME
    found = ManifestRead()
    for line in text.splitlines():
        dep = requirement(line, scope)
        if dep is not None:
            found.dependencies.append(dep)
    return found


def _toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"not valid TOML: {exc}") from None


def read_pyproject(path: str, text: str) -> ManifestRead:
    data = _toml(text)
    found = ManifestRead()
    project = data.get("project") or {}
    for line in project.get("dependencies") or []:
        _add(found, requirement(str(line), RUNTIME))
    for group, lines in (project.get("optional-dependencies") or {}).items():
        scope = DEV if group.lower() in DEV_GROUPS else RUNTIME
        for line in lines or []:
            _add(found, requirement(str(line), scope))
    for lines in (data.get("dependency-groups") or {}).values():
        for line in lines or []:
            if isinstance(line, str):
                _add(found, requirement(line, DEV))
    poetry = (data.get("tool") or {}).get("poetry") or {}
    _poetry_table(found, poetry.get("dependencies") or {}, RUNTIME)
    _poetry_table(found, poetry.get("dev-dependencies") or {}, DEV)
    for group in (poetry.get("group") or {}).values():
        _poetry_table(found, (group or {}).get("dependencies") or {}, DEV)
    licence = project.get("license")
    if isinstance(licence, dict):
        licence = licence.get("text") or licence.get("file")
    for value in (licence, poetry.get("license")):
        if isinstance(value, str) and normalise(value):
            found.licences.append(normalise(value) or "")
    if not found.licences:
        found.licences += _classifier_licences(project.get("classifiers") or [])
    return found


def _classifier_licences(classifiers: list[Any]) -> list[str]:
    return [normalise(c) or "" for c in classifiers if isinstance(c, str) and c.startswith("License ::")]


def _poetry_table(found: ManifestRead, table: dict[str, Any], scope: str) -> None:
    for name, value in table.items():
        if name.lower() == "python":
            continue
        spec = value.get("version") if isinstance(value, dict) else value
        found.dependencies.append(Declared(canonical(name), str(spec) if spec not in (None, "*") else None, scope))


def _add(found: ManifestRead, dep: Declared | None) -> None:
    if dep is not None:
        found.dependencies.append(dep)


def read_setup_cfg(path: str, text: str) -> ManifestRead:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=path)
    except configparser.Error as exc:
        raise ManifestError(f"not a valid setup.cfg: {exc.message}") from None  # type: ignore[attr-defined]
    found = ManifestRead()
    if parser.has_option("options", "install_requires"):
        for line in parser.get("options", "install_requires").splitlines():
            _add(found, requirement(line, RUNTIME))
    if parser.has_section("options.extras_require"):
        for group, lines in parser.items("options.extras_require"):
            scope = DEV if group.lower() in DEV_GROUPS else RUNTIME
            for line in lines.splitlines():
                _add(found, requirement(line, scope))
    if parser.has_option("metadata", "license"):
        found.licences.append(normalise(parser.get("metadata", "license")) or "")
    if parser.has_option("metadata", "classifiers") and not found.licences:
        found.licences += _classifier_licences(parser.get("metadata", "classifiers").splitlines())
    found.licences = [x for x in found.licences if x]
    return found


def read_pipfile(path: str, text: str) -> ManifestRead:
    data = _toml(text)
    found = ManifestRead()
    _poetry_table(found, data.get("packages") or {}, RUNTIME)
    _poetry_table(found, data.get("dev-packages") or {}, DEV)
    return found


def lock_poetry_or_uv(text: str) -> dict[str, list[str]]:
    """name -> versions of poetry.lock and uv.lock (both list ``[[package]]`` tables)."""
    data = _toml(text)
    versions: dict[str, list[str]] = {}
    for package in data.get("package") or []:
        if "name" in package and "version" in package:
            versions.setdefault(canonical(package["name"]), []).append(str(package["version"]))
    return versions


def lock_pipfile(text: str) -> dict[str, list[str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"not valid JSON: {exc}") from None
    versions: dict[str, list[str]] = {}
    for section in ("default", "develop"):
        for name, entry in (data.get(section) or {}).items():
            version = entry.get("version") if isinstance(entry, dict) else None
            if version:
                versions.setdefault(canonical(name), []).append(version.lstrip("="))
    return versions
