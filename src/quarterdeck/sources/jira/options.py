"""The options of a ``type: jira`` source as its reader uses them.

Which API flavour to speak (Cloud or Data Center), whose e-mail goes with a Cloud API
token, which issue types count as bugs, an extra JQL clause, which custom fields hold
story points and sprints (they are ``customfield_NNNNN`` and differ per site), and which
field says where a bug was found (``found_in_field``, default the Environment field).
Each value is checked when the project file or the command line is read (the declaration,
``quarterdeck.sources.jira``); what depends on several of them is checked here.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from quarterdeck.config.sources import SourceConfig
from quarterdeck.core.errors import ConfigError
from quarterdeck.sources.jira import SOURCE

DEFAULT_EMAIL_ENV = "JIRA_EMAIL"
DEFAULT_FOUND_IN_FIELD = "environment"


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
    """The options of ``source`` (each checked already), with their defaults; a source with no
    address or no project raises ConfigError naming it."""
    where = source.where()
    if not source.base_url:
        raise ConfigError(f"{where}: a jira source needs 'base_url' (https://our-org.atlassian.net, or your server)")
    if not source.scopes:
        raise ConfigError(f"{where}: a jira source needs 'projects', a list of project keys such as [ENG, OPS]")
    given = {**SOURCE.defaults(), **{k: v for k, v in source.options.items() if v is not None}}
    bug_types = given["bug_types"]
    return JiraOptions(
        given["api"] or default_api(source.base_url),
        given["email_env"],
        tuple(str(v).strip() for v in bug_types) if bug_types is not None else None,
        given["jql"].strip() if given["jql"] is not None else None,
        given["story_points_field"],
        given["sprint_field"],
        given["found_in_field"] or DEFAULT_FOUND_IN_FIELD,
    )
