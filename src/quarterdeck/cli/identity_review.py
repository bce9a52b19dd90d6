"""What ``quarterdeck identities --unmatched`` and ``--linked`` show: the identities whose
work is attributed to nobody, with their activity and a name match to review, and the links
made so far with how each was made.

Activity is counted as the metrics count it: non-merge commits reachable from the ingested
refs, authored by the identity. Identities that authored no such commit (committers only,
or merges only) affect no metric and are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quarterdeck.ingest.identity_links import suggest_by_name
from quarterdeck.store import Warehouse

HOW_TO_FIX = (
    "link them in an identity mapping file (CSV with columns identity,person_id; identity is the "
    "e-mail or identity_id shown here) and run: quarterdeck ingest org identities.csv "
    "(docs/org-inputs.md, docs/identities.md)"
)

_ACTIVITY = """
WITH activity AS (
    SELECT
        c.author_identity_id AS identity_id,
        count(*) AS commits,
        min(c.author_time) AS first_commit,
        max(c.author_time) AS last_commit,
        string_agg(DISTINCT r.name, ', ' ORDER BY r.name) AS repositories
    FROM commits AS c
    JOIN repositories AS r ON r.repository_id = c.repository_id
    WHERE c.reachable AND NOT c.is_merge
    GROUP BY 1
)
"""

_UNMATCHED = (
    _ACTIVITY
    + """
SELECT i.kind AS source, i.identity_id, i.name, i.email, a.commits, a.first_commit, a.last_commit, a.repositories
FROM identities AS i
JOIN activity AS a ON a.identity_id = i.identity_id
LEFT JOIN identity_links AS l ON l.identity_id = i.identity_id
WHERE l.identity_id IS NULL AND ($include_bots OR NOT i.is_bot)
ORDER BY a.commits DESC, i.identity_id
LIMIT $limit
"""
)

_TOTALS = (
    _ACTIVITY
    + """
SELECT
    i.kind AS source,
    count(*) AS identities,
    count(*) FILTER (WHERE l.identity_id IS NULL) AS unmatched_identities,
    sum(a.commits) AS commits,
    coalesce(sum(a.commits) FILTER (WHERE l.identity_id IS NULL), 0) AS unmatched_commits
FROM identities AS i
JOIN activity AS a ON a.identity_id = i.identity_id
LEFT JOIN identity_links AS l ON l.identity_id = i.identity_id
WHERE $include_bots OR NOT i.is_bot
GROUP BY 1
ORDER BY 1
"""
)

_LINKED = (
    _ACTIVITY
    + """
SELECT
    i.kind AS source, i.identity_id, i.name, i.email, coalesce(a.commits, 0) AS commits,
    l.person_id, p.name AS person_name, l.method, l.confidence
FROM identity_links AS l
JOIN identities AS i ON i.identity_id = l.identity_id
LEFT JOIN people AS p ON p.person_id = l.person_id
LEFT JOIN activity AS a ON a.identity_id = l.identity_id
ORDER BY l.confidence, commits DESC, i.identity_id
"""
)


@dataclass
class Review:
    """Rows to print, and the counts that go in the footer (table) or next to the rows (JSON)."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    summary: dict[str, Any] = field(default_factory=dict)
    people: int = 0  # people imported from the organization's files


def unmatched_identities(warehouse: Warehouse, include_bots: bool, limit: int) -> Review:
    """Identities linked to no person, most commits first, with the best name match."""
    con = warehouse.con
    cursor = con.execute(_UNMATCHED, {"include_bots": include_bots, "limit": limit})
    columns = [d[0] for d in cursor.description]
    found = cursor.fetchall()
    suggestions = suggest_by_name(warehouse) if found else {}
    names = dict(con.execute("SELECT person_id, name FROM people").fetchall()) if suggestions else {}
    rows = []
    for row in found:
        person, confidence = suggestions.get(row[1], (None, None))
        rows.append((*row, person, names.get(person), confidence))
    totals = con.execute(_TOTALS, {"include_bots": include_bots}).fetchall()
    summary = {
        source: {"identities": n, "unmatched_identities": u, "commits": c, "unmatched_commits": uc}
        for source, n, u, c, uc in totals
    }
    people = con.execute("SELECT count(*) FROM people").fetchall()[0][0]
    return Review([*columns, "suggested_person", "suggested_name", "confidence"], rows, summary, people)


def linked_identities(warehouse: Warehouse, limit: int) -> Review:
    """Every link from an identity to a person, the least certain first."""
    cursor = warehouse.con.execute(_LINKED)
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    summary: dict[str, Any] = {}
    for row in rows:
        source = summary.setdefault(row[0], {"identities": 0, "people": set(), "by_method": {}})
        source["identities"] += 1
        source["people"].add(row[5])
        source["by_method"][row[7]] = source["by_method"].get(row[7], 0) + 1
    for source in summary.values():
        source["people"] = len(source["people"])
        source["by_method"] = dict(sorted(source["by_method"].items()))
    return Review(columns, rows[:limit], summary)
