"""`quarterdeck ingest opsgenie` against a real server on 127.0.0.1 replaying incidents that
Opsgenie returned: three with their timelines (recorded by Faros AI, whose file keeps the
list items, each with its timeline entries, without Opsgenie's envelopes, so those are put
back here) and two of one service (recorded by Apache DevLake, without timelines: those are
answered empty). Expected values are read from the recordings with Python's own csv and
json, or written out by hand, independently of the connector."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from tests.conftest import run_quarterdeck
from tests.replay import FIXTURES, Exchange, Replay, serve
from tests.warehouse_rows import query

DEVLAKE = FIXTURES / "opsgenie" / "apache__incubator-devlake" / "_raw_opsgenie_incidents.csv"
FAROS = FIXTURES / "opsgenie" / "faros-ai__airbyte-connectors" / "incidents.json"
TOKEN = "og-test-key-51d2"
RECORDED = "https://api.opsgenie.com"
TAIL = "offset={offset}&limit=100&sort=createdAt&order=asc"
LIST = "/v1/incidents?" + TAIL
SERVICE = "695bce3d-4621-4630-8ae1-24eb89c22d6e"  # DevLake's test service
CLOSED = "ad22c0c7-e703-4f5c-9549-1eb20a8c234d"  # Faros's second incident: resolved, then closed
OPEN = "2708292d-1ecd-45db-b19a-1f23d41e07f7"  # Faros's first incident, the oldest, still open


def parsed(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def recorded() -> tuple[list[dict], dict[str, list[dict]]]:
    """All five incidents, oldest first, and each one's timeline entries."""
    faros = json.loads(FAROS.read_text())
    with DEVLAKE.open(encoding="utf-8", newline="") as handle:
        devlake = [json.loads(row["data"]) for row in csv.DictReader(handle)]
    items = [{k: v for k, v in i.items() if k != "timelines"} for i in faros] + devlake
    timelines = {i["id"]: i.get("timelines", []) for i in faros + devlake}
    return sorted(items, key=lambda i: parsed(i["createdAt"])), timelines


def answer(path: str, body: object, headers: dict[str, str] | None = None, status: int = 200) -> Exchange:
    return Exchange(
        "GET", path, status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(body).encode()
    )


def page(items: list[dict], total: int, next_path: str | None = None) -> dict:
    paging = {"first": RECORDED + LIST.format(offset=0)} | ({"next": RECORDED + next_path} if next_path else {})
    return {"data": items, "paging": paging, "totalCount": total, "took": 0.01, "requestId": "replayed"}


def timeline_path(incident_id: str, offset: str | None = None) -> str:
    return f"/v2/incident-timelines/{incident_id}/entries" + (f"?offset={offset}" if offset else "")


def add_timelines(replay: Replay, timelines: dict[str, list[dict]]) -> None:
    """Each incident's timeline; the twelve entries of the closed one in two pages (8 + 4)."""
    for incident_id, entries in timelines.items():
        if len(entries) > 8:
            first = {"data": {"entries": entries[:8], "nextOffset": "8"}, "took": 0.01, "requestId": "replayed"}
            replay.add(answer(timeline_path(incident_id), first))
            rest = {"data": {"entries": entries[8:]}, "took": 0.01, "requestId": "replayed"}
            replay.add(answer(timeline_path(incident_id, "8"), rest))
        else:
            replay.add(answer(timeline_path(incident_id), {"data": {"entries": entries}, "took": 0.01}))


def opsgenie_replay(items: list[dict] | None = None, timelines: dict[str, list[dict]] | None = None) -> Replay:
    """Every incident in two pages (3, then 2) linked by ``paging.next``, and their timelines."""
    all_items, all_timelines = recorded()
    items = all_items if items is None else items
    replay = Replay(recorded_host=RECORDED)
    replay.add(answer(LIST.format(offset=0), page(items[:3], len(items), LIST.format(offset=3))))
    replay.add(answer(LIST.format(offset=3), page(items[3:], len(items))))
    add_timelines(replay, all_timelines if timelines is None else timelines)
    return replay


