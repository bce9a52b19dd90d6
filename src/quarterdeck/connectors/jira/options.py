"""The options of a ``type: jira`` source in quarterdeck.yaml, checked once before a sync.

Which API flavour to speak (Cloud or Data Center), whose e-mail goes with a Cloud API
token, which issue types count as bugs, an extra JQL clause, which custom fields hold
story points and sprints (they are ``customfield_NNNNN`` and differ per site), and which
field says where a bug was found (``found_in_field``, default the Environment field).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from quarterdeck.config.sources import SourceConfig
from quarterdeck.core.errors import ConfigError

APIS = ("cloud", "datacenter")
DEFAULT_EMAIL_ENV = "JIRA_EMAIL"
KNOWN_OPTIONS = ("api", "email_env", "bug_types", "jql", "story_points_field", "sprint_field", "found_in_field")
DEFAULT_FOUND_IN_FIELD = "environment"
PROJECT_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_FIELD = re.compile(r"^[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class JiraOptions:
    api: str  # cloud or datacenter
    email_env: str = DEFAULT_EMAIL_ENV
    bug_types: tuple[str, ...] | None = None  # ids or names; None: the default rule
    jql: str | None = None
    story_points_field: str | None = None
    sprint_field: str | None = None  # None: found by the shape of the values
    found_in_field: str = DEFAULT_FOUND_IN_FIELD  # where a bug was found: environment, customfield_NNNNN

    @property
    def cloud(self) -> bool:
        return self.api == "cloud"


def default_api(base_url: str) -> str:
    """Cloud for sites on atlassian.net, Data Center (or Server) for any other host."""
    host = (urlparse(base_url).hostname or "").lower()
    return "cloud" if host == "atlassian.net" or host.endswith(".atlassian.net") else "datacenter"


def jira_options(source: SourceConfig) -> JiraOptions:
    """The checked options of ``source``; a mistake raises ConfigError naming the source."""
    where = source.where()
    given = source.options
    unknown = sorted(set(given) - set(KNOWN_OPTIONS))
    if unknown:
        raise ConfigError(
            f"{where}: unknown option {unknown[0]!r} for a jira source (known: {', '.join(KNOWN_OPTIONS)})"
        )
    if not source.base_url:
        raise ConfigError(f"{where}: a jira source needs 'base_url' (https://our-org.atlassian.net, or your server)")
    if not source.scopes:
        raise ConfigError(f"{where}: a jira source needs 'projects', a list of project keys such as [ENG, OPS]")
    for key in source.scopes:
        if not isinstance(key, str) or not PROJECT_KEY.match(key):
            raise ConfigError(f"{where}: a project must be a Jira project key such as ENG, not {key!r}")
    api = given.get("api") or default_api(source.base_url)
    if api not in APIS:
        raise ConfigError(f"{where}: 'api' must be cloud or datacenter, not {api!r}")
    email_env = given.get("email_env", DEFAULT_EMAIL_ENV)
    if not isinstance(email_env, str) or not _ENV_NAME.match(email_env):
        raise ConfigError(f"{where}: 'email_env' must name an environment variable, such as JIRA_EMAIL")
    return JiraOptions(
        api,
        email_env,
        _bug_types(given.get("bug_types"), where),
        _text(given.get("jql"), "jql", where),
        _field(given.get("story_points_field"), "story_points_field", where),
        _field(given.get("sprint_field"), "sprint_field", where),
        _field(given.get("found_in_field"), "found_in_field", where) or DEFAULT_FOUND_IN_FIELD,
    )


def _bug_types(value: Any, where: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) and str(v).strip() for v in value):
        raise ConfigError(f"{where}: 'bug_types' must be a list of issue type ids or names, such as [Bug, 10004]")
    return tuple(str(v).strip() for v in value)


def _text(value: Any, key: str, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: '{key}' must be a JQL clause, such as: labels != noise")
    return value.strip()


def _field(value: Any, key: str, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _FIELD.match(value):
        raise ConfigError(f"{where}: '{key}' must be a field id, such as customfield_10016")
    return value
