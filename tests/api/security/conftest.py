"""Fixtures of the security tests: callers from chosen IPs, apps with other settings, a fake IP-lookup server."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from pybilling.api.context import AppServices
from pybilling.app import build_services, create_app
from pybilling.core import module_config
from tests.conftest import test_settings
from tests.helpers import Caller


@pytest.fixture
def from_ip(services: AppServices) -> Iterator[Callable[[str], TestClient]]:
    """`from_ip("203.0.113.9")` → an HTTP client of the test app whose requests come from that address."""
    clients: list[TestClient] = []

    def make(ip: str) -> TestClient:
        client = TestClient(create_app(services=services), base_url="http://testserver", client=(ip, 50000))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def admin_on(tmp_path: Path, session_factory: sessionmaker[Session], admin: Any) -> Iterator[Callable[..., Caller]]:
    """`admin_on(debug=True, …)` → the super-admin calling an app built with those settings."""
    clients: list[TestClient] = []

    def make(data_dir: Path | None = None, **overrides: Any) -> Caller:
        settings = test_settings(data_dir or tmp_path, **overrides)
        client = TestClient(create_app(services=build_services(settings, session_factory=session_factory)))
        clients.append(client)
        return Caller(client, "admin", admin.key)

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def staff_with(make_staff: Any) -> Callable[..., Any]:
    """`staff_with("view")` → a staff member with security access and only these keys."""

    def make(*keys: str, access: bool = True) -> Any:
        return make_staff(permissions={"security": {"access": True, **dict.fromkeys(keys, True)}} if access else {})

    return make


@pytest.fixture
def security_config(db: Session) -> Callable[..., None]:
    def save(**config: Any) -> None:
        with db.begin():
            module_config.save_config(db, "security", config)

    return save


class FakeLookup:
    """A local JSON service: `answers[path] = (status, body)`; `paths` lists what was asked."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, Any]] = {}
        self.paths: list[str] = []
        self.url = ""


@pytest.fixture
def fake_lookup() -> Iterator[FakeLookup]:
    fake = FakeLookup()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.paths.append(self.path)
            status, body = fake.answers.get(self.path, (404, {"error": "unknown"}))
            raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
