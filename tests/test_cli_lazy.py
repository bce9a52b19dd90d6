"""The command line imports only what the command it runs needs.

Structural checks, not timings (those are in benchmarks/ and docs/performance.md): which
modules a run imports, and how many git processes an unchanged re-ingest starts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from quarterdeck.cli.lazy import LazyGroup
from quarterdeck.cli.main import cli
from tests.conftest import ROOT
from tests.gitrepo import git_logger

#: What a short command must not pay for: the warehouse engine, Arrow, the web stack,
#: terminal rendering, and the parts of Quarterdeck only other commands use.
HEAVY = ("duckdb", "pyarrow", "starlette", "jinja2", "rich", "uvicorn", "yaml", "quarterdeck.simulation")
#: Never needed by ``ingest git``.
NOT_FOR_GIT_INGEST = (
    "starlette",
    "jinja2",
    "uvicorn",
    "quarterdeck.simulation",
    "quarterdeck.web",
    "quarterdeck.metrics",
    "quarterdeck.sources.http",
    "quarterdeck.sources.github.pulls",
    "quarterdeck.sources.org.people_csv",
    "quarterdeck.ingest.org_ingest",
)

_RUN_AND_LIST_MODULES = """
import json, sys
sys.argv = ["quarterdeck", *json.loads(sys.argv[1])]
try:
    from quarterdeck.cli.main import main
    main()
except SystemExit:
    pass
finally:
    sys.stdout.flush()
    sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def modules_imported_by(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> list[str]:
    """Run the CLI with ``args`` in a fresh interpreter and list every module it imported."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("QUARTERDECK_")}
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-c", _RUN_AND_LIST_MODULES, json.dumps(args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=full_env,
        timeout=120,
    )
    marker = proc.stderr.rindex("MODULES ")
    return json.loads(proc.stderr[marker + len("MODULES ") :])


def loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.mark.parametrize("args", [("--help",), ("--version",), ()])
def test_help_imports_no_command_module_and_nothing_heavy(args):
    modules = modules_imported_by(*args)
    assert loaded(modules, HEAVY) == []
    assert [m for m in modules if m.startswith("quarterdeck.cli.")] == ["quarterdeck.cli.lazy", "quarterdeck.cli.main"]


def test_help_lists_every_command_with_its_own_summary():
    """The registry's summaries are the commands' own, so --help reads as if all were loaded."""
    groups: list[LazyGroup] = [cli]
    checked = 0
    while groups:
        group = groups.pop()
        ctx = click.Context(group)
        for name, entry in sorted(group.lazy.items()):
            real = entry.load()
            assert real.name == name
            placeholder = click.Command(name, help=entry.summary)
            for limit in (30, 45, 60, 200):
                assert placeholder.get_short_help_str(limit) == real.get_short_help_str(limit), name
            assert group.get_command(ctx, name) is not None
            checked += 1
            if isinstance(real, LazyGroup):
                groups.append(real)
    assert checked >= 25  # every top-level command and every ingest source


def test_help_text_is_the_same_as_with_every_command_loaded():
    lazy_text = subprocess.run(
        [
            sys.executable,
            "-c",
            "from quarterdeck.cli.main import cli; cli.main(prog_name='quarterdeck')",
            "ingest",
            "--help",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "100"},
        timeout=60,
    ).stdout
    # the same group with every command loaded first
    script = (
        "import click, sys\n"
        "from quarterdeck.cli.main import cli\n"
        "ingest = cli.get_command(click.Context(cli), 'ingest')\n"
        "for n in ingest.list_commands(None): ingest.get_command(None, n)\n"
        "assert not set(ingest.lazy) - set(ingest.commands)\n"
        "cli.main(['ingest', '--help'], prog_name='quarterdeck')\n"
    )
    loaded_text = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "100"},
        timeout=60,
    ).stdout
    assert "github" in lazy_text and "deployments" in lazy_text
    assert lazy_text == loaded_text


def test_an_unknown_command_is_still_reported_by_name():
    proc = subprocess.run(
        [sys.executable, "-m", "quarterdeck", "ingest", "gitt"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert "No such command 'gitt'" in proc.stderr


def test_unchanged_reingest_imports_only_the_git_path_and_starts_few_git_processes(make_repo, db_path, tmp_path):
    repo = make_repo("project")
    repo.write("a.txt", "one\n")
    repo.commit("first", when="2026-01-05T10:00:00+00:00")
    repo.write("b.txt", "two\n")
    repo.commit("second", when="2026-01-06T10:00:00+00:00")
    args = ("--db", str(db_path), "ingest", "git", str(repo.path), "--format", "json")
    first = subprocess.run([sys.executable, "-m", "quarterdeck", *args], capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr

    env, log = git_logger(tmp_path)
    modules = modules_imported_by(*args, env=env)

    assert loaded(modules, NOT_FOR_GIT_INGEST) == []
    calls = log.read_text().splitlines()
    # the user's safe.directory entries once; then refs, settings, HEAD and its branch,
    # and HEAD again from the read of the files at HEAD, which runs beside the plan
    assert sum("safe.directory" in call for call in calls) == 1, calls
    assert len(calls) <= 6, calls
