"""Bearer tokens for the event endpoints.

Tokens come from one place only, the environment variable ``QUARTERDECK_EVENT_TOKENS``
(comma-separated): never from the config file, which may be under version control, nor from
a command-line option, which shows in process lists and shell history. A token is never
logged or echoed; a ``TokenSet`` prints as the number of tokens it holds.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterable, Mapping

TOKENS_ENV = "QUARTERDECK_EVENT_TOKENS"

HOW_TO_CONFIGURE = (
    f"set {TOKENS_ENV} to one or more comma-separated tokens before starting quarterdeck serve, "
    f"e.g. export {TOKENS_ENV}=$(openssl rand -hex 32)"
)


class TokenSet:
    """The accepted tokens, compared in constant time."""

    __slots__ = ("_tokens",)

    def __init__(self, tokens: Iterable[str]) -> None:
        self._tokens = tuple(dict.fromkeys(t.encode("utf-8") for t in tokens if t))

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> TokenSet:
        raw = (os.environ if environ is None else environ).get(TOKENS_ENV, "")
        return cls(part.strip() for part in raw.split(","))

    def __len__(self) -> int:
        return len(self._tokens)

    def __repr__(self) -> str:
        return f"TokenSet({len(self._tokens)} tokens)"

    def accepts(self, authorization: str | None) -> bool:
        """Whether an ``Authorization`` header carries one of the tokens.

        Every token is compared (no early exit), each with ``hmac.compare_digest``, so the
        time taken says nothing about which token nearly matched."""
        given = bearer_token(authorization)
        if given is None:
            return False
        matched = False
        for token in self._tokens:
            matched |= hmac.compare_digest(given, token)
        return matched


def bearer_token(authorization: str | None) -> bytes | None:
    """The token of ``Bearer TOKEN`` (scheme in any case), as the bytes that were sent."""
    scheme, _, value = (authorization or "").strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        return None
    return value.encode("latin-1", errors="replace")  # headers arrive decoded as latin-1
