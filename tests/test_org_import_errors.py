"""Bad organization input: every error names the file, the line and the field; the import is
all or nothing (every table as it was, also when the import is killed half-way); with
--skip-invalid the valid rows are imported and the others reported."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from quarterdeck.core.errors import ConfigError
from quarterdeck.ingest.org_ingest import OrgImportError
from quarterdeck.sources.org.people_csv import load_mapping
from tests.conftest import ROOT, run_quarterdeck
from tests.orgdata import ORG_DATA, import_files, people_csv, people_files, rows, table_rows, write

BAD = ORG_DATA / "bad"
FEB = date(2024, 2, 29)
#: bad/README.md: file -> (line, field, what the message must say)
ERRORS = {
    "duplicate-id.csv": (7, "id", "duplicate id 'E00004' in the snapshot of {day} (first at {path}:5)"),
    "unknown-manager.csv": (5, "manager_id", "unknown manager id 'E00042'"),
    "manager-cycle.csv": (6, "manager_id", "cycle in the manager chain: E00005 (line 6) -> E00002 (line 3) -> E00005"),
    "unparsable-date.csv": (4, "start_date", "'15/03/2020' is not a date (YYYY-MM-DD)"),
    "impossible-date.csv": (6, "start_date", "'2019-02-30' is not a date (YYYY-MM-DD)"),
    "end-before-start.csv": (7, "end_date", "2020-01-19 is before start_date 2021-04-12"),
    "team-not-defined.csv": (5, "team", "team 'paymnets' is not defined by the org file or catalog in force on {day}"),
    "cost-not-a-number.csv": (4, "annual_cost", "'96k' is not a number"),
    "bad-regretted.csv": (7, "regretted", "'maybe' is not yes or no"),
}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse holding a valid snapshot of the same date as the bad files (the bad
    files with their errors fixed), which a bad import would replace if it got through."""
    folder = tmp_path_factory.mktemp("baseline")
    text = (BAD / "unknown-manager.csv").read_text().replace(",E00042,", ",E00002,")
    db = folder / "w.duckdb"
    import_files(db, [write(folder, "people.csv", text), BAD / "org.yaml"], as_of=date(2024, 1, 31))
    return db


