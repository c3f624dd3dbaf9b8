"""Non-API pages a module contributes (confirmation links and the like)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from pybilling.api.context import AppServices

PageHandler = Callable[[Request, AppServices], Awaitable[Response]]


@dataclass(frozen=True)
class WebRoute:
    path: str
    handler: PageHandler
    methods: tuple[str, ...] = ("GET",)


web_routes: list[WebRoute] = []


def web_route(path: str, methods: tuple[str, ...] = ("GET",)) -> Callable[[PageHandler], PageHandler]:
    def register(fn: PageHandler) -> PageHandler:
        web_routes.append(WebRoute(path, fn, methods))
        return fn

    return register
