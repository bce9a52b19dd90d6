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


def write_all(out: Path, texts: dict[str, str]) -> dict[str, Path]:
    """Write each text at its relative path under ``out`` (UTF-8); returns the paths by name."""
    written = {}
    for relative in sorted(texts):
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(texts[relative].encode("utf-8"))
        written[relative] = path
    return written
