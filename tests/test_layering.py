"""The layers of DESIGN §3: a package imports only packages below it.

core <- config <- store <- connectors, ingest <- metrics <- planning <- reports, web, cli
(connectors never open the warehouse, so they may not import store either). The simulator
(``simulation``) writes only the files real users give Quarterdeck, so it sits beside the
connectors and may not import store or ingest; the CLI drives it.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "quarterdeck"

#: What each layer may import, besides itself.
ALLOWED = {
    "core": set(),
    "config": {"core"},
    "store": {"core", "config"},
    "connectors": {"core", "config"},
    "simulation": {"core", "config"},
    "ingest": {"core", "config", "store", "connectors"},
    "metrics": {"core", "config", "store"},
    "planning": {"core", "config", "store", "metrics"},
    "reports": {"core", "config", "store", "metrics", "planning"},
    "web": {"core", "config", "store", "metrics", "planning", "reports"},
    "cli": {"core", "config", "store", "connectors", "ingest", "metrics", "planning", "reports", "web", "simulation"},
}


def imported_layers(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "quarterdeck" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_every_module_imports_only_lower_layers():
    violations = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if len(relative.parts) < 2:
            continue  # quarterdeck/__init__.py and __main__.py sit above the layers
        layer = relative.parts[0]
        assert layer in ALLOWED, f"{relative}: package {layer!r} is not a known layer"
        wrong = imported_layers(path) - ALLOWED[layer] - {layer, "__init__"}
        if wrong:
            violations.append(f"{relative} imports {sorted(wrong)}")
    assert violations == []


def test_the_check_sees_imports():
    """The checker itself: the ingest orchestrator does import store and connectors."""
    assert {"store", "connectors", "core"} <= imported_layers(PACKAGE / "ingest" / "git_ingest.py")
