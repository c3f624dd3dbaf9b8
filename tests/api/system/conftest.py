"""Fixtures of the admin system tests: staff with chosen system permissions, event capture."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session

from pybilling.core.events import Event, events
from pybilling.modules.staff.models import StaffGroup
from tests.helpers import unique_email


@pytest.fixture
def staff_with(db: Session, make_staff: Any) -> Callable[..., Any]:
    """`staff_with("view")` → staff with system access and only these keys; `access=False`: no access."""

    def make(*keys: str, access: bool = True) -> Any:
        with db.begin():
            perms = {"system": {"access": True, **dict.fromkeys(keys, True)}} if access else {}
            group = StaffGroup(name=f"System group {unique_email()}", permissions=perms)
            db.add(group)
            db.flush()
            group_id = group.id
        return make_staff(group_id=group_id)

    return make


@pytest.fixture
def fired() -> Iterator[list[Event]]:
    """The settings-update events fired during the test, in order."""
    seen: list[Event] = []
    watched = ("onBeforeAdminSettingsUpdate", "onAfterAdminSettingsUpdate")

    def listener(event: Event) -> None:
        seen.append(event)

    for name in watched:
        events.on(name)(listener)
    yield seen
    for name in watched:
        events.off(listener, name)
