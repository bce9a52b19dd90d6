"""JavaScript manifests (package.json) and lock files (package-lock.json, yarn.lock in its
classic and Berry forms, pnpm-lock.yaml)."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from quarterdeck.sources.stack.licences import normalise
from quarterdeck.sources.stack.model import DEV, RUNTIME, Declared, ManifestError, ManifestRead

SECTIONS = (
    ("dependencies", RUNTIME),
    ("peerDependencies", RUNTIME),
    ("optionalDependencies", RUNTIME),
    ("devDependencies", DEV),
)


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"not valid JSON: {exc}") from None


def read_package_json(path: str, text: str) -> ManifestRead:
    data = _json(text)
    if not isinstance(data, dict):
        raise ManifestError("not a package.json: the top level is not an object")
    found = ManifestRead()
    seen: set[str] = set()
    for section, scope in SECTIONS:
        table = data.get(section) or {}
        if not isinstance(table, dict):
            raise ManifestError(f"{section!r} is not an object")
        for name, spec in table.items():
            if name not in seen:
                seen.add(name)
                found.dependencies.append(Declared(name, str(spec) if spec else None, scope))
    licence = data.get("license")
    if isinstance(licence, dict):
        licence = licence.get("type")
    if isinstance(licence, str) and normalise(licence):
        found.licences.append(normalise(licence) or "")
    return found


def package_licence(text: str) -> str | None:
    """The licence a (vendored) package.json declares."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    licence = data.get("license") if isinstance(data, dict) else None
    if isinstance(licence, dict):
        licence = licence.get("type")
    return normalise(licence) if isinstance(licence, str) else None


def lock_package_lock(text: str) -> dict[str, list[str]]:
    """name -> versions: the top-level ``node_modules/<name>`` entries (lockfile v2, v3)
    first, so a direct dependency resolves to the version installed for the project, then
    nested ones; v1's ``dependencies``."""
    data = _json(text)
    versions: dict[str, list[str]] = {}
    packages = data.get("packages") or {}
    ordered = sorted(packages, key=lambda key: key.count("node_modules/"))
    for key in ordered:
        if "node_modules/" not in key:
            continue
        version = (packages[key] or {}).get("version")
        if version:
            versions.setdefault(key.rsplit("node_modules/", 1)[1], []).append(str(version))
    if not packages:
        for name, entry in (data.get("dependencies") or {}).items():
            if isinstance(entry, dict) and entry.get("version"):
                versions.setdefault(name, []).append(str(entry["version"]))
    return versions


_YARN_KEY = re.compile(r'^"?(@?[^@\s"]+)@')
_YARN_VERSION = re.compile(r'^\s+version:?\s+"?([^"\s]+)"?\s*$')


def lock_yarn(text: str) -> dict[str, list[str]]:
    """name -> versions, and ``name@spec`` -> the version that spec resolved to (yarn keys
    each entry by the specs it satisfies: ``"react@^18.0.0", react@^18.2.0:``)."""
    versions: dict[str, list[str]] = {}
    keys: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            if not line.rstrip().endswith(":"):
                raise ManifestError(f"line {number}: expected an entry ending with ':', found {line.strip()[:60]!r}")
            keys = [k.strip().strip('"') for k in line.rstrip()[:-1].split(",")]
            continue
        match = _YARN_VERSION.match(line)
        if match and keys:
            for key in keys:
                name_match = _YARN_KEY.match(key)
                if name_match:
                    name = name_match[1]
                    spec = key[len(name) + 1 :].removeprefix("npm:")
                    versions.setdefault(f"{name}@{spec}", []).append(match[1])
                    if match[1] not in versions.setdefault(name, []):
                        versions[name].append(match[1])
            keys = []
    return versions


def lock_pnpm(text: str) -> dict[str, list[str]]:
    """name -> versions from the project's importers (pnpm 6 and later) or its top-level
    dependencies (pnpm 5)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ManifestError(f"not valid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict):
        raise ManifestError("not a pnpm lock file: the top level is not a mapping")
    versions: dict[str, list[str]] = {}
    tables = [data] + [v for v in (data.get("importers") or {}).values() if isinstance(v, dict)]
    for table in tables:
        for section, _ in SECTIONS:
            for name, entry in (table.get(section) or {}).items():
                version = entry.get("version") if isinstance(entry, dict) else entry
                if version:
                    clean = str(version).split("(", 1)[0]
                    if clean not in versions.setdefault(name, []):
                        versions[name].append(clean)
    return versions
