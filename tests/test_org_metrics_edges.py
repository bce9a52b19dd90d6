"""Edge cases of the organization metrics: a manager who leaves before the next export
names their reports' new manager, a second top (someone without a manager), a manager
cycle (refused at import), a rehire listed with their first start date, and the SQL that
--explain prints running as is.

The tiny organization (exports of 2025-01-31 and 2025-02-28)::

    root   T1 (no manager)                 X1 on team b, no manager either: a top
    a      M1 -> T1, leaves 2025-02-10     A1, A2, A3 -> M1 (-> T1 from 2025-02-28)
    b      M2 -> T1                        B1, B2 -> M2
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from quarterdeck.metrics import MetricQuery, explain, get_metric
from tests.conftest import run_quarterdeck
from tests.orgmetrics import AT, HEADER, by_group, metric, show_json, small_org

TINY_YAML = """\
teams:
  - id: root
    manager: T1
  - id: a
    parent: root
    manager: M1
  - id: b
    parent: root
    manager: M2
"""


def person(pid: str, manager: str, team: str, end: str = "") -> str:
    level = "M1" if pid.startswith(("T", "M")) else "IC2"
    return f"{pid},{pid},,{level},{manager},{team},Berlin,full-time,2020-01-01,{end},100000,"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny")
    others = [person("T1", "", "root"), person("M2", "T1", "b"), person("B1", "M2", "b"), person("B2", "M2", "b")]
    others.append(person("X1", "", "b"))
    january = [*others, person("M1", "T1", "a", "2025-02-10"), *(person(f"A{i}", "M1", "a") for i in (1, 2, 3))]
    february = [*others, *(person(f"A{i}", "T1", "a") for i in (1, 2, 3))]
    for day, rows in (("2025-01-31", january), ("2025-02-28", february)):
        (folder / f"people-{day}.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    (folder / "org.yaml").write_text(TINY_YAML, encoding="utf-8")
    db = folder / "tiny.duckdb"
    for args in (("people-2025-01-31.csv", "org.yaml", "--as-of", "2025-01-31"), ("people-2025-02-28.csv",)):
        result = run_quarterdeck("--db", str(db), "ingest", "org", *args, cwd=folder)
        assert result.returncode == 0, result.stderr
    return db


LAYERS = ("headcount", "max_layers", "people_per_layer", "ics", "ic_mean_layers_above")
SPAN = ("managers", "direct_reports", "span_1", "span_2_to_3")


def test_reports_of_a_departed_manager_keep_their_layer(tiny: Path) -> None:
    day = date(2025, 2, 15)  # M1 left on 2025-02-10; A1..A3 are still listed under M1
    # T1 and X1 on layer 1; M2 (and M1's vacancy) on 2; A1..A3, B1, B2 on 3. ICs: X1 0
    # managers above, A1..A3 2 each, B1 and B2 2 each: 10 / 6
    assert by_group(metric(tiny, "layers", at=day), *LAYERS) == {"organization": (8, 3, [2, 1, 5], 6, 1.67)}
    assert by_group(metric(tiny, "layers", at=day, by="team"), *LAYERS)["a"] == (3, 3, [0, 0, 3], 3, 2.0)
    # spans count people employed: T1 has M2 (1), M2 has B1 and B2 (2); M1 is no manager
    assert by_group(metric(tiny, "span_of_control", at=day), *SPAN) == {"organization": (2, 3, 1, 1)}
    ratio = by_group(metric(tiny, "manager_ratio", at=day), "managers", "managers_of_managers", "ics")
    assert ratio == {"organization": (2, 1, 6)}


def test_the_next_export_names_the_new_manager(tiny: Path) -> None:
    day = date(2025, 2, 28)  # A1..A3 report to T1: T1 has 4 reports (M2, A1, A2, A3)
    assert by_group(metric(tiny, "layers", at=day), *LAYERS) == {"organization": (8, 3, [2, 4, 2], 6, 1.17)}
    assert by_group(metric(tiny, "span_of_control", at=day), *SPAN, "span_4_to_8") == {"organization": (2, 6, 0, 1, 1)}


def test_a_person_without_a_manager_is_a_top(tiny: Path) -> None:
    # X1 (team b, no manager) is on layer 1 like T1; team b: X1 on 1, M2 on 2, B1, B2 on 3
    assert by_group(metric(tiny, "layers", at=date(2025, 2, 28), by="team"), *LAYERS)["b"] == (
        4,
        3,
        [1, 1, 2],
        3,
        1.33,  # X1 0, B1 and B2 2 each: 4 / 3
    )


def test_a_manager_cycle_is_refused_and_nothing_changes(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    db = tmp_path / "org.duckdb"
    shutil.copy(small_org(tmp_path_factory), db)
    export = tmp_path / "people-2025-07-31.csv"
    rows = [
        "P01,Ada,VP Engineering,M4,,eng,Berlin,full-time,2015-03-01,,250000,",
        "P02,Ben,Director,M3,P03,product,Berlin,full-time,2018-05-10,,200000,",
        "P03,Cleo,Senior Manager,M2,P02,platform,Berlin,full-time,2021-06-30,,170000,",
    ]
    export.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    result = run_quarterdeck("--db", str(db), "ingest", "org", str(export))
    assert result.returncode != 0
    assert "people-2025-07-31.csv:4: field manager_id: cycle" in result.stderr
    assert "nothing was imported" in result.stderr
    # the exports of 2025-06-30 still describe 2025-07-31: 23 people but P34 (left 2025-07-01)
    payload = show_json(db, "headcount", "--at", "2025-07-31")
    assert [r["headcount"] for r in payload["rows"]] == [22]


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("attrition_rate", {"at": AT, "by": "unit", "unit": "plat"}),
        ("layers", {"since": date(2025, 1, 1), "until": AT, "by": "unit"}),
        ("seniority_mix", {"at": AT, "by": "team"}),
        ("team_size", {"at": AT, "by": "unit", "unit": "product"}),
    ],
)
def test_the_explained_sql_runs_as_is(
    tmp_path_factory: pytest.TempPathFactory, name: str, query: dict[str, object]
) -> None:
    db = small_org(tmp_path_factory)
    sql = explain(get_metric(name), MetricQuery(**query, min_group_size=1))
    with duckdb.connect(str(db), read_only=True) as con:
        explained = con.execute(sql).fetchall()
    expected = metric(db, name, **query, min_group_size=1)
    assert explained == [tuple(r.values()) for r in expected]
    assert explained


def test_a_rehire_listed_with_the_first_start_date_counts_once(tmp_path: Path) -> None:
    # B leaves (absent from the 2024-12-31 export) and comes back with the start date of
    # the first spell, as some HR systems keep it: on 2024-08-31, A manages B, once
    rows = {
        "people-2024-06-30.csv": [person("A", "", "t"), person("B", "A", "t")],
        "people-2024-12-31.csv": [person("A", "", "t")],
        "people-2025-06-30.csv": [person("A", "", "t"), person("B", "A", "t")],
    }
    for name, lines in rows.items():
        (tmp_path / name).write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    db = tmp_path / "rehire.duckdb"
    result = run_quarterdeck("--db", str(db), "ingest", "org", *rows, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    day = date(2024, 8, 31)
    assert by_group(metric(db, "headcount", at=day), "headcount") == {"organization": 2}
    ratio = ("headcount", "managers", "ics", "ics_per_manager")
    assert by_group(metric(db, "manager_ratio", at=day), *ratio) == {"organization": (2, 1, 1, 1.0)}
    assert by_group(metric(db, "span_of_control", at=day), "managers", "direct_reports") == {"organization": (1, 1)}
