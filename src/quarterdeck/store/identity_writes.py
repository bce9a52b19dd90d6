"""The writes of identity linking: which person each identity (a git author, an account of
a code host, tracker or paging system) is, and the accounts themselves."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa

from quarterdeck.store.warehouse import Warehouse

_EXPLICIT = """
INSERT INTO identity_links
SELECT i.identity_id, m.person_id, 'mapping', 1.0, 'mapping:' || m.file, $loaded_at
FROM identity_mappings m
JOIN identities i ON i.identity_id = CASE
        WHEN m.identity LIKE 'git:%' OR m.identity LIKE 'git-name:%' THEN m.identity
        WHEN list_contains($account_sources, lower(split_part(m.identity, ':', 1))) THEN lower(m.identity)
        ELSE 'git:' || lower(m.identity) END
JOIN people p ON p.person_id = m.person_id
QUALIFY row_number() OVER (PARTITION BY i.identity_id ORDER BY m.file DESC, m.line DESC) = 1
"""

_BY_EMAIL = """
INSERT INTO identity_links
SELECT i.identity_id, min(e.person_id), 'email', 1.0, 'people e-mails', $loaded_at
FROM identities i JOIN person_emails e ON e.email = i.email
WHERE i.identity_id NOT IN (SELECT identity_id FROM identity_links)
GROUP BY i.identity_id
HAVING count(DISTINCT e.person_id) = 1
"""

# An account of a source whose login people-export column is known (an identity
# github:<login>) is the person whose column holds that login, when exactly one person has it.
_BY_PEOPLE_COLUMN = """
INSERT INTO identity_links
SELECT i.identity_id, min(p.person_id), $method, 1.0, $why, $loaded_at
FROM identities i JOIN people p ON lower(p.{column}) = lower(i.name)
WHERE i.kind = 'account' AND i.source = $source
  AND i.identity_id NOT IN (SELECT identity_id FROM identity_links)
GROUP BY i.identity_id
HAVING count(DISTINCT p.person_id) = 1
"""


def clear_identity_links(warehouse: Warehouse) -> None:
    warehouse.con.execute("DELETE FROM identity_links")


def link_by_mappings(warehouse: Warehouse, loaded_at: datetime, account_sources: list[str]) -> None:
    """Explicit mapping rows: ``git:<email>``, ``git-name:<name>``, ``<source>:<login>`` for
    the sources that have accounts, or a bare e-mail (a git identity)."""
    warehouse.con.execute(_EXPLICIT, {"loaded_at": loaded_at, "account_sources": account_sources})


def link_by_email(warehouse: Warehouse, loaded_at: datetime) -> None:
    warehouse.con.execute(_BY_EMAIL, {"loaded_at": loaded_at})


def link_accounts_by_people_column(
    warehouse: Warehouse, loaded_at: datetime, source: str, column: str, method: str
) -> None:
    """Accounts of ``source`` linked by a column of the people export holding their login
    (a column the schema has: checked)."""
    if column not in warehouse.columns("people"):
        raise ValueError(f"people has no column {column!r}")
    params = {"loaded_at": loaded_at, "source": source, "method": method, "why": f"people {source} logins"}
    warehouse.con.execute(_BY_PEOPLE_COLUMN.format(column=column), params)


def add_identity_links(warehouse: Warehouse, links: list[tuple[str, str, str, float]], loaded_at: datetime) -> None:
    """Links found in Python: (identity, person, method, confidence)."""
    if not links:
        return
    warehouse.insert_arrow(
        "identity_links",
        pa.table(
            {
                "identity_id": [link[0] for link in links],
                "person_id": [link[1] for link in links],
                "method": [link[2] for link in links],
                "confidence": pa.array([link[3] for link in links], pa.float64()),
            }
        ),
        {"source": "identity links", "loaded_at": loaded_at},
    )


def replace_accounts(warehouse: Warehouse, accounts: pa.Table, loaded_at: datetime) -> None:
    """The identities of kind ``account`` become ``accounts`` (inside the caller's transaction)."""
    warehouse.con.execute("DELETE FROM identities WHERE kind = 'account'")
    warehouse.insert_arrow("identities", accounts, {"kind": "account", "loaded_at": loaded_at})
