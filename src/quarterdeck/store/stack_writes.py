"""Writes of the tech-stack inventory: a repository's rows replaced whole, inside the
caller's transaction."""

from __future__ import annotations

from dataclasses import astuple, fields
from datetime import datetime
from typing import Any

import pyarrow as pa

from quarterdeck.store.warehouse import Warehouse

STACK_TABLES = (
    "stack_languages",
    "stack_dependencies",
    "stack_frameworks",
    "stack_files",
    "stack_licences",
    "stack_unreadable",
    "stack_repositories",
)


def _table(records: list[Any], columns: dict[str, pa.DataType]) -> pa.Table:
    names = list(columns)
    rows = [astuple(r) if hasattr(r, "__dataclass_fields__") else tuple(r) for r in records]
    return pa.table({n: pa.array([row[i] for row in rows], columns[n]) for i, n in enumerate(names)})


def replace_inventory(
    warehouse: Warehouse, repository_id: int, inventory: Any, source: str, loaded_at: datetime
) -> None:
    """Store a repository's inventory (``sources.stack.model.Inventory``), replacing the one
    read before."""
    clear_inventory(warehouse, repository_id)
    stamp = {"repository_id": repository_id, "source": source, "loaded_at": loaded_at}
    s, i = pa.string(), pa.int64()
    languages = {"language": s, "files": i, "lines": i}
    warehouse.insert_arrow("stack_languages", _table(inventory.languages, languages), stamp)
    dependency_columns = {f.name: s for f in fields(inventory.dependencies[0])} if inventory.dependencies else {}
    if dependency_columns:
        warehouse.insert_arrow("stack_dependencies", _table(inventory.dependencies, dependency_columns), stamp)
    framework = {"framework": s, "ecosystem": s, "manifest": s, "dependency": s, "version": s}
    warehouse.insert_arrow("stack_frameworks", _table(inventory.frameworks, framework), stamp)
    warehouse.insert_arrow("stack_files", _table(inventory.files, {"path": s, "kind": s, "tool": s}), stamp)
    licences = {"path": s, "licence": s, "origin": s}
    warehouse.insert_arrow("stack_licences", _table(inventory.licences, licences), stamp)
    warehouse.insert_arrow("stack_unreadable", _table(inventory.unreadable, {"path": s, "reason": s}), stamp)
    warehouse.con.execute(
        "INSERT INTO stack_repositories (repository_id, head_sha, source, loaded_at) VALUES (?, ?, ?, ?)",
        [repository_id, inventory.head, source, loaded_at],
    )


def clear_inventory(warehouse: Warehouse, repository_id: int) -> None:
    """Forget a repository's inventory (it has no files, or a new one replaces it)."""
    for table in STACK_TABLES:
        warehouse.con.execute(f"DELETE FROM {table} WHERE repository_id = ?", [repository_id])


def stored_inventory_heads(warehouse: Warehouse) -> dict[int, str]:
    """The HEAD each repository's inventory was read at."""
    rows = warehouse.con.execute("SELECT repository_id, head_sha FROM stack_repositories").fetchall()
    return {rid: head for rid, head in rows}
