"""A configured connection to one system, and where the project file is.

What each type of source accepts (its scope key, options, default address and token
variable) is declared by the source itself (``quarterdeck.sources``); the project file is
read and checked against those declarations by ``quarterdeck.sources.project_file``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

PROJECT_FILE_NAME = "quarterdeck.yaml"
PROJECT_FILE_ENV = "QUARTERDECK_PROJECT_FILE"


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


def find_project_file(given: Path | None) -> Path | None:
    """``given``, else ``$QUARTERDECK_PROJECT_FILE``, else ``./quarterdeck.yaml`` if present."""
    if given is not None:
        return given
    if os.environ.get(PROJECT_FILE_ENV):
        return Path(os.environ[PROJECT_FILE_ENV])
    default = Path(PROJECT_FILE_NAME)
    return default if default.is_file() else None
