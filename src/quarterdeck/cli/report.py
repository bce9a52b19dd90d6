"""``quarterdeck report``: documents for others (the board pack, the due-diligence report)."""

from __future__ import annotations

import click

from quarterdeck.cli.lazy import LazyGroup


@click.group(cls=LazyGroup)
def report() -> None:
    """Documents for others: the board pack, the due-diligence report."""


report.add_lazy(  # type: ignore[attr-defined]
    "board",
    "quarterdeck.cli.report_board",
    "board",
    "The quarter's board pack: HTML, PDF and PowerPoint, every number and sentence explained.",
)
report.add_lazy(  # type: ignore[attr-defined]
    "diligence",
    "quarterdeck.cli.report_diligence",
    "diligence",
    "A due-diligence report on a target company's repositories and, when given, its HR export.",
)
