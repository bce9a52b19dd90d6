"""The tech-stack metrics and ``quarterdeck stack`` on the repositories of tests/stack_repos.py
owned as tests/stack_org.py says; expected values worked out by hand from those files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.stack_org import build_stack_org


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_stack_org(tmp_path_factory.mktemp("stack-org"))


def rows(db: Path, *args: str) -> list[list]:
    done = run_quarterdeck("--db", str(db), *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    records = payload["rows"] if isinstance(payload, dict) else payload
    return [list(r.values()) for r in records]


def test_language_spread_per_team_through_repository_ownership(db: Path) -> None:
    # backend owns py-api, svc-go, svc-java: 27 lines; frontend owns web and py-api: 16 lines;
    # broken, svc-dotnet, svc-ruby, svc-rust have no owner: 16 lines
    assert rows(db, "stack", "languages") == [
        ["(no owner)", "Ruby", 1, 3, 10, 0.625],
        ["(no owner)", "C#", 1, 1, 2, 0.125],
        ["(no owner)", "Rust", 1, 1, 2, 0.125],
        ["(no owner)", "Dockerfile", 1, 1, 1, 0.0625],
        ["(no owner)", "Python", 1, 1, 1, 0.0625],
        ["backend", "Kotlin", 1, 2, 9, 0.3333],  # 9 / 27
        ["backend", "Python", 1, 2, 5, 0.1852],
        ["backend", "Go", 1, 1, 4, 0.1481],
        ["backend", "Shell", 1, 1, 3, 0.1111],
        ["backend", "Dockerfile", 1, 1, 2, 0.0741],
        ["backend", "Groovy", 1, 1, 2, 0.0741],
        ["backend", "Java", 1, 1, 2, 0.0741],
        ["frontend", "Python", 1, 2, 5, 0.3125],  # 5 / 16
        ["frontend", "JavaScript", 1, 1, 4, 0.25],
        ["frontend", "Shell", 1, 1, 3, 0.1875],
        ["frontend", "Dockerfile", 1, 1, 2, 0.125],
        ["frontend", "TypeScript", 1, 1, 2, 0.125],
    ]
    assert rows(db, "stack", "languages", "--by", "repo", "--repo", "svc-java") == [
        ["svc-java", "Kotlin", 1, 2, 9, 0.8182],  # 9 / 11
        ["svc-java", "Java", 1, 1, 2, 0.1818],
    ]
    assert rows(db, "metrics", "show", "stack_language_spread", "--by", "team") == rows(db, "stack", "languages")


def test_framework_spread_per_team(db: Path) -> None:
    assert rows(db, "stack", "frameworks") == [
        ["(no owner)", "actix", 1, 1, "4.4.0"],
        ["(no owner)", "asp.net-core", 1, 0, ""],  # from the project's web SDK: no version
        ["(no owner)", "flask", 1, 1, "==3.0.0"],
        ["(no owner)", "rails", 1, 1, "7.1.2"],
        ["backend", "django", 1, 1, "4.2.7"],
        ["backend", "gin", 1, 1, "v1.9.1"],
        ["backend", "spring-boot", 1, 2, "3.1.5, 3.2.0"],  # pom.xml's parent, the Gradle plugin
        ["frontend", "django", 1, 1, "4.2.7"],
        ["frontend", "express", 1, 1, "4.18.2"],
        ["frontend", "react", 1, 2, "17.0.2, 18.2.0"],
    ]


def test_version_sprawl_counts_distinct_versions_across_repositories(db: Path) -> None:
    # requests: 2.31.0 from py-api's uv.lock, ==2.28.0 pinned in broken; react: 18.2.0 and 17.0.2 in web
    assert rows(db, "stack", "sprawl") == [
        ["python", "requests", 2, 2, 2, "2.28.0, 2.31.0"],
        ["javascript", "react", 2, 1, 2, "17.0.2, 18.2.0"],
    ]
    every = rows(db, "stack", "sprawl", "--all")
    assert len(every) == 25  # 27 dependency rows; requests and react appear twice each
    assert rows(db, "metrics", "show", "stack_version_sprawl") == every


def test_licence_mix_flags_strong_and_weak_copyleft_and_counts_unknown_openly(db: Path) -> None:
    assert rows(db, "stack", "licences") == [
        ["organization", "unknown", "unknown", 22, 8],
        ["organization", "BSD-3-Clause", "none", 1, 1],
        ["organization", "GPL-2.0", "strong", 1, 1],
        ["organization", "MIT", "none", 1, 1],  # react counts once in web
        ["organization", "MPL-2.0", "weak", 1, 1],
    ]
    by_team = rows(db, "stack", "licences", "--by", "team")
    assert by_team[:2] == [["(no owner)", "unknown", "unknown", 10, 4], ["backend", "unknown", "unknown", 10, 3]]
    assert ["frontend", "unknown", "unknown", 5, 2] in by_team


def test_repositories_off_the_standard_stack(db: Path) -> None:
    found = rows(db, "stack", "standards")  # standards.yaml next to the warehouse
    allowed = "Python, TypeScript, JavaScript, Go, Groovy, Java, Dockerfile, Shell"
    frameworks = "django, react, gin, spring-boot"
    assert found == [
        ["broken", "framework", "flask", "==3.0.0", frameworks],
        ["py-api", "licence", "mysql-connector-python", "GPL-2.0", "banned: GPL-2.0, AGPL-3.0"],
        ["svc-dotnet", "framework", "asp.net-core", "", frameworks],
        ["svc-dotnet", "language", "C#", "2 lines", allowed],
        ["svc-java", "language", "Kotlin", "9 lines", allowed],
        ["svc-ruby", "framework", "rails", "7.1.2", frameworks],
        ["svc-ruby", "language", "Ruby", "10 lines", allowed],
        ["svc-rust", "framework", "actix", "4.4.0", frameworks],
        ["svc-rust", "language", "Rust", "2 lines", allowed],
        ["web", "dependency version", "react", "17.0.2", ">=18"],  # legacy/; 18.2.0 is in range
        ["web", "framework", "express", "4.18.2", frameworks],
    ]
    table = run_quarterdeck("--db", str(db), "stack", "standards")
    assert "7 repositories off the standard stack" in table.stdout  # svc-go keeps to it
    # without a standards file, metrics show has no rule to check
    assert rows(db, "metrics", "show", "stack_off_standard") == []


def test_a_bad_standards_file_is_an_error_naming_file_and_line(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "standards.yaml"
    bad.write_text("languages: [Python]\ndependencies:\n  django: \"~4.2\"\n", encoding="utf-8")
    done = run_quarterdeck("--db", str(db), "stack", "standards", "--standards", str(bad))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert f"{bad}:3: django: '~4.2' is not a bound" in done.stderr
    bad.write_text("langauges: [Python]\n", encoding="utf-8")
    done = run_quarterdeck("--db", str(db), "stack", "standards", "--standards", str(bad))
    assert f"{bad}:1: unknown key 'langauges'" in done.stderr
    missing = tmp_path / "elsewhere" / "w.duckdb"
    done = run_quarterdeck("--db", str(missing), "stack", "standards")
    assert done.returncode != 0 and "Traceback" not in done.stderr


def test_dependencies_and_unreadable_manifests_on_the_command_line(db: Path) -> None:
    found = rows(db, "stack", "dependencies", "--repo", "svc-go")
    assert found == [["svc-go", "go", "go.mod", "github.com/gin-gonic/gin", "v1.9.1", "v1.9.1", "runtime", "go.sum",
                      "unknown", None]]  # fmt: skip
    unreadable = rows(db, "stack", "dependencies", "--unreadable")
    assert [r[:2] for r in unreadable] == [["broken", "package.json"], ["broken", "pom.xml"],
                                           ["broken", "services/api/setup.cfg"]]  # fmt: skip
