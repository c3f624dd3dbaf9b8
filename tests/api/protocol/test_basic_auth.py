"""HTTP Basic with API keys: FOSSBilling's failure codes, exact key comparison, statelessness."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from pybilling.core.sessions import WebSessionRow
from tests.api.protocol.conftest import PROBE, Probe
from tests.helpers import basic

FAILED = {"message": "Authentication Failed"}


def _raw(value: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(value.encode()).decode()}


def _auth_error(http: TestClient, role: str, headers: dict[str, str]) -> dict[str, Any]:
    r = http.post(f"/api/{role}/{PROBE}/whoami", json={}, headers=headers)
    assert r.status_code == 401, r.text
    body = r.json()
    assert body["result"] is None
    return body["error"]  # type: ignore[no-any-return]


def test_admin_key_authenticates(http: TestClient, admin: Any, probe: Probe) -> None:
    r = http.post(f"/api/admin/{PROBE}/whoami", headers=basic("admin", admin.key))
    assert r.json() == {"result": {"role": "admin", "id": admin.id, "via": "key"}, "error": None}


def test_client_key_authenticates(http: TestClient, make_client: Any, probe: Probe) -> None:
    client = make_client()
    r = http.post(f"/api/client/{PROBE}/whoami", headers=basic("client", client.key))
    assert r.json() == {"result": {"role": "client", "id": client.id, "via": "key"}, "error": None}


@pytest.mark.parametrize("role", ["admin", "client"])
def test_no_auth_is_201(http: TestClient, role: str, probe: Probe) -> None:
    assert _auth_error(http, role, {}) == {**FAILED, "code": 201}


@pytest.mark.parametrize("role", ["admin", "client"])
def test_empty_password_is_202(http: TestClient, role: str, probe: Probe) -> None:
    assert _auth_error(http, role, _raw(f"{role}:")) == {**FAILED, "code": 202}
    assert _auth_error(http, role, _raw(role)) == {**FAILED, "code": 202}


def test_username_other_than_the_route_role_is_203(
    http: TestClient, admin: Any, make_client: Any, probe: Probe
) -> None:
    client = make_client()
    assert _auth_error(http, "admin", basic("client", client.key)) == {**FAILED, "code": 203}
    assert _auth_error(http, "client", basic("admin", admin.key)) == {**FAILED, "code": 203}


def test_unknown_client_key_is_204(http: TestClient, probe: Probe) -> None:
    assert _auth_error(http, "client", basic("client", "A" * 32)) == {**FAILED, "code": 204}


def test_unknown_admin_key_is_205(http: TestClient, probe: Probe) -> None:
    assert _auth_error(http, "admin", basic("admin", "A" * 32)) == {**FAILED, "code": 205}


def test_inactive_accounts_keys_fail(http: TestClient, make_staff: Any, make_client: Any, probe: Probe) -> None:
    staff = make_staff(status="inactive")
    client = make_client(status="suspended")
    assert _auth_error(http, "admin", basic("admin", staff.key)) == {**FAILED, "code": 205}
    assert _auth_error(http, "client", basic("client", client.key)) == {**FAILED, "code": 204}


@pytest.mark.parametrize(
    "header",
    ["Basic !!!not-base64!!!", "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode(), "Basic", "Basic =", "Bearer x"],
)
def test_malformed_authorization_is_an_authentication_failure(http: TestClient, header: str, probe: Probe) -> None:
    # Not readable as admin:/client: credentials → treated as no credentials, as PHP does.
    error = _auth_error(http, "admin", {"Authorization": header})
    assert error == {**FAILED, "code": 201}


def test_other_usernames_are_ignored(http: TestClient, admin: Any, probe: Probe) -> None:
    assert _auth_error(http, "admin", basic("root", admin.key)) == {**FAILED, "code": 201}
    assert _auth_error(http, "admin", basic("Admin", admin.key)) == {**FAILED, "code": 201}


def _flip_case(key: str) -> str:
    for i, ch in enumerate(key):
        if ch.isalpha():
            return key[:i] + ch.swapcase() + key[i + 1 :]
    raise AssertionError("key without letters")


def test_key_comparison_is_exact(http: TestClient, admin: Any, make_client: Any, probe: Probe) -> None:
    client = make_client()
    assert _auth_error(http, "admin", basic("admin", _flip_case(admin.key))) == {**FAILED, "code": 205}
    assert _auth_error(http, "admin", basic("admin", admin.key + " ")) == {**FAILED, "code": 205}
    assert _auth_error(http, "admin", basic("admin", admin.key[:-1])) == {**FAILED, "code": 205}
    assert _auth_error(http, "client", basic("client", _flip_case(client.key))) == {**FAILED, "code": 204}


def test_the_scheme_name_is_case_insensitive(http: TestClient, admin: Any, probe: Probe) -> None:
    value = base64.b64encode(f"admin:{admin.key}".encode()).decode()
    r = http.post(f"/api/admin/{PROBE}/whoami", headers={"Authorization": f"basic {value}"})
    assert r.json()["result"]["id"] == admin.id


def test_guest_calls_ignore_credentials(http: TestClient, probe: Probe) -> None:
    r = http.get("/api/guest/system/version", headers=basic("admin", "wrong"))
    assert r.status_code == 200
    assert r.json()["error"] is None


def _session_rows(db: Session) -> int:
    with db.begin():
        return int(db.scalar(select(func.count()).select_from(WebSessionRow)) or 0)


def test_key_calls_create_no_session(
    http: TestClient, db: Session, admin: Any, make_client: Any, probe: Probe
) -> None:
    client = make_client()
    before = _session_rows(db)
    for _ in range(3):
        admin.api(f"{PROBE}/whoami").ok()
        client.api(f"{PROBE}/whoami").ok()
        r = http.post(f"/api/admin/{PROBE}/whoami", headers=basic("admin", admin.key))
        assert r.json()["error"] is None
        assert "set-cookie" not in r.headers
    assert _session_rows(db) == before


def test_key_calls_need_no_csrf_token(admin: Any, make_client: Any, probe: Probe) -> None:
    client = make_client()
    assert admin.api(f"{PROBE}/whoami").ok()["via"] == "key"
    assert client.api(f"{PROBE}/whoami").ok()["via"] == "key"
    # A stray or wrong CSRF cookie does not matter to a key call either.
    admin.api.http.cookies.set("fossbilling_csrf", "not-the-token")
    assert admin.api(f"{PROBE}/whoami", CSRFToken="wrong").ok()["via"] == "key"
