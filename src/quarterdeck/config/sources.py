"""The systems Quarterdeck reads, from the project file ``quarterdeck.yaml``.

::

    sources:
      - type: github                 # github, gitlab, jira, jenkins, pagerduty, opsgenie, prometheus
        repositories: [our-org/api, our-org/web]
        since: 2025-01-01            # first sync only (default: everything)
      - type: github                 # a second connection: GitHub Enterprise Server
        name: ghe                    # names must be unique (default: the type)
        base_url: https://ghe.example.com/api/v3
        token_env: GHE_TOKEN         # which environment variable holds the token
        repositories: [platform/deploy]
      - type: jira
        base_url: https://our-org.atlassian.net
        projects: [ENG, OPS]

Each type's list of what to read is its *scope* key (``SCOPE_KEYS``); other keys are that
connector's options, checked by it. Tokens never come from this file: only the *name* of
the environment variable holding one does (``token_env``, with a default per type).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from quarterdeck.config.yaml_files import read_yaml
from quarterdeck.core.errors import ConfigError

PROJECT_FILE_NAME = "quarterdeck.yaml"
PROJECT_FILE_ENV = "QUARTERDECK_PROJECT_FILE"

#: Per type: the key listing what to read, the default API address, the token variable.
SCOPE_KEYS = {
    "github": "repositories",
    "gitlab": "projects",
    "jira": "projects",
    "jenkins": "jobs",
    "pagerduty": "services",
    "opsgenie": "services",
    "prometheus": "slis",
}
DEFAULT_BASE_URLS = {
    "github": "https://api.github.com",
    "gitlab": "https://gitlab.com",
    "pagerduty": "https://api.pagerduty.com",
    "opsgenie": "https://api.opsgenie.com",
}
DEFAULT_TOKEN_ENVS = {
    "github": "GITHUB_TOKEN",
    "gitlab": "GITLAB_TOKEN",
    "jira": "JIRA_TOKEN",
    "jenkins": "JENKINS_TOKEN",
    "pagerduty": "PAGERDUTY_TOKEN",
    "opsgenie": "OPSGENIE_TOKEN",
    "prometheus": "PROMETHEUS_TOKEN",
}
_COMMON_KEYS = {"type", "name", "base_url", "token_env", "since"}
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class SourceConfig:
    """One configured connection to one system."""

    type: str
    name: str
    base_url: str | None
    token_env: str
    scopes: tuple[Any, ...] = ()  # repositories, projects, jobs, services or SLIs
    since: date | None = None
    options: dict[str, Any] = field(default_factory=dict)
    origin: str = "command line"  # "quarterdeck.yaml, source 2" in messages

    def token(self) -> str | None:
        """The token from the environment (None when the variable is unset or empty)."""
        return os.environ.get(self.token_env) or None

    def where(self) -> str:
        return f"{self.origin} ({self.name})"


def one_off(kind: str, scopes: tuple[Any, ...], base_url: str | None = None, **options: Any) -> SourceConfig:
    """A source given on the command line (``quarterdeck ingest github --repo ...``)."""
    return SourceConfig(
        kind, kind, base_url or DEFAULT_BASE_URLS.get(kind), DEFAULT_TOKEN_ENVS[kind], scopes, None, options
    )


def find_project_file(given: Path | None) -> Path | None:
    """``given``, else ``$QUARTERDECK_PROJECT_FILE``, else ``./quarterdeck.yaml`` if present."""
    if given is not None:
        return given
    if os.environ.get(PROJECT_FILE_ENV):
        return Path(os.environ[PROJECT_FILE_ENV])
    default = Path(PROJECT_FILE_NAME)
    return default if default.is_file() else None


def load_sources(path: Path) -> list[SourceConfig]:
    """The sources of a project file; any mistake raises ConfigError naming the file and entry."""
    document = read_yaml(path, "project file")
    if not isinstance(document, dict) or not isinstance(document.get("sources"), list):
        raise ConfigError(f"{path}: expected a mapping with a list 'sources:' (see docs/connectors.md)")
    sources = [_source(entry, f"{path}, source {i}") for i, entry in enumerate(document["sources"], start=1)]
    names = [s.name for s in sources]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ConfigError(f"{path}: two sources are named {twice[0]!r}; give each connection its own 'name:'")
    return sources


def _source(entry: Any, origin: str) -> SourceConfig:
    if not isinstance(entry, dict):
        raise ConfigError(f"{origin}: expected a mapping with 'type:', not {type(entry).__name__}")
    kind = entry.get("type")
    if kind not in SCOPE_KEYS:
        raise ConfigError(f"{origin}: 'type' must be one of {', '.join(SCOPE_KEYS)}, not {kind!r}")
    token_env = entry.get("token_env", DEFAULT_TOKEN_ENVS[kind])
    if not isinstance(token_env, str) or not _ENV_NAME.match(token_env):
        raise ConfigError(f"{origin}: 'token_env' must name an environment variable, such as GITHUB_TOKEN")
    scope_key = SCOPE_KEYS[kind]
    scopes = entry.get(scope_key) or []
    if not isinstance(scopes, list):
        raise ConfigError(f"{origin}: '{scope_key}' must be a list")
    base_url = entry.get("base_url", DEFAULT_BASE_URLS.get(kind))
    if base_url is None:
        raise ConfigError(f"{origin}: a {kind} source needs 'base_url' (the address of your {kind} instance)")
    if not isinstance(base_url, str) or not re.match(r"^https?://", base_url):
        raise ConfigError(f"{origin}: 'base_url' must be an http(s) address, not {base_url!r}")
    options = {k: v for k, v in entry.items() if k not in _COMMON_KEYS and k != scope_key}
    name = str(entry.get("name") or kind)
    return SourceConfig(
        kind, name, base_url, token_env, tuple(scopes), _since(entry.get("since"), origin), options, origin
    )


def _since(value: Any, origin: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{origin}: 'since' must be a date such as 2025-01-01, not {value!r}") from None
