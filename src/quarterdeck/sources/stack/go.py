"""Go modules: go.mod (its requirements are the versions built with) and go.sum."""

from __future__ import annotations

import re

from quarterdeck.sources.stack.model import Declared, ManifestError, ManifestRead

_REQUIRE_LINE = re.compile(r"^\s*(\S+)\s+(v\S+)\s*(//.*)?$")


def read_go_mod(path: str, text: str) -> ManifestRead:
    """The direct requirements of go.mod (``// indirect`` ones are other modules' needs)."""
    found = ManifestRead()
    in_block = False
    saw_module = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("//"):
            continue
        if line.startswith("module "):
            saw_module = True
        if in_block:
            if line == ")":
                in_block = False
                continue
            _require(found, line, number)
        elif line.startswith("require ("):
            in_block = True
        elif line.startswith("require "):
            _require(found, line[len("require ") :], number)
    if in_block:
        raise ManifestError("a 'require (' block is never closed")
    if not saw_module:
        raise ManifestError("no 'module' line")
    return found


def _require(found: ManifestRead, line: str, number: int) -> None:
    match = _REQUIRE_LINE.match(line)
    if not match:
        raise ManifestError(f"line {number}: expected 'module/path vX.Y.Z', found {line[:60]!r}")
    if match[3] and "indirect" in match[3]:
        return
    found.dependencies.append(Declared(match[1], match[2]))


def lock_go_sum(text: str) -> dict[str, list[str]]:
    """module -> versions checked in go.sum (``/go.mod`` lines name the same version)."""
    versions: dict[str, list[str]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 3:
            raise ManifestError(f"line {number}: expected 'module version hash'")
        version = parts[1].removesuffix("/go.mod")
        if version not in versions.setdefault(parts[0], []):
            versions[parts[0]].append(version)
    return versions
