"""Fixtures of the extension tests: a probe method in an optional module, staff with chosen permissions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pybilling.api.context import Call
from pybilling.api.registry import NoParams, api_method, registry


def _pong(call: Call, params: NoParams) -> str:
    return "pong"


@pytest.fixture
def news_probe() -> Iterator[str]:
    """`admin|guest/news/zzprobe` answering "pong", removed after the test (news itself may not exist yet)."""
    before_methods = set(registry.methods)
    before_modules = set(registry.modules)
    for role in ("admin", "guest"):
        api_method(role, "news", "zzprobe")(_pong)  # type: ignore[arg-type]
    try:
        yield "news/zzprobe"
    finally:
        for key in set(registry.methods) - before_methods:
            del registry.methods[key]
        for name in set(registry.modules) - before_modules:
            del registry.modules[name]


@pytest.fixture
def staff_with(make_staff: Any) -> Callable[..., Any]:
    """`staff_with({"extension": {"access": True, "view": True}})` → staff in a new group with those permissions."""

    def make(permissions: dict[str, dict[str, Any]]) -> Any:
        return make_staff(permissions=permissions)

    return make
