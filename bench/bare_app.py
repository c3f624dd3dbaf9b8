"""The floor to compare against: a bare Starlette JSON endpoint, no database, no auth."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def version(request: Request) -> JSONResponse:
    return JSONResponse({"result": "0.0.0", "error": None})


app = Starlette(routes=[Route("/bare", version, methods=["GET", "POST"])])
