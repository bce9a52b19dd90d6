"""Bad input never shows a traceback: deeply nested JSON and YAML, YAML alias bombs, huge
and extra CSV fields, UTF-16 and binary CODEOWNERS, JSON arrays of numbers, unknown teams
and units in the targets and access files, a mistyped ``--db`` for serve.

Each case runs the real command line on a copy of one warehouse (the small organization of
tests/org_small.py plus two deployments) and checks the exit status, the file, line and
field the message names, that no traceback is printed, and that every table holds what it
held before.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT, run_quarterdeck
from tests.org_small import FIRST, build_small_org, first_people
from tests.orgdata import people_csv, write
from tests.test_events_api import DEPLOYMENT, TOKEN, Server
from tests.warehouse_rows import DATA_TABLES, query, query_each

DEPLOY_HEADER = "id,service,environment,commit_sha,started_at,finished_at,result"
SHA = "3f1c2b8a9d0e4f5a6b7c8d9e0f1a2b3c4d5e6f70"
DEPLOY_ROWS = [
    f"d-1,checkout-api,production,{SHA},2025-07-01T10:00:00Z,2025-07-01T10:05:00Z,success",
    f"d-2,search-api,production,{SHA},2025-07-02T10:00:00Z,2025-07-02T10:05:00Z,success",
]
DIGEST_A = "a" * 64
DIGEST_B = "b" * 64


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small organization's two snapshots, CODEOWNERS, and two deployments."""
    folder = tmp_path_factory.mktemp("bad-input")
    db = build_small_org(folder)
    deploys = write(folder, "deploys.csv", "\n".join([DEPLOY_HEADER, *DEPLOY_ROWS]) + "\n")
    done = run_quarterdeck("--db", str(db), "ingest", "deployments", str(deploys))
    assert done.returncode == 0, done.stderr
    return db


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    """A copy of the built warehouse, for one test to fail on."""
    copy = tmp_path / "org.duckdb"
    shutil.copy(built, copy)
    return copy


