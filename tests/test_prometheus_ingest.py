"""Reading SLIs from Prometheus, against a real server on 127.0.0.1 that answers range
queries from real recorded samples: 12 hours (2019-07-28 10:00-22:00 UTC) of the metric
``up`` for 9 scrape targets of a Red Hat Prometheus, one of them always down and two
flapping, kept by prometheus-api-client-python (the ``data.result`` matrices of two 6-hour
reads of ``up``, scraped every 20 s or 60 s, at unaligned times).

Prometheus answers ``query_range`` at ``start``, ``start + step`` ... ``end``, each point being
the latest sample at or before that time. The test server does the same from the recorded
samples, with one difference: it looks back one step (Prometheus: 5 minutes), so a time
with no sample in the step before it is a gap. It knows three queries:

- ``up``: the recorded series themselves (the SLI's good events: targets up);
- ``count(up)``: one series, the number of targets with a point at each time (total);
- ``up{instance="...prophet-1..."}``: one flapping target's series (a ratio SLI).

So the expected windows are: good = the sum of the targets' recorded values at that time,
total = the number of targets with a point then, both worked out here from the JSON files.
Syncs run with a fixed "now" (22:00), hence through ``run_source``; the command line is
run for what only it does (flags, the token, an error's message)."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from quarterdeck.config import load_settings
from quarterdeck.core.errors import ConfigError, SourceError
from quarterdeck.pipeline.run import run_source
from quarterdeck.sources.project_file import load_sources, one_off
from quarterdeck.sources.reading import SyncContext
from quarterdeck.store import open_warehouse
from tests.conftest import run_quarterdeck
from tests.replay import FIXTURES, Exchange, Replay, serve
from tests.warehouse_rows import query

UP = FIXTURES / "prometheus" / "4n4nd__prometheus-api-client-python" / "up" / "20190728"
GOOD, TOTAL = "up", "count(up)"
FLAPPING = "prometheus-anomaly-detector-prophet-1.cloud.paas.psi.redhat.com:80"
RATIO = f'up{{instance="{FLAPPING}"}}'
START = datetime(2019, 7, 28, 10, 0, tzinfo=UTC)
NOW = datetime(2019, 7, 28, 22, 0, tzinfo=UTC)
STEP = 60
TOKEN = "prom-bearer-secret-7"


def recorded_samples() -> list[tuple[dict, list[tuple[float, str]]]]:
    """Each target's labels and its samples from both files, oldest first."""
    series: dict[str, tuple[dict, list]] = {}
    for name in ("201907281200.json", "201907281800.json"):
        for item in json.loads((UP / name).read_text()):
            key = json.dumps(item["metric"], sort_keys=True)
            series.setdefault(key, (item["metric"], []))[1].extend((float(t), v) for t, v in item["values"])
    return [(labels, sorted(samples)) for labels, samples in series.values()]


def evaluated(first: int, last: int, step: int, only: str | None = None) -> list[dict]:
    """The matrix Prometheus would answer for ``up`` at first, first + step ... last: for each
    target, the latest sample in (t - step, t]."""
    result = []
    for labels, samples in recorded_samples():
        if only and labels["instance"] != only:
            continue
        points: dict[int, str] = {}
        for at, value in samples:
            t = math.ceil(at / step) * step
            if first <= t <= last:
                points[t] = value  # a later sample of the same step replaces an earlier one
        if points:
            result.append({"metric": labels, "values": [[t, points[t]] for t in sorted(points)]})
    return result


def counted(series: list[dict]) -> list[dict]:
    """``count(...)`` of a matrix: one series, the number of series with a point at each time."""
    count: dict[int, int] = defaultdict(int)
    for one in series:
        for t, _ in one["values"]:
            count[t] += 1
    return [{"metric": {}, "values": [[t, str(count[t])] for t in sorted(count)]}] if count else []


