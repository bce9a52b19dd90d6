"""``quarterdeck org what-if``, through the real command line, on the small organization of
tests/org_small.py (the figures are those worked out by hand in tests/test_org_what_if.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.org_small import build_small_org
from tests.orgdata import write
from tests.test_org_what_if import SPLIT

CONFIG = '[money.loaded_cost_multipliers]\nBerlin = 1.3\n"*" = 1.2\n'


@pytest.fixture(scope="module")
def small_org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small_org(tmp_path_factory.mktemp("what-if-cli"), codeowners=False)


def what_if(quarterdeck, db: Path, folder: Path, text: str, *args: str):
    proposed = write(folder, "proposed.yaml", text)
    config = write(folder, "quarterdeck.toml", CONFIG)
    return quarterdeck("--db", str(db), "org", "what-if", str(proposed), "--config", str(config), *args)


def test_text_before_and_after(quarterdeck, small_org, tmp_path):
    result = what_if(quarterdeck, small_org, tmp_path, SPLIT, "--at", "2025-06-30")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Split checkout: the organization on 2025-06-30, before and after" in out
    assert "│ managers above 8 reports   │ 1            │ 0            │ -1      │" in out
    assert "│ people per layer           │ 1 3 4 12 1   │ 1 3 5 11 1   │ changed │" in out
    assert "│ loaded cost (USD/year)     │ 3,155,600.00 │ 3,155,600.00 │         │" in out
    assert "│ checkout │ 11 -> 6 │ 10.00 -> 5.00   │ 1,384,000 -> 796,000   │ IC2 3, IC3 2, M2 1" in out
    assert "│ payments │ - -> 5  │ - -> 4.00       │ - -> 588,000           │ IC1 1, IC2 2, IC3 1, IC4 1" in out
    assert "│ P13    │ Max Hill  │ checkout  │ payments │ P04          │ P02        │" in out
    assert "New findings (0)" in out and "Resolved findings (3)" in out
    assert "│ manager-many-reports │ P04      │ Dee Checkout has 10 direct reports" in out


def test_json_and_the_files_date(quarterdeck, small_org, tmp_path):
    text = "at: 2025-07-31\nmoves:\n  - person: Sam Nash\n    team: search\n"
    result = what_if(quarterdeck, small_org, tmp_path, text, "--format", "json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    # On 2025-07-31 Sam Nash (P19) is in checkout under P04; search has no manager: P02.
    assert out["date"] == "2025-07-31"
    assert out["moves"] == [
        {"person_id": "P19", "name": "Sam Nash", "from_team": "checkout", "to_team": "search",
         "from_manager": "P04", "to_manager": "P02", "line": 3}
    ]  # fmt: skip
    assert (out["before"]["team_sizes"]["search"], out["after"]["team_sizes"]["search"]) == (2, 3)
    # checkout 12 -> 11 and P04 11 -> 10 stay too large; search 2 -> 3 is no longer too small.
    assert [(f["code"], f["subject"]) for f in out["resolved_findings"]] == [("team-too-small", "search")]
    assert out["new_findings"] == []
    earlier = json.loads(
        what_if(quarterdeck, small_org, tmp_path, text, "--format", "json", "--at", "2025-06-30").stdout
    )
    assert earlier["date"] == "2025-06-30" and earlier["moves"] == []  # on 2025-06-30 Sam Nash is in search


def test_a_bad_file_is_a_clear_error(quarterdeck, small_org, tmp_path):
    result = what_if(quarterdeck, small_org, tmp_path, "moves:\n  - person: P18\n    team: billing\n")
    assert result.returncode != 0
    assert result.stderr.startswith(f"error: {tmp_path / 'proposed.yaml'}:2: moves: team: no team 'billing' exists")
    assert "Traceback" not in result.stderr


def test_help_has_examples(quarterdeck):
    result = quarterdeck("org", "what-if", "--help")
    assert result.returncode == 0
    assert "quarterdeck org what-if plans/proposed-org.yaml" in result.stdout
    assert "what-if" in quarterdeck("org", "--help").stdout
