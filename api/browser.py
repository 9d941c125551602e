"""Neo4j Browser content over HTTP: the GraSS style sheet and the ``:play`` guide.

Neo4j Browser runs in a page served by Neo4j (``http://127.0.0.1:7474``) and fetches these two
files from the API's origin, so they need CORS headers. Both are public and read-only and are
fetched without credentials, so any origin may read them (``*``). The guide is fetched with
``Cache-Control`` and ``Pragma`` request headers, which makes the browser ask first with a
preflight ``OPTIONS`` request; the style is a plain GET. When the app's own CORS middleware is
installed it answers preflights itself, and only for the origins in ``PHARMAKG_CORS_ORIGINS``:
the Neo4j HTTP origin must then be listed there (the defaults list port 7474).
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from browser.guide import render_guide
from browser.style import render_grass
from graph.server import BROWSER_GUIDE_FILE, BROWSER_STYLE_FILE

PREFIX = "/browser"
STYLE_PATH = f"{PREFIX}/{BROWSER_STYLE_FILE}"
GUIDE_PATH = f"{PREFIX}/{BROWSER_GUIDE_FILE}"

_READ_ANYWHERE = {
    "Access-Control-Allow-Origin": "*",
    # Always revalidate: a regenerated style or guide shows up on the next connect.
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
}
_PREFLIGHT = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "Cache-Control, Pragma, Content-Type",
    "Access-Control-Max-Age": "600",
}

router = APIRouter(tags=["browser"])


@router.get(STYLE_PATH, summary="GraSS style sheet for Neo4j Browser", response_class=Response)
async def style_sheet() -> Response:
    """Colours, sizes and captions for every label and relationship type (``:style <url>``)."""
    return Response(render_grass(), media_type="text/plain; charset=utf-8", headers=_READ_ANYWHERE)


@router.get(
    GUIDE_PATH,
    summary="Neo4j Browser guide: one slide per canonical question",
    response_class=Response,
)
async def guide() -> Response:
    """The ``:play <url>`` guide: a runnable query and a reading note per question."""
    return Response(render_guide(), media_type="text/html; charset=utf-8", headers=_READ_ANYWHERE)


@router.options(STYLE_PATH, include_in_schema=False)
@router.options(GUIDE_PATH, include_in_schema=False)
async def preflight() -> Response:
    """CORS preflight for the cross-origin fetches of Neo4j Browser."""
    return Response(status_code=204, headers=_PREFLIGHT)
