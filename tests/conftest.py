"""Fixtures: one database per run (SQLite, PostgreSQL or MariaDB), one rolled-back transaction per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from pybilling.api.context import AppServices
from pybilling.app import build_services, create_app
from pybilling.config import Settings
from pybilling.core import api_keys
from pybilling.core.bootstrap import load_default_data
from pybilling.db.base import Base
from pybilling.db.engine import make_engine, make_session_factory
from pybilling.db.migrate import fix_sequences
from pybilling.modules import load_modules
from tests.backends import BackendUnavailable, selected_backend, temporary_database
from tests.helpers import Caller, unique_email

TEST_SECRET = "test-secret-key-not-for-production-0123456789"


def test_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "secret_key": TEST_SECRET,
        "login_time_floor": False,
        "password_hash_cost": "low",
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    backend = selected_backend()
    load_modules()
    try:
        with temporary_database(backend, tmp_path_factory.mktemp("db")) as url:
            eng = make_engine(url)
            Base.metadata.create_all(eng)
            with Session(eng) as db, db.begin():
                load_default_data(db)
            fix_sequences(eng)
            yield eng
            eng.dispose()
    except BackendUnavailable as exc:
        if os.environ.get("PYBILLING_TEST_REQUIRE_DBS") == "1":
            pytest.fail(f"required database backend unavailable: {exc}")
        pytest.skip(str(exc))


@pytest.fixture
def connection(engine: Engine) -> Iterator[Any]:
    conn = engine.connect()
    outer = conn.begin()
    try:
        yield conn
    finally:
        outer.rollback()
        conn.close()


@pytest.fixture
def session_factory(connection: Any) -> sessionmaker[Session]:
    return make_session_factory(connection, join_transaction_mode="create_savepoint")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return test_settings(tmp_path)


@pytest.fixture
def services(settings: Settings, session_factory: sessionmaker[Session]) -> AppServices:
    return build_services(settings, session_factory=session_factory)


@pytest.fixture
def http(services: AppServices) -> Iterator[TestClient]:
    with TestClient(create_app(services=services), base_url="http://testserver") as client:
        yield client


@pytest.fixture
def db(services: AppServices) -> Iterator[Session]:
    """A session for arranging data and checking what was stored; each `with db.begin()` commits."""
    with services.session_factory() as session:
        yield session


@dataclass
class StaffAccount:
    id: int
    email: str
    password: str
    key: str
    api: Caller


@dataclass
class ClientAccount:
    id: int
    email: str
    password: str
    key: str
    api: Caller


def _new_http(services: AppServices) -> TestClient:
    return TestClient(create_app(services=services), base_url="http://testserver")


@pytest.fixture
def make_staff(services: AppServices) -> Any:
    """`make_staff(group_id=1, status="active")` → a staff member with an API key and its own HTTP client."""
    from pybilling.modules.staff import service as staff_service
    from pybilling.modules.staff.models import StaffGroup

    def make(
        group_id: int = 1, status: str = "active", password: str = "Staff-Pass-123!",
        permissions: dict[str, Any] | None = None, **kw: Any,
    ) -> StaffAccount:
        """With `permissions`, the member is put in a new group holding exactly those permissions."""
        email = kw.pop("email", None) or unique_email("staff")
        with services.session_factory() as s, s.begin():
            if permissions is not None:
                group = StaffGroup(name=f"Group {unique_email()}", permissions=permissions)
                s.add(group)
                s.flush()
                group_id = group.id
            staff = staff_service.create_staff_member(
                s, email=email, name=kw.pop("name", "Test Staff"), password=password, group_id=group_id,
                status=status,
            )
            key = api_keys.issue(services.secrets, staff)
            staff_id = staff.id
        return StaffAccount(staff_id, email, password, key, Caller(_new_http(services), "admin", key))

    return make


@pytest.fixture
def admin(make_staff: Any) -> StaffAccount:
    """A super-admin calling with its API key."""
    return make_staff(group_id=1)  # type: ignore[no-any-return]


@pytest.fixture
def guest(http: TestClient) -> Caller:
    return Caller(http, "guest")


@pytest.fixture
def make_client(services: AppServices) -> Any:
    """`make_client(**fields)` → an active client with an API key, made directly in the database."""
    from pybilling.core import emails, passwords
    from pybilling.modules.client.models import Client

    def make(password: str = "Client-Pass-123!", **fields: Any) -> ClientAccount:
        email = fields.pop("email", None) or unique_email("client")
        with services.session_factory() as s, s.begin():
            client = Client(
                email=email,
                email_normalised=emails.normalise(email),
                password_hash=passwords.hash_password(password),
                first_name=fields.pop("first_name", "Test"),
                last_name=fields.pop("last_name", "Client"),
                client_group_id=fields.pop("client_group_id", None),
                status=fields.pop("status", "active"),
                **fields,
            )
            s.add(client)
            s.flush()
            key = api_keys.issue(services.secrets, client)
            client_id = client.id
        return ClientAccount(client_id, email, password, key, Caller(_new_http(services), "client", key))

    return make


@pytest.fixture
def outbox(db: Session) -> Any:
    """`outbox(to_email, code=None)` → the emails queued to that address, oldest first."""
    from sqlalchemy import select

    from pybilling.core.mail import OutboxEmail

    def read(to_email: str, code: str | None = None) -> list[OutboxEmail]:
        db.expire_all()
        with db.begin():
            stmt = select(OutboxEmail).where(OutboxEmail.to_email == to_email).order_by(OutboxEmail.id)
            if code is not None:
                stmt = stmt.where(OutboxEmail.template_code == code)
            return list(db.scalars(stmt).all())

    return read


@pytest.fixture
def fired() -> Iterator[list[Any]]:
    """Every event fired during the test, in order."""
    from pybilling.core.events import Event, events

    seen: list[Event] = []
    events.on_any(seen.append)
    try:
        yield seen
    finally:
        events.off(seen.append)


test_settings.__test__ = False  # type: ignore[attr-defined]  # a factory, not a test
