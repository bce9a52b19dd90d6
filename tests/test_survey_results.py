"""``quarterdeck survey``: aggregates computed by hand on a survey of the organization of
tests/survey_files.py (headcount: checkout 4, search 10, payments 6, platform 8, sre 6),
through the real CLI. Respondents: checkout 4, search 6, payments 5, platform 7, sre 5."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.money_files import write
from tests.survey_files import MAPPING, export, ingest, organization

SEARCH = [("search", ci, "Agree", enps, "flaky tests" if i < 2 else "") for i, (ci, enps) in
          enumerate([("5", "10"), ("4", "9"), ("4", "9"), ("3", "8"), ("2", "6"), ("1", "3")])]  # fmt: skip
ROWS = (
    [("checkout", "1", "Disagree", "0", "Slow CI")] * 4 + SEARCH + [("payments", "2", "Neutral", "5", "")] * 5
    + [("platform", "5", "Strongly agree", "10", "")] * 7 + [("sre", "4", "Agree", "9", "")] * 5
)  # fmt: skip


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("survey")
    path = organization(folder)
    done = ingest(path, write(folder, "export.csv", export(ROWS)), write(folder, "mapping.yaml", MAPPING))
    assert done.returncode == 0, done.stderr
    return path


def results(db: Path, *args: str) -> dict:
    done = run_quarterdeck("survey", "--db", str(db), "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def scores(payload: dict, question: str) -> dict[str, dict]:
    return {s["group"]: s for s in payload["scores"] if s["question"] == question}


def test_enps_is_promoters_minus_detractors_in_points_for_every_group_shown(db: Path) -> None:
    teams, units = results(db), results(db, "--by", "unit")
    enps = {**scores(teams, "enps"), **scores(units, "enps")}
    # search: 10 9 9 promoters, 8 passive, 6 3 detractors: (3 - 2) / 6
    assert enps["search"]["enps"] == pytest.approx(100 / 6, abs=1e-4)
    assert enps["platform"]["enps"] == 100 and enps["sre"]["enps"] == 100
    # product: 3 promoters, 2 + 4 (checkout's 0) + 5 (payments' 5) detractors of 15
    assert enps["product"]["enps"] == pytest.approx(100 * (3 - 11) / 15, abs=1e-4)
    assert enps["infra"]["enps"] == 100
    assert enps["organization"]["enps"] == pytest.approx(100 * (15 - 11) / 27, abs=1e-4)
    assert enps["organization"]["answers"] == 27


def test_likert_mean_favourable_share_and_response_rate(db: Path) -> None:
    teams = results(db)
    ci = scores(teams, "ci_feedback")
    assert ci["search"]["mean"] == pytest.approx(19 / 6, abs=1e-4) and ci["search"]["favourable_share"] == 0.5
    assert ci["organization"]["mean"] == pytest.approx((4 + 19 + 10 + 35 + 20) / 27, abs=1e-4)
    assert ci["organization"]["favourable_share"] == pytest.approx((3 + 7 + 5) / 27, abs=1e-4)
    assert scores(teams, "review_speed")["search"]["mean"] == 4  # "Agree" read as 4
    rates = {g["group"]: g["response_rate"] for g in teams["groups"]}
    assert rates["search"] == 0.6 and rates["platform"] == 0.875
    assert rates["organization"] == pytest.approx(27 / 34)


def test_a_team_of_4_never_appears_alone_nor_by_difference_from_its_unit(db: Path) -> None:
    teams, units = results(db), results(db, "--by", "unit")
    shown = {g["group"]: g["responses"] for g in teams["groups"] + units["groups"]}
    assert shown == {
        "organization": 27, "eng": 27, "product": 15, "infra": 12,
        "checkout": "suppressed", "search": 6, "payments": "suppressed", "platform": 7, "sre": 5,
    }  # fmt: skip
    for payload in (teams, units):
        for s in payload["scores"]:
            if s["group"] in ("checkout", "payments"):
                assert {s[k] for k in ("answers", "mean", "favourable_share", "enps")} == {"suppressed"}
    # product minus search is checkout + payments, 9 people: no team alone
    assert shown["product"] - shown["search"] == 9


def test_free_text_answers_only_for_groups_shown(db: Path) -> None:
    teams = results(db)
    comments = {(c["group"], c["question"]): c["answers"] for c in teams["comments"]}
    # text answers: checkout 4 (hidden), search 2 (under 5): by team only the organization's
    assert comments == {("organization", "slows_down"): ["Slow CI"] * 4 + ["flaky tests"] * 2}
    units = {(c["group"], c["question"]) for c in results(db, "--by", "unit")["comments"]}
    assert units == {("organization", "slows_down"), ("eng", "slows_down"), ("product", "slows_down")}


def test_csv_and_table_print_suppressed_never_a_number_and_errors_are_clear(db: Path) -> None:
    done = run_quarterdeck("survey", "--db", str(db), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    checkout = [r for r in rows if r["group"] == "checkout"]
    assert checkout and all(r["mean"] == "suppressed" and r["enps"] == "suppressed" for r in checkout)
    table = run_quarterdeck("survey", "--db", str(db), "--by", "unit")
    assert table.returncode == 0 and "Product" in table.stdout and "-53.33" in table.stdout, table.stdout
    wrong = run_quarterdeck("survey", "--db", str(db), "--survey", "nope")
    assert wrong.returncode != 0 and "unknown survey 'nope'; surveys stored: devex-2026-Q2" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_the_themes_that_moved_most_since_the_survey_before_and_scores_over_time(tmp_path: Path) -> None:
    db = organization(tmp_path)
    q2 = write(tmp_path, "mapping.yaml", MAPPING)
    q3 = write(tmp_path, "q3.yaml", MAPPING.replace("devex-2026-Q2", "devex-2026-Q3").replace("06-15", "09-15"))
    assert ingest(db, write(tmp_path, "q2.csv", export(ROWS)), q2).returncode == 0
    later = [("platform", "1", *row[2:]) if row[0] == "platform" else row for row in ROWS]
    assert ingest(db, write(tmp_path, "q3.csv", export(later)), q3).returncode == 0
    payload = results(db)
    assert payload["previous_survey"] == "devex-2026-Q2"
    moves = {(m["group"], m["theme"]): m["change_points"] for m in payload["theme_moves"]}
    assert payload["theme_moves"][0] == {
        "group": "platform", "theme": "build speed", "before": 1.0, "now": 0.0, "change_points": -100.0
    }  # fmt: skip
    # the organization's CI item: favourable 15 of 27, then 8 of 27
    assert moves[("organization", "build speed")] == pytest.approx(-700 / 27, abs=1e-4)
    assert moves[("organization", "review")] == 0 and ("checkout", "build speed") not in moves
    done = run_quarterdeck("survey", "--over-time", "--db", str(db), "--format", "json")
    rows = [(r["survey"], r["group"], r["theme"], r["favourable_share"]) for r in json.loads(done.stdout)]
    assert ("devex-2026-Q2", "platform", "build speed", 1.0) in rows
    assert ("devex-2026-Q3", "platform", "build speed", 0.0) in rows
    assert not [r for r in rows if r[1] in ("checkout", "payments")]
