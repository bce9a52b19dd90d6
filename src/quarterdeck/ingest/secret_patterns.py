"""Secret-like patterns: what kinds are looked for, and counting them in one file's text.

Each kind is a regular expression over a line. Only counts leave this module: the text that
matched is never returned, stored, logged or printed (docs/due-diligence.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class SecretKind:
    name: str
    title: str
    grade: str  # the red flag's grade when the kind is found (decision 0080)
    pattern: re.Pattern[str]
    config_only: bool = False  # counted in configuration files only


_CONFIG_SUFFIXES = (".env", ".yml", ".yaml", ".json", ".toml", ".ini", ".cfg", ".conf", ".properties", ".xml")
#: Values that are placeholders, not secrets: ${VAR}, {{ var }}, <token>, env lookups, examples.
_PLACEHOLDER = re.compile(
    r"^(\$|\{\{|<|%\(|os\.|env\.|process\.env|changeme|example|x{4,}|\*{4,}|none|null|true|false)", re.I
)

KINDS: tuple[SecretKind, ...] = (
    SecretKind(
        "private_key",
        "Private key headers",
        "critical",
        re.compile(r"-----BEGIN (?:RSA |DSA |EC |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----"),
    ),
    SecretKind("aws_access_key_id", "AWS access key ids", "critical", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    SecretKind(
        "github_token",
        "GitHub tokens",
        "critical",
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b"),
    ),
    SecretKind(
        "slack_token",
        "Slack tokens and webhooks",
        "high",
        re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}|https://hooks\.slack\.com/services/T\w+/B\w+/\w+"),
    ),
    SecretKind(
        "config_secret",
        "Passwords and tokens written in configuration",
        "high",
        re.compile(
            r"(?i)\b(?:password|passwd|secret|api[_-]?key|auth[_-]?token|access[_-]?token|token)"
            r"\b[\"']?\s*[:=]\s*[\"']?([^\s\"'#,;]{8,})"
        ),
        config_only=True,
    ),
)


def is_config_file(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    return name.startswith(".env") or name.endswith(_CONFIG_SUFFIXES)


def count_in_text(path: str, text: str) -> dict[str, int]:
    """Matches of each kind in one file's text: kind -> count (kinds with none left out)."""
    config = is_config_file(path)
    counts: dict[str, int] = {}
    for kind in KINDS:
        if kind.config_only and not config:
            continue
        found = 0
        for match in kind.pattern.finditer(text):
            value = match.group(1) if match.groups() else match.group(0)
            if kind.config_only and _PLACEHOLDER.match(value):
                continue
            found += 1
        if found:
            counts[kind.name] = found
    return counts
