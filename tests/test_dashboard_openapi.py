"""The JSON API against its own OpenAPI document, with schemathesis: every documented route,
called with generated parameters on a real server, answers what the document says (its
status codes and response schemas), never a server error, and rejects what the document
rules out. One check is left out: that every request the document allows is accepted. The
document cannot say "one scope at a time", and a generated team or metric name that does
not exist is rightly a 404."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from quarterdeck.web.openapi import openapi_document
from tests.dashboard_server import DashboardServer, demo_warehouse


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("dashboard-openapi")
    running = DashboardServer(demo_warehouse(folder / "demo"), folder)
    yield running
    running.stop()


schema = schemathesis.openapi.from_dict(openapi_document())  # the document the server serves (tested below)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_route_answers_as_documented(case, server):
    case.call_and_validate(base_url=server.base_url, excluded_checks=[positive_data_acceptance])


def test_the_server_serves_this_document(server):
    assert server.get("/api/v1/openapi.json").json() == openapi_document()
