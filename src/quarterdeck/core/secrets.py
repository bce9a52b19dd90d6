"""Keeping secrets out of what Quarterdeck prints and logs.

A token is remembered (``remember``) where it is read, before any request is sent; from then
on every error message (each :class:`~quarterdeck.core.errors.QuarterdeckError`), every note
a connector prints and every log record has it replaced by ``***`` (``masked``), however the
text came to hold it: a server that echoes the token back in its error body, a URL that
carries it, an exception's own text.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import logging
import threading
from typing import Any

MASK = "***"
SHORTEST = 6  # shorter values are not masked: they would mask ordinary words and numbers

_secrets: set[str] = set()
_lock = threading.Lock()


def remember(secret: str | None) -> None:
    """Mask ``secret`` from now on, with the parts of an HTTP credential: the value after its
    scheme (``Bearer``, ``Token token=``, ``GenieKey`` ...) and the password of a Basic pair."""
    if not secret:
        return
    found = {secret.strip()}
    scheme, _, value = secret.strip().partition(" ")
    value = value.strip()
    if value:
        found.add(value)
        found.add(value.partition("=")[2].strip('"'))  # PagerDuty: Token token=...
        if scheme.lower() == "basic":
            found |= _basic_parts(value)
    with _lock:
        _secrets.update(s for s in found if len(s) >= SHORTEST)


def masked(text: str) -> str:
    """``text`` with every remembered secret replaced by ``***`` (the longest first)."""
    if not _secrets or not text:
        return text
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def forget_all() -> None:
    """Forget every remembered secret (for tests run in one process)."""
    with _lock:
        _secrets.clear()


def _basic_parts(value: str) -> set[str]:
    try:
        _, _, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return set()
    return {password} if password else set()


def install_log_masking() -> None:
    """Mask remembered secrets in every log record made from now on, by any logger."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "masks_secrets", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if _secrets:
            with contextlib.suppress(TypeError, ValueError):  # one that does not format is left as it is
                record.msg, record.args = masked(record.getMessage()), None
            if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
                record.exc_text = masked(logging.Formatter().formatException(record.exc_info))
                record.exc_info = None
        return record

    factory.masks_secrets = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