class PrometheusReplay(Replay):
    """Answers recorded exchanges first (the errors a test puts in front), then any range
    query of the three known queries from the recorded samples."""

    def answer(self, method: str, path: str) -> Exchange | None:
        given = super().answer(method, path)
        if given is not None or not path.startswith("/api/v1/query_range?"):
            return given
        return computed(path)


def computed(path: str) -> Exchange:
    """The answer to a range query of one of the three known queries, from the recordings."""
    params = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
    first, last, step = int(params["start"]), int(params["end"]), int(params["step"])
    matrix = {
        GOOD: lambda: evaluated(first, last, step),
        TOTAL: lambda: counted(evaluated(first, last, step)),
        RATIO: lambda: evaluated(first, last, step, only=FLAPPING),
    }[params["query"]]()
    return matrix_answer(path, matrix)


def matrix_answer(path: str, matrix: list[dict], status: int = 200) -> Exchange:
    body = {"status": "success", "data": {"resultType": "matrix", "result": matrix}}
    return Exchange("GET", path, status, {"Content-Type": "application/json"}, json.dumps(body).encode())


def range_path(query_text: str, first: datetime, last: datetime, step: int = STEP) -> str:
    params = {"query": query_text, "start": int(first.timestamp()), "end": int(last.timestamp()), "step": step}
    return "/api/v1/query_range?" + urlencode(params)


def expected_windows(first: datetime, last: datetime, step: int = STEP) -> list[tuple]:
    """(service, window start, window end, good, total) at every time some target has a point."""
    good: dict[int, float] = defaultdict(float)
    total: dict[int, int] = defaultdict(int)
    for one in evaluated(int(first.timestamp()), int(last.timestamp()), step):
        for t, value in one["values"]:
            good[t] += float(value)
            total[t] += 1
    return [("api", _at(t), _at(t + step), good[t], float(total[t])) for t in sorted(total)]


def _at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def sync(db: Path, replay: Replay, slis: list[dict], now: datetime = NOW, **options) -> tuple[list, list]:
    """One sync with a fixed time; returns its results and the waits it was told about."""
    waits: list[str] = []
    source = one_off("prometheus", tuple(slis), replay.base_url, step=f"{STEP}s", **options)
    context = SyncContext(START, now, lambda _, why: waits.append(why))
    with open_warehouse(db) as warehouse:
        results = run_source(warehouse, load_settings(cli={"db": db}, env={}), source, context)
    return results, waits


SLI = {"service": "api", "good": GOOD, "total": TOTAL}
WINDOWS = "SELECT service, window_start, window_end, good, total FROM availability_windows ORDER BY window_start"
CHUNKS = [
    (START, START + timedelta(hours=6) - timedelta(seconds=STEP)),
    (START + timedelta(hours=6), NOW - timedelta(seconds=STEP)),
]


def chunk_paths(chunks=CHUNKS) -> list[str]:
    return [range_path(q, a, b) for a, b in chunks for q in (GOOD, TOTAL)]


def test_each_step_becomes_a_window_of_good_and_total_summed_over_the_series(tmp_path):
    """12 hours at 60 s in chunks of 360 points: two requests per query. 10:00 itself has no
    sample in the minute before it (the recordings start at 10:00:04): no window then."""
    db = tmp_path / "w.duckdb"
    with serve(PrometheusReplay()) as replay:
        [result], _ = sync(db, replay, [SLI], max_points=360)
    assert [p for _, p, _ in replay.received] == chunk_paths()
    expected = expected_windows(START, NOW - timedelta(seconds=STEP))
    assert len(expected) == 719 and expected[0][1] == START + timedelta(minutes=1)
    assert any(good < total for _, _, _, good, total in expected)  # the down target counts in total only
    assert query(db, WINDOWS) == expected
    assert (result.read, result.stored, result.problems) == (719, 719, [])
    assert query(db, "SELECT DISTINCT kind FROM availability_windows") == [("events",)]
    assert query(db, "SELECT cursor FROM source_cursors WHERE scope = 'api'") == [(NOW.isoformat(),)]


