"""Fixtures of the staff module's tests: groups with chosen permissions, sessions, the outbox, events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from pybilling.api.context import AppServices
from pybilling.app import create_app
from pybilling.core import emails, module_config, passwords
from pybilling.modules.staff.models import Staff, StaffGroup
from tests.helpers import Caller, unique_email

NEW_PASSWORD = "Brand-New-Pass-456"


@pytest.fixture
def make_group(db: Session) -> Callable[..., int]:
    """`make_group(permissions, parent_id=2)` → the id of a new group below `parent_id`."""

    def make(permissions: dict[str, Any] | None = None, parent_id: int | None = 2, name: str | None = None) -> int:
        with db.begin():
            group = StaffGroup(name=name or f"Group {unique_email()}", parent_id=parent_id, permissions=permissions)
            db.add(group)
            db.flush()
            return group.id

    return make


@pytest.fixture
def staff_with(make_group: Callable[..., int], make_staff: Any) -> Callable[..., Any]:
    """`staff_with("view", "delete_staff")` → a member whose group (below Support Lead) has only these staff keys."""

    def make(*keys: str, parent_id: int = 2) -> Any:
        group_id = make_group({"staff": {"access": True, **dict.fromkeys(keys, True)}}, parent_id=parent_id)
        return make_staff(group_id=group_id)

    return make


@pytest.fixture
def stored(db: Session) -> Callable[[int], Staff | None]:
    """`stored(staff_id)` → the staff member as the database has it now."""

    def read(staff_id: int) -> Staff | None:
        db.expire_all()
        with db.begin():
            return db.get(Staff, staff_id)

    return read



@pytest.fixture
def staff_config(db: Session) -> Callable[..., None]:
    def save(**config: Any) -> None:
        with db.begin():
            module_config.save_config(db, "staff", config)

    return save



@pytest.fixture
def browser(services: AppServices) -> Callable[..., TestClient]:
    """`browser(ip="10.1.2.3")` → a new HTTP client with its own cookie jar (one browser at that address)."""

    def make(ip: str = "testclient") -> TestClient:
        return TestClient(create_app(services=services), base_url="http://testserver", client=(ip, 50000))

    return make


@pytest.fixture
def login_session(browser: Callable[..., TestClient]) -> Callable[[str, str], Caller]:
    """`login_session(email, password)` → an admin Caller using the session cookie and CSRF token of a login."""

    def login(email: str, password: str) -> Caller:
        http = browser()
        Caller(http, "guest")("staff/login", email=email, password=password).ok()
        caller = Caller(http, "admin")
        caller.csrf = http.cookies.get("csrf_token")
        return caller

    return login


@pytest.fixture
def make_cron_account(db: Session) -> Callable[[], tuple[int, str, str]]:
    """The installer's cron system account (role `cron`) → (id, email, password)."""

    def make() -> tuple[int, str, str]:
        email, password = unique_email("cron"), "Cron-Pass-123!"
        with db.begin():
            cron = Staff(
                email=email, email_normalised=emails.normalise(email), name="System Cron Job", role="cron",
                status="active", password_hash=passwords.hash_password(password),
            )
            db.add(cron)
            db.flush()
            return cron.id, email, password

    return make
