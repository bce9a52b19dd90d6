"""A small organization built by hand for the organization metric tests, and helpers to run
the metrics on it (in-process, or through the real command line).

Three people exports (2024-06-30, 2024-12-31, 2025-06-30) and one org file. Costs follow
the level: M4 250,000, M3 200,000, M2 170,000, M1 150,000, IC4 140,000, IC3 120,000,
IC2 100,000, IC1 80,000, no level 90,000; P04 has no cost.

The organization on 2025-06-30 (23 people employed)::

    eng (root, manager P01)           P01 M4 (top, no manager)
    |- (no team)                      P04 IC3, reports to P01
    |- product (division, P02)        P02 M3, reports to P01
    |  |- web (P05)                   P05 M1 -> P02; P07..P15 (9 ICs) -> P05
    |  `- mobile "Mobile Apps" (P06)  P06 M1 -> P02; P16 -> P06
    `- platform "plat" (P03)          P03 M2, reports to P01
       `- infra (no manager)          P17..P22, P34 (7 ICs) -> P03

Employment (first day .. last day; "inferred": the day before the first export without them):

    P01 2015-03-01   P02 2018-05-10   P03 2021-06-30   P04 2021-07-01   P05 2019-01-15
    P06 2023-06-30   P07 2025-03-01   P08 2025-01-01   P09 2024-12-31   P10 2024-06-30
    P11 2023-07-01   P12 2022-01-10   P13 2020-02-29   P14 2017-09-01   P15 2024-07-01
    P16 2025-06-30   P17 2023-01-01   P18 2022-08-15   P19 2016-04-04   P20 2020-10-01
    P21 2024-09-15
    P22 2022-03-01 .. 2024-12-30 (inferred: absent on 2024-12-31), rehired 2025-03-01 (infra)
    P30 2021-05-01 .. 2024-07-01 (web, regretted)
    P32 2019-09-01 .. 2025-03-15 (infra, not regretted)
    P33 2020-05-05 .. 2025-05-20 (web until 2024-12-30, then infra; regret not given)
    P34 2023-03-01 .. 2025-07-01 (infra; leaves the day after 2025-06-30)

Locations: Lisbon for P16, P17, P18; Berlin for everyone else. P21 is a contractor.
"""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from quarterdeck.metrics import MetricQuery, get_metric, run_metric
from quarterdeck.store import open_warehouse
from tests.conftest import run_quarterdeck

HEADER = "id,name,title,level,manager_id,team,location,employment_type,start_date,end_date,annual_cost,regretted"

SNAPSHOT_2024_06_30 = """\
P01,Ada,VP Engineering,M4,,eng,Berlin,full-time,2015-03-01,,250000,
P02,Ben,Director,M3,P01,product,Berlin,full-time,2018-05-10,,200000,
P03,Cleo,Senior Manager,M2,P01,platform,Berlin,full-time,2021-06-30,,170000,
P04,Dev,Engineer,IC3,P01,,Berlin,full-time,2021-07-01,,,
P05,Eve,Engineering Manager,M1,P02,web,Berlin,full-time,2019-01-15,,150000,
P06,Finn,Engineering Manager,M1,P02,mobile,Berlin,full-time,2023-06-30,,150000,
P10,Jon,Engineer,IC2,P05,web,Berlin,full-time,2024-06-30,,100000,
P11,Kai,Engineer,IC2,P05,web,Berlin,full-time,2023-07-01,,100000,
P12,Lea,Engineer,IC3,P05,web,Berlin,full-time,2022-01-10,,120000,
P13,Max,Engineer,IC3,P05,web,Berlin,full-time,2020-02-29,,120000,
P14,Nia,Engineer,IC4,P05,web,Berlin,full-time,2017-09-01,,140000,
P17,Quinn,Engineer,IC2,P03,infra,Lisbon,full-time,2023-01-01,,100000,
P18,Ravi,Engineer,IC3,P03,infra,Lisbon,full-time,2022-08-15,,120000,
P19,Sam,Engineer,IC3,P03,infra,Berlin,full-time,2016-04-04,,120000,
P20,Tess,Engineer,IC4,P03,infra,Berlin,full-time,2020-10-01,,140000,
P22,Vic,Engineer,IC2,P03,infra,Berlin,full-time,2022-03-01,,100000,
P30,Wes,Engineer,IC2,P05,web,Berlin,full-time,2021-05-01,2024-07-01,100000,yes
P32,Yan,Engineer,IC3,P03,infra,Berlin,full-time,2019-09-01,,120000,
P33,Zoe,Engineer,IC3,P05,web,Berlin,full-time,2020-05-05,,120000,
P34,Abe,Engineer,IC3,P03,infra,Berlin,full-time,2023-03-01,,120000,
"""

