"""The layers of DESIGN §3: a package imports only packages below it.

core <- config <- sources <- store <- pipeline <- metrics <- planning <- reports, web, cli
Sources (declarations and readers) never open the warehouse, so they may not import store;
the pipeline runs them into it. ``ingest`` holds the loaders of the sources the pipeline does
not run (git history, the organization's files, the delivery files), which it uses too. The simulator
(``simulation``) writes only the files real users give Quarterdeck, so it sits beside the
sources and may not import store or ingest; the CLI drives it.

Table writes (INSERT, UPDATE, DELETE, CREATE TABLE ... AS) belong to the store: a statement
written anywhere else is reported too.

Absolute imports (``from quarterdeck.web import app``) and relative ones (``from ..web import
app``, ``from .. import web``) are both resolved to the layer they reach.

Table writes belong to the store: outside ``store`` (and the metric definitions, which are
read-only SQL files), no string of the package holds a statement that writes a table
(``INSERT INTO``, ``UPDATE ... SET``, ``DELETE FROM``, ``CREATE TABLE ... AS``); the other
layers hand records or staged relations to the store's writers (docs/decisions/0038).

Run as ``python scripts/check_layers.py``: prints each violation and exits 1 when there is one.
"""

from __future__ import annotations

import ast
import re
import sys
from fnmatch import fnmatch
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "quarterdeck"

#: What each layer may import, besides itself.
ALLOWED = {
    "core": set(),
    "config": {"core"},
    "store": {"core", "config"},
    "sources": {"core", "config"},
    "simulation": {"core", "config"},
    "ingest": {"core", "config", "store", "sources"},
    "pipeline": {"core", "config", "store", "sources", "ingest"},
    "metrics": {"core", "config", "store"},
    "planning": {"core", "config", "store", "metrics"},
    "reports": {"core", "config", "store", "metrics", "planning"},
    "web": {"core", "config", "store", "metrics", "planning", "reports"},
    "cli": {
        "core",
        "config",
        "store",
        "sources",
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


#: Statements that write a table. A temporary table (``CREATE TEMP TABLE ... AS``) is a
#: connection's working relation, like a view: making one writes nothing stored.
WRITE_SQL = re.compile(
    r"\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b"
    r"|\bUPDATE\s+[\w.\"]+(?:\s+(?:AS\s+)?\w+)?\s+SET\b"
    r"|\bDELETE\s+FROM\b"
    r"|\bCREATE\s+(?:OR\s+REPLACE\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?[\w.\"]+\s+AS\b",
    re.IGNORECASE,
)

#: Where write statements may be: the store, and the metric definitions (SQL files).
#: Who may write tables: the store, the metrics' SQL (its own temporary relations), and the
#: simulator, which builds its files in an in-memory DuckDB of its own, never the warehouse.
WRITERS = ("store/*", "metrics/definitions/*.sql", "simulation/*")



def _string_texts(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of each string of a module but its docstrings (prose); an f-string's
    fields read as ``x``."""
    found: list[tuple[int, str]] = []
    parts: set[int] = set()  # strings inside an f-string, and docstrings
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                parts.add(id(first.value))
        if isinstance(node, ast.JoinedStr):
            text = ""
            for value in node.values:
                parts.add(id(value))
                is_text = isinstance(value, ast.Constant) and isinstance(value.value, str)
                text += value.value if is_text else "x"  # type: ignore[union-attr]
            found.append((node.lineno, text))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in parts:
            found.append((node.lineno, node.value))
    return found


def write_statements(path: Path) -> list[tuple[int, str]]:
    """(line, statement's first words) of each string in ``path`` (Python or SQL) that writes a table."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".sql":
        return [(text[: m.start()].count("\n") + 1, " ".join(m[0].split())) for m in WRITE_SQL.finditer(text)]
    found = []
    for line, string in _string_texts(ast.parse(text)):
        match = WRITE_SQL.search(string)
        if match:
            found.append((line, " ".join(match[0].split())))
    return sorted(found)


def writes_outside_store(package: Path = PACKAGE, allowed: tuple[str, ...] = ()) -> list[str]:
    """``file:line: statement`` of each table write outside the store (``allowed``: more files
    that may write, as patterns relative to ``package``)."""
    found = []
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.sql")]):
        relative = path.relative_to(package).as_posix()
        if any(fnmatch(relative, pattern) for pattern in (*WRITERS, *allowed)):
            continue
        found += [f"{relative}:{line}: {statement}" for line, statement in write_statements(path)]
    return found


def main() -> int:
    found = violations()
    for line in found:
        print(f"layering: {line}")
    if not found:
        print("layering: every module imports only lower layers")
    writes = writes_outside_store()
    for line in writes:
        print(f"layering: a table write outside the store: {line}")
    if not writes:
        print("layering: every table write is the store's")
    return 1 if found or writes else 0


if __name__ == "__main__":
    sys.exit(main())
