"""What a repository's inventory is made of."""

from __future__ import annotations

from dataclasses import dataclass, field

RUNTIME = "runtime"
DEV = "dev"


class ManifestError(ValueError):
    """A manifest or lock file that cannot be read: the reason is shown as is."""


@dataclass(frozen=True)
class Declared:
    """A dependency as a manifest declares it."""

    name: str
    spec: str | None  # the version requirement as written ('^1.2', '>=2,<3'...), None: any
    scope: str = RUNTIME  # 'runtime' or 'dev' (tests, builds, tooling)


@dataclass
class ManifestRead:
    """What one manifest says: its dependencies, the licences it declares for the
    repository, and frameworks it names outside its dependencies (a .NET web SDK)."""

    dependencies: list[Declared] = field(default_factory=list)
    licences: list[str] = field(default_factory=list)
    frameworks: list[tuple[str, str | None]] = field(default_factory=list)


@dataclass(frozen=True)
class Dependency:
    """A dependency of a repository, resolved against its lock file when there is one."""

    ecosystem: str
    manifest: str
    name: str
    declared: str | None
    scope: str
    resolved: str | None = None
    lock_file: str | None = None
    licence: str | None = None  # SPDX id as the repository itself says it (SBOM, vendored)
    licence_source: str | None = None  # the file that says it


@dataclass(frozen=True)
class Framework:
    framework: str
    ecosystem: str
    manifest: str
    dependency: str
    version: str | None


@dataclass(frozen=True)
class LanguageLines:
    language: str
    files: int
    lines: int


@dataclass(frozen=True)
class StackFile:
    """A CI, container, manifest, lock, SBOM or licence file and what it is."""

    path: str
    kind: str  # 'ci', 'container', 'manifest', 'lock', 'sbom', 'licence'
    tool: str  # 'github-actions', 'dockerfile', 'helm', 'pip', 'npm', 'MIT'...


@dataclass(frozen=True)
class RepositoryLicence:
    path: str
    licence: str  # SPDX id, or 'unknown' when a licence file matches none known
    origin: str  # 'file' (LICENSE, COPYING...) or 'manifest' (declared in package.json...)


@dataclass
class Inventory:
    head: str
    languages: list[LanguageLines] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)
    frameworks: list[Framework] = field(default_factory=list)
    files: list[StackFile] = field(default_factory=list)
    licences: list[RepositoryLicence] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
