"""`quarterdeck ingest pagerduty` against a real server on 127.0.0.1 replaying incidents and
log entries that PagerDuty returned: three incidents of one service with their log entries
(recorded by Apache DevLake), and three of another account with their trigger entries
(recorded by Faros AI, whose files keep the list items without PagerDuty's envelope, so the
envelope is put back here). Expected values are read from the recordings with Python's own
csv and json, or written out by hand, independently of the connector."""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.replay import FIXTURES, Exchange, Replay, serve
from tests.warehouse_rows import query

DEVLAKE = FIXTURES / "pagerduty" / "apache__incubator-devlake" / "_raw_pagerduty_incidents.csv"
FAROS = FIXTURES / "pagerduty" / "faros-ai__airbyte-connectors"
TOKEN = "pd-test-token-8c1f"
TAIL = "limit=100&offset={offset}&total=true&sort_by=created_at%3Aasc"
ALL = "/incidents?date_range=all&" + TAIL
SERVICE = "PIKL83L"  # DevLake's test service, "DevService"
TRIGGERED, ACKNOWLEDGED, RESOLVED = "Q3YON8WNWTZMRQ", "Q3CZAU7Q4008QD", "Q1OHFWFP3GPXOG"


def parsed(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def devlake_items() -> list[dict]:
    csv.field_size_limit(sys.maxsize)
    with DEVLAKE.open(encoding="utf-8", newline="") as handle:
        return [json.loads(row["data"]) for row in csv.DictReader(handle)]


def incidents() -> list[dict]:
    """All six incidents, oldest first, without DevLake's embedded log entries."""
    items = [{k: v for k, v in i.items() if k != "log_entries"} for i in devlake_items()]
    items += json.loads((FAROS / "incidents.json").read_text())
    return sorted(items, key=lambda i: parsed(i["created_at"]))


def entries() -> dict[str, list[dict]]:
    """Each incident's log entries: DevLake's embedded ones, Faros's by their incident."""
    found = {i["id"]: i["log_entries"] for i in devlake_items()}
    for entry in json.loads((FAROS / "incidentLogEntries.json").read_text()):
        found.setdefault(entry["incident"]["id"], []).append(entry)
    return found


def answer(path: str, body: object, headers: dict[str, str] | None = None, status: int = 200) -> Exchange:
    return Exchange(
        "GET", path, status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(body).encode()
    )


def listing(items: list[dict], offset: int, more: bool, total: int) -> dict:
    return {"incidents": items, "limit": 100, "offset": offset, "more": more, "total": total}


def log_path(incident_id: str, offset: int = 0) -> str:
    return f"/incidents/{incident_id}/log_entries?is_overview=false&limit=100&offset={offset}"


def add_log_entries(replay: Replay, by_incident: dict[str, list[dict]]) -> None:
    """Each incident's log entries; the 31 of the first DevLake incident in two pages (20 + 11)."""
    for incident_id, found in by_incident.items():
        if len(found) > 20:
            replay.add(answer(log_path(incident_id), {"log_entries": found[:20], "limit": 100, "more": True}))
            replay.add(answer(log_path(incident_id, 20), {"log_entries": found[20:], "limit": 100, "more": False}))
        else:
            replay.add(answer(log_path(incident_id), {"log_entries": found, "limit": 100, "more": False}))


def pagerduty_replay(items: list[dict] | None = None) -> Replay:
    """Every incident (``date_range=all``) in two pages (4, then 2), and their log entries."""
    items = incidents() if items is None else items
    replay = Replay(recorded_host="https://api.pagerduty.com")
    replay.add(answer(ALL.format(offset=0), listing(items[:4], 0, True, len(items))))
    replay.add(answer(ALL.format(offset=4), listing(items[4:], 4, False, len(items))))
    add_log_entries(replay, entries())
    return replay


def windows(start: str, service: str | None = None) -> list[str]:
    """The listings of a run going on from ``start``: 180 days each, up to now."""
    paths, since, now = [], parsed(start), datetime.now(UTC)
    while since <= now:
        until = since + timedelta(days=180)
        fmt = "%Y-%m-%dT%H%%3A%M%%3A%SZ"
        scope = f"&service_ids%5B%5D={service}" if service else ""
        paths.append(f"/incidents?since={since:{fmt}}&until={until:{fmt}}{scope}&" + TAIL.format(offset=0))
        since = until
    return paths


def add_windows(replay: Replay, start: str, items: list[dict], service: str | None = None) -> list[str]:
    """Answers for every window from ``start``: the incidents created in each."""
    paths = windows(start, service)
    since = parsed(start)
    for path in paths:
        until = since + timedelta(days=180)
        found = [i for i in items if since <= parsed(i["created_at"]) < until]
        replay.add(answer(path, listing(found, 0, False, len(found))), first=True)
        since = until
    return paths


def ingest(db: Path, replay: Replay, *args: str) -> object:
    return run_quarterdeck(
        "ingest", "pagerduty", "--base-url", replay.base_url, "--db", str(db), "--format", "json", *args,
        env={"PAGERDUTY_TOKEN": TOKEN},
    )  # fmt: skip


def test_incidents_and_their_log_entries_are_stored_as_pagerduty_returned_them(tmp_path):
    items, by_incident = incidents(), entries()
    db = tmp_path / "w.duckdb"
    with serve(pagerduty_replay()) as replay:
        result = ingest(db, replay)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert [(r["scope"], r["resource"], r["read"], r["stored"], r["problems"]) for r in summary] == [
        ("all", "incidents", 6, 6, 0)
    ]
    # by hand from the recordings: the oldest incident not resolved is Faros's first, 2021-10-27 08:05:59
    assert summary[0]["cursor"] == "2021-10-27T08:05:59+00:00"
    rows = query(
        db,
        "SELECT incident_id, service, severity, severity_rank, created_at, acknowledged_at, resolved_at, title "
        "FROM incidents ORDER BY created_at",
    )
    expected = []
    for item in items:
        acks = [parsed(e["created_at"]) for e in by_incident[item["id"]] if e["type"] == "acknowledge_log_entry"]
        acks += [parsed(a["at"]) for a in item["acknowledgements"]] if not acks else []
        resolves = [parsed(e["created_at"]) for e in by_incident[item["id"]] if e["type"] == "resolve_log_entry"]
        expected.append(
            (
                f"pagerduty:{item['id']}",
                item["service"]["summary"],
                item["urgency"],
                {"high": 2, "low": 4}[item["urgency"]],
                parsed(item["created_at"]),
                min(acks) if acks else None,
                max(resolves) if item["status"] == "resolved" else None,
                item["title"],
            )
        )
    assert rows == expected
    # by hand: the first acknowledgement of the triggered incident, and the resolution of the resolved one
    assert query(db, "SELECT acknowledged_at FROM incidents WHERE incident_id = ?", [f"pagerduty:{TRIGGERED}"]) == [
        (datetime(2022, 11, 3, 6, 23, 7, tzinfo=UTC),)
    ]
    assert query(db, "SELECT resolved_at FROM incidents WHERE resolved_at IS NOT NULL") == [
        (datetime(2022, 11, 3, 6, 51, 44, tzinfo=UTC),)
    ]
    kinds = Counter(e["type"].removesuffix("_log_entry") for found in by_incident.values() for e in found)
    assert sum(kinds.values()) == 31 + 5 + 8 + 3
    assert dict(query(db, "SELECT kind, count(*) FROM incident_events GROUP BY kind")) == dict(kinds)
    first = by_incident[TRIGGERED][-1]  # the trigger entry, listed last (newest first)
    assert query(
        db, "SELECT happened_at, kind, actor, summary FROM incident_events WHERE event_id = ?", [first["id"]]
    ) == [(parsed(first["created_at"]), "trigger", first["agent"]["summary"], first["summary"])]
    assert TOKEN not in result.stdout + result.stderr
    assert all(h["authorization"] == f"Token token={TOKEN}" for _, _, h in replay.received)
    assert all(h["accept"] == "application/vnd.pagerduty+json;version=2" for _, _, h in replay.received)
    assert query(db, "SELECT count(*) FROM source_problems") == [(0,)]


def test_a_second_run_reads_again_from_the_oldest_incident_not_resolved(tmp_path):
    db = tmp_path / "w.duckdb"
    items = incidents()
    with serve(pagerduty_replay()) as replay:
        assert ingest(db, replay).returncode == 0
        before = query(db, "SELECT * EXCLUDE (loaded_at) FROM incidents ORDER BY incident_id")
        paths = add_windows(replay, "2021-10-27T08:05:59Z", items)
        replay.received.clear()
        again = ingest(db, replay)
    assert again.returncode == 0, again.stderr
    # every incident was created at or after the cursor: each listing window once, then the log
    # entries of the six incidents again (five are unresolved; the newest is the resolved one)
    logs = [log_path(i["id"]) for i in items]
    logs.insert(logs.index(log_path(TRIGGERED)) + 1, log_path(TRIGGERED, 20))
    assert [path for _, path, _ in replay.received] == paths + logs
    assert json.loads(again.stdout)[0]["cursor"] == "2021-10-27T08:05:59+00:00"
    assert query(db, "SELECT * EXCLUDE (loaded_at) FROM incidents ORDER BY incident_id") == before
    assert query(db, "SELECT count(*) FROM incident_events") == [(47,)]


def as_of(item: dict, found: list[dict], moment: str) -> tuple[dict, list[dict]]:
    """The resolved incident as PagerDuty showed it at ``moment``, before it was resolved: its
    log entries up to then, acknowledged (its last status change then)."""
    earlier = [e for e in found if parsed(e["created_at"]) <= parsed(moment)]
    ack = max(e["created_at"] for e in earlier if e["type"] == "acknowledge_log_entry")
    return {**item, "status": "acknowledged", "last_status_change_at": ack}, earlier


def test_an_incident_open_in_one_run_gets_its_resolution_in_the_next(tmp_path):
    db = tmp_path / "w.duckdb"
    service_items = [i for i in incidents() if i["service"]["id"] == SERVICE]
    by_incident = entries()
    earlier, earlier_entries = as_of(
        next(i for i in service_items if i["id"] == RESOLVED), by_incident[RESOLVED], "2022-11-03T06:46:00Z"
    )
    first_items = [earlier if i["id"] == RESOLVED else i for i in service_items]
    first = Replay(recorded_host="https://api.pagerduty.com")
    add_windows(first, "2022-11-03T00:00:00Z", first_items, SERVICE)
    add_log_entries(first, {**{i["id"]: by_incident[i["id"]] for i in service_items}, RESOLVED: earlier_entries})
    args = ("--service", f"{SERVICE}=api")
    with serve(first) as replay:
        result = ingest(db, replay, *args, "--since", "2022-11-03")
    assert result.returncode == 0, result.stderr
    assert query(
        db,
        "SELECT service, acknowledged_at, resolved_at FROM incidents WHERE incident_id = ?",
        [f"pagerduty:{RESOLVED}"],
    ) == [("api", datetime(2022, 11, 3, 6, 45, 46, tzinfo=UTC), None)]
    assert json.loads(result.stdout)[0]["cursor"] == "2022-11-03T06:23:06+00:00"
    second = Replay(recorded_host="https://api.pagerduty.com")
    add_windows(second, "2022-11-03T06:23:06Z", service_items, SERVICE)
    add_log_entries(second, {i["id"]: by_incident[i["id"]] for i in service_items})
    with serve(second) as replay:
        again = ingest(db, replay, *args)
    assert again.returncode == 0, again.stderr
    assert all("service_ids%5B%5D=PIKL83L" in p for _, p, _ in replay.received if p.startswith("/incidents?"))
    assert query(db, "SELECT resolved_at FROM incidents WHERE incident_id = ?", [f"pagerduty:{RESOLVED}"]) == [
        (datetime(2022, 11, 3, 6, 51, 44, tzinfo=UTC),)
    ]
    assert query(db, "SELECT count(*) FROM incident_events WHERE incident_id = ?", [f"pagerduty:{RESOLVED}"]) == [(8,)]


def test_a_rate_limit_and_a_bad_gateway_are_waited_out(tmp_path):
    db = tmp_path / "w.duckdb"
    limited = pagerduty_replay()
    limit = answer(ALL.format(offset=4), {"error": {"message": "Rate Limit Exceeded"}}, {"Retry-After": "1"}, 429)
    limited.add(limit, first=True)
    limited.add(answer(log_path(ACKNOWLEDGED), {"error": "bad gateway"}, status=502), first=True)
    with serve(limited) as replay:
        result = ingest(db, replay)
    assert result.returncode == 0, result.stderr
    assert "rate limited; waiting 1 s as the API asks" in result.stderr
    assert "502 Bad Gateway; retrying in 1 s" in result.stderr
    assert query(db, "SELECT count(*) FROM incidents") == [(6,)]
    assert query(db, "SELECT count(*) FROM incident_events") == [(47,)]
    received = [path for _, path, _ in replay.received]
    assert received.count(ALL.format(offset=4)) == 2 and received.count(log_path(ACKNOWLEDGED)) == 2


def test_an_interrupted_run_stores_nothing_and_the_next_one_completes(tmp_path):
    db = tmp_path / "w.duckdb"
    broken = pagerduty_replay()
    refused = answer(log_path(ACKNOWLEDGED), {"error": {"message": "Invalid Token", "code": 2006}}, status=401)
    broken.add(refused, first=True)
    with serve(broken) as replay:
        failed = ingest(db, replay)
    assert failed.returncode == 1
    assert (
        f'PagerDuty: GET incidents/{ACKNOWLEDGED}/log_entries answered 401 Unauthorized ("Invalid Token")'
        in failed.stderr
    )
    assert "PAGERDUTY_TOKEN must be a REST API key" in failed.stderr and TOKEN not in failed.stderr
    assert query(db, "SELECT (SELECT count(*) FROM incidents), (SELECT count(*) FROM incident_events), "
                     "(SELECT count(*) FROM source_cursors)") == [(0, 0, 0)]  # fmt: skip
    with serve(pagerduty_replay()) as replay:
        assert ingest(db, replay).returncode == 0
    assert query(db, "SELECT count(*), count(DISTINCT incident_id) FROM incidents") == [(6, 6)]
    assert query(db, "SELECT count(*) FROM incident_events") == [(47,)]


def test_a_malformed_page_is_an_error_naming_the_request(tmp_path):
    db = tmp_path / "w.duckdb"
    broken = pagerduty_replay()
    malformed = Exchange("GET", ALL.format(offset=4), 200, {"Content-Type": "application/json"}, b'{"incidents": []}}')
    broken.add(malformed, first=True)  # whole, but not JSON: not a body cut off, which is tried again
    with serve(broken) as replay:
        failed = ingest(db, replay)
    assert failed.returncode == 1
    assert f"PagerDuty: GET {ALL.format(offset=4)} answered with malformed JSON" in failed.stderr
    assert query(db, "SELECT (SELECT count(*) FROM incidents), (SELECT count(*) FROM source_cursors)") == [(0, 0)]


def test_an_unknown_status_is_reported_with_the_incident_id_and_the_rest_stored(tmp_path):
    items = incidents()
    bad = items[1]  # Faros's second incident, 2021-10-29 05:45:33
    db = tmp_path / "w.duckdb"
    with serve(pagerduty_replay([{**bad, "status": "snoozed"} if i is bad else i for i in items])) as replay:
        result = ingest(db, replay)
    assert result.returncode == 3, result.stderr
    assert f"skipped: pagerduty all incidents pagerduty:{bad['id']}: ValueError: unknown status 'snoozed'" in (
        result.stderr
    )
    assert query(db, "SELECT count(*) FROM incidents WHERE incident_id <> ?", [f"pagerduty:{bad['id']}"]) == [(5,)]
    assert query(db, "SELECT count(*) FROM incidents WHERE incident_id = ?", [f"pagerduty:{bad['id']}"]) == [(0,)]
    assert query(db, "SELECT count(*) FROM incident_events WHERE incident_id = ?", [f"pagerduty:{bad['id']}"]) == [(0,)]
    assert query(db, "SELECT record_id FROM source_problems") == [(f"pagerduty:{bad['id']}",)]
    cursor = query(db, "SELECT cursor FROM source_cursors")[0][0]
    assert parsed(cursor) <= parsed(bad["created_at"])


def test_an_incident_without_a_creation_time_holds_the_cursor(tmp_path):
    items = incidents()
    bad = items[-1]  # DevLake's resolved incident, the newest
    db = tmp_path / "w.duckdb"
    missing = {k: v for k, v in bad.items() if k != "created_at"}
    with serve(pagerduty_replay([missing if i is bad else i for i in items])) as replay:
        result = ingest(db, replay)
    assert result.returncode == 3, result.stderr
    assert f"pagerduty:{bad['id']}: field created_at: missing" in result.stderr
    assert query(db, "SELECT count(*) FROM incidents") == [(5,)]
    assert query(db, "SELECT count(*) FROM source_cursors") == [(0,)]  # read again from the start next time


@pytest.mark.parametrize(("flag", "severity", "rank"), [("priority", "P1", 1), ("urgency", "high", 2)])
def test_severity_comes_from_the_priority_or_the_urgency(tmp_path, flag, severity, rank):
    """A priority of the account's (``prioritiesResource.json``) set on one incident: Faros's
    recorded incidents have none."""
    p1 = json.loads((FAROS / "prioritiesResource.json").read_text())[0]
    items = incidents()
    priority = {k: p1[k] for k in ("id", "summary", "self")} | {"type": "priority_reference"}
    items[0] = {**items[0], "priority": priority}
    db = tmp_path / "w.duckdb"
    with serve(pagerduty_replay(items)) as replay:
        result = ingest(db, replay, "--severity-from", flag)
    assert result.returncode == 0, result.stderr
    assert query(
        db, "SELECT severity, severity_rank FROM incidents WHERE incident_id = ?", [f"pagerduty:{items[0]['id']}"]
    ) == [(severity, rank)]


@pytest.mark.parametrize("bad", ["=api", "PIKL83L="])
def test_a_service_must_be_an_id_with_an_optional_name(bad):
    result = run_quarterdeck("ingest", "pagerduty", "--service", bad)
    assert result.returncode == 2 and "--service must be ID or ID=NAME" in result.stderr


def test_the_help_says_what_is_read_and_where_the_token_comes_from():
    result = run_quarterdeck("ingest", "pagerduty", "--help")
    assert result.returncode == 0
    assert "PAGERDUTY_TOKEN" in result.stdout and "log entries" in result.stdout and "Examples" in result.stdout


def test_a_project_file_names_services_and_options(tmp_path):
    """``services:`` entries as in quarterdeck.yaml: a mapping to the Quarterdeck service, and
    ``severity_from``; an option the connector does not know is refused."""
    items = [i for i in incidents() if i["service"]["id"] == SERVICE]
    replay = Replay(recorded_host="https://api.pagerduty.com")
    add_windows(replay, "2022-11-01T00:00:00Z", items, SERVICE)
    add_log_entries(replay, {i["id"]: entries()[i["id"]] for i in items})
    db, project = tmp_path / "w.duckdb", tmp_path / "quarterdeck.yaml"
    with serve(replay):
        project.write_text(
            f"sources:\n  - type: pagerduty\n    base_url: {replay.base_url}\n    since: 2022-11-01\n"
            f"    severity_from: urgency\n    services:\n      - {{id: {SERVICE}, service: api}}\n"
        )
        result = run_quarterdeck(
            "ingest", "all", "--project-file", str(project), "--db", str(db), "--format", "json",
            env={"PAGERDUTY_TOKEN": TOKEN},
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT service, severity, count(*) FROM incidents GROUP BY ALL ORDER BY 2") == [
        ("api", "high", 2),
        ("api", "low", 1),
    ]
    project.write_text("sources:\n  - type: pagerduty\n    severity: urgency\n")
    refused = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", str(db))
    assert refused.returncode == 2
    assert "unknown option 'severity' for a pagerduty source (known: severity_from)" in refused.stderr


def test_an_empty_service_is_refused_naming_the_flag():
    result = run_quarterdeck("ingest", "pagerduty", "--service", "")
    assert result.returncode == 2
    assert "--service must be ID or ID=NAME, such as PIKL83L=api, not ''" in result.stderr


def test_a_bad_option_value_is_refused_before_any_source_is_read(tmp_path):
    """The second connection's ``severity_from`` is refused when the file is read: the first
    connection, which is fine, is not read either."""
    db, project = tmp_path / "w.duckdb", tmp_path / "quarterdeck.yaml"
    with serve(pagerduty_replay()) as replay:
        project.write_text(
            f"sources:\n  - type: pagerduty\n    base_url: {replay.base_url}\n"
            f"  - type: pagerduty\n    name: second\n    base_url: {replay.base_url}\n    severity_from: loudness\n"
        )
        result = run_quarterdeck(
            "ingest", "all", "--project-file", str(project), "--db", str(db), env={"PAGERDUTY_TOKEN": TOKEN}
        )
    assert result.returncode == 2
    assert f"{project}, source 2 (second): 'severity_from' must be priority or urgency" in result.stderr
    assert replay.received == []


def test_timeline_rows_name_the_system_and_cursors_the_connection(tmp_path):
    """A connection named ``pd-eu``: its cursor is the connection's, while the incident events
    say which system they come from (``pagerduty``), as accounts do."""
    db, project = tmp_path / "w.duckdb", tmp_path / "quarterdeck.yaml"
    with serve(pagerduty_replay()) as replay:
        project.write_text(f"sources:\n  - type: pagerduty\n    name: pd-eu\n    base_url: {replay.base_url}\n")
        result = run_quarterdeck(
            "ingest", "all", "--project-file", str(project), "--db", str(db), env={"PAGERDUTY_TOKEN": TOKEN}
        )
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT source, count(*) FROM incident_events GROUP BY ALL") == [("pagerduty", 47)]
    assert query(db, "SELECT source, scope, resource FROM source_cursors") == [("pd-eu", "all", "incidents")]
