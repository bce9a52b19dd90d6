"""``quarterdeck``: the command line entry point."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from quarterdeck import __version__
from quarterdeck.cli.access import access
from quarterdeck.cli.data_quality import data_quality
from quarterdeck.cli.demo import demo
from quarterdeck.cli.identities import identities
from quarterdeck.cli.ingest import ingest
from quarterdeck.cli.metrics import metrics
from quarterdeck.cli.org import org
from quarterdeck.cli.run import run
from quarterdeck.cli.serve import serve
from quarterdeck.cli.simulate import simulate_command
from quarterdeck.cli.waits import waits
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.core.secrets import install_log_masking


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--db",
    type=click.Path(path_type=Path),
    help="Warehouse file (default: ./quarterdeck.duckdb; env QUARTERDECK_DB).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Project config file (default: ./quarterdeck.toml if present).",
)
@click.version_option(__version__, prog_name="quarterdeck")
def cli(db: Path | None, config_file: Path | None) -> None:
    """Quarterdeck: how engineering drives the business, and where it is degrading.

    Point it at your organization's own data; it keeps everything in one local
    DuckDB file (the warehouse) and answers with numbers it can explain.

    \b
    Start here:
      quarterdeck run                      ingest this repository, print the summary
      quarterdeck ingest git ~/src/org     ingest every repository under a folder
      quarterdeck metrics list             what can be measured, and how
      quarterdeck metrics show churn --explain
      quarterdeck ingest org people.csv org.yaml   load the organization (HR export, teams)
      quarterdeck org tree                 the org tree today, with headcount and spans
      quarterdeck metrics show attrition_rate --by team
    """


cli.add_command(ingest)
cli.add_command(metrics)
cli.add_command(identities)
cli.add_command(org)
cli.add_command(run)
cli.add_command(data_quality)
cli.add_command(serve)
cli.add_command(access)
cli.add_command(waits)
cli.add_command(simulate_command)
cli.add_command(demo)


def main() -> None:
    """Run the command line, turning user-facing errors into one-line messages."""
    install_log_masking()
    try:
        code = cli.main(standalone_mode=False)  # a command's ctx.exit(n) comes back as n
        if isinstance(code, int) and code:
            sys.exit(code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except QuarterdeckError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted; what was stored so far is kept, run again to finish", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
