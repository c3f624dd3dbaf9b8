"""Fixtures of the admin system tests: staff with chosen system permissions, event capture."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pybilling.core.events import Event, events


@pytest.fixture
def staff_with(make_staff: Any) -> Callable[..., Any]:
    """`staff_with("view")` → staff with system access and only these keys; `access=False`: no access."""

    def make(*keys: str, access: bool = True) -> Any:
        return make_staff(permissions={"system": {"access": True, **dict.fromkeys(keys, True)}} if access else {})

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
