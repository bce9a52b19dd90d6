"""The layering rule of DESIGN §3, checked by ``scripts/check_layers.py`` (which CI also runs
on its own): a package imports only packages below it, by absolute or relative import."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.conftest import ROOT

SPEC = importlib.util.spec_from_file_location("check_layers", ROOT / "scripts" / "check_layers.py")
check_layers = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(check_layers)


def test_every_module_imports_only_lower_layers():
    assert check_layers.violations() == []


def test_the_check_sees_imports():
    """The checker itself: the git ingest orchestrator does import store and sources."""
    path = check_layers.PACKAGE / "ingest" / "git_ingest.py"
    assert {"store", "sources", "core"} <= check_layers.imported_layers(path)


def make_package(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "quarterdeck"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


def test_relative_imports_of_a_higher_layer_are_violations(tmp_path):
    package = make_package(
        tmp_path,
        {
            "metrics/__init__.py": "",
            "metrics/query.py": "from ..web import app\n",
            "metrics/tiles.py": "from .. import cli\n",
            "metrics/sub/__init__.py": "from ...reports import pack\n",
            "metrics/fine.py": "from . import query\nfrom ..store import open_warehouse\n",
            "web/__init__.py": "from ..metrics import query\n",
        },
    )
    assert check_layers.violations(package) == [
        "metrics/query.py imports ['web']",
        "metrics/sub/__init__.py imports ['reports']",
        "metrics/tiles.py imports ['cli']",
    ]
