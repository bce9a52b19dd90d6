"""Every declared source as a table: ``quarterdeck sources`` and the table of
``docs/connectors.md`` (rewritten by ``python scripts/sources_table.py``; a test checks the
committed table is the one the declarations make)."""

from __future__ import annotations

from typing import Any

from quarterdeck.sources import declared

COLUMNS = ("type", "kind", "reads", "scope", "token", "options", "tables", "origin", "page")


def source_rows() -> list[list[Any]]:
    """One row per declared source, in the registry's order."""
    found = declared()
    rows = []
    for name, source in found.sources.items():
        tables = sorted({r.table for r in source.resources})
        rows.append([
            name, source.kind, source.summary, source.scope.key if source.scope else None, source.token_env,
            ", ".join(o.name for o in source.options) or None, ", ".join(tables) or None, found.origins[name],
            source.docs or None,
        ])  # fmt: skip
    return rows


def markdown_table() -> str:
    """The sources table of the docs: type, what it reads, its scope key and token variable, its page."""
    lines = ["| type | reads | scope key | token variable | page |", "|---|---|---|---|---|"]
    for name, _, summary, scope, token, _, _, origin, page in source_rows():
        if origin != "built in":
            continue
        link = f"[{page.removeprefix('docs/')}]({page.removeprefix('docs/')})" if page else ""
        lines.append(f"| `{name}` | {summary} | `{scope or '-'}` | `{token or '-'}` | {link} |")
    return "\n".join(lines) + "\n"
