"""Protocol fixtures: test-only API methods (module `zzprobe`) and apps built with other settings.

The probe methods are registered inside a fixture and removed afterwards, so they never reach the
OpenAPI document or another test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import ConfigDict
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from pybilling.api.context import AppServices, Call
from pybilling.api.registry import Params, api_method, registry
from pybilling.app import build_services, create_app
from pybilling.core import settings_store
from tests.conftest import test_settings
from tests.helpers import Caller

PROBE = "zzprobe"
LEAK = "SELECT secret_column FROM /srv/pybilling/private.db"


class EchoParams(Params):
    model_config = ConfigDict(extra="allow")


class LoginAsParams(Params):
    client_id: int | None = None
    staff_id: int | None = None


class WriteParams(Params):
    value: str


def _echo(call: Call, params: EchoParams) -> dict[str, Any]:
    return dict(params.model_extra or {})


def _whoami(call: Call, params: EchoParams) -> dict[str, Any]:
    return {"role": call.identity.role, "id": call.identity.principal_id, "via": call.identity.via}


def _login_as(call: Call, params: LoginAsParams) -> bool:
    call.start_session(client_id=params.client_id, staff_id=params.staff_id)
    return True


def _boom(call: Call, params: EchoParams) -> None:
    raise RuntimeError(LEAK)


def _bad_sql(call: Call, params: EchoParams) -> None:
    call.db.execute(text("SELECT no_such_column FROM no_such_table_zz"))


def _write_then_fail(call: Call, params: WriteParams) -> None:
    settings_store.set_param(call.db, "zzprobe_marker", params.value)
    call.db.flush()
    raise RuntimeError("after the write")


def _nulls(call: Call, params: EchoParams) -> dict[str, Any]:
    return {"nothing": None, "list": [], "nested": {"inner": None}}


@dataclass
class Probe:
    module: str = PROBE


@pytest.fixture
def probe() -> Iterator[Probe]:
    """Register the `zzprobe` methods (and `support/zzprobe_*` for permission checks) for one test."""
    before_methods = set(registry.methods)
    before_modules = set(registry.modules)
    for role in ("guest", "client", "admin"):
        api_method(role, PROBE, "echo")(_echo)  # type: ignore[arg-type]
        api_method(role, PROBE, "get_echo")(_echo)  # type: ignore[arg-type]
        api_method(role, PROBE, "whoami")(_whoami)  # type: ignore[arg-type]
        api_method(role, PROBE, "need_id", required={"id": "ID was not passed"})(_echo)  # type: ignore[arg-type]
    api_method("guest", PROBE, "login_as")(_login_as)  # type: ignore[arg-type]
    api_method("guest", PROBE, "boom")(_boom)  # type: ignore[arg-type]
    api_method("guest", PROBE, "bad_sql")(_bad_sql)  # type: ignore[arg-type]
    api_method("guest", PROBE, "write_then_fail")(_write_then_fail)  # type: ignore[arg-type]
    api_method("guest", PROBE, "nulls")(_nulls)  # type: ignore[arg-type]
    # A module the support groups can reach, with an action-level permission they lack.
    api_method(
        "admin", "support", "zzprobe_guarded", required={"id": "ID was not passed"},
        permission="support.manage_settings",
    )(_echo)  # type: ignore[arg-type]
    try:
        yield Probe()
    finally:
        for key in set(registry.methods) - before_methods:
            del registry.methods[key]
        for name in set(registry.modules) - before_modules:
            del registry.modules[name]


def has_method(role: str, module: str, action: str) -> bool:
    return registry.find(role, module, action) is not None


def require_method(role: str, module: str, action: str) -> None:
    if not has_method(role, module, action):
        pytest.skip(f"{role}/{module}/{action} is not implemented yet")


@pytest.fixture
def make_app(tmp_path: Path, session_factory: sessionmaker[Session]) -> Iterator[Callable[..., TestClient]]:
    """`make_app(**settings_overrides)` → a TestClient on an app built with those settings."""
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        services: AppServices = build_services(test_settings(tmp_path, **overrides), session_factory=session_factory)
        client = TestClient(create_app(services=services), base_url=overrides.pop("_base", "http://testserver"))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def login_session(http: TestClient, client_id: int, email: str, password: str) -> Caller:
    """A browser-like client session on `http`: the real guest/client/login when it exists, else the probe."""
    guest = Caller(http, "guest")
    if has_method("guest", "client", "login"):
        guest("client/login", email=email, password=password).ok()
    else:
        guest(f"{PROBE}/login_as", client_id=client_id).ok()
    caller = Caller(http, "client")
    caller.csrf = http.cookies.get("csrf_token")
    return caller
