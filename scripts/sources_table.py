"""Rewrite the sources table of docs/connectors.md from the sources' declarations.

Run as ``python scripts/sources_table.py``; ``--check`` exits 1 when the committed table
differs (what tests/test_sources_frame.py checks)."""

from __future__ import annotations

import sys
from pathlib import Path

from quarterdeck.sources.listing import markdown_table

DOC = Path(__file__).resolve().parents[1] / "docs" / "connectors.md"
START = "<!-- sources table: made from the declarations by scripts/sources_table.py -->\n"
END = "<!-- end of the sources table -->\n"


def rewritten(text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + START + markdown_table() + END + tail


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    new = rewritten(text)
    if "--check" in sys.argv:
        return 0 if new == text else 1
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
