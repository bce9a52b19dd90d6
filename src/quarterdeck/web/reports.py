"""The board pack on the dashboard (docs/board-pack.md): ``/reports/board?quarter=&unit=`` shows
the pack's page in the dashboard's frame, with downloads of the same pack as HTML, PowerPoint
and PDF (``/reports/board.html``, ``.pptx``, ``.pdf``) and its JSON (``/api/v1/reports/board``).

Access: admins any scope (the organization without ``unit``); a leader their own unit and what
is under it (their unit without ``unit``), never the organization; members 403. A pack is
built once per quarter, scope and data and kept (``app.state.results``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from quarterdeck.core.clock import today
from quarterdeck.core.errors import MetricError
from quarterdeck.metrics.data_end import data_end
from quarterdeck.metrics.money import Quarter
from quarterdeck.metrics.query import check_unit
from quarterdeck.reports.board_build import BoardPackError, build_board_pack
from quarterdeck.reports.board_files import file_stem
from quarterdeck.reports.board_html import body_html, page_css, render_html
from quarterdeck.reports.board_json import pack_json
from quarterdeck.reports.board_model import BoardPack
from quarterdeck.reports.board_pdf import write_pdf_from_html
from quarterdeck.reports.board_pptx import write_pptx
from quarterdeck.reports.pdf import PdfError
from quarterdeck.store import Warehouse
from quarterdeck.web.access import Sight, require
from quarterdeck.web.board import sight_for
from quarterdeck.web.pages import render
from quarterdeck.web.plans import frame

MEMBERS_REFUSED = "the board pack is for admins and for leaders (their own unit's)"
PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def report_routes() -> list[Route]:
    return [
        Route("/reports/board", board_page, name="board_pack_page"),
        Route("/reports/board.css", board_css, name="board_pack_css"),
        Route("/reports/board.html", board_download, name="board_pack_html"),
        Route("/reports/board.pptx", board_download, name="board_pack_pptx"),
        Route("/reports/board.pdf", board_download, name="board_pack_pdf"),
        Route("/api/v1/reports/board", board_json, name="api_board_pack"),
    ]


def chosen_unit(warehouse: Warehouse, sight: Sight, asked: str | None) -> str | None:
    """The unit of the pack (None: the organization), or 403/404 as the access file says."""
    if not sight.everything and not sight.money:
        raise HTTPException(403, f"{MEMBERS_REFUSED}; your access covers {sight.covers}")
    if not asked:
        if sight.everything:
            return None
        if sight.home is None:
            raise HTTPException(403, f"{MEMBERS_REFUSED}; your access covers {sight.covers}")
        return sight.home[1]
    try:
        check_unit(warehouse, asked)
    except MetricError as exc:
        raise HTTPException(404, str(exc)) from None
    unit = warehouse.value("SELECT team_id FROM team_aliases WHERE alias = ?", [asked.lower()])
    require(sight, "unit", unit)
    return str(unit)


def _pack(warehouse: Warehouse, app: Any, sight: Sight, params: Any) -> BoardPack:
    unit = chosen_unit(warehouse, sight, params.get("unit") or None)
    settings = app.state.settings
    ends = data_end(warehouse, today(), settings.timezone)
    try:
        quarter = Quarter.parse(params["quarter"]) if params.get("quarter") else Quarter.last_full(ends)
    except MetricError as exc:
        raise HTTPException(400, str(exc)) from None
    key = ("board-pack", str(quarter), unit, sight.money, ends)
    try:
        return app.state.results.get(key, lambda: build_board_pack(
            warehouse, quarter, f"unit:{unit}" if unit else "org", targets=app.state.targets, settings=settings,
            money=sight.money,
        ))  # fmt: skip
    except BoardPackError as exc:
        raise HTTPException(400, str(exc)) from None


async def pack_for(request: Request) -> BoardPack:
    sight = await sight_for(request)
    app = request.app
    return await app.state.warehouse.run(lambda w: _pack(w, app, sight, request.query_params))


def _links(request: Request) -> dict[str, str]:
    query = urlencode([(k, v) for k, v in request.query_params.items() if k in ("quarter", "unit") and v])
    tail = f"?{query}" if query else ""
    return {
        "html": f"/reports/board.html{tail}",
        "pptx": f"/reports/board.pptx{tail}",
        "pdf": f"/reports/board.pdf{tail}",
        "json": f"/api/v1/reports/board{tail}",
    }


async def board_page(request: Request) -> Response:
    pack = await pack_for(request)
    return render("board_pack.html", pack=pack, body=body_html(pack), links=_links(request), **await frame(request))


async def board_css(request: Request) -> Response:
    return Response(page_css(), media_type="text/css; charset=utf-8")


async def board_json(request: Request) -> JSONResponse:
    return JSONResponse(pack_json(await pack_for(request)))


async def board_download(request: Request) -> Response:
    pack = await pack_for(request)
    kind = request.url.path.rsplit(".", 1)[-1]
    name = f"{file_stem(pack)}.{kind}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if kind == "html":
        return Response(render_html(pack), media_type="text/html; charset=utf-8", headers=disposition)
    try:
        data = await run_in_threadpool(_file_bytes, pack, kind, name)  # printing takes seconds: not on the loop
    except PdfError as exc:
        raise HTTPException(503, str(exc)) from None
    return Response(data, media_type=PPTX_TYPE if kind == "pptx" else "application/pdf", headers=disposition)


def _file_bytes(pack: BoardPack, kind: str, name: str) -> bytes:
    """The pack as a PowerPoint or PDF file's bytes (written in a temporary folder, then removed)."""
    with tempfile.TemporaryDirectory(prefix="quarterdeck-board-") as folder:
        path = Path(folder) / name
        if kind == "pptx":
            write_pptx(pack, path)
        else:
            write_pdf_from_html(render_html(pack), path)
        return path.read_bytes()
