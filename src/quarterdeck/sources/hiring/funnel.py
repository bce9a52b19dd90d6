"""The hiring funnel: the canonical stages, the outcomes and sources an export may give,
and the ``stages:`` table of a mapping file (export stage name -> funnel stage)."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

from quarterdeck.core.documents import DocumentError, load_yaml
from quarterdeck.core.errors import ConfigError

FUNNEL = ("applied", "screen", "interview", "offer", "hired")
OUTCOMES = ("hired", "rejected", "withdrew", "offer_declined")
SOURCES = ("referral", "inbound", "agency", "sourced")
#: Other ways exports write an outcome.
OUTCOME_WORDS = {"withdrawn": "withdrew", "declined": "offer_declined", "offer declined": "offer_declined"}


def words(value: str) -> str:
    """``value`` lower case with runs of spaces, hyphens and underscores as one space."""
    return " ".join(value.lower().replace("_", " ").replace("-", " ").split())


def load_stages(path: str | None) -> dict[str, str]:
    """The mapping file's ``stages:`` table (export stage -> funnel stage), keys as
    :func:`words`; empty without a mapping file or table."""
    if path is None:
        return {}
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
        data = tomllib.loads(text) if file.suffix.lower() == ".toml" else load_yaml(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, DocumentError) as exc:
        raise ConfigError(f"{path}: cannot read the column mapping: {exc}") from None
    stages = (data or {}).get("stages") or {}
    if not isinstance(stages, dict):
        raise ConfigError(f"{path}: expected a 'stages:' table of export stage -> {', '.join(FUNNEL)}")
    wrong = sorted(f"{k}: {v}" for k, v in stages.items() if str(v).strip().lower() not in FUNNEL)
    if wrong:
        raise ConfigError(f"{path}: stages: {'; '.join(wrong)}: expected a funnel stage ({', '.join(FUNNEL)})")
    return {words(str(k)): str(v).strip().lower() for k, v in stages.items()}


def stage_check(stages: dict[str, str]) -> Callable[[str], tuple[str, str]]:
    """A stage as the export writes it: (its name trimmed, its funnel stage)."""

    def check(value: str) -> tuple[str, str]:
        key = words(value)
        funnel = stages.get(key) or (key if key in FUNNEL else None)
        if funnel is None:
            named = f" or a stage the mapping's stages: table names ({', '.join(sorted(stages))})" if stages else ""
            raise ValueError(f"a funnel stage ({', '.join(FUNNEL)}){named}")
        return " ".join(value.split()), funnel

    return check


def outcome(value: str) -> str:
    key = words(value)
    found = OUTCOME_WORDS.get(key) or key.replace(" ", "_")
    if found not in OUTCOMES:
        raise ValueError("one of hired, rejected, withdrew, offer declined")
    return found


def candidate_source(value: str) -> str:
    key = words(value)
    if key not in SOURCES:
        raise ValueError(f"one of {', '.join(SOURCES)}")
    return key
