"""Which person each git identity is: explicit mappings, then e-mail, then GitHub login,
then (only if asked for) name. Rebuilt after every org and git import.

Links by name are uncertain (people share names; one person writes theirs several ways),
so they are only made when the setting ``identities.link_by_name`` is on; otherwise they
are offered as suggestions, with a confidence, by ``quarterdeck identities --unmatched``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from datetime import datetime

import pyarrow as pa

from quarterdeck.store import Warehouse

_NOREPLY = re.compile(r"^(?:\d+\+)?([a-z0-9-]+)@users\.noreply\.github\.com$")

_EXPLICIT = """
INSERT INTO identity_links
SELECT i.identity_id, m.person_id, 'mapping', 1.0, 'mapping:' || m.file, $loaded_at
FROM identity_mappings m
JOIN identities i ON i.identity_id = CASE
        WHEN m.identity LIKE 'git:%' OR m.identity LIKE 'git-name:%' THEN m.identity
        WHEN regexp_matches(m.identity, '^(github|gitlab|jira|pagerduty|opsgenie|jenkins):') THEN lower(m.identity)
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

# A GitHub account (an identity github:<login>, from the API connectors) is the person whose
# people-export ``github`` column is that login, when exactly one person has it.
_GITHUB_ACCOUNTS = """
INSERT INTO identity_links
SELECT i.identity_id, min(p.person_id), 'github-login', 1.0, 'people github logins', $loaded_at
FROM identities i JOIN people p ON lower(p.github_login) = lower(i.name)
WHERE i.kind = 'account' AND i.source = 'github'
  AND i.identity_id NOT IN (SELECT identity_id FROM identity_links)
GROUP BY i.identity_id
HAVING count(DISTINCT p.person_id) = 1
"""


def rebuild_identity_links(warehouse: Warehouse, loaded_at: datetime, by_name: bool = False) -> None:
    con = warehouse.con
    con.execute("DELETE FROM identity_links")
    con.execute(_EXPLICIT, {"loaded_at": loaded_at})
    con.execute(_BY_EMAIL, {"loaded_at": loaded_at})
    _link_github_logins(warehouse, loaded_at)
    con.execute(_GITHUB_ACCOUNTS, {"loaded_at": loaded_at})
    if by_name:
        suggestions = suggest_by_name(warehouse)
        _insert(warehouse, [(i, p, "name", c) for i, (p, c) in suggestions.items()], loaded_at)


def _link_github_logins(warehouse: Warehouse, loaded_at: datetime) -> None:
    """GitHub's no-reply addresses (``123+login@users.noreply.github.com``) name a login."""
    logins = dict(
        warehouse.con.execute(
            "SELECT github_login, min(person_id) FROM people WHERE github_login IS NOT NULL "
            "GROUP BY 1 HAVING count(*) = 1"
        ).fetchall()
    )
    rows = warehouse.con.execute(
        "SELECT identity_id, email FROM identities WHERE email LIKE '%@users.noreply.github.com' "
        "AND identity_id NOT IN (SELECT identity_id FROM identity_links)"
    ).fetchall()
    found = []
    for identity, email in rows:
        match = _NOREPLY.match(email)
        if match and match[1] in logins:
            found.append((identity, logins[match[1]], "github-login", 1.0))
    _insert(warehouse, found, loaded_at)


def _insert(warehouse: Warehouse, links: list[tuple[str, str, str, float]], loaded_at: datetime) -> None:
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


def normalized_name(name: str) -> str:
    """Lower case, accents and punctuation removed, single spaces: 'José  O'Neil' -> 'jose o neil'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _name_keys(name: str) -> list[tuple[str, float]]:
    """Ways a name may match another, most certain first, with the confidence of each."""
    words = normalized_name(name).split()
    if not words:
        return []
    keys = [(" ".join(words), 0.9), (" ".join(sorted(words)), 0.85)]
    if len(words) > 2:
        keys.append((f"{words[0]} {words[-1]}", 0.7))
    return keys


def suggest_by_name(warehouse: Warehouse) -> dict[str, tuple[str, float]]:
    """For identities linked to nobody: the one person whose name matches, with a confidence:
    the lower of the two names' ways of matching (an identity "Eve Ops" matches the person
    "Eve Maria Ops" only by first and last word, 0.7). A name several people share links nobody."""
    people = warehouse.con.execute("SELECT person_id, name FROM people").fetchall()
    index: dict[str, dict[str, float]] = defaultdict(dict)
    for person, name in people:
        for key, confidence in _name_keys(name):
            index[key][person] = max(confidence, index[key].get(person, 0.0))
    unmatched = warehouse.con.execute(
        "SELECT identity_id, name FROM identities WHERE NOT is_bot "
        "AND identity_id NOT IN (SELECT identity_id FROM identity_links)"
    ).fetchall()
    found: dict[str, tuple[str, float]] = {}
    for identity, name in unmatched:
        for key, confidence in _name_keys(name):
            matches = index.get(key, {})
            if len(matches) == 1:
                person, theirs = next(iter(matches.items()))
                score = min(confidence, theirs)
                if identity not in found or score > found[identity][1]:
                    found[identity] = (person, score)
    return found
