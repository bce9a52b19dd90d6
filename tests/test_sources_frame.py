"""The sources' frame: a source another package declares (through the ``quarterdeck.sources``
entry point) gets the same command, project-file checks and pipeline as a built-in one.

The third party's package is written into a temporary folder with its distribution's
metadata, as ``pip install`` would leave it, and put on the path of a real CLI run; its
reader makes builds from its options rather than from a network (the pipeline, the store
and the CLI are the real ones)."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import duckdb

from tests.conftest import ROOT, run_quarterdeck

DECLARATION = """
from quarterdeck.sources.frame import Flag, Option, Resource, Scope, Source, whole_number

SOURCE = Source(
    name="acme-ci",
    kind="api",
    title="Acme CI",
    summary="Ingest builds from Acme CI.",
    reader="acme_ci.reader:read",
    scope=Scope("pipelines", "a pipeline", "a pipeline's name, such as api", lambda v: isinstance(v, str)),
    default_base_url="http://127.0.0.1:9",
    token_env="ACME_TOKEN",
    options=(Option("minutes", 10, "a whole number of minutes, such as 10", whole_number(1)),),
    resources=(Resource("builds", "ci_runs", "the highest build number stored"),),
    flags=(
        Flag("--pipeline", "A pipeline to read (repeatable).", "scope", metavar="NAME", multiple=True, required=True),
        Flag("--minutes", "How long each build runs.", "option:minutes", metavar="N"),
    ),
    examples=("quarterdeck ingest acme-ci --pipeline api",),
)
"""

READER = """
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from quarterdeck.core.errors import CredentialsRefused, SourceError
from quarterdeck.sources.reading import Batch, Delivery, SyncResult, Unit

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@contextmanager
def read(connection):
    minutes = connection.config.options.get("minutes", 10)

    def builds(pipeline, state):
        if pipeline == "broken":
            raise SourceError("Acme CI answered 500 for pipeline broken")
        if pipeline == "refused":
            raise CredentialsRefused("Acme CI refused the token (401)")
        before = int(state.cursor("builds") or 0)
        numbers = [n for n in (1, 2, 3) if n > before]
        result = SyncResult(connection.config.name, pipeline, "builds", read=len(numbers))
        records = []
        for n in numbers:
            started = START + timedelta(hours=n)
            records.append({
                "id": f"acme:{pipeline}:{n}", "repository": pipeline, "workflow": "build", "commit_sha": None,
                "queued_at": (started - timedelta(minutes=1)).isoformat(), "started_at": started.isoformat(),
                "finished_at": (started + timedelta(minutes=minutes)).isoformat(), "result": "success",
            })
        cursor = str(max(numbers)) if numbers else None
        return Batch([result], delivery=[Delivery("ci_runs", records, result)], cursors={"builds": cursor})

    yield [Unit(p, ("builds",), lambda state, p=p: builds(p, state)) for p in connection.config.scopes]
