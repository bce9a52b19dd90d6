"""The ``owners:`` section of the targets file: how each owner is reached by their digest.

::

    owners:
      Dana Reyes (VP Eng):
        email: dana@example.com
        slack_webhook_env: QUARTERDECK_SLACK_DANA   # the NAME of a variable holding the URL
        teams_webhook_env: QUARTERDECK_TEAMS_DANA

A webhook URL is a secret (whoever holds it may post to the channel): the file names the
environment variable that holds it, never the URL, and no message ever prints one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quarterdeck.config.yaml_files import LineMapping
from quarterdeck.core.errors import ConfigError

CONTACT_KEYS = ("email", "slack_webhook_env", "teams_webhook_env")
_EMAIL = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Owner:
    """One owner's contacts: an address and the names of the variables holding webhook URLs."""

    name: str
    email: str | None = None
    slack_webhook_env: str | None = None
    teams_webhook_env: str | None = None
    line: int = 0

    @property
    def channels(self) -> tuple[str, ...]:
        """How this owner is reached: "email", "slack", "teams" (in that order)."""
        given = (("email", self.email), ("slack", self.slack_webhook_env), ("teams", self.teams_webhook_env))
        return tuple(channel for channel, value in given if value)


def read_owners(path: Path, document: LineMapping) -> dict[str, Owner]:
    """The owners of the file's ``owners:`` mapping (none when it is absent)."""
    if "owners" not in document or document["owners"] is None:
        return {}
    listed = document["owners"]
    where = f"{path}:{document.key_lines.get('owners', document.line)}"
    if not isinstance(listed, LineMapping):
        raise ConfigError(
            f"{where}: 'owners' must map each owner's name to their contacts, such as "
            "'Dana Reyes (VP Eng): {email: dana@example.com}'"
        )
    if listed.repeated:
        raise ConfigError(f"{where}: owner {listed.repeated[0]!r} is given twice under 'owners'; keep one")
    return {
        name.strip(): _owner(name, contacts, f"{path}:{listed.key_lines.get(name, listed.line)}")
        for name, contacts in listed.items()
        if _named(name, f"{path}:{listed.key_lines.get(name, listed.line)}")
    }


def _named(name: Any, where: str) -> bool:
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(
            f"{where}: an owner under 'owners' must be a name as the targets' 'owner' gives it, not {name!r}"
        )
    return True


def _owner(name: str, contacts: Any, where: str) -> Owner:
    if not isinstance(contacts, LineMapping) or not contacts:
        raise ConfigError(f"{where}: owner {name!r} needs contacts: email, slack_webhook_env and/or teams_webhook_env")
    line = contacts.line
    if contacts.repeated:
        raise ConfigError(f"{where}: {contacts.repeated[0]!r} is given twice for owner {name!r}; keep one")
    for key in contacts:
        if key not in CONTACT_KEYS:
            raise ConfigError(
                f"{_at(where, contacts, key)}: unknown key {key!r} for owner {name!r}; "
                "an owner takes email, slack_webhook_env and teams_webhook_env"
            )
    email = contacts.get("email")
    if email is not None and (not isinstance(email, str) or not _EMAIL.fullmatch(email.strip())):
        raise ConfigError(
            f"{_at(where, contacts, 'email')}: 'email' of owner {name!r} must be one address such as "
            f"dana@example.com, not {email!r}"
        )
    slack = _env_name(contacts, "slack_webhook_env", name, where)
    teams = _env_name(contacts, "teams_webhook_env", name, where)
    owner = Owner(name.strip(), email.strip() if email else None, slack, teams, line)
    if not owner.channels:
        raise ConfigError(f"{where}: owner {name!r} needs contacts: email, slack_webhook_env and/or teams_webhook_env")
    return owner


def _env_name(contacts: LineMapping, key: str, name: str, where: str) -> str | None:
    value = contacts.get(key)
    if value is None:
        return None
    at = _at(where, contacts, key)
    if isinstance(value, str) and "://" in value:  # never echo it: a webhook URL is a secret
        raise ConfigError(
            f"{at}: '{key}' of owner {name!r} must be the NAME of an environment variable holding the "
            "webhook URL, not the URL itself (webhook URLs are secrets: keep them out of this file)"
        )
    if not isinstance(value, str) or not _ENV_NAME.fullmatch(value.strip()):
        raise ConfigError(
            f"{at}: '{key}' of owner {name!r} must be the name of an environment variable, such as "
            f"QUARTERDECK_SLACK_DANA (letters, digits and _), not {value!r}"
        )
    return value.strip()


def _at(where: str, contacts: LineMapping, key: str) -> str:
    """``where`` moved to the line of ``key`` within the owner's contacts."""
    file = where.rsplit(":", 1)[0]
    return f"{file}:{contacts.key_lines.get(key, contacts.line)}"
