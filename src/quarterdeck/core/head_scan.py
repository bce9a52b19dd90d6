"""What a reading of a repository's files at HEAD found: counts, never contents.

Filled by ``ingest.head_scan`` (which reads git) and read by the due-diligence report (which
may not import ingest); it holds numbers and paths only, never the text that matched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Dependency lock files and manifests, by file name.
LOCK_FILES = {
    "poetry.lock",
    "uv.lock",
    "Pipfile.lock",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "go.sum",
    "Cargo.lock",
    "Gemfile.lock",
    "composer.lock",
    "packages.lock.json",
    "gradle.lockfile",
}
MANIFESTS = {
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "Pipfile",
    "package.json",
    "go.mod",
    "Cargo.toml",
    "Gemfile",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "composer.json",
}


@dataclass
class SecretCount:
    """One kind of secret-like pattern in one repository: how many matches, in which files."""

    kind: str
    title: str = ""  # what the kind is, for people ("AWS access key ids")
    grade: str = "high"  # the red flag's grade when found (decision 0080)
    matches: int = 0
    paths: list[str] = field(default_factory=list)

    @property
    def files(self) -> int:
        return len(self.paths)


@dataclass
class HeadScan:
    """One repository at HEAD: its licence, its dependency manifests and its secret-like patterns."""

    repository_path: str  # the git directory, as repositories.path stores it
    licence: str | None = None  # an SPDX id, 'unknown' for a licence file not recognised, None: no file
    licence_file: str | None = None
    manifests: dict[str, int] = field(default_factory=dict)  # manifest path -> dependencies declared
    lock_files: list[str] = field(default_factory=list)
    secrets: dict[str, SecretCount] = field(default_factory=dict)
    files_scanned: int = 0

    def secret_matches(self) -> int:
        return sum(s.matches for s in self.secrets.values())
