"""What the demo hands over at its end (cli/demo_reports.py): the example targets recorded
beside the warehouse, and the board pack, written without its PDF when the browser fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from quarterdeck.cli.demo_reports import record_demo_targets, report_lines, write_demo_pack
from quarterdeck.config import Settings
from quarterdeck.reports.pdf import CHROMIUM_ENV
from tests.dashboard_server import demo_warehouse, without_recorded_targets
from tests.warehouse_rows import query


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return without_recorded_targets(demo_warehouse(tmp_path_factory.mktemp("demo-reports") / "demo"))


def test_the_targets_are_placed_and_recorded_and_a_failing_browser_leaves_out_only_the_pdf(demo, monkeypatch):
    (demo.parent / "targets.yaml").unlink()
    targets = record_demo_targets(demo.parent / "sim", Settings(db=demo))
    assert (demo.parent / "targets.yaml").read_text() == (demo.parent / "sim" / "targets.yaml").read_text()
    recorded = query(demo, "SELECT DISTINCT metric, scope FROM target_history ORDER BY ALL")
    assert recorded == sorted({(t.metric, t.scope) for t in targets})

    monkeypatch.setenv(CHROMIUM_ENV, "/bin/false")
    quarter, written, no_pdf = write_demo_pack(demo.parent / "board", Settings(db=demo), targets)
    assert [p.name for p in written] == [f"board-{quarter}.html", f"board-{quarter}.pptx"]
    assert "/bin/false could not print" in no_pdf
    lines = report_lines(demo, quarter, written, no_pdf, 8000)
    assert lines[1] == f"demo: no PDF: {no_pdf}"
    assert "demo: targets on the dashboard: http://127.0.0.1:8000/targets" in lines
