"""What a file at HEAD is, by its path: a manifest or lock file of which ecosystem, a CI or
container file, an SBOM, a licence file; and which paths hold vendored code."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

#: Folders of other people's code kept in the repository: their manifests are not the
#: repository's, and their lines are not its languages'.
VENDORED = ("node_modules", "vendor", "third_party", "bower_components", ".venv", "site-packages")

#: file name -> (ecosystem, reader key). Reader keys are resolved by ``inventory``.
MANIFESTS: dict[str, tuple[str, str]] = {
    "pyproject.toml": ("python", "pyproject"),
    "setup.cfg": ("python", "setup_cfg"),
    "Pipfile": ("python", "pipfile"),
    "package.json": ("javascript", "package_json"),
    "go.mod": ("go", "go_mod"),
    "pom.xml": ("java", "pom"),
    "build.gradle": ("java", "gradle"),
    "build.gradle.kts": ("java", "gradle"),
    "Gemfile": ("ruby", "gemfile"),
    "Cargo.toml": ("rust", "cargo"),
    "packages.config": ("dotnet", "packages_config"),
}
LOCKS: dict[str, tuple[str, str]] = {
    "poetry.lock": ("python", "poetry"),
    "uv.lock": ("python", "uv"),
    "Pipfile.lock": ("python", "pipfile_lock"),
    "package-lock.json": ("javascript", "package_lock"),
    "npm-shrinkwrap.json": ("javascript", "package_lock"),
    "yarn.lock": ("javascript", "yarn"),
    "pnpm-lock.yaml": ("javascript", "pnpm"),
    "go.sum": ("go", "go_sum"),
    "Gemfile.lock": ("ruby", "gemfile_lock"),
    "Cargo.lock": ("rust", "cargo_lock"),
    "Directory.Packages.props": ("dotnet", "central_versions"),
}
_REQUIREMENTS = re.compile(r"^requirements([-_.\w]*)\.txt$|^[-_\w]*requirements\.txt$", re.IGNORECASE)
_PROJECT = re.compile(r"\.(cs|fs|vb)proj$")

CI_FILES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\.github/workflows/[^/]+\.ya?ml$"), "github-actions"),
    (re.compile(r"^\.gitlab-ci\.ya?ml$"), "gitlab-ci"),
    (re.compile(r"(^|/)Jenkinsfile([.-][^/]*)?$"), "jenkins"),
    (re.compile(r"^\.circleci/config\.ya?ml$"), "circleci"),
    (re.compile(r"^(\.azure-pipelines/[^/]+|azure-pipelines[^/]*)\.ya?ml$"), "azure-pipelines"),
    (re.compile(r"^\.travis\.ya?ml$"), "travis-ci"),
    (re.compile(r"^bitbucket-pipelines\.ya?ml$"), "bitbucket-pipelines"),
    (re.compile(r"^\.drone\.ya?ml$"), "drone"),
    (re.compile(r"^\.buildkite/pipeline[^/]*\.ya?ml$"), "buildkite"),
    (re.compile(r"^cloudbuild\.ya?ml$"), "google-cloud-build"),
    (re.compile(r"^\.teamcity/"), "teamcity"),
)
CONTAINER_FILES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(^|/)(Dockerfile|Containerfile)([.-][^/]*)?$|\.dockerfile$"), "dockerfile"),
    (re.compile(r"(^|/)(docker-)?compose([.-][^/]*)?\.ya?ml$"), "docker-compose"),
    (re.compile(r"(^|/)Chart\.yaml$"), "helm"),
    (re.compile(r"(^|/)kustomization\.ya?ml$"), "kustomize"),
)
#: Folders whose YAML files are read to see whether they are Kubernetes manifests.
K8S_FOLDERS = re.compile(r"(^|/)(k8s|kubernetes|kube|manifests|deploy|deployment|deployments)(/|$)")
_LICENCE = re.compile(r"^(licen[cs]e|copying|unlicense)([-_.][^/]*)?$", re.IGNORECASE)
_SBOM = re.compile(r"^(s?bom|.*\.cdx|.*\.spdx|.*[-_.]s?bom)\.json$", re.IGNORECASE)


def is_vendored(path: str) -> bool:
    return any(part in VENDORED for part in PurePosixPath(path).parts[:-1])


def manifest_kind(path: str) -> tuple[str, str] | None:
    """(ecosystem, reader) of a dependency manifest."""
    name = PurePosixPath(path).name
    if name in MANIFESTS:
        return MANIFESTS[name]
    if _REQUIREMENTS.match(name):
        return "python", "requirements"
    if _PROJECT.search(name):
        return "dotnet", "project"
    return None


def lock_kind(path: str) -> tuple[str, str] | None:
    return LOCKS.get(PurePosixPath(path).name)


def ci_tool(path: str) -> str | None:
    return next((tool for pattern, tool in CI_FILES if pattern.search(path)), None)


def container_tool(path: str) -> str | None:
    return next((tool for pattern, tool in CONTAINER_FILES if pattern.search(path)), None)


def maybe_kubernetes(path: str) -> bool:
    """A YAML file in a deployment folder (outside a Helm chart's templates): its contents
    tell whether it is a Kubernetes manifest."""
    return path.endswith((".yaml", ".yml")) and bool(K8S_FOLDERS.search(path)) and "/templates/" not in path


def is_licence(path: str) -> bool:
    return bool(_LICENCE.match(PurePosixPath(path).name))


def is_sbom(path: str) -> bool:
    return bool(_SBOM.match(PurePosixPath(path).name))


def is_vendored_package_json(path: str) -> bool:
    """``node_modules/<name>/package.json`` (or ``@scope/<name>``) committed with the code."""
    parts = PurePosixPath(path).parts
    if len(parts) < 3 or parts[-1] != "package.json" or "node_modules" not in parts:
        return False
    after = parts[len(parts) - parts[::-1].index("node_modules") :]
    return len(after) == 2 or (len(after) == 3 and after[0].startswith("@"))
