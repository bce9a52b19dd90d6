"""The project file quarterdeck.yaml: what it may say, and the errors that name the mistake."""

from __future__ import annotations

import json
from datetime import date

import pytest

from quarterdeck.config.sources import find_project_file
from quarterdeck.core.errors import ConfigError
from quarterdeck.sources.project_file import load_sources
from quarterdeck.sources.reading import shown_url
from tests.conftest import run_quarterdeck
from tests.github_cassettes import RecordedRepository, answer, pulls_path
from tests.replay import Replay, serve

EXAMPLE = """\
sources:
  - type: github
    repositories: [our-org/api, our-org/web]
    since: 2025-01-01
  - type: github
    name: ghe
    base_url: https://ghe.example.com/api/v3
    token_env: GHE_TOKEN
    repositories: [platform/deploy]
    services: {deploy: deployer}
  - type: jira
    base_url: https://our-org.atlassian.net
    projects: [ENG]
  - type: pagerduty
"""


def test_the_example_reads_with_defaults_per_type(tmp_path, monkeypatch):
    path = tmp_path / "quarterdeck.yaml"
    path.write_text(EXAMPLE)
    github, ghe, jira, pagerduty = load_sources(path)
    assert (github.name, github.base_url, github.token_env, github.scopes, github.since) == (
        "github", "https://api.github.com", "GITHUB_TOKEN", ("our-org/api", "our-org/web"), date(2025, 1, 1),
    )  # fmt: skip
    assert (ghe.name, ghe.base_url, ghe.token_env, ghe.options) == (
        "ghe", "https://ghe.example.com/api/v3", "GHE_TOKEN", {"services": {"deploy": "deployer"}},
    )  # fmt: skip
    assert (jira.scopes, jira.token_env, jira.since) == (("ENG",), "JIRA_TOKEN", None)
    assert (pagerduty.base_url, pagerduty.scopes) == ("https://api.pagerduty.com", ())
    monkeypatch.setenv("GHE_TOKEN", "secret-1")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    assert (ghe.token(), github.token()) == ("secret-1", None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sources: {}\n", "expected a mapping with a list 'sources:'"),
        ("- type: github\n", "expected a mapping with a list 'sources:'"),
        ("sources:\n  - type: svn\n", "source 1: 'type' must be one of github, gitlab, jira"),
        ("sources:\n  - github\n", "source 1: expected a mapping with 'type:', not str"),
        ("sources:\n  - type: jira\n    projects: [A]\n", "source 1: a jira source needs 'base_url'"),
        ("sources:\n  - type: github\n    base_url: ghe.local\n", "'base_url' must be an http(s) address"),
        ("sources:\n  - type: github\n    token_env: my token\n", "'token_env' must name an environment variable"),
        ("sources:\n  - type: github\n    repositories: our-org/api\n", "'repositories' must be a list"),
        ("sources:\n  - type: github\n    since: last week\n", "'since' must be a date such as 2025-01-01"),
        ("sources:\n  - type: github\n  - type: github\n", "two sources are named 'github'"),
        ("sources:\n  - type: github\n   repositories: [a/b]\n", "quarterdeck.yaml:3: not valid YAML"),
    ],
)
def test_mistakes_name_the_file_and_the_source(tmp_path, text, message):
    path = tmp_path / "quarterdeck.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    assert message in str(caught.value) and str(path) in str(caught.value)


def test_the_project_file_is_found_by_option_then_environment_then_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QUARTERDECK_PROJECT_FILE", raising=False)
    assert find_project_file(None) is None
    (tmp_path / "quarterdeck.yaml").write_text(EXAMPLE)
    assert str(find_project_file(None)) == "quarterdeck.yaml"
    monkeypatch.setenv("QUARTERDECK_PROJECT_FILE", "/elsewhere.yaml")
    assert str(find_project_file(None)) == "/elsewhere.yaml"
    assert str(find_project_file(tmp_path / "given.yaml")) == str(tmp_path / "given.yaml")


def test_ingest_all_without_a_project_file_says_what_to_do(tmp_path):
    result = run_quarterdeck("ingest", "all", "--db", str(tmp_path / "w.duckdb"), cwd=tmp_path)
    assert result.returncode == 2
    assert "no project file: create quarterdeck.yaml listing your sources" in result.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_ingest_all_with_a_bad_file_reads_nothing(tmp_path):
    (tmp_path / "quarterdeck.yaml").write_text("sources:\n  - type: github\n    repositories: [not-a-repo]\n")
    result = run_quarterdeck("ingest", "all", "--db", str(tmp_path / "w.duckdb"), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "quarterdeck.yaml, source 1 (github): a repository must be OWNER/NAME" in result.stderr


def test_only_must_match_a_source(tmp_path):
    (tmp_path / "quarterdeck.yaml").write_text(EXAMPLE)
    result = run_quarterdeck("ingest", "all", "--only", "gitlab", "--db", str(tmp_path / "w.duckdb"), cwd=tmp_path)
    assert result.returncode == 2 and "no source is named or of type gitlab" in result.stderr


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("https://user:secret@ghe.example.com/api/v3/", "https://ghe.example.com/api/v3"),
        ("https://token@gitlab.example.com", "https://gitlab.example.com"),
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000"),
        ("https://ghe.example.com/path@v3", "https://ghe.example.com/path@v3"),
    ],
)
def test_addresses_are_stored_without_credentials(given, stored):
    assert shown_url(given) == stored


def test_a_source_that_fails_does_not_stop_the_others(tmp_path):
    good = RecordedRepository("acme/good").add_to(Replay())
    bad = Replay()
    bad.add(answer(pulls_path("acme/bad"), {"message": "Bad credentials"}, status=401))
    with serve(good) as good_server, serve(bad) as bad_server:
        (tmp_path / "quarterdeck.yaml").write_text(
            "sources:\n"
            f"  - type: github\n    name: refused\n    base_url: {bad_server.base_url}\n    repositories: [acme/bad]\n"
            f"  - type: github\n    name: fine\n    base_url: {good_server.base_url}\n    repositories: [acme/good]\n"
        )
        result = run_quarterdeck(
            "ingest", "all", "--db", str(tmp_path / "w.duckdb"), "--format", "json", cwd=tmp_path,
            env={"GITHUB_TOKEN": "t-123"},
        )  # fmt: skip
    assert result.returncode == 1
    assert "error: GitHub: GET repos/acme/bad/pulls answered 401 Unauthorized" in result.stderr, result.stderr
    rows = json.loads(result.stdout)
    assert {r["scope"] for r in rows} == {"acme/good"} and len(rows) == 9
