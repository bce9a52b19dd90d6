"""The Starlette application of ``quarterdeck serve``.

``create_app`` wires the routes to what they share, kept on ``app.state``: the settings,
the event tokens, the loader of delivery records and, while the server runs, the open
warehouse (``SharedWarehouse``: opened at start, closed at stop). Every error under
``/api/`` is answered as JSON, ``{"error": "..."}``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from quarterdeck.config import Settings
from quarterdeck.store import open_warehouse
from quarterdeck.web.auth import TokenSet
from quarterdeck.web.events import RecordLoader, event_routes
from quarterdeck.web.warehouse import SharedWarehouse

log = logging.getLogger("quarterdeck.web")


def create_app(
    db_path: Path, settings: Settings, *, load_records: RecordLoader, tokens: TokenSet | None = None
) -> Starlette:
    """The application serving the warehouse at ``db_path``.

    ``load_records`` is ``quarterdeck.ingest.delivery.load_records`` (the web layer may not
    import ingest; the command line hands it in). ``tokens`` default to those of the
    environment variable QUARTERDECK_EVENT_TOKENS, their only source."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        with open_warehouse(db_path) as warehouse:
            app.state.warehouse = SharedWarehouse(warehouse)
            yield
        log.info("warehouse %s closed", db_path)

    app = Starlette(
        routes=event_routes(),
        lifespan=lifespan,
        exception_handlers={HTTPException: http_error, Exception: internal_error},
    )
    app.state.settings = settings
    app.state.tokens = tokens if tokens is not None else TokenSet.from_environment()
    app.state.load_records = load_records
    return app


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    """404, 405...: the status and its reason as JSON (405 keeps its Allow header)."""
    assert isinstance(exc, HTTPException)
    return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    """An unexpected failure: a short answer; the traceback goes to the server's log."""
    return JSONResponse({"error": "internal error; see the log of quarterdeck serve"}, status_code=500)
