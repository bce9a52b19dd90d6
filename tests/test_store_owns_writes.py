"""Table writes belong to the store: outside ``store`` no string of the package holds a
statement that writes a table (``scripts/check_layers.py`` checks it, which CI also runs)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.conftest import ROOT

SPEC = importlib.util.spec_from_file_location("check_layers", ROOT / "scripts" / "check_layers.py")
check_layers = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(check_layers)


def test_no_table_write_outside_the_store():
    found = check_layers.writes_outside_store()
    assert found == [], "table writes outside quarterdeck.store:\n" + "\n".join(found)


def make_package(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "quarterdeck"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


def test_the_check_finds_each_kind_of_write_with_its_file_and_line(tmp_path):
    package = make_package(
        tmp_path,
        {
            "ingest/loads.py": (
                '"""Loads: they DELETE FROM nothing (a docstring is prose)."""\n'
                "def load(con, table):\n"
                '    con.execute("INSERT INTO people SELECT * FROM staged")\n'
                '    con.execute(f"DELETE FROM {table} WHERE id = ?", [1])\n'
                "    con.execute(\n"
                '        "UPDATE repository_files AS t "\n'
                '        "SET path = x.path FROM x"\n'
                "    )\n"
                '    con.execute("insert or replace into cursors values (?)")\n'
                '    con.execute(f"CREATE OR REPLACE TABLE {table}_copy AS SELECT 1")\n'
                '    con.execute("CREATE OR REPLACE TEMP TABLE _staged AS SELECT 1")\n'
                '    con.execute("SELECT count(*) FROM people WHERE updated")\n'
            ),
            "cli/other.sql": "SELECT 1;\nDELETE FROM teams;\n",
        },
    )
    assert check_layers.writes_outside_store(package, allowed=()) == [
        "cli/other.sql:2: DELETE FROM",
        "ingest/loads.py:3: INSERT INTO",
        "ingest/loads.py:4: DELETE FROM",
        "ingest/loads.py:6: UPDATE repository_files AS t SET",
        "ingest/loads.py:9: insert or replace into",
        "ingest/loads.py:10: CREATE OR REPLACE TABLE x_copy AS",
    ]


def test_the_store_metric_definitions_and_allowed_files_may_write(tmp_path):
    write = 'SQL = "DELETE FROM teams"\n'
    package = make_package(
        tmp_path,
        {
            "store/org_writes.py": write,
            "metrics/definitions/x.sql": "DELETE FROM teams;\n",
            "ingest/github_ingest.py": write,
            "ingest/org_ingest.py": write,
        },
    )
    assert check_layers.writes_outside_store(package, allowed=("ingest/*github*",)) == [
        "ingest/org_ingest.py:1: DELETE FROM"
    ]
