"""Accounts of code hosts, trackers and paging systems, as identities linked to people.

Every login a source names (a pull request's author, a reviewer, an issue's assignee, the
author of a status change) becomes an identity ``<source>:<login>`` (lower case) of kind
``account`` in the table of git identities, so the identity layer links it to a person the
same ways: an explicit mapping row (``github:octocat,P7``), the person's e-mail, their
GitHub login (the ``github`` column of the people export), or their name when that is
switched on. Jira's display names and e-mail addresses (``source_accounts``) are put on
its accounts, so those link by e-mail as git identities do. Accounts are flagged as bots
by the same patterns as git identities, matched against ``"login <email>"``
(``dependabot[bot]``, ``renovate-bot``...); bots are left out of the review and wait metrics.

``refresh_accounts`` runs after every API sync, then rebuilds the identity links.
"""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa

from quarterdeck.config import Settings
from quarterdeck.ingest.identities import BotRules
from quarterdeck.ingest.identity_links import rebuild_identity_links
from quarterdeck.store import Warehouse
from quarterdeck.store.identity_writes import replace_accounts

_NAMED = """
SELECT source, login, max(seen) AS seen_at
FROM (
    SELECT source, author_login AS login, updated_at AS seen FROM pull_requests
    UNION ALL SELECT source, reviewer_login, submitted_at FROM pr_reviews
    UNION ALL SELECT source, author_login, created_at FROM pr_comments
    UNION ALL SELECT source, actor_login, created_at FROM pr_events
    UNION ALL SELECT source, requested_reviewer, created_at FROM pr_events
        WHERE requested_reviewer NOT LIKE 'team:%'
    UNION ALL SELECT source, author_login, committed_at FROM pr_commits
    UNION ALL SELECT source, assignee, updated_at FROM issues
    UNION ALL SELECT source, reporter, created_at FROM issues
    UNION ALL SELECT source, author, changed_at FROM issue_transitions
    UNION ALL SELECT source, author_login, created_at FROM releases
    UNION ALL SELECT source, actor, happened_at FROM incident_events
)
WHERE login IS NOT NULL AND login <> '' AND seen IS NOT NULL
GROUP BY ALL
"""


def account_id(source: str, login: str) -> str:
    """The identity of an account: ``github:octocat``."""
    return f"{source}:{login.strip().lower()}"


def refresh_accounts(warehouse: Warehouse, settings: Settings, loaded_at: datetime) -> int:
    """Store every account the sources name as an identity (named by its display name and
    with its e-mail address when the source gave them), then rebuild the identity links.
    Returns the number of accounts."""
    bots = BotRules(settings.all_bot_patterns())
    known = {
        (source, account.lower()): (name, email)
        for source, account, name, email in warehouse.con.execute(
            "SELECT source, account, display_name, email FROM source_accounts"
        ).fetchall()
    }
    latest: dict[str, tuple[str, str, datetime]] = {}
    for source, login, seen_at in warehouse.con.execute(_NAMED).fetchall():
        key = account_id(source, login)
        if key not in latest or seen_at > latest[key][2]:
            latest[key] = (source, login, seen_at)
    rows = []
    for key, (source, login, seen) in latest.items():
        name, email = known.get((source, login.strip().lower()), (None, None))
        rows.append((key, source, name or login, email or "", seen, bots.match(login, email or "")))
    table = pa.table(
        {
            "identity_id": [r[0] for r in rows],
            "source": [r[1] for r in rows],
            "name": [r[2] for r in rows],
            "email": [r[3] for r in rows],
            "name_seen_at": pa.array([r[4] for r in rows], pa.timestamp("us", tz="UTC")),
            "is_bot": pa.array([r[5] is not None for r in rows], pa.bool_()),
            "bot_rule": pa.array([r[5] for r in rows], pa.string()),
        }
    )
    with warehouse.transaction():
        replace_accounts(warehouse, table, loaded_at)
        rebuild_identity_links(warehouse, loaded_at, settings.link_identities_by_name)
    return len(rows)