def test_a_time_without_points_is_a_gap_not_a_window(tmp_path):
    """Prometheus has nothing for 13:00-13:10 (the test answers those chunks without points
    there, as when Prometheus was down): those ten minutes are no windows."""
    outage = range(
        int((START + timedelta(hours=3)).timestamp()), int((START + timedelta(hours=3, minutes=10)).timestamp())
    )
    replay_with_outage = PrometheusReplay()
    for (first, last), name in [(c, q) for c in CHUNKS for q in (GOOD, TOTAL)]:
        matrix = evaluated(int(first.timestamp()), int(last.timestamp()), STEP)
        for one in matrix:
            one["values"] = [p for p in one["values"] if p[0] not in outage]
        replay_with_outage.add(
            matrix_answer(range_path(name, first, last), matrix if name == GOOD else counted(matrix))
        )
    db = tmp_path / "w.duckdb"
    with serve(replay_with_outage) as replay:
        sync(db, replay, [SLI], max_points=360)
    expected = [
        w for w in expected_windows(START, NOW - timedelta(seconds=STEP)) if int(w[1].timestamp()) not in outage
    ]
    assert len(expected) == 719 - 10
    assert query(db, WINDOWS) == expected


def test_a_rate_limit_and_a_server_error_are_waited_out(tmp_path):
    db = tmp_path / "w.duckdb"
    flaky = PrometheusReplay()
    paths = chunk_paths()
    flaky.add(Exchange("GET", paths[1], 502, {}, b"<html>Bad Gateway</html>"))
    flaky.add(computed(paths[1]))
    flaky.add(Exchange("GET", paths[2], 429, {"Retry-After": "1"}, b"Too Many Requests"))
    flaky.add(computed(paths[2]))
    with serve(flaky) as replay:
        [result], waits = sync(db, replay, [SLI], max_points=360)
    assert [p for _, p, _ in replay.received] == [paths[0], paths[1], paths[1], paths[2], paths[2], paths[3]]
    assert waits == [
        "Prometheus: 502 Bad Gateway; retrying in 1 s",
        "Prometheus: rate limited; waiting 1 s as the API asks",
    ]
    assert result.stored == 719 and query(db, "SELECT count(*) FROM availability_windows") == [(719,)]


def test_an_interrupted_sync_stores_nothing_and_the_next_one_completes(tmp_path):
    db = tmp_path / "w.duckdb"
    refused = PrometheusReplay()
    refused.add(Exchange("GET", chunk_paths()[3], 401, {"Content-Type": "text/plain"}, b"Unauthorized"))
    with serve(refused) as replay, pytest.raises(SourceError) as stopped:
        sync(db, replay, [SLI], max_points=360)
    assert "answered 401 Unauthorized" in str(stopped.value) and "PROMETHEUS_TOKEN" in str(stopped.value)
    assert "(SLI of service api, total query)" in str(stopped.value)
    assert query(db, "SELECT count(*) FROM availability_windows") == [(0,)]
    assert query(db, "SELECT count(*) FROM source_cursors") == [(0,)]
    with serve(PrometheusReplay()) as replay:
        sync(db, replay, [SLI], max_points=360)
    assert query(db, WINDOWS) == expected_windows(START, NOW - timedelta(seconds=STEP))


def test_a_second_sync_asks_only_for_windows_that_ended_since(tmp_path):
    db = tmp_path / "w.duckdb"
    with serve(PrometheusReplay()) as replay:
        sync(db, replay, [SLI])
        assert len(replay.received) == 2  # one chunk of at most 11,000 points per query
        replay.received.clear()
        [same], _ = sync(db, replay, [SLI])
        assert replay.received == [] and same.read == 0  # no whole window has ended since
        [later], _ = sync(db, replay, [SLI], now=NOW + timedelta(minutes=10, seconds=30))
    first, last = NOW, NOW + timedelta(minutes=9)
    assert [p for _, p, _ in replay.received] == [range_path(GOOD, first, last), range_path(TOTAL, first, last)]
    # the recordings end at 21:59:51, so only 22:00 (the latest sample before it) has points
    assert later.read == 1 and later.cursor == (NOW + timedelta(minutes=1)).isoformat()
    assert query(db, WINDOWS) == expected_windows(START, last)