# P22 is absent (left, end inferred); P30 has gone; P09, P15 and P21 are new; P32 has
# given notice; P33 moved from web to infra.
SNAPSHOT_2024_12_31 = """\
P01,Ada,VP Engineering,M4,,eng,Berlin,full-time,2015-03-01,,250000,
P02,Ben,Director,M3,P01,product,Berlin,full-time,2018-05-10,,200000,
P03,Cleo,Senior Manager,M2,P01,platform,Berlin,full-time,2021-06-30,,170000,
P04,Dev,Engineer,IC3,P01,,Berlin,full-time,2021-07-01,,,
P05,Eve,Engineering Manager,M1,P02,web,Berlin,full-time,2019-01-15,,150000,
P06,Finn,Engineering Manager,M1,P02,mobile,Berlin,full-time,2023-06-30,,150000,
P09,Ivy,Engineer,IC2,P05,web,Berlin,full-time,2024-12-31,,100000,
P10,Jon,Engineer,IC2,P05,web,Berlin,full-time,2024-06-30,,100000,
P11,Kai,Engineer,IC2,P05,web,Berlin,full-time,2023-07-01,,100000,
P12,Lea,Engineer,IC3,P05,web,Berlin,full-time,2022-01-10,,120000,
P13,Max,Engineer,IC3,P05,web,Berlin,full-time,2020-02-29,,120000,
P14,Nia,Engineer,IC4,P05,web,Berlin,full-time,2017-09-01,,140000,
P15,Olu,Engineer,,P05,web,Berlin,full-time,2024-07-01,,90000,
P17,Quinn,Engineer,IC2,P03,infra,Lisbon,full-time,2023-01-01,,100000,
P18,Ravi,Engineer,IC3,P03,infra,Lisbon,full-time,2022-08-15,,120000,
P19,Sam,Engineer,IC3,P03,infra,Berlin,full-time,2016-04-04,,120000,
P20,Tess,Engineer,IC4,P03,infra,Berlin,full-time,2020-10-01,,140000,
P21,Uma,Engineer,IC1,P03,infra,Berlin,contractor,2024-09-15,,80000,
P32,Yan,Engineer,IC3,P03,infra,Berlin,full-time,2019-09-01,2025-03-15,120000,no
P33,Zoe,Engineer,IC3,P03,infra,Berlin,full-time,2020-05-05,,120000,
P34,Abe,Engineer,IC3,P03,infra,Berlin,full-time,2023-03-01,,120000,
"""

