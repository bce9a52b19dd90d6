"""``quarterdeck succession``: golden findings on the small organization and git history of
tests/succession_org.py, with the succession file below; every value worked out by hand.

Key roles on 2026-06-30 (unit): D1 director (pay), V1 director (eng), M1 (checkout),
M2 (ledger), M3 (infra), checkout-api (checkout, held by Mia M1), infra-tools (infra, held by
Ola E4).

==============  ==================================================  =========
role            successors on 2026-06-30                            ready now
==============  ==================================================  =========
D1              M1 ready now (its 2026-01-15 line said 1-2 years),  1
                E1 1-2 years
M1              E1 ready now                                        1
M2              E3 1-2 years, E4 (of infra) 3+ years; L1 (ready     0
                now, 2026-03-31) has left
M3              E4 ready now, E5 ready now                          2
V1              none                                                0
checkout-api    E1 ready now                                        1
infra-tools     E5 1-2 years; E4 is its holder: left out            0
==============  ==================================================  =========

No ready successor: M2, V1, infra-tools. Covered 4 of 7.
Bench (roles of the subtree; covered; ready-now successors):
  eng 7, 4 (4/7 = 0.5714), 5 (5/7 = 0.7143); pay 4 (D1, M1, M2, checkout-api), 3 (0.75), 3 (0.75);
  checkout 2, 2 (1.0), 2 (1.0); ledger 1, 0, 0; infra 2 (M3, infra-tools), 1 (0.5), 2 (1.0).
Single points: Mia (M1, manager of checkout) holds checkout-api. Ola holds infra-tools but holds
no seat. Over-committed (3 roles or more): E1 (D1, M1, checkout-api; 2 ready now).
A line for E3's seat: E3 manages nobody, not a key role (noted).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.orgdata import write
from tests.succession_org import build_succession_org

SUCCESSION = """role,successor,readiness,date
D1,M1,1-2 years,2026-01-15
D1,M1,ready now,2026-06-30
D1,E1,1-2 years,2026-06-30
M1,E1,ready now,2026-06-30
M2,E3,1-2 years,2026-06-30
M2,E4,3+ years,2026-06-30
M2,L1,ready now,2026-03-31
M3,E4,ready now,2026-06-30
M3,E5,ready now,2026-06-30
checkout-api,E1,ready now,2026-06-30
infra-tools,E5,1-2 years,2026-06-30
infra-tools,E4,ready now,2026-06-30
E3,E2,3+ years,2026-06-30
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("succession-findings")
    path = build_succession_org(folder)
    done = run_quarterdeck("--db", str(path), "ingest", "succession", str(write(folder, "s.csv", SUCCESSION)))
    assert done.returncode == 0, done.stderr
    return path


