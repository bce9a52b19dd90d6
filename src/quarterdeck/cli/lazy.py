"""Command groups whose commands are imported only when they run.

A command's module pulls in what it needs (DuckDB, Arrow, Starlette, Jinja2, Rich, the
simulator...), which takes longer than the command itself when the command is quick: an
unchanged ``ingest git`` or ``--help``. So a group lists its commands by name, with the
one-line summary its help shows, and imports a command's module only when that command
is asked for. ``tests/test_cli_lazy.py`` checks each summary against the command's own.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import click


@dataclass(frozen=True)
class LazyCommand:
    """Where a command lives: ``module.attribute``, called with ``args`` when they are given."""

    module: str
    attribute: str
    summary: str  # the first paragraph of the command's help, as ``--help`` of the group shows it
    args: tuple[Any, ...] = ()

    def load(self) -> click.Command:
        found = getattr(importlib.import_module(self.module), self.attribute)
        return found(*self.args) if self.args else found


class LazyGroup(click.Group):
    """A :class:`click.Group` whose commands can be registered by import path."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, LazyCommand] = {}

    def add_lazy(self, name: str, module: str, attribute: str, summary: str, *args: Any) -> None:
        self.lazy[name] = LazyCommand(module, attribute, summary, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.commands[cmd_name] = self.lazy[cmd_name].load()
        return super().get_command(ctx, cmd_name)

    def help_entry(self, name: str) -> click.Command:
        """The command as the group's help lists it, without importing it if not loaded yet."""
        if name in self.commands:
            return self.commands[name]
        return click.Command(name, help=self.lazy[name].summary)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Click's own listing, with summaries from the registry for commands not loaded."""
        commands = [(name, self.help_entry(name)) for name in self.list_commands(ctx)]
        commands = [(name, cmd) for name, cmd in commands if not cmd.hidden]
        if not commands:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in commands)
        with formatter.section("Commands"):
            formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in commands])
