"""``quarterdeck identities``: who the warehouse has seen in git, and which are bots."""

from __future__ import annotations

from pathlib import Path

import click

from quarterdeck.cli.context import db_options, format_option, open_for_reading, resolve_settings
from quarterdeck.cli.output import emit

_LIST_SQL = """
SELECT
    i.identity_id,
    i.name,
    i.email,
    i.is_bot,
    i.bot_rule,
    count(c.sha) AS commits,
    count(DISTINCT c.repository_id) AS repositories,
    min(c.author_time) AS first_commit,
    max(c.author_time) AS last_commit
FROM identities AS i
LEFT JOIN commits AS c ON c.author_identity_id = i.identity_id AND c.reachable
WHERE (? = 'all' OR (? = 'bots') = i.is_bot)
GROUP BY ALL
ORDER BY commits DESC, i.identity_id
LIMIT ?
"""


@click.command()
@click.option("--bots", "which", flag_value="bots", help="Only identities flagged as bots.")
@click.option("--humans", "which", flag_value="humans", help="Only identities not flagged as bots.")
@click.option("--all", "which", flag_value="all", default=True, help="Everyone (default).")
@click.option("--limit", type=int, default=1000, show_default=True, help="At most this many rows.")
@db_options
@format_option
def identities(which: str, limit: int, db: Path | None, config_file: Path | None, output_format: str) -> None:
    """List identities seen in git with the commits they authored.

    One identity is one e-mail address after .mailmap, across all repositories.
    Bots are flagged by the patterns in the identities.bot_patterns setting
    (e.g. '[bot]', dependabot, renovate); their work is left out of metrics.
    """
    settings = resolve_settings(db, config_file)
    with open_for_reading(settings) as warehouse:
        cursor = warehouse.con.execute(_LIST_SQL, [which, which, limit])
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    emit(columns, rows, output_format, title=f"Identities ({which})")
