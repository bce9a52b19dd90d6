"""Writing the simulator's text files: CSV with ``\\n`` line ends, files in sorted order."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path


def to_csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_text(path: Path, text: str) -> Path:
    """Write ``text`` as UTF-8 with the line ends it has (``\n`` on every system)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def write_all(out: Path, texts: dict[str, str]) -> dict[str, Path]:
    """Write each text at its relative path under ``out`` (UTF-8); returns the paths by name."""
    return {relative: write_text(out / relative, texts[relative]) for relative in sorted(texts)}