def findings(db: Path, *args: str, output: str = "json") -> dict | str:
    result = run_quarterdeck("succession", "--db", str(db), "--at", "2026-06-30", "--format", output, *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if output == "json" else result.stdout


def bench_row(unit: str, path: str, roles: int, covered: int, ready: int) -> dict:
    name = {"eng": "Engineering", "pay": "Payments", "checkout": "Checkout", "ledger": "Ledger"}.get(
        unit, "Infrastructure"
    )
    return {
        "unit": unit, "name": name, "path": path, "key_roles": roles, "covered": covered,
        "share_covered": round(covered / roles, 4), "ready_now_successors": ready,
        "ready_now_per_role": round(ready / roles, 4),
    }  # fmt: skip


def test_roles_without_a_ready_successor_bench_per_unit_single_points_and_over_commitment(db: Path) -> None:
    data = findings(db)
    assert (data["key_roles"], data["covered"]) == (7, 4)
    ready = {
        r["role"]: (r["ready_now"], [(s["person"], s["readiness"]) for s in r["successors"]]) for r in data["roles"]
    }
    assert ready == {
        "D1": (1, [("M1", "ready now"), ("E1", "1-2 years")]),
        "M1": (1, [("E1", "ready now")]),
        "M2": (0, [("E3", "1-2 years"), ("E4", "3+ years")]),
        "M3": (2, [("E4", "ready now"), ("E5", "ready now")]),
        "V1": (0, []),
        "checkout-api": (1, [("E1", "ready now")]),
        "infra-tools": (0, [("E5", "1-2 years")]),
    }
    assert data["no_ready_successor"] == ["M2", "V1", "infra-tools"]
    assert data["bench"] == [
        bench_row("eng", "eng", 7, 4, 5),
        bench_row("infra", "eng/infra", 2, 1, 2),
        bench_row("pay", "eng/pay", 4, 3, 3),
        bench_row("checkout", "eng/pay/checkout", 2, 2, 2),
        bench_row("ledger", "eng/pay/ledger", 1, 0, 0),
    ]
    assert data["single_points"] == [
        {"person": "M1", "name": "Mia Shop", "seat": "manager", "unit": "checkout", "services": ["checkout-api"]}
    ]
    assert data["over_committed"] == [
        {"person": "E1", "name": "Eli Senior", "roles": ["D1", "M1", "checkout-api"], "ready_now": 2}
    ]
    notes = "\n".join(data["notes"])
    assert "Liv Gone (L1), named successor for M2, is not employed on 2026-06-30" in notes
    assert "Ola Tools (E4) is named successor for infra-tools, which they hold: left out" in notes
    assert "Ian Ledger (E3) is named in the succession file but is not a key role" in notes


def test_a_unit_shows_only_its_own_roles_and_people(db: Path) -> None:
    data = findings(db, "--unit", "Payments")
    assert [r["role"] for r in data["roles"]] == ["D1", "M1", "M2", "checkout-api"]
    assert [(b["unit"], b["key_roles"], b["covered"]) for b in data["bench"]] == [
        ("pay", 4, 3), ("checkout", 2, 2), ("ledger", 1, 0)
    ]  # fmt: skip
    assert data["no_ready_successor"] == ["M2"]
    assert data["notes"] == ["Liv Gone (L1), named successor for M2, is not employed on 2026-06-30: left out"]
    infra = findings(db, "--unit", "infra")
    assert infra["over_committed"] == [] and infra["single_points"] == []
    assert [r["role"] for r in infra["roles"]] == ["M3", "infra-tools"]


def test_the_csv_has_a_row_per_role_and_the_table_names_the_findings(db: Path) -> None:
    rows = list(csv.reader(io.StringIO(findings(db, output="csv"))))
    assert rows[0] == ["kind", "role", "name", "unit", "holder", "ready_now", "1-2 years", "3+ years", "successors"]
    assert rows[1] == ["director", "D1", "Dan Pay", "pay", "D1", "1", "1", "0", "M1:ready now;E1:1-2 years"]
    assert rows[7] == ["knowledge", "infra-tools", "Infra Tools", "infra", "E4", "0", "1", "0", "E5:1-2 years"]
    table = findings(db, output="table")
    assert "No successor ready now: M2, V1, infra-tools" in table
    assert "Mia Shop (M1, manager of checkout): checkout-api" in table


def test_an_unknown_unit_is_a_clear_error(db: Path) -> None:
    result = run_quarterdeck("succession", "--db", str(db), "--at", "2026-06-30", "--unit", "nowhere")
    assert result.returncode != 0
    assert "unknown unit 'nowhere'" in result.stderr and "Traceback" not in result.stderr


def test_without_an_organization_the_command_says_what_to_ingest(tmp_path: Path) -> None:
    result = run_quarterdeck("succession", "--db", str(tmp_path / "empty.duckdb"))
    assert result.returncode != 0
    assert "no organization imported yet" in result.stderr and "Traceback" not in result.stderr


def test_help_has_examples() -> None:
    result = run_quarterdeck("succession", "--help")
    assert result.returncode == 0
    assert "quarterdeck succession --at 2026-06-30 --unit payments" in result.stdout
