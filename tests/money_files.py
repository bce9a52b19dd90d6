"""What the tests of the money files share: a small organization (the teams a budget line
or a contract names), a warehouse holding it, and writing a file."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import set_up_with_quarterdeck

ORG = """teams:
  - id: eng
    name: Engineering
  - id: platform
    name: Platform
    parent: eng
  - id: payments
    name: Payments
    parent: eng
    aliases: [pay-team]
"""


def warehouse_with_org(folder: Path) -> Path:
    """A warehouse in ``folder`` holding the organization of ``ORG``."""
    org = write(folder, "org-2026-01-01.yaml", ORG)
    path = folder / "w.duckdb"
    set_up_with_quarterdeck("--db", str(path), "ingest", "org", str(org))
    return path


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path
