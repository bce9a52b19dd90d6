"""The user's own notes (asks, decisions) in the board pack, as written: a small, safe reading
of Markdown (headings, bullet lists, paragraphs, **bold** and *italic*); every character of
the text is escaped, so nothing in a note can run or fetch anything."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.reports.board_model import Sentence

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


@dataclass(frozen=True)
class Block:
    kind: str  # heading | bullets | paragraph
    lines: tuple[str, ...]
    level: int = 0  # a heading's level


def read_notes(path: Path) -> str:
    """The notes file's text, or a clear error naming it."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QuarterdeckError(f"{path}: no such notes file (a Markdown file of your own notes)") from None
    except UnicodeDecodeError as exc:
        raise QuarterdeckError(f"{path}: not UTF-8 text at byte {exc.start}: expected a Markdown file") from None
    except OSError as exc:
        raise QuarterdeckError(f"{path}: cannot be read ({exc.strerror})") from None


def blocks(markdown: str) -> list[Block]:
    """Headings, bullet lists and paragraphs (blank lines separate paragraphs)."""
    found: list[Block] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            found.append(Block("paragraph", (" ".join(paragraph),)))
            paragraph.clear()
        if bullets:
            found.append(Block("bullets", tuple(bullets)))
            bullets.clear()

    for raw in markdown.splitlines():
        line = raw.rstrip()
        heading, bullet = _HEADING.match(line.strip()), _BULLET.match(line)
        if not line.strip():
            flush()
        elif heading:
            flush()
            found.append(Block("heading", (heading[2].strip(),), len(heading[1])))
        elif bullet:
            if paragraph:
                flush()
            bullets.append(bullet[1].strip())
        elif bullets and raw.startswith((" ", "\t")):
            bullets[-1] += " " + line.strip()
        else:
            if bullets:
                flush()
            paragraph.append(line.strip())
    flush()
    return found


def inline_html(text: str) -> str:
    """The text escaped, then its **bold** and *italic* marks as tags."""
    escaped = html.escape(text, quote=True)
    return _ITALIC.sub(r"<em>\1</em>", _BOLD.sub(r"<strong>\1</strong>", escaped))


def notes_html(markdown: str) -> str:
    """The notes as HTML: headings (as h3 and below, under the section's title), lists, paragraphs."""
    parts = []
    for block in blocks(markdown):
        if block.kind == "heading":
            level = min(block.level + 2, 6)
            parts.append(f"<h{level}>{inline_html(block.lines[0])}</h{level}>")
        elif block.kind == "bullets":
            parts.append("<ul>" + "".join(f"<li>{inline_html(item)}</li>" for item in block.lines) + "</ul>")
        else:
            parts.append(f"<p>{inline_html(block.lines[0])}</p>")
    return "\n".join(parts)


def plain(text: str) -> str:
    """The text without its bold and italic marks (for formats that do not show them)."""
    return _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text))


def note_sentences(markdown: str) -> tuple[Sentence, ...]:
    """One sentence of rule ``note`` per heading, bullet and paragraph, as written."""
    said = []
    for block in blocks(markdown):
        for line in block.lines:
            said.append(Sentence(("• " if block.kind == "bullets" else "") + plain(line), "note"))
    return tuple(said)
