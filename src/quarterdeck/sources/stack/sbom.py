"""Software bills of materials a repository keeps: CycloneDX JSON and SPDX JSON. Each gives
the licence of the components it lists, by name (and Maven group)."""

from __future__ import annotations

import json
from typing import Any

from quarterdeck.sources.stack.licences import normalise
from quarterdeck.sources.stack.model import ManifestError


def read_sbom(text: str) -> tuple[str, dict[str, str]]:
    """(format, component name -> SPDX licence) of a CycloneDX or SPDX JSON document."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ManifestError("not an SBOM: the top level is not an object")
    if data.get("bomFormat") == "CycloneDX":
        return "cyclonedx", _cyclonedx(data.get("components") or [])
    if "spdxVersion" in data:
        return "spdx", _spdx(data.get("packages") or [])
    raise ManifestError("neither CycloneDX ('bomFormat') nor SPDX ('spdxVersion')")


def _cyclonedx(components: list[Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for component in components:
        if not isinstance(component, dict) or not component.get("name"):
            continue
        ids = []
        for entry in component.get("licenses") or []:
            if entry.get("expression"):
                ids.append(normalise(entry["expression"]))
            licence = entry.get("license") or {}
            ids.append(normalise(licence.get("id") or licence.get("name")))
        chosen = " AND ".join(i for i in ids if i)
        if chosen:
            name = component["name"]
            if component.get("group"):
                found[f"{component['group']}:{name}"] = chosen
            found[name] = chosen
    return found


def _spdx(packages: list[Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for package in packages:
        if not isinstance(package, dict) or not package.get("name"):
            continue
        for key in ("licenseConcluded", "licenseDeclared"):
            value = package.get(key)
            if value and value not in ("NOASSERTION", "NONE"):
                found[package["name"]] = normalise(value) or value
                break
    return found
