"""Reading CODEOWNERS files (GitHub and GitLab syntax) into rules."""

from __future__ import annotations

import re
from pathlib import Path

from quarterdeck.sources.org.records import OrgFile, OwnerRule, Problem

#: Where code hosts look for the file, in the order GitHub does.
CODEOWNERS_PATHS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")
_SECTION = re.compile(r"^\^?\[[^\]]*\](\[\d+\])?")


def read_codeowners(path: Path, raw: bytes) -> OrgFile:
    """A CODEOWNERS file's rules, or the problem that stops it being read: code hosts read
    CODEOWNERS as UTF-8 text, so UTF-16 and binary files are refused, naming the line."""
    out = OrgFile(str(path), "codeowners")
    why = _not_utf8_text(raw)
    if why is not None:
        line, message = why
        out.problems.append(Problem(out.path, line, "", message))
        return out
    out.rules = parse_codeowners(raw.decode("utf-8-sig"))
    return out


def _not_utf8_text(raw: bytes) -> tuple[int, str] | None:
    """The line and what is wrong when ``raw`` is not UTF-8 text (the first sign of it)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return (
            1,
            "UTF-16 text (it starts with a UTF-16 byte-order mark): expected UTF-8 text, as GitHub and GitLab read it",
        )
    nul = raw.find(b"\x00")
    try:
        raw.decode("utf-8")
        bad = -1
    except UnicodeDecodeError as exc:
        bad = exc.start
    if nul < 0 and bad < 0:
        return None
    if nul >= 0 and (bad < 0 or nul <= bad):
        return raw.count(b"\n", 0, nul) + 1, "a NUL byte: a binary or UTF-16 file, not CODEOWNERS (expected UTF-8 text)"
    return raw.count(b"\n", 0, bad) + 1, f"byte 0x{raw[bad]:02x} is not UTF-8: a binary file? (expected UTF-8 text)"


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
