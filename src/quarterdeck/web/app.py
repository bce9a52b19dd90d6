"""The Starlette application of ``quarterdeck serve``.

``create_app`` wires the routes to what they share, kept on ``app.state``: the settings,
the event tokens, the loader of delivery records, the metric targets, the cache of computed
results and, while the server runs, the open warehouse (``SharedWarehouse``: opened at
start, closed at stop). Routes: the dashboard's pages (``web.pages``), their JSON and CSV
(``web.api``), the Money area (``web.money``), the event endpoints (``web.events``) and
the style sheet under ``/static/``.
Every error under ``/api/`` is answered as JSON, ``{"error": "..."}``; a page's error as a
short HTML page. Every answer, errors included, carries the security headers of
``web.headers``.
"""

from __future__ import annotations

import html
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from quarterdeck.config import Settings
from quarterdeck.config.access import AccessList
from quarterdeck.config.targets import Targets
from quarterdeck.store import open_warehouse
from quarterdeck.web.access import AccessMiddleware
from quarterdeck.web.api import api_routes
from quarterdeck.web.auth import TokenSet
from quarterdeck.web.board import warm_up
from quarterdeck.web.events import RecordLoader, event_routes
from quarterdeck.web.headers import SecurityHeadersMiddleware, security_headers, signed_in
from quarterdeck.web.hiring import hiring_routes
from quarterdeck.web.money import money_routes, warm_money
from quarterdeck.web.org_pages import org_routes
from quarterdeck.web.pages import page_routes
from quarterdeck.web.people import people_routes
from quarterdeck.web.people_ladder import people_ladder_routes
from quarterdeck.web.plan_decisions import decision_routes
from quarterdeck.web.plan_org import plan_org_routes
from quarterdeck.web.plan_roi import roi_routes
from quarterdeck.web.plans import plans_routes
from quarterdeck.web.results import ResultCache
from quarterdeck.web.stack import stack_routes
from quarterdeck.web.succession import succession_routes
from quarterdeck.web.surveys import survey_routes
from quarterdeck.web.warehouse import SharedWarehouse

log = logging.getLogger("quarterdeck.web")


def create_app(
    db_path: Path,
    settings: Settings,
    *,
    load_records: RecordLoader,
    tokens: TokenSet | None = None,
    targets: Targets | None = None,
    dashboard: bool = True,
    access: AccessList | None = None,
) -> Starlette:
    """The application serving the warehouse at ``db_path``.

    ``load_records`` is ``quarterdeck.ingest.delivery.load_records`` (the web layer may not
    import ingest; the command line hands it in). ``tokens`` default to those of the
    environment variable QUARTERDECK_EVENT_TOKENS, their only source."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        with open_warehouse(db_path) as warehouse:
            app.state.warehouse = SharedWarehouse(warehouse)
            if dashboard:
                threading.Thread(target=_warm_up, args=(app,), name="warm-up", daemon=True).start()
            yield
            app.state.warehouse.settle()
        log.info("warehouse %s closed", db_path)

    static = Mount("/static", StaticFiles(packages=[("quarterdeck.web", "static")]), name="static")
    pages = [
        *api_routes(),
        *page_routes(),
        *org_routes(),
        *money_routes(),
        *decision_routes(),
        *plan_org_routes(),
        *plans_routes(),
        *roi_routes(),
        *people_routes(),
        *succession_routes(),
        *people_ladder_routes(),
        *hiring_routes(),
        *survey_routes(),
        *stack_routes(),
    ]
    shown = [*pages, static] if dashboard else []
    app = Starlette(
        routes=[*event_routes(), *shown],
        lifespan=lifespan,
        middleware=[Middleware(SecurityHeadersMiddleware), Middleware(AccessMiddleware, access=access)],
        exception_handlers={HTTPException: http_error, Exception: internal_error},
    )
    app.state.settings = settings
    app.state.tokens = tokens if tokens is not None else TokenSet.from_environment()
    app.state.load_records = load_records
    app.state.targets = targets if targets is not None else Targets()
    app.state.access = access
    app.state.results = ResultCache()
    return app


def _warm_up(app: Starlette) -> None:
    try:
        warm_up(app, app.state.warehouse.run_now)
        warm_money(app, app.state.warehouse.run_now)
        log.info("dashboard ready: %d results computed", len(app.state.results))
    except Exception as exc:  # a page asked for later shows the problem; the server stays up
        if not app.state.warehouse.closing:
            log.exception("computing the dashboard ahead failed: %s", exc)


async def http_error(request: Request, exc: Exception) -> Response:
    """404, 405...: the status and its reason, as JSON under /api/ (405 keeps its Allow
    header), else as a short page."""
    assert isinstance(exc, HTTPException)
    if request.url.path.startswith("/api/") or request.url.path.startswith("/static/"):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    return HTMLResponse(error_page(exc.status_code, str(exc.detail)), status_code=exc.status_code, headers=exc.headers)


def error_page(status: int, message: str) -> str:
    text = html.escape(message)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{status}</title>'
        f'<link rel="stylesheet" href="/static/quarterdeck.css"></head><body><main><h1>{status}</h1>'
        f'<p class="problem">{text}</p><p><a href="/">Back to the overview</a></p></main></body></html>'
    )


async def internal_error(request: Request, exc: Exception) -> Response:
    """An unexpected failure: a short answer (JSON under /api/, else a short page) with the
    security headers (it is sent from outside the middleware that adds them); the traceback
    goes to the server's log."""
    headers = security_headers(signed_in(request.scope))
    message = "internal error; see the log of quarterdeck serve"
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=500, headers=headers)
    return HTMLResponse(error_page(500, message), status_code=500, headers=headers)
