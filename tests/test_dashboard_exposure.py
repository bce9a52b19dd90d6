"""Until logins and roles exist, the dashboard is served to this machine only: an app built
for another address serves the event endpoints and nothing of the dashboard.

The app is served by uvicorn on 127.0.0.1 in a thread of the test, and asked over real HTTP.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from quarterdeck.config import Settings
from quarterdeck.web.app import create_app
from quarterdeck.web.auth import TokenSet
from tests.dashboard_server import HOST, free_port


@contextmanager
def served(db: Path, dashboard: bool) -> Iterator[httpx.Client]:
    """The app as ``serve`` builds it for another address (``dashboard=False``) or for this
    machine, served over HTTP on 127.0.0.1 until the block ends."""
    app = create_app(db, Settings(db=db), load_records=None, tokens=TokenSet(["t0k3n"]), dashboard=dashboard)
    server = uvicorn.Server(uvicorn.Config(app, host=HOST, port=free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.02)
    try:
        with httpx.Client(base_url=f"http://{HOST}:{server.config.port}", timeout=30) as http:
            yield http
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_without_the_dashboard_its_pages_and_data_are_not_there_and_events_still_are(tmp_path):
    with served(tmp_path / "w.duckdb", dashboard=False) as http:
        for path in ("/", "/metrics/headcount", "/api/v1/scorecard", "/api/v1/openapi.json", "/static/quarterdeck.css"):
            assert http.get(path).status_code == 404, path
        refused = http.post("/api/v1/events/deployments", json={})
        assert refused.status_code == 401 and "token" in refused.json()["error"]


def test_on_this_machine_the_dashboard_answers(tmp_path):
    with served(tmp_path / "w.duckdb", dashboard=True) as http:
        assert http.get("/api/v1/openapi.json").status_code == 200
        page = http.get("/")
        assert page.status_code == 200 and "The organization" in page.text
        assert page.headers["content-security-policy"].startswith("default-src 'none'")
