"""Until logins and roles exist, the dashboard is served to this machine only: an app built
for another address serves the event endpoints and nothing of the dashboard.

The app is served by uvicorn on 127.0.0.1 in a thread of the test, and asked over real HTTP.
"""

from __future__ import annotations

from pathlib import Path

from quarterdeck.config import Settings
from quarterdeck.web.app import create_app
from quarterdeck.web.auth import TokenSet
from tests.dashboard_server import served_in_thread


def served(db: Path, dashboard: bool):
    """The app as ``serve`` builds it for another address (``dashboard=False``) or for this
    machine, over HTTP on 127.0.0.1."""
    app = create_app(db, Settings(db=db), load_records=None, tokens=TokenSet(["t0k3n"]), dashboard=dashboard)
    return served_in_thread(app)


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
