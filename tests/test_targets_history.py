"""``quarterdeck targets record|status|history`` on the demo's warehouse, through the real CLI:
each month's value equals 'metrics show' for that month, statuses and misses recomputed here
from the thresholds, a recorded month keeps its bar when the file changes, an open month is
never recorded."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.dashboard_server import demo_warehouse, metric_rows, without_recorded_targets
from tests.warehouse_rows import query

TARGETS = """\
targets:
  - metric: deployment_frequency
    scope: org
    target: 5
    owner: Dana Reyes
  - metric: lead_time_for_changes
    scope: org
    target: 24
    owner: Dana Reyes
    review: quarterly
  - metric: change_failure_rate
    scope: org
    target: 0.1
    owner: Sam Okafor
    amber: 0.5
  - metric: attrition_rate
    scope: org
    target: 0.05
    owner: Sam Okafor
owners:
  Dana Reyes:
    email: dana@example.com
  Sam Okafor:
    email: sam@example.com
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_warehouse(tmp_path_factory.mktemp("targets") / "demo")


@pytest.fixture
def db(demo: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "org.duckdb"
    shutil.copy(demo, copy)
    without_recorded_targets(copy)
    (tmp_path / "targets.yaml").write_text(TARGETS, encoding="utf-8")  # the default place: beside it
    return copy


def cli(*args: str):
    done = run_quarterdeck(*args)
    assert done.returncode == 0, done.stderr
    return done


def history(db: Path, metric: str) -> list[dict]:
    return json.loads(cli("targets", "history", metric, "--db", str(db), "--format", "json").stdout)["months"]


def colour(value: float | None, target: float, edge: float, up: bool) -> str:
    """The colour by the thresholds of docs/targets.md, written out again."""
    if value is None:
        return "grey"
    if (value >= target) if up else (value <= target):
        return "green"
    if (value >= edge) if up else (value <= edge):
        return "amber"
    return "red"


def test_each_month_is_the_value_metrics_show_gives_and_the_open_month_is_not_recorded(db):
    done = cli("targets", "record", "--db", str(db))
    status = json.loads(cli("targets", "status", "--db", str(db), "--format", "json").stdout)
    ends = date.fromisoformat(status["data_end"])
    assert ends.day != 1 and status["open_month"] == f"{ends:%Y-%m}"
    last = date(ends.year, ends.month, 1).replace(day=1)
    last = date(last.year - (last.month == 1), (last.month - 2) % 12 + 1, 1)  # the month before
    assert status["last_whole_month"] == f"{last:%Y-%m}"
    assert f"The data ends on {ends.isoformat()}" in done.stdout and f"{ends:%Y-%m} is still open" in done.stdout
    for metric, up, target, edge in (("deployment_frequency", True, 5, 4.5), ("change_failure_rate", False, 0.1, 0.15)):
        months = history(db, metric)
        assert months and months[-1]["month"] == f"{last:%Y-%m}"
        first = date.fromisoformat(months[0]["month"] + "-01")
        shown = metric_rows(
            db,
            metric,
            "--grain",
            "month",
            "--since",
            first.isoformat(),
            "--until",
            (ends.replace(day=1) - date.resolution).isoformat(),
        )
        value = "deploy_days_per_week" if metric == "deployment_frequency" else "change_failure_rate"
        expected = {r["period_start"][:7]: r[value] for r in shown}
        assert {m["month"]: m["value"] for m in months if m["value"] is not None} == {
            k: pytest.approx(v) for k, v in expected.items() if v is not None
        }
        for m in months:
            assert (m["target"], m["amber_edge"]) == (target, pytest.approx(edge))
            assert m["status"] == colour(m["value"], target, edge, up)
    rows = query(db, "SELECT count(*) FROM target_history WHERE month >= ?", [date(ends.year, ends.month, 1)])
    assert rows == [(0,)]


def test_a_trailing_metric_is_recorded_month_by_month(db):
    cli("targets", "record", "--db", str(db))
    months = {m["month"]: m["value"] for m in history(db, "attrition_rate")}
    at = max(months)
    year, month = int(at[:4]), int(at[5:])
    end = (date(year + month // 12, month % 12 + 1, 1) - date.resolution).isoformat()
    rows = metric_rows(db, "attrition_rate", "--at", end)
    assert months[at] == pytest.approx(rows[0]["attrition_rate"])


def test_status_counts_misses_from_the_history_and_quarterly_targets_by_quarter(db):
    cli("targets", "record", "--db", str(db))
    status = {
        t["metric"]: t
        for t in json.loads(cli("targets", "status", "--db", str(db), "--format", "json").stdout)["targets"]
    }
    monthly = [m["status"] for m in history(db, "deployment_frequency")]
    in_a_row = 0
    for s in reversed(monthly):
        if s not in ("amber", "red"):
            break
        in_a_row += 1
    df = status["deployment_frequency"]
    assert (df["missed_in_a_row"], df["missed_of_last_12"]) == (
        in_a_row,
        sum(s in ("amber", "red") for s in monthly[-12:]),
    )
    assert df["status"] == monthly[-1] and df["owner"] == "Dana Reyes"
    assert [t["value"] for t in df["trend"]] == [m["value"] for m in history(db, "deployment_frequency")][-6:]
    quarters = [m for m in history(db, "lead_time_for_changes") if m["month"][5:] in ("03", "06", "09", "12")]
    lt = status["lead_time_for_changes"]
    assert [t["period"] for t in lt["trend"]] == [f"{m['month'][:4]}Q{int(m['month'][5:]) // 3}" for m in quarters][-6:]
    assert lt["status"] == quarters[-1]["status"] and lt["review"] == "quarterly"


def test_a_recorded_month_keeps_its_bar_when_the_file_changes_unless_recomputed(db, tmp_path):
    cli("targets", "record", "--db", str(db))
    before = history(db, "deployment_frequency")
    (tmp_path / "targets.yaml").write_text(TARGETS.replace("target: 5", "target: 3"), encoding="utf-8")
    done = cli("targets", "record", "--db", str(db))
    assert f"0 months recorded, {4 * len(before)} kept as recorded before, 0 recomputed" in done.stdout
    assert history(db, "deployment_frequency") == before
    cli("targets", "record", "--db", str(db), "--recompute")
    after = history(db, "deployment_frequency")
    assert {m["target"] for m in after} == {3.0}
    assert [m["value"] for m in after] == [m["value"] for m in before]
    assert [m["status"] for m in after] == [colour(m["value"], 3, 2.7, True) for m in after]


def test_mistakes_are_one_line_errors_and_leave_the_warehouse_as_it_was(db, tmp_path):
    (tmp_path / "targets.yaml").write_text(TARGETS.replace("review: quarterly", "review: yearly"), encoding="utf-8")
    done = run_quarterdeck("targets", "record", "--db", str(db))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        f"error: {tmp_path / 'targets.yaml'}:6: 'review' must be monthly or quarterly (how often the target is "
        "reviewed), not 'yearly'"
    )
    assert query(db, "SELECT count(*) FROM target_history") == [(0,)]
    (tmp_path / "targets.yaml").unlink()
    done = run_quarterdeck("targets", "status", "--db", str(db))
    assert done.returncode == 2 and "no targets" in done.stderr and "--targets" in done.stderr
    done = run_quarterdeck("targets", "history", "deployment_frequency", "--scope", "squad:x", "--db", str(db))
    assert done.returncode == 2 and "--scope" in done.stderr and "Traceback" not in done.stderr


def test_since_sets_the_first_month_recorded(db):
    done = run_quarterdeck("targets", "record", "--db", str(db), "--since", "2024-10")
    assert done.returncode == 0, done.stderr
    assert "4 targets, 3 whole months each: 12 months recorded" in done.stdout
    assert [m["month"] for m in history(db, "deployment_frequency")] == ["2024-10", "2024-11", "2024-12"]
    wrong = run_quarterdeck("targets", "record", "--db", str(db), "--since", "Oct 2024")
    assert wrong.returncode == 2 and "expected a month as YYYY-MM" in wrong.stderr and "Traceback" not in wrong.stderr