def since_path(moment: str, service: str | None = None) -> str:
    millis = round(parsed(moment).timestamp() * 1000)
    scope = f"impactedServices%3A{service}+AND+" if service else ""
    return f"/v1/incidents?query={scope}createdAt%3E%3D{millis}&" + TAIL.format(offset=0)


def ingest(db: Path, replay: Replay, *args: str) -> object:
    return run_quarterdeck(
        "ingest", "opsgenie", "--base-url", replay.base_url, "--db", str(db), "--format", "json", *args,
        env={"OPSGENIE_TOKEN": TOKEN},
    )  # fmt: skip


def first_time(entries: list[dict], kind: str) -> datetime | None:
    times = [parsed(e["eventTime"]) for e in entries if e["type"] == kind]
    return min(times) if times else None


def test_incidents_and_their_timelines_are_stored_as_opsgenie_returned_them(tmp_path):
    items, timelines = recorded()
    db = tmp_path / "w.duckdb"
    with serve(opsgenie_replay()) as replay:
        result = ingest(db, replay)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert [(r["scope"], r["resource"], r["read"], r["stored"], r["problems"]) for r in summary] == [
        ("all", "incidents", 5, 5, 0)
    ]
    assert summary[0]["cursor"] == "2022-04-05T03:26:35.289000+00:00"  # the oldest incident still open
    expected = []
    for item in items:
        entries = timelines[item["id"]]
        resolved = None
        if item["status"] != "open":
            resolved = first_time(entries, "IncidentResolved") or parsed(item["impactEndDate"])
        impacted = item["impactedServices"]
        expected.append(
            (
                f"opsgenie:{item['id']}",
                impacted[0] if impacted else None,
                item["priority"],
                int(item["priority"][1]),
                parsed(item["createdAt"]),
                first_time(entries, "ResponderAlertAcked"),
                resolved,
                item["message"],
            )
        )
    rows = query(
        db,
        "SELECT incident_id, service, severity, severity_rank, created_at, acknowledged_at, resolved_at, title "
        "FROM incidents ORDER BY created_at",
    )
    assert rows == expected
    # by hand: the closed incident was resolved at 15:42:42.188 (closed a minute later), and the
    # resolved DevLake incident, with no timeline, at its impactEndDate
    assert query(db, "SELECT resolved_at FROM incidents WHERE resolved_at IS NOT NULL ORDER BY 1") == [
        (datetime(2022, 4, 5, 15, 42, 42, 188000, tzinfo=UTC),),
        (datetime(2023, 9, 5, 18, 21, 21, 490000, tzinfo=UTC),),
    ]
    kinds = Counter(e["type"] for entries in timelines.values() for e in entries)
    assert sum(kinds.values()) == 4 + 12 + 4
    named = {"IncidentOpened": "trigger", "ResponderAlertAcked": "acknowledge", "IncidentResolved": "resolve"}
    stored = dict(query(db, "SELECT kind, count(*) FROM incident_events GROUP BY kind"))
    assert {kind: stored[named[kind]] for kind in named} == {kind: kinds[kind] for kind in named}
    assert stored["status_page_added"] == kinds["StatusPageAdded"] == 3
    assert stored["responder_alert_closed"] == kinds["ResponderAlertClosed"] == 3
    closed = next(e for e in timelines[CLOSED] if e["type"] == "IncidentClosed")
    assert query(
        db,
        "SELECT incident_id, happened_at, kind, actor, summary FROM incident_events WHERE event_id = ?",
        [closed["id"]],
    ) == [(f"opsgenie:{CLOSED}", parsed(closed["eventTime"]), "close", closed["actor"]["name"], "Incident closed")]
    assert TOKEN not in result.stdout + result.stderr
    assert all(h["authorization"] == f"GenieKey {TOKEN}" for _, _, h in replay.received)


