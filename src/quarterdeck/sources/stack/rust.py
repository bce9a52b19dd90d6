"""Rust: Cargo.toml and Cargo.lock."""

from __future__ import annotations

import tomllib
from typing import Any

from quarterdeck.sources.stack.licences import normalise
from quarterdeck.sources.stack.model import DEV, RUNTIME, Declared, ManifestError, ManifestRead

SECTIONS = (("dependencies", RUNTIME), ("dev-dependencies", DEV), ("build-dependencies", DEV))


def _toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"not valid TOML: {exc}") from None


def read_cargo(path: str, text: str) -> ManifestRead:
    data = _toml(text)
    found = ManifestRead()
    tables = [data, data.get("workspace") or {}]
    tables += [t for t in (data.get("target") or {}).values() if isinstance(t, dict)]
    for table in tables:
        for section, scope in SECTIONS:
            for name, value in (table.get(section) or {}).items():
                spec = value.get("version") if isinstance(value, dict) else value
                crate = value.get("package", name) if isinstance(value, dict) else name
                found.dependencies.append(Declared(crate, str(spec) if spec else None, scope))
    licence = (data.get("package") or {}).get("license")
    if isinstance(licence, str):
        found.licences.append(normalise(licence.replace("/", " OR ")) or licence)
    return found


def lock_cargo(text: str) -> dict[str, list[str]]:
    versions: dict[str, list[str]] = {}
    for package in _toml(text).get("package") or []:
        if "name" in package and "version" in package:
            versions.setdefault(package["name"], []).append(str(package["version"]))
    return versions
