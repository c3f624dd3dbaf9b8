"""Fixtures of the profile tests: browser sessions through the real login calls, stored rows, events."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from pybilling.api.context import AppServices
from pybilling.app import create_app
from pybilling.core import module_config
from pybilling.core.sessions import WebSessionRow
from pybilling.modules.client.models import Client
from pybilling.modules.staff.models import Staff
from tests.helpers import Caller


@pytest.fixture
def browser(services: AppServices) -> Iterator[Callable[[], TestClient]]:
    """`browser()` → a new HTTP client with its own cookie jar (one browser each)."""
    opened: list[TestClient] = []

    def open_one() -> TestClient:
        client = TestClient(create_app(services=services), base_url="http://testserver")
        opened.append(client)
        return client

    yield open_one
    for client in opened:
        client.close()


@pytest.fixture
def staff_login(browser: Callable[[], TestClient]) -> Callable[[Any], Caller]:
    """`staff_login(account)` → an admin Caller on a fresh browser session (CSRF token set)."""

    def login(account: Any) -> Caller:
        http = browser()
        Caller(http, "guest")("staff/login", email=account.email, password=account.password).ok()
        caller = Caller(http, "admin")
        caller.csrf = http.cookies.get("csrf_token")
        return caller

    return login


@pytest.fixture
def client_login(browser: Callable[[], TestClient]) -> Callable[[Any], Caller]:
    """`client_login(account)` → a client Caller on a fresh browser session (CSRF token set)."""

    def login(account: Any) -> Caller:
        http = browser()
        Caller(http, "guest")("client/login", email=account.email, password=account.password).ok()
        caller = Caller(http, "client")
        caller.csrf = http.cookies.get("csrf_token")
        return caller

    return login


@pytest.fixture
def session_count(db: Session) -> Callable[..., int]:
    """`session_count(staff_id=..)` / `session_count(client_id=..)` → stored sessions of that identity."""

    def count(*, staff_id: int | None = None, client_id: int | None = None) -> int:
        db.expire_all()
        with db.begin():
            stmt = select(func.count()).select_from(WebSessionRow)
            if staff_id is not None:
                stmt = stmt.where(WebSessionRow.staff_id == staff_id)
            if client_id is not None:
                stmt = stmt.where(WebSessionRow.client_id == client_id)
            return int(db.scalar(stmt) or 0)

    return count


@pytest.fixture
def stored_client(db: Session) -> Callable[[int], Client]:
    def read(client_id: int) -> Client:
        db.expire_all()
        with db.begin():
            client = db.get(Client, client_id)
            assert client is not None
            return client

    return read


@pytest.fixture
def stored_staff(db: Session) -> Callable[[int], Staff]:
    def read(staff_id: int) -> Staff:
        db.expire_all()
        with db.begin():
            staff = db.get(Staff, staff_id)
            assert staff is not None
            return staff

    return read


@pytest.fixture
def client_config(db: Session) -> Callable[..., None]:
    """`client_config(disable_change_email=True, …)` stores the client module's configuration."""

    def save(**config: Any) -> None:
        with db.begin():
            module_config.save_config(db, "client", config)

    return save
