"""The board pack's builder on the demo's simulated organization (10 engineers, one year;
data from 2024 to 2025-01-10): every figure is what ``quarterdeck metrics show`` gives for the
same window and scope (the CLI run as a subprocess), a quarter past the data's end ends there
and says so, a unit's pack holds only that unit's figures, sections without data are left
out, and a bad quarter or scope is a clear error."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from quarterdeck.config import load_settings
from quarterdeck.config.targets import Target, Targets
from quarterdeck.metrics import MetricQuery
from quarterdeck.reports.board_build import (
    CURRENT_ONLY,
    BoardPackError,
    build_board_pack,
    build_with_context,
    pack_metrics,
)
from quarterdeck.reports.board_figures import FigureContext
from quarterdeck.reports.board_prefetch import planned_queries, prefetch
from quarterdeck.store import open_warehouse
from tests.conftest import run_quarterdeck
from tests.dashboard_server import demo_warehouse

QUARTER = "2024Q4"
UNIT = "marketplace"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_warehouse(tmp_path_factory.mktemp("board-pack") / "demo")


@pytest.fixture(scope="module")
def org_pack(demo: Path):
    """The organization's pack of 2024Q4, with targets, notes and the simulator's plan."""
    targets = Targets((Target("deployment_frequency", "org", 1.0, "Dana"), Target("headcount", "org", 50.0, "Dana")))
    plan = demo.parent / "sim" / "plans" / "plan.yaml"
    return pack_of(demo, targets=targets, notes="## Asks\n- Two SREs\n", plan=plan)


@pytest.fixture(scope="module")
def unit_pack(demo: Path):
    return pack_of(demo, scope=f"unit:{UNIT}")


def pack_of(db: Path, quarter: str = QUARTER, scope: str = "org", **options):
    settings = load_settings(cli={"db": db}, env={})
    with open_warehouse(db, read_only=True) as warehouse:
        return build_board_pack(warehouse, quarter, scope, settings=settings, **options)


def cli_rows(db: Path, command: str) -> list[dict]:
    words = command.split()
    assert words[:3] == ["quarterdeck", "metrics", "show"], command
    done = run_quarterdeck(*words[1:], "--db", str(db), "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["rows"]


def only(rows: list[dict], group: str | None) -> list[dict]:
    return [r for r in rows if group is None or r.get("group") == group]


def test_each_figure_is_what_metrics_show_gives_for_the_same_window(demo, org_pack):
    pack = org_pack
    figures = pack.figures()
    assert (pack.start.isoformat(), pack.end.isoformat(), pack.open_window) == ("2024-10-01", "2024-12-31", "")
    deploys = figures["deployment_frequency@org"]
    assert deploys.command == (
        "quarterdeck metrics show deployment_frequency --since 2024-10-01 --until 2024-12-31 --grain window --by org"
    )
    assert deploys.value == pytest.approx(cli_rows(demo, deploys.command)[0]["deploy_days_per_week"])
    incidents = figures["incidents@org"]  # every severity summed, as the tile reads it
    assert incidents.value == sum(r["incidents"] for r in cli_rows(demo, incidents.command))
    availability = figures["availability@org"]  # good over total over every kind
    rows = cli_rows(demo, availability.command)
    assert availability.value == pytest.approx(sum(r["good"] for r in rows) / sum(r["total"] for r in rows))
    headcount = figures["headcount@org"]
    assert headcount.command == "quarterdeck metrics show headcount --at 2024-12-31 --by org"
    assert headcount.value == cli_rows(demo, headcount.command)[0]["headcount"]
    lonely = figures["bus_factor@org"]  # repositories whose bus factor is 1, fewer is better
    assert lonely.value == sum(1 for r in cli_rows(demo, lonely.command) if r["bus_factor"] <= 1)
    assert lonely.good_direction == "down"
    spent = figures["budget_actual@org"]
    assert spent.value == pytest.approx(float(cli_rows(demo, spent.command)[0]["actual"]))


def test_the_quarter_before_and_a_year_before_are_the_same_metric_over_those_quarters(demo, org_pack):
    deploys = org_pack.figures()["deployment_frequency@org"]
    before = deploys.command.replace("2024-10-01", "2024-07-01").replace("2024-12-31", "2024-09-30")
    assert deploys.previous == pytest.approx(cli_rows(demo, before)[0]["deploy_days_per_week"])
    assert deploys.year_ago is None  # 2023Q4 ended before the first deployment: unknown, not 0


def test_a_quarter_past_the_end_of_the_data_ends_there_and_says_so(demo):
    pack = pack_of(demo, "2025Q1")
    assert (pack.start.isoformat(), pack.end.isoformat()) == ("2025-01-01", "2025-01-10")
    assert "2025Q1 is not over in the data" in pack.open_window and "2025-01-10" in pack.open_window
    deploys = pack.figures()["deployment_frequency@org"]
    assert "--until 2025-01-10" in deploys.command
    assert not [s for s in pack.sentences() if s.rule.startswith("mover")]  # 10 days are not compared with quarters
    assert deploys.value == pytest.approx(cli_rows(demo, deploys.command)[0]["deploy_days_per_week"])


def test_a_units_pack_holds_only_that_units_figures(demo, org_pack, unit_pack):
    pack = unit_pack
    figures = pack.figures()
    assert pack.scope == f"unit:{UNIT}" and pack.scope_name == "Marketplace"
    assert figures and {f.scope for f in figures.values()} == {f"unit:{UNIT}"}
    assert not [k for k in figures if k.endswith("@org")]
    deploys = figures[f"deployment_frequency@unit:{UNIT}"]
    assert deploys.command.endswith(f"--grain window --by unit --unit {UNIT}")
    rows = only(cli_rows(demo, deploys.command), UNIT)
    assert deploys.value == pytest.approx(rows[0]["deploy_days_per_week"])
    org = org_pack.figures()["deployment_frequency@org"]
    assert deploys.value != org.value


def test_a_target_colours_its_figure_and_the_summary_says_it_was_met(org_pack):
    pack = org_pack
    figures = pack.figures()
    assert figures["deployment_frequency@org"].status == "green"
    said = {s.rule: s for s in pack.sentences()}
    assert said["target_met"].evidence == ("deployment_frequency@org",)
    assert said["target_missed"].evidence == ("headcount@org",)


def test_sections_without_data_are_left_out_never_empty(demo, org_pack, tmp_path):
    keys = [s.key for s in org_pack.sections]
    assert keys == ["summary", "delivery", "waiting", "entropy", "people", "money", "plans", "notes"]
    assert all(s.figures or s.tables or s.sentences for s in org_pack.sections)
    bare = tmp_path / "bare.duckdb"
    shutil.copy(demo, bare)
    with open_warehouse(bare) as warehouse:
        for table in ("deployments", "incidents", "availability_windows", "slos", "issues"):
            warehouse.con.execute(f"DELETE FROM {table}")
    keys = [s.key for s in pack_of(bare, money=False).sections]
    assert keys == ["summary", "waiting", "entropy", "people"]


def test_notes_and_a_plan_are_sections_of_their_own(org_pack):
    sections = {s.key: s for s in org_pack.sections}
    assert [s.text for s in sections["notes"].sentences] == ["Asks", "• Two SREs"]
    table = sections["plans"].tables[0]
    assert table.columns[:3] == ("Quarter", "Headcount", "Capacity (FTE)")
    assert table.rows[0][0] == "2025Q1"


@pytest.mark.parametrize(
    ("quarter", "scope", "message"),
    [
        ("2024-Q5", "org", "expected YEARQN such as 2026Q3, got '2024-Q5'"),
        ("2019Q1", "org", "ends before the data begins"),
        ("2026Q1", "org", "starts after the data ends on 2025-01-10"),
        (QUARTER, "unit:atlantis", "unknown unit 'atlantis'"),
        (QUARTER, "team", "expected org or unit:<id>"),
    ],
)
def test_a_bad_quarter_or_scope_is_a_clear_error(demo, quarter, scope, message):
    with pytest.raises(BoardPackError, match=message.replace("(", r"\(")):
        pack_of(demo, quarter, scope)


def test_the_queries_run_ahead_are_those_the_sections_read(demo):
    """Every metric query the sections ran was planned and run ahead, and two at a time give
    the same rows as one after the other."""
    settings = load_settings(cli={"db": demo}, env={})
    with open_warehouse(demo, read_only=True) as warehouse:
        _, ctx = build_with_context(warehouse, QUARTER, settings=settings)
        fresh = FigureContext(ctx.warehouse, ctx.base, ctx.unit, ctx.windows, ctx.targets)
        planned = {(m.name, q) for m, q in planned_queries(fresh, pack_metrics(True), CURRENT_ONLY)}
        ran = {key for key in ctx.cache if len(key) == 2 and isinstance(key[1], MetricQuery)}
        assert ran and ran <= planned
        two_at_a_time = FigureContext(ctx.warehouse, ctx.base, ctx.unit, ctx.windows, ctx.targets)
        assert prefetch(two_at_a_time, pack_metrics(True), CURRENT_ONLY, workers=2) == len(planned)
    for key, values in ctx.cache.items():
        if key in two_at_a_time.cache:
            assert two_at_a_time.cache[key] == values or _close(two_at_a_time.cache[key], values), key


def _close(a, b) -> bool:
    """Rows equal but for the last digits of sums DuckDB may add in another order."""
    if a is None or b is None or len(a) != len(b):
        return a == b
    return all(x.keys() == y.keys() and all(_same(x[k], y[k]) for k in x) for x, y in zip(a, b, strict=True))


def _same(x, y) -> bool:
    if isinstance(x, float) and isinstance(y, float):
        return math.isclose(x, y, rel_tol=1e-9)
    return x == y


def test_the_dora_bands_table_says_what_each_band_measures(demo, org_pack):
    """The bands are judged on DORA's own measures (a median of deploy days per week, not the
    card's mean): each row says its measure, as ``metrics show dora_performance`` gives it."""
    table = next(t for s in org_pack.sections for t in s.tables if t.title.startswith("DORA performance bands"))
    assert table.columns == ("Key", "Value", "Measured as", "Band")
    rows = cli_rows(demo, table.note)
    assert [(r[2], r[3]) for r in table.rows] == [(r["unit"], r["band"]) for r in rows if r.get("band")]
    assert any("median" in r[2] for r in table.rows)
