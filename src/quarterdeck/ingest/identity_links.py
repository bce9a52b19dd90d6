"""Which person each git identity is: explicit mappings, then e-mail, then the login
columns of the people export that sources declare (GitHub's), then (only if asked for)
name. Rebuilt after every org and git import.

Links by name are uncertain (people share names; one person writes theirs several ways),
so they are only made when the setting ``identities.link_by_name`` is on; otherwise they
are offered as suggestions, with a confidence, by ``quarterdeck identities --unmatched``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from datetime import datetime

from quarterdeck.sources import declared
from quarterdeck.store import Warehouse
from quarterdeck.store.identity_writes import (
    add_identity_links,
    clear_identity_links,
    link_accounts_by_people_column,
    link_by_email,
    link_by_mappings,
)

_NOREPLY = re.compile(r"^(?:\d+\+)?([a-z0-9-]+)@users\.noreply\.github\.com$")


def rebuild_identity_links(warehouse: Warehouse, loaded_at: datetime, by_name: bool = False) -> None:
    clear_identity_links(warehouse)
    sources = declared().sources
    accounts = [name for name, source in sources.items() if source.identities is not None]
    link_by_mappings(warehouse, loaded_at, accounts)
    link_by_email(warehouse, loaded_at)
    _link_github_logins(warehouse, loaded_at)
    people_columns = warehouse.columns("people")
    for name, source in sources.items():
        if source.identities is not None and source.identities.people_column in people_columns:
            column = source.identities.people_column
            link_accounts_by_people_column(warehouse, loaded_at, name, column, column.replace("_", "-"))
    if by_name:
        suggestions = suggest_by_name(warehouse)
        add_identity_links(warehouse, [(i, p, "name", c) for i, (p, c) in suggestions.items()], loaded_at)


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
    add_identity_links(warehouse, found, loaded_at)


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
