"""Options every command shares (--db, --config) and turning them into settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from quarterdeck.config import Settings, load_settings
from quarterdeck.store import Warehouse, open_warehouse

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "json", "csv")


def db_options(fn: F) -> F:
    """Add --db and --config to a command (they may also be given before the command)."""
    fn = click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Project config file (default: ./quarterdeck.toml if present; env QUARTERDECK_CONFIG).",
    )(fn)
    fn = click.option(
        "--db",
        type=click.Path(path_type=Path),
        help="Warehouse file (default: ./quarterdeck.duckdb; env QUARTERDECK_DB).",
    )(fn)
    return fn


def format_option(fn: F) -> F:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="table for people, json or csv for scripts.",
    )(fn)


def resolve_settings(db: Path | None, config_file: Path | None, **flags: Any) -> Settings:
    """Settings from this command's flags, falling back to the flags given before the command."""
    root = click.get_current_context().find_root().params
    return load_settings(
        cli={"db": db or root.get("db"), **flags},
        config_path=config_file or root.get("config_file"),
    )


def open_for_reading(settings: Settings) -> Warehouse:
    return open_warehouse(settings.db, read_only=True)


def open_for_writing(settings: Settings) -> Warehouse:
    return open_warehouse(settings.db)
