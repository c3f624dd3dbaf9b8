"""Fixtures of the client module's tests: module configuration, the outbox, partial staff, signups."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from pybilling.core import module_config
from pybilling.modules.client.models import Client
from pybilling.modules.staff.models import StaffGroup
from tests.helpers import Answer, Caller, unique_email

PASSWORD = "Signup-Pass-123!"


@pytest.fixture
def client_config(db: Session) -> Callable[..., None]:
    """`client_config(require_email_confirmation=True, …)` stores the client module's configuration."""

    def save(**config: Any) -> None:
        with db.begin():
            module_config.save_config(db, "client", config)

    return save



@pytest.fixture
def stored(db: Session) -> Callable[[int], Client | None]:
    """`stored(client_id)` → the client as the database has it now."""

    def read(client_id: int) -> Client | None:
        db.expire_all()
        with db.begin():
            return db.get(Client, client_id)

    return read


@pytest.fixture
def staff_with(db: Session, make_staff: Any) -> Callable[..., Any]:
    """`staff_with("view", "create")` → a staff member whose group has client access and only these keys."""

    def make(*keys: str) -> Any:
        with db.begin():
            group = StaffGroup(
                name=f"Client group {unique_email()}",
                permissions={"client": {"access": True, **dict.fromkeys(keys, True)}},
            )
            db.add(group)
            db.flush()
            group_id = group.id
        return make_staff(group_id=group_id)

    return make


def signup(guest: Caller, **overrides: Any) -> Answer:
    params: dict[str, Any] = {
        "email": unique_email("signup"),
        "first_name": "Ada",
        "last_name": "Lovelace",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
    }
    params.update(overrides)
    return guest("client/create", **params)