def tables(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every data table's rows, in a fixed order."""
    return query_each(db, {table: f"SELECT * FROM {table} ORDER BY ALL" for table in DATA_TABLES})


def fails_cleanly(db: Path, *args: str, code: int, says: list[str], cwd: Path | None = None) -> str:
    """Run ``quarterdeck --db DB ARGS``; it must exit with ``code``, print every part of
    ``says``, no traceback, and leave every table as it was. Returns what it printed."""
    before = tables(db)
    done = run_quarterdeck("--db", str(db), *args, cwd=cwd)
    output = done.stdout + done.stderr
    assert done.returncode == code, output
    assert "Traceback" not in output
    for part in says:
        assert part in output, output
    assert tables(db) == before
    return output


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# -- deeply nested JSON and YAML ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["deployments", "incidents"])
def test_deeply_nested_json_files_are_refused_naming_the_line(db: Path, tmp_path: Path, kind: str) -> None:
    path = write(tmp_path, f"{kind}.json", '[\n{"id": "x",\n "service": ' + nested(100_000) + "}]\n")
    fails_cleanly(
        db,
        "ingest",
        kind,
        str(path),
        code=1,
        says=[f"{kind}.json:3: nested deeper than 64 levels", "nothing was loaded"],
    )


def test_a_json_document_just_within_the_depth_limit_is_read(db: Path, tmp_path: Path) -> None:
    # 64 levels: the array of records, a record, and 62 levels of arrays in one of its fields
    path = write(tmp_path, "deployments.json", '[{"id": "x", "service": ' + nested(62) + "}]")
    done = run_quarterdeck("--db", str(db), "ingest", "deployments", str(path))
    assert "nested deeper" not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def _yaml_case(tmp_path: Path, case: str) -> tuple[list[str], str]:
    """The command and the file of one deeply nested YAML input."""
    deep = nested(5_000)
    if case == "targets":
        path = write(tmp_path, "targets.yaml", f"targets:\n  - metric: deployment_frequency\n    scope: {deep}\n")
        return ["serve", "--targets", str(path)], "targets.yaml:3: nested deeper than 64 levels"
    if case == "access":
        path = write(tmp_path, "access.yaml", f"people:\n  - {deep}\n")
        return ["serve", "--access", str(path)], "access.yaml:2: nested deeper than 64 levels"
    if case == "project":
        path = write(tmp_path, "quarterdeck.yaml", f"sources:\n  - type: github\n    repositories: {deep}\n")
        return ["ingest", "all", "--project-file", str(path)], "quarterdeck.yaml:3: nested deeper than 64 levels"
    if case == "org":
        path = write(tmp_path, "org.yaml", f"teams:\n  - id: x\n    members: {deep}\n")
        return ["ingest", "org", str(path)], "org.yaml:3: nested deeper than 64 levels"
    path = write(tmp_path, "slos.yaml", f"kind: SLO\nspec:\n  objectives: {deep}\n")
    return ["ingest", "slos", str(path)], "slos.yaml:3: nested deeper than 64 levels"


@pytest.mark.parametrize(("case", "code"), [("targets", 2), ("access", 2), ("project", 2), ("org", 1), ("slos", 1)])
def test_deeply_nested_yaml_is_refused_naming_the_file_and_line(db: Path, tmp_path: Path, case: str, code: int) -> None:
    args, says = _yaml_case(tmp_path, case)
    fails_cleanly(db, *args, code=code, says=[says])


def test_the_event_endpoints_answer_400_to_deeply_nested_json(db: Path, tmp_path: Path) -> None:
    server = Server(db, tmp_path, TOKEN)
    try:
        url = f"http://127.0.0.1:{server.port}/api/v1/events"
        headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
        for kind in ("deployments", "incidents"):
            body = '{"id": "x",\n"service": ' + nested(100_000) + "}"
            response = httpx.post(f"{url}/{kind}", content=body, headers=headers, timeout=60)
            assert response.status_code == 400, response.text
            assert (
                response.json()["error"] == "invalid JSON at line 2: nested deeper than 64 levels (arrays and objects)"
            )
        fine = httpx.post(
            f"{url}/deployments",
            json={**DEPLOYMENT, "id": "d-3", "service": "checkout-api"},
            headers=headers,
            timeout=60,
        )
        assert fine.status_code == 200  # the server is still serving
    finally:
        output = server.stop()
    assert "Traceback" not in output
    ids = [r[0] for r in query(db, "SELECT deployment_id FROM deployments ORDER BY 1")]
    assert ids == ["d-1", "d-2", "d-3"]


# -- YAML alias bombs ------------------------------------------------------------------------


def billion_laughs(first_key: str) -> str:
    """Nine levels of nine aliases: 9**9 (387 million) strings when written out."""
    lines = [f'{first_key}: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\n"


def run_bounded(args: list[str], limit_bytes: int = 2 * 1024**3) -> tuple[subprocess.CompletedProcess[str], int]:
    """The command line in a wrapper that caps its address space and reports its peak
    memory (kB)."""
    script = (
        "import resource, subprocess, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({limit_bytes}, {limit_bytes}))\n"
        "done = subprocess.run([sys.executable, '-m', 'quarterdeck', *sys.argv[1:]], capture_output=True, text=True)\n"
        "sys.stdout.write(done.stdout); sys.stderr.write(done.stderr)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(done.returncode)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    *rest, peak = done.stderr.rstrip().rsplit("\n", 1)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout, "".join(rest)), int(peak)


@pytest.mark.parametrize("case", ["org", "access"])
def test_a_yaml_alias_bomb_is_refused_quickly_in_bounded_memory(db: Path, tmp_path: Path, case: str) -> None:
    if case == "org":
        path = write(tmp_path, "org.yaml", billion_laughs("lol") + "teams:\n  - id: x\n    members: *i\n")
        args, code = ["ingest", "org", str(path)], 1
    else:
        entry = f"people:\n  - {{name: Lee, role: leader, unit: *i, token_sha256: {DIGEST_A}}}\n"
        path = write(tmp_path, "access.yaml", billion_laughs("lol") + entry)
        args, code = ["serve", "--access", str(path)], 2
    before = tables(db)
    started = time.monotonic()
    done, peak_kb = run_bounded(["--db", str(db), *args])
    seconds = time.monotonic() - started
    assert done.returncode == code, done.stderr
    assert f"{path.name}:6: aliases stand for more than 100,000 values (the limit)" in done.stderr
    assert "Traceback" not in done.stderr
    assert seconds < 20
    assert peak_kb < 400 * 1024, f"peak memory {peak_kb} kB"
    assert tables(db) == before


# -- CSV ---------------------------------------------------------------------------------------


def test_a_csv_field_over_128_kib_is_refused_naming_line_and_field(db: Path, tmp_path: Path) -> None:
    huge = "x" * (200 * 1024)
    row = f"d-9,checkout-api,production,{SHA},2025-07-03T10:00:00Z,2025-07-03T10:05:00Z,{huge}"
    path = write(tmp_path, "deploys.csv", "\n".join([DEPLOY_HEADER, DEPLOY_ROWS[0], row]) + "\n")
    fails_cleanly(
        db,
        "ingest",
        "deployments",
        str(path),
        code=1,
        says=["deploys.csv:3: field result: 204,800 characters, over the limit of 131,072 (128 KiB)"],
    )


def test_the_csv_field_limit_counts_characters_not_bytes(db: Path, tmp_path: Path) -> None:
    wide = "é" * 100_000  # 200,000 bytes of UTF-8, 100,000 characters: within the limit
    row = f"d-9,checkout-api,production,{SHA},2025-07-03T10:00:00Z,2025-07-03T10:05:00Z,success"
    path = write(tmp_path, "deploys.csv", "\n".join([DEPLOY_HEADER + ",repository", row + f",{wide}"]) + "\n")
    done = run_quarterdeck("--db", str(db), "ingest", "deployments", str(path))
    assert done.returncode == 0, done.stderr
    assert query(db, "SELECT length(repository) FROM deployments WHERE deployment_id = 'd-9'") == [(100_000,)]


def test_a_csv_row_with_an_extra_field_names_it(db: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "deploys.csv", "\n".join([DEPLOY_HEADER, DEPLOY_ROWS[0], DEPLOY_ROWS[1] + ",blue"]) + "\n")
    output = fails_cleanly(
        db,
        "ingest",
        "deployments",
        str(path),
        code=1,
        says=["deploys.csv:3: field 8: an extra field 'blue': the header has 7 columns"],
    )
    assert "CSV Error on Line" not in output


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ("extra", "people-2025-06-30.csv:3: field 17: an extra field 'surplus': the header has 16 columns"),
        ("huge", "people-2025-06-30.csv:3: field name: 204,800 characters, over the limit of 131,072"),
    ],
)
def test_people_csv_rows_that_do_not_fit_the_header_are_refused(
    db: Path, tmp_path: Path, change: str, says: str
) -> None:
    rows = first_people()
    pid, _name, rest = rows[1].split(",", 2)
    rows[1] = rows[1] + ",surplus" if change == "extra" else f"{pid},{'N' * 200 * 1024},{rest}"
    path = people_csv(tmp_path, f"people-{FIRST}.csv", *rows)
    fails_cleanly(db, "ingest", "org", str(path), "--as-of", FIRST, code=1, says=[says])


def test_an_identity_mapping_row_without_a_person_is_reported_not_skipped(db: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "identities.csv", "identity,person_id\nada@example.com,P01\nghost@example.com,\n")
    fails_cleanly(db, "ingest", "org", str(path), code=1, says=["identities.csv:3: field person_id: missing"])


# -- CODEOWNERS ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("* @acme/checkout\n".encode("utf-16"), "CODEOWNERS:1: UTF-16 text"),
        ("* @acme/checkout\n".encode("utf-16-le"), "CODEOWNERS:1: a NUL byte"),
        (
            b"* @acme/checkout\n/img/ @acme/design\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "CODEOWNERS:3: byte 0x89 is not UTF-8",
        ),
    ],
    ids=["utf-16", "utf-16-without-bom", "binary"],
)
def test_utf16_and_binary_codeowners_are_refused(db: Path, tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "CODEOWNERS"
    path.write_bytes(content)
    fails_cleanly(db, "ingest", "org", str(path), "--repo", "shop", code=1, says=[says, "expected UTF-8"])


# -- JSON arrays of non-objects ------------------------------------------------------------------


def test_a_json_array_of_numbers_is_refused_naming_the_record(db: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "deploys.json", "[\n  1,\n  2,\n  3\n]\n")
    fails_cleanly(
        db,
        "ingest",
        "deployments",
        str(path),
        code=1,
        says=["deploys.json:2: record 1: expected a JSON object (a record with named fields), not the number 1"],
    )


def test_a_wrapped_array_names_the_line_of_its_first_non_object(db: Path, tmp_path: Path) -> None:
    record = '{"id": "d-1", "service": "checkout-api"}'
    path = write(tmp_path, "deploys.json", f'{{"deployments": [\n  {record},\n  "d-2"\n]}}\n')
    fails_cleanly(db, "ingest", "deployments", str(path), code=1, says=["deploys.json:3: record 2:", "not a string"])


# -- unknown teams and units in the targets and access files -------------------------------------


def test_a_target_for_a_team_that_does_not_exist_stops_serve(db: Path, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "targets.yaml",
        "targets:\n"
        "  - metric: deployment_frequency\n    scope: org\n    target: 5\n    owner: Dana\n"
        "  - metric: deployment_frequency\n    scope: team:chekout\n    target: 5\n    owner: Dana\n",
    )
    fails_cleanly(
        db,
        "serve",
        "--targets",
        str(path),
        code=2,
        says=["targets.yaml:7: field scope: no team 'chekout' in the organization of the warehouse", "'checkout'?"],
    )


def test_an_access_file_naming_an_unknown_unit_stops_serve(db: Path, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "access.yaml",
        f"people:\n  - name: Dana\n    role: admin\n    token_sha256: {DIGEST_A}\n"
        f"  - name: Lee\n    role: leader\n    unit: payments\n    token_sha256: {DIGEST_B}\n",
    )
    fails_cleanly(
        db,
        "serve",
        "--access",
        str(path),
        code=2,
        says=["access.yaml:7: field unit: no unit 'payments' in the organization of the warehouse"],
    )


def test_known_teams_and_units_are_accepted(db: Path, tmp_path: Path) -> None:
    from tests.dashboard_server import DashboardServer

    targets = write(
        tmp_path,
        "targets.yaml",
        "targets:\n  - {metric: deployment_frequency, scope: unit:product, target: 5, owner: D}\n",
    )
    access = write(
        tmp_path,
        "access.yaml",
        f"people:\n  - {{name: Sam, role: member, team: search, token_sha256: {DIGEST_A}}}\n"
        f"  - {{name: Lee, role: leader, unit: infra, token_sha256: {DIGEST_B}}}\n",
    )
    server = DashboardServer(db, tmp_path, targets=targets, extra=["--access", str(access)])
    assert "Traceback" not in server.stop()


# -- serve --db ----------------------------------------------------------------------------------


def test_serve_with_a_mistyped_db_folder_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    done = run_quarterdeck("--db", "missing-folder/x.duckdb", "serve", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "missing-folder/x.duckdb: there is no folder missing-folder" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []
