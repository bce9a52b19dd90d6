"""What the demo hands a VP at the end: the targets' monthly history and the board pack.

The simulator writes an example targets file (``sim/targets.yaml``); the demo puts it beside
the warehouse, where every command and the dashboard look for it, records each target's
whole months (``quarterdeck targets record``), and writes the last whole quarter's board pack
(``quarterdeck report board``) into ``board/``: HTML and PowerPoint, and the PDF when a
Chromium is on the machine.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from quarterdeck.cli.context import open_for_reading, open_for_writing
from quarterdeck.cli.serve import read_targets
from quarterdeck.cli.targets import months_of
from quarterdeck.config import Settings
from quarterdeck.config.targets import Targets, default_targets_path
from quarterdeck.core.clock import now, today
from quarterdeck.metrics import MetricQuery
from quarterdeck.metrics.data_end import data_end
from quarterdeck.metrics.money import Quarter
from quarterdeck.metrics.query import settings_query_fields
from quarterdeck.metrics.target_history import record_targets
from quarterdeck.reports.board_build import build_board_pack
from quarterdeck.reports.board_files import write_pack
from quarterdeck.reports.pdf import PdfError, find_chromium


def record_demo_targets(sim: Path, settings: Settings) -> Targets:
    """Put the example targets beside the warehouse and record every whole month of them."""
    placed = default_targets_path(settings.db)
    shutil.copyfile(sim / "targets.yaml", placed)
    targets = read_targets(placed, settings.db)
    base = MetricQuery(**settings_query_fields(settings))
    with open_for_writing(settings) as warehouse:
        record_targets(warehouse, targets, months_of(warehouse, settings), base, now())
    return targets


def write_demo_pack(folder: Path, settings: Settings, targets: Targets) -> tuple[str, list[Path], str]:
    """The last whole quarter's board pack of the organization in ``folder``: its quarter, its
    files, and why there is no PDF when there is none (the demo goes on without it)."""
    with open_for_reading(settings) as warehouse:
        quarter = str(Quarter.last_full(data_end(warehouse, today(), settings.timezone)))
        pack = build_board_pack(warehouse, quarter, "org", targets=targets, settings=settings)
    try:
        find_chromium()
        return quarter, write_pack(pack, folder, ("html", "pdf", "pptx")), ""
    except PdfError as exc:
        return quarter, write_pack(pack, folder, ("html", "pptx")), str(exc)


def report_lines(db: Path, quarter: str, written: list[Path], no_pdf: str, port: int | None) -> list[str]:
    """Where the board pack is, and the commands and pages of targets and digests."""
    lines = [f"demo: board pack of {quarter}: " + ", ".join(str(p) for p in written)]
    if no_pdf:
        lines.append(f"demo: no PDF: {no_pdf}")
    lines += [
        f"demo: targets and their owners: quarterdeck targets status --db {db}",
        f"demo: each owner's digest, without sending: quarterdeck digest send --dry-run --db {db}",
    ]
    if port is not None:
        lines += [
            f"demo: the board pack on the dashboard: http://127.0.0.1:{port}/reports/board",
            f"demo: targets on the dashboard: http://127.0.0.1:{port}/targets",
        ]
    return lines