@pytest.fixture
def warehouse(baseline: Path, tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    shutil.copy(baseline, db)
    return db


def ingest_org(db: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return run_quarterdeck("--db", str(db), "ingest", "org", *map(str, args))


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_each_bad_file_alone(warehouse: Path, name: str) -> None:
    """Each file of bad/ with bad/org.yaml: exactly the error bad/README.md states."""
    before = table_rows(warehouse)
    path = BAD / name
    with pytest.raises(OrgImportError) as caught:
        import_files(warehouse, [path, BAD / "org.yaml"], as_of=date(2024, 1, 31))
    line, field, what = ERRORS[name]
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.field) == (str(path), line, field)
    assert problem.message.startswith(what.format(path=path, day="2024-01-31")), problem.message
    assert table_rows(warehouse) == before


def test_all_bad_files_in_one_import(warehouse: Path, tmp_path: Path) -> None:
    """The nine files at once (dated 2024-01-01 to 2024-01-09 by their names, so that their
    ids do not clash): the command fails listing all nine errors, and stores nothing."""
    before = table_rows(warehouse)
    copies = {}
    for day, name in enumerate(sorted(ERRORS), start=1):
        copies[name] = tmp_path / f"{Path(name).stem}-2024-01-{day:02d}.csv"
        shutil.copy(BAD / name, copies[name])
    result = ingest_org(warehouse, *copies.values(), BAD / "org.yaml")
    assert result.returncode == 1
    reported = [line.removeprefix("error: ") for line in result.stderr.splitlines() if ": field " in line]
    assert len(reported) == len(ERRORS)
    for text, name in zip(reported, sorted(ERRORS), strict=True):
        line, field, what = ERRORS[name]
        day = copies[name].stem[-10:]
        assert text.startswith(f"{copies[name]}:{line}: field {field}: {what.format(path=copies[name], day=day)}")
    assert "nothing was imported: 9 problems;" in result.stderr
    assert table_rows(warehouse) == before


def test_several_errors_are_all_listed(warehouse: Path, tmp_path: Path) -> None:
    before = table_rows(warehouse)
    one = people_csv(
        tmp_path,
        "one.csv",
        "A1,Ann,,,,,,,engineering,,,2020-01-06,,,,",
        "A2,Ben,,,,,,A9,payments,,,2020-13-01,,12 000,,",  # three problems on one line
        "A3,,,,,,,A1,payments,,,,,,,",  # no name
    )
    two = people_csv(tmp_path, "two.csv", "B1,Bea,,,,,,,checkout,,,,,,perhaps,")
    result = ingest_org(warehouse, one, two, BAD / "org.yaml", "--as-of", "2024-01-31")
    assert result.returncode == 1
    problems = [line for line in result.stderr.splitlines() if ": field " in line]
    assert [p.removeprefix("error: ") for p in problems] == [
        f"{one}:3: field annual_cost: '12 000' is not a number",
        f"{one}:3: field manager_id: unknown manager id 'A9' (no person with that id in the snapshot of 2024-01-31)",
        f"{one}:3: field start_date: '2020-13-01' is not a date (YYYY-MM-DD)",
        f"{one}:4: field name: missing: every row needs an id and a name",
        f"{two}:2: field regretted: 'perhaps' is not yes or no",
    ]
    assert "nothing was imported: 5 problems;" in result.stderr
    assert table_rows(warehouse) == before


def test_skip_invalid_imports_the_valid_rows(warehouse: Path, tmp_path: Path) -> None:
    """E00002's row is bad (end before start): skipped; E00003 and E00004 report to E00002,
    so they are kept without a manager; the other rows are imported."""
    lines = (BAD / "end-before-start.csv").read_text().splitlines(keepends=True)
    assert lines[2].startswith("E00002,") and ",2018-09-17,,88400," in lines[2]
    lines[2] = lines[2].replace(",2018-09-17,,88400,", ",2018-09-17,2017-01-01,88400,")
    text = "".join(lines)
    path = write(tmp_path, "people.csv", text)
    result = ingest_org(warehouse, path, BAD / "org.yaml", "--as-of", "2024-02-29", "--skip-invalid", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"skipped: {path}:3: field end_date: 2017-01-01 is before start_date 2018-09-17",
        f"skipped: {path}:7: field end_date: 2020-01-19 is before start_date 2021-04-12",
        f"note: {path}:4: field manager_id: manager (row skipped) 'E00002' (no person with that id in the snapshot "
        "of 2024-02-29); kept without a manager",
        f"note: {path}:5: field manager_id: manager (row skipped) 'E00002' (no person with that id in the snapshot "
        "of 2024-02-29); kept without a manager",
    ]
    got = rows(
        warehouse, "SELECT person_id, manager_id, line FROM people_snapshots WHERE as_of = '2024-02-29' ORDER BY 1"
    )
    assert got == [("E00001", None, 2), ("E00003", None, 4), ("E00004", None, 5), ("E00005", "E00001", 6)]
    assert rows(warehouse, "SELECT kind, rows, skipped FROM org_imports WHERE as_of = ? ORDER BY 1", [FEB]) == [
        ("org", 3, 0),
        ("people", 4, 2),
    ]


# -- files that cannot be read ------------------------------------------------------------------


def test_files_that_are_not_organization_files(warehouse: Path, tmp_path: Path) -> None:
    """Four files that are no organization file, in one import: each is named with what is wrong."""
    before = table_rows(warehouse)
    picture = tmp_path / "logo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    cases = {
        write(tmp_path, "data.json", '{"people": []}\n'): ":1: not a people CSV: the header lacks column(s) id, name",
        write(tmp_path, "notes.yaml", "title: notes\n"): ": a YAML file with neither 'teams:' (org file) nor Backstage",
        write(tmp_path, "broken.yaml", "teams:\n  - id: a\n    name: [unclosed\n"): ":4: not valid YAML",
        picture: ": not a text file: expected a CSV or YAML file",
    }
    result = ingest_org(warehouse, *cases, "--as-of", "2024-01-31")
    assert result.returncode == 1
    reported = [line.removeprefix("error: ") for line in result.stderr.splitlines()[:4]]
    assert len(reported) == 4
    for text, (path, message) in zip(reported, cases.items(), strict=True):
        assert text.startswith(f"{path}{message}"), text
    assert "nothing was imported: 4 problems;" in result.stderr
    assert table_rows(warehouse) == before


def test_usage_errors(warehouse: Path, tmp_path: Path) -> None:
    result = ingest_org(warehouse, BAD / "org.yaml", "--kind", "roster")
    assert result.returncode == 2
    assert "Invalid value for '--kind': 'roster' is not one of 'people', 'org', 'backstage'" in result.stderr
    result = ingest_org(warehouse, tmp_path / "missing.csv")
    assert result.returncode == 2
    assert f"File '{tmp_path / 'missing.csv'}' does not exist" in result.stderr


