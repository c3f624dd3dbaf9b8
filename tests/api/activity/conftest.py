"""Fixtures of the activity tests: staff with chosen permissions, reading the log table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pybilling.modules.activity.models import ActivitySystem
from pybilling.modules.staff.models import StaffGroup


@pytest.fixture
def staff_with(db: Session, make_staff: Any) -> Callable[..., Any]:
    """`staff_with({"activity": {"access": True}})` → a staff member in a new group with those permissions."""

    def make(permissions: dict[str, dict[str, Any]]) -> Any:
        with db.begin():
            group = StaffGroup(name="Test group", permissions=permissions)
            db.add(group)
            db.flush()
            group_id = group.id
        return make_staff(group_id=group_id)

    return make


@pytest.fixture
def log_lines(db: Session) -> Callable[[str], list[ActivitySystem]]:
    """`log_lines("onAfterAdminLogin")` → the stored system-log rows with that message, oldest first."""

    def read(message: str) -> list[ActivitySystem]:
        db.expire_all()
        with db.begin():
            stmt = select(ActivitySystem).where(ActivitySystem.message == message).order_by(ActivitySystem.id)
            return list(db.scalars(stmt))

    return read
