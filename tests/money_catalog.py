"""Test-only money metrics (``tests/money_metrics/*.sql``) added to the catalog, in this
process or in the real command line run as a subprocess.

The Money area and ``quarterdeck money`` list whatever the catalog's money tiles are, so
their tests add definition files of their own, as a money helper's file would be added to
``metrics/definitions``: ``budget_spent`` (the budget lines' actual amounts, per team and
unit) and ``company_revenue`` (the finance export's revenue, the whole company only).

``python -m tests.money_catalog ARGS`` runs ``quarterdeck ARGS`` with them.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: The module (the package's ``catalog`` is its function).
catalog_module = importlib.import_module("quarterdeck.metrics.catalog")

FOLDER = Path(__file__).resolve().parent / "money_metrics"
ROOT = FOLDER.parents[1]


def _clear() -> None:
    for cached in (catalog_module.catalog, catalog_module._fragment_files, catalog_module.fragment_arguments):
        cached.cache_clear()


@contextmanager
def with_money_metrics() -> Iterator[None]:
    """The catalog with the test-only money metrics, until the block ends."""
    original = catalog_module._definition_files
    extra = [(path.name, path.read_text(encoding="utf-8")) for path in sorted(FOLDER.glob("*.sql"))]
    catalog_module._definition_files = lambda: [*original(), *extra]
    _clear()
    try:
        yield
    finally:
        catalog_module._definition_files = original
        _clear()


def run_with_test_metrics(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``quarterdeck ARGS`` as a subprocess (clean environment, as ``run_quarterdeck``), its
    catalog holding the test-only money metrics."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("QUARTERDECK_")}
    clean.update(COLUMNS="200", **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "tests.money_catalog", *args],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


if __name__ == "__main__":
    from quarterdeck.cli.main import main

    with with_money_metrics():
        sys.argv[0] = "quarterdeck"
        main()
