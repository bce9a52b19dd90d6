"""``quarterdeck sources``: the sources this installation can read."""

from __future__ import annotations

import click

from quarterdeck.cli.context import format_option
from quarterdeck.cli.output import emit
from quarterdeck.sources.listing import COLUMNS, source_rows


@click.command("sources")
@format_option
def sources(output_format: str) -> None:
    """List the sources Quarterdeck can read: built in, and those installed packages add.

    Each is read with `quarterdeck ingest <type>`, or listed in quarterdeck.yaml under its
    type and read with `quarterdeck ingest all`; the scope is the key listing what to read,
    the token the environment variable holding its token. docs/write-a-source.md tells how
    to add one.

    \b
    Examples:
      quarterdeck sources
      quarterdeck sources --format json
    """
    emit(list(COLUMNS), source_rows(), output_format, title="Sources")
