"""``quarterdeck``: the command line entry point."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from quarterdeck import __version__
from quarterdeck.cli.lazy import LazyGroup
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.core.secrets import install_log_masking


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
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
      quarterdeck money                    the last quarter's cost, budget, burn and runway
    """


#: Every command, imported only when it runs (``--help`` imports none of them).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "access": ("access", "access", "Who may sign in to the dashboard (the access file, docs/dashboard.md)."),
    "data-quality": (
        "data_quality",
        "data_quality",
        "List what was rejected or left out of the delivery metrics, and why.",
    ),
    "decide": (
        "decide",
        "decide",
        "Settle a build-vs-buy question or an initiative's return on investment, as ranges.",
    ),
    "demo": ("demo", "demo", "See Quarterdeck work on a simulated organization, with one command."),
    "hiring": ("hiring", "hiring", "Where hiring is stuck: time to fill, time in stage, conversion, offer acceptance."),
    "identities": ("identities", "identities", "List identities seen in git with the commits they authored."),
    "ingest": ("ingest", "ingest", "Bring data into the warehouse (incremental: only what is new is read)."),
    "ladder": ("ladder", "ladder", "The career ladder, promotion readiness and promotions (docs/ladders.md)."),
    "metrics": ("metrics", "metrics", "Engineering health metrics, each with a written definition and its SQL."),
    "money": ("money", "money", "The quarter's money summary: what engineering costs and what it returns."),
    "org": ("org", "org", "The organization on a date: its tree of teams, and org-design findings."),
    "plan": ("plan", "plan", "Headcount, capacity and cost plans as ranges (P10/P50/P90), from a plan file."),
    "report": ("report", "report", "Documents for others: the board pack, the due-diligence report."),
    "run": ("run", "run", "Ingest git repositories, then print the metric summary."),
    "serve": (
        "serve",
        "serve",
        "Serve the warehouse over HTTP: the dashboard, its JSON under /api/v1/, and the event endpoints "
        "that deployments and incidents are pushed to, as they happen.",
    ),
    "stack": (
        "stack",
        "stack",
        "The tech stack read at HEAD: languages, dependencies, version sprawl, licences, off-standard repositories.",
    ),
    "succession": (
        "succession",
        "succession_command",
        "Key roles, their successors and bench strength on a date.",
    ),
    "sources": (
        "sources",
        "sources",
        "List the sources Quarterdeck can read: built in, and those installed packages add.",
    ),
    "simulate": (
        "simulate",
        "simulate_command",
        "Generate a simulated engineering organization: the files a real one gives Quarterdeck.",
    ),
    "survey": (
        "survey",
        "survey",
        "A developer-experience survey by team or unit: eNPS, Likert items, response rates, themes that moved.",
    ),
    "waits": (
        "waits",
        "waits",
        "Where engineers wait: per team, the working hours its authors spent waiting on review pickup, "
        "review, CI, deployment and blocked issues, biggest first, against the period of the same length "
        "just before.",
    ),
}
for _name, (_module, _attribute, _summary) in COMMANDS.items():
    cli.add_lazy(_name, f"quarterdeck.cli.{_module}", _attribute, _summary)  # type: ignore[attr-defined]


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