def test_a_nan_is_reported_with_service_and_time_and_read_again(tmp_path):
    """One target's value at 12:00 is changed to "NaN" (what Prometheus writes for 0/0)."""
    db = tmp_path / "w.duckdb"
    at = int((START + timedelta(hours=2)).timestamp())
    first, last = CHUNKS[0]
    matrix = evaluated(int(first.timestamp()), int(last.timestamp()), STEP)
    matrix[0]["values"] = [[t, "NaN" if t == at else v] for t, v in matrix[0]["values"]]
    with_nan = PrometheusReplay()
    with_nan.add(matrix_answer(range_path(GOOD, first, last), matrix))
    with serve(with_nan) as replay:
        [result], _ = sync(db, replay, [SLI], max_points=360)
    bad = _at(at).isoformat()
    assert [(p.scope, p.record_id, p.problem) for p in result.problems] == [
        ("api", bad, "the good query gave 'NaN', not a finite number")
    ]
    assert query(db, "SELECT count(*) FROM availability_windows") == [(718,)]
    assert query(db, "SELECT scope, record_id FROM source_problems") == [("api", bad)]
    assert query(db, "SELECT cursor FROM source_cursors") == [(bad,)]
    with serve(PrometheusReplay()) as replay:
        sync(db, replay, [SLI], max_points=360)
    resumed = [
        (_at(at), _at(at) + timedelta(hours=6) - timedelta(seconds=STEP)),
        (_at(at) + timedelta(hours=6), NOW - timedelta(seconds=STEP)),
    ]
    assert [p for _, p, _ in replay.received] == chunk_paths(resumed)
    assert query(db, WINDOWS) == expected_windows(START, NOW - timedelta(seconds=STEP))
    assert query(db, "SELECT count(*) FROM source_problems") == [(0,)]


def test_a_ratio_sli_gives_good_equal_to_the_ratio_out_of_one(tmp_path):
    db = tmp_path / "w.duckdb"
    with serve(PrometheusReplay()) as replay:
        sync(db, replay, [{"service": "detector", "ratio": RATIO}])
    [series] = evaluated(int(START.timestamp()), int(NOW.timestamp()) - STEP, STEP, only=FLAPPING)
    expected = [("detector", _at(t), _at(t + STEP), float(v), 1.0) for t, v in series["values"]]
    assert query(db, WINDOWS) == expected
    assert {w[3] for w in expected} == {0.0, 1.0}