# P07, P08 and P16 are new, P22 is back (a new start date); P33 left on 2025-05-20 (the
# export gives no regret); P34 leaves on 2025-07-01.
SNAPSHOT_2025_06_30 = """\
P01,Ada,VP Engineering,M4,,eng,Berlin,full-time,2015-03-01,,250000,
P02,Ben,Director,M3,P01,product,Berlin,full-time,2018-05-10,,200000,
P03,Cleo,Senior Manager,M2,P01,platform,Berlin,full-time,2021-06-30,,170000,
P04,Dev,Engineer,IC3,P01,,Berlin,full-time,2021-07-01,,,
P05,Eve,Engineering Manager,M1,P02,web,Berlin,full-time,2019-01-15,,150000,
P06,Finn,Engineering Manager,M1,P02,mobile,Berlin,full-time,2023-06-30,,150000,
P07,Gus,Engineer,IC1,P05,web,Berlin,full-time,2025-03-01,,80000,
P08,Hana,Engineer,IC1,P05,web,Berlin,full-time,2025-01-01,,80000,
P09,Ivy,Engineer,IC2,P05,web,Berlin,full-time,2024-12-31,,100000,
P10,Jon,Engineer,IC2,P05,web,Berlin,full-time,2024-06-30,,100000,
P11,Kai,Engineer,IC2,P05,web,Berlin,full-time,2023-07-01,,100000,
P12,Lea,Engineer,IC3,P05,web,Berlin,full-time,2022-01-10,,120000,
P13,Max,Engineer,IC3,P05,web,Berlin,full-time,2020-02-29,,120000,
P14,Nia,Engineer,IC4,P05,web,Berlin,full-time,2017-09-01,,140000,
P15,Olu,Engineer,,P05,web,Berlin,full-time,2024-07-01,,90000,
P16,Pia,Engineer,IC2,P06,mobile,Lisbon,full-time,2025-06-30,,100000,
P17,Quinn,Engineer,IC2,P03,infra,Lisbon,full-time,2023-01-01,,100000,
P18,Ravi,Engineer,IC3,P03,infra,Lisbon,full-time,2022-08-15,,120000,
P19,Sam,Engineer,IC3,P03,infra,Berlin,full-time,2016-04-04,,120000,
P20,Tess,Engineer,IC4,P03,infra,Berlin,full-time,2020-10-01,,140000,
P21,Uma,Engineer,IC1,P03,infra,Berlin,contractor,2024-09-15,,80000,
P22,Vic,Engineer,IC2,P03,infra,Berlin,full-time,2025-03-01,,100000,
P33,Zoe,Engineer,IC3,P03,infra,Berlin,full-time,2020-05-05,2025-05-20,120000,
P34,Abe,Engineer,IC3,P03,infra,Berlin,full-time,2023-03-01,2025-07-01,120000,yes
"""

ORG_YAML = """\
teams:
  - id: eng
    name: Engineering
    manager: P01
  - id: product
    name: Product
    parent: eng
    manager: P02
  - id: platform
    name: Platform
    parent: eng
    manager: P03
    aliases: [plat]
  - id: web
    name: Web
    parent: product
    type: stream-aligned
    manager: P05
  - id: mobile
    name: Mobile Apps
    parent: product
    type: stream-aligned
    manager: P06
  - id: infra
    name: Infrastructure
    parent: platform
    type: platform
"""

AT = date(2025, 6, 30)  # the date most tests measure on


def write_small_org(folder: Path) -> list[Path]:
    """The people exports and the org file, written into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for day, rows in (
        ("2024-06-30", SNAPSHOT_2024_06_30),
        ("2024-12-31", SNAPSHOT_2024_12_31),
        ("2025-06-30", SNAPSHOT_2025_06_30),
    ):
        path = folder / f"people-{day}.csv"
        path.write_text(HEADER + "\n" + rows, encoding="utf-8")
        files.append(path)
    org = folder / "org.yaml"
    org.write_text(ORG_YAML, encoding="utf-8")
    return [*files, org]


_built: dict[str, Path] = {}


def small_org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small organization imported through the command line (once per test session):
    the org file as of the first export, then the three exports (dated by their names)."""
    if "small" not in _built:
        folder = tmp_path_factory.mktemp("small-org")
        first, second, third, org = write_small_org(folder)
        db = folder / "org.duckdb"
        for args in (
            (str(first), str(org), "--as-of", "2024-06-30"),
            (str(second), str(third)),
        ):
            result = run_quarterdeck("--db", str(db), "ingest", "org", *args)
            assert result.returncode == 0, result.stderr
        _built["small"] = db
    return _built["small"]


def metric(db: Path, name: str, **query: Any) -> list[dict[str, Any]]:
    """The metric's rows, run in-process as ``metrics show`` runs it, as dicts."""
    with open_warehouse(db, read_only=True) as warehouse:
        result = run_metric(warehouse, get_metric(name), MetricQuery(**query))
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def by_group(rows: list[dict[str, Any]], *columns: str) -> dict[str, Any]:
    """Rows of one date, group -> the named columns (one value, or a tuple of several)."""
    assert len({r["date"] for r in rows}) <= 1, "rows of several dates"
    if len(columns) == 1:
        return {r["group"]: r[columns[0]] for r in rows}
    return {r["group"]: tuple(r[c] for c in columns) for r in rows}


def show(db: Path, name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``quarterdeck metrics show NAME ARGS`` through the command line."""
    return run_quarterdeck("--db", str(db), "metrics", "show", name, *args, env=env)


def show_json(db: Path, name: str, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = show(db, name, *args, "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
