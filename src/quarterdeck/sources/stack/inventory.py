"""A repository's inventory from its files at HEAD: which files to read (``wanted``), then
what they say (``build``). A file that cannot be read is recorded with the reason, and the
rest of the inventory is still built."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from quarterdeck.sources.stack import dotnet, go, javascript, jvm, python, ruby, rust
from quarterdeck.sources.stack import paths as kinds
from quarterdeck.sources.stack.frameworks import framework_of
from quarterdeck.sources.stack.languages import language_of_name, language_of_shebang, needs_shebang
from quarterdeck.sources.stack.licences import UNKNOWN, licence_of_text
from quarterdeck.sources.stack.model import (
    Dependency,
    Framework,
    Inventory,
    LanguageLines,
    ManifestRead,
    RepositoryLicence,
    StackFile,
)
from quarterdeck.sources.stack.sbom import read_sbom

#: Larger files are recorded as unreadable rather than parsed.
MAX_BYTES = 32 * 1024 * 1024

READERS: dict[str, Callable[[str, str], ManifestRead]] = {
    "pyproject": python.read_pyproject,
    "requirements": python.read_requirements,
    "setup_cfg": python.read_setup_cfg,
    "pipfile": python.read_pipfile,
    "package_json": javascript.read_package_json,
    "go_mod": go.read_go_mod,
    "pom": jvm.read_pom,
    "gradle": jvm.read_gradle,
    "gemfile": ruby.read_gemfile,
    "cargo": rust.read_cargo,
    "project": dotnet.read_project,
    "packages_config": dotnet.read_packages_config,
}
LOCK_READERS: dict[str, Callable[[str], dict[str, list[str]]]] = {
    "poetry": python.lock_poetry_or_uv,
    "uv": python.lock_poetry_or_uv,
    "pipfile_lock": python.lock_pipfile,
    "package_lock": javascript.lock_package_lock,
    "yarn": javascript.lock_yarn,
    "pnpm": javascript.lock_pnpm,
    "go_sum": go.lock_go_sum,
    "gemfile_lock": ruby.lock_gemfile,
    "cargo_lock": rust.lock_cargo,
    "central_versions": dotnet.lock_central_versions,
}
#: Which manifests a lock file resolves (it resolves those in its folder and below).
LOCK_RESOLVES: dict[str, tuple[str, ...]] = {
    "poetry": ("pyproject",),
    "uv": ("pyproject",),
    "pipfile_lock": ("pipfile",),
    "package_lock": ("package_json",),
    "yarn": ("package_json",),
    "pnpm": ("package_json",),
    "go_sum": ("go_mod",),
    "gemfile_lock": ("gemfile",),
    "cargo_lock": ("cargo",),
    "central_versions": ("project",),
}
#: Lock files that pin a version per name (the others may hold several versions of a name).
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class TreeFile:
    path: str
    lines: int | None
    is_binary: bool = False
    missing: bool = False


def wanted(files: Iterable[TreeFile]) -> tuple[list[str], list[str]]:
    """(paths whose contents the inventory reads, extensionless paths whose first line it reads)."""
    whole: list[str] = []
    first: list[str] = []
    for f in files:
        if f.missing or f.is_binary:
            continue
        p = f.path
        if kinds.is_vendored(p):
            if kinds.is_vendored_package_json(p):
                whole.append(p)
            continue
        if (
            kinds.manifest_kind(p)
            or kinds.lock_kind(p)
            or kinds.is_licence(p)
            or kinds.is_sbom(p)
            or (kinds.maybe_kubernetes(p) and not kinds.container_tool(p))
        ):
            whole.append(p)
        elif language_of_name(p) is None and needs_shebang(p) and not kinds.ci_tool(p):
            first.append(p)
    return whole, first


def build(head: str, files: list[TreeFile], contents: dict[str, bytes], first_lines: dict[str, bytes]) -> Inventory:
    """The inventory of a repository's files at ``head``: ``contents`` holds the files
    ``wanted`` asked for, ``first_lines`` the first line of the extensionless ones."""
    inventory = Inventory(head)
    inventory.languages = _languages(files, first_lines)
    for f in files:
        if f.missing and not kinds.is_vendored(f.path) and (kinds.manifest_kind(f.path) or kinds.lock_kind(f.path)):
            inventory.unreadable.append((f.path, "its blob is absent from this partial clone"))
    _stack_files(inventory, files, contents)
    _dependencies(inventory, contents)
    _licences(inventory, contents)
    inventory.unreadable.sort()
    return inventory


def _languages(files: list[TreeFile], first_lines: dict[str, bytes]) -> list[LanguageLines]:
    totals: dict[str, list[int]] = {}
    for f in files:
        if f.is_binary or f.lines is None or kinds.is_vendored(f.path):
            continue
        language = language_of_name(f.path)
        if language is None and f.path in first_lines:
            language = language_of_shebang(first_lines[f.path])
        if language is not None:
            entry = totals.setdefault(language, [0, 0])
            entry[0] += 1
            entry[1] += f.lines
    return [LanguageLines(lang, n, lines) for lang, (n, lines) in sorted(totals.items())]


def _stack_files(inventory: Inventory, files: list[TreeFile], contents: dict[str, bytes]) -> None:
    for f in files:
        p = f.path
        if kinds.is_vendored(p):
            continue
        tool = kinds.ci_tool(p)
        if tool:
            inventory.files.append(StackFile(p, "ci", tool))
        tool = kinds.container_tool(p)
        if tool:
            inventory.files.append(StackFile(p, "container", tool))
        elif kinds.maybe_kubernetes(p) and _is_kubernetes(contents.get(p)):
            inventory.files.append(StackFile(p, "container", "kubernetes"))
        manifest, lock = kinds.manifest_kind(p), kinds.lock_kind(p)
        if manifest:
            inventory.files.append(StackFile(p, "manifest", manifest[0]))
        if lock:
            inventory.files.append(StackFile(p, "lock", lock[0]))
        if kinds.is_sbom(p) and p in contents:
            inventory.files.append(StackFile(p, "sbom", "json"))


def _is_kubernetes(content: bytes | None) -> bool:
    if not content:
        return False
    text = content[:65536].decode("utf-8", "replace")
    return bool(re.search(r"^apiVersion:\s*\S", text, re.M) and re.search(r"^kind:\s*\S", text, re.M))


def _text(path: str, content: bytes) -> str:
    if len(content) > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text (byte {exc.start})") from None


def _reason(exc: Exception) -> str:
    text = _SPACE.sub(" ", str(exc)).strip()
    return text or type(exc).__name__


def _dependencies(inventory: Inventory, contents: dict[str, bytes]) -> None:
    locks: dict[str, tuple[str, dict[str, list[str]]]] = {}  # path -> (reader key, versions)
    for path in sorted(contents):
        kind = kinds.lock_kind(path)
        if kind is None or kinds.is_vendored(path):
            continue
        try:
            locks[path] = (kind[1], LOCK_READERS[kind[1]](_text(path, contents[path])))
        except Exception as exc:  # a malformed lock file is recorded, never stops the ingest
            inventory.unreadable.append((path, _reason(exc)))
    licences_by_name = _dependency_licences(inventory, contents)
    for path in sorted(contents):
        kind = kinds.manifest_kind(path)
        if kind is None or kinds.is_vendored(path):
            continue
        ecosystem, reader = kind
        try:
            read = READERS[reader](path, _text(path, contents[path]))
        except Exception as exc:  # a malformed manifest is recorded, never stops the ingest
            inventory.unreadable.append((path, _reason(exc)))
            continue
        lock_path, versions = _lock_for(path, reader, locks)
        for licence in read.licences:
            inventory.licences.append(RepositoryLicence(path, licence, "manifest"))
        for dep in read.dependencies:
            resolved = _resolve(ecosystem, dep.name, dep.spec, versions)
            licence, source = licences_by_name.get(_licence_key(ecosystem, dep.name), (None, None))
            lock = lock_path if resolved else None
            inventory.dependencies.append(
                Dependency(ecosystem, path, dep.name, dep.spec, dep.scope, resolved, lock, licence, source)
            )
        _frameworks(inventory, ecosystem, path, read)


def _lock_for(
    manifest: str, reader: str, locks: dict[str, tuple[str, dict[str, list[str]]]]
) -> tuple[str | None, dict[str, list[str]]]:
    """The nearest lock file resolving ``manifest``: in its folder, else the closest above."""
    folder = PurePosixPath(manifest).parent
    best: tuple[int, str] | None = None
    for path, (kind, _) in locks.items():
        if reader not in LOCK_RESOLVES[kind]:
            continue
        lock_folder = PurePosixPath(path).parent
        if lock_folder == folder or lock_folder in folder.parents or str(lock_folder) == ".":
            depth = len(lock_folder.parts) if str(lock_folder) != "." else 0
            if best is None or depth > best[0]:
                best = (depth, path)
    if best is None:
        return None, {}
    return best[1], locks[best[1]][1]


def _resolve(ecosystem: str, name: str, spec: str | None, versions: dict[str, list[str]]) -> str | None:
    if not versions:
        return None
    if spec and f"{name}@{spec}" in versions:  # yarn: the entry this very spec resolved to
        return versions[f"{name}@{spec}"][0]
    key = name.lower() if ecosystem == "dotnet" else name
    found = versions.get(key) or []
    if not found:
        return None
    if len(found) > 1 and spec and spec.lstrip("=v") in found:
        return spec.lstrip("=v")
    return found[0]


def _frameworks(inventory: Inventory, ecosystem: str, path: str, read: ManifestRead) -> None:
    seen: set[str] = set()
    for framework, version in read.frameworks:
        seen.add(framework)
        inventory.frameworks.append(Framework(framework, ecosystem, path, "(project SDK)", version))
    deps = [d for d in inventory.dependencies if d.manifest == path]
    for dep in deps:
        framework = framework_of(ecosystem, dep.name)
        if framework and framework not in seen:
            seen.add(framework)
            inventory.frameworks.append(Framework(framework, ecosystem, path, dep.name, dep.resolved or dep.declared))


def _licence_key(ecosystem: str, name: str) -> str:
    return python.canonical(name) if ecosystem == "python" else name.lower()


def _dependency_licences(inventory: Inventory, contents: dict[str, bytes]) -> dict[str, tuple[str, str]]:
    """Dependency name (lower case) -> (SPDX licence, the file saying it): SBOMs first, then
    vendored package.json files."""
    found: dict[str, tuple[str, str]] = {}
    for path in sorted(contents):
        if kinds.is_vendored(path):
            if kinds.is_vendored_package_json(path):
                licence = javascript.package_licence(contents[path].decode("utf-8", "replace"))
                parts = PurePosixPath(path).parts
                name = "/".join(parts[-3:-1]) if parts[-3].startswith("@") else parts[-2]
                if licence:
                    found.setdefault(name.lower(), (licence, path))
            continue
        if not kinds.is_sbom(path):
            continue
        try:
            _, components = read_sbom(_text(path, contents[path]))
        except Exception as exc:  # an unreadable SBOM is recorded, never stops the ingest
            inventory.unreadable.append((path, _reason(exc)))
            continue
        for name, licence in components.items():
            found[name.lower()] = (licence, path)
            found[python.canonical(name)] = found.get(python.canonical(name), (licence, path))
    return found


def _licences(inventory: Inventory, contents: dict[str, bytes]) -> None:
    for path in sorted(contents):
        if kinds.is_vendored(path) or not kinds.is_licence(path):
            continue
        text = contents[path][:200_000].decode("utf-8", "replace")
        licence = licence_of_text(text)
        inventory.licences.append(RepositoryLicence(path, licence, "file"))
        inventory.files.append(StackFile(path, "licence", licence if licence != UNKNOWN else "unknown"))
