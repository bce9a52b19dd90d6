"""``quarterdeck serve``: the event endpoints, through the real command line and a real server.

Each test starts ``python -m quarterdeck serve`` on 127.0.0.1 and a free port, posts with
httpx, and reads the warehouse only after stopping the server (it holds the file while it
runs; DuckDB lets one process write it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from quarterdeck.store import open_warehouse
from quarterdeck.web.auth import TokenSet
from quarterdeck.web.events import MAX_BODY_BYTES
from tests.conftest import run_quarterdeck
from tests.dashboard_server import HOST, DashboardServer, free_port

TOKEN = "evt-7f3a9c1d5e2b8f40a6c3d9e1b7a5f2c8"
OTHER_TOKEN = "evt-second-token-for-another-pipeline"

DEPLOYMENT = {
    "id": "deploy-4711",
    "service": "checkout",
    "environment": "production",
    "commit_sha": "3f1c2b8a9d0e4f5a6b7c8d9e0f1a2b3c4d5e6f70",
    "started_at": "2026-03-29T00:21:00Z",
    "finished_at": "2026-03-29T00:30:00Z",
    "result": "success",
}
INCIDENT = {"id": "INC-204", "service": "checkout", "severity": "SEV2", "created_at": "2026-03-29T01:10:00+01:00"}


class Server(DashboardServer):
    """``quarterdeck serve`` in a subprocess, with the event tokens given (None: unset)."""

    def __init__(self, db: Path, folder: Path, tokens: str | None) -> None:
        super().__init__(db, folder, env={"QUARTERDECK_EVENT_TOKENS": tokens} if tokens is not None else None)

    def post(self, kind: str, body: Any = None, *, token: str | None = TOKEN, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        headers.update(kwargs.pop("headers", {}))
        if body is not None:
            kwargs["json"] = body
        url = f"http://{HOST}:{self.port}/api/v1/events/{kind}"
        return httpx.post(url, headers=headers, timeout=60, **kwargs)


@pytest.fixture
def serve(tmp_path: Path, db_path: Path) -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def start(tokens: str | None = f"{TOKEN}, {OTHER_TOKEN}") -> Server:
        server = Server(db_path, tmp_path, tokens)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with open_warehouse(db, read_only=True) as warehouse:
        return warehouse.con.execute(sql).fetchall()


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


# -- loading -------------------------------------------------------------------------------------


def test_a_deployment_is_stored_once_and_a_correction_replaces_it(serve, db_path):
    server = serve()
    first = server.post("deployments", DEPLOYMENT)
    assert first.status_code == 200, first.text
    body = first.json()
    counts = {k: body[k] for k in ("kind", "received", "loaded", "replaced", "unchanged", "duplicates", "problems")}
    assert counts == {
        "kind": "deployments",
        "received": 1,
        "loaded": 1,
        "replaced": 0,
        "unchanged": 0,
        "duplicates": 0,
        "problems": [],
    }
    again = server.post("deployments", [DEPLOYMENT], token=OTHER_TOKEN)
    assert again.status_code == 200, again.text
    assert (again.json()["loaded"], again.json()["unchanged"], again.json()["replaced"]) == (0, 1, 0)
    corrected = server.post("deployments", DEPLOYMENT | {"finished_at": "2026-03-29T02:45:00+02:00"})
    assert corrected.status_code == 200, corrected.text
    assert (corrected.json()["loaded"], corrected.json()["replaced"]) == (0, 1)
    output = server.stop()
    stored = rows(db_path, "SELECT deployment_id, finished_at, source FROM deployments")
    assert [(d, f.astimezone(UTC), s) for d, f, s in stored] == [
        ("deploy-4711", utc("2026-03-29T00:45:00Z"), "event:deployments")
    ]
    assert TOKEN not in output and OTHER_TOKEN not in output
    assert "deployments from 127.0.0.1: 1 received, 1 loaded" in output


def test_an_incident_is_stored(serve, db_path):
    server = serve()
    response = server.post("incidents", [INCIDENT, INCIDENT | {"id": "INC-205", "resolved_at": None}])
    assert response.status_code == 200, response.text
    assert (response.json()["kind"], response.json()["received"], response.json()["loaded"]) == ("incidents", 2, 2)
    server.stop()
    stored = rows(db_path, "SELECT incident_id, created_at, resolved_at FROM incidents ORDER BY incident_id")
    assert [(i, c.astimezone(UTC), r) for i, c, r in stored] == [
        ("INC-204", utc("2026-03-29T00:10:00Z"), None),
        ("INC-205", utc("2026-03-29T00:10:00Z"), None),
    ]


def test_a_bad_timestamp_is_422_with_the_problem_and_stores_nothing(serve, db_path):
    server = serve()
    response = server.post("deployments", DEPLOYMENT | {"finished_at": "yesterday"})
    assert response.status_code == 422, response.text
    body = response.json()
    assert (body["received"], body["loaded"], body["replaced"], body["unchanged"]) == (1, 0, 0, 0)
    [problem] = body["problems"]
    assert (problem["record"], problem["record_id"], problem["field"]) == (1, "deploy-4711", "finished_at")
    assert problem["text"].startswith("event:deployments:1: field finished_at: ")
    server.stop()
    assert rows(db_path, "SELECT count(*) FROM deployments") == [(0,)]


def test_valid_records_are_loaded_beside_rejected_ones(serve, db_path):
    server = serve()
    bad = DEPLOYMENT | {"id": "deploy-4712", "finished_at": "2026-03-29T00:30:00"}  # no UTC offset
    response = server.post("deployments", [DEPLOYMENT, bad])
    assert response.status_code == 200, response.text
    assert response.json()["loaded"] == 1
    assert [(p["record"], p["field"]) for p in response.json()["problems"]] == [(2, "finished_at")]
    server.stop()
    assert rows(db_path, "SELECT deployment_id FROM deployments") == [("deploy-4711",)]


@pytest.mark.parametrize("body", [[1, "two"], 5, [None]])
def test_a_record_that_is_not_an_object_is_422(serve, body):
    server = serve()
    response = server.post("deployments", body)
    assert response.status_code == 422, response.text
    problems = response.json()["problems"]
    assert [p["record"] for p in problems] == list(range(1, len(problems) + 1))
    assert all("object" in p["message"] for p in problems)


# -- refused requests ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "says"),
    [
        ({}, "no bearer token"),
        ({"Authorization": "Bearer not-a-token"}, "not one of the event tokens"),
        ({"Authorization": f"Basic {TOKEN}"}, "no bearer token"),
        ({"Authorization": f"Bearer {TOKEN}x"}, "not one of the event tokens"),
    ],
)
def test_without_a_valid_token_it_is_401_and_nothing_is_stored(serve, db_path, headers, says):
    server = serve()
    response = server.post("deployments", DEPLOYMENT, token=None, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert says in response.json()["error"]
    assert TOKEN not in response.text
    server.stop()
    assert rows(db_path, "SELECT count(*) FROM deployments") == [(0,)]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b'{"id": "deploy-1",', "invalid JSON at line 1, column 19"),
        (b"", "empty body"),
        (b"[NaN]", "NaN is not a JSON value"),
        (b'\xff{"id": 1}', "not UTF-8"),
    ],
)
def test_a_body_that_is_not_json_is_400_naming_the_problem(serve, content, says):
    server = serve()
    response = server.post("deployments", content=content, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert says in response.json()["error"]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_10_mb_is_413(serve, db_path, chunked):
    server = serve()
    records = [DEPLOYMENT | {"id": f"deploy-{n}"} for n in range(60_000)]
    content = json.dumps(records).encode()
    assert len(content) > MAX_BODY_BYTES
    if chunked:  # no Content-Length: the server counts while it reads
        size = 1 << 20
        pieces = [content[start : start + size] for start in range(0, len(content), size)]
        response = server.post("deployments", content=iter(pieces))
    else:
        response = server.post("deployments", content=content)
    assert response.status_code == 413
    assert "10 MB" in response.json()["error"]
    server.stop()
    assert rows(db_path, "SELECT count(*) FROM deployments") == [(0,)]


def test_other_paths_and_methods_answer_json(serve):
    server = serve()
    assert server.post("ci_runs", DEPLOYMENT).status_code == 404
    response = httpx.get(f"http://{HOST}:{server.port}/api/v1/events/deployments")
    assert (response.status_code, response.headers["allow"], response.json()) == (
        405,
        "POST",
        {"error": "Method Not Allowed"},
    )


# -- tokens, binding, the warehouse held -----------------------------------------------------------


def test_without_tokens_serve_warns_and_the_endpoints_answer_503(serve):
    server = serve(tokens=None)
    response = server.post("deployments", DEPLOYMENT)
    assert response.status_code == 503
    assert "QUARTERDECK_EVENT_TOKENS" in response.json()["error"]
    assert "warning: no event tokens (QUARTERDECK_EVENT_TOKENS is not set)" in server.stop()


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "example.org"])
def test_it_refuses_to_listen_beyond_this_machine_without_tokens(tmp_path, host):
    db = tmp_path / "w.duckdb"
    result = run_quarterdeck("--db", str(db), "serve", "--host", host, "--port", str(free_port()))
    assert result.returncode == 2
    assert f"refusing to listen on {host} without event tokens" in result.stderr
    assert "QUARTERDECK_EVENT_TOKENS" in result.stderr
    assert not db.exists()


def test_the_warehouse_is_held_while_serve_runs(serve, db_path):
    server = serve()
    result = run_quarterdeck("--db", str(db_path), "org", "tree")
    assert result.returncode != 0
    assert "in use by another process" in result.stderr
    server.stop()


def test_help_teaches_with_curl():
    result = run_quarterdeck("serve", "--help")
    assert result.returncode == 0
    for text in ("POST /api/v1/events/deployments", "POST /api/v1/events/incidents", "QUARTERDECK_EVENT_TOKENS"):
        assert text in result.stdout
    assert "curl -X POST http://127.0.0.1:8000/api/v1/events/deployments" in result.stdout
    assert "Authorization: Bearer $QUARTERDECK_EVENT_TOKENS" in result.stdout


# -- the parts, without a server -------------------------------------------------------------------


def test_tokens_come_from_the_environment_and_never_print():
    tokens = TokenSet.from_environment({"QUARTERDECK_EVENT_TOKENS": f" {TOKEN} ,,{OTHER_TOKEN},{TOKEN}"})
    assert len(tokens) == 2
    assert repr(tokens) == "TokenSet(2 tokens)" and TOKEN not in str(tokens)
    assert tokens.accepts(f"Bearer {TOKEN}") and tokens.accepts(f"bearer   {OTHER_TOKEN} ")
    assert not tokens.accepts(f"Bearer {TOKEN[:-1]}") and not tokens.accepts(TOKEN) and not tokens.accepts(None)
    assert (
        len(TokenSet.from_environment({})) == 0
        and len(TokenSet.from_environment({"QUARTERDECK_EVENT_TOKENS": " , "})) == 0
    )


def test_local_hosts():
    from quarterdeck.cli.serve import is_local

    assert all(is_local(h) for h in ("127.0.0.1", "localhost", "LOCALHOST", "::1", "[::1]", "127.0.0.2"))
    assert not any(is_local(h) for h in ("0.0.0.0", "::", "10.0.0.1", "example.org", ""))