def test_mapping_naming_a_column_the_file_lacks(warehouse: Path, tmp_path: Path) -> None:
    before = table_rows(warehouse)
    export = write(tmp_path, "export.csv", "Emp No,Worker,Hire Date\nA1,Ann,01/06/2020\n")
    mapping = write(tmp_path, "map.yaml", "columns:\n  Emp No: id\n  Worker: name\n  Hire Dt: start_date\n")
    result = ingest_org(warehouse, export, "--mapping", mapping, "--as-of", "2024-01-31")
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"error: {export}:1: field start_date: the column mapping {mapping} names column 'Hire Dt', "
        "which the header lacks (has: Emp No, Worker, Hire Date)"
    ), result.stderr
    unknown = write(tmp_path, "map2.yaml", "columns:\n  Emp No: employee_id\n")
    with pytest.raises(ConfigError) as caught:
        load_mapping(unknown)
    assert str(caught.value).startswith(f"{unknown}: unknown Quarterdeck column(s) employee_id; known: id, name,")
    assert table_rows(warehouse) == before


def test_a_failed_first_import_leaves_no_warehouse(tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    result = ingest_org(db, BAD / "duplicate-id.csv", BAD / "org.yaml", "--as-of", "2024-01-31")
    assert result.returncode == 1
    assert not db.exists() and not Path(f"{db}.wal").exists()


def test_a_cost_too_large_is_an_error_not_a_crash(warehouse: Path, tmp_path: Path) -> None:
    path = people_csv(tmp_path, "people.csv", "A1,Ann,,,,,,,engineering,,,,,99999999999999999,,")
    result = ingest_org(warehouse, path, BAD / "org.yaml", "--as-of", "2024-01-31")
    assert result.returncode == 1
    expected = f"error: {path}:2: field annual_cost: '99999999999999999' is too large (at most 999,999,999,999.99)"
    assert result.stderr.startswith(expected), result.stderr


# -- all or nothing, also when killed ----------------------------------------------------------------


def test_an_import_killed_half_way_leaves_all_or_nothing(warehouse: Path, tmp_path: Path) -> None:
    """24 monthly exports and their org files in one import, killed (SIGKILL) while it writes
    its transaction to the write-ahead log, at once and a little later: the warehouse then
    holds exactly what it held before, or exactly what the whole import gives."""
    files = [*people_files(), ORG_DATA / "org-2024-01-31.yaml", ORG_DATA / "org-2025-01-31.yaml"]
    complete = tmp_path / "complete.duckdb"
    shutil.copy(warehouse, complete)
    import_files(complete, files)
    # what an import changes: the snapshots and the tables derived from them (not the load times)
    changed = ("people_snapshots", "person_periods", "team_periods", "service_periods")
    before, after = table_rows(warehouse, changed, "loaded_at"), table_rows(complete, changed, "loaded_at")
    assert before != after
    for delay in (0.0, 0.01, 0.05):
        db = tmp_path / f"killed-{delay}.duckdb"
        shutil.copy(warehouse, db)
        wal = Path(f"{db}.wal")
        command = [sys.executable, "-m", "quarterdeck", "--db", str(db), "ingest", "org", *map(str, files)]
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while process.poll() is None and not wal.exists() and time.monotonic() < deadline:
            time.sleep(0.0005)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = table_rows(db, changed, "loaded_at")
        assert state in (before, after), f"killed {delay} s into the write: a partial import"


def test_bad_team_definitions(warehouse: Path, tmp_path: Path) -> None:
    before = table_rows(warehouse)
    org = write(
        tmp_path,
        "org.yaml",
        """\
teams:
  - id: a
    parent: c
  - id: b
    parent: nowhere
    type: squad
  - id: c
    parent: a
    children: [ghost]
  - id: b
""",
    )
    with pytest.raises(OrgImportError) as caught:
        import_files(warehouse, [org], as_of=date(2024, 1, 31))
    assert [str(p) for p in caught.value.problems] == [
        f"{org}:4: field type: unknown team type 'squad'; expected one of stream-aligned, platform, enabling, "
        "complicated-subsystem",
        f"{org}:10: field id: team 'b' is defined twice (first on line 4)",
        f"{org}:4: field parent: no team 'nowhere' is defined",
        f"{org}:7: field children: no team 'ghost' is defined",
        f"{org}:2: field parent: the chain of parents loops: a -> c -> a",
    ]
    assert table_rows(warehouse) == before


def test_a_date_not_in_the_mappings_format(warehouse: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "export.csv", "Emp No,Worker,Hire Date\nA1,Ann,2020-01-06\nA2,Ben,01/06/2020\n")
    mapping = write(tmp_path, "map.yaml", "columns: {Emp No: id, Worker: name, Hire Date: start_date}\n"
                    "date_format: '%m/%d/%Y'\n")  # fmt: skip
    with pytest.raises(OrgImportError) as caught:
        import_files(warehouse, [export], as_of=date(2024, 1, 31), mapping=load_mapping(mapping))
    assert [str(p) for p in caught.value.problems] == [
        f"{export}:2: field start_date: '2020-01-06' is not a date %m/%d/%Y (the mapping's date_format)"
    ]
