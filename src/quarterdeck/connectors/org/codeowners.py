"""Reading CODEOWNERS files (GitHub and GitLab syntax) into rules."""

from __future__ import annotations

import re

from quarterdeck.connectors.org.records import OwnerRule

#: Where code hosts look for the file, in the order GitHub does.
CODEOWNERS_PATHS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")
_SECTION = re.compile(r"^\^?\[[^\]]*\](\[\d+\])?")


def parse_codeowners(text: str) -> list[OwnerRule]:
    """Rules in file order (the last matching rule wins). GitLab ``[Section]`` headers are
    skipped; their rules are read like any other."""
    rules = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _strip_comment(raw).strip()
        if not line or _SECTION.match(line):
            continue
        parts = _split(line)
        rules.append(OwnerRule(number, parts[0], parts[1:]))
    return rules


def _strip_comment(line: str) -> str:
    """Drop a ``#`` comment (an escaped ``\\#`` is part of a pattern)."""
    out = []
    escaped = False
    for ch in line:
        if ch == "#" and not escaped:
            break
        out.append(ch)
        escaped = ch == "\\" and not escaped
    return "".join(out)


def _split(line: str) -> list[str]:
    """Split on whitespace, keeping ``\\ `` (an escaped space) inside the pattern."""
    parts, current, escaped = [], [], False
    for ch in line:
        if ch.isspace() and not escaped:
            if current:
                parts.append("".join(current))
                current = []
            continue
        if ch == "\\" and not escaped:
            escaped = True
            continue
        current.append(ch)
        escaped = False
    if current:
        parts.append("".join(current))
    return parts