def test_the_command_line_reads_an_sli_with_the_token_from_the_environment(tmp_path):
    """Run as a user would (now is today): from --since to now at 1-hour steps, in chunks of
    11,000 points; only the recorded hours have points (11:00 to 22:00, each from the hour
    before it)."""
    db = tmp_path / "w.duckdb"
    with serve(PrometheusReplay()) as replay:
        result = run_quarterdeck(
            "ingest", "prometheus", "--base-url", replay.base_url, "--service", "api", "--good", GOOD,
            "--total", TOTAL, "--step", "1h", "--since", "2019-07-28", "--db", str(db), "--format", "json",
            env={"PROMETHEUS_TOKEN": TOKEN},
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    day = datetime(2019, 7, 28, tzinfo=UTC)
    expected = expected_windows(day, day + timedelta(days=1), step=3600)
    assert query(db, WINDOWS) == expected and len(expected) == 12
    assert all(h["authorization"] == f"Bearer {TOKEN}" for _, _, h in replay.received)
    assert TOKEN not in result.stdout + result.stderr
    assert json.loads(result.stdout)[0]["cursor"] == (NOW + timedelta(hours=1)).isoformat()


class ErrorReplay(Replay):
    """Prometheus refusing every range query, as it does a query it cannot run."""

    def answer(self, method: str, path: str) -> Exchange | None:
        body = {"status": "error", "errorType": "bad_data", "error": 'invalid parameter "query": 1:6: parse error'}
        return Exchange("GET", path, 400, {"Content-Type": "application/json"}, json.dumps(body).encode())


def test_an_error_answer_is_reported_quoting_prometheus(tmp_path):
    with serve(ErrorReplay()) as replay:
        result = run_quarterdeck(
            "ingest", "prometheus", "--base-url", replay.base_url, "--service", "api", "--good", "sum(",
            "--total", TOTAL, "--db", str(tmp_path / "w.duckdb"),
        )  # fmt: skip
    assert result.returncode == 1
    assert 'invalid parameter "query": 1:6: parse error' in result.stderr
    assert "SLI of service api, good query" in result.stderr


def test_the_help_teaches_the_queries_and_the_token():
    result = run_quarterdeck("ingest", "prometheus", "--help")
    assert result.returncode == 0
    for words in ("PROMETHEUS_TOKEN", "--good", "--total", "--ratio", "--step", "query_range", "Examples"):
        assert words in result.stdout


def test_an_sli_that_fails_does_not_stop_the_others(tmp_path):
    """Prometheus refuses the first SLI's query (400): that SLI stores nothing and keeps no
    cursor, and the second is read and stored whole."""
    db = tmp_path / "w.duckdb"
    refusing = PrometheusReplay()
    body = {"status": "error", "errorType": "bad_data", "error": "parse error"}
    path = range_path(RATIO, START, NOW - timedelta(seconds=STEP))
    refusing.add(Exchange("GET", path, 400, {"Content-Type": "application/json"}, json.dumps(body).encode()))
    with serve(refusing) as replay:
        failed, stored = sync(db, replay, [{"service": "detector", "ratio": RATIO}, SLI])[0]
    assert "parse error" in failed.error and "(SLI of service detector, ratio query)" in failed.error
    assert (failed.scope, failed.stored, failed.cursor) == ("detector", 0, None)
    assert (stored.scope, stored.error, stored.stored) == ("api", None, 719)
    assert query(db, WINDOWS) == expected_windows(START, NOW - timedelta(seconds=STEP))
    assert query(db, "SELECT scope FROM source_cursors") == [("api",)]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("step: 5x", "'step' must be a duration longer than zero, such as 30s, 5m, 1h or 1d"),
        ("lookback: 0d", "'lookback' must be a duration longer than zero, such as 30s, 5m, 1h or 1d"),
        ("max_points: 1", "'max_points' must be a whole number from 2 to 11000"),
        ("chunk: 5", "unknown option 'chunk' for a prometheus source (known: lookback, max_points, step)"),
    ],
)
def test_a_bad_option_is_refused_when_the_project_file_is_read(tmp_path, option, message):
    path = tmp_path / "quarterdeck.yaml"
    path.write_text(f"sources:\n  - type: prometheus\n    base_url: http://127.0.0.1:9\n    {option}\n")
    with pytest.raises(ConfigError) as refused:
        load_sources(path)
    assert f"{path}, source 1 (prometheus): {message}" in str(refused.value)


@pytest.mark.parametrize("queries", [("--good", GOOD), ("--ratio", RATIO, "--total", TOTAL)])
def test_the_command_line_needs_good_and_total_or_ratio_alone(queries):
    result = run_quarterdeck("ingest", "prometheus", "--base-url", "http://127.0.0.1:9", "--service", "api", *queries)
    assert result.returncode == 2 and "give --good and --total, or --ratio alone" in result.stderr
