"""The layers of DESIGN §3: a package imports only packages below it.

core <- config <- sources <- store <- pipeline <- metrics <- planning <- reports, web, cli
Sources (declarations and readers) never open the warehouse, so they may not import store;
the pipeline runs them into it. ``connectors`` and ``ingest`` are the older homes of the
sources and of their loading, between sources and pipeline, until they are moved. The simulator
(``simulation``) writes only the files real users give Quarterdeck, so it sits beside the
connectors and may not import store or ingest; the CLI drives it.

Absolute imports (``from quarterdeck.web import app``) and relative ones (``from ..web import
app``, ``from .. import web``) are both resolved to the layer they reach.

Run as ``python scripts/check_layers.py``: prints each violation and exits 1 when there is one.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "quarterdeck"

#: What each layer may import, besides itself.
ALLOWED = {
    "core": set(),
    "config": {"core"},
    "store": {"core", "config"},
    "sources": {"core", "config"},
    "connectors": {"core", "config", "sources"},
    "simulation": {"core", "config"},
    "ingest": {"core", "config", "store", "sources", "connectors"},
    "pipeline": {"core", "config", "store", "sources", "connectors", "ingest"},
    "metrics": {"core", "config", "store"},
    "planning": {"core", "config", "store", "metrics"},
    "reports": {"core", "config", "store", "metrics", "planning"},
    "web": {"core", "config", "store", "metrics", "planning", "reports"},
    "cli": {
        "core",
        "config",
        "store",
        "sources",
        "connectors",
        "ingest",
        "pipeline",
        "metrics",
        "planning",
        "reports",
        "web",
        "simulation",
    },
}


def module_parts(path: Path, package: Path = PACKAGE) -> list[str]:
    """``quarterdeck.metrics.query`` as parts, for a file under ``package``."""
    relative = path.relative_to(package).with_suffix("")
    parts = ["quarterdeck", *relative.parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def absolute_names(node: ast.ImportFrom, here: list[str], is_package: bool) -> list[str]:
    """The absolute module names a ``from ... import ...`` reaches (each imported name
    counts too, since ``from .. import web`` imports a module)."""
    if node.level == 0:
        return [node.module or ""]
    base = here if is_package else here[:-1]
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    prefix = ".".join([*base, *(node.module.split(".") if node.module else [])])
    return [prefix, *(f"{prefix}.{alias.name}" for alias in node.names)]


def imported_layers(path: Path, package: Path = PACKAGE) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_parts(path, package)
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = absolute_names(node, here, is_package)
        for name in names:
            parts = name.split(".")
            if parts[0] == "quarterdeck" and len(parts) > 1:
                found.add(parts[1])
    return found


def violations(package: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if len(relative.parts) < 2:
            continue  # quarterdeck/__init__.py and __main__.py sit above the layers
        layer = relative.parts[0]
        if layer not in ALLOWED:
            found.append(f"{relative}: package {layer!r} is not a known layer")
            continue
        wrong = imported_layers(path, package) - ALLOWED[layer] - {layer, "__init__", "__main__"}
        if wrong:
            found.append(f"{relative} imports {sorted(wrong)}")
    return found


def main() -> int:
    found = violations()
    for line in found:
        print(f"layering: {line}")
    if not found:
        print("layering: every module imports only lower layers")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
