"""`create_app(settings)`: the ASGI application."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from pybilling.api.context import AppServices
from pybilling.api.dispatcher import Dispatcher
from pybilling.api.openapi import DOCS_HTML, openapi_document
from pybilling.config import Settings
from pybilling.core import passwords
from pybilling.core.crypto import Secrets
from pybilling.core.ratelimit import RateLimitService
from pybilling.core.sessions import RedisSessionStore, SessionStore, SqlSessionStore
from pybilling.db.engine import make_engine, make_session_factory
from pybilling.modules import load_modules
from pybilling.web import web_routes

STARLETTE_API_PATHS = frozenset({"/api/openapi.json", "/api/docs"})


def build_services(settings: Settings, session_factory: sessionmaker[Session] | None = None) -> AppServices:
    load_modules()
    passwords.configure(settings.password_hash_cost)
    if session_factory is None:
        session_factory = make_session_factory(make_engine(settings.resolved_database_url))
    sessions: SessionStore = RedisSessionStore(settings.redis_url) if settings.redis_url else SqlSessionStore()
    return AppServices(
        settings=settings,
        secrets=Secrets(settings.resolved_secret_key, settings.old_secret_keys),
        ratelimit=RateLimitService(
            settings.redis_url, settings.rate_limit_enabled, settings.rate_limit_whitelist_list
        ),
        sessions=sessions,
        session_factory=session_factory,
    )


class ApiFront:
    """Starlette middleware: `/api/{role}/{module}/{action}` straight to the dispatcher.

    The API is most of the traffic and routes itself (one route, every answer an envelope), so it
    skips Starlette's router and exception middleware; pages and the API docs go on through them.
    """

    def __init__(self, app: ASGIApp, api: Dispatcher):
        self.app = app
        self.api = api

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and (path.startswith("/api/") or path == "/api") and path not in STARLETTE_API_PATHS:
            await self.api(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def create_app(settings: Settings | None = None, services: AppServices | None = None) -> Starlette:
    logging.getLogger("pybilling").setLevel(logging.INFO)
    if services is None:
        services = build_services(settings or Settings())
    dispatcher = Dispatcher(services)
    spec_cache: dict[str, Any] = {}

    async def openapi_json(request: Request) -> Response:
        if "doc" not in spec_cache:
            spec_cache["doc"] = openapi_document()
        return JSONResponse(spec_cache["doc"])

    async def docs(request: Request) -> Response:
        return HTMLResponse(DOCS_HTML)

    def page(handler: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            return await handler(request, services)  # type: ignore[no-any-return]

        return endpoint

    routes = [
        Route("/api/openapi.json", openapi_json, methods=["GET"]),
        Route("/api/docs", docs, methods=["GET"]),
        *(Route(r.path, page(r.handler), methods=list(r.methods)) for r in web_routes),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(ApiFront, api=dispatcher)])
    app.state.services = services
    return app
