"""The tech-stack inventory read at HEAD during ``quarterdeck ingest git``: one repository per
ecosystem with known manifests and lock files (tests/stack_repos.py), read by the real CLI into
a real warehouse; expected rows written by hand from those files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.gitrepo import Repo
from tests.stack_repos import WHEN, build_all
from tests.warehouse_rows import query


def ingest(db: Path, *paths: Path, extra: tuple[str, ...] = ()) -> dict:
    result = run_quarterdeck("--db", str(db), "ingest", "git", *map(str, paths), "--format", "json", *extra)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


HEADS = "SELECT r.name, s.loaded_at FROM stack_repositories s JOIN repositories r USING (repository_id)"


def rows(db: Path, table: str, columns: str) -> list[tuple]:
    return query(
        db,
        f"SELECT r.name, {', '.join('t.' + c.strip() for c in columns.split(','))} "
        f"FROM {table} t JOIN repositories r USING (repository_id) ORDER BY ALL",
    )


@pytest.fixture(scope="module")
def stack_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stack")
    build_all(root / "org")
    db = root / "w.duckdb"
    report = ingest(db, root / "org")
    assert {o["status"] for o in report["rows"]} == {"ingested"}
    return db


def test_dependencies_with_declared_spec_resolved_version_scope_and_licence(stack_db: Path) -> None:
    found = rows(stack_db, "stack_dependencies", "ecosystem, manifest, name, declared, resolved, scope, lock_file, "
                 "licence, licence_source")  # fmt: skip
    assert found == [
        ("broken", "python", "services/api/requirements.txt", "flask", "==3.0.0", None, "runtime", None, None, None),
        ("broken", "python", "services/api/requirements.txt", "requests", "==2.28.0", None, "runtime", None, None,
         None),
        ("py-api", "python", "pyproject.toml", "certifi", ">=2023", None, "runtime", None, "MPL-2.0", "bom.json"),
        ("py-api", "python", "pyproject.toml", "django", ">=4.2,<5", "4.2.7", "runtime", "uv.lock", "BSD-3-Clause",
         "bom.json"),
        ("py-api", "python", "pyproject.toml", "mysql-connector-python", ">=8", None, "runtime", None, "GPL-2.0",
         "bom.json"),
        ("py-api", "python", "pyproject.toml", "pytest", ">=7", "7.4.3", "dev", "uv.lock", None, None),
        ("py-api", "python", "pyproject.toml", "requests", "==2.31.0", "2.31.0", "runtime", "uv.lock", None, None),
        ("py-api", "python", "requirements-dev.txt", "black", "==23.1.0", None, "dev", None, None, None),
        ("svc-dotnet", "dotnet", "legacy/packages.config", "log4net", "2.0.15", None, "runtime", None, None, None),
        ("svc-dotnet", "dotnet", "src/Api/Api.csproj", "Newtonsoft.Json", None, "13.0.3", "runtime",
         "Directory.Packages.props", None, None),
        ("svc-dotnet", "dotnet", "src/Api/Api.csproj", "xunit", "2.6.1", None, "dev", None, None, None),
        ("svc-go", "go", "go.mod", "github.com/gin-gonic/gin", "v1.9.1", "v1.9.1", "runtime", "go.sum", None, None),
        ("svc-java", "java", "pom.xml", "org.junit.jupiter:junit-jupiter", "5.10.0", None, "dev", None, None, None),
        ("svc-java", "java", "pom.xml", "org.springframework.boot:spring-boot-starter-parent", "3.1.5", None,
         "runtime", None, None, None),
        ("svc-java", "java", "pom.xml", "org.springframework.boot:spring-boot-starter-web", None, None, "runtime",
         None, None, None),
        ("svc-java", "java", "tools/build.gradle.kts", "com.google.guava:guava", "32.1.2-jre", None, "runtime", None,
         None, None),
        ("svc-java", "java", "tools/build.gradle.kts", "junit:junit", "4.13.2", None, "dev", None, None, None),
        ("svc-java", "java", "tools/build.gradle.kts", "org.springframework.boot", "3.2.0", None, "dev", None, None,
         None),
        ("svc-ruby", "ruby", "Gemfile", "rails", "~> 7.1", "7.1.2", "runtime", "Gemfile.lock", None, None),
        ("svc-ruby", "ruby", "Gemfile", "rspec-rails", None, "6.1.0", "dev", "Gemfile.lock", None, None),
        ("svc-rust", "rust", "Cargo.toml", "actix-web", "4", "4.4.0", "runtime", "Cargo.lock", None, None),
        ("svc-rust", "rust", "Cargo.toml", "criterion", "0.5", "0.5.1", "dev", "Cargo.lock", None, None),
        ("svc-rust", "rust", "Cargo.toml", "serde", "1.0", "1.0.193", "runtime", "Cargo.lock", None, None),
        ("web", "javascript", "legacy/package.json", "react", "^17.0.2", "17.0.2", "runtime", "legacy/yarn.lock",
         "MIT", "node_modules/react/package.json"),
        ("web", "javascript", "package.json", "express", "^4.18.2", "4.18.2", "runtime", "package-lock.json", None,
         None),
        ("web", "javascript", "package.json", "jest", "^29.0.0", "29.7.0", "dev", "package-lock.json", None, None),
        ("web", "javascript", "package.json", "react", "^18.2.0", "18.2.0", "runtime", "package-lock.json", "MIT",
         "node_modules/react/package.json"),
    ]  # fmt: skip


def test_languages_by_lines_with_shebangs_and_without_vendored_or_binary_files(stack_db: Path) -> None:
    assert rows(stack_db, "stack_languages", "language, files, lines") == [
        ("broken", "Python", 1, 1),
        ("py-api", "Dockerfile", 1, 2),
        ("py-api", "Python", 2, 5),  # app/main.py (3) and bin/manage (2, by its shebang)
        ("py-api", "Shell", 1, 3),  # bin/run (#!/bin/sh)
        ("svc-dotnet", "C#", 1, 2),
        ("svc-dotnet", "Dockerfile", 1, 1),
        ("svc-go", "Go", 1, 4),
        ("svc-go", "Groovy", 1, 2),  # Jenkinsfile
        ("svc-java", "Java", 1, 2),
        ("svc-java", "Kotlin", 2, 9),  # tools/build.gradle.kts (8) and tools/Build.kt (1)
        ("svc-ruby", "Ruby", 3, 10),  # Gemfile (6), app.rb (2), bin/task (2, by its shebang); bin/blob is binary
        ("svc-rust", "Rust", 1, 2),
        ("web", "JavaScript", 1, 4),  # node_modules/react/index.js is vendored
        ("web", "TypeScript", 1, 2),
    ]


def test_frameworks_ci_containers_and_licences(stack_db: Path) -> None:
    assert rows(stack_db, "stack_frameworks", "framework, manifest, version") == [
        ("broken", "flask", "services/api/requirements.txt", "==3.0.0"),
        ("py-api", "django", "pyproject.toml", "4.2.7"),
        ("svc-dotnet", "asp.net-core", "src/Api/Api.csproj", None),
        ("svc-go", "gin", "go.mod", "v1.9.1"),
        ("svc-java", "spring-boot", "pom.xml", "3.1.5"),
        ("svc-java", "spring-boot", "tools/build.gradle.kts", "3.2.0"),
        ("svc-ruby", "rails", "Gemfile", "7.1.2"),
        ("svc-rust", "actix", "Cargo.toml", "4.4.0"),
        ("web", "express", "package.json", "4.18.2"),
        ("web", "react", "legacy/package.json", "17.0.2"),
        ("web", "react", "package.json", "18.2.0"),
    ]
    tools = query(
        stack_db,
        "SELECT r.name, f.path, f.tool FROM stack_files f JOIN repositories r USING (repository_id) "
        "WHERE f.kind IN ('ci', 'container') ORDER BY ALL",
    )
    assert tools == [
        ("py-api", ".github/workflows/ci.yml", "github-actions"),
        ("py-api", "Dockerfile", "dockerfile"),
        ("svc-dotnet", "Dockerfile.api", "dockerfile"),
        ("svc-go", "Jenkinsfile", "jenkins"),
        ("svc-go", "k8s/deployment.yaml", "kubernetes"),  # k8s/notes.yaml holds no Kubernetes object
        ("svc-java", ".circleci/config.yml", "circleci"),
        ("svc-rust", "azure-pipelines.yml", "azure-pipelines"),
        ("svc-rust", "chart/Chart.yaml", "helm"),  # its templates are the chart's, not manifests of their own
        ("web", ".gitlab-ci.yml", "gitlab-ci"),
        ("web", "docker-compose.yml", "docker-compose"),
    ]
    assert rows(stack_db, "stack_licences", "path, licence, origin") == [
        ("broken", "LICENSE", "unknown", "file"),
        ("py-api", "LICENSE", "MIT", "file"),
        ("py-api", "pyproject.toml", "MIT", "manifest"),
        ("svc-java", "LICENSE.txt", "Apache-2.0", "file"),
        ("svc-java", "pom.xml", "Apache-2.0", "manifest"),
        ("svc-ruby", "COPYING", "GPL-3.0", "file"),
        ("svc-rust", "Cargo.toml", "MIT OR Apache-2.0", "manifest"),
        ("web", "package.json", "MIT", "manifest"),
    ]


def test_malformed_manifests_are_recorded_with_file_and_reason_and_the_rest_is_read(stack_db: Path) -> None:
    found = rows(stack_db, "stack_unreadable", "path, reason")
    assert [(name, path) for name, path, _ in found] == [
        ("broken", "package.json"),
        ("broken", "pom.xml"),
        ("broken", "services/api/setup.cfg"),
    ]
    reasons = {path: reason for _, path, reason in found}
    assert reasons["package.json"].startswith("not valid JSON: ") and "line 1 column 38" in reasons["package.json"]
    assert reasons["pom.xml"] == "not well-formed XML: mismatched tag: line 1, column 25"
    assert reasons["services/api/setup.cfg"].startswith("not a valid setup.cfg: File contains no section headers")


def test_the_inventory_is_read_again_only_when_head_changed(tmp_path: Path) -> None:
    root = tmp_path / "org"
    from tests.stack_repos import svc_go, web

    site, go = web(root), svc_go(root)
    db = tmp_path / "w.duckdb"
    ingest(db, root, extra=("--no-stack",))  # history only: no inventory
    assert query(db, "SELECT count(*) FROM stack_repositories") == [(0,)]
    ingest(db, root)  # HEAD unchanged, but no inventory read at it: read now
    first = dict(query(db, HEADS))
    assert set(first) == {"web", "svc-go"}
    ingest(db, root)  # nothing changed: nothing read again
    again = dict(query(db, HEADS))
    assert again == first
    site.write("package.json", json.dumps({"name": "web", "dependencies": {"vue": "3.4.0"}}))
    site.commit("vue", "2024-03-02T10:00:00+00:00")
    ingest(db, root)
    after = dict(query(db, HEADS))
    assert after["svc-go"] == first["svc-go"] and after["web"] > first["web"]
    assert rows(db, "stack_dependencies", "manifest, name, declared, resolved") == [
        ("svc-go", "go.mod", "github.com/gin-gonic/gin", "v1.9.1", "v1.9.1"),
        ("web", "legacy/package.json", "react", "^17.0.2", "17.0.2"),
        ("web", "package.json", "vue", "3.4.0", None),  # package-lock.json no longer lists it
    ]
    assert ("web", "vue", "package.json", "3.4.0") in rows(db, "stack_frameworks", "framework, manifest, version")
    assert ("svc-go", go.head()) in rows(db, "stack_repositories", "head_sha")


def test_a_repository_without_commits_has_no_inventory_and_the_others_are_read(tmp_path: Path) -> None:
    root = tmp_path / "org"
    Repo.create(root / "empty")
    full = Repo.create(root / "full")
    full.write("go.mod", "module x\n")
    full.commit("go", WHEN)
    db = tmp_path / "w.duckdb"
    ingest(db, root)
    assert rows(db, "stack_repositories", "head_sha") == [("full", full.head())]
    assert rows(db, "stack_files", "path, kind") == [("full", "go.mod", "manifest")]
