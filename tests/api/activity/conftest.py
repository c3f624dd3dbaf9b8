"""Fixtures of the activity tests: staff with chosen permissions, reading the log table."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pybilling.api.context import Call
from pybilling.api.errors import ApiError
from pybilling.api.fields import PhpBool
from pybilling.api.registry import Params, api_method, registry
from pybilling.modules.activity.models import ActivitySystem


@pytest.fixture
def staff_with(make_staff: Any) -> Callable[..., Any]:
    """`staff_with({"activity": {"access": True}})` → a staff member in a new group with those permissions."""

    def make(permissions: dict[str, dict[str, Any]]) -> Any:
        return make_staff(permissions=permissions)

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


class FireParams(Params):
    fail: PhpBool = False


def _fire_then_maybe_fail(call: Call, params: FireParams) -> bool:
    call.fire("onZzProbeEvent", staff_id=call.staff.id, ip=call.request.ip)
    if params.fail:
        raise ApiError("probe failed after firing")
    return True


@pytest.fixture
def fire_probe() -> Iterator[str]:
    """`admin/activity/zzfire` fires `onZzProbeEvent`, then fails when `fail` is true; removed afterwards."""
    before = set(registry.methods)
    api_method("admin", "activity", "zzfire")(_fire_then_maybe_fail)  # type: ignore[arg-type]
    try:
        yield "activity/zzfire"
    finally:
        for key in set(registry.methods) - before:
            del registry.methods[key]