"""


def third_party(tmp_path: Path, name: str = "acme-ci") -> dict[str, str]:
    """A package declaring a source, installed into ``tmp_path``; the environment to find it."""
    package = tmp_path / "site" / "acme_ci"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(DECLARATION.replace('name="acme-ci"', f'name="{name}"'))
    (package / "reader.py").write_text(READER)
    info = tmp_path / "site" / "acme_ci-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-ci\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[quarterdeck.sources]\n{name} = acme_ci:SOURCE\n")
    return {"PYTHONPATH": os.pathsep.join([str(tmp_path / "site"), os.environ.get("PYTHONPATH", "")])}


def test_a_source_of_another_package_gets_a_command_with_its_flags_and_examples(tmp_path: Path) -> None:
    env = third_party(tmp_path)
    listing = run_quarterdeck("ingest", "--help", env=env)
    assert listing.returncode == 0, listing.stderr
    assert "acme-ci" in listing.stdout and "Ingest builds from Acme CI." in listing.stdout
    command = run_quarterdeck("ingest", "acme-ci", "--help", env=env)
    assert command.returncode == 0, command.stderr
    for text in ("--pipeline NAME", "--minutes N", "--since", "--db", "quarterdeck ingest acme-ci --pipeline api"):
        assert text in command.stdout


def test_its_units_run_through_the_pipeline_and_one_that_fails_fails_alone(tmp_path: Path) -> None:
    env, db = third_party(tmp_path), str(tmp_path / "w.duckdb")
    first = run_quarterdeck(
        "ingest", "acme-ci", "--pipeline", "broken", "--pipeline", "api", "--minutes", "12",
        "--db", db, "--format", "json", env=env,
    )  # fmt: skip
    assert first.returncode == 1, first.stderr
    assert "acme-ci broken builds: Acme CI answered 500 for pipeline broken" in first.stderr
    rows = {(r["scope"], r["resource"]): r for r in json.loads(first.stdout)}
    assert rows["broken", "builds"]["failed"] is True and rows["broken", "builds"]["stored"] == 0
    assert (rows["api", "builds"]["read"], rows["api", "builds"]["stored"], rows["api", "builds"]["cursor"]) == (
        3,
        3,
        "3",
    )
    with duckdb.connect(db, read_only=True) as con:
        stored = con.execute(
            "SELECT run_id, epoch(finished_at - started_at) / 60, epoch(started_at - queued_at) / 60 "
            "FROM ci_runs ORDER BY run_id"
        ).fetchall()
        cursors = con.execute("SELECT scope, cursor FROM source_cursors WHERE source = 'acme-ci'").fetchall()
    assert stored == [("acme:api:1", 12.0, 1.0), ("acme:api:2", 12.0, 1.0), ("acme:api:3", 12.0, 1.0)]
    assert cursors == [("api", "3")]
    again = run_quarterdeck("ingest", "acme-ci", "--pipeline", "api", "--db", db, "--format", "json", env=env)
    assert again.returncode == 0, again.stderr
    assert [(r["read"], r["stored"], r["cursor"]) for r in json.loads(again.stdout)] == [(0, 0, "3")]


def test_refused_credentials_stop_the_source(tmp_path: Path) -> None:
    env, db = third_party(tmp_path), str(tmp_path / "w.duckdb")
    result = run_quarterdeck("ingest", "acme-ci", "--pipeline", "refused", "--pipeline", "api", "--db", db, env=env)
    assert result.returncode == 1 and "refused the token (401)" in result.stderr
    assert "Traceback" not in result.stderr
    with duckdb.connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM ci_runs").fetchall() == [(0,)]


def test_the_project_file_is_checked_against_its_declaration(tmp_path: Path) -> None:
    env, db = third_party(tmp_path), str(tmp_path / "w.duckdb")
    project = tmp_path / "quarterdeck.yaml"
    project.write_text("sources:\n  - type: acme-ci\n    pipelines: [api]\n    minutes: many\n")
    bad = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", db, env=env)
    assert bad.returncode == 2
    assert "source 1 (acme-ci): 'minutes' must be a whole number of minutes, such as 10" in bad.stderr
    project.write_text("sources:\n  - type: acme-ci\n    pipelines: [api]\n    minute: 5\n")
    unknown = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", db, env=env)
    assert "unknown option 'minute' for a acme-ci source (known: minutes)" in unknown.stderr
    project.write_text("sources:\n  - type: acme-ci\n    pipelines: [api]\n    minutes: 7\n")
    good = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", db, "--format", "json", env=env)
    assert good.returncode == 0, good.stderr
    with duckdb.connect(db, read_only=True) as con:
        assert con.execute("SELECT DISTINCT epoch(finished_at - started_at) / 60 FROM ci_runs").fetchall() == [(7.0,)]
    project.write_text("sources:\n  - type: svn\n")
    listed = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", db, env=env)
    assert (
        "'type' must be one of github, gitlab, jira, jenkins, circleci, pagerduty, opsgenie, prometheus, bitbucket"
        in listed.stderr
    )
    assert "acme-ci, not 'svn'" in listed.stderr


def test_a_package_cannot_replace_a_built_in_source(tmp_path: Path) -> None:
    env = third_party(tmp_path, name="github")
    result = run_quarterdeck("ingest", "--help", env=env)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "entry point 'github' (acme_ci:SOURCE): a source named 'github' exists already (built in)" in result.stderr


def test_quarterdeck_sources_lists_the_built_in_and_the_installed_ones(tmp_path: Path) -> None:
    result = run_quarterdeck("sources", "--format", "json", env=third_party(tmp_path))
    assert result.returncode == 0, result.stderr
    rows = {row["type"]: row for row in json.loads(result.stdout)}
    assert list(rows)[:4] == ["git", "org", "deployments", "incidents"]
    assert (rows["git"]["kind"], rows["org"]["kind"], rows["github"]["kind"]) == ("repository", "file", "api")
    assert (rows["jenkins"]["scope"], rows["jenkins"]["token"], rows["jenkins"]["tables"]) == (
        "jobs", "JENKINS_TOKEN", "ci_jobs, ci_runs",
    )  # fmt: skip
    acme = rows["acme-ci"]
    assert (acme["origin"], acme["options"], acme["tables"]) == (
        "entry point 'acme-ci' (acme_ci:SOURCE)",
        "minutes",
        "ci_runs",
    )


def test_the_sources_table_of_the_docs_is_the_one_the_declarations_make() -> None:
    spec = importlib.util.spec_from_file_location("sources_table", ROOT / "scripts" / "sources_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.DOC.read_text(encoding="utf-8")
    assert module.rewritten(text) == text, "run: python scripts/sources_table.py"


FILE_SOURCE = """
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from quarterdeck.core.errors import SourceError
from quarterdeck.sources.frame import Scope, Source
from quarterdeck.sources.reading import Batch, Delivery, RecordProblem, SyncResult, Unit