def test_a_second_run_reads_again_from_the_oldest_incident_still_open(tmp_path):
    items, _ = recorded()
    db = tmp_path / "w.duckdb"
    with serve(opsgenie_replay()) as replay:
        assert ingest(db, replay).returncode == 0
        before = query(db, "SELECT * EXCLUDE (loaded_at) FROM incidents ORDER BY incident_id")
        again_path = since_path("2022-04-05T03:26:35.289Z")
        replay.add(answer(again_path, page(items, len(items))))
        replay.received.clear()
        again = ingest(db, replay)
    assert again.returncode == 0, again.stderr
    # one listing from the cursor (every incident is as new as the oldest open one), and the timelines again
    timeline_requests = [timeline_path(i["id"]) for i in items]
    timeline_requests.insert(timeline_requests.index(timeline_path(CLOSED)) + 1, timeline_path(CLOSED, "8"))
    assert [path for _, path, _ in replay.received] == [again_path, *timeline_requests]
    assert query(db, "SELECT * EXCLUDE (loaded_at) FROM incidents ORDER BY incident_id") == before
    assert query(db, "SELECT count(*) FROM incident_events") == [(20,)]


def test_with_nothing_open_a_second_run_makes_one_request_per_endpoint(tmp_path):
    """Only the resolved DevLake incident: the cursor is its creation time, and the next run
    reads it (and its timeline) once again, nothing more."""
    items, timelines = recorded()
    resolved = [i for i in items if i["status"] == "resolved"]
    db = tmp_path / "w.duckdb"
    with serve(opsgenie_replay(resolved, {i["id"]: timelines[i["id"]] for i in resolved})) as replay:
        result = ingest(db, replay)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)[0]["cursor"] == "2023-09-05T18:20:28.003000+00:00"
        again_path = since_path(resolved[0]["createdAt"])
        replay.add(answer(again_path, page(resolved, 1)))
        replay.received.clear()
        again = ingest(db, replay)
    assert again.returncode == 0, again.stderr
    assert [path for _, path, _ in replay.received] == [again_path, timeline_path(resolved[0]["id"])]


def test_an_incident_open_in_one_run_gets_its_resolution_in_the_next(tmp_path):
    items, timelines = recorded()
    entries = timelines[CLOSED]
    earlier_entries = [e for e in entries if parsed(e["eventTime"]) <= parsed("2022-04-05T15:40:00Z")]
    closed = next(i for i in items if i["id"] == CLOSED)
    earlier = {k: v for k, v in closed.items() if k != "impactEndDate"} | {"status": "open"}
    db = tmp_path / "w.duckdb"
    first_items = [earlier if i is closed else i for i in items]
    with serve(opsgenie_replay(first_items, {**timelines, CLOSED: earlier_entries})) as replay:
        assert ingest(db, replay).returncode == 0
    assert query(db, "SELECT resolved_at FROM incidents WHERE incident_id = ?", [f"opsgenie:{CLOSED}"]) == [(None,)]
    again = opsgenie_replay()
    again.add(answer(since_path("2022-04-05T03:26:35.289Z"), page(items, len(items))))
    with serve(again) as replay:
        assert ingest(db, replay).returncode == 0
    assert query(
        db, "SELECT acknowledged_at, resolved_at FROM incidents WHERE incident_id = ?", [f"opsgenie:{CLOSED}"]
    ) == [(datetime(2022, 4, 5, 15, 42, 42, 393000, tzinfo=UTC), datetime(2022, 4, 5, 15, 42, 42, 188000, tzinfo=UTC))]
    assert query(db, "SELECT count(*) FROM incident_events WHERE incident_id = ?", [f"opsgenie:{CLOSED}"]) == [(12,)]


