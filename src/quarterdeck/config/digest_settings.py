"""How digests are delivered by e-mail: the ``[digest]`` table of the config file.

::

    [digest]
    smtp_host = "mail.example.com"
    smtp_port = 587            # default 587 (submission)
    from = "Quarterdeck <quarterdeck@example.com>"
    starttls = true            # default true: the session is encrypted before logging in
    timeout = 30               # seconds, default 30

The login comes from the environment only (QUARTERDECK_SMTP_USER, QUARTERDECK_SMTP_PASSWORD),
never from the file, and is never printed. A login without STARTTLS is refused: the password
would cross the network in clear text (docs/digests.md).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quarterdeck.core.errors import ConfigError

USER_ENV = "QUARTERDECK_SMTP_USER"
PASSWORD_ENV = "QUARTERDECK_SMTP_PASSWORD"
KEYS = ("smtp_host", "smtp_port", "from", "starttls", "timeout")


@dataclass(frozen=True)
class DigestSettings:
    """Where e-mail goes out (no ``smtp_host``: e-mail cannot be sent) and as whom."""

    smtp_host: str | None = None
    smtp_port: int = 587
    sender: str | None = None
    starttls: bool = True
    timeout: float = 30.0
    user: str | None = None
    password: str | None = None
    where: str = "[digest]"  # the file and table, for messages

    @property
    def server(self) -> str:
        return f"{self.smtp_host}:{self.smtp_port}" if self.smtp_host else "(no smtp_host set)"

    def problem(self) -> str | None:
        """Why e-mail cannot be sent with these settings (None: it can)."""
        if not self.smtp_host:
            return f"no SMTP server: set smtp_host in the {self.where} table of the config file"
        if not self.sender:
            return f"no sender: set from in the {self.where} table of the config file"
        if (self.user is None) != (self.password is None):
            missing = PASSWORD_ENV if self.password is None else USER_ENV
            return f"{missing} is not set (the SMTP login needs both {USER_ENV} and {PASSWORD_ENV})"
        if self.user is not None and not self.starttls:
            return (
                f"starttls = false with a login ({USER_ENV}): the password would cross the network in clear "
                "text; set starttls = true"
            )
        return None


def read_digest_settings(config_file: Path | None, env: Mapping[str, str] | None = None) -> DigestSettings:
    """The ``[digest]`` table of ``config_file`` (defaults without one) and the login from ``env``."""
    env = os.environ if env is None else env
    login = {"user": env.get(USER_ENV) or None, "password": env.get(PASSWORD_ENV) or None}
    if config_file is None:
        return DigestSettings(**login)
    table = _table(config_file)
    where = f"{config_file}: [digest]"
    for key in table:
        if key not in KEYS:
            raise ConfigError(f"{where}: unknown key {key!r}; expected {', '.join(KEYS)}")
    return DigestSettings(
        smtp_host=_text(table, "smtp_host", where),
        smtp_port=_port(table.get("smtp_port", 587), where),
        sender=_text(table, "from", where),
        starttls=_flag(table.get("starttls", True), where),
        timeout=_timeout(table.get("timeout", 30), where),
        where=f"[digest] of {config_file}",
        **login,
    )


def _table(path: Path) -> Mapping[str, Any]:
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror}") from None
    table = document.get("digest", {})
    if not isinstance(table, Mapping):
        raise ConfigError(f"{path}: 'digest' must be a table ([digest])")
    return table


def _text(table: Mapping[str, Any], key: str, where: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: '{key}' must be text, such as \"mail.example.com\", not {value!r}")
    return value.strip()


def _port(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
        raise ConfigError(f"{where}: 'smtp_port' must be a port number such as 587, not {value!r}")
    return value


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: 'starttls' must be true or false, not {value!r}")
    return value


def _timeout(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ConfigError(f"{where}: 'timeout' must be a number of seconds above 0, not {value!r}")
    return float(value)