SOURCE = Source(
    name="acme-builds",
    kind="file",
    summary="Import builds from Acme's CSV export.",
    reader="acme_builds:read",
    scope=Scope("files", "a file", "a path such as builds.csv", lambda v: isinstance(v, str)),
    examples=("quarterdeck ingest acme-builds builds.csv",),
)


@contextmanager
def read(connection):
    def builds(path, state):
        try:
            lines = Path(path).read_text().splitlines()
        except OSError as exc:
            raise SourceError(f"{path}: cannot be read ({exc.strerror})") from None
        result = SyncResult(connection.config.name, Path(path).name, "builds", read=len(lines) - 1)
        records, problems = [], []
        for number, line in enumerate(lines[1:], start=2):
            run_id, started, minutes = line.split(",")
            try:
                start = datetime.fromisoformat(started)
                end = start + timedelta(minutes=int(minutes))
            except ValueError as exc:
                where = f"{path}:{number}"
                problems.append(RecordProblem(connection.config.name, Path(path).name, "builds", where, str(exc)))
                continue
            records.append({"id": run_id, "repository": "app", "workflow": "build", "commit_sha": None,
                            "queued_at": None, "started_at": start.isoformat(), "finished_at": end.isoformat(),
                            "result": "success"})
        result.problems += problems
        return Batch([result], delivery=[Delivery("ci_runs", records, result)], problems={"builds": problems})

    yield [Unit(Path(p).name, ("builds",), lambda state, p=p: builds(p, state)) for p in connection.config.scopes]
"""


def test_a_file_source_reads_the_files_given_and_names_the_line_of_a_bad_record(tmp_path: Path) -> None:
    env = third_party(tmp_path)
    (tmp_path / "site" / "acme_builds.py").write_text(FILE_SOURCE)
    info = tmp_path / "site" / "acme_ci-1.0.dist-info" / "entry_points.txt"
    info.write_text(info.read_text() + "acme-builds = acme_builds:SOURCE\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "builds.csv").write_text(
        "id,started,minutes\nb1,2026-03-02T09:00:00+00:00,5\nb2,yesterday,5\nb3,2026-03-02T10:00:00+00:00,9\n"
    )
    db = str(tmp_path / "w.duckdb")
    helped = run_quarterdeck("ingest", "acme-builds", "--help", env=env)
    assert "ingest acme-builds [OPTIONS] PATHS..." in helped.stdout and "--since" not in helped.stdout
    project = tmp_path / "quarterdeck.yaml"
    project.write_text("sources:\n  - type: acme-builds\n    files: [data/builds.csv]\n")
    result = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", db, "--format", "json", env=env)
    assert result.returncode == 3, result.stderr
    assert (
        f"skipped: acme-builds builds.csv builds {tmp_path / 'data' / 'builds.csv'}:3: Invalid isoformat"
        in result.stderr
    )
    assert "not set" not in result.stderr  # a file source has no token
    assert [(r["read"], r["stored"], r["problems"]) for r in json.loads(result.stdout)] == [(3, 2, 1)]
    with duckdb.connect(db, read_only=True) as con:
        assert con.execute("SELECT run_id FROM ci_runs ORDER BY 1").fetchall() == [("b1",), ("b3",)]
        assert con.execute("SELECT record_id FROM source_problems").fetchall() == [(f"{tmp_path}/data/builds.csv:3",)]
    missing = run_quarterdeck("ingest", "acme-builds", str(tmp_path / "nope.csv"), "--db", db, env=env)
    assert missing.returncode == 1 and "nope.csv: cannot be read (No such file or directory)" in missing.stderr


def test_a_source_with_a_command_of_its_own_is_named_when_listed_in_the_project_file(tmp_path: Path) -> None:
    project = tmp_path / "quarterdeck.yaml"
    project.write_text("sources:\n  - type: git\n")
    result = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", str(tmp_path / "w.duckdb"))
    assert result.returncode == 2
    assert "source 1: git is read with `quarterdeck ingest git ...`, not from the project file" in result.stderr
