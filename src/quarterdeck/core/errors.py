"""The errors Quarterdeck reports to its users.

Every error carries a one-line message that names the file, record or repository
concerned and what was expected, so the command line can print it as is.
"""

from __future__ import annotations

from quarterdeck.core.secrets import masked


class QuarterdeckError(Exception):
    """An error meant for the user: its message is printed without a traceback."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        message = masked(message)  # a token echoed back by a server is never shown
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(QuarterdeckError):
    """A setting is missing, malformed or contradictory."""

    exit_code = 2


class WarehouseError(QuarterdeckError):
    """The warehouse file cannot be opened, created or written."""


class RepositoryError(QuarterdeckError):
    """A git repository cannot be read."""


class MetricError(QuarterdeckError):
    """A metric is unknown or was asked for with impossible parameters."""

    exit_code = 2


class SourceError(QuarterdeckError):
    """An external system (GitHub, Jira, ...) refused a request or kept failing; the
    message names the source, the request and what to do."""


class CredentialsRefused(SourceError):
    """The source refused the credentials themselves (HTTP 401): every other request of the
    source would be refused too, so the source stops rather than failing resource by resource."""
