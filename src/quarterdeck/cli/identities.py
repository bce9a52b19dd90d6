"""``quarterdeck identities``: who the warehouse has seen in git, which are bots, and which
are linked to a person of the organization (or not yet)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console

from quarterdeck.cli.context import db_options, format_option, open_for_reading, resolve_settings
from quarterdeck.cli.identity_review import HOW_TO_FIX, Review, linked_identities, unmatched_identities
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
LEFT JOIN commits AS c ON c.author_identity_id = i.identity_id AND c.reachable AND NOT c.is_merge
WHERE (? = 'all' OR (? = 'bots') = i.is_bot)
GROUP BY ALL
ORDER BY commits DESC, i.identity_id
LIMIT ?
"""


@click.command()
@click.option("--bots", "which", flag_value="bots", help="Only identities flagged as bots.")
@click.option("--humans", "which", flag_value="humans", help="Only identities not flagged as bots.")
@click.option("--all", "which", flag_value="all", default=True, help="Everyone (default).")
@click.option(
    "--unmatched",
    "which",
    flag_value="unmatched",
    help="Identities linked to no person, with their commits and a name match to review.",
)
@click.option(
    "--linked", "which", flag_value="linked", help="Identities linked to a person: how (method) and how surely."
)
@click.option("--include-bots", is_flag=True, help="With --unmatched: list bots too (left out by default).")
@click.option("--limit", type=int, default=1000, show_default=True, help="At most this many rows.")
@db_options
@format_option
def identities(
    which: str, include_bots: bool, limit: int, db: Path | None, config_file: Path | None, output_format: str
) -> None:
    """List identities seen in git with the commits they authored.

    One identity is one e-mail address after .mailmap, across all repositories.
    Commits (their count, repositories, first and last) are non-merge commits
    reachable from the ingested refs, as metrics count them, in every list.
    Bots are flagged by the patterns in the identities.bot_patterns setting
    (e.g. '[bot]', dependabot, renovate); their work is left out of metrics.

    --unmatched lists the identities linked to no person, most commits first:
    their work counts as "(unmatched)" in metrics --by team and --by unit. Commits
    are non-merge commits, as metrics count them. A name that matches one person
    is suggested with a confidence (0.9 same name, 0.85 same words in another
    order, 0.7 same first and last word). --linked lists the links made, the
    least certain first. How links are made: docs/identities.md.

    \b
    Examples:
      quarterdeck identities --unmatched --limit 20
      quarterdeck identities --unmatched --format csv > unmatched.csv
      quarterdeck identities --linked --format json
    """
    if include_bots and which != "unmatched":
        raise click.UsageError("--include-bots goes with --unmatched (the other lists show bots already)")
    if limit < 1:
        raise click.UsageError("--limit must be at least 1")
    settings = resolve_settings(db, config_file)
    with open_for_reading(settings) as warehouse:
        if which == "unmatched":
            review = unmatched_identities(warehouse, include_bots, limit)
        elif which == "linked":
            review = linked_identities(warehouse, limit)
        else:
            cursor = warehouse.con.execute(_LIST_SQL, [which, which, limit])
            columns = [d[0] for d in cursor.description]
            emit(columns, cursor.fetchall(), output_format, title=f"Identities ({which})")
            return
    if which == "unmatched":
        _print_unmatched(review, include_bots, output_format)
    else:
        _print_linked(review, output_format)


def _print_unmatched(review: Review, include_bots: bool, output_format: str) -> None:
    meta: dict[str, Any] = {"summary": review.summary, "include_bots": include_bots, "how_to_fix": HOW_TO_FIX}
    if output_format != "table":
        emit(review.columns, review.rows, output_format, meta=meta if output_format == "json" else None)
        return
    console = Console()
    emit(review.columns, review.rows, "table", title="Identities linked to no person", console=console)
    for source, counts in review.summary.items():
        console.print(
            f"{source}: {counts['unmatched_identities']:,} of {counts['identities']:,} identities with commits "
            f"are linked to no person; {counts['unmatched_commits']:,} of {counts['commits']:,} commits count "
            f'as "(unmatched)" in metrics --by team and --by unit'
            + ("." if include_bots else " (bots left out: --include-bots)."),
            markup=False,
            highlight=False,
        )
    if not review.summary:
        console.print("No commits ingested yet: run quarterdeck ingest git PATH.", markup=False, highlight=False)
    elif not review.people:
        console.print(
            "No people imported yet: import the organization first (quarterdeck ingest org people.csv; "
            "docs/org-inputs.md); identities are then linked by e-mail.",
            markup=False,
            highlight=False,
        )
    elif any(c["unmatched_identities"] for c in review.summary.values()):
        console.print(f"To fix: {HOW_TO_FIX}.", markup=False, highlight=False)


def _print_linked(review: Review, output_format: str) -> None:
    if output_format != "table":
        emit(
            review.columns,
            review.rows,
            output_format,
            meta={"summary": review.summary} if output_format == "json" else None,
        )
        return
    console = Console()
    emit(review.columns, review.rows, "table", title="Identities linked to a person", console=console)
    for source, counts in review.summary.items():
        methods = ", ".join(f"{n:,} by {m}" for m, n in counts["by_method"].items())
        console.print(
            f"{source}: {counts['identities']:,} identities linked to {counts['people']:,} people ({methods}). "
            "A link by name is a guess: correct a wrong one with an identity mapping file.",
            markup=False,
            highlight=False,
        )