def test_a_service_reads_the_incidents_impacting_it_under_its_quarterdeck_name(tmp_path):
    items, timelines = recorded()
    mine = [i for i in items if SERVICE in i["impactedServices"]]
    replay = Replay(recorded_host=RECORDED)
    path = since_path("2023-09-01T00:00:00Z", SERVICE)
    replay.add(answer(path, page(mine, len(mine))))
    add_timelines(replay, {i["id"]: timelines[i["id"]] for i in mine})
    db = tmp_path / "w.duckdb"
    with serve(replay):
        result = ingest(db, replay, "--service", f"{SERVICE}=api", "--since", "2023-09-01")
    assert result.returncode == 0, result.stderr
    assert replay.received[0][1] == path
    assert query(db, "SELECT incident_id, service, severity_rank FROM incidents ORDER BY created_at") == [
        (f"opsgenie:{i['id']}", "api", int(i["priority"][1])) for i in mine
    ]
    assert json.loads(result.stdout)[0]["scope"] == SERVICE


def test_a_rate_limit_and_a_bad_gateway_are_waited_out(tmp_path):
    db = tmp_path / "w.duckdb"
    limited = opsgenie_replay()
    limited.add(answer(LIST.format(offset=3), {"message": "Rate limit"}, {"Retry-After": "1"}, 429), first=True)
    limited.add(answer(timeline_path(CLOSED, "8"), {"message": "bad gateway"}, status=502), first=True)
    with serve(limited) as replay:
        result = ingest(db, replay)
    assert result.returncode == 0, result.stderr
    assert "rate limited; waiting 1 s as the API asks" in result.stderr
    assert "502 Bad Gateway; retrying in 1 s" in result.stderr
    assert query(db, "SELECT (SELECT count(*) FROM incidents), (SELECT count(*) FROM incident_events)") == [(5, 20)]


def test_an_interrupted_run_stores_nothing_and_the_next_one_completes(tmp_path):
    items, _ = recorded()
    db = tmp_path / "w.duckdb"
    broken = opsgenie_replay()
    last = items[-1]["id"]
    broken.add(answer(timeline_path(last), {"message": "Could not authenticate"}, status=401), first=True)
    with serve(broken) as replay:
        failed = ingest(db, replay)
    assert failed.returncode == 1
    assert (
        f'Opsgenie: GET v2/incident-timelines/{last}/entries answered 401 Unauthorized ("Could not authenticate")'
        in (failed.stderr)
    )
    assert "OPSGENIE_TOKEN must be the key of an API integration" in failed.stderr and TOKEN not in failed.stderr
    assert query(db, "SELECT (SELECT count(*) FROM incidents), (SELECT count(*) FROM incident_events), "
                     "(SELECT count(*) FROM source_cursors)") == [(0, 0, 0)]  # fmt: skip
    with serve(opsgenie_replay()) as replay:
        assert ingest(db, replay).returncode == 0
    assert query(db, "SELECT count(*), count(DISTINCT incident_id) FROM incidents") == [(5, 5)]


def test_an_unknown_priority_is_reported_with_the_incident_id_and_the_rest_stored(tmp_path):
    items, _ = recorded()
    bad = items[-1]  # DevLake's open incident, the newest
    db = tmp_path / "w.duckdb"
    with serve(opsgenie_replay([{**bad, "priority": "P9"} if i is bad else i for i in items])) as replay:
        result = ingest(db, replay)
    assert result.returncode == 3, result.stderr
    assert f"skipped: opsgenie all incidents opsgenie:{bad['id']}: ValueError: unknown priority 'P9'" in result.stderr
    assert query(db, "SELECT count(*) FROM incidents") == [(4,)]
    assert query(db, "SELECT record_id FROM source_problems") == [(f"opsgenie:{bad['id']}",)]
    assert parsed(query(db, "SELECT cursor FROM source_cursors")[0][0]) <= parsed(bad["createdAt"])


def test_the_help_says_what_is_read_and_where_the_token_comes_from():
    result = run_quarterdeck("ingest", "opsgenie", "--help")
    assert result.returncode == 0
    assert "OPSGENIE_TOKEN" in result.stdout and "timeline" in result.stdout and "api.eu.opsgenie.com" in result.stdout
